import { inTransaction, type Db } from "../../db";
import { preparedQuery } from "../../db/prepared";
import type { Membership, Plan, PlanActionTable, PlanAreaTable, PlanGoalTable, PlanIndicatorTable, PlanStatus } from "../../db/schema";
import { recordAudit } from "./audit";
import * as Y from "yjs";
import { isUniqueViolation, type Deps, type DocOps } from "./deps";
import { DomainError } from "./errors";
import type { EventSink } from "./events";
import { newId } from "./ids";
import { notify, withRight } from "./notifications";
import { forUpdate } from "./locks";
import { can } from "./permissions";
import { checkPlan, type PlanCheck } from "./plan-check";
import { initialPlanUpdate, PLAN_SCHEMA_VERSION, planToJson, type AreaJson, type IndicatorJson, type PlanJson } from "./plan-doc";
import { nowIso, stockholmToday } from "./time";

import { planDocName } from "./doc-names";
export { planDocName };

/** Create a council's plan for a year, with its Y.Doc's first state as the stored snapshot. */
export async function createPlan(
  { db }: Deps,
  input: { councilId: string; year: number; title: string; actorId: string | null; areas?: Parameters<typeof initialPlanUpdate>[0]["areas"] },
  now = new Date(),
): Promise<Plan> {
  const plan: Plan = {
    id: newId(),
    council_id: input.councilId,
    year: input.year,
    status: "active",
    title: input.title,
    created_at: nowIso(now),
    created_by: input.actorId,
    projected_at: null,
    projected_seq: null,
    copied_from: null,
    report_seq: 0,
    schema_version: PLAN_SCHEMA_VERSION,
  };
  const state = initialPlanUpdate({ year: input.year, title: input.title, areas: input.areas });
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("plans").values(plan).execute();
      await trx
        .insertInto("yjs_snapshots")
        .values({ doc_name: planDocName(plan.id), state, last_update_id: 0, updated_at: nowIso(now) })
        .execute();
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "plan.created", subject: plan.id, after: { year: input.year } }, now);
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError("error.planExists", 409, "year");
    throw err;
  }
  return plan;
}

export interface PlanAccess {
  plan: Plan;
  membership: Membership;
}

/**
 * Who may open `plan:<planId>`: a member of the plan's council with plan:view.
 * Undefined for a plan that does not exist or belongs to a council the person is
 * not in (the caller answers both the same way).
 */
export async function resolvePlanAccess(db: Db, userId: string, planId: string): Promise<PlanAccess | undefined> {
  const plan = await db.selectFrom("plans").selectAll().where("id", "=", planId).executeTakeFirst();
  if (!plan) return undefined;
  const membership = await db
    .selectFrom("memberships")
    .selectAll()
    .where("council_id", "=", plan.council_id)
    .where("user_id", "=", userId)
    .executeTakeFirst();
  if (!membership || !can(membership, "plan:view")) return undefined;
  return { plan, membership };
}

/** Whether this membership may write to this plan right now (adopted plans are frozen). */
export function canWritePlan(access: PlanAccess, today?: string): boolean {
  return access.plan.status !== "adopted" && can(access.membership, "plan:edit", today);
}

export interface PlanSummary {
  id: string;
  year: number;
  status: PlanStatus;
  title: string;
  docName: string;
  areaCount: number;
  actionCount: number;
  updatedAt: string | null;
}

export async function listPlans(db: Db, councilId: string): Promise<PlanSummary[]> {
  const plans = await db.selectFrom("plans").selectAll().where("council_id", "=", councilId).orderBy("year", "desc").execute();
  const areaCounts = await db
    .selectFrom("plan_areas")
    .innerJoin("plans", "plans.id", "plan_areas.plan_id")
    .select(["plan_areas.plan_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("plans.council_id", "=", councilId)
    .groupBy("plan_areas.plan_id")
    .execute();
  const actionCounts = await db
    .selectFrom("plan_actions")
    .innerJoin("plans", "plans.id", "plan_actions.plan_id")
    .select(["plan_actions.plan_id", (eb) => eb.fn.countAll<number>().as("n")])
    .where("plans.council_id", "=", councilId)
    .groupBy("plan_actions.plan_id")
    .execute();
  return plans.map((p) => ({
    id: p.id,
    year: p.year,
    status: p.status,
    title: p.title,
    docName: planDocName(p.id),
    areaCount: Number(areaCounts.find((c) => c.plan_id === p.id)?.n ?? 0),
    actionCount: Number(actionCounts.find((c) => c.plan_id === p.id)?.n ?? 0),
    updatedAt: p.projected_at,
  }));
}

// Every plan page asks this: compiled once (db/prepared.ts).
const planQuery = preparedQuery((db: Db, councilId: string, year: number) =>
  db.selectFrom("plans").selectAll().where("council_id", "=", councilId).where("year", "=", year),
);

export async function findPlan(db: Db, councilId: string, year: number): Promise<Plan | undefined> {
  return planQuery.first(db, councilId, year);
}

/**
 * Make a plan's relational projection match the given JSON, in one transaction,
 * writing only what differs from the rows there now: typing in one action's title
 * updates that one row, where a rewrite of every row held the database (and, on
 * SQLite, the event loop) several times longer (bench:typing, issue #14).
 * Returns the rows the projection holds afterwards, or null when a newer state
 * was there already.
 */
export async function writeProjection(db: Db, planId: string, json: PlanJson, now = new Date(), events?: EventSink, seq?: number): Promise<ProjectionRows | null> {
  return writeProjectionRows(db, planId, projectionRows(planId, json), now, events, seq);
}

/** A plan's projection as one writer last wrote it: its rows, at the live state's sequence number `seq`. */
export interface WrittenProjection {
  seq: number;
  rows: ProjectionRows;
}

/**
 * `writeProjection` for rows already built. With `last` (what this writer wrote
 * before), the rows are diffed against it instead of read back, but only when
 * the plan's row says the projection is still exactly that write (its
 * `projected_seq`; every write sets it, a write without a sequence number
 * clears it). Otherwise someone else wrote since (another node, a server-side
 * change, a revision) and the rows are read in the transaction.
 */
export async function writeProjectionRows(
  db: Db,
  planId: string,
  want: ProjectionRows,
  now = new Date(),
  events?: EventSink,
  seq?: number,
  last?: WrittenProjection,
): Promise<ProjectionRows | null> {
  const notified = await inTransaction(db, async (trx) => {
    // The plan's row held: two nodes projecting at once write one after the other, and
    // the second sees the first's rows (no duplicate owner notifications).
    const plan = await forUpdate(trx, trx.selectFrom("plans").select(["id", "council_id", "year", "status", "projected_at", "projected_seq"]).where("id", "=", planId)).executeTakeFirst();
    // Another node already wrote a newer state (`seq`: the live state's sequence number).
    if (seq !== undefined && plan?.projected_seq != null && Number(plan.projected_seq) > seq) return null;
    const unchanged = last !== undefined && plan?.projected_seq != null && Number(plan.projected_seq) === last.seq;
    const [areas, goals, actions, indicators] = unchanged
      ? [last.rows.areas, last.rows.goals, last.rows.actions, last.rows.indicators]
      : await Promise.all([
          trx.selectFrom("plan_areas").selectAll().where("plan_id", "=", planId).execute(),
          trx.selectFrom("plan_goals").selectAll().where("plan_id", "=", planId).execute(),
          trx.selectFrom("plan_actions").selectAll().where("plan_id", "=", planId).execute(),
          trx.selectFrom("plan_indicators").selectAll().where("plan_id", "=", planId).execute(),
        ]);
    // Who was responsible for each action at the last projection; none for a plan never projected (new or copied).
    const before: PlanOwners | null = plan?.projected_at && plan.status !== "adopted" ? { plan, owners: new Map(actions.map((r) => [r.id, r.responsible_user_id])) } : null;
    const area = diffRows(areas, want.areas);
    const goal = diffRows(goals, want.goals);
    const action = diffRows(actions, want.actions);
    const indicator = diffRows(indicators, want.indicators);
    // Parents before the children that point to them, children away before their parents go.
    for (let i = 0; i < area.insert.length; i += 100) await trx.insertInto("plan_areas").values(area.insert.slice(i, i + 100)).execute();
    for (let i = 0; i < goal.insert.length; i += 100) await trx.insertInto("plan_goals").values(goal.insert.slice(i, i + 100)).execute();
    for (let i = 0; i < action.insert.length; i += 50) await trx.insertInto("plan_actions").values(action.insert.slice(i, i + 50)).execute();
    for (let i = 0; i < indicator.insert.length; i += 50) await trx.insertInto("plan_indicators").values(indicator.insert.slice(i, i + 50)).execute();
    for (const { id, ...set } of area.update) await trx.updateTable("plan_areas").set(set).where("plan_id", "=", planId).where("id", "=", id).execute();
    for (const { id, ...set } of goal.update) await trx.updateTable("plan_goals").set(set).where("plan_id", "=", planId).where("id", "=", id).execute();
    for (const { id, ...set } of action.update) await trx.updateTable("plan_actions").set(set).where("plan_id", "=", planId).where("id", "=", id).execute();
    for (const { id, ...set } of indicator.update) await trx.updateTable("plan_indicators").set(set).where("plan_id", "=", planId).where("id", "=", id).execute();
    if (indicator.delete.length) await trx.deleteFrom("plan_indicators").where("plan_id", "=", planId).where("id", "in", indicator.delete).execute();
    if (action.delete.length) await trx.deleteFrom("plan_actions").where("plan_id", "=", planId).where("id", "in", action.delete).execute();
    if (goal.delete.length) await trx.deleteFrom("plan_goals").where("plan_id", "=", planId).where("id", "in", goal.delete).execute();
    if (area.delete.length) await trx.deleteFrom("plan_areas").where("plan_id", "=", planId).where("id", "in", area.delete).execute();
    await trx.updateTable("plans").set({ projected_at: nowIso(now), projected_seq: seq ?? null }).where("id", "=", planId).execute();
    return before ? notifyNewOwners(trx, before, want.actions, now) : [];
  });
  if (notified === null) return null;
  if (notified.length) events?.publish({ type: "notifications.created", userIds: notified });
  return want;
}

/** Whether two sets of projection rows are the same, column by column. */
export function sameProjectionRows(a: ProjectionRows, b: ProjectionRows): boolean {
  const same = (x: readonly { id: string }[], y: readonly { id: string }[]) => {
    const d = diffRows(x, y);
    return d.insert.length === 0 && d.update.length === 0 && d.delete.length === 0;
  };
  return same(a.areas, b.areas) && same(a.goals, b.goals) && same(a.actions, b.actions) && same(a.indicators, b.indicators);
}

export type ProjectionRows = ReturnType<typeof projectionRows>;

/** The projection's rows for a plan's JSON. Ids come from clients; a duplicated id (e.g. a copied item) keeps its first occurrence. */
export function projectionRows(planId: string, json: PlanJson) {
  const seen = new Set<string>();
  const fresh = (kind: string, id: string) => {
    const key = `${kind}:${id}`;
    if (!id || seen.has(key)) return false;
    seen.add(key);
    return true;
  };
  const areas: PlanAreaTable[] = [];
  const goals: PlanGoalTable[] = [];
  const actions: PlanActionTable[] = [];
  const indicators: PlanIndicatorTable[] = [];
  for (const [ai, a] of json.areas.entries()) {
    if (!fresh("area", a.id)) continue;
    areas.push({ plan_id: planId, id: a.id, position: ai, title: a.title, description: a.description });
    for (const [gi, g] of a.goals.entries()) {
      if (!fresh("goal", g.id)) continue;
      goals.push({ plan_id: planId, id: g.id, area_id: a.id, position: gi, title: g.title });
      for (const [xi, x] of g.actions.entries()) {
        if (!fresh("action", x.id)) continue;
        actions.push({
          plan_id: planId,
          id: x.id,
          area_id: a.id,
          goal_id: g.id,
          position: xi,
          title: x.title,
          description: x.description,
          responsible_org: x.responsibleOrg,
          responsible_user_id: x.responsibleUserId,
          start_date: x.startDate,
          due_date: x.dueDate,
          status: x.status,
          progress: x.progress,
          indicators: x.indicators.map((i) => i.name).join("\n"),
        });
        for (const [ii, i] of x.indicators.entries()) {
          if (!fresh("indicator", i.id)) continue;
          indicators.push({
            plan_id: planId,
            id: i.id,
            action_id: x.id,
            position: ii,
            name: i.name,
            unit: i.unit,
            baseline: i.baseline,
            baseline_date: i.baselineDate,
            target: i.target,
            target_date: i.targetDate,
            direction: i.direction,
          });
        }
      }
    }
  }
  return { areas, goals, actions, indicators };
}

/** What turns `have` into `want` (rows keyed by id): new rows, changed columns, ids to delete. */
function diffRows<R extends { id: string }>(have: readonly { id: string }[], want: readonly R[]) {
  const byId = new Map(have.map((r) => [r.id, r as unknown as Record<string, unknown>]));
  const insert: R[] = [];
  const update: (Partial<R> & { id: string })[] = [];
  for (const row of want) {
    const old = byId.get(row.id);
    byId.delete(row.id);
    if (!old) {
      insert.push(row);
      continue;
    }
    const changed: Record<string, unknown> = { id: row.id };
    let any = false;
    for (const [k, v] of Object.entries(row)) {
      if (old[k] !== v) {
        changed[k] = v;
        any = true;
      }
    }
    if (any) update.push(changed as Partial<R> & { id: string });
  }
  return { insert, update, delete: [...byId.keys()] };
}

interface PlanOwners {
  plan: Pick<Plan, "id" | "council_id" | "year" | "status">;
  owners: Map<string, string | null>;
}

/** "Action assigned to you": once per person and action, only to people who can see the plan. */
async function notifyNewOwners(
  db: Db,
  { plan, owners }: PlanOwners,
  actions: { id: string; title: string; responsible_user_id: string | null }[],
  now: Date,
): Promise<string[]> {
  const assigned = actions.filter((a) => a.responsible_user_id && owners.get(a.id) !== a.responsible_user_id);
  if (!assigned.length) return [];
  const allowed = new Set(await withRight(db, plan.council_id, assigned.map((a) => a.responsible_user_id!), "plan:view"));
  const notified = new Set<string>();
  for (const a of assigned) {
    if (!allowed.has(a.responsible_user_id!)) continue;
    const got = await notify(db, {
      kind: "action_assigned",
      councilId: plan.council_id,
      recipients: [a.responsible_user_id!],
      params: { action: a.title, year: plan.year },
      path: `plans/${plan.year}/actions/${a.id}`,
      dedupeKey: `assigned:${plan.id}:${a.id}`,
    }, now);
    got.forEach((id) => notified.add(id));
  }
  return [...notified];
}

/** The plan as JSON from its projection: areas → goals → actions, in document order. */
export async function readProjection(db: Db, planId: string): Promise<AreaJson[]> {
  const [areas, goals, actions, indicators] = await Promise.all([
    db.selectFrom("plan_areas").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    db.selectFrom("plan_goals").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    db.selectFrom("plan_actions").selectAll().where("plan_id", "=", planId).orderBy("position").execute(),
    readIndicatorProjection(db, planId),
  ]);
  return areas.map((a) => ({
    id: a.id,
    title: a.title,
    description: a.description,
    goals: goals
      .filter((g) => g.area_id === a.id)
      .map((g) => ({
        id: g.id,
        title: g.title,
        actions: actions
          .filter((x) => x.goal_id === g.id)
          .map((x) => ({
            id: x.id,
            title: x.title,
            description: x.description,
            responsibleOrg: x.responsible_org,
            responsibleUserId: x.responsible_user_id,
            startDate: x.start_date,
            dueDate: x.due_date,
            status: x.status as AreaJson["goals"][number]["actions"][number]["status"],
            progress: x.progress,
            indicators: indicators.get(x.id) ?? [],
          })),
      })),
  }));
}

/** The projected indicators of a plan (or of one action in it), by action id, in document order. */
export async function readIndicatorProjection(db: Db, planId: string, actionId?: string): Promise<Map<string, IndicatorJson[]>> {
  let q = db.selectFrom("plan_indicators").selectAll().where("plan_id", "=", planId);
  if (actionId) q = q.where("action_id", "=", actionId);
  const rows = await q.orderBy("action_id").orderBy("position").execute();
  const by = new Map<string, IndicatorJson[]>();
  for (const r of rows) {
    let list = by.get(r.action_id);
    if (!list) by.set(r.action_id, (list = []));
    list.push({ id: r.id, name: r.name, unit: r.unit, baseline: r.baseline, baselineDate: r.baseline_date, target: r.target, targetDate: r.target_date, direction: r.direction });
  }
  return by;
}

/** Areas and actions of the council's plan for a year, as agenda link options ("area:<id>" / "action:<id>"). */
export async function planLinkOptions(db: Db, councilId: string, year: number): Promise<{ value: string; label: string }[]> {
  const plan = (await findPlan(db, councilId, year)) ?? (await db.selectFrom("plans").selectAll().where("council_id", "=", councilId).orderBy("year", "desc").executeTakeFirst());
  if (!plan) return [];
  const [areas, actions] = await Promise.all([
    db.selectFrom("plan_areas").select(["id", "title", "position"]).where("plan_id", "=", plan.id).orderBy("position").execute(),
    db.selectFrom("plan_actions").select(["id", "title", "area_id", "position"]).where("plan_id", "=", plan.id).orderBy("position").execute(),
  ]);
  return areas.flatMap((a) => [
    { value: `area:${a.id}`, label: a.title },
    // An action's page, under /councils/<slug>/: where an agenda item about it links.
    ...actions.filter((x) => x.area_id === a.id).map((x) => ({ value: `action:${x.id}`, label: `${a.title} › ${x.title}`, path: `plans/${plan.year}/actions/${x.id}` })),
  ]);
}

/**
 * The actions with these ids in the council's plans, as the plan year nearest
 * `year` has them (that year's, else the latest before it, else the first after):
 * title and the year of its page. For links from decisions to the actions they touch.
 */
export async function actionRefs(db: Db, councilId: string, wanted: { id: string; year: number }[]): Promise<Map<string, { title: string; year: number }>> {
  const ids = [...new Set(wanted.map((w) => w.id))];
  const out = new Map<string, { title: string; year: number }>();
  if (!ids.length) return out;
  const rows = await db
    .selectFrom("plan_actions as x")
    .innerJoin("plans as p", "p.id", "x.plan_id")
    .select(["x.id", "x.title", "p.year"])
    .where("p.council_id", "=", councilId)
    .where("x.id", "in", ids)
    .orderBy("p.year")
    .execute();
  for (const w of wanted) {
    const mine = rows.filter((r) => r.id === w.id);
    const pick = mine.find((r) => r.year === w.year) ?? mine.filter((r) => r.year < w.year).at(-1) ?? mine[0];
    if (pick) out.set(`${w.id}|${w.year}`, { title: pick.title, year: pick.year });
  }
  return out;
}

/** The goals of a plan as choices (`area › goal`), in plan order: where an action item can go. */
export async function goalOptions(db: Db, planId: string): Promise<{ id: string; label: string }[]> {
  const rows = await db
    .selectFrom("plan_goals as g")
    .innerJoin("plan_areas as a", (j) => j.onRef("a.id", "=", "g.area_id").onRef("a.plan_id", "=", "g.plan_id"))
    .select(["g.id", "g.title", "a.title as areaTitle"])
    .where("g.plan_id", "=", planId)
    .orderBy("a.position")
    .orderBy("g.position")
    .execute();
  return rows.map((g) => ({ id: g.id, label: `${g.areaTitle} › ${g.title}` }));
}

/** The goals of the council's plans that are not adopted (where an adopted proposal's actions can go), by year and plan order. */
export function openGoalOptions(db: Db, councilId: string) {
  return db
    .selectFrom("plan_goals as g")
    .innerJoin("plans as p", "p.id", "g.plan_id")
    .innerJoin("plan_areas as a", (j) => j.onRef("a.id", "=", "g.area_id").onRef("a.plan_id", "=", "g.plan_id"))
    .select(["g.id", "g.title", "a.title as areaTitle", "p.year"])
    .where("p.council_id", "=", councilId)
    .where("p.status", "!=", "adopted")
    .orderBy("p.year")
    .orderBy("a.position")
    .orderBy("g.position")
    .execute();
}

/** One action of a plan's projection, with the name of the person responsible; undefined when the plan has no such action. */
export function findPlanAction(db: Db, planId: string, actionId: string) {
  return db
    .selectFrom("plan_actions as x")
    .leftJoin("users as u", "u.id", "x.responsible_user_id")
    .selectAll("x")
    .select("u.name as ownerName")
    .where("x.plan_id", "=", planId)
    .where("x.id", "=", actionId)
    .executeTakeFirst();
}

/**
 * The plan the council's navigation points at: this (Stockholm) year's plan if there
 * is one, else the latest one; null while the council has no plan. One small query,
 * as it runs on every council page (app/routes/councils.$slug.tsx).
 */
export async function currentPlanYear(db: Db, councilId: string, today: string = stockholmToday()): Promise<number | null> {
  const rows = await db.selectFrom("plans").select("year").where("council_id", "=", councilId).orderBy("year", "desc").execute();
  const thisYear = Number(today.slice(0, 4));
  return rows.find((r) => r.year === thisYear)?.year ?? rows[0]?.year ?? null;
}

/**
 * What adopting the plan would freeze and what looks unfinished in it, read from the
 * live document (the projection lags edits by a couple of seconds).
 */
export async function adoptionCheck(docs: Pick<DocOps, "currentState">, planId: string): Promise<PlanCheck> {
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, await docs.currentState(planDocName(planId)));
    return checkPlan(planToJson(doc));
  } finally {
    doc.destroy();
  }
}
