import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// A person's choice (issue #17): the annual wheel's dates (follow-up rounds, action
// due dates, the council's yearly events, adoption) in their calendar feed as
// all-day events, besides the meetings. Off by default: a feed is not filled unasked.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").addColumn("calendar_year_events", "integer", (c) => c.notNull().defaultTo(0)).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("users").dropColumn("calendar_year_events").execute();
}
