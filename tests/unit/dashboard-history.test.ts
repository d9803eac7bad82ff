import { describe, expect, it } from "vitest";
import { monthlyHistory, type HistoryEntry } from "../../server/domain/followups";

const rows = [
  { actionId: "a", status: "done" as const, progress: 100 },
  { actionId: "b", status: "at_risk" as const, progress: 40 },
  { actionId: "c", status: "on_track" as const, progress: 20 },
];
// a: reported twice (on track in February, done in April); b: once, in May; c: never.
const history: HistoryEntry[] = [
  { actionId: "a", reportedAt: "2026-02-10T09:00:00Z", oldStatus: "not_started", newStatus: "on_track", oldProgress: 0, newProgress: 50 },
  // 23:30 UTC on 30 April is 01:30 on 1 May in Stockholm: a May report.
  { actionId: "b", reportedAt: "2026-04-30T23:30:00Z", oldStatus: "on_track", newStatus: "at_risk", oldProgress: 30, newProgress: 40 },
  { actionId: "a", reportedAt: "2026-04-02T09:00:00Z", oldStatus: "on_track", newStatus: "done", oldProgress: 50, newProgress: 100 },
].sort((x, y) => x.reportedAt.localeCompare(y.reportedAt));

describe("monthlyHistory", () => {
  it("rebuilds each month's statuses, mean progress and reports from the follow-up history", () => {
    const months = monthlyHistory(rows, history, 2026, "2026-05-20");
    expect(months.map((m) => m.month)).toEqual(["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]);
    // January: a before its first report (not started, 0 %), b before its report (on track, 30 %), c as now.
    expect(months[0]).toEqual({ month: "2026-01", counts: { not_started: 1, on_track: 2, at_risk: 0, delayed: 0, done: 0, cancelled: 0 }, progress: 17, reports: 0 });
    expect(months[1]).toMatchObject({ counts: { not_started: 0, on_track: 3 }, progress: 33, reports: 1 });
    expect(months[3]).toMatchObject({ counts: { on_track: 2, done: 1 }, progress: 50, reports: 1 });
    // The report at 01:30 Stockholm time on 1 May counts in May.
    expect(months[4]).toMatchObject({ counts: { on_track: 1, at_risk: 1, done: 1 }, progress: 53, reports: 1 });
  });

  it("shows a past year whole, and nothing before the year has begun", () => {
    expect(monthlyHistory(rows, history, 2026, "2027-01-05")).toHaveLength(12);
    expect(monthlyHistory(rows, history, 2027, "2026-12-31")).toEqual([]);
  });

  it("leaves cancelled actions out of the mean progress", () => {
    const [m] = monthlyHistory([{ actionId: "x", status: "cancelled", progress: 0 }, { actionId: "y", status: "on_track", progress: 60 }], [], 2026, "2026-01-01");
    expect(m).toMatchObject({ counts: { cancelled: 1, on_track: 1 }, progress: 60 });
  });
});
