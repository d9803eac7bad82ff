import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// The annual wheel's own events (issue #17): what a council does every year on a
// date of its own, e.g. "Uppföljning till regionen" on 15 October or "Budgetdialog"
// in March. A day past the month's end (31 in April) falls on its last day.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("year_events")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("month", "integer", (c) => c.notNull().check(sql`month between 1 and 12`))
    .addColumn("day", "integer", (c) => c.notNull().check(sql`day between 1 and 31`))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("year_events_council").on("year_events").columns(["council_id", "month", "day"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("year_events").execute();
}
