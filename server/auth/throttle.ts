// Login throttling, kept in the database so it holds across restarts and nodes.
// Per e-mail: 5 failures within 15 minutes lock that address for 15 minutes.
// Per client address: 50 failures within 15 minutes, against spraying many addresses.
import type { Db } from "../../db";
import { addMs, nowIso } from "../domain/time";

const WINDOW_MS = 15 * 60 * 1000;
const LOCK_MS = 15 * 60 * 1000;
export const LIMITS = { email: 5, ip: 50 } as const;

export const throttleKeys = (email: string, ip: string | undefined) =>
  [`email:${email.toLowerCase()}`, ...(ip ? [`ip:${ip}`] : [])] as const;

const limitFor = (key: string) => (key.startsWith("ip:") ? LIMITS.ip : LIMITS.email);

/** The latest lock end among the keys, if any key is locked now. */
export async function lockedUntil(db: Db, keys: readonly string[], now = new Date()): Promise<string | null> {
  const rows = await db
    .selectFrom("login_throttle")
    .select("locked_until")
    .where("key", "in", keys)
    .where("locked_until", ">", nowIso(now))
    .execute();
  return rows.map((r) => r.locked_until!).sort().at(-1) ?? null;
}

export async function recordFailure(db: Db, keys: readonly string[], now = new Date()): Promise<void> {
  const at = nowIso(now);
  await db.transaction().execute(async (trx) => {
    for (const key of keys) {
      const row = await trx.selectFrom("login_throttle").selectAll().where("key", "=", key).executeTakeFirst();
      const fresh = !row || addMs(row.window_started_at, WINDOW_MS) <= at;
      const failures = fresh ? 1 : row.failures + 1;
      const locked = failures >= limitFor(key) ? addMs(at, LOCK_MS) : null;
      await trx
        .insertInto("login_throttle")
        .values({ key, failures, window_started_at: fresh ? at : row.window_started_at, locked_until: locked })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({
            failures,
            window_started_at: fresh ? at : row!.window_started_at,
            locked_until: locked,
          }),
        )
        .execute();
    }
  });
}

export async function clearFailures(db: Db, email: string): Promise<void> {
  await db.deleteFrom("login_throttle").where("key", "=", `email:${email.toLowerCase()}`).execute();
}
