import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Follow-up history (uppföljning): every status/progress report on an action,
  // from the follow-up form or from the live plan editor.
  await db.schema
    .createTable("followups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("action_id", "text", (c) => c.notNull())
    .addColumn("reported_at", "text", (c) => c.notNull())
    .addColumn("reported_by", "text", (c) => c.references("users.id"))
    .addColumn("source", "text", (c) => c.notNull()) // 'report' | 'editor'
    .addColumn("old_status", "text")
    .addColumn("new_status", "text", (c) => c.notNull())
    .addColumn("old_progress", "integer")
    .addColumn("new_progress", "integer", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("followups_action").on("followups").columns(["plan_id", "action_id", "reported_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("followups").ifExists().execute();
}
