import { DateTime } from "luxon";

export const ZONE = "Europe/Stockholm";

/** Instants are stored as ISO-8601 UTC strings. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

/** Today's calendar date in Stockholm, 'YYYY-MM-DD'. */
export function stockholmToday(now: Date = new Date()): string {
  return DateTime.fromJSDate(now).setZone(ZONE).toISODate()!;
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}
