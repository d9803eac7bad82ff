// Personal access tokens for the read-only API (issue #16, docs/decisions/045-api-tokens.md).
// A person makes one in /settings for a program (a region's reporting tool) that reads
// /api/v1/... as them: the same rights as the person, on GET only (the guard is
// requireApiUser in app/utils/auth.server.ts).
// - The token is shown once; only its hash is stored, with a short non-secret prefix
//   to recognise it by in the list.
// - It expires (30, 90 or 365 days, or never) and can be revoked; a revoked token
//   keeps its row, so the list of the person's data still says when it stopped.
// - Using it updates last_used_at at most once a minute, not on every request.
import type { Db } from "../../db";
import type { PublicUser } from "./users";
import { recordAudit } from "./audit";
import { DomainError } from "./errors";
import { hashToken, newId, newToken } from "./ids";
import { addMs, nowIso } from "./time";

/** Every token starts with this, so that it is recognisable (secret scanners, logs). */
export const API_TOKEN_PREFIX = "samsyn_pat_";
/** The prefix, then 43 base64url characters (a 256-bit secret, server/domain/ids.ts newToken). */
const TOKEN_SHAPE = /^samsyn_pat_[A-Za-z0-9_-]{43}$/;
/** How many characters after API_TOKEN_PREFIX are kept to show: too few to guess anything from. */
const SHOWN_CHARS = 4;
/** Active (neither revoked nor expired) tokens per person; the words in apiTokens.limit say the same. */
export const MAX_ACTIVE_API_TOKENS = 10;
/** The validity a person chooses among, in days; null for no end date. */
export const API_TOKEN_VALIDITY_DAYS = [30, 90, 365, null] as const;
export type ApiTokenValidity = (typeof API_TOKEN_VALIDITY_DAYS)[number];
/** last_used_at is written when it is older than this: not a write per request. */
const LAST_USED_RESOLUTION_MS = 60_000;
const DAY_MS = 24 * 3600 * 1000;

export interface ApiTokenView {
  id: string;
  name: string;
  /** What the token starts with, e.g. `samsyn_pat_Ab3x…`. */
  shown: string;
  createdAt: string;
  expiresAt: string | null;
  lastUsedAt: string | null;
  expired: boolean;
}

/** Whether a string has the shape of a token (checked before any query). */
export const looksLikeApiToken = (token: string): boolean => TOKEN_SHAPE.test(token);

/**
 * A new token for the person, returned once (only its hash is stored). Refused
 * beyond MAX_ACTIVE_API_TOKENS active ones.
 */
export async function createApiToken(
  db: Db,
  input: { userId: string; name: string; validDays: ApiTokenValidity },
  now = new Date(),
): Promise<{ token: string; view: ApiTokenView }> {
  const secret = newToken();
  const token = `${API_TOKEN_PREFIX}${secret}`;
  const at = nowIso(now);
  const row = {
    id: newId(),
    user_id: input.userId,
    name: input.name,
    token_hash: hashToken(token),
    prefix: secret.slice(0, SHOWN_CHARS),
    created_at: at,
    expires_at: input.validDays === null ? null : addMs(at, input.validDays * DAY_MS),
    last_used_at: null,
    revoked_at: null,
  };
  await db.transaction().execute(async (trx) => {
    // Two creations at the same instant on PostgreSQL could both pass the count; one
    // token over the limit then is harmless (the limit keeps the list manageable).
    const active = await activeTokens(trx, input.userId, at)
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .executeTakeFirstOrThrow();
    if (Number(active.n) >= MAX_ACTIVE_API_TOKENS) throw new DomainError("apiTokens.limit", 409, "_form");
    await trx.insertInto("api_tokens").values(row).execute();
    await recordAudit(trx, { councilId: null, actorId: input.userId, action: "api_token.created", subject: input.userId, after: { name: row.name, expiresAt: row.expires_at } }, now);
  });
  return { token, view: toView(row, at) };
}

/** The person's tokens that are not revoked (expired ones too, marked), newest first. */
export async function listApiTokens(db: Db, userId: string, now = new Date()): Promise<ApiTokenView[]> {
  const rows = await db
    .selectFrom("api_tokens")
    .select(["id", "name", "prefix", "created_at", "expires_at", "last_used_at"])
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .orderBy("created_at", "desc")
    .orderBy("id")
    .execute();
  return rows.map((r) => toView(r, nowIso(now)));
}

/** Revoke one of the person's own tokens: it stops working at once. Returns its name. */
export async function revokeApiToken(db: Db, input: { userId: string; tokenId: string }, now = new Date()): Promise<{ name: string }> {
  return db.transaction().execute(async (trx) => {
    // The person's own, still unrevoked: someone else's token is "not found" alike.
    const token = await trx
      .selectFrom("api_tokens")
      .select(["id", "name"])
      .where("id", "=", input.tokenId)
      .where("user_id", "=", input.userId)
      .where("revoked_at", "is", null)
      .executeTakeFirst();
    if (!token) throw new DomainError("apiTokens.notFound", 404, "_form");
    const done = await trx.updateTable("api_tokens").set({ revoked_at: nowIso(now) }).where("id", "=", token.id).where("revoked_at", "is", null).executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1) throw new DomainError("apiTokens.notFound", 404, "_form");
    await recordAudit(trx, { councilId: null, actorId: input.userId, action: "api_token.revoked", subject: input.userId, before: { name: token.name } }, now);
    return { name: token.name };
  });
}

/**
 * The person a token acts for, or null for anything else: a malformed, unknown,
 * revoked or expired token, or one of an anonymised person. Notes the use
 * (last_used_at) at most once a minute.
 */
export async function authenticateApiToken(db: Db, token: string, now = new Date()): Promise<PublicUser | null> {
  if (!looksLikeApiToken(token)) return null;
  const at = nowIso(now);
  const found = await db
    .selectFrom("api_tokens as t")
    .innerJoin("users as u", "u.id", "t.user_id")
    .select(["t.id as tokenId", "t.last_used_at as lastUsedAt", "u.id", "u.name", "u.email", "u.is_site_admin"])
    .where("t.token_hash", "=", hashToken(token))
    .where("t.revoked_at", "is", null)
    .where((eb) => eb.or([eb("t.expires_at", "is", null), eb("t.expires_at", ">", at)]))
    .where("u.anonymised_at", "is", null)
    .executeTakeFirst();
  if (!found) return null;
  const stale = addMs(at, -LAST_USED_RESOLUTION_MS);
  if (!found.lastUsedAt || found.lastUsedAt <= stale) {
    // The condition is repeated in the where, so parallel requests write once.
    await db
      .updateTable("api_tokens")
      .set({ last_used_at: at })
      .where("id", "=", found.tokenId)
      .where((eb) => eb.or([eb("last_used_at", "is", null), eb("last_used_at", "<=", stale)]))
      .execute();
  }
  return { id: found.id, name: found.name, email: found.email, is_site_admin: found.is_site_admin };
}

function activeTokens(db: Db, userId: string, at: string) {
  return db
    .selectFrom("api_tokens")
    .where("user_id", "=", userId)
    .where("revoked_at", "is", null)
    .where((eb) => eb.or([eb("expires_at", "is", null), eb("expires_at", ">", at)]));
}

function toView(r: { id: string; name: string; prefix: string; created_at: string; expires_at: string | null; last_used_at: string | null }, at: string): ApiTokenView {
  return {
    id: r.id,
    name: r.name,
    shown: `${API_TOKEN_PREFIX}${r.prefix}…`,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    lastUsedAt: r.last_used_at,
    expired: r.expires_at !== null && r.expires_at <= at,
  };
}
