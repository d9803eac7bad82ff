import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("meetings")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id").onDelete("cascade"))
    .addColumn("title", "text", (c) => c.notNull())
    .addColumn("location", "text", (c) => c.notNull())
    .addColumn("video_url", "text")
    .addColumn("description", "text", (c) => c.notNull())
    .addColumn("starts_at", "text", (c) => c.notNull()) // UTC ISO-8601
    .addColumn("ends_at", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('draft','convened','cancelled')`))
    .addColumn("cancel_reason", "text")
    // iCalendar SEQUENCE: bumped on every change a calendar must see (time, place, cancellation).
    .addColumn("sequence", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("created_by", "text", (c) => c.references("users.id"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addColumn("convened_at", "text")
    .execute();
  await db.schema.createIndex("meetings_council_start").on("meetings").columns(["council_id", "starts_at"]).execute();

  await db.schema
    .createTable("meeting_rsvps")
    .addColumn("meeting_id", "text", (c) => c.notNull().references("meetings.id").onDelete("cascade"))
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("response", "text", (c) => c.notNull().check(sql`response in ('attending','not_attending','maybe')`))
    .addColumn("note", "text", (c) => c.notNull())
    .addColumn("updated_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("meeting_rsvps_pk", ["meeting_id", "user_id"])
    .execute();

  // Calendar apps send no cookies: each person has a secret, revocable feed token.
  await db.schema
    .createTable("calendar_tokens")
    .addColumn("token_hash", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("calendar_tokens_user").on("calendar_tokens").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["calendar_tokens", "meeting_rsvps", "meetings"]) await db.schema.dropTable(t).ifExists().execute();
}
