// Indicators (indikatorer) with targets and measured values (issue #17,
// docs/decisions/050-indicators.md). What an indicator is (name, unit, baseline,
// target, direction) lives in the plan document and its projection
// (plan_indicators); what was measured lives here, in indicator_values: dated values
// with a comment, reported with a follow-up report or alone, kept as history and
// read by indicator id across the council's plan years (a carried-over action keeps
// its indicators' ids).
import type { Db } from "../../db";
import { recordActivity } from "./activity";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import type { ActionStatus, IndicatorJson } from "./plan-doc";
import { readIndicatorProjection } from "./plans";
import { nowIso } from "./time";

export interface IndicatorValue {
  id: string;
  indicatorId: string;
  /** 'YYYY-MM-DD' */
  date: string;
  value: number;
  comment: string;
  by: string | null;
  reportedAt: string;
}

export interface NewIndicatorValue {
  indicatorId: string;
  date: string;
  value: number;
  comment: string;
}

/**
 * The measured values of these indicators in the council, oldest first (by date,
 * then by when reported), up to `until` ('YYYY-MM-DD', inclusive) if given.
 */
export async function listIndicatorValues(db: Db, councilId: string, indicatorIds: readonly string[], opts: { until?: string } = {}): Promise<Map<string, IndicatorValue[]>> {
  const by = new Map<string, IndicatorValue[]>();
  if (!indicatorIds.length) return by;
  let q = db
    .selectFrom("indicator_values as v")
    .leftJoin("users as u", "u.id", "v.reported_by")
    .select(["v.id", "v.indicator_id as indicatorId", "v.measured_on as date", "v.value", "v.comment", "u.name as by", "v.reported_at as reportedAt"])
    .where("v.council_id", "=", councilId)
    .where("v.indicator_id", "in", [...new Set(indicatorIds)]);
  if (opts.until) q = q.where("v.measured_on", "<=", opts.until);
  for (const r of await q.orderBy("v.measured_on").orderBy("v.reported_at").orderBy("v.id").execute()) {
    let list = by.get(r.indicatorId);
    if (!list) by.set(r.indicatorId, (list = []));
    list.push({ ...r, value: Number(r.value) });
  }
  return by;
}

/**
 * Store measured values of an action's indicators, in the caller's transaction.
 * Every indicator must be one of the action's in this plan (else 400: a form or a
 * file naming another action's indicator is refused whole).
 */
export async function insertIndicatorValues(
  trx: Db,
  input: { councilId: string; planId: string; actionId: string; by: string | null; values: NewIndicatorValue[]; followupId?: string | null },
  now = new Date(),
): Promise<number> {
  if (!input.values.length) return 0;
  const own = new Set((await readIndicatorProjection(trx, input.planId, input.actionId)).get(input.actionId)?.map((i) => i.id) ?? []);
  if (input.values.some((v) => !own.has(v.indicatorId))) throw new DomainError("error.indicatorNotFound", 400);
  await trx
    .insertInto("indicator_values")
    .values(
      input.values.map((v) => ({
        id: newId(),
        council_id: input.councilId,
        plan_id: input.planId,
        action_id: input.actionId,
        indicator_id: v.indicatorId,
        measured_on: v.date,
        value: v.value,
        comment: v.comment,
        reported_by: input.by,
        reported_at: nowIso(now),
        followup_id: input.followupId ?? null,
      })),
    )
    .execute();
  return input.values.length;
}

/** Measured values reported alone (without a status report), with an entry in the activity feed. */
export async function reportIndicatorValues(
  { db, events }: Deps,
  input: { councilId: string; plan: { id: string; year: number }; action: { id: string; title: string }; by: string; values: NewIndicatorValue[] },
  now = new Date(),
): Promise<void> {
  if (!input.values.length) throw new DomainError("error.noIndicatorValue", 400);
  await db.transaction().execute(async (trx) => {
    await insertIndicatorValues(trx, { councilId: input.councilId, planId: input.plan.id, actionId: input.action.id, by: input.by, values: input.values }, now);
    await recordActivity(
      trx,
      { councilId: input.councilId, actorId: input.by, kind: "indicator_values_reported", params: { action: input.action.title, year: input.plan.year, count: input.values.length }, path: `plans/${input.plan.year}/actions/${input.action.id}`, audience: "council" },
      now,
    );
  });
  events.publish({ type: "followup.recorded", councilId: input.councilId, planId: input.plan.id });
  events.publish({ type: "activity.recorded", councilId: input.councilId });
}

// ---- target versus actual ----

/** Where an indicator stands: its latest value, how far from baseline to target, and the traffic light it suggests. */
export interface IndicatorStanding {
  latest: IndicatorValue | null;
  /** The share of the way from baseline to target the latest value has come (1 = reached); null without baseline, target or value. */
  reached: number | null;
  /** The share of the time from baseline date to target date passed at the latest value's date; null without both dates. */
  expected: number | null;
  /** The status the figures suggest (never "done": that is the action's, not a figure's); null when they cannot say. */
  suggestion: Extract<ActionStatus, "on_track" | "at_risk" | "delayed"> | null;
}

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

/**
 * Target versus actual (decision 050). Reached: (latest − baseline) / (target −
 * baseline); when target equals baseline (hold a level), 1 if the latest value is at
 * it or better in the indicator's direction, else 0. Expected: the time passed from
 * the baseline's date to the target's, at the latest value's date. Suggestion:
 * on track when reached ≥ 1 or lags expected by at most 0.10; at risk up to 0.25;
 * delayed beyond. Without dates only a reached target can be said (on track).
 */
export function indicatorStanding(ind: IndicatorJson, values: readonly IndicatorValue[]): IndicatorStanding {
  const latest = values.length ? values[values.length - 1] : null;
  if (!latest || ind.baseline === null || ind.target === null) return { latest, reached: null, expected: null, suggestion: null };
  const span = ind.target - ind.baseline;
  const reached = span !== 0 ? (latest.value - ind.baseline) / span : (ind.direction === "higher" ? latest.value >= ind.target : latest.value <= ind.target) ? 1 : 0;
  let expected: number | null = null;
  if (ind.baselineDate && ind.targetDate && ind.targetDate > ind.baselineDate) {
    const t = (dayNumber(latest.date) - dayNumber(ind.baselineDate)) / (dayNumber(ind.targetDate) - dayNumber(ind.baselineDate));
    expected = Math.min(1, Math.max(0, t));
  }
  let suggestion: IndicatorStanding["suggestion"] = null;
  if (reached >= 1) suggestion = "on_track";
  else if (expected !== null) {
    const lag = expected - reached;
    suggestion = lag <= 0.1 ? "on_track" : lag <= 0.25 ? "at_risk" : "delayed";
  }
  return { latest, reached, expected, suggestion };
}

const SEVERITY = { on_track: 0, at_risk: 1, delayed: 2 } as const;

/** An action's suggested traffic light from its indicators: the worst of theirs; null when none can say. */
export function suggestedStatus(standings: readonly IndicatorStanding[]): IndicatorStanding["suggestion"] {
  let worst: IndicatorStanding["suggestion"] = null;
  for (const s of standings) if (s.suggestion && (worst === null || SEVERITY[s.suggestion] > SEVERITY[worst])) worst = s.suggestion;
  return worst;
}

/** An indicator with its measured values (oldest first) and where it stands. */
export interface IndicatorWithValues extends IndicatorJson {
  values: IndicatorValue[];
  standing: IndicatorStanding;
}

/**
 * A plan's indicators (or one action's) with their values, by action id in document
 * order: what the action page, the dashboard, the API and the year-end report show.
 * `until` ('YYYY-MM-DD') leaves out values measured later (a past year's report).
 */
export async function planIndicators(db: Db, councilId: string, planId: string, opts: { actionId?: string; until?: string } = {}): Promise<Map<string, IndicatorWithValues[]>> {
  const defs = await readIndicatorProjection(db, planId, opts.actionId);
  const ids = [...defs.values()].flat().map((i) => i.id);
  const values = await listIndicatorValues(db, councilId, ids, { until: opts.until });
  const out = new Map<string, IndicatorWithValues[]>();
  for (const [actionId, list] of defs) {
    out.set(
      actionId,
      list.map((i) => {
        const v = values.get(i.id) ?? [];
        return { ...i, values: v, standing: indicatorStanding(i, v) };
      }),
    );
  }
  return out;
}
