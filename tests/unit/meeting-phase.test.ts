// The one rule of what a meeting offers (server/domain/meetings.ts): its phase at an
// instant, the boundaries included, and what each phase allows.
import { describe, expect, it } from "vitest";
import { DomainError } from "../../server/domain/errors";
import { meetingAllows, meetingPhase, requireAllowed } from "../../server/domain/meetings";

const m = (status: "draft" | "convened" | "cancelled") => ({ status, starts_at: "2027-03-02T08:00:00.000Z", ends_at: "2027-03-02T11:00:00.000Z" });
const at = (iso: string) => new Date(iso);

describe("meetingPhase", () => {
  it("a convened meeting is upcoming until its start, ongoing until its end, then held", () => {
    expect(meetingPhase(m("convened"), at("2027-03-02T07:59:59.999Z"))).toBe("upcoming");
    expect(meetingPhase(m("convened"), at("2027-03-02T08:00:00.000Z"))).toBe("ongoing");
    expect(meetingPhase(m("convened"), at("2027-03-02T10:59:59.999Z"))).toBe("ongoing");
    expect(meetingPhase(m("convened"), at("2027-03-02T11:00:00.000Z"))).toBe("held");
  });
  it("drafts and cancelled meetings keep their phase whatever the time", () => {
    for (const when of ["2027-01-01T00:00:00Z", "2027-03-02T09:00:00Z", "2028-01-01T00:00:00Z"]) {
      expect(meetingPhase(m("draft"), at(when))).toBe("draft");
      expect(meetingPhase(m("draft"), at(when), { poll: true })).toBe("poll");
      expect(meetingPhase(m("cancelled"), at(when))).toBe("cancelled");
    }
  });
});

describe("meetingAllows / requireAllowed", () => {
  it("what each phase allows", () => {
    const yes = (p: Parameters<typeof meetingAllows>[0]) => Object.entries(meetingAllows(p)).filter(([, v]) => v).map(([k]) => k).sort();
    expect(yes("draft")).toEqual(["cancel", "convene", "edit", "editAgenda", "move", "propose"]);
    expect(yes("upcoming")).toEqual(["cancel", "edit", "editAgenda", "move", "propose", "rsvp"]);
    expect(yes("ongoing")).toEqual(["edit", "editAgenda"]);
    expect(yes("held")).toEqual(["edit", "editAgenda"]);
    expect(yes("cancelled")).toEqual([]);
  });
  it("refuses with 409 and the message for the phase", () => {
    const refusal = (meeting: ReturnType<typeof m>, doing: Parameters<typeof requireAllowed>[1], when: string) => {
      try {
        requireAllowed(meeting, doing, at(when));
        return null;
      } catch (err) {
        expect(err).toBeInstanceOf(DomainError);
        return [(err as DomainError).status, (err as DomainError).code];
      }
    };
    expect(refusal(m("convened"), "rsvp", "2027-03-01T00:00:00Z")).toBeNull();
    expect(refusal(m("convened"), "rsvp", "2027-03-02T08:00:00Z")).toEqual([409, "error.meetingStartedRsvp"]);
    expect(refusal(m("convened"), "propose", "2027-03-03T00:00:00Z")).toEqual([409, "error.meetingStartedPropose"]);
    expect(refusal(m("convened"), "move", "2027-03-03T00:00:00Z")).toEqual([409, "error.meetingStartedMove"]);
    expect(refusal(m("convened"), "cancel", "2027-03-03T00:00:00Z")).toEqual([409, "error.meetingStartedCancel"]);
    expect(refusal(m("convened"), "editAgenda", "2027-03-03T00:00:00Z")).toBeNull();
    expect(refusal(m("draft"), "rsvp", "2027-03-01T00:00:00Z")).toEqual([409, "error.meetingNotConvened"]);
    expect(refusal(m("cancelled"), "editAgenda", "2027-03-01T00:00:00Z")).toEqual([409, "error.meetingCancelled"]);
  });
});
