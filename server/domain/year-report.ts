// The year-end report of a plan (issue #17): the plan's follow-up for the year, per
// priority area each action's status, progress and indicators against their
// targets (values measured up to the year's end), the year's decisions on the plan
// and what was carried over into next year's plan (or, before the revision, what is
// left to carry). Read from the dashboard's cached data (one computation per plan
// version), the decision register's rule and the plans' projection; rendered as a
// printable page (app/components/YearReport.tsx) and a tagged PDF (server/pdf).
import type { Db } from "../../db";
import type { Plan } from "../../db/schema";
import { listRecordedDecisions } from "./agenda";
import { cachedDashboard, type ActionIndicators, type AreaSummary } from "./followups";
import type { MembershipFacts } from "./permissions";
import type { ActionStatus } from "./plan-doc";
import { getAdoption } from "./revisions";
import { stockholmToday, toStockholmIso } from "./time";

export interface YearReportAction {
  id: string;
  title: string;
  status: ActionStatus;
  progress: number;
  owner: string | null;
  org: string;
  dueDate: string | null;
  indicators: ActionIndicators | null;
}

export interface YearReportData {
  council: string;
  year: number;
  status: Plan["status"];
  /** The day the report reads the plan (today, or the year's last day for a past year). */
  asOf: string;
  adoption: { adoptedAt: string; decision: string | null } | null;
  total: AreaSummary;
  areas: { id: string; title: string; summary: AreaSummary; actions: YearReportAction[] }[];
  /** Decisions recorded in the year about the plan's actions, oldest first. */
  decisions: { meeting: string; meetingId: string; date: string; paragraph: number; title: string; decision: string; action: string }[];
  /** Next year's plan, if opened as a copy of this one: the actions it carried. Else the unfinished ones, left to carry. */
  carried: { nextYear: number | null; actions: { id: string; title: string; status: ActionStatus }[] };
}

export async function yearReportData(db: Db, input: { councilName: string; plan: Plan; viewer: MembershipFacts }): Promise<YearReportData> {
  const { plan } = input;
  const today = stockholmToday();
  const { data } = await cachedDashboard(db, plan.id, { today });
  const byAction = new Map(data.indicators.map((a) => [a.actionId, a]));
  const areas = data.areas.map((summary) => ({
    id: summary.id,
    title: summary.title,
    summary,
    actions: data.rows
      .filter((r) => r.areaId === summary.id)
      .map((r) => ({ id: r.actionId, title: r.title, status: r.status, progress: r.progress, owner: r.ownerName, org: r.responsibleOrg, dueDate: r.dueDate, indicators: byAction.get(r.actionId) ?? null })),
  }));
  const titles = new Map(data.rows.map((r) => [r.actionId, r.title]));
  const decisions = (await listRecordedDecisions(db, plan.council_id, input.viewer))
    .filter((d) => d.planActionId && titles.has(d.planActionId) && toStockholmIso(d.startsAt).startsWith(`${plan.year}-`))
    .reverse()
    .map((d) => ({ meeting: d.meetingTitle, meetingId: d.meetingId, date: d.startsAt, paragraph: d.paragraph, title: d.title, decision: d.decision, action: titles.get(d.planActionId!) ?? "" }));
  const next = await db.selectFrom("plans").select(["id", "year"]).where("copied_from", "=", plan.id).executeTakeFirst();
  const carriedIds = next ? new Set((await db.selectFrom("plan_actions").select("id").where("plan_id", "=", next.id).execute()).map((r) => r.id)) : null;
  const carried = data.rows
    .filter((r) => (carriedIds ? carriedIds.has(r.actionId) : r.status !== "done" && r.status !== "cancelled"))
    .map((r) => ({ id: r.actionId, title: r.title, status: r.status }));
  const adoption = await getAdoption(db, plan.id);
  return {
    council: input.councilName,
    year: plan.year,
    status: plan.status,
    asOf: today < `${plan.year + 1}-01-01` ? today : `${plan.year}-12-31`,
    adoption: adoption ? { adoptedAt: adoption.adoptedAt, decision: adoption.decision } : null,
    total: data.total,
    areas,
    decisions,
    carried: { nextYear: next?.year ?? null, actions: carried },
  };
}
