import type { LoaderFunctionArgs } from "@remix-run/node";
import { listRecordedDecisions } from "../../server/domain/agenda";
import { toStockholmIso } from "../../server/domain/time";
import { requireApiCouncil } from "~/utils/auth.server";

/**
 * GET /api/v1/councils/:slug/decisions → the decision register, newest meeting first:
 * [{id, meetingId, meetingTitle, date (ISO 8601 with the Stockholm offset), paragraph, title, decision, url}].
 * Observers get the decisions of approved minutes only (the one published rule).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireApiCouncil(request, context, params.slug, "meeting:view");
  const decisions = await listRecordedDecisions(context.db, council.id, membership);
  return Response.json(
    decisions.map((d) => ({
      id: d.id,
      meetingId: d.meetingId,
      meetingTitle: d.meetingTitle,
      date: toStockholmIso(d.startsAt),
      paragraph: d.paragraph,
      title: d.title,
      decision: d.decision,
      url: `/councils/${council.slug}/meetings/${d.meetingId}/minutes`,
    })),
  );
}
