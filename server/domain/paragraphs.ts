// Paragraph numbers (§) of a council's minutes (issue #15,
// docs/decisions/044-attendance-and-paragraphs.md). A paragraph is an accepted
// agenda item of a meeting with minutes; its number is the meeting's first number
// plus its place among the meeting's accepted items. The first number is
// - 'meeting' numbering (the default): 1;
// - 'year' numbering (the leader's choice): one more than the last paragraph of the
//   previous meeting of the same body (the council, or one working group) in the same
//   Stockholm calendar year, in start order;
// - once the minutes are approved: the number stored then (minutes.first_paragraph),
//   so a meeting inserted before, or deleted, never renumbers approved minutes.
// Every reader of § numbers (the minutes page and template, the decision register and
// its API, the meeting API, the minutes PDF) goes through paragraphStarts.
import type { Db } from "../../db";
import type { ParagraphNumbering } from "../../db/schema";
import { recordAudit } from "./audit";
import { stockholmYear } from "./time";

/** Meeting id → the number of its first paragraph, for every meeting of the council that has minutes. */
export type ParagraphStarts = ReadonlyMap<string, number>;

/** The number of the paragraph at 1-based `place` among a meeting's accepted items. */
export function paragraphNumber(starts: ParagraphStarts, meetingId: string, place: number): number {
  return (starts.get(meetingId) ?? 1) + place - 1;
}

/**
 * The first paragraph number of each of the council's meetings that has minutes
 * (convened, with a time). One pass over the council's meetings: a meeting's
 * number depends on every earlier meeting of its body and year.
 */
export async function paragraphStarts(db: Db, councilId: string): Promise<ParagraphStarts> {
  const council = await db.selectFrom("councils").select("paragraph_numbering").where("id", "=", councilId).executeTakeFirst();
  const mode: ParagraphNumbering = council?.paragraph_numbering ?? "meeting";
  const meetings = await db
    .selectFrom("meetings as m")
    .leftJoin("minutes as mi", "mi.meeting_id", "m.id")
    .select(["m.id", "m.group_id", "m.starts_at", "mi.first_paragraph", "mi.status as minutesStatus"])
    .select((eb) =>
      eb
        .selectFrom("agenda_items as i")
        .select((e) => e.fn.countAll<number>().as("n"))
        .whereRef("i.meeting_id", "=", "m.id")
        .where("i.status", "=", "accepted")
        .as("items"),
    )
    .where("m.council_id", "=", councilId)
    .where("m.status", "=", "convened")
    .where("m.starts_at", "is not", null)
    .orderBy("m.starts_at")
    .orderBy("m.id")
    .execute();
  const starts = new Map<string, number>();
  // The next free number per body and year.
  const next = new Map<string, number>();
  for (const m of meetings) {
    const series = `${m.group_id ?? ""}|${stockholmYear(m.starts_at)}`;
    const fixed = m.minutesStatus === "approved" ? m.first_paragraph : null;
    const first = fixed ?? (mode === "year" ? (next.get(series) ?? 1) : 1);
    starts.set(m.id, first);
    next.set(series, first + Number(m.items ?? 0));
  }
  return starts;
}

/** Fix the numbers of a meeting's minutes as they are now: called in the transaction that approves them. */
export async function fixParagraphNumbers(trx: Db, councilId: string, meetingId: string): Promise<void> {
  const first = (await paragraphStarts(trx, councilId)).get(meetingId) ?? 1;
  await trx.updateTable("minutes").set({ first_paragraph: first }).where("meeting_id", "=", meetingId).execute();
}

export async function getParagraphNumbering(db: Db, councilId: string): Promise<ParagraphNumbering> {
  const row = await db.selectFrom("councils").select("paragraph_numbering").where("id", "=", councilId).executeTakeFirst();
  return row?.paragraph_numbering ?? "meeting";
}

/** The leader's choice of numbering; approved minutes keep their numbers. */
export async function setParagraphNumbering(db: Db, input: { councilId: string; actorId: string; numbering: ParagraphNumbering }, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await getParagraphNumbering(trx, input.councilId);
    if (before === input.numbering) return;
    await trx.updateTable("councils").set({ paragraph_numbering: input.numbering }).where("id", "=", input.councilId).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "council.paragraph_numbering", before: { numbering: before }, after: { numbering: input.numbering } }, now);
  });
}
