// Guards for loaders and actions: they throw (a redirect, a 401/403/404 Response)
// so that route code reads top to bottom.
import { data, redirect, type AppLoadContext } from "@remix-run/node";
import { clearSessionCookie, getSessionUser } from "../../server/auth/session";
import { authenticateApiToken } from "../../server/domain/api-tokens";
import { findCouncilMembership } from "../../server/domain/councils";
import { meetingRights } from "../../server/domain/groups";
import { getMeeting, meetingVisibleTo } from "../../server/domain/meetings";
import { statementPublishedTo } from "../../server/domain/publication";
import { getStatement } from "../../server/domain/statements";
import { can, canSite, isActive, type CouncilAction } from "../../server/domain/permissions";
import { stockholmToday } from "../../server/domain/time";
import type { PublicUser } from "../../server/domain/users";

// The root loader and the page's loader both ask who is signed in; a GET answers
// from one session lookup. (Not after an action: it may have changed the session.)
const sessionUsers = new WeakMap<AppLoadContext, Promise<PublicUser | null>>();

export async function getUser(request: Request, context: AppLoadContext): Promise<PublicUser | null> {
  const lookup = () => getSessionUser(context.db, request.headers.get("Cookie"), context.config.sessionSecret);
  if (request.method !== "GET" && request.method !== "HEAD") return lookup();
  let user = sessionUsers.get(context);
  if (!user) sessionUsers.set(context, (user = lookup()));
  return user;
}

export async function requireUser(request: Request, context: AppLoadContext): Promise<PublicUser> {
  const user = await getUser(request, context);
  if (user) return user;
  const url = new URL(request.url);
  const redirectTo = url.pathname + url.search;
  // A stale cookie is cleared on the way to the login page.
  throw redirect(`/login?redirectTo=${encodeURIComponent(redirectTo)}`, {
    headers: request.headers.get("Cookie")?.includes("samsyn_session=")
      ? { "Set-Cookie": clearSessionCookie(context.config) }
      : undefined,
  });
}

/**
 * For JSON endpoints: 401 JSON instead of a redirect.
 *
 * The one place a personal API token (docs/decisions/045-api-tokens.md) is
 * accepted: `Authorization: Bearer samsyn_pat_…` on a GET or HEAD of /api/v1/...,
 * acting as the person it belongs to (the membership checks that follow are the
 * session's, unchanged). When such a request carries one, the token alone decides:
 * a bad, revoked or expired token is a 401 even beside a valid cookie. Anywhere
 * else (a POST, a page, requireUser) the header is ignored and only the session
 * counts. `sessionOnly` endpoints (the personal-data export) refuse a token with 403.
 */
export async function requireApiUser(request: Request, context: AppLoadContext, opts: { sessionOnly?: boolean } = {}): Promise<PublicUser> {
  const bearer = readApiBearer(request);
  if (bearer !== undefined) {
    if (opts.sessionOnly) {
      throw Response.json(
        { error: "forbidden", message: "This endpoint needs a signed-in session; an API token cannot use it." },
        { status: 403, headers: { "WWW-Authenticate": 'Bearer error="insufficient_scope"' } },
      );
    }
    const user = bearer ? await authenticateApiToken(context.db, bearer) : null;
    if (!user) {
      throw Response.json(
        { error: "unauthorized", message: "The API token is not valid: unknown, revoked or expired." },
        { status: 401, headers: { "WWW-Authenticate": 'Bearer error="invalid_token"' } },
      );
    }
    return user;
  }
  const user = await getUser(request, context);
  if (!user) throw Response.json({ error: "unauthorized", message: "Not signed in" }, { status: 401 });
  return user;
}

/**
 * The token of an `Authorization: Bearer` header where tokens count (GET/HEAD of
 * /api/v1/...): undefined when there is no such header or tokens do not count here,
 * "" when a Bearer header is there but malformed (answered as an invalid token).
 */
function readApiBearer(request: Request): string | undefined {
  if (request.method !== "GET" && request.method !== "HEAD") return undefined;
  if (!new URL(request.url).pathname.startsWith("/api/v1/")) return undefined;
  const header = request.headers.get("Authorization")?.trim();
  // Another scheme (Basic, from a proxy that guards a test installation) is not ours: the session decides.
  if (!header || !/^bearer(\s|$)/i.test(header)) return undefined;
  const m = /^bearer +(\S+)$/i.exec(header);
  return m ? m[1] : "";
}

export async function requireSiteAdmin(request: Request, context: AppLoadContext): Promise<PublicUser> {
  const user = await requireUser(request, context);
  // Not an admin: the admin pages do not exist for them.
  if (!canSite(user, "site:manage-councils")) throw notFound();
  return user;
}

export const notFound = () => data({ messageKey: "status.404.text" }, { status: 404 });
export const forbidden = () => data({ messageKey: "status.403" }, { status: 403 });

/**
 * The signed-in person's membership in the council, allowed to do `action`.
 * Not a member (or no such council): 404, so a council's existence is not revealed.
 * An adjunct outside their period, or a role without the right: 403.
 */
export async function requireCouncil(request: Request, context: AppLoadContext, slug: string | undefined, action: CouncilAction) {
  const user = await requireUser(request, context);
  const found = slug ? await findCouncilMembership(context.db, slug, user.id) : undefined;
  if (!found) throw notFound();
  if (!isActive(found.membership)) {
    const notStarted = !!found.membership.valid_from && stockholmToday() < found.membership.valid_from;
    throw data({ messageKey: notStarted ? "status.403.adjunctNotStarted" : "status.403.adjunctEnded" }, { status: 403 });
  }
  if (!can(found.membership, action)) throw data({ messageKey: "status.403" }, { status: 403 });
  return { user, ...found };
}

/** requireCouncil for JSON endpoints: 401/403/404 as JSON, never a redirect. */
export async function requireApiCouncil(request: Request, context: AppLoadContext, slug: string | undefined, action: CouncilAction) {
  const user = await requireApiUser(request, context);
  const found = slug ? await findCouncilMembership(context.db, slug, user.id) : undefined;
  if (!found) throw Response.json({ error: "not_found", message: "Not found" }, { status: 404 });
  if (!can(found.membership, action)) throw Response.json({ error: "forbidden", message: "Not allowed" }, { status: 403 });
  return { user, ...found };
}

const UUID = /^[0-9a-f-]{36}$/i;

/** What a route may require of one meeting (see meetingRights / canOnMeeting). */
export type MeetingRight = "view" | "manage" | "respond" | "propose" | "editMinutes";

/**
 * The one guard of a meeting's pages, actions and resources: the council
 * membership (requireCouncil), the meeting, the person's rights on it, then:
 * - no such meeting in this council, or a draft the person may not see
 *   (meetingVisibleTo): 404, whatever they ask — a draft's existence is not revealed;
 * - a meeting they see but a `right` they lack: 403.
 */
export async function requireMeeting(request: Request, context: AppLoadContext, slug: string | undefined, id: string | undefined, right: MeetingRight) {
  const found = await requireCouncil(request, context, slug, "meeting:view");
  const seen = await seenMeeting(context, found, id);
  if (!seen) throw notFound();
  if (!seen.rights[right]) throw forbidden();
  return { ...found, ...seen };
}

/** requireMeeting for JSON endpoints: the same rule, answered as JSON (401/403/404). */
export async function requireApiMeeting(request: Request, context: AppLoadContext, slug: string | undefined, id: string | undefined, right: MeetingRight) {
  const found = await requireApiCouncil(request, context, slug, "meeting:view");
  const seen = await seenMeeting(context, found, id);
  if (!seen) throw Response.json({ error: "not_found", message: "Not found" }, { status: 404 });
  if (!seen.rights[right]) throw Response.json({ error: "forbidden", message: "Not allowed" }, { status: 403 });
  return { ...found, ...seen };
}

/** The meeting and the person's rights on it, or undefined when it is not there for them (unknown, another council's, a draft they may not see). */
async function seenMeeting(context: AppLoadContext, found: { council: { id: string }; membership: Parameters<typeof meetingRights>[1]; user: { id: string } }, id: string | undefined) {
  const meeting = id && UUID.test(id) ? await getMeeting(context.db, found.council.id, id) : undefined;
  if (!meeting) return undefined;
  const rights = await meetingRights(context.db, found.membership, meeting, found.user.id);
  if (!(await meetingVisibleTo(context.db, meeting, rights))) return undefined;
  return { meeting, rights };
}

/**
 * The one guard of a statement's (or proposal's) page and actions: no such
 * statement in this council, or one not published to the person (a draft for an
 * observer): 404; one they see but an `action` their role lacks: 403.
 */
export async function requireStatement(request: Request, context: AppLoadContext, slug: string | undefined, id: string | undefined, action: CouncilAction = "council:view") {
  const found = await requireCouncil(request, context, slug, "council:view");
  const statement = id && UUID.test(id) ? await getStatement(context.db, found.council.id, id) : undefined;
  if (!statement || !statementPublishedTo(found.membership, statement.status)) throw notFound();
  if (!can(found.membership, action)) throw forbidden();
  return { ...found, statement };
}
