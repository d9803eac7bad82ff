import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// Meeting documents (handlingar, issue #15, docs/decisions/039-meeting-documents.md):
// one row per file attached to a meeting, or to one of its agenda items. The bytes
// live in a FileStore (a folder or an S3 bucket) under `storage_key`; the row holds
// what the page and the API show. `type` is the MIME type sniffed from the content,
// never the browser's claim. `uploaded_by` is emptied when the person is anonymised:
// the file stays with the meeting. Plain text/integer columns: the same DDL on
// SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("attachments")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    // Deleting an agenda item keeps its files with the meeting.
    .addColumn("agenda_item_id", "text", (c) => c.references("agenda_items.id").onDelete("set null"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("size", "integer", (c) => c.notNull())
    .addColumn("type", "text", (c) => c.notNull())
    .addColumn("storage_key", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull())
    .addColumn("uploaded_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("attachments_meeting").on("attachments").columns(["meeting_id", "created_at"]).execute();
  await db.schema.createIndex("attachments_uploader").on("attachments").column("uploaded_by").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("attachments").execute();
}
