import { DateTime } from "luxon";

export const ZONE = "Europe/Stockholm";

/** Instants are stored as ISO-8601 UTC strings. */
export function nowIso(now: Date = new Date()): string {
  return now.toISOString();
}

// Every page asks for today's date (roles with a period, overdue actions): one
// reused formatter costs about a microsecond, a luxon DateTime in the zone ~30 µs.
const stockholmDate = new Intl.DateTimeFormat("en-CA", { timeZone: ZONE, year: "numeric", month: "2-digit", day: "2-digit" });

// Several calls per request ask for the same minute; formatToParts is the costly
// part (Intl, cold in the CPU's caches between requests). Stockholm's offsets are
// whole hours, so a date never changes inside a UTC minute.
let lastMinute = NaN;
let lastDate = "";

/** Today's calendar date in Stockholm, 'YYYY-MM-DD'. */
export function stockholmToday(now: Date = new Date()): string {
  const minute = Math.floor(now.getTime() / 60_000);
  if (minute === lastMinute) return lastDate;
  const p: Record<string, string> = {};
  for (const { type, value } of stockholmDate.formatToParts(now)) p[type] = value;
  lastMinute = minute;
  lastDate = `${p.year}-${p.month}-${p.day}`;
  return lastDate;
}

/** The Stockholm calendar year of a UTC instant (a meeting at 00:30 on 1 January is in the new year). */
export function stockholmYear(utc: string): number {
  return Number(stockholmToday(new Date(utc)).slice(0, 4));
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * A Stockholm wall-clock date and time as a UTC instant, or null when that
 * wall-clock time does not exist (the spring-forward gap, 02:00–03:00 on the last
 * Sunday of March). In the autumn overlap (02:00–03:00 twice) luxon picks the
 * second, standard-time instant.
 */
export function stockholmToUtc(date: string, time: string): string | null {
  const dt = DateTime.fromISO(`${date}T${time}`, { zone: ZONE });
  if (!dt.isValid) return null;
  if (dt.toFormat("yyyy-MM-dd'T'HH:mm") !== `${date}T${time}`) return null;
  return dt.toUTC().toISO({ suppressMilliseconds: true })!;
}

/** A UTC instant as ISO 8601 with Stockholm's offset, e.g. 2026-03-30T09:00:00+02:00. */
export function toStockholmIso(utc: string): string {
  return DateTime.fromISO(utc, { zone: "utc" }).setZone(ZONE).toISO({ suppressMilliseconds: true })!;
}

/** Stockholm date ('YYYY-MM-DD') and time ('HH:mm') of a UTC instant, for form fields. */
export function stockholmParts(utc: string): { date: string; time: string } {
  const dt = DateTime.fromISO(utc, { zone: "utc" }).setZone(ZONE);
  return { date: dt.toISODate()!, time: dt.toFormat("HH:mm") };
}
