import { describe, expect, it } from "vitest";
import type { ActionJson, PlanJson } from "../../server/domain/plan-doc";
import { comparePlans, isYearShift } from "../../server/domain/revisions";

const act = (id: string, title: string, over: Partial<ActionJson> = {}): ActionJson => ({
  id,
  title,
  description: "",
  responsibleOrg: "Org",
  responsibleUserId: null,
  startDate: null,
  dueDate: null,
  status: "on_track",
  progress: 0,
  indicators: [],
  ...over,
});

// Two hand-built plans and the comparison a reader expects between them.
const lastYear: PlanJson = {
  areas: [
    { id: "a1", title: "Matchning", description: "Bättre matchning", goals: [{ id: "g1", title: "Mål", actions: [act("x1", "Rekryteringsträffar", { progress: 50 }), act("x2", "Jobbmässa", { status: "done", progress: 100 })] }] },
    { id: "a2", title: "Validering", description: "", goals: [{ id: "g2", title: "Mål 2", actions: [act("x3", "Valideringsmodell", { status: "at_risk" })] }] },
  ],
};
const thisYear: PlanJson = {
  areas: [
    { id: "a1", title: "Matchning och omställning", description: "Bättre matchning", goals: [{ id: "g1", title: "Mål", actions: [act("x1", "Rekryteringsträffar", { progress: 70, dueDate: "2026-12-15" }), act("x4", "Mentorprogram")] }] },
    { id: "a3", title: "Livslångt lärande", description: "Nytt", goals: [{ id: "g3", title: "Mål 3", actions: [act("x3", "Valideringsmodell", { status: "delayed" })] }] },
  ],
};

describe("comparePlans", () => {
  it("finds areas and actions added, removed, changed field by field, and status moves", () => {
    expect(comparePlans(lastYear, thisYear)).toEqual({
      areas: {
        added: [{ id: "a3", title: "Livslångt lärande" }],
        removed: [{ id: "a2", title: "Validering" }],
        changed: [{ id: "a1", title: "Matchning och omställning", changes: [{ field: "title", from: "Matchning", to: "Matchning och omställning" }] }],
      },
      actions: {
        added: [{ id: "x4", title: "Mentorprogram", area: "Matchning och omställning" }],
        // Done last year and not carried over: finished, not removed.
        closed: [{ id: "x2", title: "Jobbmässa", area: "Matchning", status: "done" }],
        removed: [],
        changed: [
          {
            id: "x1",
            title: "Rekryteringsträffar",
            area: "Matchning och omställning",
            changes: [
              { field: "dueDate", from: null, to: "2026-12-15" },
              { field: "progress", from: 50, to: 70 },
            ],
          },
          { id: "x3", title: "Valideringsmodell", area: "Livslångt lärande", changes: [{ field: "status", from: "at_risk", to: "delayed" }] },
        ],
      },
      statusMoves: [{ id: "x3", title: "Valideringsmodell", area: "Livslångt lärande", from: "at_risk", to: "delayed" }],
    });
  });

  it("finds nothing between a plan and itself", () => {
    const d = comparePlans(thisYear, thisYear);
    expect([d.areas.added, d.areas.removed, d.areas.changed, d.actions.added, d.actions.closed, d.actions.removed, d.actions.changed, d.statusMoves].every((x) => x.length === 0)).toBe(true);
  });

  const plan = (...actions: ActionJson[]): PlanJson => ({ areas: [{ id: "a", title: "Område", description: "", goals: [{ id: "g", title: "Mål", actions }] }] });

  it("tells finished actions (done or cancelled, left behind) apart from removed open ones", () => {
    const d = comparePlans(
      plan(act("done", "Klar", { status: "done", progress: 100 }), act("cancelled", "Avbruten", { status: "cancelled" }), act("open", "Pågående", { status: "at_risk" }), act("kept", "Kvar")),
      plan(act("kept", "Kvar")),
      { yearShift: 1 },
    );
    expect(d.actions.closed).toEqual([
      { id: "done", title: "Klar", area: "Område", status: "done" },
      { id: "cancelled", title: "Avbruten", area: "Område", status: "cancelled" },
    ]);
    expect(d.actions.removed).toEqual([{ id: "open", title: "Pågående", area: "Område" }]);
  });

  it("does not count a date that only moved with the plan's year as a change", () => {
    const before = plan(act("x", "Åtgärd", { startDate: "2026-03-01", dueDate: "2026-12-31" }));
    // The revision carried the action into 2027: both dates one year on.
    expect(comparePlans(before, plan(act("x", "Åtgärd", { startDate: "2027-03-01", dueDate: "2027-12-31" })), { yearShift: 1 }).actions.changed).toEqual([]);
    // Moved by a year and a day, or by two years in a one-year comparison: a real change.
    expect(comparePlans(before, plan(act("x", "Åtgärd", { startDate: "2027-03-01", dueDate: "2028-01-01" })), { yearShift: 1 }).actions.changed).toEqual([
      { id: "x", title: "Åtgärd", area: "Område", changes: [{ field: "dueDate", from: "2026-12-31", to: "2028-01-01" }] },
    ]);
    expect(comparePlans(before, plan(act("x", "Åtgärd", { startDate: "2028-03-01", dueDate: "2027-12-31" })), { yearShift: 1 }).actions.changed[0].changes).toEqual([
      { field: "startDate", from: "2026-03-01", to: "2028-03-01" },
    ]);
    // Comparing 2025 with 2027 (two years apart), a two-year move is the plan's.
    expect(comparePlans(before, plan(act("x", "Åtgärd", { startDate: "2028-03-01", dueDate: "2028-12-31" })), { yearShift: 2 }).actions.changed).toEqual([]);
    // Without a year shift (the default), every moved date is a change.
    expect(comparePlans(before, plan(act("x", "Åtgärd", { startDate: "2027-03-01", dueDate: "2027-12-31" }))).actions.changed[0].changes.map((c) => c.field)).toEqual(["startDate", "dueDate"]);
    // A date set or cleared is a change, whatever the shift.
    expect(comparePlans(before, plan(act("x", "Åtgärd", { startDate: null, dueDate: "2027-12-31" })), { yearShift: 1 }).actions.changed[0].changes).toEqual([
      { field: "startDate", from: "2026-03-01", to: null },
    ]);
  });

  it("knows a year shift, 29 February included", () => {
    expect(isYearShift("2026-03-01", "2027-03-01", 1)).toBe(true);
    expect(isYearShift("2026-03-01", "2027-03-02", 1)).toBe(false);
    expect(isYearShift("2026-03-01", "2026-03-01", 1)).toBe(false);
    expect(isYearShift("2026-03-01", "2027-03-01", 0)).toBe(false);
    expect(isYearShift("2028-02-29", "2029-02-28", 1)).toBe(true);
    expect(isYearShift("2028-02-29", "2029-03-01", 1)).toBe(false);
    expect(isYearShift("2027-02-28", "2028-02-29", 1)).toBe(false);
    expect(isYearShift(null, "2027-03-01", 1)).toBe(false);
    expect(isYearShift("1 mars", "1 mars", 1)).toBe(false);
  });

  it("counts an empty value and no value as the same", () => {
    expect(comparePlans(plan(act("x", "Åtgärd", { responsibleOrg: "" })), plan(act("x", "Åtgärd", { responsibleOrg: null as unknown as string }))).actions.changed).toEqual([]);
  });

  it("compares indicators by what a reader sees: name, unit, baseline and target", () => {
    const i = { id: "i1", name: "Platser", unit: "st", baseline: 40, baselineDate: "2025-12-31", target: 60, targetDate: "2026-12-31", direction: "higher" as const };
    // The dates moving with the plan's year is no change; the same indicator read twice is equal.
    expect(comparePlans(plan(act("x", "Åtgärd", { indicators: [i] })), plan(act("x", "Åtgärd", { indicators: [{ ...i, baselineDate: "2026-12-31", targetDate: "2027-12-31" }] }))).actions.changed).toEqual([]);
    const changed = comparePlans(plan(act("x", "Åtgärd", { indicators: [i] })), plan(act("x", "Åtgärd", { indicators: [{ ...i, target: 70 }] }))).actions.changed;
    expect(changed[0].changes).toEqual([{ field: "indicators", from: "Platser (st): 40 → 60", to: "Platser (st): 40 → 70" }]);
  });
});
