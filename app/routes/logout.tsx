import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { clearSessionCookie, destroySession } from "../../server/auth/session";

export async function action({ request, context }: ActionFunctionArgs) {
  await destroySession(context.db, request.headers.get("Cookie"), context.config.sessionSecret);
  throw redirect("/login", { headers: { "Set-Cookie": clearSessionCookie(context.config) } });
}

export async function loader() {
  // Signing out changes state, so it is a POST; a GET just goes home.
  throw redirect("/");
}
