import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// A council's agenda templates (dagordningsmallar, issue #15): a named list of items
// (title, kind, minutes) a leader picks when creating a meeting. Items are kept as
// JSON: a template is edited and read as a whole, never queried by item.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("agenda_templates")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("items_json", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("agenda_templates_council").on("agenda_templates").columns(["council_id", "name"]).unique().execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("agenda_templates").execute();
}
