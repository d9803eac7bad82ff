import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie, destroySession } from "../../server/auth/session";

export async function action({ request, context }: ActionFunctionArgs) {
  const sessionId = await destroySession(context.db, request.headers.get("Cookie"), context.config.sessionSecret);
  // Live connections of this session stop at once: no notification reaches a signed-out screen.
  if (sessionId) context.events.publish({ type: "session.ended", sessionId });
  throw redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(context.config) } });
}

export async function loader() {
  // Signing out changes state, so it is a POST; a GET just goes home.
  throw redirect("/");
}
