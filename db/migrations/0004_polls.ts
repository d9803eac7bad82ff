import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("polls")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().unique().references("meetings.id").onDelete("cascade"))
    .addColumn("deadline", "text", (c) => c.notNull()) // UTC
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('open','closed')`))
    .addColumn("chosen_slot_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("closed_at", "text")
    .execute();
  await db.schema
    .createTable("poll_slots")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("poll_id", "text", (c) => c.notNull().references("polls.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull())
    .addColumn("ends_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("poll_slots_poll").on("poll_slots").column("poll_id").execute();
  await db.schema
    .createTable("poll_answers")
    .addColumn("slot_id", "text", (c) => c.notNull().references("poll_slots.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("answer", "text", (c) => c.notNull().check(sql`answer in ('yes','if_need_be','no')`))
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("poll_answers_pk", ["slot_id", "user_id"])
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["poll_answers", "poll_slots", "polls"]) await db.schema.dropTable(t).ifExists().execute();
}
