import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// Personal access tokens for the read-only API (issue #16, docs/decisions/045-api-tokens.md):
// a person makes one in /settings, sees it once, and a reporting tool sends it as
// `Authorization: Bearer <token>`. Only the token's hash is stored, plus a short
// non-secret prefix to recognise it by. A token may expire (expires_at, null = never)
// and is revoked rather than deleted (revoked_at), so the list and the export can
// still say when it stopped working. last_used_at is written at most once a minute.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("api_tokens")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("prefix", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("expires_at", "text")
    .addColumn("last_used_at", "text")
    .addColumn("revoked_at", "text")
    .execute();
  await db.schema.createIndex("api_tokens_user").on("api_tokens").column("user_id").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("api_tokens").execute();
}
