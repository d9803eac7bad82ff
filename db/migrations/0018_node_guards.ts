import { sql, type Kysely } from "kysely";
import { dialectOf } from "./dialect";

// Frozen in time: never import application code here.
// Several nodes (issue #14, docs/decisions/036-documents-across-nodes.md): a change
// of anyone's rights to a live document must hold on every node before the next
// update is accepted there. Every write that can change those rights (a membership,
// a plan's, meeting's, minutes' or statement's status, a working group's members)
// moves one counter, `rights_epoch.epoch`, in its own transaction. The PostgreSQL
// update store accepts an update only under the epoch its writer's rights were
// resolved at; a node that finds it moved re-resolves first (server/collab/room.ts).
// SQLite (one node) keeps the counter too, unread.
//
// `plans.projected_seq`: the sequence number of the live state a plan's projection
// was last written from. Every node with the plan open projects it; a node whose
// state is older than what another already wrote skips (server/domain/plans.ts).
// Updates count only where a column that decides rights is set (a plan's projection
// time, a meeting's title and the like move nothing).
const WATCHED: [table: string, events: string[]][] = [
  ["memberships", ["insert", "update", "delete"]],
  ["working_group_members", ["insert", "update", "delete"]],
  ["plans", ["update of status"]],
  ["meetings", ["update of status, group_id"]],
  ["minutes", ["insert", "update of status"]],
  ["statements", ["update of status"]],
];

const triggerName = (table: string, event: string) => `rights_epoch_${table}_${event.split(" ")[0]}`;

export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("rights_epoch")
    .addColumn("id", "integer", (c) => c.primaryKey())
    .addColumn("epoch", "bigint", (c) => c.notNull().defaultTo(0))
    .execute();
  await db.insertInto("rights_epoch").values({ id: 1, epoch: 0 }).execute();
  await db.schema.alterTable("plans").addColumn("projected_seq", "bigint").execute();
  const pg = dialectOf(db) === "postgres";
  if (pg) {
    await sql`create function samsyn_rights_changed() returns trigger language plpgsql as $$
      begin update rights_epoch set epoch = epoch + 1 where id = 1; return null; end $$`.execute(db);
  }
  for (const [table, events] of WATCHED) {
    for (const event of events) {
      const name = triggerName(table, event);
      await sql
        .raw(
          pg
            ? `create trigger ${name} after ${event} on ${table} for each statement execute function samsyn_rights_changed()`
            : `create trigger ${name} after ${event} on ${table} begin update rights_epoch set epoch = epoch + 1 where id = 1; end`,
        )
        .execute(db);
    }
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  const pg = dialectOf(db) === "postgres";
  for (const [table, events] of WATCHED) {
    for (const event of events) await sql.raw(pg ? `drop trigger ${triggerName(table, event)} on ${table}` : `drop trigger ${triggerName(table, event)}`).execute(db);
  }
  if (pg) await sql`drop function samsyn_rights_changed()`.execute(db);
  await db.schema.dropTable("rights_epoch").execute();
  await db.schema.alterTable("plans").dropColumn("projected_seq").execute();
}
