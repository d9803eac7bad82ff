// iCalendar output with ical-generator. Times are written in UTC ("…Z"): every
// calendar shows them in the reader's zone, and there is no VTIMEZONE to get wrong
// (see ../shared/VERIFIED.md on ical-generator's TZID trap).
import ical, { ICalCalendarMethod, ICalEventStatus } from "ical-generator";
import type { Meeting } from "../../db/schema";

export interface IcsMeeting extends Meeting {
  council_name: string;
  council_slug: string;
}

export function meetingUid(meetingId: string): string {
  return `${meetingId}@samsyn`;
}

export function meetingsToIcs(meetings: IcsMeeting[], opts: { name: string; baseUrl: string; method?: "PUBLISH" }): string {
  const cal = ical({ name: opts.name, prodId: { company: "Samsyn", product: "Samsyn", language: "SV" } });
  if (opts.method) cal.method(ICalCalendarMethod.PUBLISH);
  for (const m of meetings) {
    const url = `${opts.baseUrl}/councils/${m.council_slug}/meetings/${m.id}`;
    const description = [m.description, m.video_url ? `Video: ${m.video_url}` : "", m.status === "cancelled" && m.cancel_reason ? `Inställt: ${m.cancel_reason}` : "", url]
      .filter(Boolean)
      .join("\n\n");
    cal.createEvent({
      id: meetingUid(m.id),
      sequence: m.sequence,
      start: new Date(m.starts_at),
      end: new Date(m.ends_at),
      stamp: new Date(m.updated_at),
      lastModified: new Date(m.updated_at),
      summary: `${m.title} (${m.council_name})`,
      description,
      location: m.location || m.video_url || null,
      url,
      status: m.status === "cancelled" ? ICalEventStatus.CANCELLED : ICalEventStatus.CONFIRMED,
    });
  }
  return cal.toString();
}
