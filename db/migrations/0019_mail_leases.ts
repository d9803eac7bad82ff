import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// E-mail claims become leases (issue #14, docs/decisions/037-background-work-across-nodes.md):
// a notification being sent records which node claimed it and when, so a node
// that starts gives back only its own earlier claims and claims older than the
// lease, never a claim that another live node is sending. Plain nullable text
// columns: the same DDL on SQLite and PostgreSQL.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").addColumn("claimed_by", "text").execute();
  await db.schema.alterTable("notifications").addColumn("claimed_at", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("notifications").dropColumn("claimed_at").execute();
  await db.schema.alterTable("notifications").dropColumn("claimed_by").execute();
}
