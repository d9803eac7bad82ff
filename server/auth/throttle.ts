// Login throttling, kept in the database so it holds across restarts and nodes.
// Per e-mail: 5 attempts within 15 minutes, then that address is locked for 15 minutes.
// Per client address: 50 attempts within 15 minutes, against spraying many addresses.
//
// An attempt is counted BEFORE its password is checked, by one atomic upsert that
// returns the new count (issue #12, item 12): with the old check-then-verify-then-count,
// a burst of 16 concurrent attempts all passed the check before any failure was
// recorded, and all 16 passwords were verified. Now the sixth attempt of a burst is
// refused without touching the password, whatever the timing, on one node or many
// (the statement is atomic in SQLite and in PostgreSQL). A successful sign-in clears
// the address's count and takes its own attempt off the client address's count, so
// the counts mean "failed or unfinished attempts". (The column is still called
// `failures`.) Decision 017.
import { sql } from "kysely";
import type { Db } from "../../db";
import { addMs, nowIso } from "../domain/time";

const WINDOW_MS = 15 * 60 * 1000;
const LOCK_MS = 15 * 60 * 1000;
export const LIMITS = { email: 5, ip: 50 } as const;

export const throttleKeys = (email: string, ip: string | undefined) =>
  [`email:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])] as const;

/** "Glömt lösenord?" is throttled like signing in: per address (its own count) and per client address (shared with sign-in). */
export const resetThrottleKeys = (email: string, ip: string | undefined) =>
  [`reset:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])] as const;

const limitFor = (key: string) => (key.startsWith("ip:") ? LIMITS.ip : LIMITS.email);

export type AttemptVerdict = { allowed: true } | { allowed: false; lockedUntil: string };

/**
 * Count one sign-in attempt against every key, atomically, and say whether its
 * password may be checked. Refused when any key is over its limit; the attempt that
 * reaches the limit is still allowed and starts the lock.
 */
export async function countAttempt(db: Db, keys: readonly string[], now = new Date()): Promise<AttemptVerdict> {
  const at = nowIso(now);
  const windowStartedBefore = addMs(at, -WINDOW_MS);
  const lockEnd = addMs(at, LOCK_MS);
  let refusedUntil: string | null = null;
  for (const key of keys) {
    const limit = limitFor(key);
    // In an upsert's SET, every column names the row as it was. `locked`: a lock still
    // running; `fresh`: no lock and the window is over, so counting starts again.
    const locked = sql<boolean>`coalesce(login_throttle.locked_until, '') > ${at}`;
    const fresh = sql<boolean>`(not ${locked} and login_throttle.window_started_at <= ${windowStartedBefore})`;
    const count = sql<number>`(case when ${fresh} then 1 else login_throttle.failures + 1 end)`;
    const row = await db
      .insertInto("login_throttle")
      .values({ key, failures: 1, window_started_at: at, locked_until: 1 >= limit ? lockEnd : null })
      .onConflict((oc) =>
        oc.column("key").doUpdateSet({
          failures: count,
          window_started_at: sql<string>`(case when ${fresh} then ${at} else login_throttle.window_started_at end)`,
          locked_until: sql<string | null>`(case when ${locked} then login_throttle.locked_until when ${count} >= ${limit} then ${lockEnd} else null end)`,
        }),
      )
      .returning(["failures", "locked_until"])
      .executeTakeFirstOrThrow();
    if (row.failures > limit && row.locked_until && (!refusedUntil || row.locked_until > refusedUntil)) refusedUntil = row.locked_until;
  }
  return refusedUntil ? { allowed: false, lockedUntil: refusedUntil } : { allowed: true };
}

/**
 * A sign-in succeeded: the address starts afresh, and the client address's count
 * loses this attempt again (its lock too, if this attempt was what reached the limit).
 */
export async function attemptSucceeded(db: Db, keys: readonly string[]): Promise<void> {
  for (const key of keys) {
    if (key.startsWith("email:")) {
      await db.deleteFrom("login_throttle").where("key", "=", key).execute();
      continue;
    }
    await db
      .updateTable("login_throttle")
      .set({
        failures: sql<number>`(case when failures > 0 then failures - 1 else 0 end)`,
        locked_until: sql<string | null>`(case when failures - 1 < ${limitFor(key)} then null else locked_until end)`,
      })
      .where("key", "=", key)
      .execute();
  }
}
