// Background work on a timer: decision polls past their closing time, time-driven notifications, e-mail delivery (with
// retries) and the daily digest. Immediate e-mails are also kicked as soon as a
// notification is written. Runs are serialised, so a slow SMTP server never
// makes two runs overlap.
import { DateTime } from "luxon";
import type { Db } from "../db";
import type { Config } from "./config";
import type { LocalEventBus } from "./domain/events";
import { runDueNotifications } from "./domain/notification-jobs";
import type { DocOps } from "./domain/revisions";
import { closeDuePolls } from "./domain/statements";
import { ZONE } from "./domain/time";
import { log } from "./log";
import { deliverImmediate, releaseClaims, sendDigests } from "./mail/delivery";
import type { Mailer } from "./mail";

export interface Jobs {
  /** One full run at `now`: due notifications, pending e-mails, the digest if it is time. */
  run(now?: Date): Promise<{ notified: number; mailed: number; digests: number }>;
  /** Send waiting immediate e-mails now. */
  flushMail(): Promise<number>;
  /** Send digests now regardless of the hour (and remember the day). */
  sendDigests(now?: Date): Promise<number>;
  close(): Promise<void>;
}

const DIGEST_KEY = "digest:last-day";

export function startJobs(opts: { db: Db; bus: LocalEventBus; docs: Pick<DocOps, "freeze">; mailer: Mailer; config: Config; baseUrl: () => string }): Jobs {
  const { db, bus, mailer, config } = opts;
  let chain: Promise<unknown> = releaseClaims(db).catch((err) => log.error("releasing mail claims failed", { err: String(err) }));
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const next = chain.then(fn);
    chain = next.catch(() => undefined);
    return next;
  };

  const digestsAt = async (now: Date, force: boolean) => {
    const local = DateTime.fromJSDate(now).setZone(ZONE);
    const day = local.toISODate()!;
    if (!force) {
      if (local.hour < config.digestHour) return 0;
      const last = await db.selectFrom("job_state").select("value").where("key", "=", DIGEST_KEY).executeTakeFirst();
      if (last && last.value >= day) return 0;
    }
    const sent = await sendDigests(db, mailer, opts.baseUrl(), now);
    await db
      .insertInto("job_state")
      .values({ key: DIGEST_KEY, value: day })
      .onConflict((oc) => oc.column("key").doUpdateSet({ value: day }))
      .execute();
    if (sent) log.info("digests sent", { sent, day });
    return sent;
  };

  const jobs: Jobs = {
    run: (now = new Date()) =>
      serial(async () => {
        await closeDuePolls({ db, events: bus }, opts.docs, now);
        const notified = (await runDueNotifications({ db, events: bus }, now)).length;
        const mailed = await deliverImmediate(db, mailer, opts.baseUrl(), now);
        const digests = await digestsAt(now, false);
        return { notified, mailed, digests };
      }),
    flushMail: () => serial(() => deliverImmediate(db, mailer, opts.baseUrl())),
    sendDigests: (now = new Date()) => serial(() => digestsAt(now, true)),
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
