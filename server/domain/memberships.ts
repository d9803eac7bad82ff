import type { Perspective, Role } from "../../db/schema";
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { createInvitation } from "./invitations";
import { nowIso } from "./time";
import { findUserByEmail } from "./users";

export async function changeRole(
  { db, events }: Deps,
  input: {
    councilId: string;
    membershipId: string;
    role: Exclude<Role, "process_leader">;
    validFrom: string | null;
    validTo: string | null;
    actorId: string;
  },
): Promise<void> {
  const userId = await db.transaction().execute(async (trx) => {
    // Council scoping is in the where: a membership id from another council is "not found".
    const before = await trx
      .selectFrom("memberships")
      .select(["user_id", "role", "valid_from", "valid_to"])
      .where("id", "=", input.membershipId)
      .where("council_id", "=", input.councilId)
      .executeTakeFirst();
    if (!before) throw new DomainError("error.memberNotFound", 404);
    if (before.role === "process_leader") throw new DomainError("error.leaderByAdmin", 403);
    await trx
      .updateTable("memberships")
      .set({ role: input.role, valid_from: input.validFrom, valid_to: input.validTo })
      .where("id", "=", input.membershipId)
      .where("council_id", "=", input.councilId)
      .execute();
    await recordAudit(trx, {
      councilId: input.councilId,
      actorId: input.actorId,
      action: "membership.role_changed",
      subject: before.user_id,
      before: { role: before.role, validFrom: before.valid_from, validTo: before.valid_to },
      after: { role: input.role, validFrom: input.validFrom, validTo: input.validTo },
    });
    return before.user_id;
  });
  events.publish({ type: "membership.changed", councilId: input.councilId, userId });
}

export async function removeMember(
  { db, events }: Deps,
  input: { councilId: string; membershipId: string; actorId: string },
): Promise<void> {
  const userId = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("memberships")
      .selectAll()
      .where("id", "=", input.membershipId)
      .where("council_id", "=", input.councilId)
      .executeTakeFirst();
    if (!before) throw new DomainError("error.memberNotFound", 404);
    if (before.role === "process_leader") throw new DomainError("error.leaderByAdmin", 403);
    await trx.deleteFrom("memberships").where("id", "=", before.id).execute();
    // Out of the council is out of its working groups (a group never grants more than the council).
    await trx
      .deleteFrom("working_group_members")
      .where("user_id", "=", before.user_id)
      .where("group_id", "in", trx.selectFrom("working_groups").select("id").where("council_id", "=", input.councilId))
      .execute();
    await recordAudit(trx, {
      councilId: input.councilId,
      actorId: input.actorId,
      action: "membership.removed",
      subject: before.user_id,
      before: { role: before.role, organisation: before.organisation, perspective: before.perspective },
    });
    return before.user_id;
  });
  events.publish({ type: "membership.removed", councilId: input.councilId, userId });
}

export type AppointResult = { kind: "appointed"; name: string } | { kind: "invited"; token: string };

/**
 * A site admin makes someone process leader: an existing account gets the role
 * at once (kept organisation/perspective if already a member); anyone else gets
 * a one-time invite link.
 */
export async function appointLeader(
  deps: Deps,
  input: { councilId: string; email: string; organisation: string; perspective: Perspective; actorId: string },
  now = new Date(),
): Promise<AppointResult> {
  const { db, events } = deps;
  const council = await db.selectFrom("councils").select("id").where("id", "=", input.councilId).executeTakeFirst();
  if (!council) throw new DomainError("error.councilNotFound", 404);
  const user = await findUserByEmail(db, input.email);
  if (!user || user.anonymised_at) {
    const { token } = await createInvitation(
      deps,
      {
        councilId: input.councilId,
        email: input.email,
        role: "process_leader",
        organisation: input.organisation,
        perspective: input.perspective,
        validFrom: null,
        validTo: null,
        actorId: input.actorId,
      },
      now,
    );
    return { kind: "invited", token };
  }
  await db.transaction().execute(async (trx) => {
    const existing = await trx
      .selectFrom("memberships")
      .selectAll()
      .where("council_id", "=", input.councilId)
      .where("user_id", "=", user.id)
      .executeTakeFirst();
    if (existing) {
      await trx
        .updateTable("memberships")
        .set({ role: "process_leader", valid_from: null, valid_to: null })
        .where("id", "=", existing.id)
        .execute();
    } else {
      await trx
        .insertInto("memberships")
        .values({
          id: newId(),
          council_id: input.councilId,
          user_id: user.id,
          role: "process_leader",
          organisation: input.organisation,
          perspective: input.perspective,
          valid_from: null,
          valid_to: null,
          created_at: nowIso(now),
        })
        .execute();
    }
    await recordAudit(
      trx,
      {
        councilId: input.councilId,
        actorId: input.actorId,
        action: "membership.leader_appointed",
        subject: user.id,
        before: existing ? { role: existing.role } : null,
        after: { role: "process_leader" },
      },
      now,
    );
  });
  events.publish({ type: "membership.changed", councilId: input.councilId, userId: user.id });
  return { kind: "appointed", name: user.name };
}

/**
 * A site admin ends someone's role as process leader: they stay as a member, or
 * leave the council. A council keeps at least one leader (appoint the next first).
 */
export async function stepDownLeader(
  { db, events }: Deps,
  input: { councilId: string; userId: string; to: "member" | "removed"; actorId: string },
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const leaders = await trx.selectFrom("memberships").selectAll().where("council_id", "=", input.councilId).where("role", "=", "process_leader").execute();
    const me = leaders.find((l) => l.user_id === input.userId);
    if (!me) throw new DomainError("error.memberNotFound", 404);
    if (leaders.length === 1) throw new DomainError("error.lastLeader", 409);
    if (input.to === "member") {
      await trx.updateTable("memberships").set({ role: "member" }).where("id", "=", me.id).execute();
    } else {
      await trx.deleteFrom("memberships").where("id", "=", me.id).execute();
      await trx.deleteFrom("working_group_members").where("user_id", "=", input.userId).where("group_id", "in", trx.selectFrom("working_groups").select("id").where("council_id", "=", input.councilId)).execute();
    }
    await recordAudit(
      trx,
      {
        councilId: input.councilId,
        actorId: input.actorId,
        action: input.to === "member" ? "membership.leader_stepped_down" : "membership.removed",
        subject: input.userId,
        before: { role: "process_leader" },
        after: input.to === "member" ? { role: "member" } : null,
      },
      now,
    );
  });
  events.publish({ type: input.to === "member" ? "membership.changed" : "membership.removed", councilId: input.councilId, userId: input.userId });
}

/**
 * A leader corrects the organisation a member represents and their perspective
 * (a person changes employer, a federation renames itself). Rights do not change;
 * audited with before and after.
 */
export async function changeMemberDetails(
  { db }: Deps,
  input: { councilId: string; membershipId: string; organisation: string; perspective: Perspective; actorId: string },
): Promise<{ changed: boolean }> {
  const changed = await db.transaction().execute(async (trx) => {
    const before = await trx
      .selectFrom("memberships")
      .select(["user_id", "organisation", "perspective"])
      .where("id", "=", input.membershipId)
      .where("council_id", "=", input.councilId)
      .executeTakeFirst();
    if (!before) throw new DomainError("error.memberNotFound", 404);
    if (before.organisation === input.organisation && before.perspective === input.perspective) return false;
    await trx
      .updateTable("memberships")
      .set({ organisation: input.organisation, perspective: input.perspective })
      .where("id", "=", input.membershipId)
      .where("council_id", "=", input.councilId)
      .execute();
    await recordAudit(trx, {
      councilId: input.councilId,
      actorId: input.actorId,
      action: "membership.details_changed",
      subject: before.user_id,
      before: { organisation: before.organisation, perspective: before.perspective },
      after: { organisation: input.organisation, perspective: input.perspective },
    });
    return true;
  });
  return { changed };
}
