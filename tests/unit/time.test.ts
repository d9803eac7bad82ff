import { describe, expect, it } from "vitest";
import { stockholmToUtc, stockholmYear } from "../../server/domain/time";

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
