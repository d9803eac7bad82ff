import type { LoaderFunctionArgs } from "@remix-run/node";
import { listMeetings } from "../../server/domain/meetings";
import { can } from "../../server/domain/permissions";
import { toStockholmIso } from "../../server/domain/time";
import { requireApiCouncil } from "~/utils/auth.server";

/** GET /api/v1/councils/:slug/meetings → [{id, title, start, end (ISO 8601 with Stockholm offset), status, icsUrl}] */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireApiCouncil(request, context, params.slug, "meeting:view");
  const meetings = await listMeetings(context.db, council.id, { includeDrafts: can(membership, "meeting:manage") });
  return Response.json(
    meetings.map((m) => ({
      id: m.id,
      title: m.title,
      start: toStockholmIso(m.starts_at),
      end: toStockholmIso(m.ends_at),
      status: m.status,
      location: m.location,
      icsUrl: m.status === "draft" ? null : `/councils/${council.slug}/meetings/${m.id}/calendar.ics`,
    })),
  );
}
