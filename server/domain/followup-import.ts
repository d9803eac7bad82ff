// Bulk follow-up by CSV (the same columns as the export): parse, validate every
// row, preview the changes; apply only when every row is valid, all in one go.
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
  ok: boolean;
  rows: number;
  errors: ImportError[];
  changes: ImportChange[];
}

export const MAX_IMPORT_BYTES = 256 * 1024;

export async function previewImport(db: Db, planId: string, csv: string): Promise<ImportPreview> {
  if (!csv.trim()) return { ok: false, rows: 0, errors: [{ line: 1, key: "import.empty" }], changes: [] };
  if (csv.length > MAX_IMPORT_BYTES) return { ok: false, rows: 0, errors: [{ line: 1, key: "import.tooLarge" }], changes: [] };
  const firstLine = csv.replace(/^\uFEFF/, "").split(/\r?\n/, 1)[0];
  const delimiter = firstLine.includes(";") ? ";" : ",";
  let records: Record<string, string>[];
  try {
    records = parse(csv, { bom: true, columns: true, delimiter, skip_empty_lines: true, trim: true, relax_column_count: true });
    // Our export neutralised formula-like cells with a leading `'` (csvCell); take it off again.
    records = records.map((r) => Object.fromEntries(Object.entries(r).map(([k, v]) => [k, readCsvCell(String(v ?? ""))])));
  } catch {
    return { ok: false, rows: 0, errors: [{ line: 1, key: "import.unreadable" }], changes: [] };
  }
  const header = Object.keys(records[0] ?? {});
  const missing = ["action_id", "status", "progress"].filter((c) => !header.includes(c));
  if (records.length === 0 || missing.length) {
    return { ok: false, rows: records.length, errors: [{ line: 1, key: "import.columns", value: missing.join(", ") || "action_id, status, progress" }], changes: [] };
  }
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
  return { ok: errors.length === 0, rows: records.length, errors, changes };
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
