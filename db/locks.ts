// Advisory locks: a step that must run on one node at a time when several nodes share
// one PostgreSQL database (issue #14, docs/decisions/037). SQLite serves one node, so
// there the step simply runs.
//
// The locks are transaction-level (`pg_advisory_xact_lock`) on a connection the lock
// keeps for itself: the server releases one at commit, or when that connection dies
// with its node, so a crashed node never leaves a lock behind and nothing has to
// remember to unlock. The guarded step itself runs on the pool's other connections
// and commits its own work; the next holder sees it, because it only gets the lock
// after the step has finished. The lock's transaction reads and writes nothing, so
// holding it open costs one pooled connection and no snapshot.
import { sql } from "kysely";
import { dialectOf } from "./migrations/dialect";
import type { Db } from "./index";

/** One key per guarded step, constant across releases (any 64-bit number; these spell "issue 14"). */
export const LOCK = {
  /** Timed background jobs: one run at a time across nodes (server/jobs.ts). */
  jobs: 1_400_001,
  /** First start: "is it seeded? if not, seed" (db/seed.ts). */
  seed: 1_400_002,
} as const;

/** Run `fn` while holding lock `key`, waiting for it as long as another node holds it. */
export async function withLock<T>(db: Db, key: number, fn: () => Promise<T>): Promise<T> {
  if (dialectOf(db) !== "postgres") return fn();
  return db.transaction().execute(async (trx) => {
    await sql`select pg_advisory_xact_lock(${sql.lit(key)})`.execute(trx);
    return fn();
  });
}

/**
 * Run `fn` if lock `key` is free, holding it meanwhile; if another node holds it,
 * do nothing and return `{ ran: false }` at once.
 */
export async function tryWithLock<T>(db: Db, key: number, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }> {
  if (dialectOf(db) !== "postgres") return { ran: true, value: await fn() };
  return db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ locked: boolean }>`select pg_try_advisory_xact_lock(${sql.lit(key)}) as locked`.execute(trx);
    if (!rows[0]?.locked) return { ran: false as const };
    return { ran: true as const, value: await fn() };
  });
}
