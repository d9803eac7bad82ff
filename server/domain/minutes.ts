// Minutes (protokoll) with Swedish approval practice (justering): the leader
// names one or two approvers among the attendees and closes the minutes, which
// freezes the text; each approver approves or sends them back with a comment;
// approved minutes are published to observers. The text is the Yjs document
// `minutes:<meeting id>` (root XmlFragment "content").
import * as Y from "yjs";
import type { Db } from "../../db";
import type { Meeting, MinutesStatus } from "../../db/schema";
import { recordActivity } from "./activity";
import { listParagraphs, recordDecision } from "./agenda";
import { attendanceForm, attendedUserIds, meetingAttendance, type MeetingAttendance } from "./attendance";
import { recordAudit } from "./audit";
import { notify, publishCouncilLife, withRight } from "./notifications";
import type { Deps, DocOps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { getMeeting, withMeeting } from "./meetings";
import { canOnMeeting, type MembershipFacts } from "./permissions";
import { addActionsToGoal, xmlToText } from "./plan-doc";
import { findPlan, planDocName } from "./plans";
import { minutesPublishedTo } from "./publication";
import { richTextStateToHtml } from "./rich-text-html";
import { nowIso, stockholmToday, stockholmYear } from "./time";

import { minutesDocName } from "./doc-names";
import { fixParagraphNumbers } from "./paragraphs";
export { minutesDocName };
// Attendance has its own module (attendance.ts); these stay importable from here.
export { listAttendance, setAttendance } from "./attendance";

export interface MinutesView {
  status: MinutesStatus;
  closedAt: string | null;
  approvedAt: string | null;
  frozenText: string | null;
  approvers: { userId: string; name: string; status: "pending" | "approved" | "returned"; comment: string | null; decidedAt: string | null }[];
}

export async function getMinutes(db: Db, meetingId: string): Promise<MinutesView> {
  const row = await db.selectFrom("minutes").selectAll().where("meeting_id", "=", meetingId).executeTakeFirst();
  const approvers = await db
    .selectFrom("minutes_approvers as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .select(["a.user_id as userId", "u.name", "a.status", "a.comment", "a.decided_at as decidedAt"])
    .where("a.meeting_id", "=", meetingId)
    .orderBy("u.name")
    .execute();
  return {
    status: row?.status ?? "draft",
    closedAt: row?.closed_at ?? null,
    approvedAt: row?.approved_at ?? null,
    frozenText: row?.frozen_text ?? null,
    approvers,
  };
}

/**
 * The minutes of a meeting as `viewer` may read them. Until they are published to
 * the viewer (publication.ts) only their status is given: no text, attendance,
 * decisions, action items or approvers' comments.
 */
export async function readMinutes(db: Db, meeting: Meeting, viewer: MembershipFacts, today = stockholmToday()) {
  const minutes = await getMinutes(db, meeting.id);
  const published = minutesPublishedTo(viewer, minutes.status, today);
  if (!published) {
    return {
      published,
      frozenHtml: null as string | null,
      minutes: { ...minutes, frozenText: null, approvers: [] as (MinutesView["approvers"][number] & { eligible: boolean })[] },
      attendance: [] as (Awaited<ReturnType<typeof attendanceForm>>[number] & { canApprove: boolean })[],
      recorded: { recorded: false, organisations: [], guests: [], substitutes: [] } as MeetingAttendance,
      agenda: [] as { id: string; paragraph: number; title: string; decision: string | null }[],
      actionItems: [] as Awaited<ReturnType<typeof listActionItems>>,
    };
  }
  const eligible = await eligibleApprovers(db, meeting, today);
  // Closed and approved minutes are read from their frozen state, with their structure (rich-text-html.ts).
  const frozen =
    minutes.status === "draft" ? undefined : await db.selectFrom("minutes").select("frozen_state").where("meeting_id", "=", meeting.id).executeTakeFirst();
  return {
    published,
    frozenHtml: frozen?.frozen_state ? richTextStateToHtml(frozen.frozen_state) : null,
    // An approver who may no longer approve (their role changed) is shown as such, for the leader to replace.
    minutes: { ...minutes, approvers: minutes.approvers.map((a) => ({ ...a, eligible: eligible.has(a.userId) })) },
    // The attendance form's rows (recorded or pre-filled) and the recorded attendance by organisation.
    attendance: (await attendanceForm(db, meeting)).map((a) => ({ ...a, canApprove: eligible.has(a.userId) })),
    recorded: await meetingAttendance(db, meeting.id),
    // The accepted agenda items in order with their paragraph (§) and decision (null until one is recorded).
    agenda: await listParagraphs(db, meeting, viewer),
    actionItems: await listActionItems(db, meeting.id),
  };
}

/**
 * A step on a convened meeting's minutes, under the meeting guard (withMeeting in
 * meetings.ts): the meeting's row is held until the step commits, so closing,
 * approving and editing the minutes never cross on another connection or node.
 */
function withConvened<T>(db: Db, ref: { councilId: string; meetingId: string }, now: Date, fn: (trx: Db, m: Meeting) => Promise<T>): Promise<T> {
  return withMeeting(db, ref, null, now, (trx, m) => {
    if (m.status === "draft") throw new DomainError("error.meetingNotFound", 404);
    if (m.status === "cancelled") throw new DomainError("error.meetingCancelled", 409);
    return fn(trx, m);
  });
}

/** The minutes of a meeting held by withConvened, refused unless still a draft (action items and decisions are frozen with them). */
async function requireDraftMinutes(trx: Db, meetingId: string): Promise<void> {
  if ((await getMinutes(trx, meetingId)).status !== "draft") throw new DomainError("error.minutesFrozen", 409);
}

async function ensureRow(db: Db, meetingId: string) {
  await db
    .insertInto("minutes")
    .values({ meeting_id: meetingId, status: "draft", closed_at: null, approved_at: null, frozen_text: null, frozen_state: null })
    .onConflict((oc) => oc.column("meeting_id").doNothing())
    .execute();
}

/**
 * Who may approve (justera) a meeting's minutes today: people who attended (present,
 * or serving as a substitute) who may write this meeting's minutes (canOnMeeting "minutes:edit": not an
 * observer, an adjunct in their period, for a working group's meeting a member of
 * the group or a leader). Approving publishes the minutes, so it is a writer's act.
 */
export async function eligibleApprovers(db: Db, meeting: Pick<Meeting, "id" | "council_id" | "group_id">, today = stockholmToday()): Promise<Set<string>> {
  const attended = [...(await attendedUserIds(db, meeting.id))];
  if (!attended.length) return new Set();
  const rows = await db
    .selectFrom("memberships as ms")
    .innerJoin("users as u", "u.id", "ms.user_id")
    .leftJoin("working_group_members as gm", (j) => j.onRef("gm.user_id", "=", "ms.user_id").on("gm.group_id", "=", meeting.group_id ?? ""))
    .select(["ms.user_id", "ms.role", "ms.valid_from", "ms.valid_to", "gm.role as groupRole"])
    .where("ms.council_id", "=", meeting.council_id)
    .where("ms.user_id", "in", attended)
    .where("u.anonymised_at", "is", null)
    .execute();
  return new Set(rows.filter((r) => canOnMeeting(r, "minutes:edit", meeting, r.groupRole ?? null, today)).map((r) => r.user_id));
}

/**
 * Name the approvers (justerare): one or two people who attended and may write
 * the minutes. While the minutes are a draft; and on closed minutes when a named
 * approver has lost that right since (they could neither approve nor be replaced
 * otherwise): then every approver approves the frozen text anew, and is asked to.
 */
export async function setApprovers({ db, events }: Deps, input: { councilId: string; meetingId: string; userIds: string[]; actorId: string }, now = new Date()) {
  const { replacing, notified } = await withConvened(db, input, now, async (trx, m) => {
    const minutes = await getMinutes(trx, m.id);
    const eligible = await eligibleApprovers(trx, m, stockholmToday(now));
    const replacing = minutes.status === "closed" && minutes.approvers.some((a) => !eligible.has(a.userId));
    if (minutes.status !== "draft" && !replacing) throw new DomainError("error.minutesFrozen", 409);
    const unique = [...new Set(input.userIds)];
    if (unique.length < 1 || unique.length > 2) throw new DomainError("error.approverCount", 400);
    const attended = await attendedUserIds(trx, m.id);
    if (unique.some((id) => !attended.has(id))) throw new DomainError("error.approverNotAttendee", 400);
    if (unique.some((id) => !eligible.has(id))) throw new DomainError("error.approverNotWriter", 400);
    await ensureRow(trx, m.id);
    await trx.deleteFrom("minutes_approvers").where("meeting_id", "=", m.id).execute();
    await trx.insertInto("minutes_approvers").values(unique.map((user_id) => ({ meeting_id: m.id, user_id, status: "pending" as const, comment: null, decided_at: null }))).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "minutes.approvers_named", subject: m.id, after: { approvers: unique } }, now);
    if (!replacing) return { replacing, notified: [] };
    return { replacing, notified: await notify(trx, { kind: "minutes_approval", councilId: input.councilId, recipients: unique, params: { title: m.title }, path: `meetings/${m.id}/minutes` }, now) };
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
  if (replacing) publishCouncilLife(events, input.councilId, notified, false);
}

/** Close the minutes: the text is frozen (its Yjs state and plain text kept) and sent to the approvers. */
export async function closeMinutes(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; actorId: string; currentState: Uint8Array },
  now = new Date(),
) {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, input.currentState);
  const text = xmlToText(doc.getXmlFragment("content"));
  doc.destroy();
  const notified = await withConvened(db, input, now, async (trx, m) => {
    const minutes = await getMinutes(trx, m.id);
    if (minutes.status !== "draft") throw new DomainError("error.minutesFrozen", 409);
    if (minutes.approvers.length === 0) throw new DomainError("error.approverCount", 400);
    // An approver who has since lost the right to write the minutes must be replaced first.
    const eligible = await eligibleApprovers(trx, m, stockholmToday(now));
    if (minutes.approvers.some((a) => !eligible.has(a.userId))) throw new DomainError("error.approverNotWriter", 409);
    await ensureRow(trx, m.id);
    await trx
      .updateTable("minutes")
      .set({ status: "closed", closed_at: nowIso(now), frozen_text: text, frozen_state: input.currentState })
      .where("meeting_id", "=", m.id)
      .execute();
    await trx.updateTable("minutes_approvers").set({ status: "pending", comment: null, decided_at: null }).where("meeting_id", "=", m.id).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "minutes.closed", subject: m.id }, now);
    // The approvers (justerare) are asked; one who has since lost access is not.
    const approvers = await withRight(trx, input.councilId, minutes.approvers.map((a) => a.userId), "meeting:view");
    return notify(trx, { kind: "minutes_approval", councilId: input.councilId, recipients: approvers, params: { title: m.title }, path: `meetings/${m.id}/minutes` }, now);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, notified, false);
}

/** An approver approves, or sends the minutes back with a comment (they reopen for editing). */
export async function decideMinutes(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; userId: string; approve: boolean; comment: string },
  now = new Date(),
) {
  // Under the meeting guard: two approvers approving at once each see the other's
  // decision, so the last of them publishes the minutes (not neither).
  const complete = await withConvened(db, input, now, async (trx, m) => {
    const minutes = await getMinutes(trx, m.id);
    if (minutes.status !== "closed") throw new DomainError("error.minutesNotClosed", 409);
    const me = minutes.approvers.find((a) => a.userId === input.userId);
    if (!me) throw new DomainError("error.notApprover", 403);
    // Named while they could write the minutes; if their role has changed since (an observer now), they may not publish them.
    if (!(await eligibleApprovers(trx, m, stockholmToday(now))).has(input.userId)) throw new DomainError("error.approverNotWriter", 403);
    if (!input.approve && !input.comment) throw new DomainError("error.required", 400, "comment");
    const complete = input.approve && minutes.approvers.every((a) => a.userId === input.userId || a.status === "approved");
    await trx
      .updateTable("minutes_approvers")
      .set({ status: input.approve ? "approved" : "returned", comment: input.comment || null, decided_at: nowIso(now) })
      .where("meeting_id", "=", m.id)
      .where("user_id", "=", input.userId)
      .execute();
    if (!input.approve) {
      await trx.updateTable("minutes").set({ status: "draft", closed_at: null }).where("meeting_id", "=", m.id).execute();
    } else if (complete) {
      await trx.updateTable("minutes").set({ status: "approved", approved_at: nowIso(now) }).where("meeting_id", "=", m.id).execute();
      // Their paragraph numbers (§) are fixed from now on (paragraphs.ts).
      await fixParagraphNumbers(trx, input.councilId, m.id);
      await recordActivity(trx, { councilId: input.councilId, actorId: input.userId, kind: "minutes_approved", params: { title: m.title }, path: `meetings/${m.id}/minutes`, audience: "council" }, now);
    }
    await recordAudit(trx, { councilId: input.councilId, actorId: input.userId, action: input.approve ? "minutes.approved" : "minutes.returned", subject: m.id, after: { comment: input.comment || null } }, now);
    return complete;
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, [], complete);
}

// ---- action items ----

export async function addActionItem(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; what: string; ownerUserId: string | null; dueDate: string | null },
  now = new Date(),
) {
  await withConvened(db, input, now, async (trx, m) => {
    await requireDraftMinutes(trx, m.id);
    await requireCouncilMember(trx, input.councilId, input.ownerUserId);
    await trx.insertInto("action_items").values({ id: newId(), meeting_id: m.id, what: input.what, owner_user_id: input.ownerUserId, due_date: input.dueDate, plan_action_id: null, created_at: nowIso(now) }).execute();
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/** An action item's owner must be one of the council's members (or nobody). */
async function requireCouncilMember(trx: Db, councilId: string, userId: string | null): Promise<void> {
  if (!userId) return;
  const member = await trx.selectFrom("memberships").select("id").where("council_id", "=", councilId).where("user_id", "=", userId).executeTakeFirst();
  if (!member) throw new DomainError("error.unknown", 400, "ownerUserId");
}

export async function listActionItems(db: Db, meetingId: string) {
  return db
    .selectFrom("action_items as i")
    .leftJoin("users as u", "u.id", "i.owner_user_id")
    .select(["i.id", "i.what", "i.owner_user_id as ownerUserId", "u.name as ownerName", "i.due_date as dueDate", "i.plan_action_id as planActionId"])
    .where("i.meeting_id", "=", meetingId)
    .orderBy("i.created_at")
    .execute();
}

/** Mark an action item as turned into a plan action; false when it already was (or is not this meeting's). */
export async function markActionItemConverted(db: Db, meetingId: string, itemId: string, planActionId: string) {
  const res = await db
    .updateTable("action_items")
    .set({ plan_action_id: planActionId })
    .where("id", "=", itemId)
    .where("meeting_id", "=", meetingId)
    .where("plan_action_id", "is", null)
    .executeTakeFirst();
  return Number(res.numUpdatedRows) === 1;
}

/**
 * An action item of the minutes becomes an action in the plan of the meeting's
 * year, under the chosen goal. The plan change and the item's "converted" mark are
 * one transaction (applyServerChange): a crash never leaves one without the
 * other, and a second conversion is refused. An adopted plan is refused.
 */
export async function convertActionItem(
  { db, events }: Deps,
  docs: Pick<DocOps, "applyServerChange">,
  input: { councilId: string; meetingId: string; itemId: string; goalId: string },
): Promise<string> {
  const m = await getMeeting(db, input.councilId, input.meetingId);
  if (!m || m.status === "draft") throw new DomainError("error.meetingNotFound", 404);
  const item = await db.selectFrom("action_items").selectAll().where("id", "=", input.itemId).where("meeting_id", "=", m.id).executeTakeFirst();
  if (!item) throw new DomainError("error.unknown", 404, "toPlan");
  if (item.plan_action_id) throw new DomainError("error.alreadyConverted", 409, "toPlan");
  const plan = await findPlan(db, input.councilId, stockholmYear(m.starts_at));
  if (!plan) throw new DomainError("error.planNotFound", 404, "toPlan");
  if (plan.status === "adopted") throw new DomainError("error.planAdopted", 409, "toPlan");
  const actionId = newId();
  await docs.applyServerChange(
    planDocName(plan.id),
    (doc) => {
      const added = addActionsToGoal(doc, input.goalId, [{ id: actionId, title: item.what, responsibleUserId: item.owner_user_id, dueDate: item.due_date }]);
      if (!added) throw new DomainError("error.goal", 400, "toPlan");
    },
    async (trx) => {
      if (!(await markActionItemConverted(trx, m.id, item.id, actionId))) throw new DomainError("error.alreadyConverted", 409, "toPlan");
    },
  );
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: m.id });
  return actionId;
}

/** Change an action item's text, owner or due date: while the minutes are a draft, and not once it is in the plan. */
export async function updateActionItem(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; itemId: string; what: string; ownerUserId: string | null; dueDate: string | null },
  now = new Date(),
) {
  await withOpenActionItem(db, input, now, async (trx, m) => {
    await requireCouncilMember(trx, input.councilId, input.ownerUserId);
    const res = await trx
      .updateTable("action_items")
      .set({ what: input.what, owner_user_id: input.ownerUserId, due_date: input.dueDate })
      .where("id", "=", input.itemId)
      .where("meeting_id", "=", m.id)
      // Claimed in the same statement: a conversion to the plan in between wins, and this one is refused.
      .where("plan_action_id", "is", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new DomainError("error.actionItemInPlan", 409);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/** Delete an action item: while the minutes are a draft, and not once it is in the plan. */
export async function deleteActionItem({ db, events }: Deps, input: { councilId: string; meetingId: string; itemId: string }, now = new Date()) {
  await withOpenActionItem(db, input, now, async (trx, m) => {
    const res = await trx.deleteFrom("action_items").where("id", "=", input.itemId).where("meeting_id", "=", m.id).where("plan_action_id", "is", null).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new DomainError("error.actionItemInPlan", 409);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

function withOpenActionItem<T>(db: Db, input: { councilId: string; meetingId: string; itemId: string }, now: Date, fn: (trx: Db, m: Meeting) => Promise<T>): Promise<T> {
  return withConvened(db, input, now, async (trx, m) => {
    await requireDraftMinutes(trx, m.id);
    const item = await trx.selectFrom("action_items").select(["id", "plan_action_id"]).where("id", "=", input.itemId).where("meeting_id", "=", m.id).executeTakeFirst();
    if (!item) throw new DomainError("error.actionItemNotFound", 404);
    if (item.plan_action_id) throw new DomainError("error.actionItemInPlan", 409);
    return fn(trx, m);
  });
}

/**
 * Record the decision on an agenda item from the minutes page: agenda.ts's
 * recordDecision (audit, activity), refused once the minutes are closed — the
 * decisions are part of the frozen record.
 */
export async function recordMinutesDecision(deps: Deps, input: { councilId: string; meetingId: string; itemId: string; decision: string; actorId: string }, now = new Date()) {
  // Closed minutes refuse the decision in recordDecision (one rule for both pages), which also
  // checks, under the meeting guard, that the meeting was convened and the item accepted.
  await recordDecision(deps, { ...input, fromMinutes: true }, now);
  deps.events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

// ---- the template for new minutes ----

/** The texts of the template, in the minutes' language (the route translates). */
export interface MinutesTemplateTexts {
  meeting: (title: string, startsAt: string) => string;
  /** The attendance line: who was present (substitutes with their member), excused, absent; the guests. */
  attendees: (attendance: MeetingAttendance) => string;
  item: (n: number, title: string) => string;
}

/** Root map of a minutes document holding its flags (not rich text: clients never write it). */
const MINUTES_META = "minutes";

/**
 * Mark the template as done in a minutes document (seeded, or not needed); returns
 * whether it already was. Also for tests that start from minutes opened before.
 */
export function markTemplateDone(doc: Y.Doc): boolean {
  const meta = doc.getMap(MINUTES_META);
  if (meta.get("template")) return true;
  meta.set("template", true);
  return false;
}

function isBlank(frag: Y.XmlFragment): boolean {
  if (frag.length === 0) return true;
  if (frag.length > 1) return false;
  const only = frag.get(0);
  // The editor may have written its one empty paragraph.
  return only instanceof Y.XmlElement && only.nodeName === "paragraph" && only.length === 0;
}

function textBlock(name: "heading" | "paragraph", text: string, level?: number): Y.XmlElement {
  const el = new Y.XmlElement(name);
  if (level) el.setAttribute("level", level as unknown as string);
  if (text) el.insert(0, [new Y.XmlText(text)]);
  return el;
}

/**
 * Seed empty minutes with a template from the agenda: a heading with the meeting's
 * title and date, who attended (meetingAttendance), then "§n <item>" per accepted
 * agenda item (its paragraph number) with an empty paragraph under it. Once per document: a flag in the document itself,
 * written in the same server change (collab.applyServerChange runs changes one at
 * a time per document, so two people opening the page at once seed it once), and
 * never over text someone has written. Returns whether it seeded.
 */
export async function seedMinutesTemplate(db: Db, docs: Pick<DocOps, "applyServerChange">, meeting: Meeting, texts: MinutesTemplateTexts): Promise<boolean> {
  // Only a convened or held meeting has minutes, and a convened meeting has a time (see conveneMeeting).
  const startsAt = meeting.starts_at;
  if (meeting.status === "draft" || meeting.status === "cancelled" || !startsAt) return false;
  if ((await getMinutes(db, meeting.id)).status !== "draft") return false;
  // Numbered as the council numbers its paragraphs (paragraphs.ts).
  const items = await listParagraphs(db, meeting, null);
  const attendance = await meetingAttendance(db, meeting.id);
  try {
    const { result } = await docs.applyServerChange(minutesDocName(meeting.id), (doc) => {
      if (markTemplateDone(doc)) return false;
      const frag = doc.getXmlFragment("content");
      if (!isBlank(frag)) return false;
      if (frag.length) frag.delete(0, frag.length);
      const blocks = [textBlock("heading", texts.meeting(meeting.title, startsAt), 3), textBlock("paragraph", texts.attendees(attendance))];
      for (const item of items) blocks.push(textBlock("heading", texts.item(item.paragraph, item.title), 4), textBlock("paragraph", ""));
      frag.insert(0, blocks);
      return true;
    });
    return result;
  } catch (err) {
    // Closed or cancelled in the meantime: nothing to seed.
    if (err instanceof DomainError && err.status === 409) return false;
    throw err;
  }
}
