// When a meeting's record is published: the one rule every reader of minutes
// text, attendance, action items and agenda decisions asks
// (docs/decisions/018-published-minutes.md).
//
// Minutes are published once they are approved (justerade). Before that they
// are a working document of those who may write minutes in the council
// (process leaders, members, adjuncts in their period); everyone else in the
// council (observers) sees that the minutes exist and their status, nothing more.
import type { Db } from "../../db";
import type { MinutesStatus } from "../../db/schema";
import { can, type MembershipFacts } from "./permissions";
import { stockholmToday } from "./time";

/** May this person read minutes (and decisions) that are not yet approved? */
export function readsUnpublishedMinutes(m: MembershipFacts | null | undefined, today: string = stockholmToday()): boolean {
  return can(m, "minutes:edit", today);
}

/** Is a meeting's record (text, attendance, decisions, action items) published to this person? */
export function minutesPublishedTo(m: MembershipFacts | null | undefined, status: MinutesStatus, today: string = stockholmToday()): boolean {
  return status === "approved" || readsUnpublishedMinutes(m, today);
}

/** A meeting's minutes status ("draft" until the minutes have a row). */
export async function minutesStatus(db: Db, meetingId: string): Promise<MinutesStatus> {
  const row = await db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirst();
  return row?.status ?? "draft";
}

/** A statement or proposal is published (to observers) once adopted; those who draft read it throughout. */
export function statementPublishedTo(m: MembershipFacts | null | undefined, status: string, today: string = stockholmToday()): boolean {
  return status === "adopted" || can(m, "statement:draft", today);
}
