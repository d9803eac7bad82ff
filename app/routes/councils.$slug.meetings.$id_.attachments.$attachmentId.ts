// GET /councils/:slug/meetings/:id/attachments/:attachmentId — one of a meeting's
// documents, for those who see the meeting (requireMeeting: a draft's files are not
// there for anyone who may not see the draft: 404, as for an unknown id). Always a
// download (`Content-Disposition: attachment`) with the type sniffed at upload and
// `nosniff`, so that no file is ever rendered as a page of ours.
import { Readable } from "node:stream";
import type { LoaderFunctionArgs } from "@remix-run/node";
import { contentDisposition, getAttachment } from "../../server/domain/attachments";
import { plainError } from "~/utils/attachments.server";
import { requireMeeting } from "~/utils/auth.server";

const UUID = /^[0-9a-f-]{36}$/i;

const notFound = () => new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // A resource route throws plain Responses (a thrown `data()` is logged as a server error; see calendar.ics).
  const { meeting } = await requireMeeting(request, context, params.slug, params.id, "view").catch((err: unknown) => {
    throw plainError(err);
  });
  const file = UUID.test(params.attachmentId ?? "") ? await getAttachment(context.db, meeting.id, params.attachmentId!) : undefined;
  if (!file) throw notFound();
  const body = await context.files.store.get(file.storage_key);
  if (!body) throw notFound();
  return new Response(Readable.toWeb(body) as ReadableStream, {
    headers: {
      "Content-Type": file.type,
      "Content-Length": String(file.size),
      "Content-Disposition": contentDisposition(file.name),
      // X-Content-Type-Options: nosniff comes with every answer (helmet, server/index.ts).
      // Private: the file is for signed-in people who see the meeting, never for a shared cache.
      "Cache-Control": "private, no-cache",
      ETag: `"${file.sha256}"`,
      // Nothing inside the file runs as our page, even if a browser opened it.
      "Content-Security-Policy": "default-src 'none'; sandbox",
    },
  });
}
