import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// Self-service for accounts (issue #16, docs/decisions/048-account-self-service.md):
// one table for the single-use links e-mailed to a person, a password reset or the
// confirmation of a new e-mail address. Only the token's hash is stored; a link is
// used once (used_at) and expires (expires_at).
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("account_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("purpose", "text", (c) => c.notNull().check(sql`purpose in ('password_reset','email_change')`))
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    // The address to confirm (email_change); null for a reset.
    .addColumn("new_email", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text", (c) => c.notNull())
    .addColumn("used_at", "text")
    .execute();
  await db.schema.createIndex("account_tokens_user").on("account_tokens").columns(["user_id", "purpose"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("account_tokens").execute();
}
