// Who took part in a meeting, as Swedish minutes record it (issue #15,
// docs/decisions/044-attendance-and-paragraphs.md): each expected member present,
// absent with notice (förhinder) or absent; substitutes (ersättare) serving for a
// member, one of the council's people or a name given in free text; and guests.
// Recorded by those who manage the meeting (the meeting guard's "manage" right, as
// before), while the minutes are a draft: attendance is part of the frozen record.
import type { Db } from "../../db";
import { recordAudit } from "./audit";
import type { AttendanceStatus, Meeting } from "../../db/schema";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { withMeeting } from "./meetings";
import { minutesStatus } from "./publication";
import { nowIso } from "./time";

export type { AttendanceStatus };

/**
 * A step on a convened meeting's attendance under the meeting guard (withMeeting:
 * the meeting's row is held until it commits, so closing the minutes and recording
 * attendance never cross), refused once the minutes are closed.
 */
function withDraftMinutes<T>(db: Db, ref: { councilId: string; meetingId: string }, now: Date, fn: (trx: Db, m: Meeting) => Promise<T>): Promise<T> {
  return withMeeting(db, ref, null, now, async (trx, m) => {
    if (m.status === "draft") throw new DomainError("error.meetingNotFound", 404);
    if (m.status === "cancelled") throw new DomainError("error.meetingCancelled", 409);
    if ((await minutesStatus(trx, m.id)) !== "draft") throw new DomainError("error.minutesFrozen", 409);
    return fn(trx, m);
  });
}

/**
 * Who is expected at a meeting, with what is recorded for them (`status`, null when
 * nothing is): the council's members, or for a working group's meeting its members
 * and the process leaders (and anyone already recorded).
 */
export async function listAttendance(db: Db, meetingId: string, councilId: string) {
  const meeting = await db.selectFrom("meetings").select("group_id").where("id", "=", meetingId).executeTakeFirst();
  const groupId = meeting?.group_id ?? null;
  let q = db
    .selectFrom("memberships as ms")
    .innerJoin("users as u", "u.id", "ms.user_id")
    .leftJoin("attendance as a", (j) => j.onRef("a.user_id", "=", "ms.user_id").on("a.meeting_id", "=", meetingId))
    .select(["u.id as userId", "u.name", "ms.organisation", "ms.role", "a.status"])
    .where("ms.council_id", "=", councilId);
  if (groupId) {
    q = q.where((eb) =>
      eb.or([
        eb("ms.user_id", "in", eb.selectFrom("working_group_members").select("user_id").where("group_id", "=", groupId)),
        eb("ms.role", "=", "process_leader"),
        eb("a.status", "is not", null),
      ]),
    );
  }
  return q.orderBy("ms.organisation").orderBy("u.name").execute();
}

/** The people who attended: members recorded present, and substitutes who are the council's people. */
export async function attendedUserIds(db: Db, meetingId: string): Promise<Set<string>> {
  const present = await db.selectFrom("attendance").select("user_id").where("meeting_id", "=", meetingId).where("status", "=", "present").execute();
  const subs = await db.selectFrom("meeting_substitutes").select("substitute_user_id").where("meeting_id", "=", meetingId).execute();
  return new Set([...present.map((p) => p.user_id), ...subs.flatMap((s) => (s.substitute_user_id ? [s.substitute_user_id] : []))]);
}

/**
 * What the attendance form offers for each expected person: what is recorded, or
 * else what their RSVP said before the meeting (not attending → förhinder,
 * attending → present); absent otherwise. Those serving as a substitute are
 * recorded as such, not here (`substituting`).
 */
export async function attendanceForm(db: Db, meeting: Pick<Meeting, "id" | "council_id" | "starts_at">) {
  const rows = await listAttendance(db, meeting.id, meeting.council_id);
  const rsvps = await db
    .selectFrom("meeting_rsvps")
    .select(["user_id", "response"])
    .where("meeting_id", "=", meeting.id)
    // An answer given before the meeting began (a later one is not a notice of absence).
    .$if(!!meeting.starts_at, (q) => q.where("updated_at", "<", meeting.starts_at!))
    .execute();
  const answer = new Map(rsvps.map((r) => [r.user_id, r.response]));
  const subs = await db.selectFrom("meeting_substitutes").select("substitute_user_id").where("meeting_id", "=", meeting.id).execute();
  const substituting = new Set(subs.map((s) => s.substitute_user_id));
  return rows.map((r) => {
    const said = answer.get(r.userId);
    const prefill: AttendanceStatus = said === "not_attending" ? "excused" : said === "attending" ? "present" : "absent";
    return { userId: r.userId, name: r.name, organisation: r.organisation, role: r.role, recorded: r.status, status: r.status ?? prefill, substituting: substituting.has(r.userId) };
  });
}

/**
 * Record each expected person's status. `statuses` by user id; for older forms and
 * callers, `present` lists those present. Anyone not given is absent. People who
 * serve as a substitute at this meeting keep that record; a member for whom a
 * substitute serves cannot be present.
 */
export async function setAttendance(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; actorId: string; statuses?: Record<string, AttendanceStatus>; present?: string[] },
  now = new Date(),
) {
  await withDraftMinutes(db, input, now, async (trx, m) => {
    const rows = await listAttendance(trx, m.id, input.councilId);
    const expected = new Set(rows.map((r) => r.userId));
    const was = new Map(rows.map((r) => [r.userId, r.status]));
    const changed: { userId: string; from: AttendanceStatus | null; to: AttendanceStatus }[] = [];
    const given = [...Object.keys(input.statuses ?? {}), ...(input.present ?? [])];
    if (given.some((id) => !expected.has(id))) throw new DomainError("error.unknown", 400);
    const subs = await trx.selectFrom("meeting_substitutes").select(["for_user_id", "substitute_user_id"]).where("meeting_id", "=", m.id).execute();
    const serving = new Set(subs.map((s) => s.substitute_user_id));
    const substituted = new Set(subs.map((s) => s.for_user_id));
    for (const userId of expected) {
      if (serving.has(userId)) continue;
      const status: AttendanceStatus = input.statuses?.[userId] ?? (input.present?.includes(userId) ? "present" : "absent");
      if (status === "present" && substituted.has(userId)) throw new DomainError("error.substitutedPresent", 409);
      if (was.get(userId) !== status) changed.push({ userId, from: was.get(userId) ?? null, to: status });
      await trx
        .insertInto("attendance")
        .values({ meeting_id: m.id, user_id: userId, status })
        .onConflict((oc) => oc.columns(["meeting_id", "user_id"]).doUpdateSet({ status }))
        .execute();
    }
    // Who changed, by status: before what was recorded for them, after what is now.
    if (changed.length) {
      const byStatus = (pick: (c: (typeof changed)[number]) => AttendanceStatus | null) => {
        const out: Partial<Record<AttendanceStatus, string[]>> = {};
        for (const st of ["present", "excused", "absent"] as const) {
          const ids = changed.filter((c) => pick(c) === st).map((c) => c.userId);
          if (ids.length) out[st] = ids;
        }
        return out;
      };
      const before = byStatus((c) => c.from);
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "attendance.recorded", subject: m.id, before: Object.keys(before).length ? before : undefined, after: byStatus((c) => c.to) }, now);
    }
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/**
 * A substitute serves for an expected member who is not present (replacing any
 * substitute already named for them): one of the council's people who is not
 * present and not already serving for someone else, or a name and organisation
 * given in free text ('' = the member's organisation). A member with nothing
 * recorded is recorded as absent with notice (förhinder).
 */
export async function setSubstitute(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; actorId: string; forUserId: string; substituteUserId: string | null; name: string; organisation: string },
  now = new Date(),
) {
  await withDraftMinutes(db, input, now, async (trx, m) => {
    const expected = await listAttendance(trx, m.id, input.councilId);
    const member = expected.find((r) => r.userId === input.forUserId);
    if (!member) throw new DomainError("error.unknown", 400, "forUserId");
    if (member.status === "present") throw new DomainError("error.substitutedPresent", 409, "forUserId");
    if (input.substituteUserId) {
      if (input.substituteUserId === input.forUserId) throw new DomainError("error.unknown", 400, "substituteUserId");
      const person = await trx.selectFrom("memberships").select("user_id").where("council_id", "=", input.councilId).where("user_id", "=", input.substituteUserId).executeTakeFirst();
      if (!person) throw new DomainError("error.unknown", 400, "substituteUserId");
      const own = await trx.selectFrom("attendance").select("status").where("meeting_id", "=", m.id).where("user_id", "=", input.substituteUserId).executeTakeFirst();
      if (own?.status === "present") throw new DomainError("error.substituteIsPresent", 409, "substituteUserId");
      const busy = await trx
        .selectFrom("meeting_substitutes")
        .select("id")
        .where("meeting_id", "=", m.id)
        .where("substitute_user_id", "=", input.substituteUserId)
        .where("for_user_id", "!=", input.forUserId)
        .executeTakeFirst();
      if (busy) throw new DomainError("error.substituteBusy", 409, "substituteUserId");
    } else if (!input.name) {
      throw new DomainError("error.required", 400, "substituteName");
    }
    const replaced = await trx.selectFrom("meeting_substitutes").select(["substitute_user_id", "name", "organisation"]).where("meeting_id", "=", m.id).where("for_user_id", "=", input.forUserId).executeTakeFirst();
    await trx.deleteFrom("meeting_substitutes").where("meeting_id", "=", m.id).where("for_user_id", "=", input.forUserId).execute();
    await trx
      .insertInto("meeting_substitutes")
      .values({
        id: newId(),
        meeting_id: m.id,
        for_user_id: input.forUserId,
        substitute_user_id: input.substituteUserId,
        name: input.substituteUserId ? null : input.name,
        organisation: input.substituteUserId ? "" : input.organisation,
        created_at: nowIso(now),
      })
      .execute();
    if (!member.status) await trx.insertInto("attendance").values({ meeting_id: m.id, user_id: input.forUserId, status: "excused" }).execute();
    const after = input.substituteUserId ? { substituteFor: input.forUserId, substitute: input.substituteUserId } : { substituteFor: input.forUserId, substitute: input.name, organisation: input.organisation };
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "attendance.substitute_set", subject: m.id, before: replaced ? substituteAudit(input.forUserId, replaced) : undefined, after }, now);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/** A substitute as the audit log keeps it: for whom, and who (a person's id, or the name given). */
function substituteAudit(forUserId: string, s: { substitute_user_id: string | null; name: string | null; organisation: string }) {
  return s.substitute_user_id ? { substituteFor: forUserId, substitute: s.substitute_user_id } : { substituteFor: forUserId, substitute: s.name, organisation: s.organisation };
}

export async function removeSubstitute({ db, events }: Deps, input: { councilId: string; meetingId: string; actorId: string; substituteId: string }, now = new Date()) {
  await withDraftMinutes(db, input, now, async (trx, m) => {
    const row = await trx.selectFrom("meeting_substitutes").select(["for_user_id", "substitute_user_id", "name", "organisation"]).where("id", "=", input.substituteId).where("meeting_id", "=", m.id).executeTakeFirst();
    if (!row) throw new DomainError("error.unknown", 404);
    await trx.deleteFrom("meeting_substitutes").where("id", "=", input.substituteId).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "attendance.substitute_removed", subject: m.id, before: substituteAudit(row.for_user_id, row) }, now);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

export async function addGuest(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; actorId: string; name: string; organisation: string; role: string },
  now = new Date(),
) {
  await withDraftMinutes(db, input, now, async (trx, m) => {
    await trx
      .insertInto("meeting_guests")
      .values({ id: newId(), meeting_id: m.id, name: input.name, organisation: input.organisation, role: input.role, created_at: nowIso(now) })
      .execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "attendance.guest_added", subject: m.id, after: { guest: input.name, organisation: input.organisation, guestRole: input.role } }, now);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

export async function removeGuest({ db, events }: Deps, input: { councilId: string; meetingId: string; actorId: string; guestId: string }, now = new Date()) {
  await withDraftMinutes(db, input, now, async (trx, m) => {
    const guest = await trx.selectFrom("meeting_guests").select(["name", "organisation", "role"]).where("id", "=", input.guestId).where("meeting_id", "=", m.id).executeTakeFirst();
    if (!guest) throw new DomainError("error.unknown", 404);
    await trx.deleteFrom("meeting_guests").where("id", "=", input.guestId).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "attendance.guest_removed", subject: m.id, before: { guest: guest.name, organisation: guest.organisation, guestRole: guest.role } }, now);
  });
  events.publish({ type: "minutes.changed", councilId: input.councilId, meetingId: input.meetingId });
}

// ---- reading: the minutes page, the template, the PDF ----

/** One person in the minutes' attendance. */
export interface AttendancePerson {
  /** Null for a substitute given by name only. */
  userId: string | null;
  name: string;
  status: AttendanceStatus | "substitute";
  /** A substitute's member: whom they served for. */
  substituteFor: { userId: string; name: string } | null;
  /** A member's substitute, by name, when one served for them. */
  substitutedBy: string | null;
}

export interface OrganisationAttendance {
  organisation: string;
  people: AttendancePerson[];
}

export interface MeetingGuest {
  id: string;
  name: string;
  organisation: string;
  /** Why they came; '' when not given. */
  role: string;
}

export interface MeetingAttendance {
  /** Whether anything has been recorded (otherwise `organisations` is empty). */
  recorded: boolean;
  /** By organisation (Swedish order); in each, present, substitutes, excused, absent, then by name. */
  organisations: OrganisationAttendance[];
  guests: MeetingGuest[];
  /** The substitutes as recorded, for the form that removes them. */
  substitutes: { id: string; forUserId: string; forName: string; name: string; organisation: string }[];
}

const ORDER: Record<AttendancePerson["status"], number> = { present: 0, substitute: 1, excused: 2, absent: 3 };
const sv = (a: string, b: string) => a.localeCompare(b, "sv");

/**
 * A meeting's recorded attendance grouped by organisation, with the substitutes
 * (under their own organisation, or their member's when given by name without one)
 * and the guests. Observers are listed only when present (they hold no seat); people
 * serving as substitutes only as such. The one reading of attendance: the minutes
 * page, its template and the minutes PDF use it.
 */
export async function meetingAttendance(db: Db, meetingId: string): Promise<MeetingAttendance> {
  const meeting = await db.selectFrom("meetings").select("council_id").where("id", "=", meetingId).executeTakeFirst();
  const empty: MeetingAttendance = { recorded: false, organisations: [], guests: [], substitutes: [] };
  if (!meeting) return empty;
  const members = await db
    .selectFrom("attendance as a")
    .innerJoin("users as u", "u.id", "a.user_id")
    .leftJoin("memberships as ms", (j) => j.onRef("ms.user_id", "=", "a.user_id").on("ms.council_id", "=", meeting.council_id))
    .select(["a.user_id as userId", "u.name", "a.status", "ms.organisation", "ms.role"])
    .where("a.meeting_id", "=", meetingId)
    .execute();
  const subs = await db
    .selectFrom("meeting_substitutes as s")
    .innerJoin("users as fu", "fu.id", "s.for_user_id")
    .leftJoin("memberships as fms", (j) => j.onRef("fms.user_id", "=", "s.for_user_id").on("fms.council_id", "=", meeting.council_id))
    .leftJoin("users as su", "su.id", "s.substitute_user_id")
    .leftJoin("memberships as sms", (j) => j.onRef("sms.user_id", "=", "s.substitute_user_id").on("sms.council_id", "=", meeting.council_id))
    .select([
      "s.id",
      "s.for_user_id as forUserId",
      "fu.name as forName",
      "fms.organisation as forOrganisation",
      "s.substitute_user_id as userId",
      "su.name as userName",
      "sms.organisation as userOrganisation",
      "s.name",
      "s.organisation",
    ])
    .where("s.meeting_id", "=", meetingId)
    .orderBy("s.created_at")
    .execute();
  const guests = await db
    .selectFrom("meeting_guests")
    .select(["id", "name", "organisation", "role"])
    .where("meeting_id", "=", meetingId)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const serving = new Set(subs.map((s) => s.userId));
  const substituteName = (s: (typeof subs)[number]) => s.userName ?? s.name ?? "";
  const byOrg = new Map<string, AttendancePerson[]>();
  const put = (organisation: string, p: AttendancePerson) => {
    const list = byOrg.get(organisation) ?? [];
    list.push(p);
    byOrg.set(organisation, list);
  };
  // Expected people with nothing recorded, once anything is (minutes recorded before every row
  // was written, e.g. by a form that sent only those present), are absent, as the old form meant.
  if (members.length) {
    const recordedIds = new Set(members.map((m) => m.userId));
    for (const r of await listAttendance(db, meetingId, meeting.council_id)) {
      if (!recordedIds.has(r.userId)) members.push({ userId: r.userId, name: r.name, status: "absent", organisation: r.organisation, role: r.role });
    }
  }
  for (const m of members) {
    if (serving.has(m.userId)) continue;
    if (m.role === "observer" && m.status !== "present") continue;
    const sub = subs.find((s) => s.forUserId === m.userId);
    put(m.organisation ?? "", { userId: m.userId, name: m.name, status: m.status, substituteFor: null, substitutedBy: sub ? substituteName(sub) : null });
  }
  const substitutes = subs.map((s) => ({
    id: s.id,
    forUserId: s.forUserId,
    forName: s.forName,
    name: substituteName(s),
    organisation: (s.userId ? s.userOrganisation : s.organisation) || s.forOrganisation || "",
  }));
  for (const s of substitutes) {
    const row = subs.find((r) => r.id === s.id)!;
    put(s.organisation, { userId: row.userId, name: s.name, status: "substitute", substituteFor: { userId: s.forUserId, name: s.forName }, substitutedBy: null });
  }
  const organisations = [...byOrg.entries()]
    .sort(([a], [b]) => sv(a, b))
    .map(([organisation, people]) => ({ organisation, people: people.sort((a, b) => ORDER[a.status] - ORDER[b.status] || sv(a.name, b.name)) }));
  return { recorded: members.length > 0 || subs.length > 0 || guests.length > 0, organisations, guests, substitutes };
}
