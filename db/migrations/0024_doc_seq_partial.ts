import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// `yjs_updates.seq` numbers a document's updates on PostgreSQL (0017); SQLite leaves
// it null, yet its unique index still took an entry per append, one more B-tree page
// in every typed character's commit (issue #14, bench:typing). The index now covers
// numbered rows only: the same uniqueness and lookups on PostgreSQL (its queries say
// `seq > n`, which implies `seq is not null`), nothing to write on SQLite.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("yjs_updates_doc_seq").execute();
  await db.schema
    .createIndex("yjs_updates_doc_seq")
    .on("yjs_updates")
    .columns(["doc_name", "seq"])
    .unique()
    .where(sql.ref("seq"), "is not", null)
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("yjs_updates_doc_seq").execute();
  await db.schema.createIndex("yjs_updates_doc_seq").on("yjs_updates").columns(["doc_name", "seq"]).unique().execute();
}
