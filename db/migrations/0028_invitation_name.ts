import type { Kysely } from "kysely";

// Frozen in time: never import application code here.
// Invitations may carry the invited person's name (issue #16: the bulk CSV has a
// name column; a single invitation may give one too). It greets the person in the
// e-mail and fills in the name field when they accept; they can still change it.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("invitations").addColumn("name", "text").execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("invitations").dropColumn("name").execute();
}
