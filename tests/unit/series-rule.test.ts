// The date maths of meeting series (decision 042): rrule's recurrence in floating
// time, each date made an instant in Europe/Stockholm by luxon. The same local time
// across the last Sundays of March and October, whatever zone the process runs in.
import * as rruleModule from "rrule";
import { DateTime } from "luxon";
import { afterEach, describe, expect, it } from "vitest";
import { describeRule, planSeries, rruleText, seriesDates, type SeriesRule } from "../../server/domain/series-rule";
import { ZONE } from "../../server/domain/time";

const { RRule } = ((rruleModule as unknown as { default?: typeof rruleModule }).default ?? rruleModule) as typeof rruleModule;
const BEFORE = new Date("2026-01-01T00:00:00Z");
const local = (utc: string) => DateTime.fromISO(utc, { zone: "utc" }).setZone(ZONE).toFormat("yyyy-MM-dd HH:mm");
const plan = (rule: SeriesRule) => {
  const p = planSeries(rule, BEFORE);
  if (!p.ok) throw new Error(`${p.field}: ${p.message}`);
  return p.occurrences;
};

describe("series dates", () => {
  it("the second Tuesday every other month (andra tisdagen varannan månad)", () => {
    const rule: SeriesRule = { kind: "monthlyWeekday", interval: 2, weekday: 2, nth: 2, from: "2027-01-01", startTime: "09:00", endTime: "11:00", count: 6 };
    expect(seriesDates(rule)).toEqual(["2027-01-12", "2027-03-09", "2027-05-11", "2027-07-13", "2027-09-14", "2027-11-09"]);
    expect(rruleText(rule)).toMatch(/FREQ=MONTHLY/);
    expect(rruleText(rule)).toMatch(/INTERVAL=2/);
    expect(rruleText(rule)).toMatch(/BYDAY=\+2TU/);
    expect(rruleText(rule)).toMatch(/COUNT=6/);
    expect(describeRule(rruleText(rule))).toEqual({ kind: "monthlyWeekday", interval: 2, weekday: 2, nth: 2 });
  });

  it("starts on the first fitting day on or after the date asked for", () => {
    // 2027-01-20 is after January's second Tuesday: the series' months count from January, so March.
    expect(seriesDates({ kind: "monthlyWeekday", interval: 2, weekday: 2, nth: 2, from: "2027-01-20", startTime: "09:00", endTime: "10:00", count: 2 })).toEqual(["2027-03-09", "2027-05-11"]);
    // Every other Thursday from a Monday.
    expect(seriesDates({ kind: "weekly", interval: 2, weekday: 4, from: "2027-02-01", startTime: "09:00", endTime: "10:00", count: 3 })).toEqual(["2027-02-04", "2027-02-18", "2027-03-04"]);
  });

  it("the last Friday of each month, and a date every third month", () => {
    expect(seriesDates({ kind: "monthlyWeekday", interval: 1, weekday: 5, nth: -1, from: "2027-01-01", startTime: "13:00", endTime: "14:00", count: 3 })).toEqual(["2027-01-29", "2027-02-26", "2027-03-26"]);
    const quarterly: SeriesRule = { kind: "monthlyDate", interval: 3, monthDay: 15, from: "2027-01-20", startTime: "13:00", endTime: "14:00", count: 3 };
    expect(seriesDates(quarterly)).toEqual(["2027-04-15", "2027-07-15", "2027-10-15"]);
    expect(describeRule(rruleText(quarterly))).toEqual({ kind: "monthlyDate", interval: 3, monthDay: 15 });
  });

  it("an end date is the last possible day, included", () => {
    const rule: SeriesRule = { kind: "weekly", interval: 1, weekday: 3, from: "2027-05-01", startTime: "09:00", endTime: "10:00", until: "2027-05-19" };
    expect(seriesDates(rule)).toEqual(["2027-05-05", "2027-05-12", "2027-05-19"]);
    expect(rruleText(rule)).toMatch(/UNTIL=20270519T235900/);
    expect(describeRule(rruleText(rule))).toEqual({ kind: "weekly", interval: 1, weekday: 3 });
  });
});

describe("the same Stockholm time across daylight saving", () => {
  it("a weekly series over the last Sunday of March keeps 09:00 local (UTC 08:00, then 07:00)", () => {
    const occ = plan({ kind: "weekly", interval: 1, weekday: 2, from: "2027-03-16", startTime: "09:00", endTime: "11:00", count: 3 });
    expect(occ.map((o) => o.startsAt)).toEqual(["2027-03-16T08:00:00Z", "2027-03-23T08:00:00Z", "2027-03-30T07:00:00Z"]);
    expect(occ.map((o) => local(o.startsAt))).toEqual(["2027-03-16 09:00", "2027-03-23 09:00", "2027-03-30 09:00"]);
    expect(occ.map((o) => local(o.endsAt).slice(11))).toEqual(["11:00", "11:00", "11:00"]);
  });

  it("and over the last Sunday of October (UTC 07:00, then 08:00), on that very Sunday too", () => {
    const occ = plan({ kind: "weekly", interval: 1, weekday: 7, from: "2027-10-24", startTime: "09:00", endTime: "10:00", count: 2 });
    expect(occ.map((o) => o.startsAt)).toEqual(["2027-10-24T07:00:00Z", "2027-10-31T08:00:00Z"]);
    expect(occ.map((o) => local(o.startsAt))).toEqual(["2027-10-24 09:00", "2027-10-31 09:00"]);
  });

  describe("whatever the process's zone", () => {
    const saved = process.env.TZ;
    afterEach(() => {
      if (saved === undefined) delete process.env.TZ;
      else process.env.TZ = saved;
    });
    it("gives the same instants under TZ=America/New_York, where rrule's own tzid option does not", () => {
      const rule: SeriesRule = { kind: "weekly", interval: 1, weekday: 2, from: "2027-03-16", startTime: "09:00", endTime: "11:00", count: 3 };
      const inUtc = plan(rule);
      process.env.TZ = "America/New_York";
      expect(new Date(Date.UTC(2027, 0, 1)).getTimezoneOffset()).toBe(300); // the zone did change
      expect(plan(rule)).toEqual(inUtc);
      // Why rrule's tzid is not used: its instants follow the process's zone.
      const withTzid = new RRule({ freq: RRule.WEEKLY, byweekday: [RRule.TU], dtstart: new Date(Date.UTC(2027, 2, 16, 9, 0)), tzid: ZONE, count: 3 }).all();
      expect(withTzid.map((d) => d.toISOString())).not.toEqual(inUtc.map((o) => DateTime.fromISO(o.startsAt).toUTC().toISO()));
    });
  });
});

describe("what a series may not be", () => {
  const base = { kind: "weekly" as const, interval: 1, weekday: 2 as const, from: "2027-01-05", startTime: "09:00", endTime: "10:00" };
  it("more than 24 meetings", () => {
    expect(planSeries({ ...base, until: "2027-12-31" }, BEFORE)).toEqual({ ok: false, field: "until", message: "error.seriesTooMany" });
    expect(planSeries({ ...base, count: 24 }, BEFORE).ok).toBe(true);
    expect(seriesDates({ ...base, until: "2099-12-31" })).toHaveLength(25); // stops one past the limit
  });
  it("longer than two years, or fewer than two meetings", () => {
    expect(planSeries({ ...base, kind: "monthlyDate", monthDay: 5, interval: 2, count: 24 }, BEFORE)).toEqual({ ok: false, field: "count", message: "error.seriesTooLong" });
    expect(planSeries({ ...base, until: "2027-01-10" }, BEFORE)).toEqual({ ok: false, field: "until", message: "error.seriesTooFew" });
  });
  it("a time that does not exist, or happens twice, on one of its dates", () => {
    // 02:30 on the last Sunday of March is skipped; on the last Sunday of October it happens twice.
    expect(planSeries({ ...base, kind: "monthlyWeekday", weekday: 7, nth: -1, startTime: "02:30", endTime: "04:00", count: 4 }, BEFORE)).toEqual({
      ok: false,
      field: "startTime",
      message: "error.seriesTimeMissing",
    });
    expect(planSeries({ ...base, kind: "monthlyWeekday", weekday: 7, nth: -1, from: "2027-08-01", startTime: "01:00", endTime: "02:30", count: 4 }, BEFORE)).toEqual({
      ok: false,
      field: "endTime",
      message: "error.seriesTimeTwice",
    });
  });
  it("in the past", () => {
    expect(planSeries({ ...base, count: 3 }, new Date("2027-06-01T00:00:00Z"))).toEqual({ ok: false, field: "date", message: "error.inPast" });
  });
});
