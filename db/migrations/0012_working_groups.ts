import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// Working groups (arbetsgrupper): a council's group tied to priority areas of its
// plan, with a convener and members, and meetings of its own
// (docs/decisions/011-working-groups.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("working_groups")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .execute();
  await db.schema.createIndex("working_groups_council").on("working_groups").columns(["council_id", "name"]).execute();

  // Area ids are the plan document's ids: stable across years when a plan is
  // carried over, so no foreign key to one year's projection.
  await db.schema
    .createTable("working_group_areas")
    .addColumn("group_id", "text", (c) => c.notNull().references("working_groups.id").onDelete("cascade"))
    .addColumn("area_id", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("working_group_areas_pk", ["group_id", "area_id"])
    .execute();

  await db.schema
    .createTable("working_group_members")
    .addColumn("group_id", "text", (c) => c.notNull().references("working_groups.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("role", "text", (c) => c.notNull().check(sql`role in ('convener','member')`))
    .addPrimaryKeyConstraint("working_group_members_pk", ["group_id", "user_id"])
    .execute();
  // At most one convener per group.
  await sql`create unique index working_group_one_convener on working_group_members (group_id) where role = 'convener'`.execute(db);
  await db.schema.createIndex("working_group_members_user").on("working_group_members").columns(["user_id"]).execute();

  // A meeting of a working group; null for the council's own meetings. A group
  // with meetings is not deleted (the domain refuses), so no cascade here.
  await db.schema.alterTable("meetings").addColumn("group_id", "text", (c) => c.references("working_groups.id")).execute();
  await db.schema.createIndex("meetings_group").on("meetings").columns(["group_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("meetings_group").execute();
  await db.schema.alterTable("meetings").dropColumn("group_id").execute();
  await db.schema.dropTable("working_group_members").execute();
  await db.schema.dropTable("working_group_areas").execute();
  await db.schema.dropTable("working_groups").execute();
}
