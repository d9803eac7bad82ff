import { sql, type Kysely } from "kysely";
import { dialectOf } from "./dialect";

// Frozen in time: never import application code here.
// Several nodes write one document (issue #14, docs/decisions/036-documents-across-nodes.md).
// PostgreSQL identity ids do not commit in order, so a document's updates get a
// sequence number of their own, taken from `yjs_docs.seq` under that row's lock:
// numbers are gapless and commit in order per document. `frozen_at` freezes the
// document in the database (an adopted plan, an adopted statement): an append is
// refused there, on every node.
// SQLite has one writer: its log id already is that order, so the SQLite store
// leaves `seq` null and `yjs_docs` empty (server/collab/sqlite-store.ts).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("yjs_docs")
    .addColumn("doc_name", "text", (c) => c.primaryKey())
    .addColumn("seq", "bigint", (c) => c.notNull().defaultTo(0))
    .addColumn("frozen_at", "text")
    .execute();
  await db.schema.alterTable("yjs_updates").addColumn("seq", "bigint").execute();
  await db.schema.createIndex("yjs_updates_doc_seq").on("yjs_updates").columns(["doc_name", "seq"]).unique().execute();
  if (dialectOf(db) === "postgres") {
    // One node wrote these, in order: its ids are the sequence to go on from.
    await sql`update yjs_updates set seq = id`.execute(db);
    await sql`insert into yjs_docs (doc_name, seq)
      select doc_name, max(seq) from (
        select doc_name, seq from yjs_updates
        union all select doc_name, last_update_id as seq from yjs_snapshots
      ) as s group by doc_name`.execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("yjs_updates_doc_seq").execute();
  await db.schema.alterTable("yjs_updates").dropColumn("seq").execute();
  await db.schema.dropTable("yjs_docs").execute();
}
