// Server-side sessions: the cookie carries a random token plus its HMAC; the
// database keeps only the token's hash. HTTP, socket.io and the Yjs upgrade all
// authenticate through `getSessionUser`.
import { createHmac, timingSafeEqual } from "node:crypto";
import * as cookie from "cookie";
import type { Db } from "../../db";
import { preparedQuery } from "../../db/prepared";
import { hashToken, newToken } from "../domain/ids";
import { addMs, nowIso } from "../domain/time";
import type { PublicUser } from "../domain/users";

export const SESSION_COOKIE = "samsyn_session";
export const SESSION_TTL_MS = 14 * 24 * 3600 * 1000;

export interface SessionConfig {
  sessionSecret: string;
  secureCookies: boolean;
}

const sign = (token: string, secret: string) => createHmac("sha256", secret).update(token).digest("base64url");

export async function createSession(db: Db, userId: string, now = new Date()): Promise<string> {
  const token = newToken();
  await db
    .insertInto("sessions")
    .values({ id: hashToken(token), user_id: userId, created_at: nowIso(now), expires_at: addMs(nowIso(now), SESSION_TTL_MS) })
    .execute();
  return token;
}

export function serializeSessionCookie(token: string, cfg: SessionConfig): string {
  return cookie.serialize(SESSION_COOKIE, `${token}.${sign(token, cfg.sessionSecret)}`, {
    httpOnly: true,
    sameSite: "lax",
    secure: cfg.secureCookies,
    path: "/",
    maxAge: SESSION_TTL_MS / 1000,
  });
}

export function clearSessionCookie(cfg: SessionConfig): string {
  return cookie.serialize(SESSION_COOKIE, "", {
    httpOnly: true,
    sameSite: "lax",
    secure: cfg.secureCookies,
    path: "/",
    maxAge: 0,
  });
}

/** The session token from a Cookie header, if present and correctly signed. */
export function readSessionToken(cookieHeader: string | null | undefined, secret: string): string | null {
  if (!cookieHeader) return null;
  const raw = cookie.parse(cookieHeader)[SESSION_COOKIE];
  if (!raw) return null;
  const dot = raw.lastIndexOf(".");
  if (dot <= 0) return null;
  const token = raw.slice(0, dot);
  const given = Buffer.from(raw.slice(dot + 1));
  const expected = Buffer.from(sign(token, secret));
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null;
  return token;
}

// Every request asks this: compiled once (db/prepared.ts).
const sessionUserQuery = preparedQuery((db: Db, sessionId: string, now: string) =>
  db
    .selectFrom("sessions as s")
    .innerJoin("users as u", "u.id", "s.user_id")
    .select(["u.id", "u.name", "u.email", "u.is_site_admin"])
    .where("s.id", "=", sessionId)
    .where("s.expires_at", ">", now)
    .where("u.anonymised_at", "is", null),
);

export async function getSessionUser(
  db: Db,
  cookieHeader: string | null | undefined,
  secret: string,
  now = new Date(),
): Promise<PublicUser | null> {
  const token = readSessionToken(cookieHeader, secret);
  if (!token) return null;
  return (await sessionUserQuery.first(db, hashToken(token), nowIso(now))) ?? null;
}

/** Sign out: the session row goes; returns its id (for closing its live connections), if there was one. */
export async function destroySession(db: Db, cookieHeader: string | null | undefined, secret: string): Promise<string | null> {
  const token = readSessionToken(cookieHeader, secret);
  if (!token) return null;
  await db.deleteFrom("sessions").where("id", "=", hashToken(token)).execute();
  return hashToken(token);
}

/** The stored id of the session a Cookie header carries (signed), or null. */
export function sessionIdOf(cookieHeader: string | null | undefined, secret: string): string | null {
  const token = readSessionToken(cookieHeader, secret);
  return token ? hashToken(token) : null;
}
