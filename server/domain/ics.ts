// iCalendar output with ical-generator. Times are written in UTC ("…Z"): every
// calendar shows them in the reader's zone, and there is no VTIMEZONE to get wrong
// (see ../shared/VERIFIED.md on ical-generator's TZID trap).
import ical, { ICalAttendeeRole, ICalAttendeeStatus, ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { Meeting } from "../../db/schema";

export interface IcsMeeting extends Meeting {
  council_name: string;
  council_slug: string;
}

// Forms refuse control characters (schemas.ts, textField), but stored data from before
// that rule, and text from elsewhere (council names), must not put them into a calendar
// either: RFC 5545 TEXT allows no control character but HTAB, and line breaks are
// escaped by ical-generator. One line for a summary or location, lines for a description.
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g;
const oneLine = (s: string) => s.replace(CONTROL, "").replace(/[\t\r\n]+/g, " ");
const lines = (s: string) => s.replace(CONTROL, "").replace(/\r\n?/g, "\n");

export function meetingUid(meetingId: string): string {
  return `${meetingId}@samsyn`;
}

export interface IcsOptions {
  name: string;
  baseUrl: string;
  /**
   * PUBLISH: a feed. REQUEST / CANCEL: an invitation to one person (the notice,
   * kallelse), which calendars show as an invitation: it names the organizer and the
   * attendee, and a later REQUEST with a higher SEQUENCE and the same UID updates it.
   */
  method?: "PUBLISH" | "REQUEST" | "CANCEL";
  organizer?: { name: string; email: string };
  attendee?: { name: string; email: string };
  /** All-day entries besides the meetings (the annual wheel's dates in a feed). */
  days?: IcsDay[];
}

export interface IcsDay {
  /** Stable across feeds, so a calendar updates the entry instead of adding another. */
  uid: string;
  /** YYYY-MM-DD. */
  date: string;
  summary: string;
  url: string;
}

export function meetingsToIcs(meetings: IcsMeeting[], opts: IcsOptions): string {
  const cal = ical({ name: oneLine(opts.name), prodId: { company: "Samsyn", product: "Samsyn", language: "SV" } });
  if (opts.method) cal.method(ICalCalendarMethod[opts.method]);
  for (const m of meetings) {
    // A meeting whose time a poll never decided (cancelled before it had one) has no event to show.
    if (!m.starts_at || !m.ends_at) continue;
    const url = `${opts.baseUrl}/councils/${m.council_slug}/meetings/${m.id}`;
    const description = lines(
      [m.description, m.video_url ? `Video: ${m.video_url}` : "", m.status === "cancelled" && m.cancel_reason ? `Inställt: ${m.cancel_reason}` : "", url]
        .filter(Boolean)
        .join("\n\n"),
    );
    cal.createEvent({
      id: meetingUid(m.id),
      sequence: m.sequence,
      start: new Date(m.starts_at),
      end: new Date(m.ends_at),
      stamp: new Date(m.updated_at),
      lastModified: new Date(m.updated_at),
      summary: oneLine(`${m.title} (${m.council_name})`),
      description,
      location: oneLine(m.location || m.video_url || "") || null,
      url,
      status: m.status === "cancelled" || opts.method === "CANCEL" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
      ...(opts.organizer ? { organizer: { name: oneLine(opts.organizer.name), email: opts.organizer.email } } : {}),
      ...(opts.attendee
        ? { attendees: [{ name: oneLine(opts.attendee.name), email: opts.attendee.email, rsvp: true, role: ICalAttendeeRole.REQ, status: ICalAttendeeStatus.NEEDSACTION }] }
        : {}),
    });
  }
  for (const d of opts.days ?? []) {
    const [y, m, day] = d.date.split("-").map(Number);
    cal.createEvent({
      id: d.uid,
      // A day, not an instant (DTSTART;VALUE=DATE): ical-generator writes an all-day date from the UTC fields.
      allDay: true,
      start: new Date(Date.UTC(y, m - 1, day)),
      summary: oneLine(d.summary),
      description: d.url,
      url: d.url,
      status: ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
