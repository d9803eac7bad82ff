import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMeetings } from "../../server/domain/meetings";
import { can } from "../../server/domain/permissions";
import { toStockholmIso } from "../../server/domain/time";
import { requireApiCouncil } from "~/utils/auth.server";

/** GET /api/v1/councils/:slug/meetings → [{id, title, start, end (ISO 8601 with Stockholm offset, null before a time poll decided), status, icsUrl}] */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireApiCouncil(request, context, params.slug, "meeting:view");
  const meetings = await listMeetings(context.db, council.id, { includeDrafts: can(membership, "meeting:manage") });
  return Response.json(
    meetings.map((m) => ({
      id: m.id,
      title: m.title,
      // null while a time poll is to decide the time.
      start: m.starts_at ? toStockholmIso(m.starts_at) : null,
      end: m.ends_at ? toStockholmIso(m.ends_at) : null,
      status: m.status,
      location: m.location,
      icsUrl: m.status === "draft" ? null : `/councils/${council.slug}/meetings/${m.id}/calendar.ics`,
    })),
  );
}
