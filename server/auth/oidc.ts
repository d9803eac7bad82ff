// Single sign-on with OpenID Connect through `openid-client` (issue #16,
// docs/decisions/046-oidc-sign-in.md): the authorization code flow with PKCE, state
// and nonce. What a sign-in in flight must remember (the PKCE verifier, state, nonce,
// where to go afterwards) lives in a short-lived, signed, HttpOnly cookie, not in this
// process: the provider may send the browser back to another node.
import { createHmac, timingSafeEqual } from "node:crypto";
import * as cookie from "cookie";
import * as client from "openid-client";
import type { OidcConfig } from "../config";

/** The cookie of a sign-in in flight; only sent to /auth/oidc…. */
export const OIDC_FLOW_COOKIE = "samsyn_oidc_flow";
/** The provider's ID token, kept for single logout (id_token_hint). */
export const OIDC_LOGOUT_COOKIE = "samsyn_oidc_logout";
const FLOW_MAX_AGE_S = 10 * 60;

interface CookieConfig {
  sessionSecret: string;
  secureCookies: boolean;
}

const configurations = new Map<string, Promise<client.Configuration>>();

/** Plain http only for a provider on this machine (tests, a local IdP); anything else must be https. */
const isLoopback = (issuer: string) => ["127.0.0.1", "localhost", "[::1]"].includes(new URL(issuer).hostname);

/** The provider's metadata, discovered once per process (again after a failure). */
export function oidcConfiguration(cfg: OidcConfig): Promise<client.Configuration> {
  const key = `${cfg.issuer}\n${cfg.clientId}`;
  let found = configurations.get(key);
  if (!found) {
    found = client.discovery(new URL(cfg.issuer), cfg.clientId, cfg.clientSecret, undefined, isLoopback(cfg.issuer) ? { execute: [client.allowInsecureRequests] } : undefined);
    found.catch(() => configurations.delete(key));
    configurations.set(key, found);
  }
  return found;
}

const sign = (value: string, secret: string) => createHmac("sha256", `oidc-flow:${secret}`).update(value).digest("base64url");

function sealed(payload: object, secret: string): string {
  const value = Buffer.from(JSON.stringify(payload)).toString("base64url");
  return `${value}.${sign(value, secret)}`;
}

function unsealed<T>(raw: string | undefined, secret: string): T | null {
  if (!raw) return null;
  const [value, mac] = raw.split(".");
  if (!value || !mac) return null;
  const expected = Buffer.from(sign(value, secret));
  const given = Buffer.from(mac);
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) return null;
  try {
    return JSON.parse(Buffer.from(value, "base64url").toString("utf8")) as T;
  } catch {
    return null;
  }
}

interface Flow {
  verifier: string;
  state: string;
  nonce: string;
  redirectTo: string;
  at: number;
}

/** Start a sign-in: where to send the browser, and the cookie that remembers the flow. */
export async function startOidcSignIn(cfg: OidcConfig, c: CookieConfig, input: { redirectUri: string; redirectTo: string }): Promise<{ url: string; setCookie: string }> {
  const config = await oidcConfiguration(cfg);
  const verifier = client.randomPKCECodeVerifier();
  const flow: Flow = { verifier, state: client.randomState(), nonce: client.randomNonce(), redirectTo: input.redirectTo, at: Date.now() };
  const url = client.buildAuthorizationUrl(config, {
    redirect_uri: input.redirectUri,
    scope: "openid email profile",
    code_challenge: await client.calculatePKCECodeChallenge(verifier),
    code_challenge_method: "S256",
    state: flow.state,
    nonce: flow.nonce,
  });
  const setCookie = cookie.serialize(OIDC_FLOW_COOKIE, sealed(flow, c.sessionSecret), {
    httpOnly: true,
    sameSite: "lax",
    secure: c.secureCookies,
    path: "/auth/oidc",
    maxAge: FLOW_MAX_AGE_S,
  });
  return { url: url.href, setCookie };
}

export const clearFlowCookie = (c: CookieConfig) => cookie.serialize(OIDC_FLOW_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: c.secureCookies, path: "/auth/oidc", maxAge: 0 });

export class OidcFlowError extends Error {
  constructor(readonly reason: "badState" | "denied" | "unavailable") {
    super(reason);
  }
}

export interface OidcResult {
  issuer: string;
  subject: string;
  email: string | null;
  emailVerified: boolean;
  name: string | null;
  idToken: string | null;
  redirectTo: string;
}

/**
 * End a sign-in at the callback: the flow cookie must be there, signed and fresh;
 * openid-client checks state, PKCE and nonce and the ID token; the claims are the ID
 * token's, completed from the userinfo endpoint.
 */
export async function finishOidcSignIn(cfg: OidcConfig, c: CookieConfig, input: { currentUrl: URL; cookieHeader: string | null }): Promise<OidcResult> {
  const flow = unsealed<Flow>(cookie.parse(input.cookieHeader ?? "")[OIDC_FLOW_COOKIE], c.sessionSecret);
  if (input.currentUrl.searchParams.get("error")) throw new OidcFlowError(input.currentUrl.searchParams.get("error") === "access_denied" ? "denied" : "badState");
  if (!flow || Date.now() - flow.at > FLOW_MAX_AGE_S * 1000) throw new OidcFlowError("badState");
  let config: client.Configuration;
  try {
    config = await oidcConfiguration(cfg);
  } catch {
    throw new OidcFlowError("unavailable");
  }
  let tokens: Awaited<ReturnType<typeof client.authorizationCodeGrant>>;
  try {
    tokens = await client.authorizationCodeGrant(config, input.currentUrl, {
      pkceCodeVerifier: flow.verifier,
      expectedState: flow.state,
      expectedNonce: flow.nonce,
      idTokenExpected: true,
    });
  } catch (err) {
    // A wrong state, a used or forged code, a bad ID token: the browser's flow is not valid.
    if (err instanceof client.AuthorizationResponseError || err instanceof client.ResponseBodyError || err instanceof client.ClientError) throw new OidcFlowError("badState");
    throw new OidcFlowError("unavailable");
  }
  const idClaims = tokens.claims();
  if (!idClaims) throw new OidcFlowError("badState");
  let info: Record<string, unknown> = {};
  try {
    info = await client.fetchUserInfo(config, tokens.access_token, idClaims.sub);
  } catch {
    // Userinfo is optional: the ID token's claims are enough when they hold the e-mail.
  }
  const pick = (k: string) => (info[k] ?? (idClaims as Record<string, unknown>)[k]) as unknown;
  return {
    issuer: config.serverMetadata().issuer,
    subject: idClaims.sub,
    email: typeof pick("email") === "string" ? (pick("email") as string) : null,
    emailVerified: pick("email_verified") === true,
    name: typeof pick("name") === "string" ? (pick("name") as string) : null,
    idToken: tokens.id_token ?? null,
    redirectTo: flow.redirectTo,
  };
}

/** The cookie that keeps the ID token for single logout (as long as a session lasts). */
export const logoutCookie = (c: CookieConfig, idToken: string, maxAgeS: number) =>
  cookie.serialize(OIDC_LOGOUT_COOKIE, sealed({ idToken }, c.sessionSecret), { httpOnly: true, sameSite: "lax", secure: c.secureCookies, path: "/", maxAge: maxAgeS });
export const clearLogoutCookie = (c: CookieConfig) => cookie.serialize(OIDC_LOGOUT_COOKIE, "", { httpOnly: true, sameSite: "lax", secure: c.secureCookies, path: "/", maxAge: 0 });

/** Where to send the browser to sign out at the provider too, if it offers that and this session came from it. */
export async function endSessionUrl(cfg: OidcConfig, c: CookieConfig, input: { cookieHeader: string | null; postLogoutRedirectUri: string }): Promise<string | null> {
  const kept = unsealed<{ idToken: string }>(cookie.parse(input.cookieHeader ?? "")[OIDC_LOGOUT_COOKIE], c.sessionSecret);
  if (!kept) return null;
  try {
    const config = await oidcConfiguration(cfg);
    if (!config.serverMetadata().end_session_endpoint) return null;
    return client.buildEndSessionUrl(config, { id_token_hint: kept.idToken, post_logout_redirect_uri: input.postLogoutRedirectUri }).href;
  } catch {
    return null;
  }
}
