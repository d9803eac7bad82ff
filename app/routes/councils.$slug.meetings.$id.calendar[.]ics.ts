import type { LoaderFunctionArgs } from "@remix-run/node";
import { getMeeting } from "../../server/domain/meetings";
import { meetingsToIcs } from "../../server/domain/ics";
import { notFound, requireCouncil } from "~/utils/auth.server";
import { absoluteUrl } from "~/utils/urls.server";

/** GET /councils/:slug/meetings/:id/calendar.ics — one meeting for the person's calendar. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "meeting:view");
  const meeting = /^[0-9a-f-]{36}$/i.test(params.id ?? "") ? await getMeeting(context.db, council.id, params.id!) : undefined;
  if (!meeting || meeting.status === "draft") throw notFound();
  const ics = meetingsToIcs([{ ...meeting, council_name: council.name, council_slug: council.slug }], {
    name: council.name,
    baseUrl: absoluteUrl(request, context, ""),
    method: "PUBLISH",
  });
  return new Response(ics, {
    headers: {
      "Content-Type": "text/calendar; charset=utf-8",
      "Content-Disposition": `attachment; filename="samsyn-${meeting.id}.ics"`,
      "Cache-Control": "private, no-store",
    },
  });
}
