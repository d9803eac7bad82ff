import { sql, type Kysely } from "kysely";
import { addIdentity, dialectOf } from "./dialect";

// Frozen in time: never import application code here (dialect helpers excepted).
// Search across a council (issue #17, docs/decisions/049-search.md): one row per
// searchable thing (a plan action, an area, a meeting, an agenda item, approved
// minutes, a decision, a statement, a working group), kept in step with its source
// by server/domain/search.ts, which compares a hash of each row's text.
//   SQLite: `search_docs` (what is indexed, with its hash) plus an FTS5 table
//   `search_fts` whose rowid is search_docs.id; unicode61 with diacritics removed
//   (a search for "skovde" finds "Skövde"), prefix queries for Swedish inflection.
//   PostgreSQL: `search_docs` carries the text and a generated tsvector
//   (the 'swedish' configuration: Snowball stemming), with a GIN index.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  let t = addIdentity(db, db.schema.createTable("search_docs"), "id")
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("ref_id", "text", (c) => c.notNull())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("hash", "text", (c) => c.notNull())
    // Where it is, under /councils/<slug>/, and the meeting it belongs to (for rights).
    .addColumn("path", "text", (c) => c.notNull())
    .addColumn("meeting_id", "text");
  if (pg) t = t.addColumn("title", "text", (c) => c.notNull()).addColumn("body", "text", (c) => c.notNull());
  await t.addUniqueConstraint("search_docs_ref", ["kind", "ref_id"]).execute();
  await db.schema.createIndex("search_docs_council").on("search_docs").columns(["council_id"]).execute();
  if (pg) {
    await sql`alter table search_docs add column tsv tsvector generated always as (
      setweight(to_tsvector('swedish', title), 'A') || setweight(to_tsvector('swedish', body), 'B')) stored`.execute(db);
    await sql`create index search_docs_tsv on search_docs using gin (tsv)`.execute(db);
  } else {
    await sql`create virtual table search_fts using fts5(title, body, tokenize = 'unicode61 remove_diacritics 2')`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  if (dialectOf(db) !== "postgres") await sql`drop table search_fts`.execute(db);
  await db.schema.dropTable("search_docs").execute();
}
