import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { checkPlan, hasWarnings } from "../../server/domain/plan-check";
import { initialPlanUpdate, planToJson, type ActionJson, type PlanJson } from "../../server/domain/plan-doc";

const action = (id: string, title: string, owner: string | null = "u1", org = ""): ActionJson => ({
  id,
  title,
  description: "",
  responsibleOrg: org,
  responsibleUserId: owner,
  startDate: null,
  dueDate: null,
  status: "not_started",
  progress: 0,
  indicators: [],
});

describe("checkPlan (what adoption freezes and what looks wrong)", () => {
  it("counts areas, goals and actions of a complete plan and finds nothing wrong", () => {
    const plan: PlanJson = {
      areas: [
        { id: "a1", title: "Kompetensförsörjning", description: "", goals: [{ id: "g1", title: "Mål", actions: [action("x1", "Analys"), action("x2", "Träffar")] }] },
        { id: "a2", title: "Validering", description: "", goals: [{ id: "g2", title: "", actions: [] }, { id: "g3", title: "Mål 3", actions: [action("x3", "Svets")] }] },
      ],
    };
    const c = checkPlan(plan);
    expect(c.counts).toEqual({ areas: 2, goals: 3, actions: 3 });
    expect(hasWarnings(c)).toBe(false);
    expect(c).toMatchObject({ untitledAreas: [], emptyAreas: [], untitledActions: [], actionsWithoutOwner: [] });
  });

  it("lists untitled actions and areas, areas without actions, and actions without a responsible person", () => {
    const plan: PlanJson = {
      areas: [
        { id: "a1", title: "Område ett", description: "", goals: [{ id: "g1", title: "Mål", actions: [action("x1", "   "), action("x2", "Med org", null, "Regionen"), action("x3", "Klar")] }] },
        { id: "a2", title: "  ", description: "", goals: [{ id: "g2", title: "Tomt mål", actions: [] }] },
        { id: "a3", title: "Utan mål", description: "", goals: [] },
      ],
    };
    const c = checkPlan(plan);
    expect(hasWarnings(c)).toBe(true);
    expect(c.untitledActions).toEqual([{ id: "x1", title: "", area: "Område ett" }]);
    // An organisation alone is not a responsible person.
    expect(c.actionsWithoutOwner.map((x) => x.id)).toEqual(["x2"]);
    expect(c.untitledAreas.map((x) => x.id)).toEqual(["a2"]);
    expect(c.emptyAreas.map((x) => x.id)).toEqual(["a2", "a3"]);
    expect(c.counts).toEqual({ areas: 3, goals: 2, actions: 3 });
  });

  it("reads a real plan document (through planToJson)", () => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, initialPlanUpdate({ year: 2027, title: "Handlingsplan 2027", areas: [{ title: "A", goals: [{ title: "G", actions: [{ title: "" }] }] }] }));
    const c = checkPlan(planToJson(doc));
    expect(c.counts).toEqual({ areas: 1, goals: 1, actions: 1 });
    expect(c.untitledActions).toHaveLength(1);
    expect(c.actionsWithoutOwner).toHaveLength(1);
    doc.destroy();
  });
});
