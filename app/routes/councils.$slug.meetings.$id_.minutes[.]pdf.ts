// GET /councils/:slug/meetings/:id/minutes.pdf — the minutes as an accessible
// (tagged) PDF (issue #15). The meeting guard (requireMeeting) first, as for the
// minutes page; then the minutes' own rule (readsMinutesPdf: the published rule of
// publication.ts, and before approval only those who write this meeting's
// minutes). Anyone else gets 404, the same answer as for a meeting they do not see.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { minutesPdfData } from "../../server/domain/meeting-pdfs";
import { minutesDocName } from "../../server/domain/minutes";
import { minutesPdf } from "../../server/pdf/minutes";
import { plainError } from "~/utils/attachments.server";
import { requireMeeting } from "~/utils/auth.server";
import { pdfFileName, pdfResponse, pdfTexts } from "~/utils/pdf.server";

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // A resource route throws plain Responses (a thrown `data()` is logged as a server error; see calendar.ics).
  const { council, membership, meeting, rights } = await requireMeeting(request, context, params.slug, params.id, "view").catch((err: unknown) => {
    throw plainError(err);
  });
  const data = await minutesPdfData(context.db, {
    councilName: council.name,
    meeting,
    viewer: membership,
    editMinutes: rights.editMinutes,
    liveState: () => context.collab.currentState(minutesDocName(meeting.id)),
  });
  if (!data) throw notFound();
  const bytes = await minutesPdf(data, pdfTexts());
  return pdfResponse(bytes, pdfFileName("protokoll", meeting.title, meeting.starts_at));
}
