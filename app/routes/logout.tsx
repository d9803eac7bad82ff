import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearLogoutCookie, endSessionUrl } from "../../server/auth/oidc";
import { clearSessionCookie, destroySession } from "../../server/auth/session";
import { absoluteUrl } from "~/utils/urls.server";

export async function action({ request, context }: ActionFunctionArgs) {
  const sessionId = await destroySession(context.db, request.headers.get("Cookie"), context.config.sessionSecret);
  // Live connections of this session stop at once: no notification reaches a signed-out screen.
  if (sessionId) context.events.publish({ type: "session.ended", sessionId });
  const headers = new Headers({ "Set-Cookie": clearSessionCookie(context.config) });
  // Signed in through the OpenID provider: sign out there too (single logout), where it offers that.
  const cfg = context.config.oidc;
  const atProvider = cfg ? await endSessionUrl(cfg, context.config, { cookieHeader: request.headers.get("Cookie"), postLogoutRedirectUri: absoluteUrl(request, context, "/login") }) : null;
  if (request.headers.get("Cookie")?.includes("samsyn_oidc_logout=")) headers.append("Set-Cookie", clearLogoutCookie(context.config));
  throw redirect(atProvider ?? "/login", { headers });
}

export async function loader() {
  // Signing out changes state, so it is a POST; a GET just goes home.
  throw redirect("/");
}
