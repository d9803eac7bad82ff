import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// Meeting series (mötesserier, issue #15, docs/decisions/042-meeting-series.md): a rule
// that made a run of meetings. Each occurrence is an ordinary row in `meetings`
// (series_id set), edited, moved and cancelled on its own; the series row keeps what
// the leader chose. `rule` is an RFC 5545 RRULE line (FREQ, INTERVAL, BYDAY, BYMONTHDAY,
// COUNT or UNTIL); `first_date`, `start_time` and `end_time` are Stockholm wall-clock
// values, the rule's DTSTART;TZID=Europe/Stockholm. Plain text columns: the same DDL on
// SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("meeting_series")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    // A working group's series; a group with meetings is not deleted (the domain refuses).
    .addColumn("group_id", "text", (c) => c.references("working_groups.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("rule", "text", (c) => c.notNull())
    .addColumn("first_date", "text", (c) => c.notNull())
    .addColumn("start_time", "text", (c) => c.notNull())
    .addColumn("end_time", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("meeting_series_council").on("meeting_series").column("council_id").execute();
  // Deleting a series (with its council) leaves no meeting pointing at nothing.
  await db.schema.alterTable("meetings").addColumn("series_id", "text", (c) => c.references("meeting_series.id").onDelete("set null")).execute();
  await db.schema.createIndex("meetings_series").on("meetings").columns(["series_id", "starts_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("meetings_series").execute();
  await db.schema.alterTable("meetings").dropColumn("series_id").execute();
  await db.schema.dropTable("meeting_series").execute();
}
