import { describe, expect, it } from "vitest";
import { stockholmTimeProblem, stockholmToday, stockholmToUtc, stockholmYear } from "../../server/domain/time";

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

describe("the clock change nights (Stockholm)", () => {
  // 2026: summer time starts Sunday 29 March, ends Sunday 25 October.
  it("in March 02:00–02:59 does not exist; before and after it each time is one instant", () => {
    expect(stockholmTimeProblem("2026-03-29", "02:30")).toBe("missing");
    expect(stockholmToUtc("2026-03-29", "02:30")).toBeNull();
    expect(stockholmToUtc("2026-03-29", "01:59")).toBe("2026-03-29T00:59:00Z");
    expect(stockholmToUtc("2026-03-29", "03:00")).toBe("2026-03-29T01:00:00Z");
  });
  it("in October 02:00–02:59 happens twice and is refused; 01:59 and 03:00 are one instant each", () => {
    for (const t of ["02:00", "02:30", "02:59"]) {
      expect(stockholmTimeProblem("2026-10-25", t), t).toBe("twice");
      expect(stockholmToUtc("2026-10-25", t), t).toBeNull();
    }
    expect(stockholmTimeProblem("2026-10-25", "01:59")).toBeNull();
    expect(stockholmToUtc("2026-10-25", "01:59")).toBe("2026-10-24T23:59:00Z");
    expect(stockholmToUtc("2026-10-25", "03:00")).toBe("2026-10-25T02:00:00Z");
    // The same hour on an ordinary Sunday is fine.
    expect(stockholmToUtc("2026-10-18", "02:30")).toBe("2026-10-18T00:30:00Z");
  });
  it("an impossible date or time is missing, not an instant", () => {
    expect(stockholmTimeProblem("2026-02-30", "10:00")).toBe("missing");
    expect(stockholmTimeProblem("2026-10-25", "24:00")).toBe("missing");
  });
});
