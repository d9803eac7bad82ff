import type { LoaderFunctionArgs } from "@remix-run/node";
import { listAgenda, listParagraphs } from "../../server/domain/agenda";
import { listAttachments } from "../../server/domain/attachments";
import { minutesStatus } from "../../server/domain/publication";
import { toStockholmIso } from "../../server/domain/time";
import { attachmentUrl } from "~/utils/attachments.server";
import { requireApiMeeting } from "~/utils/auth.server";

/**
 * GET /api/v1/councils/:slug/meetings/:id → the meeting with its `agenda` (items in
 * order, clock times in ISO 8601 with the Stockholm offset, proposals included) and
 * its `attachments: [{id, name, size, type, agendaItemId, url}]`; once the minutes
 * are approved also `decisions: [{agendaItemId, paragraph, title, decision}]` (paragraph: the § number). The same rule as
 * the meeting page: 404 for a meeting the person does not see (a draft).
 */
export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, meeting } = await requireApiMeeting(request, context, params.slug, params.id, "view");
  const agenda = await listAgenda(context.db, meeting, membership);
  const approved = (await minutesStatus(context.db, meeting.id)) === "approved";
  const iso = (t: string | null) => (t ? toStockholmIso(t) : null);
  return Response.json({
    id: meeting.id,
    title: meeting.title,
    status: meeting.status,
    start: iso(meeting.starts_at),
    end: iso(meeting.ends_at),
    location: meeting.location,
    videoUrl: meeting.video_url,
    description: meeting.description,
    groupId: meeting.group_id,
    // The series this meeting is an occurrence of (decision 042), or null.
    seriesId: meeting.series_id,
    icsUrl: meeting.status === "draft" ? null : `/councils/${council.slug}/meetings/${meeting.id}/calendar.ics`,
    agenda: agenda
      .filter((i) => i.status !== "declined")
      .map((i) => ({ id: i.id, title: i.title, kind: i.kind, status: i.status, minutes: i.minutes, presenter: i.presenter, start: iso(i.startsAt), end: iso(i.endsAt) })),
    attachments: (await listAttachments(context.db, meeting.id)).map((a) => ({
      id: a.id,
      name: a.name,
      size: a.size,
      type: a.type,
      agendaItemId: a.agendaItemId,
      url: attachmentUrl(council.slug, { meeting_id: meeting.id, id: a.id }),
    })),
    ...(approved
      ? {
          decisions: (await listParagraphs(context.db, meeting, membership))
            .filter((p) => p.decision)
            .map((p) => ({ agendaItemId: p.id, paragraph: p.paragraph, title: p.title, decision: p.decision })),
        }
      : {}),
  });
}
