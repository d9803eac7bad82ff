// The council's activity feed: what happened, by whom, linked to the thing.
// Written in the same transaction as the change; each entry says who may see it,
// so an observer's feed never mentions a draft or a proposal they cannot open.
import type { Db } from "../../db";
import type { ActivityAudience, Role } from "../../db/schema";
import { newId } from "./ids";
import { nowIso } from "./time";

export const ACTIVITY_KINDS = [
  "meeting_convened",
  "meeting_moved",
  "meeting_cancelled",
  "poll_opened",
  "agenda_proposed",
  "decision_recorded",
  "minutes_approved",
  "followup_reported",
  "followup_imported",
  "indicator_values_reported",
  "plan_revision_opened",
  "plan_adopted",
  "member_joined",
  "statement_drafted",
  "decision_opened",
  "decision_not_adopted",
  "statement_adopted",
  "group_created",
  "group_meeting_convened",
] as const;
export type ActivityKind = (typeof ACTIVITY_KINDS)[number];

export interface ActivityEntry {
  councilId: string;
  actorId: string | null;
  kind: ActivityKind;
  params: Record<string, string | number | null>;
  /** Path inside the council (`meetings/<id>`), or null when there is nothing to open. */
  path: string | null;
  audience: ActivityAudience;
}

export async function recordActivity(db: Db, e: ActivityEntry, now = new Date()): Promise<void> {
  await db
    .insertInto("activity")
    .values({
      id: newId(),
      council_id: e.councilId,
      actor_id: e.actorId,
      kind: e.kind,
      params_json: JSON.stringify(e.params),
      link: e.path,
      audience: e.audience,
      created_at: nowIso(now),
    })
    .execute();
}

const AUDIENCES: Record<Role, ActivityAudience[]> = {
  process_leader: ["council", "contributors", "leaders"],
  member: ["council", "contributors"],
  adjunct: ["council", "contributors"],
  observer: ["council"],
};

export interface ActivityView {
  id: string;
  kind: ActivityKind;
  params: Record<string, string | number | null>;
  path: string | null;
  actorName: string | null;
  created: string;
}

/** Newest first; only entries the role may see. `before` pages back (an ISO instant). */
export async function listActivity(db: Db, councilId: string, role: Role, opts: { limit?: number; before?: string } = {}): Promise<ActivityView[]> {
  let q = db
    .selectFrom("activity as a")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .select(["a.id", "a.kind", "a.params_json", "a.link", "a.created_at", "u.name as actorName"])
    .where("a.council_id", "=", councilId)
    .where("a.audience", "in", AUDIENCES[role]);
  // A recorded decision is part of the minutes, published to observers with them (publication.ts):
  // whatever audience an older entry was recorded with, it is for contributors only.
  if (!AUDIENCES[role].includes("contributors")) q = q.where("a.kind", "!=", "decision_recorded");
  if (opts.before) q = q.where("a.created_at", "<", opts.before);
  const rows = await q.orderBy("a.created_at", "desc").orderBy("a.id", "desc").limit(opts.limit ?? 30).execute();
  return rows.map((r) => ({
    id: r.id,
    kind: r.kind as ActivityKind,
    params: JSON.parse(r.params_json),
    path: r.link,
    actorName: r.actorName ?? null,
    created: r.created_at,
  }));
}
