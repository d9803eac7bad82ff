// Follow-up (uppföljning): dated status and progress reports on plan actions,
// kept as history. The action's current status lives in the plan document; every
// change to it — from the report form or from the live editor — lands here too
// (docs/decisions/008-followup-history.md).
import type { Db } from "../../db";
import type { Membership } from "../../db/schema";
import { newId } from "./ids";
import { can } from "./permissions";
import { ACTION_STATUSES, type ActionStatus } from "./plan-doc";
import { nowIso, stockholmToday } from "./time";

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

export async function recordFollowup(db: Db, e: FollowupEntry, now = new Date()): Promise<void> {
  await db
    .insertInto("followups")
    .values({
      id: newId(),
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
 * Follow-up history of a plan, or of one action. An action carried over into a
 * revision keeps its id, so its history includes the reports from earlier years'
 * plans of the same council.
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
    .where((eb) =>
      actionId
        ? eb.and([
            eb("f.action_id", "=", actionId),
            eb(
              "f.plan_id",
              "in",
              eb
                .selectFrom("plans as p")
                .select("p.id")
                .where("p.council_id", "=", eb.selectFrom("plans as q").select("q.council_id").where("q.id", "=", planId)),
            ),
          ])
        : eb("f.plan_id", "=", planId),
    );
  if (opts.since) q = q.where("f.reported_at", ">", opts.since);
  if (opts.limit) q = q.limit(opts.limit);
  return q.orderBy("f.reported_at", "desc").execute();
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
  const last = await db
    .selectFrom("followups")
    .select(["action_id", (eb) => eb.fn.max("reported_at").as("at")])
    .where("plan_id", "=", planId)
    .groupBy("action_id")
    .execute();
  const lastBy = new Map(last.map((l) => [l.action_id, l.at as string]));
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

/** CSV (UTF-8 with BOM, so Excel opens å, ä, ö right; semicolons as Swedish Excel expects). */
export function dashboardCsv(rows: DashboardRow[]): string {
  const header = ["area", "action_id", "action", "status", "progress", "responsible_org", "responsible_person", "due_date", "overdue", "last_followup"];
  const cell = (v: unknown) => {
    const s = v === null || v === undefined ? "" : String(v);
    return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
  };
  const lines = rows.map((r) =>
    [r.areaTitle, r.actionId, r.title, r.status, r.progress, r.responsibleOrg, r.ownerName ?? "", r.dueDate ?? "", r.overdue ? "yes" : "no", r.lastFollowup ?? ""].map(cell).join(";"),
  );
  return "\uFEFF" + [header.join(";"), ...lines].join("\r\n") + "\r\n";
}
