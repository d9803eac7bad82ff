import { describe, expect, it } from "vitest";
import { stockholmToday, stockholmToUtc, stockholmYear } from "../../server/domain/time";

describe("Stockholm calendar years", () => {
  it("a meeting just after midnight on New Year's Day is in the new year, though UTC is still in the old one", () => {
    const utc = stockholmToUtc("2027-01-01", "00:30")!;
    expect(utc).toBe("2026-12-31T23:30:00Z");
    expect(stockholmYear(utc)).toBe(2027);
    expect(stockholmYear(stockholmToUtc("2026-12-31", "23:30")!)).toBe(2026);
  });
  it("holds in summer time too", () => {
    expect(stockholmYear(stockholmToUtc("2026-07-01", "01:00")!)).toBe(2026);
  });
});

describe("stockholmToday (remembers the last minute it was asked about)", () => {
  it("turns at Stockholm's midnight, not UTC's, in winter and in summer, asked in any order", () => {
    const asked: [string, string][] = [
      ["2026-12-01T22:59:59.999Z", "2026-12-01"],
      ["2026-12-01T23:00:00.000Z", "2026-12-02"],
      ["2026-12-01T22:59:30.000Z", "2026-12-01"], // back into the minute before midnight
      ["2026-12-01T23:00:59.000Z", "2026-12-02"],
      ["2026-06-30T21:59:59.000Z", "2026-06-30"],
      ["2026-06-30T22:00:00.000Z", "2026-07-01"],
      ["2026-06-30T22:00:00.000Z", "2026-07-01"],
    ];
    for (const [utc, date] of asked) expect(stockholmToday(new Date(utc)), utc).toBe(date);
  });
});
