// GET /councils/:slug/meetings/:id/book.pdf — the meeting book (issue #15): the
// cover sheet, the agenda with clock times and each item followed by its PDF
// documents' pages. Read by whoever may read the meeting's documents: those who
// see the meeting (requireMeeting; a draft's only those who prepare it), else 404.
import { buffer } from "node:stream/consumers";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { meetingBookData } from "../../server/domain/meeting-pdfs";
import { meetingBookPdf } from "../../server/pdf/book";
import { plainError } from "~/utils/attachments.server";
import { requireMeeting } from "~/utils/auth.server";
import { pdfFileName, pdfResponse, pdfTexts } from "~/utils/pdf.server";

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, meeting } = await requireMeeting(request, context, params.slug, params.id, "view").catch((err: unknown) => {
    throw plainError(err);
  });
  const data = await meetingBookData(context.db, { councilName: council.name, meeting, viewer: membership });
  const bytes = await meetingBookPdf(data, pdfTexts(), async (key) => {
    const body = await context.files.store.get(key);
    return body ? buffer(body) : null;
  });
  return pdfResponse(bytes, pdfFileName("moteshandlingar", meeting.title, meeting.starts_at));
}
