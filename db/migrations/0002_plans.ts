import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("plans")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("year", "integer", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('active','revision','adopted')`))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .addColumn("projected_at", "text")
    .addUniqueConstraint("plans_council_year", ["council_id", "year"])
    .execute();

  // The Yjs update log: every accepted update, appended before it is fanned out.
  await db.schema
    .createTable("yjs_updates")
    .addColumn("id", "integer", (c) => c.primaryKey().autoIncrement())
    .addColumn("doc_name", "text", (c) => c.notNull())
    .addColumn("update", "blob", (c) => c.notNull())
    .addColumn("user_id", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("yjs_updates_doc").on("yjs_updates").columns(["doc_name", "id"]).execute();

  // Compacted state: the log up to `last_update_id` folded into one update.
  await db.schema
    .createTable("yjs_snapshots")
    .addColumn("doc_name", "text", (c) => c.primaryKey())
    .addColumn("state", "blob", (c) => c.notNull())
    .addColumn("last_update_id", "integer", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .execute();

  // Relational projection of a plan's Y.Doc, for queries, the API and (later) the dashboard.
  await db.schema
    .createTable("plan_areas")
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_areas_pk", ["plan_id", "id"])
    .execute();
  await db.schema
    .createTable("plan_goals")
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("area_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_goals_pk", ["plan_id", "id"])
    .execute();
  await db.schema
    .createTable("plan_actions")
    .addColumn("plan_id", "text", (c) => c.notNull().references("plans.id").onDelete("cascade"))
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("area_id", "text", (c) => c.notNull())
    .addColumn("goal_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("responsible_org", "text", (c) => c.notNull())
    .addColumn("responsible_user_id", "text")
    .addColumn("start_date", "text")
    .addColumn("due_date", "text")
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("progress", "integer", (c) => c.notNull())
    .addColumn("indicators", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("plan_actions_pk", ["plan_id", "id"])
    .execute();
  await db.schema.createIndex("plan_actions_status").on("plan_actions").columns(["plan_id", "status"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["plan_actions", "plan_goals", "plan_areas", "yjs_snapshots", "yjs_updates", "plans"]) {
    await db.schema.dropTable(t).ifExists().execute();
  }
}
