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

/**
 * The Stockholm calendar year of a UTC instant (a meeting at 00:30 on 1 January is in
 * the new year). A meeting whose time a poll has yet to decide (null) is in this year.
 */
export function stockholmYear(utc: string | null): number {
  return Number(stockholmToday(utc ? new Date(utc) : undefined).slice(0, 4));
}

export function addMs(iso: string, ms: number): string {
  return new Date(Date.parse(iso) + ms).toISOString();
}

/**
 * Why a Stockholm wall-clock date and time is not one instant: "missing" in the
 * spring-forward gap (02:00–03:00 on the last Sunday of March), "twice" in the autumn
 * overlap (02:00–03:00 on the last Sunday of October happens once in summer time and
 * again in standard time), null when it is one instant. An unparsable date or time is
 * "missing".
 */
export function stockholmTimeProblem(date: string, time: string): "missing" | "twice" | null {
  return readStockholmTime(date, time).problem;
}

function readStockholmTime(date: string, time: string): { dt: DateTime; problem: "missing" | "twice" | null } {
  const wall = `${date}T${time}`;
  const dt = DateTime.fromISO(wall, { zone: ZONE });
  if (!dt.isValid || dt.toFormat("yyyy-MM-dd'T'HH:mm") !== wall) return { dt, problem: "missing" };
  // luxon picks one of the two instants; the other is an hour away and shows the same wall time.
  const same = (other: DateTime) => other.setZone(ZONE).toFormat("yyyy-MM-dd'T'HH:mm") === wall;
  return { dt, problem: same(dt.minus({ hours: 1 })) || same(dt.plus({ hours: 1 })) ? "twice" : null };
}

/**
 * A Stockholm wall-clock date and time as a UTC instant, or null when it is not
 * exactly one instant (stockholmTimeProblem says why): forms ask for another time
 * rather than guess which of the autumn night's two 02:30s was meant.
 */
export function stockholmToUtc(date: string, time: string): string | null {
  const { dt, problem } = readStockholmTime(date, time);
  return problem ? null : dt.toUTC().toISO({ suppressMilliseconds: true })!;
}

/** A UTC instant as ISO 8601 with Stockholm's offset, e.g. 2026-03-30T09:00:00+02:00. */
export function toStockholmIso(utc: string): string {
  return DateTime.fromISO(utc, { zone: "utc" }).setZone(ZONE).toISO({ suppressMilliseconds: true })!;
}

/** Stockholm date ('YYYY-MM-DD') and time ('HH:mm') of a UTC instant, for form fields; blank for no time yet. */
export function stockholmParts(utc: string | null): { date: string; time: string } {
  if (!utc) return { date: "", time: "" };
  const dt = DateTime.fromISO(utc, { zone: "utc" }).setZone(ZONE);
  return { date: dt.toISODate()!, time: dt.toFormat("HH:mm") };
}
