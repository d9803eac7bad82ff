// Who an OpenID Connect sign-in is (issue #16, docs/decisions/046-oidc-sign-in.md).
// No self-registration: the provider's person must already be known to Samsyn.
//  1. A subject (issuer + sub) seen before → that person.
//  2. Otherwise a *verified* e-mail address: an existing person with that address
//     (the subject is remembered from now on), or a valid invitation to that address
//     (accepted through the invitation code itself: a new account with the name from
//     the provider and no usable password, and the membership the invitation offers).
//  3. Anyone else is refused.
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import { isUniqueViolation } from "./deps";
import { newId } from "./ids";
import { acceptInvitation } from "./invitations";
import { nowIso } from "./time";
import { findUserByEmail } from "./users";

export interface OidcClaims {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
}

export type OidcOutcome =
  | { kind: "signedIn"; userId: string; locale: string; councilSlug: string | null }
  | { kind: "refused"; reason: "unverified" | "unknown"; email: string | null };

/** A password hash no password verifies against: a person who came by single sign-on sets one with "Glömt lösenord?". */
export const NO_PASSWORD = "!sso";

export async function oidcSignIn(deps: Deps, claims: OidcClaims, now = new Date()): Promise<OidcOutcome> {
  const { db } = deps;
  const known = await db
    .selectFrom("user_identities as i")
    .innerJoin("users as u", "u.id", "i.user_id")
    .select(["i.id", "u.id as userId"])
    .where("i.issuer", "=", claims.issuer)
    .where("i.subject", "=", claims.subject)
    .where("u.anonymised_at", "is", null)
    .executeTakeFirst();
  if (known) {
    await db.updateTable("user_identities").set({ last_login_at: nowIso(now) }).where("id", "=", known.id).execute();
    return { kind: "signedIn", userId: known.userId, locale: await localeOf(deps, known.userId), councilSlug: null };
  }

  const email = claims.email?.trim().toLowerCase() || null;
  if (!email || !claims.emailVerified) return { kind: "refused", reason: "unverified", email };

  const user = await findUserByEmail(db, email);
  let userId: string;
  let councilSlug: string | null = null;
  if (user && !user.anonymised_at) {
    userId = user.id;
  } else {
    const invitation = await db
      .selectFrom("invitations")
      .select("id")
      .where("email", "=", email)
      .where("accepted_at", "is", null)
      .where("revoked_at", "is", null)
      .where("expires_at", ">", nowIso(now))
      .orderBy("created_at", "desc")
      .executeTakeFirst();
    if (!invitation) return { kind: "refused", reason: "unknown", email };
    const name = claims.name?.trim().slice(0, 200) || email.split("@")[0];
    ({ userId, councilSlug } = await acceptInvitation(deps, { invitationId: invitation.id, newUser: { name, passwordHash: NO_PASSWORD } }, now));
  }

  try {
    await db.transaction().execute(async (trx) => {
      await trx
        .insertInto("user_identities")
        .values({ id: newId(), user_id: userId, issuer: claims.issuer, subject: claims.subject, created_at: nowIso(now), last_login_at: nowIso(now) })
        .execute();
      await recordAudit(trx, { councilId: null, actorId: userId, action: "user.sso_linked", subject: userId, after: { issuer: claims.issuer } }, now);
    });
  } catch (err) {
    // Two first sign-ins at once: the other one linked the subject; both are the same person.
    if (!isUniqueViolation(err)) throw err;
  }
  return { kind: "signedIn", userId, locale: await localeOf(deps, userId), councilSlug };
}

const localeOf = async ({ db }: Deps, userId: string) => (await db.selectFrom("users").select("locale").where("id", "=", userId).executeTakeFirstOrThrow()).locale;
