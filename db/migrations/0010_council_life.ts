import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// Notifications (in-app list, e-mail delivery state), per-kind delivery choices,
// the council activity feed, job bookkeeping, and a one-way redaction of audit
// rows for GDPR erasure (docs/decisions/009-notifications-activity-gdpr.md).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("notifications")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("council_id", "text", (c) => c.references("councils.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    // Parameters for the text, rendered in the reader's language when read.
    .addColumn("params_json", "text", (c) => c.notNull())
    .addColumn("link", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("read_at", "text")
    // none | pending (send now) | digest (next daily digest) | sent | failed
    .addColumn("email_state", "text", (c) => c.notNull())
    .addColumn("emailed_at", "text")
    .addColumn("email_attempts", "integer", (c) => c.notNull().defaultTo(0))
    // Time-driven kinds (overdue, deadline near, follow-up due) are sent once per key.
    .addColumn("dedupe_key", "text")
    .execute();
  await db.schema.createIndex("notifications_user_time").on("notifications").columns(["user_id", "created_at"]).execute();
  await db.schema.createIndex("notifications_email_state").on("notifications").columns(["email_state"]).execute();
  await sql`create unique index notifications_dedupe on notifications (user_id, dedupe_key) where dedupe_key is not null`.execute(db);

  await db.schema
    .createTable("notification_prefs")
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("delivery", "text", (c) => c.notNull()) // inapp | immediate | digest
    .addPrimaryKeyConstraint("notification_prefs_pk", ["user_id", "kind"])
    .execute();

  await db.schema
    .createTable("activity")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("council_id", "text", (c) => c.notNull().references("councils.id"))
    .addColumn("actor_id", "text", (c) => c.references("users.id"))
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("params_json", "text", (c) => c.notNull())
    .addColumn("link", "text")
    // council: everyone in the council; contributors: not observers; leaders: process leaders only
    .addColumn("audience", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .execute();
  await db.schema.createIndex("activity_council_time").on("activity").columns(["council_id", "created_at"]).execute();

  // The language a person last chose while signed in: e-mails are written in it.
  await db.schema.alterTable("users").addColumn("locale", "text", (c) => c.notNull().defaultTo("sv")).execute();

  await db.schema
    .createTable("job_state")
    .addColumn("key", "text", (c) => c.primaryKey())
    .addColumn("value", "text", (c) => c.notNull())
    .execute();

  // GDPR erasure: an audit row may be redacted (subject/before/after rewritten,
  // redacted_at set, never unset); who, what and when stay. Nothing else may change.
  await db.schema.alterTable("audit_log").addColumn("redacted_at", "text").execute();
  await sql`drop trigger audit_log_no_update`.execute(db);
  await sql`create trigger audit_log_no_update before update on audit_log
    when new.redacted_at is null
      or new.id is not old.id or new.council_id is not old.council_id or new.actor_id is not old.actor_id
      or new.action is not old.action or new.created_at is not old.created_at
    begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop trigger audit_log_no_update`.execute(db);
  await sql`create trigger audit_log_no_update before update on audit_log
    begin select raise(abort, 'audit_log is append-only'); end`.execute(db);
  await db.schema.alterTable("audit_log").dropColumn("redacted_at").execute();
  await db.schema.dropTable("job_state").execute();
  await db.schema.alterTable("users").dropColumn("locale").execute();
  await db.schema.dropTable("activity").execute();
  await db.schema.dropTable("notification_prefs").execute();
  await db.schema.dropTable("notifications").execute();
}
