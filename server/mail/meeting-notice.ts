// The notice (kallelse) of a meeting, as e-mail (issue #15): when a meeting is
// convened, moved or cancelled, each person told of it who gets that notification by
// e-mail (the default for these three) receives one message with the meeting as it
// is now: title, time in Swedish with the zone, place and video link, the agenda
// with clock times and each item's documents (handlingar), the meeting's other
// documents, a link to answer (RSVP), and a calendar invitation (METHOD:REQUEST,
// or CANCEL, with a stable UID and the meeting's SEQUENCE, so a move updates the
// calendar entry instead of adding one).
import { DateTime } from "luxon";
import type { Db } from "../../db";
import type { NotificationKind } from "../../db/schema";
import { listAttachments } from "../domain/attachments";
import { meetingsToIcs } from "../domain/ics";
import type { TextLocale } from "../domain/notification-text";
import { ZONE } from "../domain/time";
import type { MailMessage } from "./index";

/** The notification kinds that carry a notice. */
export const NOTICE_KINDS: ReadonlySet<NotificationKind> = new Set(["meeting_convened", "meeting_moved", "meeting_cancelled"]);

const WORDS = {
  sv: {
    convened: "Kallelse",
    moved: "Ändrad tid",
    cancelled: "Inställt",
    intro: {
      meeting_convened: (c: string) => `Du kallas till ett möte i ${c}.`,
      meeting_moved: (c: string) => `Mötet i ${c} har fått en ny tid.`,
      meeting_cancelled: (c: string) => `Mötet i ${c} är inställt.`,
    } as Record<string, (c: string) => string>,
    when: "Tid",
    where: "Plats",
    video: "Videolänk",
    agenda: "Dagordning",
    noAgenda: "Dagordningen är inte klar än.",
    documents: "Handlingar",
    otherDocuments: "Övriga handlingar",
    reason: "Anledning",
    answer: "Svara om du kommer",
    open: "Mötet i Samsyn",
    zone: "svensk tid",
    calendar: "Kalenderinbjudan bifogad (.ics).",
    footer: "Du får det här e-postmeddelandet från Samsyn. Välj vad du får per e-post under Inställningar:",
  },
  en: {
    convened: "Notice of meeting",
    moved: "New time",
    cancelled: "Cancelled",
    intro: {
      meeting_convened: (c: string) => `You are called to a meeting of ${c}.`,
      meeting_moved: (c: string) => `The meeting of ${c} has a new time.`,
      meeting_cancelled: (c: string) => `The meeting of ${c} is cancelled.`,
    } as Record<string, (c: string) => string>,
    when: "When",
    where: "Where",
    video: "Video link",
    agenda: "Agenda",
    noAgenda: "The agenda is not ready yet.",
    documents: "Documents",
    otherDocuments: "Other documents",
    reason: "Reason",
    answer: "Tell us whether you come",
    open: "The meeting in Samsyn",
    zone: "Swedish time",
    calendar: "Calendar invitation attached (.ics).",
    footer: "You get this e-mail from Samsyn. Choose what you get by e-mail under Settings:",
  },
} as const;

/** "1,2 MB", "340 kB": a file's size as the page says it. */
function fileSize(locale: TextLocale, bytes: number): string {
  const fmt = (n: number) => n.toLocaleString(locale === "sv" ? "sv-SE" : "en-GB", { maximumFractionDigits: 1 });
  return bytes >= 1024 * 1024 ? `${fmt(bytes / (1024 * 1024))} MB` : `${fmt(Math.max(1, Math.round(bytes / 1024)))} kB`;
}

const fileLinks = (files: { url: string; label: string }[]) => files.map((f) => `<a href="${escapeHtml(f.url)}">${escapeHtml(f.label)}</a>`).join(", ");

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);

/** "tisdag 9 december 2026 kl. 13.00–15.00 (svensk tid, UTC+01:00)" */
export function noticeTime(locale: TextLocale, startsAt: string, endsAt: string): string {
  const loc = locale === "sv" ? "sv-SE" : "en-GB";
  const start = DateTime.fromISO(startsAt, { zone: "utc" }).setZone(ZONE).setLocale(loc);
  const end = DateTime.fromISO(endsAt, { zone: "utc" }).setZone(ZONE).setLocale(loc);
  const day = start.toFormat(locale === "sv" ? "cccc d MMMM yyyy" : "cccc d MMMM yyyy");
  const sameDay = start.hasSame(end, "day");
  const clock = (d: DateTime) => d.toFormat("HH:mm");
  const span = sameDay ? `${clock(start)}–${clock(end)}` : `${clock(start)} – ${end.toFormat(locale === "sv" ? "cccc d MMMM yyyy HH:mm" : "cccc d MMMM yyyy HH:mm")}`;
  return `${day} ${locale === "sv" ? "kl. " : ""}${span} (${WORDS[locale].zone}, UTC${start.toFormat("ZZ")})`;
}

/**
 * The notice for one notification row, or undefined when the row is not about a
 * meeting that still has a time (then the ordinary notification mail goes out).
 */
export async function meetingNotice(
  db: Db,
  row: { kind: NotificationKind; link: string; email: string; name: string },
  locale: TextLocale,
  baseUrl: string,
  from: string,
): Promise<Omit<MailMessage, "to"> | undefined> {
  if (!NOTICE_KINDS.has(row.kind)) return undefined;
  const id = /\/meetings\/([^/?#]+)$/.exec(row.link)?.[1];
  if (!id) return undefined;
  const meeting = await db
    .selectFrom("meetings as m")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .selectAll("m")
    .select(["c.name as council_name", "c.slug as council_slug"])
    .where("m.id", "=", id)
    .executeTakeFirst();
  if (!meeting?.starts_at || !meeting.ends_at) return undefined;
  const agenda = await db
    .selectFrom("agenda_items")
    .select(["id", "title", "minutes", "presenter"])
    .where("meeting_id", "=", id)
    .where("status", "=", "accepted")
    .orderBy("position")
    .execute();
  const w = WORDS[locale];
  const cancelled = row.kind === "meeting_cancelled";
  const url = `${baseUrl}/councils/${meeting.council_slug}/meetings/${meeting.id}`;
  // Everyone told of a convened meeting may read its documents (the meeting's own
  // read rule), and a cancelled meeting's notice lists none.
  const files = cancelled
    ? []
    : (await listAttachments(db, id)).map((f) => ({ ...f, url: `${url}/attachments/${f.id}`, label: `${f.name} (${fileSize(locale, f.size)})` }));
  const filesOf = (itemId: string | null) => files.filter((f) => f.agendaItemId === itemId);
  const itemIds = new Set(agenda.map((a) => a.id));
  const otherFiles = files.filter((f) => f.agendaItemId === null || !itemIds.has(f.agendaItemId));
  const time = noticeTime(locale, meeting.starts_at, meeting.ends_at);
  // Clock times down the agenda: each item starts where the one before ended.
  let at = DateTime.fromISO(meeting.starts_at, { zone: "utc" }).setZone(ZONE);
  const items = agenda.map((a) => {
    const line = { at: at.toFormat("HH:mm"), title: a.title, presenter: a.presenter, files: filesOf(a.id) };
    at = at.plus({ minutes: a.minutes });
    return line;
  });
  const heading = `${cancelled ? w.cancelled : row.kind === "meeting_moved" ? w.moved : w.convened}: ${meeting.title}`;
  const place = meeting.location.trim();
  const text = [
    w.intro[row.kind]!(meeting.council_name),
    "",
    meeting.title,
    `${w.when}: ${time}`,
    ...(place ? [`${w.where}: ${place}`] : []),
    ...(meeting.video_url ? [`${w.video}: ${meeting.video_url}`] : []),
    ...(cancelled && meeting.cancel_reason ? [`${w.reason}: ${meeting.cancel_reason}`] : []),
    ...(cancelled
      ? []
      : [
          "",
          `${w.agenda}:`,
          ...(items.length
            ? items.flatMap((i) => [`  ${i.at}  ${i.title}${i.presenter ? ` (${i.presenter})` : ""}`, ...i.files.map((f) => `         ${w.documents}: ${f.label} ${f.url}`)])
            : [`  ${w.noAgenda}`]),
        ]),
    ...(otherFiles.length ? ["", `${items.some((i) => i.files.length) ? w.otherDocuments : w.documents}:`, ...otherFiles.map((f) => `  ${f.label} ${f.url}`)] : []),
    "",
    ...(cancelled ? [] : [`${w.answer}: ${url}#rsvp-h`]),
    `${w.open}: ${url}`,
    w.calendar,
    "",
    "-- ",
    `${w.footer} ${baseUrl}/settings`,
    "",
  ].join("\n");
  const h = escapeHtml;
  const html = `<!doctype html><html lang="${locale}"><head><meta charset="utf-8"><title>${h(heading)}</title></head><body>
<p>${h(w.intro[row.kind]!(meeting.council_name))}</p>
<h1>${h(meeting.title)}</h1>
<dl>
<dt>${h(w.when)}</dt><dd>${h(time)}</dd>
${place ? `<dt>${h(w.where)}</dt><dd>${h(place)}</dd>` : ""}
${meeting.video_url ? `<dt>${h(w.video)}</dt><dd><a href="${h(meeting.video_url)}">${h(meeting.video_url)}</a></dd>` : ""}
${cancelled && meeting.cancel_reason ? `<dt>${h(w.reason)}</dt><dd>${h(meeting.cancel_reason)}</dd>` : ""}
</dl>
${cancelled ? "" : `<h2>${h(w.agenda)}</h2>${items.length ? `<table><tbody>${items.map((i) => `<tr><td>${h(i.at)}</td><td>${h(i.title)}${i.presenter ? ` (${h(i.presenter)})` : ""}${i.files.length ? `<br>${h(w.documents)}: ${fileLinks(i.files)}` : ""}</td></tr>`).join("")}</tbody></table>` : `<p>${h(w.noAgenda)}</p>`}`}
${otherFiles.length ? `<h2>${h(items.some((i) => i.files.length) ? w.otherDocuments : w.documents)}</h2><ul>${otherFiles.map((f) => `<li>${fileLinks([f])}</li>`).join("")}</ul>` : ""}
${cancelled ? "" : `<p><a href="${h(url)}#rsvp-h">${h(w.answer)}</a></p>`}
<p><a href="${h(url)}">${h(w.open)}</a></p>
<p>${h(w.calendar)}</p>
<hr><p><small>${h(w.footer)} <a href="${h(baseUrl)}/settings">${h(baseUrl)}/settings</a></small></p>
</body></html>`;
  const method = cancelled ? "CANCEL" : "REQUEST";
  const organizerEmail = /<([^>]+)>/.exec(from)?.[1] ?? from;
  const ics = meetingsToIcs([meeting], {
    name: meeting.council_name,
    baseUrl,
    method,
    organizer: { name: meeting.council_name, email: organizerEmail },
    attendee: { name: row.name, email: row.email },
  });
  return { subject: `Samsyn: ${heading}`, text, html, icalEvent: { method, filename: cancelled ? "installt.ics" : "kallelse.ics", content: ics } };
}
