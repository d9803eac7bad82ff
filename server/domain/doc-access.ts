// Who may open which live document, and write to it. The Yjs endpoint asks this
// for every connection and re-asks on every event that may change a document's
// rights; server-side changes ask `resolveDoc` whether the document is open at all.
import type { Db } from "../../db";
import type { Membership, MinutesStatus, Role } from "../../db/schema";
import { DOC_NAME, docName, parseDocName, type DocKind } from "./doc-names";
import { can, canOnMeeting } from "./permissions";
import { canWritePlan, resolvePlanAccess } from "./plans";
import { minutesPublishedTo, statementPublishedTo } from "./publication";

export { DOC_NAME };

/** A live document as the database sees it, whoever asks. */
export interface DocState {
  kind: DocKind;
  /** Plan id, meeting id or statement id. */
  id: string;
  /** The canonical name (`minutes:<id>` for a legacy `doc:<id>`). */
  name: string;
  councilId: string;
  /**
   * Whether the document accepts writes at all: an adopted plan, closed or
   * approved minutes, a cancelled meeting's minutes and a statement out of draft
   * are frozen for everyone, the server included.
   */
  open: boolean;
  /** The status of the plan, minutes or statement behind it. */
  status: string;
}

export interface DocAccess extends DocState {
  role: Role;
  canWrite(today?: string): boolean;
}

/** Undefined for a document that does not exist. */
export async function resolveDoc(db: Db, name: string): Promise<DocState | undefined> {
  const parsed = parseDocName(name);
  if (!parsed) return undefined;
  const { kind, id } = parsed;
  if (kind === "plan") {
    const plan = await db.selectFrom("plans").select(["council_id", "status"]).where("id", "=", id).executeTakeFirst();
    return plan && { kind, id, name: docName(kind, id), councilId: plan.council_id, open: plan.status !== "adopted", status: plan.status };
  }
  if (kind === "minutes" || kind === "doc") {
    const meeting = await db
      .selectFrom("meetings as m")
      .leftJoin("minutes as n", "n.meeting_id", "m.id")
      .select(["m.council_id", "m.status", "n.status as minutesStatus"])
      .where("m.id", "=", id)
      .executeTakeFirst();
    if (meeting) {
      const status = meeting.minutesStatus ?? "draft";
      const open = meeting.status === "convened" && status === "draft";
      return { kind: "minutes", id, name: docName("minutes", id), councilId: meeting.council_id, open, status };
    }
    if (kind === "minutes") return undefined;
  }
  const s = await db.selectFrom("statements").select(["council_id", "status"]).where("id", "=", id).executeTakeFirst();
  return s && { kind: "statement", id, name: docName("statement", id), councilId: s.council_id, open: s.status === "draft", status: s.status };
}

/**
 * Undefined for a document that does not exist, belongs to a council the person
 * is not in, or that their role may not read yet (observers read minutes only
 * once approved). The caller answers all of these the same way.
 */
export async function resolveDocAccess(db: Db, userId: string, name: string): Promise<DocAccess | undefined> {
  const doc = await resolveDoc(db, name);
  if (!doc) return undefined;
  if (doc.kind === "plan") {
    const a = await resolvePlanAccess(db, userId, doc.id);
    if (!a) return undefined;
    return { ...doc, role: a.membership.role, canWrite: (today) => doc.open && canWritePlan(a, today) };
  }
  const membership = await db.selectFrom("memberships").selectAll().where("council_id", "=", doc.councilId).where("user_id", "=", userId).executeTakeFirst();
  if (!membership) return undefined;
  return doc.kind === "minutes" ? minutesAccess(db, doc, membership) : statementAccess(doc, membership);
}

async function minutesAccess(db: Db, doc: DocState, membership: Membership): Promise<DocAccess | undefined> {
  const meeting = await db.selectFrom("meetings").select(["id", "status", "group_id"]).where("id", "=", doc.id).executeTakeFirstOrThrow();
  if (meeting.status === "draft" || !can(membership, "meeting:view")) return undefined;
  if (!minutesPublishedTo(membership, doc.status as MinutesStatus)) return undefined;
  // A working group's minutes are written by its members and the leaders; the rest of the council reads them.
  const groupRole = meeting.group_id
    ? ((await db.selectFrom("working_group_members").select("role").where("group_id", "=", meeting.group_id).where("user_id", "=", membership.user_id).executeTakeFirst())?.role ?? null)
    : null;
  return { ...doc, role: membership.role, canWrite: (today) => doc.open && canOnMeeting(membership, "minutes:edit", meeting, groupRole, today) };
}

/**
 * A statement's text: those who may draft read and write it while it is a
 * draft (read-only while a decision poll runs); once adopted it is published to
 * everyone in the council, read-only.
 */
function statementAccess(doc: DocState, membership: Membership): DocAccess | undefined {
  if (!can(membership, "council:view")) return undefined;
  if (!statementPublishedTo(membership, doc.status)) return undefined;
  return { ...doc, role: membership.role, canWrite: (today) => doc.open && can(membership, "statement:draft", today) };
}
