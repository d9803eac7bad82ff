import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// Every signed-in page counts the person's unread notifications (the bell in the
// header). Through notifications_user_time that count reads every notification row
// the person has, read or not, to test read_at; a partial index of the unread ones
// (covering: read_at is in it) answers it from the index alone. (docs/decisions/014-per-request-floor.md)
export async function up(db: Kysely<any>): Promise<void> {
  await sql`create index notifications_unread on notifications (user_id, read_at) where read_at is null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropIndex("notifications_unread").execute();
}
