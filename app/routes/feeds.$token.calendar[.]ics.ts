import type { LoaderFunctionArgs } from "@remix-run/node";
import { meetingsToIcs } from "../../server/domain/ics";
import { listMeetingsForUser, userIdForCalendarToken } from "../../server/domain/meetings";
import { absoluteUrl } from "~/utils/urls.server";
import { stockholmToday } from "../../server/domain/time";
import { calendarYearEvents, yearDaysForUser, type YearEntry } from "../../server/domain/year-wheel";
import { translate } from "~/i18n";

/** An entry's words in the feed (Swedish, the councils' language, like the meetings' texts). */
function dayText(e: YearEntry): string {
  const sv = (k: Parameters<typeof translate>[1], vars?: Record<string, string>) => translate("sv", k, vars);
  if (e.kind === "followup") return sv("year.followupBefore", { title: e.title });
  if (e.kind === "adopted" || e.kind === "revision") return `${sv(`year.kind.${e.kind}`)}: ${sv("year.planOf", { year: e.title })}`;
  return `${sv(`year.kind.${e.kind}`)}: ${e.title}`;
}

/**
 * GET /feeds/:token/calendar.ics — the person's calendar feed: every published
 * meeting of every council they are active in. Calendar apps send no cookies, so
 * the secret token is the credential; an unknown or revoked token is a plain 404.
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const userId = await userIdForCalendarToken(context.db, params.token ?? "");
  if (!userId) return new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const meetings = await listMeetingsForUser(context.db, userId);
  const baseUrl = absoluteUrl(request, context, "");
  // The annual wheel's dates as all-day entries, where the person chose them (/settings).
  const days = (await calendarYearEvents(context.db, userId))
    ? (await yearDaysForUser(context.db, userId, stockholmToday())).map((e) => ({
        uid: `samsyn-year-${e.kind}-${e.council.slug}-${e.date}-${e.path.replace(/[^A-Za-z0-9-]/g, "")}`,
        date: e.date,
        summary: `${dayText(e)} (${e.council.name})`,
        url: `${baseUrl}/councils/${e.council.slug}/${e.path}`,
      }))
    : [];
  const ics = meetingsToIcs(meetings, { name: "Samsyn", baseUrl, days });
  return new Response(ics, { headers: { "Content-Type": "text/calendar; charset=utf-8", "Cache-Control": "private, no-store" } });
}
