import type { LoaderFunctionArgs } from "@remix-run/node";
import { meetingsToIcs } from "../../server/domain/ics";
import { requireMeeting } from "~/utils/auth.server";
import { absoluteUrl } from "~/utils/urls.server";

const plain = (status: number) =>
  new Response(status === 404 ? "Not found" : "Forbidden", { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });

/** GET /councils/:slug/meetings/:id/calendar.ics — one meeting for the person's calendar. */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // A resource route must throw plain Responses: Remix logs a thrown `data()` here as a
  // server error and answers with a JSON "Unexpected Server Error" body.
  const { council, meeting } = await requireMeeting(request, context, params.slug, params.id, "view").catch((err: unknown) => {
    if (err instanceof Response) throw err;
    const status = (err as { init?: ResponseInit | null } | null)?.init?.status;
    throw status ? plain(status) : err;
  });
  // A draft has no calendar entry yet, even for those who see it.
  if (meeting.status === "draft") throw plain(404);
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
