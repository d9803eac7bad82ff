import type { LoaderFunctionArgs } from "@remix-run/node";
import { meetingsToIcs } from "../../server/domain/ics";
import { listMeetingsForUser, userIdForCalendarToken } from "../../server/domain/meetings";
import { absoluteUrl } from "~/utils/urls.server";

/**
 * GET /feeds/:token/calendar.ics — the person's calendar feed: every published
 * meeting of every council they are active in. Calendar apps send no cookies, so
 * the secret token is the credential; an unknown or revoked token is a plain 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const userId = await userIdForCalendarToken(context.db, params.token ?? "");
  if (!userId) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const meetings = await listMeetingsForUser(context.db, userId);
  const ics = meetingsToIcs(meetings, { name: "Samsyn", baseUrl: absoluteUrl(request, context, "") });
  return new Response(ics, { headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store" } });
}
