import type { Db } from "../../db";
import { preparedQuery } from "../../db/prepared";
import { PERSPECTIVES, type Council, type Membership, type Perspective, type Role } from "../../db/schema";
import { recordAudit } from "./audit";
import { isUniqueViolation, type Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { isActive } from "./permissions";
import { nowIso, stockholmToday } from "./time";

export interface CouncilInput {
  name: string;
  slug: string;
  subRegion: string;
  mandate: string;
}

export async function createCouncil(
  { db, events }: Deps,
  input: CouncilInput & { actorId: string | null },
  now = new Date(),
): Promise<Council> {
  const council: Council = {
    id: newId(),
    slug: input.slug,
    name: input.name,
    sub_region: input.subRegion,
    mandate: input.mandate,
    created_at: nowIso(now),
    created_by: input.actorId,
    paragraph_numbering: "meeting",
  };
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("councils").values(council).execute();
      await recordAudit(trx, {
        councilId: council.id,
        actorId: input.actorId,
        action: "council.created",
        subject: council.slug,
        after: { name: council.name, slug: council.slug, subRegion: council.sub_region },
      });
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError("error.slugTaken", 409, "slug");
    throw err;
  }
  events.publish({ type: "council.created", councilId: council.id });
  return council;
}

export interface CouncilSummary {
  id: string;
  slug: string;
  name: string;
  subRegion: string;
  role: Role;
  active: boolean;
  validFrom: string | null;
  validTo: string | null;
}

/** Every council the person has a membership in, with whether it is active today. */
export async function listCouncilsForUser(db: Db, userId: string, today = stockholmToday()): Promise<CouncilSummary[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .select(["c.id", "c.slug", "c.name", "c.sub_region", "m.role", "m.valid_from", "m.valid_to"])
    .where("m.user_id", "=", userId)
    .orderBy("c.name")
    .execute();
  return rows.map((r) => ({
    id: r.id,
    slug: r.slug,
    name: r.name,
    subRegion: r.sub_region,
    role: r.role,
    active: isActive(r, today),
    validFrom: r.valid_from,
    validTo: r.valid_to,
  }));
}

// Every council page asks this: compiled once (db/prepared.ts).
const membershipQuery = preparedQuery((db: Db, slug: string, userId: string) =>
  db
    .selectFrom("councils as c")
    .innerJoin("memberships as m", (j) => j.onRef("m.council_id", "=", "c.id").on("m.user_id", "=", userId))
    .selectAll("c")
    .select([
      "m.id as m_id",
      "m.role as m_role",
      "m.organisation as m_organisation",
      "m.perspective as m_perspective",
      "m.valid_from as m_valid_from",
      "m.valid_to as m_valid_to",
      "m.created_at as m_created_at",
    ])
    .where("c.slug", "=", slug),
);

/** The council by slug and the person's membership in it; scoping is in the query. */
export async function findCouncilMembership(
  db: Db,
  slug: string,
  userId: string,
): Promise<{ council: Council; membership: Membership } | undefined> {
  const row = await membershipQuery.first(db, slug, userId);
  if (!row) return undefined;
  const { m_id, m_role, m_organisation, m_perspective, m_valid_from, m_valid_to, m_created_at, ...council } = row;
  return {
    council,
    membership: {
      id: m_id,
      council_id: council.id,
      user_id: userId,
      role: m_role,
      organisation: m_organisation,
      perspective: m_perspective,
      valid_from: m_valid_from,
      valid_to: m_valid_to,
      created_at: m_created_at,
    },
  };
}

export interface MemberRow {
  membershipId: string;
  userId: string;
  name: string;
  email: string | null;
  role: Role;
  organisation: string;
  perspective: Perspective;
  validFrom: string | null;
  validTo: string | null;
  active: boolean;
}

export async function listMembers(db: Db, councilId: string, today = stockholmToday()): Promise<MemberRow[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select([
      "m.id as membershipId",
      "u.id as userId",
      "u.name",
      "u.email",
      "m.role",
      "m.organisation",
      "m.perspective",
      "m.valid_from",
      "m.valid_to",
    ])
    .where("m.council_id", "=", councilId)
    .orderBy("u.name")
    .execute();
  return rows.map(({ valid_from, valid_to, ...r }) => ({
    ...r,
    validFrom: valid_from,
    validTo: valid_to,
    active: isActive({ role: r.role, valid_from, valid_to }, today),
  }));
}

/** Active members grouped by perspective, in the fixed perspective order, empty groups left out. */
export function groupByPerspective<T extends { perspective: Perspective }>(
  members: T[],
): { perspective: Perspective; members: T[] }[] {
  return PERSPECTIVES.map((p) => ({ perspective: p, members: members.filter((m) => m.perspective === p) })).filter(
    (g) => g.members.length > 0,
  );
}

export interface CouncilOverview {
  id: string;
  slug: string;
  name: string;
  subRegion: string;
  createdAt: string;
  memberCount: number;
  leaders: { userId: string; name: string }[];
}

export async function listAllCouncils(db: Db): Promise<CouncilOverview[]> {
  const councils = await db.selectFrom("councils").selectAll().orderBy("name").execute();
  const counts = await db
    .selectFrom("memberships")
    .select(["council_id", db.fn.countAll<number>().as("n")])
    .groupBy("council_id")
    .execute();
  const leaders = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.council_id", "u.name", "u.id"])
    .where("m.role", "=", "process_leader")
    .orderBy("u.name")
    .execute();
  return councils.map((c) => ({
    id: c.id,
    slug: c.slug,
    name: c.name,
    subRegion: c.sub_region,
    createdAt: c.created_at,
    memberCount: Number(counts.find((n) => n.council_id === c.id)?.n ?? 0),
    leaders: leaders.filter((l) => l.council_id === c.id).map((l) => ({ userId: l.id, name: l.name })),
  }));
}
