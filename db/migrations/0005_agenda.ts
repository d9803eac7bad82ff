import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agenda_items")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull().check(sql`kind in ('information','discussion','decision')`))
    .addColumn("presenter", "text", (c) => c.notNull())
    .addColumn("minutes", "integer", (c) => c.notNull())
    .addColumn("plan_area_id", "text")
    .addColumn("plan_action_id", "text")
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('accepted','proposed','declined')`))
    .addColumn("proposed_by", "text", (c) => c.references("users.id"))
    .addColumn("decision", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("agenda_items_meeting").on("agenda_items").columns(["meeting_id", "position"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("agenda_items").ifExists().execute();
}
