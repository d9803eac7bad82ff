// What the two PDFs of a meeting hold (issue #15, docs/decisions/041-meeting-pdfs.md):
// the minutes (protokoll) and the meeting book (the notice's documents in one
// file). Gathered here from the minutes, agenda and attachments domains, with
// their rules; server/pdf renders them.
import { createHash } from "node:crypto";
import type { Db } from "../../db";
import type { AgendaKind, Meeting, MinutesStatus } from "../../db/schema";
import { listAgenda, listParagraphs } from "./agenda";
import { meetingAudience } from "./groups";
import { meetingAttendance } from "./attendance";
import { getMinutes, listActionItems } from "./minutes";
import type { MembershipFacts } from "./permissions";
import { minutesPublishedTo } from "./publication";
import { stockholmToday } from "./time";

interface MeetingHead {
  council: string;
  title: string;
  startsAt: string | null;
  endsAt: string | null;
  location: string;
  videoUrl: string | null;
}

const head = (councilName: string, m: Meeting): MeetingHead => ({
  council: councilName,
  title: m.title,
  startsAt: m.starts_at,
  endsAt: m.ends_at,
  location: m.location,
  videoUrl: m.video_url,
});

// ---- the minutes ----

/**
 * Whether a person gets a meeting's minutes as a PDF: once they are published to
 * them (publication.ts: approved, or they read unpublished minutes), and before
 * approval only if they write this meeting's minutes (`editMinutes`, the meeting
 * guard's canOnMeeting "minutes:edit": for a working group's meeting its members
 * and the leaders). The draft PDF is the writers' working copy, marked as a draft.
 */
export function readsMinutesPdf(viewer: MembershipFacts | null | undefined, editMinutes: boolean, status: MinutesStatus, today = stockholmToday()): boolean {
  return minutesPublishedTo(viewer, status, today) && (status === "approved" || editMinutes);
}

/** How a person is recorded in the minutes' attendance. */
export type Presence = "present" | "substitute" | "excused" | "absent" | "guest";

export interface AttendanceRow {
  organisation: string;
  name: string;
  presence: Presence;
  /** A substitute's member (whom they served for), or a guest's role; null otherwise. */
  note: string | null;
}

const PRESENCE_ORDER: Record<Presence, number> = { present: 0, substitute: 1, excused: 2, absent: 3, guest: 4 };

/**
 * The minutes' attendance as rows (meetingAttendance, attendance.ts): those present
 * and the substitutes first, then those absent with notice (förhinder), those absent,
 * and the guests; each by organisation then name. Empty until someone is recorded present.
 */
export async function minutesAttendance(db: Db, meeting: Pick<Meeting, "id" | "council_id">): Promise<AttendanceRow[]> {
  const a = await meetingAttendance(db, meeting.id);
  const people = a.organisations.flatMap((o) =>
    o.people.map((p) => ({ organisation: o.organisation, name: p.name, presence: p.status as Presence, note: p.substituteFor?.name ?? null })),
  );
  if (!people.some((p) => p.presence === "present" || p.presence === "substitute")) return [];
  const guests = a.guests.map((g) => ({ organisation: g.organisation, name: g.name, presence: "guest" as const, note: g.role || null }));
  // A stable sort: organisations stay in their order within each kind.
  return [...people.sort((x, y) => PRESENCE_ORDER[x.presence] - PRESENCE_ORDER[y.presence]), ...guests];
}

export interface MinutesPdfData extends MeetingHead {
  status: MinutesStatus;
  approvedAt: string | null;
  attendance: AttendanceRow[];
  paragraphs: { paragraph: number; title: string; decision: string | null }[];
  /** The text's Yjs state: the frozen one once closed, else the live one. */
  textState: Uint8Array | null;
  actionItems: { what: string; owner: string | null; dueDate: string | null }[];
  approvers: { name: string; status: "pending" | "approved" | "returned"; decidedAt: string | null }[];
  /** SHA-256 (hex) of the frozen plain text (minutes.frozen_text): the approved text, or the closed one awaiting approval. */
  checksum: string | null;
}

/** SHA-256 of a text's UTF-8 bytes, hex. */
export const textChecksum = (text: string) => createHash("sha256").update(text, "utf8").digest("hex");

/**
 * The minutes of a (convened) meeting for its PDF, or null when the person does
 * not get them (readsMinutesPdf). `liveState` is asked only for minutes still a
 * draft (their text is the live document).
 */
export async function minutesPdfData(
  db: Db,
  input: { councilName: string; meeting: Meeting; viewer: MembershipFacts | null; editMinutes: boolean; liveState: () => Promise<Uint8Array> },
  today = stockholmToday(),
): Promise<MinutesPdfData | null> {
  const { meeting, viewer } = input;
  if (meeting.status === "draft") return null;
  const minutes = await getMinutes(db, meeting.id);
  if (!readsMinutesPdf(viewer, input.editMinutes, minutes.status, today)) return null;
  const frozen =
    minutes.status === "draft"
      ? null
      : ((await db.selectFrom("minutes").select("frozen_state").where("meeting_id", "=", meeting.id).executeTakeFirst())?.frozen_state ?? null);
  return {
    ...head(input.councilName, meeting),
    status: minutes.status,
    approvedAt: minutes.approvedAt,
    attendance: await minutesAttendance(db, meeting),
    paragraphs: await listParagraphs(db, meeting, viewer),
    textState: minutes.status === "draft" ? await input.liveState() : frozen,
    actionItems: (await listActionItems(db, meeting.id)).map((i) => ({ what: i.what, owner: i.ownerName, dueDate: i.dueDate })),
    approvers: minutes.approvers.map((a) => ({ name: a.name, status: a.status, decidedAt: a.decidedAt })),
    checksum: minutes.status !== "draft" && minutes.frozenText !== null ? textChecksum(minutes.frozenText) : null,
  };
}

// ---- the meeting book ----

export interface BookDocument {
  id: string;
  name: string;
  type: string;
  storageKey: string;
}

export interface MeetingBookData extends MeetingHead {
  description: string;
  invitees: { name: string; organisation: string }[];
  items: { n: number; title: string; kind: AgendaKind; presenter: string; startsAt: string | null; endsAt: string | null; documents: BookDocument[] }[];
  /** Documents of the meeting as a whole (no agenda item, or one no longer on the agenda). */
  documents: BookDocument[];
}

/**
 * The meeting book: the meeting, whom it asks (meetingAudience "meeting:respond":
 * for a working group's meeting, the group), its accepted agenda items with their
 * clock times and documents. The caller has checked that the person sees the
 * meeting (requireMeeting), the rule for its documents.
 */
export async function meetingBookData(db: Db, input: { councilName: string; meeting: Meeting; viewer: MembershipFacts | null }): Promise<MeetingBookData> {
  const { meeting } = input;
  const ids = await meetingAudience(db, meeting, "meeting:respond");
  const invitees = ids.length
    ? await db
        .selectFrom("users as u")
        .innerJoin("memberships as ms", (j) => j.onRef("ms.user_id", "=", "u.id").on("ms.council_id", "=", meeting.council_id))
        .select(["u.name", "ms.organisation"])
        .where("u.id", "in", ids)
        .orderBy("ms.organisation")
        .orderBy("u.name")
        .execute()
    : [];
  const files = await db
    .selectFrom("attachments")
    .select(["id", "name", "type", "storage_key as storageKey", "agenda_item_id as agendaItemId"])
    .where("meeting_id", "=", meeting.id)
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const accepted = (await listAgenda(db, meeting, input.viewer)).filter((i) => i.status === "accepted");
  const onAgenda = new Set(accepted.map((i) => i.id));
  const doc = ({ id, name, type, storageKey }: (typeof files)[number]): BookDocument => ({ id, name, type, storageKey });
  return {
    ...head(input.councilName, meeting),
    description: meeting.description,
    invitees,
    items: accepted.map((i, n) => ({
      n: n + 1,
      title: i.title,
      kind: i.kind,
      presenter: i.presenter,
      startsAt: i.startsAt,
      endsAt: i.endsAt,
      documents: files.filter((f) => f.agendaItemId === i.id).map(doc),
    })),
    documents: files.filter((f) => !f.agendaItemId || !onAgenda.has(f.agendaItemId)).map(doc),
  };
}
