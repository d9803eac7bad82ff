import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // Minutes (protokoll) of a meeting; the text itself is the Yjs document `doc:<meeting id>`.
  await db.schema
    .createTable("minutes")
    .addColumn("meeting_id", "text", (c) => c.primaryKey().references("meetings.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','closed','approved')`))
    .addColumn("closed_at", "text")
    .addColumn("approved_at", "text")
    /** Plain-text copy of the frozen text, written when the minutes are closed. */
    .addColumn("frozen_text", "text")
    .addColumn("frozen_state", "blob")
    .execute();
  await db.schema
    .createTable("minutes_approvers")
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('pending','approved','returned')`))
    .addColumn("comment", "text")
    .addColumn("decided_at", "text")
    .addPrimaryKeyConstraint("minutes_approvers_pk", ["meeting_id", "user_id"])
    .execute();
  await db.schema
    .createTable("attendance")
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("present", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("attendance_pk", ["meeting_id", "user_id"])
    .execute();
  await db.schema
    .createTable("action_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("what", "text", (c) => c.notNull())
    .addColumn("owner_user_id", "text", (c) => c.references("users.id"))
    .addColumn("due_date", "text")
    .addColumn("plan_action_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("action_items_meeting").on("action_items").column("meeting_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["action_items", "attendance", "minutes_approvers", "minutes"]) await db.schema.dropTable(t).ifExists().execute();
}
