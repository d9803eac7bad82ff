// Background work on a timer: decision polls past their closing time, time-driven notifications, e-mail delivery (with
// retries) and the daily digest. Immediate e-mails are also kicked as soon as a
// notification is written. Runs are serialised, so a slow SMTP server never
// makes two runs overlap.
//
// Several nodes on one PostgreSQL database (issue #14, docs/decisions/037): a timed
// run happens on one node at a time, under an advisory lock taken per run; a node
// that finds it held skips that run (another node is doing the work). Every step
// is also safe on its own when run twice: notifications have dedupe keys, e-mails
// are claimed under leases, the digest claims its day before it sends. Immediate
// e-mails (flushMail) go out from the node that wrote the notification, relying on
// the claims alone.
import { DateTime } from "luxon";
import type { Db } from "../db";
import { LOCK, tryWithLock } from "../db/locks";
import { defaultNodeId, type Config } from "./config";
import type { LocalEventBus } from "./domain/events";
import { runDueNotifications } from "./domain/notification-jobs";
import type { DocOps } from "./domain/revisions";
import { closeDuePolls } from "./domain/statements";
import { ZONE } from "./domain/time";
import { log } from "./log";
import { deliverImmediate, releaseClaims, sendDigests } from "./mail/delivery";
import type { Mailer } from "./mail";

export interface Jobs {
  /**
   * One full run at `now`: due notifications, pending e-mails, the digest if it is
   * time. With PostgreSQL, only if no other node is running one (else all zeros).
   */
  run(now?: Date): Promise<{ notified: number; mailed: number; digests: number }>;
  /** Send waiting immediate e-mails now. */
  flushMail(): Promise<number>;
  /** Send digests now regardless of the hour (and remember the day). */
  sendDigests(now?: Date): Promise<number>;
  close(): Promise<void>;
}

const DIGEST_KEY = "digest:last-day";
const NOTHING = { notified: 0, mailed: 0, digests: 0 };

/**
 * Claim `day`'s digest for this node: true if it is ours to send (the day was not
 * yet recorded as sent, or `force`). One atomic statement on both engines, taken
 * BEFORE sending, so two nodes (or a run racing a restart) never both send a day's
 * digest; a node that dies mid-send leaves the rest for the next day's digest.
 */
export async function claimDigestDay(db: Db, day: string, force = false): Promise<boolean> {
  const row = await db
    .insertInto("job_state")
    .values({ key: DIGEST_KEY, value: day })
    .onConflict((oc) => {
      const update = oc.column("key").doUpdateSet({ value: day });
      return force ? update : update.where("job_state.value", "<", day);
    })
    .returning("key")
    .executeTakeFirst();
  return row !== undefined;
}

export function startJobs(opts: { db: Db; bus: LocalEventBus; docs: Pick<DocOps, "freeze">; mailer: Mailer; config: Config; baseUrl: () => string }): Jobs {
  const { db, bus, mailer, config } = opts;
  const me = { nodeId: config.nodeId ?? defaultNodeId() };
  // This node's claims from before it (re)started are dead, and so are stale ones.
  let chain: Promise<unknown> = releaseClaims(db, { ...me, own: true }).catch((err) => log.error("releasing mail claims failed", { err: String(err) }));
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const digestsAt = async (now: Date, force: boolean) => {
    const local = DateTime.fromJSDate(now).setZone(ZONE);
    const day = local.toISODate()!;
    if (!force && local.hour < config.digestHour) return 0;
    if (!(await claimDigestDay(db, day, force))) return 0;
    const sent = await sendDigests(db, mailer, opts.baseUrl(), me, now);
    if (sent) log.info("digests sent", { sent, day });
    return sent;
  };

  /** One node at a time across the installation; SQLite: just this one. */
  const asLeader = async <T>(fn: () => Promise<T>, otherwise: T): Promise<T> => {
    const res = await tryWithLock(db, LOCK.jobs, fn);
    return res.ran ? res.value : otherwise;
  };

  const jobs: Jobs = {
    run: (now = new Date()) =>
      serial(() =>
        asLeader(async () => {
          // Claims of a node that died while sending: sent again from here.
          await releaseClaims(db, { ...me, own: false });
          await closeDuePolls({ db, events: bus }, opts.docs, now);
          const notified = (await runDueNotifications({ db, events: bus }, now)).length;
          const mailed = await deliverImmediate(db, mailer, opts.baseUrl(), me, now);
          const digests = await digestsAt(now, false);
          return { notified, mailed, digests };
        }, NOTHING),
      ),
    flushMail: () => serial(() => deliverImmediate(db, mailer, opts.baseUrl(), me)),
    sendDigests: (now = new Date()) => serial(() => asLeader(() => digestsAt(now, true), 0)),
    async close() {
      clearInterval(timer);
      unsubscribe();
      await chain;
      mailer.close();
    },
  };

  // A new notification may want an e-mail at once.
  const unsubscribe = bus.subscribe((event, origin) => {
    // The node that wrote the notifications sends them (claims keep it once anyway).
    if (event.type === "notifications.created" && origin === "here") void jobs.flushMail().catch((err) => log.error("mail delivery failed", { err: String(err) }));
  });
  const timer = config.jobsIntervalMs > 0
    ? setInterval(() => void jobs.run().catch((err) => log.error("background jobs failed", { err: String(err) })), config.jobsIntervalMs)
    : undefined;
  timer?.unref();
  log.info("background jobs ready", { mail: mailer.target, everyMs: config.jobsIntervalMs });
  return jobs;
}
