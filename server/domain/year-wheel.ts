// The council's year at a glance (årshjul, issue #17): what happens when, read from
// what exists — the council's and its working groups' meetings, the follow-up rounds
// (reports are asked for a week before each convened council meeting: FOLLOWUP_LEAD_MS,
// the same rule the reminders use), the plan's action due dates, and the plan's
// adoption and the opening of next year's revision. Each entry links to its page and
// passes that page's rule (meetingVisibleTo; plan:view).
import { DateTime } from "luxon";
import type { Db } from "../../db";
import { FOLLOWUP_LEAD_MS } from "./followups";
import { meetingRights } from "./groups";
import { meetingVisibleTo } from "./meetings";
import { can, isActive, type MembershipFacts } from "./permissions";
import { recordAudit } from "./audit";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { nowIso, ZONE } from "./time";

export const YEAR_ENTRY_KINDS = ["meeting", "groupMeeting", "cancelled", "followup", "actionDue", "yearEvent", "adopted", "revision"] as const;
export type YearEntryKind = (typeof YEAR_ENTRY_KINDS)[number];

export interface YearEntry {
  /** Stockholm calendar date, YYYY-MM-DD. */
  date: string;
  kind: YearEntryKind;
  title: string;
  /** Under /councils/<slug>/. */
  path: string;
  /** A meeting's working group, if any. */
  group: string | null;
}

const day = (iso: string) => DateTime.fromISO(iso, { zone: "utc" }).setZone(ZONE).toISODate()!;

export async function councilYear(db: Db, input: { councilId: string; year: number; membership: MembershipFacts; userId: string }): Promise<YearEntry[]> {
  const { councilId, year, membership } = input;
  const from = DateTime.fromObject({ year, month: 1, day: 1 }, { zone: ZONE }).toUTC().toISO()!;
  const to = DateTime.fromObject({ year: year + 1, month: 1, day: 1 }, { zone: ZONE }).toUTC().toISO()!;
  // Reports are asked for a week before a meeting: a meeting early in January asks in December.
  const toWithLead = new Date(Date.parse(to) + FOLLOWUP_LEAD_MS).toISOString();
  const entries: YearEntry[] = [];

  const meetings = await db
    .selectFrom("meetings as m")
    .leftJoin("working_groups as g", "g.id", "m.group_id")
    .select(["m.id", "m.title", "m.starts_at", "m.status", "m.group_id", "g.name as groupName"])
    .where("m.council_id", "=", councilId)
    .where("m.starts_at", ">=", from)
    .where("m.starts_at", "<", toWithLead)
    .orderBy("m.starts_at")
    .execute();
  for (const m of meetings) {
    if (!m.starts_at) continue;
    if (!(await meetingVisibleTo(db, m, await meetingRights(db, membership, m, input.userId)))) continue;
    const date = day(m.starts_at);
    if (m.starts_at < to) {
      const kind: YearEntryKind = m.status === "cancelled" ? "cancelled" : m.group_id ? "groupMeeting" : "meeting";
      entries.push({ date, kind, title: m.title, path: `meetings/${m.id}`, group: m.groupName ?? null });
    }
    if (m.status === "convened" && !m.group_id) {
      const due = day(new Date(Date.parse(m.starts_at) - FOLLOWUP_LEAD_MS).toISOString());
      if (due.startsWith(String(year))) entries.push({ date: due, kind: "followup", title: m.title, path: `plans/${year}/dashboard`, group: null });
    }
  }

  if (can(membership, "plan:view")) {
    const plan = await db.selectFrom("plans").select(["id", "year", "status"]).where("council_id", "=", councilId).where("year", "=", year).executeTakeFirst();
    if (plan) {
      const actions = await db
        .selectFrom("plan_actions")
        .select(["id", "title", "due_date"])
        .where("plan_id", "=", plan.id)
        .where("due_date", ">=", `${year}-01-01`)
        .where("due_date", "<=", `${year}-12-31`)
        .execute();
      for (const a of actions) entries.push({ date: a.due_date!, kind: "actionDue", title: a.title, path: `plans/${year}/actions/${a.id}`, group: null });
    }
    // Adoptions that fell in this year (a plan is usually adopted the year before it runs).
    const adopted = await db
      .selectFrom("plan_revisions as r")
      .innerJoin("plans as p", "p.id", "r.plan_id")
      .select(["p.year", "r.adopted_at"])
      .where("p.council_id", "=", councilId)
      .where("r.adopted_at", ">=", from)
      .where("r.adopted_at", "<", to)
      .execute();
    for (const r of adopted) entries.push({ date: day(r.adopted_at), kind: "adopted", title: String(r.year), path: `plans/${r.year}`, group: null });
    // Next year's plan opened as a copy: the revision starts.
    const opened = await db
      .selectFrom("plans")
      .select(["year", "created_at"])
      .where("council_id", "=", councilId)
      .where("copied_from", "is not", null)
      .where("created_at", ">=", from)
      .where("created_at", "<", to)
      .execute();
    for (const p of opened) entries.push({ date: day(p.created_at), kind: "revision", title: String(p.year), path: `plans/${p.year}`, group: null });
  }

  // The council's own yearly events, on this year's date (31 April falls on 30 April).
  for (const e of await listYearEvents(db, councilId)) {
    entries.push({ date: eventDate(year, e.month, e.day), kind: "yearEvent", title: e.title, path: `year/${year}#year-events-h`, group: null });
  }

  const order = (k: YearEntryKind) => YEAR_ENTRY_KINDS.indexOf(k);
  return entries.sort((a, b) => a.date.localeCompare(b.date) || order(a.kind) - order(b.kind) || a.title.localeCompare(b.title, "sv"));
}

// ---- the council's own yearly events ----

export interface YearEventView {
  id: string;
  title: string;
  month: number;
  day: number;
}

/** The date of a yearly event in `year`; a day past the month's end falls on its last day. */
export function eventDate(year: number, month: number, day: number): string {
  const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${year}-${String(month).padStart(2, "0")}-${String(Math.min(day, last)).padStart(2, "0")}`;
}

export function listYearEvents(db: Db, councilId: string): Promise<YearEventView[]> {
  return db.selectFrom("year_events").select(["id", "title", "month", "day"]).where("council_id", "=", councilId).orderBy("month").orderBy("day").orderBy("title").execute();
}

/** Add (no id) or change a yearly event; audited. */
export async function saveYearEvent(db: Db, input: { councilId: string; actorId: string; id?: string; title: string; month: number; day: number }, now = new Date()): Promise<string> {
  return db.transaction().execute(async (trx) => {
    let id = input.id;
    if (id) {
      const before = await trx.selectFrom("year_events").select(["title", "month", "day"]).where("id", "=", id).where("council_id", "=", input.councilId).executeTakeFirst();
      if (!before) throw new DomainError("year.error.notFound", 404);
      await trx.updateTable("year_events").set({ title: input.title, month: input.month, day: input.day, updated_at: nowIso(now) }).where("id", "=", id).execute();
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "year_event.changed", subject: id, before, after: { title: input.title, month: input.month, day: input.day } }, now);
    } else {
      id = newId();
      await trx.insertInto("year_events").values({ id, council_id: input.councilId, title: input.title, month: input.month, day: input.day, created_at: nowIso(now), updated_at: nowIso(now) }).execute();
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "year_event.created", subject: id, after: { title: input.title, month: input.month, day: input.day } }, now);
    }
    return id;
  });
}

export async function deleteYearEvent(db: Db, input: { councilId: string; actorId: string; id: string }, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("year_events").select(["title", "month", "day"]).where("id", "=", input.id).where("council_id", "=", input.councilId).executeTakeFirst();
    if (!before) throw new DomainError("year.error.notFound", 404);
    await trx.deleteFrom("year_events").where("id", "=", input.id).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "year_event.deleted", subject: input.id, before }, now);
  });
}

// ---- the wheel's dates in a person's calendar feed ----

/** Whether the person chose to have the wheel's dates in their feed. */
export async function calendarYearEvents(db: Db, userId: string): Promise<boolean> {
  return (await db.selectFrom("users").select("calendar_year_events").where("id", "=", userId).executeTakeFirst())?.calendar_year_events === 1;
}

export async function setCalendarYearEvents(db: Db, userId: string, on: boolean): Promise<void> {
  await db.updateTable("users").set({ calendar_year_events: on ? 1 : 0 }).where("id", "=", userId).execute();
}

/**
 * The wheel's dates other than meetings (those are in the feed already) of every
 * council where the person is active, this year and next, each as its page shows it
 * to them.
 */
export async function yearDaysForUser(db: Db, userId: string, today: string): Promise<(YearEntry & { council: { slug: string; name: string } })[]> {
  const memberships = await db
    .selectFrom("memberships as m")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .select(["m.role", "m.valid_from", "m.valid_to", "c.id as councilId", "c.slug", "c.name"])
    .where("m.user_id", "=", userId)
    .execute();
  const year = Number(today.slice(0, 4));
  const out: (YearEntry & { council: { slug: string; name: string } })[] = [];
  for (const m of memberships) {
    if (!isActive(m, today)) continue;
    for (const y of [year, year + 1]) {
      for (const e of await councilYear(db, { councilId: m.councilId, year: y, membership: m, userId })) {
        if (e.kind === "meeting" || e.kind === "groupMeeting" || e.kind === "cancelled") continue;
        out.push({ ...e, council: { slug: m.slug, name: m.name } });
      }
    }
  }
  return out;
}
