// Time polls (tidsomröstning): the leader proposes slots for a draft meeting (which
// needs no time of its own yet), members answer yes / if need be / no, the leader
// chooses a slot, which gives the meeting its time and closes the poll. Convening is
// the next, separate step (meetings.ts conveneMeeting), so that the leader sees who
// will be called before anyone is (docs/decisions/027-time-poll.md).
import type { Db } from "../../db";
import type { PollAnswer } from "../../db/schema";
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { recordActivity } from "./activity";
import { groupParam, withMeeting } from "./meetings";
import { meetingAudience } from "./groups";
import { notify, publishCouncilLife } from "./notifications";
import { meetingAsks } from "./permissions";
import { nowIso, stockholmToday } from "./time";

export interface SlotInput {
  startsAt: string;
  endsAt: string;
}

export async function createPoll(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; actorId: string; slots: SlotInput[]; deadline: string },
  now = new Date(),
) {
  const pollId = newId();
  const notified = await withMeeting(db, input, null, now, async (trx, meeting) => {
    if (meeting.status !== "draft") throw new DomainError("error.meetingNotDraft", 409);
    const existing = await trx.selectFrom("polls").select("id").where("meeting_id", "=", meeting.id).executeTakeFirst();
    if (existing) throw new DomainError("error.pollExists", 409);
    await trx
      .insertInto("polls")
      .values({ id: pollId, meeting_id: meeting.id, deadline: input.deadline, status: "open", chosen_slot_id: null, created_at: nowIso(now), closed_at: null })
      .execute();
    await trx
      .insertInto("poll_slots")
      .values(input.slots.map((s, i) => ({ id: newId(), poll_id: pollId, position: i, starts_at: s.startsAt, ends_at: s.endsAt })))
      .execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "poll.opened", subject: meeting.id }, now);
    const params = { title: meeting.title, deadline: input.deadline, ...(await groupParam(trx, meeting.group_id)) };
    const path = `meetings/${meeting.id}`;
    // Observers cannot answer, so the poll is news only to those who can (for a group's meeting, its members).
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "poll_opened", params, path, audience: "contributors" }, now);
    const recipients = await meetingAudience(trx, meeting, "meeting:respond", { except: input.actorId });
    return notify(trx, { kind: "poll_opened", councilId: input.councilId, recipients, params, path }, now);
  });
  events.publish({ type: "poll.changed", councilId: input.councilId, meetingId: input.meetingId });
  publishCouncilLife(events, input.councilId, notified, true);
  return pollId;
}

export interface PollView {
  id: string;
  status: "open" | "closed";
  deadline: string;
  chosenSlotId: string | null;
  slots: {
    id: string;
    startsAt: string;
    endsAt: string;
    tally: Record<PollAnswer, number>;
    answers: { userId: string; name: string; answer: PollAnswer }[];
  }[];
  /** People who may answer and have not answered every slot yet. */
  notAnswered: { userId: string; name: string }[];
  /** People the poll asks (a row each in the answer grid), by name. */
  asked: { userId: string; name: string }[];
  /**
   * Once a slot is chosen and the meeting is still a draft: who convening it will
   * call (everyone who may see it; the one who convenes is not notified).
   */
  conveneTo: { userId: string; name: string }[];
}

export async function getPoll(db: Db, meetingId: string, councilId: string, today = stockholmToday()): Promise<PollView | undefined> {
  const poll = await db.selectFrom("polls").selectAll().where("meeting_id", "=", meetingId).executeTakeFirst();
  if (!poll) return undefined;
  const meeting = await db.selectFrom("meetings").select(["group_id", "status"]).where("id", "=", meetingId).where("council_id", "=", councilId).executeTakeFirst();
  if (!meeting) return undefined;
  const groupRoles = new Map(
    meeting.group_id
      ? (await db.selectFrom("working_group_members").select(["user_id", "role"]).where("group_id", "=", meeting.group_id).execute()).map((r) => [r.user_id, r.role])
      : [],
  );
  const slots = await db.selectFrom("poll_slots").selectAll().where("poll_id", "=", poll.id).orderBy("position").execute();
  const answers = slots.length
    ? await db
        .selectFrom("poll_answers as a")
        .innerJoin("users as u", "u.id", "a.user_id")
        .select(["a.slot_id", "a.user_id", "u.name", "a.answer"])
        .where(
          "a.slot_id",
          "in",
          slots.map((s) => s.id),
        )
        .orderBy("u.name")
        .execute()
    : [];
  const members = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.user_id", "u.name", "m.role", "m.valid_from", "m.valid_to"])
    .where("m.council_id", "=", councilId)
    .orderBy("u.name")
    .execute();
  // A group's poll asks its members (a leader outside the group may answer, but is not chased).
  const eligible = members.filter((m) => meetingAsks(m, meeting, groupRoles.get(m.user_id) ?? null, today));
  const answeredAll = (userId: string) => slots.every((s) => answers.some((a) => a.slot_id === s.id && a.user_id === userId));
  return {
    id: poll.id,
    // A meeting cancelled (or convened) while its poll was open asks nobody any more.
    status: poll.status === "open" && meeting.status === "draft" ? "open" : "closed",
    deadline: poll.deadline,
    chosenSlotId: poll.chosen_slot_id,
    slots: slots.map((s) => {
      const mine = answers.filter((a) => a.slot_id === s.id);
      return {
        id: s.id,
        startsAt: s.starts_at,
        endsAt: s.ends_at,
        tally: {
          yes: mine.filter((a) => a.answer === "yes").length,
          if_need_be: mine.filter((a) => a.answer === "if_need_be").length,
          no: mine.filter((a) => a.answer === "no").length,
        },
        answers: mine.map((a) => ({ userId: a.user_id, name: a.name, answer: a.answer })),
      };
    }),
    notAnswered: eligible.filter((m) => !answeredAll(m.user_id)).map((m) => ({ userId: m.user_id, name: m.name })),
    asked: eligible.map((m) => ({ userId: m.user_id, name: m.name })),
    conveneTo: poll.status === "closed" && meeting.status === "draft" ? await namesOf(db, await meetingAudience(db, { council_id: councilId, group_id: meeting.group_id }, "meeting:view")) : [],
  };
}

async function namesOf(db: Db, userIds: string[]): Promise<{ userId: string; name: string }[]> {
  if (!userIds.length) return [];
  return db.selectFrom("users").select(["id as userId", "name"]).where("id", "in", userIds).orderBy("name").execute();
}

/** Record (or change) a person's answers; every given slot must belong to this meeting's open poll. */
export async function answerPoll(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; userId: string; answers: Record<string, PollAnswer> },
  now = new Date(),
) {
  await withMeeting(db, input, null, now, async (trx, meeting) => {
    const poll = await trx.selectFrom("polls").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirst();
    if (!poll) throw new DomainError("error.pollNotFound", 404);
    if (poll.status !== "open" || meeting.status !== "draft" || poll.deadline <= nowIso(now)) throw new DomainError("error.pollClosed", 409);
    const slotIds = new Set((await trx.selectFrom("poll_slots").select("id").where("poll_id", "=", poll.id).execute()).map((s) => s.id));
    const entries = Object.entries(input.answers);
    if (!entries.length) throw new DomainError("error.pollNoAnswer", 400);
    if (entries.some(([slotId]) => !slotIds.has(slotId))) throw new DomainError("error.unknown", 400);
    for (const [slotId, answer] of entries) {
      await trx
        .insertInto("poll_answers")
        .values({ slot_id: slotId, user_id: input.userId, answer, updated_at: nowIso(now) })
        .onConflict((oc) => oc.columns(["slot_id", "user_id"]).doUpdateSet({ answer, updated_at: nowIso(now) }))
        .execute();
    }
  });
  events.publish({ type: "poll.changed", councilId: input.councilId, meetingId: input.meetingId });
}

/**
 * The leader chooses a slot: the meeting gets that time and the poll closes. The
 * meeting stays a draft: nobody is called until the leader convenes it
 * (conveneMeeting), a step of its own. A slot everybody who answered said no to
 * needs `confirmAllNo`; a slot that has already begun cannot be chosen.
 */
export async function chooseSlot(
  { db, events }: Deps,
  input: { councilId: string; meetingId: string; slotId: string; actorId: string; confirmAllNo: boolean },
  now = new Date(),
): Promise<{ needsConfirmation: boolean }> {
  // The meeting's row is held (withMeeting): the answers tallied here are the ones the choice is made on.
  const chosen = await withMeeting(db, input, null, now, async (trx, meeting) => {
    if (meeting.status === "cancelled") throw new DomainError("error.meetingCancelled", 409);
    if (meeting.status !== "draft") throw new DomainError("error.meetingNotDraft", 409);
    const poll = await trx.selectFrom("polls").selectAll().where("meeting_id", "=", meeting.id).executeTakeFirst();
    if (!poll || poll.status !== "open") throw new DomainError("error.pollClosed", 409);
    const slot = await trx.selectFrom("poll_slots").selectAll().where("id", "=", input.slotId).where("poll_id", "=", poll.id).executeTakeFirst();
    if (!slot) throw new DomainError("error.unknown", 400);
    if (slot.starts_at <= nowIso(now)) throw new DomainError("error.slotPast", 409);
    const answers = await trx.selectFrom("poll_answers").select("answer").where("slot_id", "=", slot.id).execute();
    const allNo = answers.length > 0 && answers.every((a) => a.answer === "no");
    if (allNo && !input.confirmAllNo) return false;
    await trx.updateTable("polls").set({ status: "closed", chosen_slot_id: slot.id, closed_at: nowIso(now) }).where("id", "=", poll.id).execute();
    await trx.updateTable("meetings").set({ starts_at: slot.starts_at, ends_at: slot.ends_at, updated_at: nowIso(now) }).where("id", "=", meeting.id).execute();
    await recordAudit(
      trx,
      { councilId: input.councilId, actorId: input.actorId, action: "poll.closed", subject: meeting.id, after: { startsAt: slot.starts_at, allNo } },
      now,
    );
    return true;
  });
  if (!chosen) return { needsConfirmation: true };
  events.publish({ type: "poll.changed", councilId: input.councilId, meetingId: input.meetingId });
  return { needsConfirmation: false };
}

/** Draft meetings that have a poll: members see these (to answer) although drafts are otherwise hidden. */
export async function meetingIdsWithPolls(db: Db, councilId: string): Promise<Set<string>> {
  const rows = await db
    .selectFrom("polls as p")
    .innerJoin("meetings as m", "m.id", "p.meeting_id")
    .select("p.meeting_id")
    .where("m.council_id", "=", councilId)
    .execute();
  return new Set(rows.map((r) => r.meeting_id));
}
