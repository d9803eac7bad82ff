import { describe, expect, it } from "vitest";
import type { ActionJson, PlanJson } from "../../server/domain/plan-doc";
import { comparePlans } from "../../server/domain/revisions";

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
  indicators: "",
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
        removed: [{ id: "x2", title: "Jobbmässa", area: "Matchning" }],
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
    expect([d.areas.added, d.areas.removed, d.areas.changed, d.actions.added, d.actions.removed, d.actions.changed, d.statusMoves].every((x) => x.length === 0)).toBe(true);
  });
});
