import { describe, expect, it } from "vitest";
import { canJoinGroup, canOnMeeting, type MeetingAction } from "../../server/domain/permissions";

// Rights on a working group's meeting, written out by hand (docs/decisions/011-working-groups.md).
const TODAY = "2026-05-01";
const leader = { role: "process_leader" as const, valid_from: null, valid_to: null };
const member = { role: "member" as const, valid_from: null, valid_to: null };
const observer = { role: "observer" as const, valid_from: null, valid_to: null };
const adjunct = { role: "adjunct" as const, valid_from: "2026-01-01", valid_to: "2026-12-31" };
const endedAdjunct = { role: "adjunct" as const, valid_from: "2025-01-01", valid_to: "2026-04-30" };
const group = { group_id: "g" };
const council = { group_id: null };
const ALL: MeetingAction[] = ["meeting:view", "meeting:manage", "meeting:respond", "agenda:propose", "minutes:edit"];
const allowed = (m: Parameters<typeof canOnMeeting>[0], meeting: { group_id: string | null }, role: "convener" | "member" | null) =>
  ALL.filter((a) => canOnMeeting(m, a, meeting, role, TODAY));

describe("rights on a working group's meeting", () => {
  it("the convener manages the group's meeting; a group member answers it; others in the council only see it", () => {
    expect(allowed(member, group, "convener")).toEqual(ALL);
    expect(allowed(member, group, "member")).toEqual(["meeting:view", "meeting:respond", "agenda:propose", "minutes:edit"]);
    expect(allowed(member, group, null)).toEqual(["meeting:view"]);
    expect(allowed(observer, group, null)).toEqual(["meeting:view"]);
    expect(allowed(leader, group, null)).toEqual(ALL);
  });
  it("a group role never grants more than the council membership", () => {
    expect(allowed(observer, group, "convener")).toEqual(["meeting:view"]);
    expect(allowed(endedAdjunct, group, "convener")).toEqual([]);
    expect(allowed(adjunct, group, "convener")).toEqual(ALL);
    expect(allowed(null, group, "convener")).toEqual([]);
  });
  it("a convener is nobody special on a council meeting", () => {
    expect(allowed(member, council, "convener")).toEqual(["meeting:view", "meeting:respond", "agenda:propose", "minutes:edit"]);
  });
  it("observers are in no group", () => {
    expect([leader, member, adjunct, observer].map(canJoinGroup)).toEqual([true, true, true, false]);
  });
});
