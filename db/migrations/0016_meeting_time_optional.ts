import { sql, type Kysely } from "kysely";

// Frozen in time: never import application code here.
// A meeting whose time a time poll will decide has no time yet: starts_at and
// ends_at become nullable (both or neither), and a convened meeting must have
// one (docs/decisions/027-time-poll.md). SQLite cannot drop a NOT NULL in place,
// so the table is rebuilt the documented way (https://sqlite.org/lang_altertable.html,
// "Making Other Kinds Of Table Schema Changes"): foreign keys off, so that
// dropping the old table does not cascade into rsvps, polls, agenda and minutes;
// copy, drop, rename, recreate the indexes, check the keys, foreign keys on.
// Kysely runs SQLite migrations outside a transaction, so the pragma takes effect;
// the rebuild itself is one transaction.
export async function up(db: Kysely<any>): Promise<void> {
  await rebuild(db, "null");
}

export async function down(db: Kysely<any>): Promise<void> {
  // A meeting without a time cannot go back into the old shape.
  await sql`delete from meetings where starts_at is null`.execute(db);
  await rebuild(db, "not null");
}

async function rebuild(db: Kysely<any>, time: "null" | "not null"): Promise<void> {
  const timeCol = sql.raw(time === "null" ? "" : " not null");
  const checks = sql.raw(
    time === "null"
      ? `, check ((starts_at is null) = (ends_at is null)), check (status <> 'convened' or starts_at is not null)`
      : "",
  );
  await sql`pragma foreign_keys = off`.execute(db);
  try {
    await sql`begin`.execute(db);
    try {
      await sql`create table "meetings_new" (
        "id" text primary key,
        "council_id" text not null references "councils" ("id") on delete cascade,
        "title" text not null,
        "location" text not null,
        "video_url" text,
        "description" text not null,
        "starts_at" text${timeCol},
        "ends_at" text${timeCol},
        "status" text not null check (status in ('draft','convened','cancelled')),
        "cancel_reason" text,
        "sequence" integer default 0 not null,
        "created_by" text references "users" ("id"),
        "created_at" text not null,
        "updated_at" text not null,
        "convened_at" text,
        "group_id" text references "working_groups" ("id")${checks}
      )`.execute(db);
      await sql`insert into meetings_new (id, council_id, title, location, video_url, description, starts_at, ends_at, status,
          cancel_reason, sequence, created_by, created_at, updated_at, convened_at, group_id)
        select id, council_id, title, location, video_url, description, starts_at, ends_at, status,
          cancel_reason, sequence, created_by, created_at, updated_at, convened_at, group_id from meetings`.execute(db);
      await sql`drop table meetings`.execute(db);
      await sql`alter table meetings_new rename to meetings`.execute(db);
      await sql`create index "meetings_council_start" on "meetings" ("council_id", "starts_at")`.execute(db);
      await sql`create index "meetings_group" on "meetings" ("group_id")`.execute(db);
      const broken = await sql`pragma foreign_key_check`.execute(db);
      if (broken.rows.length) throw new Error(`meetings rebuild broke ${broken.rows.length} foreign keys`);
      await sql`commit`.execute(db);
    } catch (err) {
      await sql`rollback`.execute(db);
      throw err;
    }
  } finally {
    await sql`pragma foreign_keys = on`.execute(db);
  }
}
