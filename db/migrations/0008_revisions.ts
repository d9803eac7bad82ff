import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // An adopted plan, frozen: its Yjs state and JSON projection at adoption.
  await db.schema
    .createTable("plan_revisions")
    .addColumn("plan_id", "text", (c) => c.primaryKey().references("plans.id"))
    .addColumn("adopted_at", "text", (c) => c.notNull())
    .addColumn("adopted_by", "text", (c) => c.references("users.id"))
    .addColumn("decision", "text")
    .addColumn("meeting_id", "text")
    .addColumn("state", "blob", (c) => c.notNull())
    .addColumn("projection_json", "text", (c) => c.notNull())
    .execute();
  // Immutable: the database refuses to change or remove a frozen revision.
  await sql`create trigger plan_revisions_no_update before update on plan_revisions
    begin select raise(abort, 'plan_revisions are immutable'); end`.execute(db);
  await sql`create trigger plan_revisions_no_delete before delete on plan_revisions
    begin select raise(abort, 'plan_revisions are immutable'); end`.execute(db);
  // Which plan a revision was copied from (carried-over actions keep their ids).
  await db.schema.alterTable("plans").addColumn("copied_from", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("plan_revisions").ifExists().execute();
}
