import { sql, type Kysely } from "kysely";
import { dialectOf } from "./dialect";

// Frozen in time: never import application code here (dialect helpers excepted).
// Indicators with targets and measured values (issue #17, docs/decisions/050-indicators.md).
//   plans.schema_version   the plan document's layout (docs/plan-document.md): 1 had
//                          indicators as free-text lines, 2 has them as a list; the
//                          server upgrades 1 to 2 once (server/domain/plan-upgrade.ts).
//   plan_indicators        the projection of each action's indicators (name, unit,
//                          baseline and target with their dates, direction), like
//                          plan_actions: rewritten from the live document.
//   indicator_values       measured values, reported with a date and a comment, alone
//                          or with a follow-up report; history, never rewritten by
//                          the projection. An indicator keeps its id when its action
//                          is carried over, so a value is the council's, read by
//                          indicator id across the plan years.
// Every write to indicator_values moves the council's plans' report_seq (the
// dashboard's cache version, migration 0013), whoever writes.
export async function up(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  await db.schema.alterTable("plans").addColumn("schema_version", "integer", (c) => c.notNull().defaultTo(1)).execute();
  await db.schema
    .createTable("plan_indicators")
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("action_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("unit", "text", (c) => c.notNull())
    .addColumn("baseline", "double precision")
    .addColumn("baseline_date", "text")
    .addColumn("target", "double precision")
    .addColumn("target_date", "text")
    .addColumn("direction", "text", (c) => c.notNull().check(sql`direction in ('higher', 'lower')`))
    .addPrimaryKeyConstraint("plan_indicators_pk", ["plan_id", "id"])
    .execute();
  await db.schema.createIndex("plan_indicators_action").on("plan_indicators").columns(["plan_id", "action_id", "position"]).execute();
  await db.schema
    .createTable("indicator_values")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id"))
    .addColumn("action_id", "text", (c) => c.notNull())
    .addColumn("indicator_id", "text", (c) => c.notNull())
    .addColumn("measured_on", "text", (c) => c.notNull())
    .addColumn("value", "double precision", (c) => c.notNull())
    .addColumn("comment", "text", (c) => c.notNull())
    .addColumn("reported_by", "text", (c) => c.references("users.id"))
    .addColumn("reported_at", "text", (c) => c.notNull())
    .addColumn("followup_id", "text")
    .execute();
  await db.schema.createIndex("indicator_values_indicator").on("indicator_values").columns(["council_id", "indicator_id", "measured_on"]).execute();
  await db.schema.createIndex("indicator_values_plan").on("indicator_values").columns(["plan_id"]).execute();
  if (pg) {
    await sql`create function indicator_values_report_seq() returns trigger language plpgsql as $$
      begin
        if tg_op = 'DELETE' then
          update plans set report_seq = report_seq + 1 where council_id = old.council_id;
        else
          update plans set report_seq = report_seq + 1 where council_id = new.council_id;
        end if;
        return null;
      end $$`.execute(db);
    for (const event of ["insert", "update", "delete"])
      await sql.raw(`create trigger indicator_values_report_seq_${event} after ${event} on indicator_values for each row execute function indicator_values_report_seq()`).execute(db);
  } else {
    for (const event of ["insert", "update", "delete"]) {
      const row = event === "delete" ? "old" : "new";
      await sql
        .raw(
          `create trigger indicator_values_report_seq_${event} after ${event} on indicator_values
           begin update plans set report_seq = report_seq + 1 where council_id = ${row}.council_id; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const event of ["insert", "update", "delete"])
    await sql.raw(dialectOf(db) === "postgres" ? `drop trigger indicator_values_report_seq_${event} on indicator_values` : `drop trigger indicator_values_report_seq_${event}`).execute(db);
  if (dialectOf(db) === "postgres") await sql`drop function indicator_values_report_seq()`.execute(db);
  await db.schema.dropTable("indicator_values").execute();
  await db.schema.dropTable("plan_indicators").execute();
  await db.schema.alterTable("plans").dropColumn("schema_version").execute();
}
