import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// The follow-up dashboard's cache version (docs/decisions/010-dashboard-cache.md)
// counted a plan's reports on every request: O(reports), ≈0.1 ms at 5,000. A
// counter on the plan, kept by triggers so that every writer (report form, editor,
// CSV import, raw SQL) moves it, makes the version one row read. And the newest
// anonymisation, also in the version, is read from an index instead of a scan of
// all users.
export async function up(db: Kysely<any>): Promise<void> {
  await sql`alter table plans add column report_seq integer not null default 0`.execute(db);
  await sql`update plans set report_seq = (select count(*) from followups f where f.plan_id = plans.id)`.execute(db);
  for (const event of ["insert", "update", "delete"] as const) {
    const row = event === "delete" ? "old" : "new";
    await sql
      .raw(
        `create trigger followups_report_seq_${event} after ${event} on followups
         begin update plans set report_seq = report_seq + 1 where id = ${row}.plan_id; end`,
      )
      .execute(db);
  }
  await db.schema.createIndex("users_anonymised").on("users").column("anonymised_at").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("users_anonymised").execute();
  for (const event of ["insert", "update", "delete"]) await sql.raw(`drop trigger followups_report_seq_${event}`).execute(db);
  await sql`alter table plans drop column report_seq`.execute(db);
}
