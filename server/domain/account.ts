// A person's own account (issue #16, docs/decisions/048-account-self-service.md):
// a forgotten password reset through a single-use e-mailed link, a new password, a
// new name, and a new e-mail address confirmed by a link sent to it.
// - A link's token is shown once (in the e-mail); only its hash is stored
//   (account_tokens), it is used once and expires: a reset after an hour, an address
//   confirmation after a day. A new request replaces the person's earlier unused link.
// - A new password (reset or change) ends the person's other sessions, so whoever
//   held the old password is signed out everywhere.
import type { Db } from "../../db";
import type { User } from "../../db/schema";
import { hashPassword, verifyPassword } from "../auth/password";
import { recordAudit } from "./audit";
import { isUniqueViolation } from "./deps";
import { DomainError } from "./errors";
import { hashToken, newId, newToken } from "./ids";
import { addMs, nowIso } from "./time";
import { findUserByEmail } from "./users";

export const RESET_TTL_MS = 3600 * 1000;
export const EMAIL_CHANGE_TTL_MS = 24 * 3600 * 1000;

type Purpose = "password_reset" | "email_change";

/** A new single-use link for `userId`, replacing any unused one of the same purpose. */
async function issueToken(db: Db, userId: string, purpose: Purpose, ttlMs: number, newEmail: string | null, now: Date): Promise<string> {
  const token = newToken();
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("account_tokens").set({ used_at: nowIso(now) }).where("user_id", "=", userId).where("purpose", "=", purpose).where("used_at", "is", null).execute();
    await trx
      .insertInto("account_tokens")
      .values({ id: newId(), user_id: userId, purpose, token_hash: hashToken(token), new_email: newEmail, created_at: nowIso(now), expires_at: addMs(nowIso(now), ttlMs), used_at: null })
      .execute();
  });
  return token;
}

/** The unused, unexpired link behind `token`, with its (not anonymised) person. */
async function findToken(db: Db, token: string, purpose: Purpose, now: Date) {
  if (!token || token.length > 100) return undefined;
  return db
    .selectFrom("account_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.id", "t.user_id as userId", "t.new_email as newEmail", "u.name", "u.email", "u.locale"])
    .where("t.token_hash", "=", hashToken(token))
    .where("t.purpose", "=", purpose)
    .where("t.used_at", "is", null)
    .where("t.expires_at", ">", nowIso(now))
    .where("u.anonymised_at", "is", null)
    .executeTakeFirst();
}

/**
 * "Glömt lösenord?": a reset link for the person with this address, or null when
 * there is no such (active) person. The caller answers alike either way.
 */
export async function requestPasswordReset(db: Db, email: string, now = new Date()): Promise<{ token: string; user: Pick<User, "id" | "name" | "email" | "locale"> } | null> {
  const user = await findUserByEmail(db, email);
  if (!user || user.anonymised_at || !user.email) return null;
  const token = await issueToken(db, user.id, "password_reset", RESET_TTL_MS, null, now);
  return { token, user: { id: user.id, name: user.name, email: user.email, locale: user.locale } };
}

/** Whether a reset link can still be used (the page shows the form, or says it has expired). */
export async function resetLinkValid(db: Db, token: string, now = new Date()): Promise<boolean> {
  return (await findToken(db, token, "password_reset", now)) !== undefined;
}

/**
 * Set a new password through a reset link: the link is used up, every session of
 * the person ends. Returns the person, to sign them in with a new session.
 */
export async function resetPassword(db: Db, token: string, password: string, now = new Date()): Promise<{ id: string; locale: string }> {
  const found = await findToken(db, token, "password_reset", now);
  if (!found) throw new DomainError("account.resetInvalid", 410);
  const passwordHash = await hashPassword(password);
  await db.transaction().execute(async (trx) => {
    // Used once: the update claims the link; a second use of it finds nothing to claim.
    const claimed = await trx.updateTable("account_tokens").set({ used_at: nowIso(now) }).where("id", "=", found.id).where("used_at", "is", null).executeTakeFirst();
    if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError("account.resetInvalid", 410);
    await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", found.userId).execute();
    await trx.deleteFrom("sessions").where("user_id", "=", found.userId).execute();
    await recordAudit(trx, { councilId: null, actorId: found.userId, action: "user.password_reset", subject: found.userId }, now);
  });
  return { id: found.userId, locale: found.locale };
}

/**
 * A new password, the current one given: the person's other sessions end
 * (`keepSessionId` is the one in use).
 */
export async function changePassword(db: Db, input: { userId: string; current: string; password: string; keepSessionId: string | null }, now = new Date()): Promise<void> {
  const user = await db.selectFrom("users").select("password_hash").where("id", "=", input.userId).where("anonymised_at", "is", null).executeTakeFirst();
  if (!user?.password_hash || !(await verifyPassword(user.password_hash, input.current))) throw new DomainError("account.currentPasswordWrong", 400, "currentPassword");
  const passwordHash = await hashPassword(input.password);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("users").set({ password_hash: passwordHash }).where("id", "=", input.userId).execute();
    let others = trx.deleteFrom("sessions").where("user_id", "=", input.userId);
    if (input.keepSessionId) others = others.where("id", "!=", input.keepSessionId);
    await others.execute();
    await recordAudit(trx, { councilId: null, actorId: input.userId, action: "user.password_changed", subject: input.userId }, now);
  });
}

/** The person's name as others see it. */
export async function changeName(db: Db, input: { userId: string; name: string }, now = new Date()): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const before = await trx.selectFrom("users").select("name").where("id", "=", input.userId).executeTakeFirstOrThrow();
    if (before.name === input.name) return;
    await trx.updateTable("users").set({ name: input.name }).where("id", "=", input.userId).execute();
    await recordAudit(trx, { councilId: null, actorId: input.userId, action: "user.renamed", subject: input.userId, before: { name: before.name }, after: { name: input.name } }, now);
  });
}

/**
 * A new e-mail address, to be confirmed by a link sent to it (the address changes
 * only then). Refused when another person already has it. The current password is
 * asked for, so that a session left open cannot take the account over.
 */
export async function requestEmailChange(db: Db, input: { userId: string; newEmail: string; password: string }, now = new Date()): Promise<{ token: string; to: string; name: string; locale: string }> {
  const email = input.newEmail.toLowerCase();
  const user = await db.selectFrom("users").select(["email", "password_hash", "name", "locale"]).where("id", "=", input.userId).where("anonymised_at", "is", null).executeTakeFirstOrThrow();
  if (!user.password_hash || !(await verifyPassword(user.password_hash, input.password))) throw new DomainError("account.currentPasswordWrong", 400, "emailPassword");
  if (user.email === email) throw new DomainError("account.emailSame", 400, "newEmail");
  if (await findUserByEmail(db, email)) throw new DomainError("account.emailTaken", 409, "newEmail");
  const token = await issueToken(db, input.userId, "email_change", EMAIL_CHANGE_TTL_MS, email, now);
  return { token, to: email, name: user.name, locale: user.locale };
}

/**
 * Where a confirmation link stands: still to confirm (with what it would change),
 * done (the person's address is the link's), or neither (unknown, expired, replaced).
 */
export async function emailChangeState(db: Db, token: string, now = new Date()): Promise<{ state: "pending" | "done"; name: string; newEmail: string } | { state: "invalid" }> {
  const pending = await findToken(db, token, "email_change", now);
  if (pending?.newEmail) return { state: "pending", name: pending.name, newEmail: pending.newEmail };
  if (!token || token.length > 100) return { state: "invalid" };
  const used = await db
    .selectFrom("account_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["u.name", "u.email", "t.new_email as newEmail"])
    .where("t.token_hash", "=", hashToken(token))
    .where("t.purpose", "=", "email_change")
    .where("t.used_at", "is not", null)
    .executeTakeFirst();
  return used?.newEmail && used.email === used.newEmail ? { state: "done", name: used.name, newEmail: used.newEmail } : { state: "invalid" };
}

/** Confirm a new address through its link: the address changes, the link is used up. */
export async function confirmEmailChange(db: Db, token: string, now = new Date()): Promise<{ userId: string; email: string }> {
  const found = await findToken(db, token, "email_change", now);
  if (!found?.newEmail) throw new DomainError("account.emailLinkInvalid", 410);
  const email = found.newEmail;
  try {
    await db.transaction().execute(async (trx) => {
      const claimed = await trx.updateTable("account_tokens").set({ used_at: nowIso(now) }).where("id", "=", found.id).where("used_at", "is", null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError("account.emailLinkInvalid", 410);
      await trx.updateTable("users").set({ email }).where("id", "=", found.userId).execute();
      await recordAudit(trx, { councilId: null, actorId: found.userId, action: "user.email_changed", subject: found.userId, before: { email: found.email }, after: { email } }, now);
    });
  } catch (err) {
    // Someone took the address between the request and the confirmation.
    if (isUniqueViolation(err)) throw new DomainError("account.emailTaken", 409);
    throw err;
  }
  return { userId: found.userId, email };
}
