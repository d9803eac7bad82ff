// Yearly revision (revidering): next year's plan starts as a copy of this year's
// document with unfinished actions carried over (same ids, so their follow-up
// history stays linked); adopting (fastställa) a plan freezes it as an immutable
// revision; any two years can be compared.
import * as Y from "yjs";
import type { Db } from "../../db";
import type { Plan } from "../../db/schema";
import { recordActivity } from "./activity";
import { recordAudit } from "./audit";
import { councilAudience, notify, publishCouncilLife } from "./notifications";
import type { Deps, DocOps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { actionsOf, areasOf, goalsOf, metaOf, normalisePlanJson, PLAN_SCHEMA_VERSION, planToJson, upgradePlanDoc, type ActionJson, type AreaJson, type IndicatorJson, type PlanJson } from "./plan-doc";
import { findPlan, planDocName, readProjection, writeProjection } from "./plans";
import { nowIso } from "./time";
import { crashPoint } from "../crash-points";

export type { DocOps };

/** Next year's plan as a copy of this year's document, done and cancelled actions left behind. */
export async function openRevision({ db, events }: Deps, docs: Pick<DocOps, "currentState">, input: { councilId: string; fromYear: number; actorId: string }, now = new Date()): Promise<Plan> {
  const from = await findPlan(db, input.councilId, input.fromYear);
  if (!from) throw new DomainError("error.planNotFound", 404);
  const year = input.fromYear + 1;
  if (await findPlan(db, input.councilId, year)) throw new DomainError("error.planExists", 409);
  // A copy of the Yjs state, edited as Yjs (never re-created from JSON).
  const doc = new Y.Doc();
  Y.applyUpdate(doc, await docs.currentState(planDocName(from.id)));
  let carried = 0;
  let left = 0;
  // A plan adopted before schema 2 is frozen as it was: its copy gets today's layout.
  upgradePlanDoc(doc);
  doc.transact(() => {
    const meta = metaOf(doc);
    meta.set("year", year);
    const title = meta.get("title");
    if (title instanceof Y.Text) {
      title.delete(0, title.length);
      title.insert(0, `Handlingsplan ${year}`);
    }
    for (const area of areasOf(doc).toArray()) {
      for (const goal of goalsOf(area).toArray()) {
        const actions = actionsOf(goal);
        for (let i = actions.length - 1; i >= 0; i--) {
          const status = actions.get(i).get("status");
          if (status === "done" || status === "cancelled") {
            actions.delete(i, 1);
            left++;
          } else carried++;
        }
      }
    }
  });
  const state = Y.encodeStateAsUpdate(doc);
  const json = planToJson(doc);
  doc.destroy();
  const plan: Plan = {
    id: newId(),
    council_id: input.councilId,
    year,
    status: "revision",
    title: `Handlingsplan ${year}`,
    created_at: nowIso(now),
    created_by: input.actorId,
    projected_at: null,
    projected_seq: null,
    copied_from: from.id,
    report_seq: 0,
    schema_version: PLAN_SCHEMA_VERSION,
  };
  // The plan row, its document, its projection and the records: all or nothing
  // (a crash never leaves a plan whose dashboard is empty).
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("plans").values(plan).execute();
    await trx.insertInto("yjs_snapshots").values({ doc_name: planDocName(plan.id), state, last_update_id: 0, updated_at: nowIso(now) }).execute();
    await writeProjection(trx, plan.id, json, now);
    crashPoint("revision.beforeCommit");
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "plan.revision_opened", subject: plan.id, after: { year, from: input.fromYear, carried, left } }, now);
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "plan_revision_opened", params: { year, from: input.fromYear, carried }, path: `plans/${year}`, audience: "council" }, now);
  });
  events.publish({ type: "plan.changed", councilId: input.councilId, planId: plan.id });
  publishCouncilLife(events, input.councilId, [], true);
  return plan;
}

/** Adopt (fastställa) a plan: freeze its exact state and JSON as an immutable revision. */
export async function adoptPlan(
  { db, events }: Deps,
  docs: Pick<DocOps, "freeze">,
  input: { councilId: string; year: number; actorId: string; decision: string | null; meetingId: string | null },
  now = new Date(),
): Promise<void> {
  const plan = await findPlan(db, input.councilId, input.year);
  if (!plan) throw new DomainError("error.planNotFound", 404);
  if (plan.status === "adopted") throw new DomainError("error.planAdopted", 409);
  let notified: string[] = [];
  await docs.freeze(planDocName(plan.id), plan.id, async (state, trx) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const json = planToJson(doc);
    doc.destroy();
    await trx
      .insertInto("plan_revisions")
      .values({ plan_id: plan.id, adopted_at: nowIso(now), adopted_by: input.actorId, decision: input.decision, meeting_id: input.meetingId, state, projection_json: JSON.stringify(json) })
      .execute();
    await trx.updateTable("plans").set({ status: "adopted" }).where("id", "=", plan.id).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "plan.adopted", subject: plan.id, after: { year: plan.year, decision: input.decision } }, now);
    const path = `plans/${plan.year}`;
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "plan_adopted", params: { year: plan.year }, path, audience: "council" }, now);
    const recipients = await councilAudience(trx, input.councilId, "plan:view", { except: input.actorId });
    notified = await notify(trx, { kind: "plan_adopted", councilId: input.councilId, recipients, params: { year: plan.year }, path }, now);
  });
  events.publish({ type: "plan.changed", councilId: input.councilId, planId: plan.id });
  publishCouncilLife(events, input.councilId, notified, true);
}

export async function getAdoption(db: Db, planId: string) {
  return db
    .selectFrom("plan_revisions as r")
    .leftJoin("users as u", "u.id", "r.adopted_by")
    .select(["r.adopted_at as adoptedAt", "u.name as adoptedBy", "r.decision"])
    .where("r.plan_id", "=", planId)
    .executeTakeFirst();
}

/** A year's plan as JSON: the frozen revision if adopted, else the live projection. */
export async function planJsonForYear(db: Db, councilId: string, year: number): Promise<PlanJson | undefined> {
  const plan = await findPlan(db, councilId, year);
  if (!plan) return undefined;
  if (plan.status === "adopted") {
    const rev = await db.selectFrom("plan_revisions").select("projection_json").where("plan_id", "=", plan.id).executeTakeFirst();
    // Revisions adopted before schema 2 have their indicators as text lines.
    if (rev) return normalisePlanJson(JSON.parse(rev.projection_json) as PlanJson);
  }
  return { areas: await readProjection(db, plan.id) };
}

// ---- comparison ----

/** The fields a comparison reports, so the page has words for each (a typed map there). */
export type ComparedField = Exclude<keyof ActionJson, "id">;
type Change = { field: ComparedField; from: unknown; to: unknown };
export interface PlanComparison {
  areas: { added: AreaRef[]; removed: AreaRef[]; changed: (AreaRef & { changes: Change[] })[] };
  actions: {
    added: ActionRef[];
    /** Finished (done or cancelled) in the earlier plan and not in the later one: left behind by the revision, not removed. */
    closed: (ActionRef & { status: string })[];
    /** Still open in the earlier plan, and gone from the later one. */
    removed: ActionRef[];
    changed: (ActionRef & { changes: Change[] })[];
  };
  statusMoves: (ActionRef & { from: string; to: string })[];
}
interface AreaRef {
  id: string;
  title: string;
}
interface ActionRef {
  id: string;
  title: string;
  area: string;
}

export interface CompareOptions {
  /**
   * Years between the two plans (the later plan's year minus the earlier one's). A
   * date moved by exactly this many years, same month and day, is the plan's own
   * move into its year (a revision carries an action from 2026-03-01 to
   * 2027-03-01), not a change anyone made. 0: every moved date is a change.
   */
  yearShift?: number;
}

const ACTION_FIELDS: ComparedField[] = ["title", "description", "responsibleOrg", "responsibleUserId", "startDate", "dueDate", "status", "progress", "indicators"];
const DATE_FIELDS = new Set<ComparedField>(["startDate", "dueDate"]);
const CLOSED = new Set(["done", "cancelled"]);
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/**
 * Whether `to` is `from` moved by exactly `years` whole years. 29 February moved to a
 * year without one may land on 28 February (what a calendar does when it adds a year).
 */
export function isYearShift(from: unknown, to: unknown, years: number): boolean {
  if (!years || typeof from !== "string" || typeof to !== "string") return false;
  const a = ISO_DATE.exec(from);
  const b = ISO_DATE.exec(to);
  if (!a || !b || Number(b[1]) - Number(a[1]) !== years || a[2] !== b[2]) return false;
  if (a[3] === b[3]) return true;
  const y = Number(b[1]);
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  return a[2] === "02" && a[3] === "29" && b[3] === "28" && !leap;
}

/** Whether a field's value counts as changed between the two plans. */
function fieldChanged(field: ComparedField, from: unknown, to: unknown, yearShift: number): boolean {
  if (from === to) return false;
  // An empty value and no value are the same to a reader.
  if ((from ?? "") === "" && (to ?? "") === "") return false;
  return !(DATE_FIELDS.has(field) && isYearShift(from, to, yearShift));
}

/** An action's indicators as one line to compare and quote: "Antal träffar (st): 2 → 4; Andel som fullföljer". */
export function indicatorsText(list: IndicatorJson[]): string {
  return list
    .map((i) => `${i.name}${i.unit ? ` (${i.unit})` : ""}${i.baseline !== null || i.target !== null ? `: ${i.baseline ?? "–"} → ${i.target ?? "–"}` : ""}`)
    .join("; ");
}

type Compared = Omit<ActionJson, "indicators"> & { indicators: string; area: string };

function flatActions(p: PlanJson): Map<string, Compared> {
  const m = new Map<string, Compared>();
  for (const a of p.areas) for (const g of a.goals) for (const x of g.actions) m.set(x.id, { ...x, indicators: indicatorsText(x.indicators), area: a.title });
  return m;
}

/**
 * What changed from plan `a` to plan `b`: areas and actions added, finished (closed),
 * removed, changed field by field, and status moves. The rules a reader expects:
 * an action that was done or cancelled and did not come along is closed, not
 * removed; a date that only moved with the plan's year is not a change
 * (`opts.yearShift`); an empty value and no value are the same.
 */
export function comparePlans(a: PlanJson, b: PlanJson, opts: CompareOptions = {}): PlanComparison {
  const yearShift = opts.yearShift ?? 0;
  const areasA = new Map<string, AreaJson>(a.areas.map((x) => [x.id, x]));
  const areasB = new Map<string, AreaJson>(b.areas.map((x) => [x.id, x]));
  const actA = flatActions(a);
  const actB = flatActions(b);
  const ref = (x: Compared): ActionRef => ({ id: x.id, title: x.title, area: x.area });
  const gone = [...actA.values()].filter((x) => !actB.has(x.id));
  return {
    areas: {
      added: b.areas.filter((x) => !areasA.has(x.id)).map((x) => ({ id: x.id, title: x.title })),
      removed: a.areas.filter((x) => !areasB.has(x.id)).map((x) => ({ id: x.id, title: x.title })),
      changed: b.areas
        .filter((x) => areasA.has(x.id))
        .map((x) => {
          const old = areasA.get(x.id)!;
          const changes = (["title", "description"] as const).filter((f) => fieldChanged(f, old[f], x[f], 0)).map((f) => ({ field: f, from: old[f], to: x[f] }));
          return { id: x.id, title: x.title, changes };
        })
        .filter((x) => x.changes.length),
    },
    actions: {
      added: [...actB.values()].filter((x) => !actA.has(x.id)).map(ref),
      closed: gone.filter((x) => CLOSED.has(x.status)).map((x) => ({ ...ref(x), status: x.status })),
      removed: gone.filter((x) => !CLOSED.has(x.status)).map(ref),
      changed: [...actB.values()]
        .filter((x) => actA.has(x.id))
        .map((x) => {
          const old = actA.get(x.id)!;
          const changes = ACTION_FIELDS.filter((f) => fieldChanged(f, old[f], x[f], yearShift)).map((f) => ({ field: f, from: old[f], to: x[f] }));
          return { ...ref(x), changes };
        })
        .filter((x) => x.changes.length),
    },
    statusMoves: [...actB.values()]
      .filter((x) => actA.has(x.id) && actA.get(x.id)!.status !== x.status)
      .map((x) => ({ ...ref(x), from: actA.get(x.id)!.status, to: x.status })),
  };
}
