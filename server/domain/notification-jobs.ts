// Time-driven notifications: a time poll about to close (to those who have not
// answered), actions past their due date, and follow-up due before the next
// meeting. Run by server/jobs.ts on a timer; each is sent once per dedupe key,
// so running often (or on two nodes) never repeats one.
import type { Db } from "../../db";
import type { Deps } from "./deps";
import { councilAudience, notify, withRight } from "./notifications";
import { actionsAwaitingReport, FOLLOWUP_LEAD_MS, followupRounds, overdueActionsQuery } from "./followups";
import { meetingAudience } from "./groups";
import { getPoll } from "./polls";
import { addMs, nowIso, stockholmToday } from "./time";

const DAY_MS = 24 * 3600 * 1000;
/** A poll "closes soon" within this window before its deadline. */
export const POLL_REMINDER_MS = DAY_MS;
export { FOLLOWUP_LEAD_MS };
/** Invitees who have not answered are reminded this long before a convened meeting. */
export const RSVP_REMINDER_MS = 3 * DAY_MS;
/** Approvers (justerare) who have not approved are reminded this long after the minutes were closed. */
export const APPROVAL_REMINDER_MS = 3 * DAY_MS;

export async function runDueNotifications({ db, events }: Deps, now = new Date()): Promise<string[]> {
  const notified = new Set<string>();
  const add = (ids: string[]) => ids.forEach((id) => notified.add(id));
  add(await pollDeadlines(db, now));
  add(await decisionDeadlines(db, now));
  add(await overdueActions(db, now));
  add(await followupDue(db, now));
  add(await rsvpReminders(db, now));
  add(await approvalReminders(db, now));
  if (notified.size) events.publish({ type: "notifications.created", userIds: [...notified] });
  return [...notified];
}

/**
 * A convened meeting starting within RSVP_REMINDER_MS: everyone invited who may
 * answer and has not, once per meeting and time (a moved meeting reminds again).
 */
async function rsvpReminders(db: Db, now: Date): Promise<string[]> {
  const meetings = await db
    .selectFrom("meetings as m")
    .leftJoin("working_groups as g", "g.id", "m.group_id")
    .select(["m.id", "m.council_id", "m.group_id", "m.title", "m.starts_at", "g.name as group"])
    .where("m.status", "=", "convened")
    .where("m.starts_at", ">", nowIso(now))
    .where("m.starts_at", "<=", addMs(nowIso(now), RSVP_REMINDER_MS))
    .execute();
  const out: string[] = [];
  for (const m of meetings) {
    const invited = await meetingAudience(db, { council_id: m.council_id, group_id: m.group_id }, "meeting:respond", { today: stockholmToday(now) });
    const answered = new Set((await db.selectFrom("meeting_rsvps").select("user_id").where("meeting_id", "=", m.id).execute()).map((r) => r.user_id));
    const recipients = invited.filter((id) => !answered.has(id));
    out.push(
      ...(await db.transaction().execute((trx) =>
        notify(trx, {
          kind: "rsvp_reminder",
          councilId: m.council_id,
          recipients,
          params: { title: m.title, startsAt: m.starts_at, ...(m.group ? { group: m.group } : {}) },
          path: `meetings/${m.id}`,
          dedupeKey: `rsvp-reminder:${m.id}:${m.starts_at}`,
        }, now),
      )),
    );
  }
  return out;
}

/**
 * Minutes closed for approval at least APPROVAL_REMINDER_MS ago and not yet approved:
 * each approver still pending is reminded, once per closing (minutes reopened and
 * closed again remind again).
 */
async function approvalReminders(db: Db, now: Date): Promise<string[]> {
  const waiting = await db
    .selectFrom("minutes as n")
    .innerJoin("meetings as m", "m.id", "n.meeting_id")
    .leftJoin("working_groups as g", "g.id", "m.group_id")
    .select(["m.id", "m.council_id", "m.title", "n.closed_at", "g.name as group"])
    .where("n.status", "=", "closed")
    .where("n.closed_at", "<=", addMs(nowIso(now), -APPROVAL_REMINDER_MS))
    .execute();
  const out: string[] = [];
  for (const w of waiting) {
    const pending = await db.selectFrom("minutes_approvers").select("user_id").where("meeting_id", "=", w.id).where("status", "=", "pending").execute();
    out.push(
      ...(await db.transaction().execute((trx) =>
        notify(trx, {
          kind: "approval_reminder",
          councilId: w.council_id,
          recipients: pending.map((p) => p.user_id),
          params: { title: w.title, ...(w.group ? { group: w.group } : {}) },
          path: `meetings/${w.id}/minutes`,
          dedupeKey: `approval-reminder:${w.id}:${w.closed_at}`,
        }, now),
      )),
    );
  }
  return out;
}

async function pollDeadlines(db: Db, now: Date): Promise<string[]> {
  const polls = await db
    .selectFrom("polls as p")
    .innerJoin("meetings as m", "m.id", "p.meeting_id")
    .leftJoin("working_groups as g", "g.id", "m.group_id")
    .select(["p.id", "p.deadline", "m.id as meetingId", "m.council_id", "m.title", "g.name as group"])
    .where("p.status", "=", "open")
    .where("m.status", "=", "draft")
    .where("p.deadline", ">", nowIso(now))
    .where("p.deadline", "<=", addMs(nowIso(now), POLL_REMINDER_MS))
    .execute();
  const out: string[] = [];
  for (const p of polls) {
    const view = await getPoll(db, p.meetingId, p.council_id, stockholmToday(now));
    if (!view) continue;
    const recipients = await withRight(db, p.council_id, view.notAnswered.map((n) => n.userId), "meeting:respond", stockholmToday(now));
    out.push(
      ...(await db.transaction().execute((trx) =>
        notify(trx, {
          kind: "poll_deadline",
          councilId: p.council_id,
          recipients,
          params: { title: p.title, deadline: p.deadline, ...(p.group ? { group: p.group } : {}) },
          path: `meetings/${p.meetingId}`,
          dedupeKey: `poll-deadline:${p.id}`,
        }, now),
      )),
    );
  }
  return out;
}

/** A decision poll on a statement closing within a day: those who may vote and have not, once. */
async function decisionDeadlines(db: Db, now: Date): Promise<string[]> {
  const polls = await db
    .selectFrom("decision_polls as p")
    .innerJoin("statements as s", "s.id", "p.statement_id")
    .select(["p.id", "p.closes_at", "s.id as statementId", "s.council_id", "s.title"])
    .where("p.status", "=", "open")
    .where("p.closes_at", ">", nowIso(now))
    .where("p.closes_at", "<=", addMs(nowIso(now), POLL_REMINDER_MS))
    .execute();
  const out: string[] = [];
  for (const p of polls) {
    const voted = new Set((await db.selectFrom("decision_votes").select("user_id").where("poll_id", "=", p.id).execute()).map((v) => v.user_id));
    const voters = await councilAudience(db, p.council_id, "statement:vote", { today: stockholmToday(now) });
    const recipients = voters.filter((id) => !voted.has(id));
    out.push(
      ...(await db.transaction().execute((trx) =>
        notify(trx, {
          kind: "decision_deadline",
          councilId: p.council_id,
          recipients,
          params: { title: p.title, closesAt: p.closes_at },
          path: `statements/${p.statementId}`,
          dedupeKey: `decision-deadline:${p.id}`,
        }, now),
      )),
    );
  }
  return out;
}

async function overdueActions(db: Db, now: Date): Promise<string[]> {
  const today = stockholmToday(now);
  const rows = await overdueActionsQuery(db, today).execute();
  const out: string[] = [];
  for (const a of rows) {
    const recipients = await withRight(db, a.council_id, [a.responsible_user_id!], "plan:view", today);
    out.push(
      ...(await db.transaction().execute((trx) =>
        notify(trx, {
          kind: "action_overdue",
          councilId: a.council_id,
          recipients,
          params: { action: a.title, due: a.due_date, year: a.year },
          path: `plans/${a.year}/actions/${a.id}`,
          dedupeKey: `overdue:${a.planId}:${a.id}:${a.due_date}`,
        }, now),
      )),
    );
  }
  return out;
}

/**
 * A week before a meeting, each person responsible for open actions of the
 * council's plan that have had no report since the previous meeting is asked,
 * once per meeting, to report (the rule: followupRounds, actionsAwaitingReport).
 */
async function followupDue(db: Db, now: Date): Promise<string[]> {
  const today = stockholmToday(now);
  const out: string[] = [];
  for (const round of await followupRounds(db, now)) {
    const m = round.meeting;
    const open = await actionsAwaitingReport(db, round);
    const counts = new Map<string, number>();
    for (const a of open) counts.set(a.responsible_user_id!, (counts.get(a.responsible_user_id!) ?? 0) + 1);
    const allowed = await withRight(db, round.councilId, counts.keys(), "followup:report", today);
    for (const userId of allowed) {
      out.push(
        ...(await db.transaction().execute((trx) =>
          notify(trx, {
            kind: "followup_due",
            councilId: round.councilId,
            recipients: [userId],
            params: { title: m.title, startsAt: m.starts_at, count: counts.get(userId)!, year: round.plan.year },
            path: `plans/${round.plan.year}/dashboard`,
            dedupeKey: `followup-due:${m.id}`,
          }, now),
        )),
      );
    }
  }
  return out;
}
