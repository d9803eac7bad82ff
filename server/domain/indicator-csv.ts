// Indicator values as CSV (issue #17): the export lists every indicator of a plan
// with each measured value on a row of its own (an indicator without values on one
// empty row, ready to fill in); the import (through followup-import.ts, which tells
// the two files apart by their columns) adds the rows that carry a value and are not
// already recorded, so a file exported and imported again changes nothing. Cells go
// through csvCell/readCsvCell (decision 016); numbers are written the Swedish way
// ("12,5", as a Swedish spreadsheet reads them) and read either way (parseDecimal).
import type { Db } from "../../db";
import { recordActivity } from "./activity";
import { csvLine } from "./csv";
import type { Deps } from "./deps";
import type { ImportError, ImportPreview } from "./followup-import";
import { insertIndicatorValues, planIndicators } from "./indicators";
import { publishCouncilLife } from "./notifications";
import { parseDecimal } from "./plan-doc";
import { readProjection } from "./plans";
import { measuredOnField, textField } from "./schemas";

export const INDICATOR_CSV_COLUMNS = ["area", "action_id", "action", "indicator_id", "indicator", "unit", "baseline", "baseline_date", "target", "target_date", "direction", "date", "value", "comment"] as const;

const decimal = (v: number | null) => (v === null ? "" : String(v).replace(".", ","));

/** The plan's indicators and their values (up to `until`) as CSV: UTF-8 with BOM, `;`-separated. */
export async function indicatorsCsv(db: Db, councilId: string, planId: string, until?: string): Promise<string> {
  const [areas, measured] = await Promise.all([readProjection(db, planId), planIndicators(db, councilId, planId, { until })]);
  const lines = [csvLine(INDICATOR_CSV_COLUMNS)];
  for (const a of areas)
    for (const g of a.goals)
      for (const x of g.actions)
        for (const i of measured.get(x.id) ?? []) {
          const head = [a.title, x.id, x.title, i.id, i.name, i.unit, decimal(i.baseline), i.baselineDate ?? "", decimal(i.target), i.targetDate ?? "", i.direction];
          if (!i.values.length) lines.push(csvLine([...head, "", "", ""]));
          for (const v of i.values) lines.push(csvLine([...head, v.date, decimal(v.value), v.comment]));
        }
  return "\uFEFF" + lines.join("\r\n") + "\r\n";
}

export interface ValueChange {
  line: number;
  actionId: string;
  title: string;
  indicatorId: string;
  indicator: string;
  unit: string;
  date: string;
  value: number;
  comment: string;
}

const commentField = textField(2000, { multiline: true });

/** Check every row of an indicator values file; the new values, or the errors by line. */
export async function previewValues(db: Db, planId: string, records: Record<string, string>[]): Promise<ImportPreview> {
  const missing = ["indicator_id", "date", "value"].filter((c) => !Object.hasOwn(records[0] ?? {}, c));
  if (missing.length) return { kind: "values", ok: false, rows: records.length, errors: [{ line: 1, key: "import.columns", value: missing.join(", ") }], changes: [], values: [] };
  const plan = await db.selectFrom("plans").select("council_id").where("id", "=", planId).executeTakeFirstOrThrow();
  const measured = await planIndicators(db, plan.council_id, planId);
  const titles = new Map((await db.selectFrom("plan_actions").select(["id", "title"]).where("plan_id", "=", planId).execute()).map((a) => [a.id, a.title]));
  const indicators = new Map([...measured].flatMap(([actionId, list]) => list.map((i) => [i.id, { ...i, actionId }] as const)));
  // Already recorded (the same indicator, date and value): skipped, so a round trip adds nothing.
  const known = new Set([...indicators.values()].flatMap((i) => i.values.map((v) => `${i.id}|${v.date}|${v.value}`)));
  const errors: ImportError[] = [];
  const values: ValueChange[] = [];
  records.forEach((r, k) => {
    const line = k + 2;
    const typed = r.value ?? "";
    if (typed.trim() === "") return; // an indicator's empty row: nothing measured
    const ind = indicators.get(r.indicator_id ?? "");
    if (!ind) return void errors.push({ line, key: "import.unknownIndicator", value: r.indicator_id ?? "" });
    const value = parseDecimal(typed);
    if (value === undefined || value === null) return void errors.push({ line, key: "import.value", value: typed });
    const date = measuredOnField.safeParse(r.date ?? "");
    if (!date.success) return void errors.push({ line, key: "import.date", value: r.date ?? "" });
    const comment = commentField.safeParse(r.comment ?? "");
    if (!comment.success) return void errors.push({ line, key: "import.comment" });
    const key = `${ind.id}|${date.data}|${value}`;
    if (known.has(key)) return;
    known.add(key);
    values.push({ line, actionId: ind.actionId, title: titles.get(ind.actionId) ?? "", indicatorId: ind.id, indicator: ind.name, unit: ind.unit, date: date.data, value, comment: comment.data });
  });
  return { kind: "values", ok: errors.length === 0, rows: records.length, errors, changes: [], values };
}

/** Store previewed values: all in one transaction, with one entry in the activity feed. */
export async function applyValues({ db, events }: Deps, input: { councilId: string; planId: string; actorId: string }, values: ValueChange[]): Promise<void> {
  const plan = await db.selectFrom("plans").select("year").where("id", "=", input.planId).executeTakeFirstOrThrow();
  const byAction = new Map<string, ValueChange[]>();
  for (const v of values) byAction.set(v.actionId, [...(byAction.get(v.actionId) ?? []), v]);
  await db.transaction().execute(async (trx) => {
    for (const [actionId, list] of byAction) {
      await insertIndicatorValues(trx, { councilId: input.councilId, planId: input.planId, actionId, by: input.actorId, values: list.map((v) => ({ indicatorId: v.indicatorId, date: v.date, value: v.value, comment: v.comment })) });
    }
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "followup_imported", params: { count: values.length, year: plan.year }, path: `plans/${plan.year}/dashboard`, audience: "council" });
  });
  events.publish({ type: "followup.recorded", councilId: input.councilId, planId: input.planId });
  publishCouncilLife(events, input.councilId, [], true);
}
