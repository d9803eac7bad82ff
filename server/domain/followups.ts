// Follow-up (uppföljning): dated status and progress reports on plan actions,
// kept as history. The action's current status lives in the plan document; every
// change to it — from the report form or from the live editor — lands here too
// (docs/decisions/008-followup-history.md).
import type { NotNull } from "kysely";
import type { Db } from "../../db";
import { preparedQuery } from "../../db/prepared";
import type { Membership } from "../../db/schema";
import { csvLine } from "./csv";
import { newId } from "./ids";
import { can } from "./permissions";
import { recordActivity } from "./activity";
import { insertIndicatorValues, planIndicators, suggestedStatus, type IndicatorStanding, type IndicatorWithValues, type NewIndicatorValue } from "./indicators";
import type { Deps, DocOps } from "./deps";
import { DomainError } from "./errors";
import { ACTION_STATUSES, setActionStates, type ActionStatus } from "./plan-doc";
import { planDocName } from "./plans";
import { nowIso, stockholmToday, stockholmToUtc } from "./time";

export interface FollowupEntry {
  planId: string;
  actionId: string;
  by: string | null;
  source: "report" | "editor";
  oldStatus: string | null;
  newStatus: string;
  oldProgress: number | null;
  newProgress: number;
  comment: string;
}

/** Record one entry of the follow-up history; returns its id. */
export async function recordFollowup(db: Db, e: FollowupEntry, now = new Date()): Promise<string> {
  const id = newId();
  await db
    .insertInto("followups")
    .values({
      id,
      plan_id: e.planId,
      action_id: e.actionId,
      reported_at: nowIso(now),
      reported_by: e.by,
      source: e.source,
      old_status: e.oldStatus,
      new_status: (ACTION_STATUSES as readonly string[]).includes(e.newStatus) ? e.newStatus : "not_started",
      old_progress: e.oldProgress,
      new_progress: Math.max(0, Math.min(100, Math.round(e.newProgress) || 0)),
      comment: e.comment,
    })
    .execute();
  return id;
}

/**
 * Who may file a follow-up report on an action: the person responsible for it,
 * and the process leader. (In the live editor every member co-edits the plan,
 * status included; those edits are recorded in the same history with who made them.)
 */
export function canReportOn(membership: Membership, responsibleUserId: string | null, today = stockholmToday()): boolean {
  if (!can(membership, "followup:report", today)) return false;
  return can(membership, "members:manage", today) || membership.user_id === responsibleUserId;
}

/**
 * Follow-up history of a plan, or of one action in it: this plan year's reports
 * and edits only. An action carried over into a revision keeps its id, so the
 * plan id is what keeps one year's history out of another's (an action's earlier
 * years: listEarlierFollowups).
 */
export async function listFollowups(db: Db, planId: string, actionId?: string, opts: { since?: string; limit?: number } = {}) {
  let q = db
    .selectFrom("followups as f")
    .leftJoin("users as u", "u.id", "f.reported_by")
    .select([
      "f.id",
      "f.action_id as actionId",
      "f.reported_at as reportedAt",
      "u.name as by",
      "f.source",
      "f.old_status as oldStatus",
      "f.new_status as newStatus",
      "f.old_progress as oldProgress",
      "f.new_progress as newProgress",
      "f.comment",
    ])
    .where("f.plan_id", "=", planId);
  if (actionId) q = q.where("f.action_id", "=", actionId);
  if (opts.since) q = q.where("f.reported_at", ">", opts.since);
  if (opts.limit) q = q.limit(opts.limit);
  return q.orderBy("f.reported_at", "desc").execute();
}

/**
 * The history of a carried-over action in the council's earlier plan years (the
 * same action id in the plans before this one), one entry per year, newest year
 * first; years without history are left out.
 */
export async function listEarlierFollowups(db: Db, planId: string, actionId: string) {
  const plan = await db.selectFrom("plans").select(["council_id", "year"]).where("id", "=", planId).executeTakeFirst();
  if (!plan) return [];
  const earlier = await db
    .selectFrom("plans")
    .select(["id", "year"])
    .where("council_id", "=", plan.council_id)
    .where("year", "<", plan.year)
    .orderBy("year", "desc")
    .execute();
  const years = [];
  for (const p of earlier) {
    const entries = await listFollowups(db, p.id, actionId);
    if (entries.length) years.push({ year: p.year, entries });
  }
  return years;
}

export interface DashboardRow {
  areaId: string;
  areaTitle: string;
  actionId: string;
  title: string;
  status: ActionStatus;
  progress: number;
  ownerName: string | null;
  ownerId: string | null;
  responsibleOrg: string;
  dueDate: string | null;
  overdue: boolean;
  lastFollowup: string | null;
}

/** The dashboard rows of a plan, from its projection and the follow-up history. */
export async function dashboard(db: Db, planId: string, today = stockholmToday()): Promise<DashboardRow[]> {
  const rows = await db
    .selectFrom("plan_actions as x")
    .innerJoin("plan_areas as a", (j) => j.onRef("a.id", "=", "x.area_id").onRef("a.plan_id", "=", "x.plan_id"))
    .leftJoin("users as u", "u.id", "x.responsible_user_id")
    .select([
      "a.id as areaId",
      "a.title as areaTitle",
      "a.position as areaPos",
      "x.id as actionId",
      "x.title",
      "x.status",
      "x.progress",
      "x.position",
      "u.name as ownerName",
      "x.responsible_user_id as ownerId",
      "x.responsible_org as responsibleOrg",
      "x.due_date as dueDate",
    ])
    .where("x.plan_id", "=", planId)
    .orderBy("a.position")
    .orderBy("x.goal_id")
    .orderBy("x.position")
    .execute();
  const lastBy = await lastFollowupByAction(db, planId);
  return rows.map((r) => ({
    areaId: r.areaId,
    areaTitle: r.areaTitle,
    actionId: r.actionId,
    title: r.title,
    status: r.status as ActionStatus,
    progress: r.progress,
    ownerName: r.ownerName,
    ownerId: r.ownerId,
    responsibleOrg: r.responsibleOrg,
    dueDate: r.dueDate,
    overdue: !!r.dueDate && r.dueDate < today && r.status !== "done" && r.status !== "cancelled",
    lastFollowup: lastBy.get(r.actionId) ?? null,
  }));
}

export type StatusCounts = Record<ActionStatus, number>;

/** One priority area (or the whole plan) rolled up: actions per status, progress, overdue. */
export interface AreaSummary {
  id: string;
  title: string;
  /** All actions, cancelled included (they are counted under `counts.cancelled`). */
  actions: number;
  counts: StatusCounts;
  /** Mean progress of the actions that are not cancelled, rounded. */
  progress: number;
  overdue: number;
}

export interface DashboardData {
  /** Every action, in plan order. */
  rows: DashboardRow[];
  areas: AreaSummary[];
  total: AreaSummary;
  /** The responsible organisations, sorted. */
  orgs: string[];
  /** The overdue actions, longest overdue first. */
  overdue: DashboardRow[];
  /** The plan year month by month, up to this month (monthlyHistory). */
  months: MonthPoint[];
  /** The actions that have indicators, in plan order, with their values up to the plan year's end. */
  indicators: ActionIndicators[];
}

/** An action's indicators on the dashboard: where each stands, and the status they suggest. */
export interface ActionIndicators {
  actionId: string;
  title: string;
  areaId: string;
  areaTitle: string;
  status: ActionStatus;
  suggestion: IndicatorStanding["suggestion"];
  indicators: IndicatorWithValues[];
}

/** One month of the plan year: the actions' statuses at its end (or now), its reports, and the mean progress. */
export interface MonthPoint {
  /** 'YYYY-MM' */
  month: string;
  counts: StatusCounts;
  /** Mean progress of the actions not cancelled at the month's end, rounded. */
  progress: number;
  /** Follow-up reports and status edits recorded in the month (Stockholm time). */
  reports: number;
}

/** A follow-up as the history chart needs it, oldest first. */
export interface HistoryEntry {
  actionId: string;
  reportedAt: string;
  oldStatus: string | null;
  newStatus: string;
  oldProgress: number | null;
  newProgress: number;
}

const asStatus = (s: string | null): ActionStatus => ((ACTION_STATUSES as readonly string[]).includes(s ?? "") ? (s as ActionStatus) : "not_started");

/**
 * The plan year month by month, from January to this month (all twelve for a past
 * year, none before the year has begun): how many of the plan's actions stood at
 * each status when the month ended (Stockholm time; the current month: now), their
 * mean progress, and the reports filed in the month. Rebuilt from the follow-up
 * history, which records every status change (decision 008): an action's state at
 * an instant is its last report's before it; before its first report it stood where
 * that report found it; an action never reported on has always been as it is now.
 * Actions no longer in the plan are left out. `history` is sorted oldest first.
 */
export function monthlyHistory(rows: Pick<DashboardRow, "actionId" | "status" | "progress">[], history: HistoryEntry[], year: number, today: string): MonthPoint[] {
  const months: { month: string; start: string; end: string }[] = [];
  for (let m = 1; m <= 12; m++) {
    const month = `${year}-${String(m).padStart(2, "0")}`;
    if (`${month}-01` > today) break;
    const next = m === 12 ? `${year + 1}-01-01` : `${year}-${String(m + 1).padStart(2, "0")}-01`;
    months.push({ month, start: stockholmToUtc(`${month}-01`, "00:00")!, end: stockholmToUtc(next, "00:00")! });
  }
  const byAction = new Map<string, HistoryEntry[]>();
  for (const h of history) {
    let list = byAction.get(h.actionId);
    if (!list) byAction.set(h.actionId, (list = []));
    list.push(h);
  }
  const points = months.map((m) => ({ month: m.month, counts: zeroCounts(), sum: 0, counted: 0, reports: 0 }));
  for (const r of rows) {
    const list = byAction.get(r.actionId) ?? [];
    let i = 0;
    months.forEach((m, k) => {
      while (i < list.length && list[i].reportedAt < m.end) {
        if (list[i].reportedAt >= m.start) points[k].reports++;
        i++;
      }
      const state = i > 0 ? { status: asStatus(list[i - 1].newStatus), progress: list[i - 1].newProgress } : list.length ? { status: asStatus(list[0].oldStatus), progress: list[0].oldProgress ?? 0 } : { status: r.status, progress: r.progress };
      const p = points[k];
      p.counts[state.status]++;
      if (state.status !== "cancelled") {
        p.sum += state.progress;
        p.counted++;
      }
    });
  }
  return points.map(({ sum, counted, ...p }) => ({ ...p, progress: counted ? Math.round(sum / counted) : 0 }));
}

/** The plan's follow-up history, oldest first, for monthlyHistory. */
async function planHistory(db: Db, planId: string): Promise<HistoryEntry[]> {
  return db
    .selectFrom("followups")
    .select(["action_id as actionId", "reported_at as reportedAt", "old_status as oldStatus", "new_status as newStatus", "old_progress as oldProgress", "new_progress as newProgress"])
    .where("plan_id", "=", planId)
    .orderBy("reported_at")
    .execute();
}

const zeroCounts = (): StatusCounts => ({ not_started: 0, on_track: 0, at_risk: 0, delayed: 0, done: 0, cancelled: 0 });

/** The roll-ups the dashboard shows, from its rows (one pass). */
export function summariseDashboard(rows: DashboardRow[], months: MonthPoint[] = [], measured: Map<string, IndicatorWithValues[]> = new Map()): DashboardData {
  const byArea = new Map<string, AreaSummary & { sum: number }>();
  const total: AreaSummary & { sum: number } = { id: "", title: "", actions: 0, counts: zeroCounts(), progress: 0, overdue: 0, sum: 0 };
  const orgs = new Set<string>();
  for (const r of rows) {
    let a = byArea.get(r.areaId);
    if (!a) byArea.set(r.areaId, (a = { id: r.areaId, title: r.areaTitle, actions: 0, counts: zeroCounts(), progress: 0, overdue: 0, sum: 0 }));
    for (const s of [a, total]) {
      s.actions++;
      s.counts[r.status]++;
      if (r.status !== "cancelled") s.sum += r.progress;
      if (r.overdue) s.overdue++;
    }
    if (r.responsibleOrg) orgs.add(r.responsibleOrg);
  }
  const finish = ({ sum, ...s }: AreaSummary & { sum: number }): AreaSummary => {
    const counted = s.actions - s.counts.cancelled;
    return { ...s, progress: counted ? Math.round(sum / counted) : 0 };
  };
  return {
    rows,
    areas: [...byArea.values()].map(finish),
    total: finish(total),
    orgs: [...orgs].sort((a, b) => a.localeCompare(b, "sv")),
    // Sorted by due date, oldest first; ties keep plan order (the sort is stable).
    overdue: rows.filter((r) => r.overdue).sort((a, b) => (a.dueDate! < b.dueDate! ? -1 : a.dueDate! > b.dueDate! ? 1 : 0)),
    months,
    indicators: rows.flatMap((r) => {
      const list = measured.get(r.actionId);
      if (!list?.length) return [];
      return [{ actionId: r.actionId, title: r.title, areaId: r.areaId, areaTitle: r.areaTitle, status: r.status, suggestion: suggestedStatus(list.map((i) => i.standing)), indicators: list }];
    }),
  };
}

// Asked on every dashboard request: compiled once (db/prepared.ts).
const versionQuery = preparedQuery((db: Db, planId: string) =>
  db
    .selectFrom("plans as p")
    .select((eb) => [
      "p.projected_at",
      "p.status",
      // Moved by triggers on every write to the plan's follow-ups (migration 0013).
      "p.report_seq as reports",
      // Names on the page: removing (anonymising) a person must not leave theirs cached.
      eb.selectFrom("users").select((e) => e.fn.max("anonymised_at").as("m")).as("anonymised"),
    ])
    .where("p.id", "=", planId),
);

/**
 * What the dashboard's data depends on, read in one cheap statement: the plan's
 * projection (rewritten with a new `projected_at` whenever the plan changes),
 * its status (adoption), the number of follow-up reports (the history is
 * append-only, so every report raises it), and the last anonymisation of a person. See docs/decisions/010-dashboard-cache.md.
 */
export async function dashboardVersion(db: Db, planId: string): Promise<string | undefined> {
  const row = await versionQuery.first(db, planId);
  return row ? `${row.projected_at ?? ""}|${row.status}|${row.reports ?? 0}|${row.anonymised ?? ""}` : undefined;
}

export type ChangedEntry = Awaited<ReturnType<typeof listFollowups>>[number] & { title: string };

interface CacheEntry {
  version: string;
  today: string;
  data: Promise<DashboardData>;
  /** "Changed since the last meeting", by meeting time and length. */
  changed: Map<string, Promise<ChangedEntry[]>>;
}

/** Plans kept per database; the least recently used one is dropped beyond this. */
const MAX_CACHED_PLANS = 64;
/** One cache per database handle (tests run several servers, each on its own file, in one process). */
const caches = new WeakMap<object, Map<string, CacheEntry>>();

function cacheOf(db: Db): Map<string, CacheEntry> {
  let c = caches.get(db);
  if (!c) caches.set(db, (c = new Map()));
  return c;
}

/**
 * The dashboard data of a plan, computed once per plan version and reused by every
 * request until a report lands, the projection is rewritten, the plan is adopted or
 * the day changes. Concurrent requests for a new version share one computation.
 * The version is read before the data, so an entry can only be newer than its
 * version, never older.
 */
export async function cachedDashboard(
  db: Db,
  planId: string,
  opts: { since?: string | null; sinceLimit?: number; today?: string } = {},
): Promise<{ data: DashboardData; changed: ChangedEntry[] }> {
  const today = opts.today ?? stockholmToday();
  const version = (await dashboardVersion(db, planId)) ?? "";
  const cache = cacheOf(db);
  let entry = cache.get(planId);
  if (!entry || entry.version !== version || entry.today !== today) {
    const data = Promise.all([
      dashboard(db, planId, today),
      planHistory(db, planId),
      db.selectFrom("plans").select(["year", "council_id"]).where("id", "=", planId).executeTakeFirst(),
    ]).then(async ([rows, history, plan]) =>
      // Indicator values up to the plan year's end: a past year's dashboard stays that year's.
      summariseDashboard(rows, plan ? monthlyHistory(rows, history, plan.year, today) : [], plan ? await planIndicators(db, plan.council_id, planId, { until: `${plan.year}-12-31` }) : undefined),
    );
    entry = { version, today, data, changed: new Map() };
    // A failed computation is not kept.
    data.catch(() => cache.get(planId) === entry && cache.delete(planId));
  }
  // Map order is the LRU order: touch on every use.
  cache.delete(planId);
  cache.set(planId, entry);
  if (cache.size > MAX_CACHED_PLANS) cache.delete(cache.keys().next().value!);
  const data = await entry.data;
  let changed: ChangedEntry[] = [];
  if (opts.since) {
    const limit = opts.sinceLimit ?? 50;
    const key = `${opts.since}|${limit}`;
    let list = entry.changed.get(key);
    if (!list) {
      const titles = new Map(data.rows.map((r) => [r.actionId, r.title]));
      const fresh = listFollowups(db, planId, undefined, { since: opts.since, limit }).then((hs) => hs.map((h) => ({ ...h, title: titles.get(h.actionId) ?? "" })));
      // A meeting or two, each in a short and a long list, at most.
      if (entry.changed.size >= 4) entry.changed.clear();
      const m = entry.changed;
      m.set(key, (list = fresh));
      fresh.catch(() => m.get(key) === fresh && m.delete(key));
    }
    changed = await list;
  }
  return { data, changed };
}

/** CSV (UTF-8 with BOM, so Excel opens å, ä, ö right; semicolons as Swedish Excel expects). */
// The export of a plan version is made once: a live dashboard's version changes with
// every report, edit or import (cachedDashboard), and the CSV with it.
const csvOfData = new WeakMap<DashboardData, string>();

/** The CSV of the cached dashboard data (the same rows as `dashboard()`), made once per plan version. */
export async function cachedDashboardCsv(db: Db, planId: string): Promise<string> {
  const { data } = await cachedDashboard(db, planId);
  let csv = csvOfData.get(data);
  if (csv === undefined) csvOfData.set(data, (csv = dashboardCsv(data.rows)));
  return csv;
}

export function dashboardCsv(rows: DashboardRow[]): string {
  const header = ["area", "action_id", "action", "status", "progress", "responsible_org", "responsible_person", "due_date", "overdue", "last_followup"];
  // Every cell through csvLine → csvCell: quoted and neutralised against formulas (decision 016).
  const lines = rows.map((r) =>
    csvLine([r.areaTitle, r.actionId, r.title, r.status, r.progress, r.responsibleOrg, r.ownerName ?? "", r.dueDate ?? "", r.overdue ? "yes" : "no", r.lastFollowup ?? ""]),
  );
  return "\uFEFF" + [csvLine(header), ...lines].join("\r\n") + "\r\n";
}

/**
 * A follow-up report on one action: its status and progress change in the live
 * plan (every open editor sees it), and the report with its comment is recorded
 * in the history and the activity feed, all in one transaction.
 */
export async function reportFollowup(
  { events }: Deps,
  docs: Pick<DocOps, "applyServerChange">,
  input: {
    councilId: string;
    plan: { id: string; year: number };
    action: { id: string; title: string };
    by: string;
    status: ActionStatus;
    progress: number;
    comment: string;
    /** Measured values of the action's indicators reported with it (each with the report's comment unless its own). */
    values?: NewIndicatorValue[];
  },
  now = new Date(),
): Promise<void> {
  const { plan, action, status, progress } = input;
  await docs.applyServerChange(
    planDocName(plan.id),
    (doc) => {
      const before = setActionStates(doc, new Map([[action.id, { status, progress }]])).get(action.id);
      if (!before) throw new DomainError("error.actionNotFound", 404);
      return before;
    },
    async (trx, before) => {
      const followupId = await recordFollowup(trx, { planId: plan.id, actionId: action.id, by: input.by, source: "report", oldStatus: before.status, newStatus: status, oldProgress: before.progress, newProgress: progress, comment: input.comment }, now);
      await insertIndicatorValues(trx, { councilId: input.councilId, planId: plan.id, actionId: action.id, by: input.by, values: input.values ?? [], followupId }, now);
      await recordActivity(trx, { councilId: input.councilId, actorId: input.by, kind: "followup_reported", params: { action: action.title, year: plan.year, status, progress }, path: `plans/${plan.year}/actions/${action.id}`, audience: "council" }, now);
    },
  );
  events.publish({ type: "followup.recorded", councilId: input.councilId, planId: plan.id });
  events.publish({ type: "activity.recorded", councilId: input.councilId });
}

/** When each action of a plan was last reported on (action id → ISO instant). */
export async function lastFollowupByAction(db: Db, planId: string): Promise<Map<string, string>> {
  const last = await db
    .selectFrom("followups")
    .select(["action_id", (eb) => eb.fn.max("reported_at").as("at")])
    .where("plan_id", "=", planId)
    .groupBy("action_id")
    .execute();
  return new Map(last.map((l) => [l.action_id, l.at as string]));
}

// ---- when a follow-up report is due (one rule: reminders and the home page's to-do) ----

const DAY_MS = 24 * 3600 * 1000;
/** Follow-up is asked for this long before a meeting. */
export const FOLLOWUP_LEAD_MS = 7 * DAY_MS;

/** Open actions of the active plans past their due date, with someone responsible. */
export function overdueActionsQuery(db: Db, today: string, scope: { councilIds?: string[]; responsibleUserId?: string } = {}) {
  let q = db
    .selectFrom("plan_actions as a")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .select(["a.id", "a.title", "a.due_date", "a.responsible_user_id", "p.id as planId", "p.year", "p.council_id"])
    .where("p.status", "=", "active")
    .where("a.due_date", "<", today)
    .where("a.status", "not in", ["done", "cancelled"])
    .where("a.responsible_user_id", "is not", null);
  if (scope.councilIds) q = q.where("p.council_id", "in", scope.councilIds.length ? scope.councilIds : [""]);
  if (scope.responsibleUserId) q = q.where("a.responsible_user_id", "=", scope.responsibleUserId);
  return q;
}

export interface FollowupRound {
  councilId: string;
  /** The council's next convened meeting, within FOLLOWUP_LEAD_MS. */
  meeting: { id: string; title: string; starts_at: string };
  plan: { id: string; year: number };
  /** Reports from this instant on count: the previous council meeting, or the plan's creation. */
  since: string;
}

/**
 * The follow-up rounds open now: a week before a council's next convened meeting
 * (its own, not a working group's), the people responsible for open actions of
 * its active plan are asked to report. Three queries whatever the number of councils.
 */
export async function followupRounds(db: Db, now: Date, councilIds?: string[]): Promise<FollowupRound[]> {
  if (councilIds && !councilIds.length) return [];
  let next = db
    .selectFrom("meetings")
    .select(["id", "council_id", "title", "starts_at"])
    .where("status", "=", "convened")
    // The council's own meetings: a working group's meeting is not where the plan is followed up.
    .where("group_id", "is", null)
    .where("starts_at", ">", nowIso(now))
    .where("starts_at", "<=", new Date(now.getTime() + FOLLOWUP_LEAD_MS).toISOString())
    .$narrowType<{ starts_at: NotNull }>()
    .orderBy("starts_at");
  if (councilIds) next = next.where("council_id", "in", councilIds);
  const meetings = new Map<string, FollowupRound["meeting"]>();
  // Only the council's next meeting asks.
  for (const m of await next.execute()) if (!meetings.has(m.council_id)) meetings.set(m.council_id, m);
  if (!meetings.size) return [];
  const ids = [...meetings.keys()];
  const plans = new Map<string, { id: string; year: number; created_at: string }>();
  const planRows = await db.selectFrom("plans").select(["id", "year", "created_at", "council_id"]).where("council_id", "in", ids).where("status", "=", "active").orderBy("year", "desc").execute();
  for (const p of planRows) if (!plans.has(p.council_id)) plans.set(p.council_id, p);
  const previous = new Map(
    (
      await db
        .selectFrom("meetings")
        .select(["council_id", (eb) => eb.fn.max("starts_at").as("starts_at")])
        .where("council_id", "in", ids)
        .where("status", "=", "convened")
        .where("group_id", "is", null)
        .where("starts_at", "<", nowIso(now))
        .groupBy("council_id")
        .execute()
    ).map((r) => [r.council_id, r.starts_at as string]),
  );
  const rounds: FollowupRound[] = [];
  for (const [councilId, meeting] of meetings) {
    const plan = plans.get(councilId);
    if (!plan) continue;
    rounds.push({ councilId, meeting, plan: { id: plan.id, year: plan.year }, since: previous.get(councilId) ?? plan.created_at });
  }
  return rounds;
}

/** Open actions of a round's plan with someone responsible and no report since the round's start. */
export function actionsAwaitingReport(db: Db, round: FollowupRound, responsibleUserId?: string) {
  let q = db
    .selectFrom("plan_actions as a")
    .select(["a.id", "a.title", "a.due_date", "a.responsible_user_id"])
    .where("a.plan_id", "=", round.plan.id)
    .where("a.status", "not in", ["done", "cancelled"])
    .where("a.responsible_user_id", "is not", null)
    .where(({ not, exists, selectFrom }) =>
      not(exists(selectFrom("followups as f").select("f.id").whereRef("f.action_id", "=", "a.id").where("f.reported_at", ">=", round.since))),
    );
  if (responsibleUserId) q = q.where("a.responsible_user_id", "=", responsibleUserId);
  return q.orderBy("a.position").execute();
}
