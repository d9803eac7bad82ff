// Who may open which live document, and write to it. The Yjs endpoint asks this
// for every connection and re-asks when memberships change.
import type { Db } from "../../db";
import type { Role } from "../../db/schema";
import { can, canOnMeeting } from "./permissions";
import { canWritePlan, resolvePlanAccess } from "./plans";

export interface DocAccess {
  kind: "plan" | "minutes" | "statement";
  /** Plan id, meeting id or statement id. */
  id: string;
  councilId: string;
  role: Role;
  canWrite(today?: string): boolean;
}

export const DOC_NAME = /^(plan|doc):([A-Za-z0-9-]{1,64})$/;

/**
 * Undefined for a document that does not exist, belongs to a council the person
 * is not in, or that their role may not read yet (observers read minutes only
 * once approved). The caller answers all of these the same way.
 */
export async function resolveDocAccess(db: Db, userId: string, docName: string): Promise<DocAccess | undefined> {
  const m = DOC_NAME.exec(docName);
  if (!m) return undefined;
  const [, kind, id] = m;
  if (kind === "plan") {
    const a = await resolvePlanAccess(db, userId, id);
    if (!a) return undefined;
    return { kind: "plan", id, councilId: a.plan.council_id, role: a.membership.role, canWrite: (today) => canWritePlan(a, today) };
  }
  // doc:<meeting id> — the meeting's minutes; doc:<statement id> — a statement or proposal.
  const meeting = await db.selectFrom("meetings").select(["id", "council_id", "status", "group_id"]).where("id", "=", id).executeTakeFirst();
  if (!meeting) return resolveStatementAccess(db, userId, id);
  if (meeting.status === "draft") return undefined;
  const membership = await db.selectFrom("memberships").selectAll().where("council_id", "=", meeting.council_id).where("user_id", "=", userId).executeTakeFirst();
  if (!membership || !can(membership, "meeting:view")) return undefined;
  const minutes = await db.selectFrom("minutes").select("status").where("meeting_id", "=", id).executeTakeFirst();
  const status = minutes?.status ?? "draft";
  // A working group's minutes are written by its members and the leaders; the rest of the council reads them.
  const groupRole = meeting.group_id
    ? ((await db.selectFrom("working_group_members").select("role").where("group_id", "=", meeting.group_id).where("user_id", "=", userId).executeTakeFirst())?.role ?? null)
    : null;
  if (!can(membership, "minutes:edit") && status !== "approved") return undefined;
  return {
    kind: "minutes",
    id,
    councilId: meeting.council_id,
    role: membership.role,
    // Closed or approved minutes are frozen for everyone.
    canWrite: (today) => status === "draft" && meeting.status !== "cancelled" && canOnMeeting(membership, "minutes:edit", meeting, groupRole, today),
  };
}

/**
 * A statement's text: those who may draft read and write it while it is a
 * draft (read-only while a decision poll runs); once adopted it is published to
 * everyone in the council, read-only.
 */
async function resolveStatementAccess(db: Db, userId: string, id: string): Promise<DocAccess | undefined> {
  const s = await db.selectFrom("statements").select(["id", "council_id", "status"]).where("id", "=", id).executeTakeFirst();
  if (!s) return undefined;
  const membership = await db.selectFrom("memberships").selectAll().where("council_id", "=", s.council_id).where("user_id", "=", userId).executeTakeFirst();
  if (!membership || !can(membership, "council:view")) return undefined;
  if (s.status !== "adopted" && !can(membership, "statement:draft")) return undefined;
  return {
    kind: "statement",
    id,
    councilId: s.council_id,
    role: membership.role,
    canWrite: (today) => s.status === "draft" && can(membership, "statement:draft", today),
  };
}
