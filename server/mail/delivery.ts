// Turning notifications into e-mails: one mail per notification for people who
// chose "at once", one daily digest for those who chose the digest. A row is
// claimed before it is sent, so two runs (or two nodes) never send it twice; a
// failed send is retried on the next run, up to MAX_ATTEMPTS.
//
// A claim is a lease (issue #14, docs/decisions/037): it names the node that took it
// and when. A node that crashed mid-send leaves its claims behind; they are given
// back (and so sent again: at least once) when that node starts again under the same
// NODE_ID, or by anyone once they are older than LEASE_MS. A live node's claim is
// never taken from it.
import { DateTime } from "luxon";
import type { Db } from "../../db";
import { KIND_LABEL, type TextLocale } from "../domain/notification-text";
import { renderNotification } from "../domain/notifications";
import { nowIso, ZONE } from "../domain/time";
import { log } from "../log";
import type { Mailer } from "./index";
import { meetingNotice } from "./meeting-notice";

export const MAX_ATTEMPTS = 5;

/**
 * How long a claim holds: longer than one send can take (one row, or one person's
 * digest, is claimed just before its mail goes out; nodemailer gives up on SMTP
 * after at most 2 min to connect, 30 s for the greeting and 10 min of silence), so a
 * claim this old belongs to a node that died. Leases run on the real clock, not on
 * the `now` a job run is given: they are about live processes, not business time.
 */
export const LEASE_MS = 15 * 60 * 1000;

/** The node claiming, for the lease. */
export interface Claimer {
  nodeId: string;
}

const leaseFor = (by: Claimer) => ({ claimed_by: by.nodeId, claimed_at: new Date().toISOString() });
const unclaimed = { claimed_by: null, claimed_at: null };

const FOOTER: Record<TextLocale, string> = {
  sv: "Du får det här e-postmeddelandet från Samsyn. Välj vad du får per e-post under Inställningar:",
  en: "You get this e-mail from Samsyn. Choose what you get by e-mail under Settings:",
};

const localeOf = (v: string): TextLocale => (v === "en" ? "en" : "sv");

/** Send every notification waiting for an immediate e-mail. Returns how many were sent. */
export async function deliverImmediate(db: Db, mailer: Mailer, baseUrl: string, by: Claimer, now = new Date()): Promise<number> {
  const rows = await db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .select(["n.id", "n.kind", "n.params_json", "n.link", "n.council_id", "n.created_at", "n.read_at", "n.email_attempts", "u.email", "u.name", "u.locale", "u.anonymised_at"])
    .where("n.email_state", "=", "pending")
    .orderBy("n.created_at")
    .limit(200)
    .execute();
  let sent = 0;
  for (const row of rows) {
    const claimed = await db
      .updateTable("notifications")
      .set({ email_state: "sending", ...leaseFor(by) })
      .where("id", "=", row.id)
      .where("email_state", "=", "pending")
      .executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) continue;
    if (!row.email || row.anonymised_at) {
      await db.updateTable("notifications").set({ email_state: "none", ...unclaimed }).where("id", "=", row.id).execute();
      continue;
    }
    const locale = localeOf(row.locale);
    const n = renderNotification(row, locale);
    try {
      // A meeting's notice (kallelse) carries the meeting itself and a calendar invitation.
      const notice = await meetingNotice(db, { kind: row.kind, link: row.link, email: row.email, name: row.name }, locale, baseUrl, mailer.from ?? "noreply@samsyn.invalid");
      await mailer.send(
        notice
          ? { to: row.email, ...notice }
          : { to: row.email, subject: `Samsyn: ${n.text}`, text: `${n.text}\n\n${baseUrl}${n.link}\n\n-- \n${FOOTER[locale]} ${baseUrl}/settings\n` },
      );
      await db.updateTable("notifications").set({ email_state: "sent", emailed_at: nowIso(now), ...unclaimed }).where("id", "=", row.id).execute();
      sent++;
    } catch (err) {
      const attempts = row.email_attempts + 1;
      log.warn("notification e-mail failed", { id: row.id, attempts, err: String(err) });
      await db
        .updateTable("notifications")
        .set({ email_state: attempts >= MAX_ATTEMPTS ? "failed" : "pending", email_attempts: attempts, ...unclaimed })
        .where("id", "=", row.id)
        .execute();
    }
  }
  return sent;
}

/**
 * Give back claims whose sender is gone, so they are sent again (at least once):
 * claims older than LEASE_MS from any node, claims made before leases existed (no
 * claimed_at), and, with `own`, every claim of this node: at start-up, this NODE_ID's
 * earlier claims belong to a process that no longer runs. Never a live node's claim.
 * Returns how many were given back.
 */
export async function releaseClaims(db: Db, by: Claimer & { own: boolean }): Promise<number> {
  const staleBefore = new Date(Date.now() - LEASE_MS).toISOString();
  const res = await db
    .updateTable("notifications")
    .set({ email_state: "pending", ...unclaimed })
    .where("email_state", "=", "sending")
    .where((eb) =>
      eb.or([
        eb("claimed_at", "is", null),
        eb("claimed_at", "<", staleBefore),
        ...(by.own ? [eb("claimed_by", "=", by.nodeId)] : []),
      ]),
    )
    .executeTakeFirst();
  return Number(res.numUpdatedRows);
}

const DIGEST_SUBJECT: Record<TextLocale, (date: string) => string> = {
  sv: (d) => `Samsyn: sammanfattning ${d}`,
  en: (d) => `Samsyn: daily digest ${d}`,
};
const DIGEST_INTRO: Record<TextLocale, (n: number) => string> = {
  sv: (n) => (n === 1 ? "1 nytt meddelande sedan förra sammanfattningen." : `${n} nya meddelanden sedan förra sammanfattningen.`),
  en: (n) => (n === 1 ? "1 new notification since the last digest." : `${n} new notifications since the last digest.`),
};

/**
 * One digest per person with notifications waiting for it: grouped by council,
 * newest first within each; nobody gets an empty one. Returns how many were sent.
 */
export async function sendDigests(db: Db, mailer: Mailer, baseUrl: string, by: Claimer, now = new Date()): Promise<number> {
  const rows = await db
    .selectFrom("notifications as n")
    .innerJoin("users as u", "u.id", "n.user_id")
    .leftJoin("councils as c", "c.id", "n.council_id")
    .select(["n.id", "n.user_id", "n.kind", "n.params_json", "n.link", "n.council_id", "n.created_at", "n.read_at", "u.email", "u.locale", "u.anonymised_at", "c.name as councilName"])
    .where("n.email_state", "=", "digest")
    .where("n.created_at", "<=", nowIso(now))
    .orderBy("n.user_id")
    .orderBy("n.created_at", "desc")
    .execute();
  const byUser = new Map<string, typeof rows>();
  for (const r of rows) byUser.set(r.user_id, [...(byUser.get(r.user_id) ?? []), r]);
  let sent = 0;
  for (const [, list] of byUser) {
    const ids = list.map((r) => r.id);
    const lease = leaseFor(by);
    const claimed = await db.updateTable("notifications").set({ email_state: "sending", ...lease }).where("id", "in", ids).where("email_state", "=", "digest").executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== ids.length) {
      // Someone else is sending part of it: give back what we took (only that: this
      // claim's lease, not theirs) and leave it to them.
      await db
        .updateTable("notifications")
        .set({ email_state: "digest", ...unclaimed })
        .where("id", "in", ids)
        .where("email_state", "=", "sending")
        .where("claimed_by", "=", lease.claimed_by)
        .where("claimed_at", "=", lease.claimed_at)
        .execute();
      continue;
    }
    const { email, locale: rawLocale, anonymised_at } = list[0];
    if (!email || anonymised_at) {
      await db.updateTable("notifications").set({ email_state: "none", ...unclaimed }).where("id", "in", ids).execute();
      continue;
    }
    const locale = localeOf(rawLocale);
    const date = DateTime.fromJSDate(now).setZone(ZONE).setLocale(locale === "sv" ? "sv-SE" : "en-GB").toLocaleString(DateTime.DATE_FULL);
    try {
      await mailer.send({ to: email, subject: DIGEST_SUBJECT[locale](date), text: digestText(list, locale, baseUrl) });
      await db.updateTable("notifications").set({ email_state: "sent", emailed_at: nowIso(now), ...unclaimed }).where("id", "in", ids).execute();
      sent++;
    } catch (err) {
      log.warn("digest e-mail failed", { err: String(err) });
      await db.updateTable("notifications").set({ email_state: "digest", ...unclaimed }).where("id", "in", ids).execute();
    }
  }
  return sent;
}

type DigestRow = Parameters<typeof renderNotification>[0] & { councilName: string | null };

function digestText(rows: DigestRow[], locale: TextLocale, baseUrl: string): string {
  // Councils in order of their newest notification; rows arrive newest first.
  const groups = new Map<string, DigestRow[]>();
  for (const r of rows) {
    const key = r.councilName ?? "Samsyn";
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const out = [DIGEST_INTRO[locale](rows.length), ""];
  for (const [council, list] of groups) {
    out.push(council, "=".repeat(council.length));
    for (const r of list) {
      const n = renderNotification(r, locale);
      const at = DateTime.fromISO(r.created_at, { zone: "utc" }).setZone(ZONE).toFormat("yyyy-MM-dd HH:mm");
      out.push(`- ${at} · ${KIND_LABEL[r.kind][locale]}: ${n.text}`, `  ${baseUrl}${n.link}`);
    }
    out.push("");
  }
  out.push("-- ", `${FOOTER[locale]} ${baseUrl}/settings`, "");
  return out.join("\n");
}
