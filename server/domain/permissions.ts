// The one place that says who may do what. Loaders, actions, socket.io events and
// (later) Yjs messages all ask `can()`; nothing else decides a right.
import type { GroupRole, Role } from "../../db/schema";
import { stockholmToday } from "./time";

export const COUNCIL_ACTIONS = [
  "council:view", // mandate, composition, published content
  "members:view-contact", // e-mail addresses of the other members
  "members:manage", // invite, change role, remove
  "audit:view", // the council's audit log
  "plan:view",
  "plan:edit",
  "followup:report",
  "meeting:view",
  "meeting:manage", // draft, convene, move, cancel, record attendance
  "meeting:respond", // RSVP and time-poll answers
  "agenda:propose",
  "minutes:edit",
  "statement:draft", // write and comment on statements and proposals before they are decided
  "statement:vote", // vote in a decision poll
  "statement:decide", // open and close decision polls, record a meeting's decision, withdraw
  "groups:manage", // create, edit and delete working groups: areas, convener, members
] as const;
export type CouncilAction = (typeof COUNCIL_ACTIONS)[number];

const READ: CouncilAction[] = ["council:view", "plan:view", "meeting:view"];
const CONTRIBUTE: CouncilAction[] = [
  ...READ,
  "members:view-contact",
  "plan:edit",
  "followup:report",
  "meeting:respond",
  "agenda:propose",
  "minutes:edit",
  "statement:draft",
  "statement:vote",
];

const MATRIX: Record<Role, ReadonlySet<CouncilAction>> = {
  process_leader: new Set(COUNCIL_ACTIONS),
  member: new Set(CONTRIBUTE),
  adjunct: new Set(CONTRIBUTE),
  observer: new Set(READ),
};

export interface MembershipFacts {
  role: Role;
  valid_from: string | null;
  valid_to: string | null;
}

/** An adjunct has access from `valid_from` to `valid_to`, both inclusive, Stockholm dates. */
export function isActive(m: MembershipFacts, today: string = stockholmToday()): boolean {
  if (m.role !== "adjunct") return true;
  if (m.valid_from && today < m.valid_from) return false;
  if (m.valid_to && today > m.valid_to) return false;
  return true;
}

export function can(
  m: MembershipFacts | null | undefined,
  action: CouncilAction,
  today: string = stockholmToday(),
): boolean {
  if (!m || !isActive(m, today)) return false;
  return MATRIX[m.role].has(action);
}

/** What a person may do with one meeting (a council's or a working group's). */
export type MeetingAction = "meeting:view" | "meeting:manage" | "meeting:respond" | "agenda:propose" | "minutes:edit";

/**
 * Rights on one meeting. For a council meeting they are the council rights. For a
 * working group's meeting (docs/decisions/011-working-groups.md):
 * - everyone who may see the council's meetings sees it;
 * - the group's convener manages it as a process leader would, as long as their
 *   own membership lets them contribute (an observer or an adjunct outside their
 *   period is no convener); process leaders manage it too;
 * - answering (RSVP, time poll), proposing agenda items and writing the minutes
 *   are for the group's members and the process leaders.
 * A group role never grants more than the council membership does.
 */
export function canOnMeeting(
  m: MembershipFacts | null | undefined,
  action: MeetingAction,
  meeting: { group_id: string | null },
  groupRole: GroupRole | null,
  today: string = stockholmToday(),
): boolean {
  if (!meeting.group_id) return can(m, action, today);
  const leader = can(m, "meeting:manage", today);
  switch (action) {
    case "meeting:view":
      return can(m, "meeting:view", today);
    case "meeting:manage":
      return leader || (groupRole === "convener" && can(m, "meeting:respond", today));
    default:
      return can(m, action, today) && (leader || groupRole !== null);
  }
}

/**
 * Whom a meeting asks to answer (its time poll, its RSVP): those who may respond
 * and, for a working group's meeting, are in the group (a leader outside the
 * group may answer, but is not chased).
 */
export function meetingAsks(
  m: MembershipFacts | null | undefined,
  meeting: { group_id: string | null },
  groupRole: GroupRole | null,
  today: string = stockholmToday(),
): boolean {
  return canOnMeeting(m, "meeting:respond", meeting, groupRole, today) && (!meeting.group_id || groupRole !== null);
}

/** Who may be put in a working group: people who take part (not observers). */
export function canJoinGroup(m: MembershipFacts | null | undefined): boolean {
  return !!m && m.role !== "observer";
}

export type SiteAction = "site:manage-councils";

export function canSite(user: { is_site_admin: number } | null | undefined, _action: SiteAction): boolean {
  return !!user && user.is_site_admin === 1;
}

export { LEADER_ASSIGNABLE_ROLES } from "./roles";
