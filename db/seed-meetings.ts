// Demo meetings: a year of council meetings around "now" — past ones, upcoming
// ones with replies, and one on the Monday right after the spring DST change.
import { DateTime } from "luxon";
import type { Db } from "./index";
import { paragraphsState } from "./seed-text";
import { newId } from "../server/domain/ids";
import { writeInitialState } from "../server/collab/store";
import { stockholmToUtc, ZONE } from "../server/domain/time";
import { minutesDocName } from "../server/domain/doc-names";

interface SeedMeeting {
  council: "skaraborg" | "fyrbodal";
  title: string;
  day: DateTime;
  start: string;
  end: string;
  location: string;
  videoUrl?: string;
  description: string;
  status?: "convened" | "draft" | "cancelled";
  cancelReason?: string;
  rsvps?: [email: string, response: "attending" | "not_attending" | "maybe", note?: string][];
  /** `action`: the title of the plan action the item is about (linked, so the action's timeline shows it). */
  agenda?: [title: string, kind: "information" | "discussion" | "decision", presenter: string, minutes: number, decision?: string, action?: string][];
  /** Approved minutes: who attended, the text, and who approved (justerade). */
  minutes?: { present: string[]; text: string[]; approver: string };
  /** An open time poll: candidate days (offsets from the meeting's day) and answers per slot. */
  poll?: { offsets: number[]; answers: Record<string, ("yes" | "if_need_be" | "no")[]> };
}

/** The Monday after the last Sunday of March (the spring change) following `from`. */
function mondayAfterSpringChange(from: DateTime): DateTime {
  for (let year = from.year; ; year++) {
    let d = DateTime.fromObject({ year, month: 3, day: 31 }, { zone: ZONE });
    while (d.weekday !== 7) d = d.minus({ days: 1 });
    const monday = d.plus({ days: 1 });
    if (monday > from) return monday;
  }
}

/** The Tuesday on or before `d`: councils meet on weekdays. */
const tuesdayBefore = (d: DateTime) => d.minus({ days: (d.weekday - 2 + 7) % 7 });

export async function seedMeetings(db: Db, councils: Record<"skaraborg" | "fyrbodal", string>, users: Map<string, string>, now: Date) {
  const today = DateTime.fromJSDate(now).setZone(ZONE).startOf("day");
  const nextTuesday = today.plus({ days: ((2 - today.weekday + 7) % 7) + 7 });
  const meetings: SeedMeeting[] = [
    {
      council: "skaraborg",
      title: "Rådsmöte: uppföljning av handlingsplanen",
      day: tuesdayBefore(today.minus({ days: 200 })),
      start: "09:00",
      end: "12:00",
      location: "Skaraborgs Kommunalförbund, Skövde",
      description: "Genomgång av åtgärdernas status och omvärldsbevakning om industrins omställning.",
      agenda: [
        ["Mötet öppnas, val av justerare", "decision", "Karin Lindqvist", 5, "Maria Andersson valdes att justera protokollet."],
        ["Omvärldsbevakning: industrins omställning", "information", "Johan Nilsson", 40],
        ["Uppföljning av handlingsplanen", "discussion", "Karin Lindqvist", 60],
        ["Gemensamt uttalande om yrkesvux", "decision", "Karin Lindqvist", 30, "Rådet ställer sig bakom uttalandet om fler yrkesvux-platser.", "Gemensamt uttalande om yrkesvux-platser i Skaraborg"],
      ],
      minutes: {
        present: ["processledare@samsyn.test", "ledamot@samsyn.test", "maria.andersson@samsyn.test", "johan.nilsson@samsyn.test", "sara.ek@samsyn.test"],
        text: [
          "Karin Lindqvist hälsade välkommen. Maria Andersson valdes att justera protokollet.",
          "Johan Nilsson redogjorde för industrins omställning i Skaraborg: elektrifieringen ökar behovet av el- och automationskompetens, och flera företag planerar omskolning av befintlig personal.",
          "Uppföljningen av handlingsplanen visade att de flesta åtgärder följer planen. Valideringen inom svets och CNC riskerar att försenas på grund av brist på handledare.",
          "Rådet ställde sig bakom ett gemensamt uttalande om fler yrkesvux-platser i Skaraborg.",
        ],
        approver: "maria.andersson@samsyn.test",
      },
      rsvps: [["ledamot@samsyn.test", "attending"], ["maria.andersson@samsyn.test", "attending"], ["per.holm@samsyn.test", "not_attending", "Förhandlingar samma dag"]],
    },
    {
      council: "skaraborg",
      title: "Rådsmöte: kompetensbehovsanalysen",
      day: tuesdayBefore(today.minus({ days: 60 })),
      start: "13:00",
      end: "16:00",
      location: "Högskolan i Skövde, sal G110",
      videoUrl: "https://video.example.se/skaraborg-radsmote",
      description: "Presentation av årets kompetensbehovsanalys och diskussion om prioriteringar inför revideringen.",
      rsvps: [["ledamot@samsyn.test", "attending"], ["sara.ek@samsyn.test", "attending"]],
    },
    {
      council: "skaraborg",
      title: "Rådsmöte: revidering av handlingsplanen",
      day: nextTuesday,
      start: "09:00",
      end: "12:00",
      location: "Skaraborgs Kommunalförbund, Skövde",
      videoUrl: "https://video.example.se/skaraborg-radsmote",
      description: "Förslag till nästa års handlingsplan. Underlag skickas ut en vecka innan.",
      agenda: [
        ["Mötet öppnas", "information", "Karin Lindqvist", 5],
        ["Årets uppföljning: åtgärder med risk för försening", "discussion", "Karin Lindqvist", 45],
        ["Förslag till prioriterade områden nästa år", "discussion", "Johan Nilsson", 60],
        ["Beslut om att öppna revideringen", "decision", "Karin Lindqvist", 15],
        ["Övriga frågor", "information", "", 10],
      ],
      rsvps: [
        ["ledamot@samsyn.test", "attending"],
        ["maria.andersson@samsyn.test", "maybe", "Kan behöva gå 11.00"],
        ["per.holm@samsyn.test", "attending"],
        ["lena.svensson@samsyn.test", "not_attending", "Semester"],
      ],
    },
    {
      council: "skaraborg",
      title: "Rådsmöte: fastställande av handlingsplanen",
      day: mondayAfterSpringChange(today),
      start: "09:00",
      end: "11:30",
      location: "Skaraborgs Kommunalförbund, Skövde",
      description: "Mötet ligger dagen efter övergången till sommartid: kontrollera tiden i din kalender.",
    },
    {
      council: "skaraborg",
      title: "Arbetsmöte om validering",
      day: nextTuesday.plus({ days: 14 }),
      start: "13:00",
      end: "15:00",
      location: "Digitalt",
      description: "Utkast: datum bekräftas efter tidsomröstningen.",
      status: "draft",
      poll: {
        offsets: [0, 1, 3],
        answers: {
          "ledamot@samsyn.test": ["yes", "if_need_be", "no"],
          "maria.andersson@samsyn.test": ["no", "yes", "yes"],
          "ingrid.larsson@samsyn.test": ["yes", "yes", "if_need_be"],
        },
      },
    },
    {
      council: "fyrbodal",
      title: "Rådsmöte Fyrbodal",
      day: tuesdayBefore(today.minus({ days: 45 })).plus({ days: 1 }),
      start: "09:30",
      end: "12:00",
      location: "Fyrbodals kommunalförbund, Vänersborg",
      description: "Uppföljning och omvärldsbevakning.",
    },
    {
      council: "fyrbodal",
      title: "Rådsmöte Fyrbodal: handlingsplan nästa år",
      day: nextTuesday.plus({ days: 2 }),
      start: "09:30",
      end: "12:00",
      location: "Högskolan Väst, Trollhättan",
      description: "Förslag till revidering.",
      rsvps: [["ledamot.fyrbodal@samsyn.test", "attending"]],
    },
  ];
  const at = now.toISOString();
  for (const m of meetings) {
    const id = newId();
    const date = m.day.toISODate()!;
    await db
      .insertInto("meetings")
      .values({
        id,
        council_id: councils[m.council],
        title: m.title,
        location: m.location,
        video_url: m.videoUrl ?? null,
        description: m.description,
        // A meeting with an open time poll has no time until the poll decides (decision 027).
        starts_at: m.poll ? null : stockholmToUtc(date, m.start)!,
        ends_at: m.poll ? null : stockholmToUtc(date, m.end)!,
        status: m.status ?? "convened",
        cancel_reason: m.cancelReason ?? null,
        sequence: 0,
        created_by: null,
        created_at: at,
        updated_at: at,
        convened_at: m.status === "draft" ? null : at,
      })
      .execute();
    if (m.poll) {
      const pollId = newId();
      await db
        .insertInto("polls")
        .values({ id: pollId, meeting_id: id, deadline: stockholmToUtc(m.day.minus({ days: 7 }).toISODate()!, "23:59")!, status: "open", chosen_slot_id: null, created_at: at, closed_at: null })
        .execute();
      const slotIds = m.poll.offsets.map(() => newId());
      for (const [i, offset] of m.poll.offsets.entries()) {
        const d = m.day.plus({ days: offset }).toISODate()!;
        await db
          .insertInto("poll_slots")
          .values({ id: slotIds[i], poll_id: pollId, position: i, starts_at: stockholmToUtc(d, m.start)!, ends_at: stockholmToUtc(d, m.end)! })
          .execute();
      }
      for (const [email, answers] of Object.entries(m.poll.answers)) {
        for (const [i, answer] of answers.entries()) {
          await db.insertInto("poll_answers").values({ slot_id: slotIds[i], user_id: users.get(email)!, answer, updated_at: at }).execute();
        }
      }
    }
    for (const [i, [title, kind, presenter, minutes, decision, action]] of (m.agenda ?? []).entries()) {
      const linked = action
        ? await db
            .selectFrom("plan_actions as x")
            .innerJoin("plans as p", "p.id", "x.plan_id")
            .select("x.id")
            .where("p.council_id", "=", councils[m.council])
            .where("x.title", "=", action)
            .orderBy("p.year", "desc")
            .executeTakeFirst()
        : undefined;
      await db
        .insertInto("agenda_items")
        .values({ id: newId(), meeting_id: id, position: i, title, kind, presenter, minutes, plan_area_id: null, plan_action_id: linked?.id ?? null, status: "accepted", proposed_by: null, decision: decision ?? null, created_at: at })
        .execute();
    }
    if (m.minutes) {
      const mm = m.minutes;
      for (const email of mm.present) await db.insertInto("attendance").values({ meeting_id: id, user_id: users.get(email)!, status: "present" }).execute();
      // The text as a Yjs document, written once as its first state.
      const state = paragraphsState(mm.text);
      await writeInitialState(db, minutesDocName(id), state);
      const closedAt = m.day.plus({ days: 2 }).toUTC().toISO()!;
      await db
        .insertInto("minutes")
        .values({ meeting_id: id, status: "approved", closed_at: closedAt, approved_at: m.day.plus({ days: 5 }).toUTC().toISO()!, frozen_text: mm.text.join("\n\n"), frozen_state: state })
        .execute();
      await db
        .insertInto("minutes_approvers")
        .values({ meeting_id: id, user_id: users.get(mm.approver)!, status: "approved", comment: null, decided_at: m.day.plus({ days: 5 }).toUTC().toISO()! })
        .execute();
    }
    for (const [email, response, note] of m.rsvps ?? []) {
      await db
        .insertInto("meeting_rsvps")
        .values({ meeting_id: id, user_id: users.get(email)!, response, note: note ?? "", updated_at: at })
        .execute();
    }
  }
}
