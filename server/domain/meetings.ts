import type { NotNull } from "kysely";
import { inTransaction, type Db } from "../../db";
import { preparedQuery } from "../../db/prepared";
import type { AgendaTemplateItem, Meeting, RsvpResponse } from "../../db/schema";
import { recordActivity } from "./activity";
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import type { MessageKey } from "../../app/i18n/keys";
import { DomainError } from "./errors";
import { hashToken, newId, newToken } from "./ids";
import { meetingAudience, meetingRights } from "./groups";
import { notify, publishCouncilLife } from "./notifications";
import { forUpdate } from "./locks";
import { isActive } from "./permissions";
import { nowIso } from "./time";

export interface MeetingFields {
  title: string;
  location: string;
  videoUrl: string | null;
  description: string;
  /** UTC; null (both) for a draft whose time a time poll will decide. */
  startsAt: string | null;
  endsAt: string | null;
}

/**
 * Where a meeting is in its life, the one rule for what it offers (issue #13):
 * - draft: being prepared, seen by those who manage it; poll: a draft with a time poll;
 * - upcoming: convened and not yet started; ongoing: convened, between start and end;
 * - held: convened and ended; cancelled: called off.
 * The meeting page shows what its phase allows and the domain functions refuse the
 * rest (meetingAllows / requireAllowed), so a form posted to a past meeting is
 * refused, not only hidden. docs/decisions/026-meeting-page-by-state.md
 */
export type MeetingPhase = "draft" | "poll" | "upcoming" | "ongoing" | "held" | "cancelled";

export function meetingPhase(m: Pick<Meeting, "status" | "starts_at" | "ends_at">, now = new Date(), opts: { poll?: boolean } = {}): MeetingPhase {
  if (m.status === "cancelled") return "cancelled";
  if (m.status === "draft") return opts.poll ? "poll" : "draft";
  // A convened meeting has a time (conveneMeeting refuses one without).
  if (!m.starts_at || !m.ends_at) return "upcoming";
  const at = nowIso(now);
  if (at < m.starts_at) return "upcoming";
  return at < m.ends_at ? "ongoing" : "held";
}

/** What can be done to a meeting in a phase (who may do it is meetingRights' question). */
export type MeetingDoing = "rsvp" | "propose" | "editAgenda" | "edit" | "move" | "cancel" | "convene";

const ALLOWS: Record<MeetingPhase, readonly MeetingDoing[]> = {
  draft: ["propose", "editAgenda", "edit", "move", "cancel", "convene"],
  poll: ["propose", "editAgenda", "edit", "move", "cancel", "convene"],
  upcoming: ["rsvp", "propose", "editAgenda", "edit", "move", "cancel"],
  // Once it has started: no answers, proposals, moving or cancelling; the leader still
  // keeps the agenda and its decisions (items added at the meeting) and corrects its text.
  ongoing: ["editAgenda", "edit"],
  held: ["editAgenda", "edit"],
  cancelled: [],
};

export function meetingAllows(phase: MeetingPhase): Record<MeetingDoing, boolean> {
  const yes = new Set(ALLOWS[phase]);
  return { rsvp: yes.has("rsvp"), propose: yes.has("propose"), editAgenda: yes.has("editAgenda"), edit: yes.has("edit"), move: yes.has("move"), cancel: yes.has("cancel"), convene: yes.has("convene") };
}

const REFUSAL: Record<MeetingDoing, MessageKey> = {
  rsvp: "error.meetingStartedRsvp",
  propose: "error.meetingStartedPropose",
  editAgenda: "error.meetingCancelled",
  edit: "error.meetingCancelled",
  move: "error.meetingStartedMove",
  cancel: "error.meetingStartedCancel",
  convene: "error.meetingNotDraft",
};

/** Throw the Swedish refusal (409) unless the meeting's phase allows `doing` now. */
export function requireAllowed(m: Pick<Meeting, "status" | "starts_at" | "ends_at">, doing: MeetingDoing, now = new Date()): void {
  const phase = meetingPhase(m, now);
  if (meetingAllows(phase)[doing]) return;
  if (phase === "cancelled") throw new DomainError("error.meetingCancelled", 409);
  if (doing === "rsvp" && (phase === "draft" || phase === "poll")) throw new DomainError("error.meetingNotConvened", 409);
  throw new DomainError(REFUSAL[doing], 409);
}

const columns = (f: MeetingFields) => ({
  title: f.title,
  location: f.location,
  video_url: f.videoUrl,
  description: f.description,
  starts_at: f.startsAt,
  ends_at: f.endsAt,
});

/**
 * A new meeting is a draft: only those who manage it (the process leaders, and for
 * a working group's meeting its convener) see it until it is convened.
 */
export async function createMeeting(
  { db }: Deps,
  input: MeetingFields & { councilId: string; actorId: string; groupId?: string | null; agenda?: AgendaTemplateItem[]; seriesId?: string | null },
  now = new Date(),
): Promise<Meeting> {
  const meeting: Meeting = {
    id: newId(),
    council_id: input.councilId,
    ...columns(input),
    status: "draft",
    cancel_reason: null,
    sequence: 0,
    created_by: input.actorId,
    created_at: nowIso(now),
    updated_at: nowIso(now),
    convened_at: null,
    group_id: input.groupId ?? null,
    series_id: input.seriesId ?? null,
  };
  await inTransaction(db, async (trx) => {
    await trx.insertInto("meetings").values(meeting).execute();
    // An agenda from a template: accepted items in its order.
    const items = (input.agenda ?? []).map((item, i) => ({
      id: newId(),
      meeting_id: meeting.id,
      position: i + 1,
      title: item.title,
      kind: item.kind,
      presenter: "",
      minutes: item.minutes,
      plan_area_id: null,
      plan_action_id: null,
      status: "accepted" as const,
      proposed_by: input.actorId,
      decision: null,
      created_at: nowIso(now),
    }));
    if (items.length) await trx.insertInto("agenda_items").values(items).execute();
  });
  return meeting;
}

/** The meeting, scoped to its council (another council's id is simply not found). */
export async function getMeeting(db: Db, councilId: string, meetingId: string): Promise<Meeting | undefined> {
  return db.selectFrom("meetings").selectAll().where("id", "=", meetingId).where("council_id", "=", councilId).executeTakeFirst();
}

/**
 * The one guard for a step that changes a meeting or what hangs on it (agenda,
 * poll, RSVPs, minutes): in a transaction (the caller's, if `db` is one), read the
 * meeting and hold its row until the transaction ends (locks.ts), check that its
 * phase allows `doing` now (if given), then run `fn` with the meeting as it is.
 * Whatever `fn` checks stays true until it commits: a cancel, move or convene on
 * another connection or node waits, and sees the result. Events are published by
 * the caller after this returns (after commit).
 */
export async function withMeeting<T>(
  db: Db,
  ref: { councilId: string; meetingId: string },
  doing: MeetingDoing | null,
  now: Date,
  fn: (trx: Db, m: Meeting) => Promise<T>,
): Promise<T> {
  return inTransaction(db, async (trx) => {
    const m = await forUpdate(trx, trx.selectFrom("meetings").selectAll().where("id", "=", ref.meetingId).where("council_id", "=", ref.councilId)).executeTakeFirst();
    if (!m) throw new DomainError("error.meetingNotFound", 404);
    if (doing) requireAllowed(m, doing, now);
    return fn(trx, m);
  });
}

/** Edit or move a meeting. A convened meeting's calendars see the change (SEQUENCE + 1). */
export async function updateMeeting(
  { db, events }: Deps,
  input: MeetingFields & { councilId: string; meetingId: string; actorId: string },
  now = new Date(),
): Promise<Meeting> {
  const { before, changed, moved, notified } = await withMeeting(db, input, "edit", now, async (trx, before) => {
    // Only a draft may be without a time (a time poll will decide it).
    if (!input.startsAt && before.status !== "draft") throw new DomainError("error.meetingNoTime", 409);
    const moved = before.starts_at !== input.startsAt || before.ends_at !== input.endsAt;
    if (moved) requireAllowed(before, "move", now);
    const changed =
      moved ||
      before.title !== input.title ||
      before.location !== input.location ||
      before.video_url !== input.videoUrl ||
      before.description !== input.description;
    if (!changed) return { before, changed, moved, notified: [] };
    const visible = before.status === "convened";
    await trx
      .updateTable("meetings")
      .set({ ...columns(input), sequence: visible ? before.sequence + 1 : before.sequence, updated_at: nowIso(now) })
      .where("id", "=", before.id)
      .execute();
    if (!(visible && moved)) return { before, changed, moved, notified: [] };
    await recordAudit(trx, {
      councilId: input.councilId,
      actorId: input.actorId,
      action: "meeting.moved",
      subject: before.id,
      before: { startsAt: before.starts_at, endsAt: before.ends_at },
      after: { startsAt: input.startsAt, endsAt: input.endsAt },
    }, now);
    const params = { title: input.title, startsAt: input.startsAt, ...(await groupParam(trx, before.group_id)) };
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "meeting_moved", params, path: `meetings/${before.id}`, audience: "council" }, now);
    const recipients = await meetingAudience(trx, before, "meeting:view", { except: input.actorId });
    return { before, changed, moved, notified: await notify(trx, { kind: "meeting_moved", councilId: input.councilId, recipients, params, path: `meetings/${before.id}` }, now) };
  });
  if (!changed) return before;
  const visible = before.status === "convened";
  if (visible) events.publish({ type: moved ? "meeting.moved" : "meeting.updated", councilId: input.councilId, meetingId: before.id });
  publishCouncilLife(events, input.councilId, notified, visible && moved);
  return (await getMeeting(db, input.councilId, before.id))!;
}

export async function conveneMeeting({ db, events }: Deps, input: { councilId: string; meetingId: string; actorId: string }, now = new Date()) {
  const notified = await withMeeting(db, input, "convene", now, async (trx, before) => {
    // A time poll decides the time first (polls.ts chooseSlot); convening is the next, separate step.
    const openPoll = await trx.selectFrom("polls").select("id").where("meeting_id", "=", before.id).where("status", "=", "open").executeTakeFirst();
    if (openPoll) throw new DomainError("error.pollStillOpen", 409);
    if (!before.starts_at) throw new DomainError("error.meetingNoTime", 409);
    if (before.starts_at <= nowIso(now)) throw new DomainError("error.meetingPast", 409);
    await trx.updateTable("meetings").set({ status: "convened", convened_at: nowIso(now), updated_at: nowIso(now) }).where("id", "=", before.id).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "meeting.convened", subject: before.id }, now);
    return announceConvened(trx, { councilId: input.councilId, groupId: before.group_id, actorId: input.actorId, meetingId: before.id, title: before.title, startsAt: before.starts_at }, now);
  });
  events.publish({ type: "meeting.convened", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, notified, true);
}

export async function cancelMeeting(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; actorId: string; reason: string },
  now = new Date(),
) {
  const { wasPublic, notified } = await withMeeting(db, input, "cancel", now, async (trx, before) => {
    const wasPublic = before.status === "convened";
    await trx
      .updateTable("meetings")
      .set({ status: "cancelled", cancel_reason: input.reason, sequence: before.sequence + 1, updated_at: nowIso(now) })
      .where("id", "=", before.id)
      .execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "meeting.cancelled", subject: before.id, after: { reason: input.reason } }, now);
    if (!wasPublic) return { wasPublic, notified: [] };
    const params = { title: before.title, startsAt: before.starts_at, reason: input.reason, ...(await groupParam(trx, before.group_id)) };
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "meeting_cancelled", params, path: `meetings/${before.id}`, audience: "council" }, now);
    const recipients = await meetingAudience(trx, before, "meeting:view", { except: input.actorId });
    return { wasPublic, notified: await notify(trx, { kind: "meeting_cancelled", councilId: input.councilId, recipients, params, path: `meetings/${before.id}` }, now) };
  });
  if (wasPublic) events.publish({ type: "meeting.cancelled", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, notified, wasPublic);
}

/**
 * A meeting became public (convened directly or by a time poll): tell the council,
 * or for a working group's meeting the group. Inside the transaction.
 */
export async function announceConvened(
  trx: Db,
  m: { councilId: string; groupId: string | null; actorId: string; meetingId: string; title: string; startsAt: string },
  now: Date,
): Promise<string[]> {
  const params = { title: m.title, startsAt: m.startsAt, ...(await groupParam(trx, m.groupId)) };
  const path = `meetings/${m.meetingId}`;
  // The feed is the council's: everyone sees that a group met, as they see the meeting itself.
  await recordActivity(trx, { councilId: m.councilId, actorId: m.actorId, kind: m.groupId ? "group_meeting_convened" : "meeting_convened", params, path, audience: "council" }, now);
  const recipients = await meetingAudience(trx, { council_id: m.councilId, group_id: m.groupId }, "meeting:view", { except: m.actorId });
  return notify(trx, { kind: "meeting_convened", councilId: m.councilId, recipients, params, path }, now);
}

/** `{ group: <name> }` for a working group's meeting, so texts can say whose meeting it is. */
export async function groupParam(db: Db, groupId: string | null): Promise<{ group?: string }> {
  if (!groupId) return {};
  const g = await db.selectFrom("working_groups").select("name").where("id", "=", groupId).executeTakeFirst();
  return g ? { group: g.name } : {};
}

/** Meetings of a council, oldest first; drafts only for those who may manage meetings. */
export async function listMeetings(db: Db, councilId: string, opts: { includeDrafts: boolean }): Promise<Meeting[]> {
  let q = db.selectFrom("meetings").selectAll().where("council_id", "=", councilId);
  if (!opts.includeDrafts) q = q.where("status", "!=", "draft");
  return q.orderBy("starts_at").execute();
}

export async function setRsvp(
  { db }: Deps,
  input: { councilId: string; meetingId: string; userId: string; response: RsvpResponse; note: string },
  now = new Date(),
) {
  await withMeeting(db, input, "rsvp", now, (trx, m) =>
    trx
      .insertInto("meeting_rsvps")
      .values({ meeting_id: m.id, user_id: input.userId, response: input.response, note: input.note, updated_at: nowIso(now) })
      .onConflict((oc) => oc.columns(["meeting_id", "user_id"]).doUpdateSet({ response: input.response, note: input.note, updated_at: nowIso(now) }))
      .execute(),
  );
}

export async function listRsvps(db: Db, meetingId: string) {
  return db
    .selectFrom("meeting_rsvps as r")
    .innerJoin("users as u", "u.id", "r.user_id")
    .select(["r.user_id as userId", "u.name", "r.response", "r.note", "r.updated_at as updatedAt"])
    .where("r.meeting_id", "=", meetingId)
    .orderBy("u.name")
    .execute();
}

/** Published (convened or cancelled) meetings of every council where the person is active today. */
export async function listMeetingsForUser(db: Db, userId: string, today?: string) {
  const memberships = await db.selectFrom("memberships").selectAll().where("user_id", "=", userId).execute();
  const councilIds = memberships.filter((m) => isActive(m, today)).map((m) => m.council_id);
  if (!councilIds.length) return [];
  return db
    .selectFrom("meetings as m")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .selectAll("m")
    .select(["c.slug as council_slug", "c.name as council_name"])
    .where("m.council_id", "in", councilIds)
    .where("m.status", "!=", "draft")
    .orderBy("m.starts_at")
    .execute();
}

// ---- calendar feed tokens ----

/** A new secret feed token for the person; any earlier one stops working. Returned once. */
export async function rotateCalendarToken(db: Db, userId: string, now = new Date()): Promise<string> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("calendar_tokens").set({ revoked_at: nowIso(now) }).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
    await trx.insertInto("calendar_tokens").values({ token_hash: hashToken(token), user_id: userId, created_at: nowIso(now), revoked_at: null }).execute();
  });
  return token;
}

export async function revokeCalendarTokens(db: Db, userId: string, now = new Date()): Promise<void> {
  await db.updateTable("calendar_tokens").set({ revoked_at: nowIso(now) }).where("user_id", "=", userId).where("revoked_at", "is", null).execute();
}

export async function hasCalendarToken(db: Db, userId: string): Promise<boolean> {
  return !!(await db.selectFrom("calendar_tokens").select("token_hash").where("user_id", "=", userId).where("revoked_at", "is", null).executeTakeFirst());
}

export async function userIdForCalendarToken(db: Db, token: string): Promise<string | null> {
  if (token.length > 100) return null;
  const row = await db
    .selectFrom("calendar_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select("t.user_id")
    .where("t.token_hash", "=", hashToken(token))
    .where("t.revoked_at", "is", null)
    .where("u.anonymised_at", "is", null)
    .executeTakeFirst();
  return row?.user_id ?? null;
}

// The follow-up dashboard asks this on every request: compiled once (db/prepared.ts).
const lastMeetingQuery = preparedQuery((db: Db, councilId: string, now: string) =>
  db
    .selectFrom("meetings")
    .select(["starts_at", "title"])
    .where("council_id", "=", councilId)
    .where("status", "=", "convened")
    .where("group_id", "is", null) // the council's own meetings, not working groups'
    .where("starts_at", "<", now)
    .$narrowType<{ starts_at: NotNull }>()
    .orderBy("starts_at", "desc")
    .limit(1),
);

/** The council's latest convened meeting that has started ("changed since the last meeting"). */
export function lastCouncilMeeting(db: Db, councilId: string, now = new Date()): Promise<{ starts_at: string; title: string } | undefined> {
  return lastMeetingQuery.first(db, councilId, nowIso(now));
}

/**
 * Whether a person sees a meeting at all (`rights` from meetingRights). Convened
 * and cancelled meetings: everyone who may view the council's meetings. A draft:
 * those who manage it and, while it has a time poll, those it asks (a group's
 * members for a group's meeting, the council for the council's own). For everyone
 * else a draft does not exist: 404, the same answer as for an unknown id, whatever
 * they ask of it (requireMeeting in app/utils/auth.server.ts).
 */
export async function meetingVisibleTo(
  db: Db,
  meeting: Pick<Meeting, "id" | "status" | "group_id">,
  rights: { view: boolean; manage: boolean; respond: boolean },
): Promise<boolean> {
  if (!rights.view) return false;
  if (meeting.status !== "draft" || rights.manage) return true;
  const poll = await db.selectFrom("polls").select("id").where("meeting_id", "=", meeting.id).executeTakeFirst();
  return !!poll && (rights.respond || !meeting.group_id);
}

/**
 * meetingVisibleTo for many meetings in one request: asks each meeting once (search
 * hits, an action's timeline). Unknown ids are not visible.
 */
export function meetingVisibility(db: Db, membership: Parameters<typeof meetingRights>[1], userId: string): (meetingId: string) => Promise<boolean> {
  const seen = new Map<string, Promise<boolean>>();
  return (id) => {
    let ok = seen.get(id);
    if (!ok) {
      ok = (async () => {
        const meeting = await db.selectFrom("meetings").select(["id", "status", "group_id"]).where("id", "=", id).executeTakeFirst();
        if (!meeting) return false;
        return meetingVisibleTo(db, meeting, await meetingRights(db, membership, meeting, userId));
      })();
      seen.set(id, ok);
    }
    return ok;
  };
}

/** The council's own and its groups' convened meetings that have started by `now`, newest first: meetings a decision can be recorded at. */
export function listHeldMeetings(db: Db, councilId: string, now = new Date(), limit = 20) {
  return db
    .selectFrom("meetings")
    .select(["id", "title", "starts_at"])
    .where("council_id", "=", councilId)
    .where("status", "=", "convened")
    .where("starts_at", "<=", now.toISOString())
    .$narrowType<{ starts_at: NotNull }>()
    .orderBy("starts_at", "desc")
    .limit(limit)
    .execute();
}
