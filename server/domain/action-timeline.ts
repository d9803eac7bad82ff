// An action's timeline (issue #17, traceability): where it came from (an action
// proposal or a meeting's action item turned into it), the plan years it was in
// (carried over by each revision, adopted with each plan), the agenda items and
// decisions that are about it, and every follow-up report, status change and
// indicator value, oldest first, each linked to its page. Each step passes the rule
// of the page it links to: the same functions those pages ask (meetingVisibility,
// minutesPublishedTo, statementPublishedTo, listRecordedDecisions).
import type { Db } from "../../db";
import type { MembershipFacts } from "./permissions";
import { listRecordedDecisions } from "./agenda";
import { listFollowups } from "./followups";
import { meetingVisibility } from "./meetings";
import { minutesPublishedTo, statementPublishedTo } from "./publication";

interface Step {
  /** When it happened (an ISO instant, or a date). */
  at: string;
  /** Where it leads, under /councils/<slug>/. */
  path: string;
}
export type TimelineStep = Step &
  (
    | { kind: "proposal"; title: string; proposalKind: string }
    | { kind: "action_item"; what: string; meeting: string }
    | { kind: "plan"; year: number; carried: boolean }
    | { kind: "adopted"; year: number }
    | { kind: "agenda"; title: string; meeting: string }
    | { kind: "decision"; title: string; meeting: string; paragraph: number; decision: string }
    | { kind: "followup"; year: number; by: string | null; source: "report" | "editor"; oldStatus: string | null; newStatus: string; oldProgress: number | null; newProgress: number; comment: string }
    | { kind: "value"; indicator: string; unit: string; value: number; date: string; comment: string; by: string | null }
  );

/**
 * The timeline of an action (by id, across the council's plan years), as `viewer`
 * may see it, oldest first; up to the end of `untilYear` (an earlier year's page
 * shows that year as it was, decision 019).
 */
export async function actionTimeline(db: Db, input: { councilId: string; actionId: string; viewer: MembershipFacts; userId: string; untilYear: number }): Promise<TimelineStep[]> {
  const { councilId, actionId, viewer } = input;
  const steps: TimelineStep[] = [];
  const visible = meetingVisibility(db, viewer, input.userId);

  // The plan years it is in, oldest first; carried when its plan was opened as a copy of one that had it.
  const years = await db
    .selectFrom("plan_actions as x")
    .innerJoin("plans as p", "p.id", "x.plan_id")
    .leftJoin("plan_revisions as r", "r.plan_id", "p.id")
    .select(["p.id", "p.year", "p.created_at", "p.copied_from", "r.adopted_at"])
    .where("p.council_id", "=", councilId)
    .where("x.id", "=", actionId)
    .where("p.year", "<=", input.untilYear)
    .orderBy("p.year")
    .execute();
  const planIds = new Set(years.map((y) => y.id));
  for (const y of years) {
    steps.push({ kind: "plan", year: y.year, carried: !!y.copied_from && planIds.has(y.copied_from), at: y.created_at, path: `plans/${y.year}/actions/${actionId}` });
    if (y.adopted_at) steps.push({ kind: "adopted", year: y.year, at: y.adopted_at, path: `plans/${y.year}` });
  }

  // Where it came from: a proposal adopted and turned into plan actions, a meeting's action item.
  const proposals = await db
    .selectFrom("proposal_actions as a")
    .innerJoin("statements as s", "s.id", "a.statement_id")
    .select(["s.id", "s.title", "s.kind", "s.status", "s.converted_at", "s.adopted_at", "s.created_at"])
    .where("s.council_id", "=", councilId)
    .where("a.plan_action_id", "=", actionId)
    .execute();
  for (const s of proposals) {
    if (!statementPublishedTo(viewer, s.status)) continue;
    steps.push({ kind: "proposal", title: s.title, proposalKind: s.kind, at: s.converted_at ?? s.adopted_at ?? s.created_at, path: `statements/${s.id}` });
  }
  const items = await db
    .selectFrom("action_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .leftJoin("minutes as n", "n.meeting_id", "m.id")
    .select(["i.what", "i.created_at", "m.id as meetingId", "m.title as meeting", "m.starts_at", "n.status as minutes"])
    .where("m.council_id", "=", councilId)
    .where("i.plan_action_id", "=", actionId)
    .execute();
  for (const i of items) {
    if (!(await visible(i.meetingId)) || !minutesPublishedTo(viewer, i.minutes ?? "draft")) continue;
    steps.push({ kind: "action_item", what: i.what, meeting: i.meeting, at: i.starts_at ?? i.created_at, path: `meetings/${i.meetingId}` });
  }

  // Meetings that dealt with it: its decisions (as the register shows them), and agenda items without a decision one may see.
  const decisions = (await listRecordedDecisions(db, councilId, viewer, { actionId })).filter((d) => d.planActionId === actionId);
  const decided = new Set(decisions.map((d) => d.id));
  for (const d of decisions) {
    if (!(await visible(d.meetingId))) continue;
    steps.push({ kind: "decision", title: d.title, meeting: d.meetingTitle, paragraph: d.paragraph, decision: d.decision, at: d.startsAt, path: `meetings/${d.meetingId}` });
  }
  const agenda = await db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["i.id", "i.title", "i.created_at", "m.id as meetingId", "m.title as meeting", "m.starts_at"])
    .where("m.council_id", "=", councilId)
    .where("i.plan_action_id", "=", actionId)
    .where("i.status", "=", "accepted")
    .execute();
  for (const a of agenda) {
    if (decided.has(a.id) || !(await visible(a.meetingId))) continue;
    steps.push({ kind: "agenda", title: a.title, meeting: a.meeting, at: a.starts_at ?? a.created_at, path: `meetings/${a.meetingId}` });
  }

  // Follow-up: every report and status change of every year, and values reported on their own.
  for (const y of years) {
    for (const f of await listFollowups(db, y.id, actionId)) {
      steps.push({ kind: "followup", year: y.year, by: f.by, source: f.source, oldStatus: f.oldStatus, newStatus: f.newStatus, oldProgress: f.oldProgress, newProgress: f.newProgress, comment: f.comment, at: f.reportedAt, path: `plans/${y.year}/actions/${actionId}` });
    }
  }
  const yearOf = new Map(years.map((y) => [y.id, y.year]));
  const values = await db
    .selectFrom("indicator_values as v")
    .leftJoin("users as u", "u.id", "v.reported_by")
    .select(["v.plan_id", "v.indicator_id", "v.measured_on", "v.value", "v.comment", "v.reported_at", "u.name as by"])
    .where("v.council_id", "=", councilId)
    .where("v.action_id", "=", actionId)
    .execute();
  const names = new Map(
    values.length
      ? (await db.selectFrom("plan_indicators").select(["id", "name", "unit"]).where("action_id", "=", actionId).where("plan_id", "in", [...planIds]).execute()).map((i) => [i.id, i])
      : [],
  );
  for (const v of values) {
    const year = yearOf.get(v.plan_id);
    if (year === undefined) continue;
    const i = names.get(v.indicator_id);
    steps.push({ kind: "value", indicator: i?.name ?? "", unit: i?.unit ?? "", value: Number(v.value), date: v.measured_on, comment: v.comment, by: v.by, at: v.reported_at, path: `plans/${year}/actions/${actionId}` });
  }

  const end = `${input.untilYear + 1}-01-01`;
  // Oldest first; at the same instant, in the order above (origin before the plan, a report before its values).
  return steps
    .filter((s) => s.at < end)
    .map((s, i) => ({ s, i })).sort((a, b) => (a.s.at < b.s.at ? -1 : a.s.at > b.s.at ? 1 : a.i - b.i)).map(({ s }) => s);
}
