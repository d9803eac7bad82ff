// The agenda (dagordning): ordered items; members propose, the leader accepts,
// declines and reorders. Each item's clock time follows from the meeting's start
// and the minutes allotted to the accepted items before it.
import type { NotNull } from "kysely";
import type { Db } from "../../db";
import type { AgendaKind } from "../../db/schema";
import { recordActivity } from "./activity";
import { recordAudit } from "./audit";
import { meetingManagers } from "./groups";
import { notify, publishCouncilLife } from "./notifications";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { withMeeting } from "./meetings";
import type { MembershipFacts } from "./permissions";
import { minutesPublishedTo, minutesStatus, readsUnpublishedMinutes } from "./publication";
import { paragraphNumber, paragraphStarts } from "./paragraphs";
import { nowIso } from "./time";

export interface AgendaInput {
  title: string;
  kind: AgendaKind;
  presenter: string;
  minutes: number;
  planAreaId: string | null;
  planActionId: string | null;
}

/** An item's editable columns, from the form's fields. */
const itemColumns = (input: AgendaInput) => ({
  title: input.title,
  kind: input.kind,
  presenter: input.presenter,
  minutes: input.minutes,
  plan_area_id: input.planAreaId,
  plan_action_id: input.planActionId,
});

/** Add an item: the leader's items are accepted at once; a member's are proposals. */
export async function addAgendaItem(
  { db, events }: Deps,
  input: AgendaInput & { councilId: string; meetingId: string; actorId: string; asProposal: boolean },
  now = new Date(),
) {
  // The meeting's row is held (withMeeting), so two items added at once get two positions.
  const notified = await withMeeting(db, input, input.asProposal ? "propose" : "editAgenda", now, async (trx, m) => {
    const last = await trx
      .selectFrom("agenda_items")
      .select((eb) => eb.fn.max("position").as("p"))
      .where("meeting_id", "=", m.id)
      .executeTakeFirst();
    await trx
      .insertInto("agenda_items")
      .values({
        id: newId(),
        meeting_id: m.id,
        position: Number(last?.p ?? -1) + 1,
        ...itemColumns(input),
        status: input.asProposal ? "proposed" : "accepted",
        proposed_by: input.actorId,
        decision: null,
        created_at: nowIso(now),
      })
      .execute();
    if (!input.asProposal) return [];
    // A proposal is news for those who accept or decline it: the leaders, and a group meeting's convener.
    const by = await trx.selectFrom("users").select("name").where("id", "=", input.actorId).executeTakeFirst();
    const params = { title: m.title, item: input.title, by: by?.name ?? "" };
    const path = `meetings/${m.id}`;
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "agenda_proposed", params: { title: m.title, item: input.title }, path, audience: "contributors" }, now);
    const leaders = await meetingManagers(trx, m, { except: input.actorId });
    return notify(trx, { kind: "agenda_proposed", councilId: input.councilId, recipients: leaders, params, path }, now);
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, notified, input.asProposal);
}

export async function setAgendaItemStatus(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; itemId: string; status: "accepted" | "declined"; actorId: string },
  now = new Date(),
) {
  await withMeeting(db, input, "editAgenda", now, async (trx, m) => {
    const res = await trx.updateTable("agenda_items").set({ status: input.status }).where("id", "=", input.itemId).where("meeting_id", "=", m.id).executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new DomainError("error.agendaItemNotFound", 404);
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/** Edit an item (accepted or proposed): its title, kind, presenter, minutes and plan link. */
export async function updateAgendaItem(
  { db, events }: Deps,
  input: AgendaInput & { councilId: string; meetingId: string; itemId: string },
  now = new Date(),
) {
  await withMeeting(db, input, "editAgenda", now, async (trx, m) => {
    const res = await trx
      .updateTable("agenda_items")
      .set(itemColumns(input))
      .where("id", "=", input.itemId)
      .where("meeting_id", "=", m.id)
      .where("status", "!=", "declined")
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new DomainError("error.agendaItemNotFound", 404);
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/** Move an item one step up or down among the meeting's items (swap positions). */
export async function moveAgendaItem(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; itemId: string; direction: "up" | "down" },
  now = new Date(),
) {
  await withMeeting(db, input, "editAgenda", now, async (trx, m) => {
    const all = await trx.selectFrom("agenda_items").select(["id", "position", "status"]).where("meeting_id", "=", m.id).where("status", "!=", "declined").orderBy("position").execute();
    const item = all.find((x) => x.id === input.itemId);
    if (!item) throw new DomainError("error.agendaItemNotFound", 404);
    // One step within the item's own list (accepted or proposed), as the page shows them:
    // an accepted item must not "move" by swapping with a proposal stored between two accepted ones.
    const items = all.filter((x) => x.status === item.status);
    const i = items.indexOf(item);
    const j = input.direction === "up" ? i - 1 : i + 1;
    if (j < 0 || j >= items.length) return;
    await trx.updateTable("agenda_items").set({ position: items[j].position }).where("id", "=", items[i].id).execute();
    await trx.updateTable("agenda_items").set({ position: items[i].position }).where("id", "=", items[j].id).execute();
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
}

export async function deleteAgendaItem({ db, events }: Deps, input: { councilId: string; meetingId: string; itemId: string }, now = new Date()) {
  await withMeeting(db, input, "editAgenda", now, async (trx, m) => {
    const res = await trx.deleteFrom("agenda_items").where("id", "=", input.itemId).where("meeting_id", "=", m.id).executeTakeFirst();
    if (Number(res.numDeletedRows) !== 1) throw new DomainError("error.agendaItemNotFound", 404);
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/** Record the decision (beslut) for an item; audited. */
export async function recordDecision(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; itemId: string; decision: string; actorId: string; fromMinutes?: boolean },
  now = new Date(),
) {
  const convened = await withMeeting(db, input, "editAgenda", now, async (trx, m) => {
    // From the minutes page (minutes.ts recordMinutesDecision): a convened meeting's accepted items only.
    if (input.fromMinutes && m.status === "draft") throw new DomainError("error.meetingNotFound", 404);
    const before = await trx.selectFrom("agenda_items").select(["decision", "title", "status"]).where("id", "=", input.itemId).where("meeting_id", "=", m.id).executeTakeFirst();
    if (!before || (input.fromMinutes && before.status !== "accepted")) throw new DomainError("error.agendaItemNotFound", 404);
    // A decision is part of the minutes: once they are closed for approval (or approved) it is
    // frozen with them, whichever page the form was sent from. Closing the minutes holds the
    // meeting's row too (withMeeting), so the two never cross.
    const minutes = await trx.selectFrom("minutes").select("status").where("meeting_id", "=", m.id).executeTakeFirst();
    if (minutes && minutes.status !== "draft") throw new DomainError("error.minutesFrozen", 409);
    await trx.updateTable("agenda_items").set({ decision: input.decision || null }).where("id", "=", input.itemId).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "decision.recorded", subject: input.itemId, before: { decision: before.decision }, after: { decision: input.decision || null } }, now);
    if (input.decision && m.status === "convened") {
      const params = { title: m.title, item: before.title, decision: input.decision };
      // Not yet published: a decision is part of the minutes, which observers read once approved (publication.ts).
      await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "decision_recorded", params, path: `meetings/${m.id}`, audience: "contributors" }, now);
    }
    return m.status === "convened";
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, [], !!input.decision && convened);
}

export interface AgendaItemView {
  id: string;
  title: string;
  kind: AgendaKind;
  presenter: string;
  minutes: number;
  status: "accepted" | "proposed" | "declined";
  proposedBy: string | null;
  /** Who proposed it (their id): a member attaches files to their own proposals. */
  proposedById: string | null;
  decision: string | null;
  planAreaId: string | null;
  planActionId: string | null;
  /** Clock times (UTC) for accepted items, following the meeting's start. */
  startsAt: string | null;
  endsAt: string | null;
}

/**
 * The meeting's agenda as `viewer` may see it: the decisions recorded on its items
 * are part of the minutes, so they are left out (null) until the minutes are
 * published to the viewer (publication.ts).
 */
export async function listAgenda(db: Db, meeting: { id: string; starts_at: string | null }, viewer: MembershipFacts | null): Promise<AgendaItemView[]> {
  const meetingId = meeting.id;
  const withDecisions = minutesPublishedTo(viewer, await minutesStatus(db, meetingId));
  const rows = await db
    .selectFrom("agenda_items as a")
    .leftJoin("users as u", "u.id", "a.proposed_by")
    .selectAll("a")
    .select("u.name as proposer")
    .where("a.meeting_id", "=", meetingId)
    .orderBy("a.position")
    .execute();
  // No clock times while a time poll is still to decide the meeting's time.
  let clock = meeting.starts_at ? Date.parse(meeting.starts_at) : NaN;
  return rows.map((r) => {
    const timed = r.status === "accepted" && !Number.isNaN(clock);
    const startsAt = timed ? new Date(clock).toISOString() : null;
    if (timed) clock += r.minutes * 60_000;
    return {
      id: r.id,
      title: r.title,
      kind: r.kind,
      presenter: r.presenter,
      minutes: r.minutes,
      status: r.status,
      proposedBy: r.proposer,
      proposedById: r.proposed_by,
      decision: withDecisions ? r.decision : null,
      planAreaId: r.plan_area_id,
      planActionId: r.plan_action_id,
      startsAt,
      endsAt: timed ? new Date(clock).toISOString() : null,
    };
  });
}

export interface RecordedDecision {
  id: string;
  title: string;
  decision: string;
  meetingId: string;
  meetingTitle: string;
  startsAt: string;
  /** The item's paragraph in the minutes (§), numbered by paragraphs.ts. */
  paragraph: number;
  /** The plan action the item is about, if it was linked to one. */
  planActionId: string | null;
}

/**
 * Agenda items with their place among their meeting's accepted items (1, 2, …);
 * paragraphs.ts turns a place into the paragraph's number (§), by the council's
 * numbering. The decision register, the APIs, the minutes page and PDF all read
 * paragraphs from here.
 */
function itemsWithParagraphs(db: Db) {
  return db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["i.id", "i.title", "i.decision", "i.plan_action_id as planActionId", "m.id as meetingId", "m.title as meetingTitle", "m.starts_at as startsAt"])
    .select((eb) =>
      eb
        .selectFrom("agenda_items as j")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("j.meeting_id", "=", "i.meeting_id")
        .where("j.status", "=", "accepted")
        .whereRef("j.position", "<=", "i.position")
        .as("place"),
    );
}

/**
 * Decisions recorded on the agenda items of the council's meetings, newest meeting
 * first, as `viewer` may see them: only those of approved minutes unless the
 * viewer reads unpublished minutes (publication.ts). `heldBy`: only meetings that
 * were convened and have started by then.
 */
export async function listRecordedDecisions(
  db: Db,
  councilId: string,
  viewer: MembershipFacts | null,
  opts: { heldBy?: string; limit?: number; actionId?: string } = {},
): Promise<RecordedDecision[]> {
  let q = itemsWithParagraphs(db)
    .where("m.council_id", "=", councilId)
    .where("i.decision", "is not", null)
    .where("m.starts_at", "is not", null) // decided at a meeting that had a time
    .$narrowType<{ startsAt: NotNull }>();
  if (!readsUnpublishedMinutes(viewer)) {
    q = q.where("m.id", "in", db.selectFrom("minutes").select("meeting_id").where("status", "=", "approved"));
  }
  if (opts.heldBy) q = q.where("m.status", "=", "convened").where("m.starts_at", "<=", opts.heldBy);
  if (opts.actionId) q = q.where("i.plan_action_id", "=", opts.actionId);
  q = q.orderBy("m.starts_at", "desc").orderBy("i.position");
  if (opts.limit) q = q.limit(opts.limit);
  const starts = await paragraphStarts(db, councilId);
  return (await q.execute()).map(({ place, ...r }) => ({ ...r, decision: r.decision!, paragraph: paragraphNumber(starts, r.meetingId, Number(place)) }));
}

/**
 * A meeting's paragraphs (its accepted agenda items, in order) with their number
 * and decision; the decisions as `viewer` may see them (null until the minutes
 * are published to the viewer, as in listAgenda).
 */
export async function listParagraphs(
  db: Db,
  meeting: { id: string; council_id: string },
  viewer: MembershipFacts | null,
): Promise<{ id: string; paragraph: number; title: string; decision: string | null }[]> {
  const withDecisions = minutesPublishedTo(viewer, await minutesStatus(db, meeting.id));
  const rows = await itemsWithParagraphs(db)
    .where("m.council_id", "=", meeting.council_id)
    .where("i.meeting_id", "=", meeting.id)
    .where("i.status", "=", "accepted")
    .orderBy("i.position")
    .execute();
  const starts = await paragraphStarts(db, meeting.council_id);
  return rows.map((r) => ({ id: r.id, paragraph: paragraphNumber(starts, meeting.id, Number(r.place)), title: r.title, decision: withDecisions ? r.decision : null }));
}

/** One recorded decision of the council (for a leader adopting a plan by it), or undefined. */
export async function findRecordedDecision(db: Db, councilId: string, itemId: string): Promise<{ decision: string; meetingId: string } | undefined> {
  const row = await db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["i.decision", "m.id as meetingId"])
    .where("i.id", "=", itemId)
    .where("m.council_id", "=", councilId)
    .where("i.decision", "is not", null)
    .executeTakeFirst();
  return row ? { decision: row.decision!, meetingId: row.meetingId } : undefined;
}
