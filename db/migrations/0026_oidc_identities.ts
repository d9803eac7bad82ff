import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// Single sign-on (issue #16, docs/decisions/046-oidc-sign-in.md): the person an
// OpenID provider's subject (issuer + sub) was mapped to, the first time by a
// verified e-mail address; later sign-ins follow the subject, so an address changed
// at the provider still reaches the same person.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("user_identities")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "text", (c) => c.notNull().references("users.id").onDelete("cascade"))
    .addColumn("issuer", "text", (c) => c.notNull())
    .addColumn("subject", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addColumn("last_login_at", "text", (c) => c.notNull())
    .addUniqueConstraint("user_identities_subject", ["issuer", "subject"])
    .execute();
  await db.schema.createIndex("user_identities_user").on("user_identities").columns(["user_id"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("user_identities").execute();
}
