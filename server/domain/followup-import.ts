// Bulk follow-up by CSV (the same columns as the exports): parse, validate every
// row, preview the changes; apply only when every row is valid, all in one go.
// Two files are read: the follow-up export (action_id, status, progress) and the
// indicator values export (indicator_id, date, value, comment; indicator-csv.ts),
// told apart by their columns.
import { parse } from "csv-parse/sync";
import type { Db } from "../../db";
import type { MessageKey } from "../../app/i18n/keys";
import type { Deps, DocOps } from "./deps";
import { readCsvCell } from "./csv";
import { DomainError } from "./errors";
import { recordActivity } from "./activity";
import { publishCouncilLife } from "./notifications";
import { recordFollowup } from "./followups";
import { ACTION_STATUSES, setActionStates } from "./plan-doc";
import { planDocName } from "./plans";
import { applyValues, previewValues, type ValueChange } from "./indicator-csv";

export interface ImportError {
  line: number;
  key: MessageKey;
  value?: string;
}
export interface ImportChange {
  line: number;
  actionId: string;
  title: string;
  from: { status: string; progress: number };
  to: { status: string; progress: number };
}
export interface ImportPreview {
  /** Which file it was: the follow-up export's columns, or the indicator values'. */
  kind: "followups" | "values";
  ok: boolean;
  rows: number;
  errors: ImportError[];
  /** Status and progress changes (the follow-up file). */
  changes: ImportChange[];
  /** New measured values (the indicator values file). */
  values: ValueChange[];
}

export const MAX_IMPORT_BYTES = 256 * 1024;

const refused = (rows: number, error: ImportError): ImportPreview => ({ kind: "followups", ok: false, rows, errors: [error], changes: [], values: [] });

/** The rows of a CSV we may have written (`;` or `,`), cells as written before csvCell neutralised them; or why not. */
function readRecords(csv: string): Record<string, string>[] | ImportError {
  if (!csv.trim()) return { line: 1, key: "import.empty" };
  if (csv.length > MAX_IMPORT_BYTES) return { line: 1, key: "import.tooLarge" };
  const firstLine = csv.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(";") ? ";" : ",";
  try {
    const records: Record<string, string>[] = parse(csv, { bom: true, columns: true, delimiter, skip_empty_lines: true, trim: true, relax_column_count: true });
    // Our export neutralised formula-like cells with a leading `'` (csvCell); take it off again.
    return records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, readCsvCell(String(v ?? ""))])));
  } catch {
    return { line: 1, key: "import.unreadable" };
  }
}

export async function previewImport(db: Db, planId: string, csv: string): Promise<ImportPreview> {
  const records = readRecords(csv);
  if (!Array.isArray(records)) return refused(0, records);
  const header = Object.keys(records[0] ?? {});
  if (header.includes("indicator_id")) return previewValues(db, planId, records);
  const missing = ["action_id", "status", "progress"].filter((c) => !header.includes(c));
  if (records.length === 0 || missing.length) return refused(records.length, { line: 1, key: "import.columns", value: missing.join(", ") || "action_id, status, progress" });
  const actions = await db.selectFrom("plan_actions").select(["id", "title", "status", "progress"]).where("plan_id", "=", planId).execute();
  const byId = new Map(actions.map((a) => [a.id, a]));
  const errors: ImportError[] = [];
  const changes: ImportChange[] = [];
  const seen = new Set<string>();
  records.forEach((r, i) => {
    const line = i + 2; // header is line 1
    const id = r.action_id ?? "";
    const action = byId.get(id);
    if (!action) return void errors.push({ line, key: "import.unknownAction", value: id });
    if (seen.has(id)) return void errors.push({ line, key: "import.duplicate", value: id });
    seen.add(id);
    const status = r.status ?? "";
    if (!(ACTION_STATUSES as readonly string[]).includes(status)) return void errors.push({ line, key: "import.status", value: status });
    const progress = Number(r.progress);
    if (!/^\d{1,3}$/.test(r.progress ?? "") || progress > 100) return void errors.push({ line, key: "import.progress", value: r.progress });
    if (status !== action.status || progress !== action.progress) {
      changes.push({ line, actionId: id, title: action.title, from: { status: action.status, progress: action.progress }, to: { status, progress } });
    }
  });
  return { kind: "followups", ok: errors.length === 0, rows: records.length, errors, changes, values: [] };
}

/**
 * Apply a previewed import: nothing is applied unless every row is valid, and the
 * plan change, its history rows and the activity entry are one transaction.
 */
export async function applyImport(
  { db, events }: Deps,
  docs: Pick<DocOps, "applyServerChange">,
  input: { councilId: string; planId: string; csv: string; actorId: string },
): Promise<ImportPreview> {
  const preview = await previewImport(db, input.planId, input.csv);
  if (!preview.ok) throw new DomainError("import.invalid", 400);
  if (preview.values.length) {
    await applyValues({ db, events }, { councilId: input.councilId, planId: input.planId, actorId: input.actorId }, preview.values);
    return preview;
  }
  if (!preview.changes.length) return preview;
  const wanted = new Map(preview.changes.map((c) => [c.actionId, c.to]));
  const plan = await db.selectFrom("plans").select("year").where("id", "=", input.planId).executeTakeFirstOrThrow();
  await docs.applyServerChange(
    planDocName(input.planId),
    (doc) => setActionStates(doc, wanted),
    async (trx, before) => {
      for (const c of preview.changes) {
        const old = before.get(c.actionId) ?? c.from;
        await recordFollowup(trx, {
          planId: input.planId,
          actionId: c.actionId,
          by: input.actorId,
          source: "report",
          oldStatus: old.status,
          newStatus: c.to.status,
          oldProgress: old.progress,
          newProgress: c.to.progress,
          comment: "CSV",
        });
      }
      await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "followup_imported", params: { count: preview.changes.length, year: plan.year }, path: `plans/${plan.year}/dashboard`, audience: "council" });
    },
  );
  events.publish({ type: "followup.recorded", councilId: input.councilId, planId: input.planId });
  publishCouncilLife(events, input.councilId, [], true);
  return preview;
}
