import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// The dashboard asks for a plan's newest reports since a date.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.createIndex("followups_plan_time").on("followups").columns(["plan_id", "reported_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("followups_plan_time").ifExists().execute();
}
