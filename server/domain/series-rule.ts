import * as rruleModule from "rrule";
import type { MessageKey } from "../../app/i18n/keys";
import { stockholmTimeProblem, stockholmToUtc } from "./time";

// The date maths of a meeting series (decision 042). The recurrence itself (every N
// weeks on a weekday, the n-th weekday every N months, a date every N months; COUNT or
// UNTIL) is the `rrule` package's, an RFC 5545 implementation. It runs in "floating"
// time: dates are built with Date.UTC from Stockholm wall-clock values and read back
// with getUTC*, so no zone is involved in the recurrence. Each wall-clock date and time
// then becomes an instant with luxon in Europe/Stockholm (stockholmToUtc), so a series
// stays at 09:00 local across the last Sundays of March and October. rrule's own
// `tzid` option is not used: it converts with the process's zone and gives other
// instants when TZ is not UTC (tests/unit/series-rule.test.ts shows it).

// rrule's "main" is a UMD build: Node's ESM loader sees only its default export.
const { RRule } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;

export const SERIES_KINDS = ["weekly", "monthlyWeekday", "monthlyDate"] as const;
export type SeriesKind = (typeof SERIES_KINDS)[number];
/** 1–4, or -1 for the last such weekday of the month. */
export const SERIES_NTHS = [1, 2, 3, 4, -1] as const;
export type SeriesNth = (typeof SERIES_NTHS)[number];
/** ISO weekdays: 1 Monday … 7 Sunday. */
export type IsoWeekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

/** At most this many meetings, and the last within two years of the first. */
export const SERIES_MAX_COUNT = 24;
export const SERIES_MAX_YEARS = 2;
export const SERIES_MAX_INTERVAL = 12;
/** A date every N months: 1–28, so every month has it (RFC 5545 would skip short months). */
export const SERIES_MAX_MONTH_DAY = 28;

export interface SeriesRule {
  kind: SeriesKind;
  /** Every `interval` weeks or months (1 = every). */
  interval: number;
  weekday?: IsoWeekday;
  nth?: SeriesNth;
  monthDay?: number;
  /** The first possible date (Stockholm, YYYY-MM-DD): the series starts on the first date on or after it that fits the rule. */
  from: string;
  /** Stockholm wall-clock times, HH:mm. */
  startTime: string;
  endTime: string;
  /** How it ends: after `count` meetings, or on `until` (a date, inclusive). */
  count?: number;
  until?: string;
}

export interface Occurrence {
  /** Stockholm date, YYYY-MM-DD. */
  date: string;
  /** UTC instants. */
  startsAt: string;
  endsAt: string;
}

export type SeriesPlan = { ok: true; occurrences: Occurrence[] } | { ok: false; field: string; message: MessageKey };

const RR_DAYS = () => [RRule.MO, RRule.TU, RRule.WE, RRule.TH, RRule.FR, RRule.SA, RRule.SU];

/** A floating Date: the wall-clock values as if they were UTC. */
function floating(date: string, time = "00:00"): Date {
  const [y, m, d] = date.split("-").map(Number);
  const [hh, mm] = time.split(":").map(Number);
  return new Date(Date.UTC(y, m - 1, d, hh, mm));
}

const dateOf = (d: Date) => d.toISOString().slice(0, 10);

/** The date two years (SERIES_MAX_YEARS) after `date`. */
export function seriesHorizon(date: string): string {
  const d = floating(date);
  d.setUTCFullYear(d.getUTCFullYear() + SERIES_MAX_YEARS);
  return dateOf(d);
}

/** The rrule options for a rule (without its end), in floating time. */
function options(rule: SeriesRule) {
  const days = RR_DAYS();
  const base = { interval: rule.interval, dtstart: floating(rule.from, rule.startTime), wkst: RRule.MO };
  switch (rule.kind) {
    case "weekly":
      return { ...base, freq: RRule.WEEKLY, byweekday: [days[(rule.weekday ?? 1) - 1]] };
    case "monthlyWeekday":
      return { ...base, freq: RRule.MONTHLY, byweekday: [days[(rule.weekday ?? 1) - 1].nth(rule.nth ?? 1)] };
    case "monthlyDate":
      return { ...base, freq: RRule.MONTHLY, bymonthday: [rule.monthDay ?? 1] };
  }
}

/** The rule as an RFC 5545 RRULE line, e.g. FREQ=MONTHLY;INTERVAL=2;BYDAY=+2TU;COUNT=6 (stored on the series). */
export function rruleText(rule: SeriesRule): string {
  const { dtstart: _start, ...opts } = options(rule);
  const end = rule.count ? { count: rule.count } : { until: floating(rule.until!, "23:59") };
  return RRule.optionsToString({ ...opts, ...end }).replace(/^RRULE:/, "");
}

/**
 * The dates a rule gives, in order, at most SERIES_MAX_COUNT + 1 (one more than
 * allowed, so a caller can tell "too many" without listing a thousand).
 */
export function seriesDates(rule: SeriesRule): string[] {
  const r = new RRule(options(rule));
  const limit = SERIES_MAX_COUNT + 1;
  const wanted = rule.count ? Math.min(rule.count, limit) : limit;
  const until = rule.until ? floating(rule.until, "23:59") : undefined;
  const out: string[] = [];
  // rrule's iterator stops when the callback returns false.
  r.all((d, i) => {
    if (until && d > until) return false;
    if (i >= wanted) return false;
    out.push(dateOf(d));
    return out.length < wanted;
  });
  return out;
}

/**
 * The meetings a rule makes, or why it makes none: every date a real Stockholm time
 * (not in the spring gap, not twice in the autumn night), 2–24 meetings, the last
 * within two years of the first, none in the past.
 */
export function planSeries(rule: SeriesRule, now = new Date()): SeriesPlan {
  const dates = seriesDates(rule);
  if (dates.length > SERIES_MAX_COUNT) return { ok: false, field: rule.count ? "count" : "until", message: "error.seriesTooMany" };
  if (dates.length < 2) return { ok: false, field: rule.count ? "repeat" : "until", message: "error.seriesTooFew" };
  if (dates[dates.length - 1] > seriesHorizon(dates[0])) return { ok: false, field: rule.count ? "count" : "until", message: "error.seriesTooLong" };
  const occurrences: Occurrence[] = [];
  for (const date of dates) {
    const startsAt = stockholmToUtc(date, rule.startTime);
    const endsAt = stockholmToUtc(date, rule.endTime);
    if (!startsAt || !endsAt) {
      const which = startsAt ? rule.endTime : rule.startTime;
      return { ok: false, field: startsAt ? "endTime" : "startTime", message: stockholmTimeProblem(date, which) === "twice" ? "error.seriesTimeTwice" : "error.seriesTimeMissing" };
    }
    if (startsAt < now.toISOString()) return { ok: false, field: "date", message: "error.inPast" };
    occurrences.push({ date, startsAt, endsAt });
  }
  return { ok: true, occurrences };
}

/** What a stored series' RRULE says, for describing it in words (the page's "Del av serie"). */
export function describeRule(rrule: string): { kind: SeriesKind; interval: number; weekday?: IsoWeekday; nth?: SeriesNth; monthDay?: number } | null {
  try {
    const o = RRule.parseString(rrule);
    const interval = o.interval ?? 1;
    const byday = Array.isArray(o.byweekday) ? o.byweekday[0] : o.byweekday;
    const wd = byday == null ? undefined : typeof byday === "number" ? { weekday: byday, n: undefined } : typeof byday === "string" ? undefined : byday;
    const weekday = wd ? ((wd.weekday + 1) as IsoWeekday) : undefined;
    const monthDay = Array.isArray(o.bymonthday) ? o.bymonthday[0] : (o.bymonthday ?? undefined);
    if (o.freq === RRule.WEEKLY && weekday) return { kind: "weekly", interval, weekday };
    if (o.freq === RRule.MONTHLY && weekday && wd?.n) return { kind: "monthlyWeekday", interval, weekday, nth: wd.n as SeriesNth };
    if (o.freq === RRule.MONTHLY && typeof monthDay === "number") return { kind: "monthlyDate", interval, monthDay };
    return null;
  } catch {
    return null;
  }
}
