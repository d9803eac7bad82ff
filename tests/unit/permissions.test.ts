import { describe, expect, it } from "vitest";
import { ROLES, type Role } from "../../db/schema";
import { can, canSite, COUNCIL_ACTIONS, isActive, type CouncilAction } from "../../server/domain/permissions";

// The expected matrix, written out by hand from PRODUCT.md's role table.
const EXPECTED: Record<Role, CouncilAction[]> = {
  process_leader: [...COUNCIL_ACTIONS],
  member: [
    "council:view",
    "members:view-contact",
    "plan:view",
    "plan:edit",
    "followup:report",
    "meeting:view",
    "meeting:respond",
    "agenda:propose",
    "minutes:edit",
    "statement:draft",
    "statement:vote",
  ],
  adjunct: [
    "council:view",
    "members:view-contact",
    "plan:view",
    "plan:edit",
    "followup:report",
    "meeting:view",
    "meeting:respond",
    "agenda:propose",
    "minutes:edit",
    "statement:draft",
    "statement:vote",
  ],
  observer: ["council:view", "plan:view", "meeting:view"],
};

const TODAY = "2026-11-25";
const m = (role: Role, valid_from: string | null = null, valid_to: string | null = null) => ({ role, valid_from, valid_to });

describe("permissions: role × action matrix", () => {
  for (const role of ROLES) {
    for (const action of COUNCIL_ACTIONS) {
      const allowed = EXPECTED[role].includes(action);
      it(`${role} ${allowed ? "may" : "may not"} ${action}`, () => {
        const facts = role === "adjunct" ? m(role, "2026-11-01", "2026-12-31") : m(role);
        expect(can(facts, action, TODAY)).toBe(allowed);
      });
    }
  }

  it("a non-member may do nothing", () => {
    for (const action of COUNCIL_ACTIONS) {
      expect(can(null, action, TODAY)).toBe(false);
      expect(can(undefined, action, TODAY)).toBe(false);
    }
  });

  it("observers write nothing", () => {
    const writes = COUNCIL_ACTIONS.filter((a) => !["council:view", "plan:view", "meeting:view"].includes(a));
    for (const a of writes) expect(can(m("observer"), a, TODAY)).toBe(false);
  });
});

describe("permissions: adjunct period", () => {
  const adj = m("adjunct", "2026-11-01", "2026-11-30");
  it("is active from the first to the last day, both inclusive", () => {
    expect(isActive(adj, "2026-10-31")).toBe(false);
    expect(isActive(adj, "2026-11-01")).toBe(true);
    expect(isActive(adj, "2026-11-30")).toBe(true);
    expect(isActive(adj, "2026-12-01")).toBe(false);
  });
  it("loses every right after the period, even reading", () => {
    for (const action of COUNCIL_ACTIONS) expect(can(adj, action, "2026-12-01")).toBe(false);
  });
  it("has no rights before the period starts", () => {
    expect(can(adj, "council:view", "2026-10-15")).toBe(false);
  });
  it("dates only limit adjuncts", () => {
    expect(isActive(m("member", "2030-01-01", "2030-01-02"), TODAY)).toBe(true);
  });
});

describe("permissions: one person, two councils", () => {
  // The same person is a member in one council and an observer in another:
  // rights come from the membership of the council asked about, never mixed.
  const inSkaraborg = m("member");
  const inFyrbodal = m("observer");
  it("edits the plan where they are a member, not where they observe", () => {
    expect(can(inSkaraborg, "plan:edit", TODAY)).toBe(true);
    expect(can(inFyrbodal, "plan:edit", TODAY)).toBe(false);
    expect(can(inFyrbodal, "plan:view", TODAY)).toBe(true);
  });
});

describe("permissions: site admin", () => {
  it("only site admins manage councils", () => {
    expect(canSite({ is_site_admin: 1 }, "site:manage-councils")).toBe(true);
    expect(canSite({ is_site_admin: 0 }, "site:manage-councils")).toBe(false);
    expect(canSite(null, "site:manage-councils")).toBe(false);
  });
  it("being site admin gives no council rights by itself", () => {
    expect(can(null, "council:view", TODAY)).toBe(false);
  });
});
