import type { Council, Invitation, Perspective, Role } from "../../db/schema";
import { inTransaction, type Db } from "../../db";
import { recordActivity } from "./activity";
import { recordAudit } from "./audit";
import { isUniqueViolation, type Deps } from "./deps";
import type { MessageKey } from "../../app/i18n/keys";
import { DomainError } from "./errors";
import { hashToken, newId, newToken } from "./ids";
import { addMs, nowIso } from "./time";
import { createUser, findUserByEmail } from "./users";

export const INVITE_TTL_MS = 14 * 24 * 3600 * 1000;

export interface InvitationInput {
  councilId: string;
  email: string;
  /** The person's name if the leader knows it (a suggestion when they accept). */
  name?: string | null;
  role: Role;
  organisation: string;
  perspective: Perspective;
  validFrom: string | null;
  validTo: string | null;
  actorId: string;
}

/**
 * A one-time invite; the token is returned once and only its hash is stored. In the
 * caller's transaction when `db` is one (a bulk invitation is all or none).
 */
export async function createInvitation(
  { db }: Deps,
  input: InvitationInput,
  now = new Date(),
): Promise<{ token: string; invitation: Invitation }> {
  const token = newToken();
  const invitation: Invitation = {
    id: newId(),
    council_id: input.councilId,
    token_hash: hashToken(token),
    email: input.email.toLowerCase(),
    name: input.name?.trim() || null,
    role: input.role,
    organisation: input.organisation,
    perspective: input.perspective,
    valid_from: input.validFrom,
    valid_to: input.validTo,
    created_by: input.actorId,
    created_at: nowIso(now),
    expires_at: addMs(nowIso(now), INVITE_TTL_MS),
    accepted_at: null,
    accepted_by: null,
    revoked_at: null,
  };
  await inTransaction(db, async (trx) => {
    const member = await trx
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select("m.id")
      .where("m.council_id", "=", input.councilId)
      .where("u.email", "=", invitation.email)
      .executeTakeFirst();
    if (member) throw new DomainError("error.alreadyMember", 409, "email");
    // A new invite for the same address replaces any earlier, unused one.
    await trx
      .updateTable("invitations")
      .set({ revoked_at: invitation.created_at })
      .where("council_id", "=", input.councilId)
      .where("email", "=", invitation.email)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .execute();
    await trx.insertInto("invitations").values(invitation).execute();
    await recordAudit(
      trx,
      {
        councilId: input.councilId,
        actorId: input.actorId,
        action: "invitation.created",
        subject: invitation.email,
        after: {
          role: invitation.role,
          organisation: invitation.organisation,
          perspective: invitation.perspective,
          validFrom: invitation.valid_from,
          validTo: invitation.valid_to,
        },
      },
      now,
    );
  });
  return { token, invitation };
}

export type InvitationStatus = "valid" | "used" | "expired" | "revoked";

export interface InvitationView {
  invitation: Invitation;
  council: Pick<Council, "id" | "slug" | "name">;
  status: InvitationStatus;
  /** The account that already has the invited e-mail, if any. */
  existingUserId: string | null;
}

export async function findInvitation(db: Db, token: string, now = new Date()): Promise<InvitationView | undefined> {
  if (token.length > 200) return undefined;
  return loadInvitation(db, { tokenHash: hashToken(token) }, now);
}

/** The invitation behind a stored id (single sign-on accepts one without its link's token). */
export function findInvitationById(db: Db, id: string, now = new Date()): Promise<InvitationView | undefined> {
  return loadInvitation(db, { id }, now);
}

async function loadInvitation(db: Db, by: { tokenHash: string } | { id: string }, now: Date): Promise<InvitationView | undefined> {
  const row = await db
    .selectFrom("invitations as i")
    .innerJoin("councils as c", "c.id", "i.council_id")
    .selectAll("i")
    .select(["c.slug as council_slug", "c.name as council_name"])
    .$call((q) => ("id" in by ? q.where("i.id", "=", by.id) : q.where("i.token_hash", "=", by.tokenHash)))
    .executeTakeFirst();
  if (!row) return undefined;
  const { council_slug, council_name, ...invitation } = row;
  const user = await findUserByEmail(db, invitation.email);
  return {
    invitation,
    council: { id: invitation.council_id, slug: council_slug, name: council_name },
    status: invitationStatus(invitation, now),
    existingUserId: user && !user.anonymised_at ? user.id : null,
  };
}

export function invitationStatus(i: Invitation, now = new Date()): InvitationStatus {
  if (i.accepted_at) return "used";
  if (i.revoked_at) return "revoked";
  if (i.expires_at <= nowIso(now)) return "expired";
  return "valid";
}

const STATUS_ERROR: Record<Exclude<InvitationStatus, "valid">, MessageKey> = {
  used: "error.inviteUsed",
  expired: "error.inviteExpired",
  revoked: "error.inviteRevoked",
};

/**
 * Accept an invite, all or nothing: claim the one-time token, create the account
 * (or use the existing one), add the membership.
 */
export async function acceptInvitation(
  { db, events }: Deps,
  input: ({ token: string } | { invitationId: string }) & ({ newUser: { name: string; passwordHash: string } } | { existingUserId: string }),
  now = new Date(),
): Promise<{ userId: string; councilSlug: string }> {
  const view = "token" in input ? await findInvitation(db, input.token, now) : await findInvitationById(db, input.invitationId, now);
  if (!view) throw new DomainError("error.inviteNotFound", 404);
  if (view.status !== "valid") throw new DomainError(STATUS_ERROR[view.status], 410);
  const inv = view.invitation;
  let userId: string;
  try {
    userId = await db.transaction().execute(async (trx) => {
      // Claim the token first; a concurrent second use updates nothing and fails.
      const claimed = await trx
        .updateTable("invitations")
        .set({ accepted_at: nowIso(now) })
        .where("id", "=", inv.id)
        .where("accepted_at", "is", null)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", nowIso(now))
        .executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError("error.inviteUsed", 410);

      let uid: string;
      if ("existingUserId" in input) {
        const u = await trx.selectFrom("users").select(["id", "email"]).where("id", "=", input.existingUserId).executeTakeFirst();
        if (!u || u.email !== inv.email) throw new DomainError("error.inviteOtherAccount", 403);
        uid = u.id;
      } else {
        if (view.existingUserId) throw new DomainError("error.emailTaken", 409);
        uid = (await createUser(trx, { email: inv.email, name: input.newUser.name, passwordHash: input.newUser.passwordHash }, now)).id;
      }
      await trx.updateTable("invitations").set({ accepted_by: uid }).where("id", "=", inv.id).execute();
      await trx
        .insertInto("memberships")
        .values({
          id: newId(),
          council_id: inv.council_id,
          user_id: uid,
          role: inv.role,
          organisation: inv.organisation,
          perspective: inv.perspective,
          valid_from: inv.valid_from,
          valid_to: inv.valid_to,
          created_at: nowIso(now),
        })
        .execute();
      await recordAudit(
        trx,
        {
          councilId: inv.council_id,
          actorId: uid,
          action: "invitation.accepted",
          subject: uid,
          after: { role: inv.role, organisation: inv.organisation, perspective: inv.perspective },
        },
        now,
      );
      await recordActivity(trx, { councilId: inv.council_id, actorId: uid, kind: "member_joined", params: { organisation: inv.organisation, role: inv.role }, path: "members", audience: "council" }, now);
      return uid;
    });
  } catch (err) {
    if (isUniqueViolation(err)) throw new DomainError("error.alreadyMember", 409);
    throw err;
  }
  events.publish({ type: "membership.added", councilId: inv.council_id, userId });
  events.publish({ type: "activity.recorded", councilId: inv.council_id });
  return { userId, councilSlug: view.council.slug };
}

export interface PendingInvitation {
  id: string;
  email: string;
  role: Role;
  organisation: string;
  perspective: Perspective;
  createdAt: string;
  expiresAt: string;
}

/** How long an expired, unused invitation stays listed (to be sent again or removed). */
export const EXPIRED_LISTED_MS = 90 * 24 * 3600 * 1000;

/**
 * The invitations nobody has used yet: `valid` ones, and `expired` ones of the
 * last 90 days (not revoked), newest first.
 */
export async function listOpenInvitations(db: Db, councilId: string, now = new Date()): Promise<{ valid: PendingInvitation[]; expired: PendingInvitation[] }> {
  const at = nowIso(now);
  const rows = await db
    .selectFrom("invitations")
    .select(["id", "email", "role", "organisation", "perspective", "created_at as createdAt", "expires_at as expiresAt"])
    .where("council_id", "=", councilId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", addMs(at, -EXPIRED_LISTED_MS))
    .orderBy("created_at", "desc")
    .execute();
  return { valid: rows.filter((r) => r.expiresAt > at), expired: rows.filter((r) => r.expiresAt <= at) };
}

/**
 * Send an unused invitation again (valid or expired): a new link for the same
 * address, role, organisation and period, valid 14 days from now; the old link stops
 * working (createInvitation replaces an unused one).
 */
export async function resendInvitation(deps: Deps, input: { councilId: string; invitationId: string; actorId: string }, now = new Date()) {
  const inv = await deps.db
    .selectFrom("invitations")
    .selectAll()
    .where("id", "=", input.invitationId)
    .where("council_id", "=", input.councilId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .executeTakeFirst();
  if (!inv) throw new DomainError("error.inviteNotFound", 404);
  return createInvitation(
    deps,
    { councilId: inv.council_id, email: inv.email, name: inv.name, role: inv.role, organisation: inv.organisation, perspective: inv.perspective, validFrom: inv.valid_from, validTo: inv.valid_to, actorId: input.actorId },
    now,
  );
}

export async function listPendingInvitations(db: Db, councilId: string, now = new Date()): Promise<PendingInvitation[]> {
  return db
    .selectFrom("invitations")
    .select([
      "id",
      "email",
      "role",
      "organisation",
      "perspective",
      "created_at as createdAt",
      "expires_at as expiresAt",
    ])
    .where("council_id", "=", councilId)
    .where("accepted_at", "is", null)
    .where("revoked_at", "is", null)
    .where("expires_at", ">", nowIso(now))
    .orderBy("created_at", "desc")
    .execute();
}

export async function revokeInvitation(
  { db }: Deps,
  input: { councilId: string; invitationId: string; actorId: string },
  now = new Date(),
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const res = await trx
      .updateTable("invitations")
      .set({ revoked_at: nowIso(now) })
      .where("id", "=", input.invitationId)
      .where("council_id", "=", input.councilId)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (Number(res.numUpdatedRows) !== 1) throw new DomainError("error.inviteNotFound", 404);
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "invitation.revoked", subject: input.invitationId }, now);
  });
}
