// Indicators (issue #17): the target-versus-actual rule, the one number rule, and the
// upgrade of schema 1 documents (free-text lines) to indicator lists.
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { indicatorStanding, suggestedStatus, type IndicatorValue } from "../../server/domain/indicators";
import { actionsOf, areasOf, goalsOf, initialPlanUpdate, legacyIndicatorId, metaOf, normalisePlanJson, parseDecimal, planToJson, upgradePlanDoc, type IndicatorJson, type PlanJson } from "../../server/domain/plan-doc";

const ind = (over: Partial<IndicatorJson> = {}): IndicatorJson => ({
  id: "i1",
  name: "Platser",
  unit: "st",
  baseline: 40,
  baselineDate: "2026-01-01",
  target: 60,
  targetDate: "2027-01-01",
  direction: "higher",
  ...over,
});
const val = (date: string, value: number): IndicatorValue => ({ id: date, indicatorId: "i1", date, value, comment: "", by: null, reportedAt: `${date}T12:00:00Z` });

describe("target versus actual", () => {
  it("compares the share of the way come with the share of the time passed", () => {
    // Half the year gone (2 July), half the way come: on track.
    expect(indicatorStanding(ind(), [val("2026-07-02", 50)])).toMatchObject({ reached: 0.5, suggestion: "on_track" });
    expect(indicatorStanding(ind(), [val("2026-07-02", 50)]).expected).toBeCloseTo(0.5, 2);
    // A quarter of the way at half the time: 0.25 behind, at risk; a tenth: delayed.
    expect(indicatorStanding(ind(), [val("2026-07-02", 45)]).suggestion).toBe("at_risk");
    expect(indicatorStanding(ind(), [val("2026-07-02", 42)]).suggestion).toBe("delayed");
    // The latest value counts (values are oldest first).
    expect(indicatorStanding(ind(), [val("2026-03-01", 41), val("2026-07-02", 58)]).suggestion).toBe("on_track");
  });

  it("reads lower-is-better indicators the same way: the way from baseline to target", () => {
    const dropouts = ind({ baseline: 22, target: 12, direction: "lower" });
    expect(indicatorStanding(dropouts, [val("2026-07-02", 17)]).reached).toBeCloseTo(0.5);
    expect(indicatorStanding(dropouts, [val("2026-07-02", 24)]).suggestion).toBe("delayed");
  });

  it("says only what the figures allow", () => {
    expect(indicatorStanding(ind(), []).suggestion).toBeNull();
    expect(indicatorStanding(ind({ target: null }), [val("2026-07-02", 50)]).reached).toBeNull();
    // No dates: only a reached target can be said.
    expect(indicatorStanding(ind({ baselineDate: null }), [val("2026-07-02", 50)]).suggestion).toBeNull();
    expect(indicatorStanding(ind({ baselineDate: null }), [val("2026-07-02", 61)]).suggestion).toBe("on_track");
    // Hold a level: at or better than the target in its direction.
    expect(indicatorStanding(ind({ baseline: 90, target: 90 }), [val("2026-07-02", 91)]).reached).toBe(1);
    expect(indicatorStanding(ind({ baseline: 5, target: 5, direction: "lower" }), [val("2026-07-02", 6)]).reached).toBe(0);
  });

  it("suggests the worst of an action's indicators", () => {
    const on = indicatorStanding(ind(), [val("2026-07-02", 50)]);
    const late = indicatorStanding(ind(), [val("2026-07-02", 42)]);
    const none = indicatorStanding(ind(), []);
    expect(suggestedStatus([on, late, none])).toBe("delayed");
    expect(suggestedStatus([none])).toBeNull();
  });
});

describe("parseDecimal (one rule for forms, files and the editor)", () => {
  it("reads Swedish and English numbers and refuses the rest", () => {
    expect(parseDecimal("12,5")).toBe(12.5);
    expect(parseDecimal("12.5")).toBe(12.5);
    expect(parseDecimal("1 200")).toBe(1200);
    expect(parseDecimal("1\u00a0200,25")).toBe(1200.25);
    expect(parseDecimal("\u22123")).toBe(-3);
    expect(parseDecimal("")).toBeNull();
    for (const bad of ["12abc", "1e3", "0x10", "1,2,3", "Infinity", "NaN", "--1", "1.2345678"]) expect(parseDecimal(bad)).toBeUndefined();
  });
});

/** A schema 1 plan document: one action whose indicators are free-text lines. */
function schemaOneDoc(lines: string): Y.Doc {
  const d = new Y.Doc();
  Y.applyUpdate(d, initialPlanUpdate({ year: 2026, title: "Plan", areas: [{ title: "A", goals: [{ title: "G", actions: [{ id: "x1", title: "Åtgärd" }] }] }] }));
  d.transact(() => {
    metaOf(d).set("schemaVersion", 1);
    const t = new Y.Text();
    t.insert(0, lines);
    actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0).set("indicators", t);
  });
  return d;
}

describe("schema 1 documents", () => {
  it("are read as indicators before the upgrade, with the ids the upgrade gives", () => {
    const d = schemaOneDoc("Antal träffar\n\n  Andel i arbete  ");
    const before = planToJson(d).areas[0].goals[0].actions[0].indicators;
    expect(before.map((i) => [i.id, i.name])).toEqual([
      [legacyIndicatorId("x1", 0), "Antal träffar"],
      [legacyIndicatorId("x1", 2), "Andel i arbete"],
    ]);
    expect(upgradePlanDoc(d)).toBe(true);
    expect(metaOf(d).get("schemaVersion")).toBe(2);
    expect(actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0).get("indicators")).toBeInstanceOf(Y.Array);
    expect(planToJson(d).areas[0].goals[0].actions[0].indicators).toEqual(before);
    // Twice is once.
    expect(upgradePlanDoc(d)).toBe(false);
  });

  it("converge to one list when two nodes upgrade the same state at once", () => {
    const a = schemaOneDoc("Antal träffar\nAndel i arbete");
    const b = new Y.Doc();
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    upgradePlanDoc(a);
    upgradePlanDoc(b);
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b));
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a));
    const ja = planToJson(a).areas[0].goals[0].actions[0].indicators;
    expect(ja.map((i) => i.name)).toEqual(["Antal träffar", "Andel i arbete"]);
    expect(planToJson(b)).toEqual(planToJson(a));
  });

  it("revisions adopted with schema 1 read their lines as the same indicators", () => {
    const old = { areas: [{ id: "a", title: "A", description: "", goals: [{ id: "g", title: "G", actions: [{ id: "x1", title: "Å", indicators: "Antal träffar\nAndel" }] }] }] } as unknown as PlanJson;
    expect(normalisePlanJson(old).areas[0].goals[0].actions[0].indicators.map((i) => i.id)).toEqual([legacyIndicatorId("x1", 0), legacyIndicatorId("x1", 1)]);
  });
});
