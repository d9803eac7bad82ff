// The home page's "Att göra": what is waiting for one person across their
// councils, each item one link from its task (issue #13, STYLE.md "The screen").
// Every item asks the same permission functions the pages ask (can, canOnMeeting,
// meetingAsks, eligibleApprovers, the follow-up rule in followups.ts), so the
// list never offers a task the page would refuse. It runs on every home page
// view: a fixed handful of queries for all councils together, plus one per open
// follow-up round and one per pending minutes approval (both rare).
import type { Db } from "../../db";
import type { GroupRole, MeetingStatus } from "../../db/schema";
import { actionsAwaitingReport, followupRounds, overdueActionsQuery } from "./followups";
import { eligibleApprovers } from "./minutes";
import { can, canOnMeeting, isActive, meetingAsks } from "./permissions";
import { nowIso, stockholmToday } from "./time";

export const TODO_KINDS = ["poll", "rsvp", "minutes", "followup", "vote", "proposals"] as const;
export type TodoKind = (typeof TODO_KINDS)[number];

export interface TodoItem {
  kind: TodoKind;
  councilSlug: string;
  councilName: string;
  title: string;
  /** The instant or date the task is about: a poll's deadline, a meeting's start, an action's due date. */
  at: string | null;
  /** Follow-up: past its due date (rather than asked before the next meeting). */
  overdue?: boolean;
  /** Proposals: how many wait for a decision. */
  count?: number;
  link: string;
}

export interface UpcomingMeeting {
  id: string;
  title: string;
  startsAt: string;
  endsAt: string;
  status: MeetingStatus;
  councilSlug: string;
  councilName: string;
  link: string;
}

export interface Todo {
  groups: { kind: TodoKind; items: TodoItem[] }[];
  total: number;
  upcoming: UpcomingMeeting[];
}

const UPCOMING_LIMIT = 5;

export async function todoFor(db: Db, userId: string, now = new Date()): Promise<Todo> {
  const today = stockholmToday(now);
  const nowS = nowIso(now);
  const memberships = await db
    .selectFrom("memberships as m")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .select(["m.council_id", "m.role", "m.valid_from", "m.valid_to", "c.slug", "c.name"])
    .where("m.user_id", "=", userId)
    .execute();
  // An adjunct outside their period has nothing in that council.
  const active = new Map(memberships.filter((m) => isActive(m, today)).map((m) => [m.council_id, m]));
  const councilIds = [...active.keys()];
  const items: TodoItem[] = [];
  const upcoming: UpcomingMeeting[] = [];
  if (!councilIds.length) return { groups: [], total: 0, upcoming };
  const council = (id: string) => active.get(id)!;
  const base = (id: string) => `/councils/${council(id).slug}`;
  const may = (id: string, action: Parameters<typeof can>[1]) => can(council(id), action, today);
  const groupRoles = new Map(
    (
      await db
        .selectFrom("working_group_members as gm")
        .innerJoin("working_groups as g", "g.id", "gm.group_id")
        .select(["gm.group_id", "gm.role"])
        .where("gm.user_id", "=", userId)
        .where("g.council_id", "in", councilIds)
        .execute()
    ).map((r) => [r.group_id, r.role as GroupRole]),
  );
  const roleIn = (groupId: string | null) => (groupId ? groupRoles.get(groupId) ?? null : null);
  const push = (councilId: string, item: Omit<TodoItem, "councilSlug" | "councilName">) =>
    items.push({ ...item, councilSlug: council(councilId).slug, councilName: council(councilId).name });

  // Time polls still open that ask this person and that they have not answered in full (as getPoll counts).
  const polls = await db
    .selectFrom("polls as p")
    .innerJoin("meetings as m", "m.id", "p.meeting_id")
    .select(["m.id", "m.council_id", "m.group_id", "m.title", "p.deadline"])
    .select((eb) => [
      eb.selectFrom("poll_slots as s").select(eb.fn.countAll<number>().as("n")).whereRef("s.poll_id", "=", "p.id").as("slots"),
      eb
        .selectFrom("poll_answers as a")
        .innerJoin("poll_slots as s", "s.id", "a.slot_id")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("s.poll_id", "=", "p.id")
        .where("a.user_id", "=", userId)
        .as("answered"),
    ])
    .where("m.council_id", "in", councilIds)
    .where("m.status", "=", "draft")
    .where("p.status", "=", "open")
    .where("p.deadline", ">", nowS)
    .orderBy("p.deadline")
    .execute();
  for (const p of polls) {
    if (Number(p.answered) >= Number(p.slots)) continue;
    if (!meetingAsks(council(p.council_id), p, roleIn(p.group_id), today)) continue;
    push(p.council_id, { kind: "poll", title: p.title, at: p.deadline, link: `${base(p.council_id)}/meetings/${p.id}#poll-h` });
  }

  // Meetings still ahead: the upcoming list, RSVPs not given, agenda proposals waiting for a leader.
  const meetings = await db
    .selectFrom("meetings as m")
    .leftJoin("meeting_rsvps as r", (j) => j.onRef("r.meeting_id", "=", "m.id").on("r.user_id", "=", userId))
    .select(["m.id", "m.council_id", "m.group_id", "m.title", "m.starts_at", "m.ends_at", "m.status", "r.response"])
    .select((eb) =>
      eb
        .selectFrom("agenda_items as ai")
        .select(eb.fn.countAll<number>().as("n"))
        .whereRef("ai.meeting_id", "=", "m.id")
        .where("ai.status", "=", "proposed")
        .as("proposed"),
    )
    .where("m.council_id", "in", councilIds)
    // A draft whose time a poll is to decide has none yet, and is still ahead.
    .where((eb) => eb.or([eb("m.ends_at", ">=", nowS), eb("m.ends_at", "is", null)]))
    .orderBy("m.starts_at")
    .execute();
  for (const m of meetings) {
    const membership = council(m.council_id);
    const groupRole = roleIn(m.group_id);
    if (m.status !== "draft" && m.starts_at && m.ends_at && upcoming.length < UPCOMING_LIMIT && canOnMeeting(membership, "meeting:view", m, groupRole, today)) {
      upcoming.push({
        id: m.id,
        title: m.title,
        startsAt: m.starts_at,
        endsAt: m.ends_at,
        status: m.status,
        councilSlug: membership.slug,
        councilName: membership.name,
        link: `${base(m.council_id)}/meetings/${m.id}`,
      });
    }
    if (m.status === "convened" && m.starts_at && m.starts_at > nowS && !m.response && meetingAsks(membership, m, groupRole, today)) {
      push(m.council_id, { kind: "rsvp", title: m.title, at: m.starts_at, link: `${base(m.council_id)}/meetings/${m.id}#rsvp-h` });
    }
    if (m.status !== "cancelled" && Number(m.proposed) > 0 && canOnMeeting(membership, "meeting:manage", m, groupRole, today)) {
      push(m.council_id, { kind: "proposals", title: m.title, at: m.starts_at, count: Number(m.proposed), link: `${base(m.council_id)}/meetings/${m.id}#agenda-h` });
    }
  }

  // Closed minutes waiting for this person's approval, if they may still approve (as decideMinutes checks).
  const approvals = await db
    .selectFrom("minutes_approvers as ap")
    .innerJoin("minutes as mi", "mi.meeting_id", "ap.meeting_id")
    .innerJoin("meetings as m", "m.id", "ap.meeting_id")
    .select(["m.id", "m.council_id", "m.group_id", "m.title", "m.starts_at", "mi.closed_at"])
    .where("ap.user_id", "=", userId)
    .where("ap.status", "=", "pending")
    .where("mi.status", "=", "closed")
    .where("m.council_id", "in", councilIds)
    .orderBy("mi.closed_at")
    .execute();
  for (const a of approvals) {
    if (!(await eligibleApprovers(db, a, today)).has(userId)) continue;
    push(a.council_id, { kind: "minutes", title: a.title, at: a.starts_at, link: `${base(a.council_id)}/meetings/${a.id}/minutes#just-h` });
  }

  // Follow-up reports: the person's actions past their due date, and those a round before the next meeting asks about.
  const reporting = councilIds.filter((id) => may(id, "followup:report"));
  const followups = new Map<string, TodoItem & { councilId: string }>();
  const addFollowup = (councilId: string, year: number, a: { id: string; title: string; due_date: string | null }, overdue: boolean) => {
    const key = `${councilId}:${a.id}`;
    const seen = followups.get(key);
    if (seen) {
      seen.overdue ||= overdue;
      return;
    }
    followups.set(key, {
      councilId,
      kind: "followup",
      councilSlug: council(councilId).slug,
      councilName: council(councilId).name,
      title: a.title,
      at: a.due_date,
      overdue,
      link: `${base(councilId)}/plans/${year}/actions/${a.id}#report-h`,
    });
  };
  if (reporting.length) {
    for (const a of await overdueActionsQuery(db, today, { councilIds: reporting, responsibleUserId: userId }).orderBy("a.due_date").execute()) {
      addFollowup(a.council_id, a.year, a, true);
    }
    for (const round of await followupRounds(db, now, reporting)) {
      for (const a of await actionsAwaitingReport(db, round, userId)) addFollowup(round.councilId, round.plan.year, a, false);
    }
  }
  for (const { councilId: _c, ...f } of followups.values()) items.push(f);

  // Decision polls open for a vote this person has not cast.
  const voting = councilIds.filter((id) => may(id, "statement:vote"));
  if (voting.length) {
    const votes = await db
      .selectFrom("decision_polls as p")
      .innerJoin("statements as s", "s.id", "p.statement_id")
      .leftJoin("decision_votes as v", (j) => j.onRef("v.poll_id", "=", "p.id").on("v.user_id", "=", userId))
      .select(["s.id", "s.council_id", "s.title", "p.closes_at"])
      .where("s.council_id", "in", voting)
      .where("s.status", "=", "deciding")
      .where("p.status", "=", "open")
      .where("p.closes_at", ">", nowS)
      .where("v.user_id", "is", null)
      .orderBy("p.closes_at")
      .execute();
    for (const v of votes) push(v.council_id, { kind: "vote", title: v.title, at: v.closes_at, link: `${base(v.council_id)}/statements/${v.id}#poll-h` });
  }

  const groups = TODO_KINDS.map((kind) => ({ kind, items: items.filter((i) => i.kind === kind) })).filter((g) => g.items.length);
  return { groups, total: items.length, upcoming };
}
