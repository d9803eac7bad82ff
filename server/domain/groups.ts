// Working groups (arbetsgrupper): the process leader sets up a group of council
// members tied to priority areas of the plan, with a convener; the group has its
// own meetings, whose news goes to the group rather than the whole council.
// docs/decisions/011-working-groups.md
import type { Db } from "../../db";
import type { GroupRole, Meeting, Plan, WorkingGroup } from "../../db/schema";
import { recordActivity } from "./activity";
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { councilAudience, publishCouncilLife } from "./notifications";
import { can, canJoinGroup, canOnMeeting, isActive, type MeetingAction } from "./permissions";
import { nowIso, stockholmToday } from "./time";

export interface GroupInput {
  name: string;
  description: string;
  areaIds: string[];
  convenerId: string;
  memberIds: string[];
}

// ---- the plan a group looks at ----

/**
 * The plan a group's areas and actions are read from: this year's plan, or the
 * latest one when there is none for this year yet.
 */
export async function currentPlan(db: Db, councilId: string, today = stockholmToday()): Promise<Plan | undefined> {
  const year = Number(today.slice(0, 4));
  return (
    (await db.selectFrom("plans").selectAll().where("council_id", "=", councilId).where("year", "=", year).executeTakeFirst()) ??
    (await db.selectFrom("plans").selectAll().where("council_id", "=", councilId).orderBy("year", "desc").executeTakeFirst())
  );
}

/** The priority areas of the current plan, in plan order: what a group may be tied to. */
export async function areaOptions(db: Db, councilId: string, today?: string): Promise<{ id: string; title: string }[]> {
  const plan = await currentPlan(db, councilId, today);
  if (!plan) return [];
  return db.selectFrom("plan_areas").select(["id", "title"]).where("plan_id", "=", plan.id).orderBy("position").execute();
}

/** People who may be put in a group: the council's members, adjuncts (not ended) and leaders; not observers. */
export async function eligibleMembers(db: Db, councilId: string, today = stockholmToday()) {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["u.id", "u.name", "m.organisation", "m.role", "m.valid_from", "m.valid_to"])
    .where("m.council_id", "=", councilId)
    .where("u.anonymised_at", "is", null)
    .orderBy("u.name")
    .execute();
  return rows
    .filter((m) => canJoinGroup(m) && !(m.valid_to && today > m.valid_to))
    .map((m) => ({ id: m.id, name: m.name, organisation: m.organisation, role: m.role, validFrom: m.valid_from, validTo: m.valid_to }));
}

// ---- reading ----

/** The group, scoped to its council (another council's id is simply not found). */
export async function getGroup(db: Db, councilId: string, groupId: string): Promise<WorkingGroup | undefined> {
  return db.selectFrom("working_groups").selectAll().where("id", "=", groupId).where("council_id", "=", councilId).executeTakeFirst();
}

/** The person's role in a group, or null. */
export async function groupRoleOf(db: Db, groupId: string | null, userId: string): Promise<GroupRole | null> {
  if (!groupId) return null;
  const row = await db.selectFrom("working_group_members").select("role").where("group_id", "=", groupId).where("user_id", "=", userId).executeTakeFirst();
  return row?.role ?? null;
}

/** The person's roles in the council's groups, by group id. */
export async function groupRolesOf(db: Db, councilId: string, userId: string): Promise<Map<string, GroupRole>> {
  const rows = await db
    .selectFrom("working_group_members as gm")
    .innerJoin("working_groups as g", "g.id", "gm.group_id")
    .select(["gm.group_id", "gm.role"])
    .where("g.council_id", "=", councilId)
    .where("gm.user_id", "=", userId)
    .execute();
  return new Map(rows.map((r) => [r.group_id, r.role]));
}

/** Group names by id, for labelling meetings. */
export async function groupNames(db: Db, councilId: string): Promise<Map<string, string>> {
  const rows = await db.selectFrom("working_groups").select(["id", "name"]).where("council_id", "=", councilId).execute();
  return new Map(rows.map((r) => [r.id, r.name]));
}

export interface GroupMemberView {
  userId: string;
  name: string;
  organisation: string;
  councilRole: string;
  role: GroupRole;
  /** False for an adjunct outside their period: listed, but without access. */
  active: boolean;
  validTo: string | null;
}

/**
 * The group's members who still have a membership in the council (a person who
 * left the council, or was anonymised, drops out here), convener first.
 */
export async function listGroupMembers(db: Db, councilId: string, groupId: string, today = stockholmToday()): Promise<GroupMemberView[]> {
  const rows = await db
    .selectFrom("working_group_members as gm")
    .innerJoin("memberships as m", (j) => j.onRef("m.user_id", "=", "gm.user_id").on("m.council_id", "=", councilId))
    .innerJoin("users as u", "u.id", "gm.user_id")
    .select(["u.id", "u.name", "m.organisation", "m.role as councilRole", "m.valid_from", "m.valid_to", "gm.role"])
    .where("gm.group_id", "=", groupId)
    .where("u.anonymised_at", "is", null)
    .orderBy("u.name")
    .execute();
  return rows
    .map((r) => ({
      userId: r.id,
      name: r.name,
      organisation: r.organisation,
      councilRole: r.councilRole,
      role: r.role,
      active: isActive({ role: r.councilRole, valid_from: r.valid_from, valid_to: r.valid_to }, today),
      validTo: r.valid_to,
    }))
    .sort((a, b) => (a.role === b.role ? 0 : a.role === "convener" ? -1 : 1));
}

export interface GroupSummary {
  id: string;
  name: string;
  description: string;
  convener: string | null;
  memberCount: number;
  areas: string[];
}

/** The council's groups, by name, with convener, size and area titles (from the current plan). */
export async function listGroups(db: Db, councilId: string, today = stockholmToday()): Promise<GroupSummary[]> {
  const groups = await db.selectFrom("working_groups").selectAll().where("council_id", "=", councilId).orderBy("name").execute();
  if (!groups.length) return [];
  const titles = await areaTitles(db, councilId, today);
  const areas = await db
    .selectFrom("working_group_areas")
    .select(["group_id", "area_id"])
    .where(
      "group_id",
      "in",
      groups.map((g) => g.id),
    )
    .execute();
  const out: GroupSummary[] = [];
  for (const g of groups) {
    const members = await listGroupMembers(db, councilId, g.id, today);
    out.push({
      id: g.id,
      name: g.name,
      description: g.description,
      convener: members.find((m) => m.role === "convener")?.name ?? null,
      memberCount: members.length,
      areas: areas.filter((a) => a.group_id === g.id).map((a) => titles.get(a.area_id) ?? "?"),
    });
  }
  return out;
}

/** Area titles by id: the current plan's, and for areas it no longer has, the latest plan's that had them. */
async function areaTitles(db: Db, councilId: string, today: string): Promise<Map<string, string>> {
  const plan = await currentPlan(db, councilId, today);
  const rows = await db
    .selectFrom("plan_areas as a")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .select(["a.id", "a.title", "p.id as planId", "p.year"])
    .where("p.council_id", "=", councilId)
    .orderBy("p.year", "asc")
    .execute();
  const titles = new Map<string, string>();
  for (const r of rows) titles.set(r.id, r.title); // later years overwrite earlier ones
  for (const r of rows) if (r.planId === plan?.id) titles.set(r.id, r.title); // the current plan wins
  return titles;
}

export interface GroupAreaView {
  id: string;
  title: string;
  /** False when the current plan no longer has this area. */
  inPlan: boolean;
  actions: { id: string; title: string; status: string; progress: number; dueDate: string | null; responsibleOrg: string; responsible: string | null }[];
}

/** The group's areas with the current plan's actions under each, in plan order. */
export async function groupAreas(db: Db, councilId: string, groupId: string, today = stockholmToday()): Promise<{ year: number | null; areas: GroupAreaView[] }> {
  const ids = (await db.selectFrom("working_group_areas").select("area_id").where("group_id", "=", groupId).execute()).map((r) => r.area_id);
  const plan = await currentPlan(db, councilId, today);
  if (!ids.length) return { year: plan?.year ?? null, areas: [] };
  const titles = await areaTitles(db, councilId, today);
  const inPlan = plan ? await db.selectFrom("plan_areas").select(["id", "position"]).where("plan_id", "=", plan.id).where("id", "in", ids).execute() : [];
  const position = new Map(inPlan.map((a) => [a.id, a.position]));
  const actions = plan
    ? await db
        .selectFrom("plan_actions as a")
        .innerJoin("plan_goals as g", (j) => j.onRef("g.id", "=", "a.goal_id").onRef("g.plan_id", "=", "a.plan_id"))
        .leftJoin("users as u", "u.id", "a.responsible_user_id")
        .select(["a.id", "a.area_id", "a.title", "a.status", "a.progress", "a.due_date", "a.responsible_org", "u.name as responsible"])
        .where("a.plan_id", "=", plan.id)
        .where("a.area_id", "in", ids)
        .orderBy("g.position")
        .orderBy("a.position")
        .execute()
    : [];
  const areas = ids
    .map((id) => ({
      id,
      title: titles.get(id) ?? "?",
      inPlan: position.has(id),
      actions: actions
        .filter((a) => a.area_id === id)
        .map((a) => ({ id: a.id, title: a.title, status: a.status, progress: a.progress, dueDate: a.due_date, responsibleOrg: a.responsible_org, responsible: a.responsible ?? null })),
    }))
    .sort((a, b) => (position.get(a.id) ?? 1e9) - (position.get(b.id) ?? 1e9));
  return { year: plan?.year ?? null, areas };
}

/** The group's meetings, oldest first; drafts only when asked (for those who manage them). */
export async function listGroupMeetings(db: Db, groupId: string, opts: { includeDrafts: boolean }): Promise<Meeting[]> {
  let q = db.selectFrom("meetings").selectAll().where("group_id", "=", groupId);
  if (!opts.includeDrafts) q = q.where("status", "!=", "draft");
  return q.orderBy("starts_at").execute();
}

// ---- who hears about a meeting ----

/**
 * The people who hear about a meeting: for a council meeting, everyone in the
 * council with the right; for a group's meeting, the group's members who (still)
 * have it through their council membership. Minus `except`.
 */
export async function meetingAudience(
  db: Db,
  meeting: { council_id: string; group_id: string | null },
  action: MeetingAction,
  opts: { except?: string | null; today?: string } = {},
): Promise<string[]> {
  const withRight = await councilAudience(db, meeting.council_id, action, opts);
  if (!meeting.group_id) return withRight;
  const members = new Set(
    (await db.selectFrom("working_group_members").select("user_id").where("group_id", "=", meeting.group_id).execute()).map((r) => r.user_id),
  );
  return withRight.filter((id) => members.has(id));
}

/** Those who manage a meeting: the process leaders, and for a group's meeting its convener (if still allowed). */
export async function meetingManagers(db: Db, meeting: { council_id: string; group_id: string | null }, opts: { except?: string | null; today?: string } = {}): Promise<string[]> {
  const leaders = await councilAudience(db, meeting.council_id, "meeting:manage", opts);
  if (!meeting.group_id) return leaders;
  const convener = await db
    .selectFrom("working_group_members as gm")
    .innerJoin("memberships as m", (j) => j.onRef("m.user_id", "=", "gm.user_id").on("m.council_id", "=", meeting.council_id))
    .innerJoin("users as u", "u.id", "gm.user_id")
    .select(["gm.user_id", "m.role", "m.valid_from", "m.valid_to"])
    .where("gm.group_id", "=", meeting.group_id)
    .where("gm.role", "=", "convener")
    .where("u.anonymised_at", "is", null)
    .executeTakeFirst();
  const ok = convener && convener.user_id !== opts.except && canOnMeeting(convener, "meeting:manage", meeting, "convener", opts.today);
  return ok ? [...new Set([...leaders, convener.user_id])] : leaders;
}

/** The person's rights on one meeting (see canOnMeeting). */
export async function meetingRights(db: Db, membership: Parameters<typeof can>[0], meeting: Pick<Meeting, "group_id">, userId: string) {
  const groupRole = await groupRoleOf(db, meeting.group_id, userId);
  const on = (a: MeetingAction) => canOnMeeting(membership, a, meeting, groupRole);
  return {
    groupRole,
    view: on("meeting:view"),
    manage: on("meeting:manage"),
    respond: on("meeting:respond"),
    propose: on("agenda:propose"),
    editMinutes: on("minutes:edit"),
  };
}

// ---- changing ----

async function checkInput(db: Db, councilId: string, input: GroupInput, keepAreaIds: string[] = []): Promise<void> {
  const areas = new Set([...(await areaOptions(db, councilId)).map((a) => a.id), ...keepAreaIds]);
  if (!input.areaIds.length) throw new DomainError("error.groupAreaRequired", 400, "areas");
  if (input.areaIds.some((id) => !areas.has(id))) throw new DomainError("error.unknown", 400, "areas");
  const people = new Set((await eligibleMembers(db, councilId)).map((p) => p.id));
  if (!people.has(input.convenerId)) throw new DomainError("error.groupConvener", 400, "convenerId");
  if (input.memberIds.some((id) => !people.has(id))) throw new DomainError("error.groupMember", 400, "members");
}

const memberRows = (groupId: string, input: GroupInput) => [
  { group_id: groupId, user_id: input.convenerId, role: "convener" as const },
  ...[...new Set(input.memberIds)].filter((id) => id !== input.convenerId).map((user_id) => ({ group_id: groupId, user_id, role: "member" as const })),
];

async function snapshot(db: Db, groupId: string) {
  const g = await db.selectFrom("working_groups").select(["name", "description"]).where("id", "=", groupId).executeTakeFirstOrThrow();
  const areas = (await db.selectFrom("working_group_areas").select("area_id").where("group_id", "=", groupId).orderBy("area_id").execute()).map((r) => r.area_id);
  const members = await db.selectFrom("working_group_members").select(["user_id", "role"]).where("group_id", "=", groupId).orderBy("user_id").execute();
  return {
    name: g.name,
    description: g.description,
    areas,
    convener: members.find((m) => m.role === "convener")?.user_id ?? null,
    members: members.filter((m) => m.role === "member").map((m) => m.user_id),
  };
}

export async function createGroup({ db, events }: Deps, input: GroupInput & { councilId: string; actorId: string }, now = new Date()): Promise<WorkingGroup> {
  await checkInput(db, input.councilId, input);
  const group: WorkingGroup = { id: newId(), council_id: input.councilId, name: input.name, description: input.description, created_at: nowIso(now), created_by: input.actorId };
  await db.transaction().execute(async (trx) => {
    await trx.insertInto("working_groups").values(group).execute();
    await trx.insertInto("working_group_areas").values([...new Set(input.areaIds)].map((area_id) => ({ group_id: group.id, area_id }))).execute();
    await trx.insertInto("working_group_members").values(memberRows(group.id, input)).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "group.created", subject: group.id, after: await snapshot(trx, group.id) }, now);
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "group_created", params: { group: group.name }, path: `groups/${group.id}`, audience: "council" }, now);
  });
  publishCouncilLife(events, input.councilId, [], true);
  return group;
}

export async function updateGroup({ db, events }: Deps, input: GroupInput & { councilId: string; groupId: string; actorId: string }, now = new Date()): Promise<void> {
  const group = await getGroup(db, input.councilId, input.groupId);
  if (!group) throw new DomainError("error.groupNotFound", 404);
  const kept = (await db.selectFrom("working_group_areas").select("area_id").where("group_id", "=", group.id).execute()).map((r) => r.area_id);
  await checkInput(db, input.councilId, input, kept);
  await db.transaction().execute(async (trx) => {
    const before = await snapshot(trx, group.id);
    await trx.updateTable("working_groups").set({ name: input.name, description: input.description }).where("id", "=", group.id).execute();
    await trx.deleteFrom("working_group_areas").where("group_id", "=", group.id).execute();
    await trx.insertInto("working_group_areas").values([...new Set(input.areaIds)].map((area_id) => ({ group_id: group.id, area_id }))).execute();
    await trx.deleteFrom("working_group_members").where("group_id", "=", group.id).execute();
    await trx.insertInto("working_group_members").values(memberRows(group.id, input)).execute();
    const after = await snapshot(trx, group.id);
    if (JSON.stringify(before) !== JSON.stringify(after)) {
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "group.updated", subject: group.id, before, after }, now);
    }
  });
  // Who may write the group meetings' minutes may have changed: open editors follow at once.
  events.publish({ type: "group.changed", councilId: input.councilId, groupId: group.id });
}

/** Delete a group that has no meetings; one with meetings keeps its history. */
export async function deleteGroup({ db }: Deps, input: { councilId: string; groupId: string; actorId: string }, now = new Date()): Promise<void> {
  const group = await getGroup(db, input.councilId, input.groupId);
  if (!group) throw new DomainError("error.groupNotFound", 404);
  const meeting = await db.selectFrom("meetings").select("id").where("group_id", "=", group.id).executeTakeFirst();
  if (meeting) throw new DomainError("error.groupHasMeetings", 409);
  await db.transaction().execute(async (trx) => {
    const before = await snapshot(trx, group.id);
    await trx.deleteFrom("working_groups").where("id", "=", group.id).execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "group.deleted", subject: group.id, before }, now);
  });
}

/** The group's members who may do `action` in the council today (for tests and the page's "who is invited"). */
export async function groupAudience(db: Db, councilId: string, groupId: string, action: MeetingAction, today?: string): Promise<string[]> {
  return meetingAudience(db, { council_id: councilId, group_id: groupId }, action, { today });
}
