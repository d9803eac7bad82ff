// POST /councils/:slug/meetings/:id/attachments — a meeting's documents (handlingar,
// issue #15): upload (multipart: `file`, optional `agendaItemId`), and as `intent`s
// rename, replace and delete. A form (no script needed) is answered with a redirect
// back to the meeting page, which says what happened, or what was refused and why
// (Post/Redirect/Get: a resource route cannot render the page itself); a client that
// asks for JSON (`Accept: application/json`) gets 201/200/204, or the 4xx with the
// message in its language. docs/decisions/039-meeting-documents.md
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  addAttachment,
  deleteAttachment,
  mayAttachAny,
  renameAttachment,
  replaceAttachment,
  type AttachmentActor,
} from "../../server/domain/attachments";
import { DomainError } from "../../server/domain/errors";
import { translate } from "~/i18n";
import { attachmentJson, attachmentLimitVars, plainError } from "~/utils/attachments.server";
import { requireApiMeeting, requireMeeting } from "~/utils/auth.server";
import { readForm } from "~/utils/forms.server";
import { getLocale } from "~/utils/locale.server";
import { parseUpload, type ParsedUpload } from "~/utils/uploads.server";

const UUID = /^[0-9a-f-]{36}$/i;

/** A GET of the upload address (a reload after a refused upload): the meeting's documents. */
export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/councils/${params.slug}/meetings/${params.id}#handlingar`);
}

const wantsJson = (request: Request) => /application\/json/i.test(request.headers.get("accept") ?? "") && !/text\/html/i.test(request.headers.get("accept") ?? "");

/** Read the rest of a body we refuse without reading, so that the client gets the answer rather than a reset. */
async function drain(request: Request) {
  try {
    if (request.body) for await (const _ of request.body as unknown as AsyncIterable<Uint8Array>) void _;
  } catch {
    // the client went away
  }
}

export async function action(args: ActionFunctionArgs) {
  return handle(args).catch((err: unknown) => {
    throw plainError(err);
  });
}

async function handle({ request, context, params }: ActionFunctionArgs) {
  const json = wantsJson(request);
  // The meeting's own guard: 404 for a meeting the person does not see (a draft), whatever they send.
  const { council, user, meeting, rights } = json
    ? await requireApiMeeting(request, context, params.slug, params.id, "view")
    : await requireMeeting(request, context, params.slug, params.id, "view");
  const actor: AttachmentActor = { userId: user.id, manage: rights.manage, propose: rights.propose };
  const back = `/councils/${council.slug}/meetings/${meeting.id}`;
  const locale = getLocale(request);
  const { store, maxFileBytes, maxMeetingBytes, spoolDir } = context.files;
  const limits = { maxFileBytes, maxMeetingBytes };
  const deps = { db: context.db, events: context.events };
  const ref = { councilId: council.id, meetingId: meeting.id, actor };

  let intent = "upload";
  let attachmentId = "";
  const refuse = (err: DomainError) => {
    if (json) {
      return Response.json({ error: err.code, message: translate(locale, err.code, attachmentLimitVars(limits)) }, { status: err.status });
    }
    const q = new URLSearchParams({ attachmentError: err.code, attachmentIntent: intent, ...(attachmentId ? { attachmentId } : {}) });
    return redirect(`${back}?${q}#handlingar`, 303);
  };
  const done = (what: string, body: unknown, status: number) => {
    if (json) return status === 204 ? new Response(null, { status }) : Response.json(body, { status });
    return redirect(`${back}?${new URLSearchParams({ attachmentDone: what })}#handlingar`, 303);
  };

  // Observers (and anyone else who may attach nothing here) are refused before the body is read.
  if (!mayAttachAny(actor)) {
    await drain(request);
    return refuse(new DomainError("error.attachmentForbidden", 403));
  }

  let parsed: ParsedUpload;
  if (/^multipart\/form-data/i.test(request.headers.get("content-type") ?? "")) {
    parsed = await parseUpload(request, { spoolDir, maxFileBytes });
  } else {
    parsed = { fields: await readForm(request), upload: null, cleanup: async () => {} };
  }
  try {
    const f = parsed.fields;
    intent = f.intent || "upload";
    attachmentId = UUID.test(f.attachmentId ?? "") ? f.attachmentId : "";
    switch (intent) {
      case "upload": {
        const itemId = f.agendaItemId ?? "";
        if (itemId && !UUID.test(itemId)) throw new DomainError("error.agendaItemNotFound", 404, "agendaItemId");
        const row = await addAttachment(deps, store, limits, { ...ref, agendaItemId: itemId || null, upload: parsed.upload });
        return done("added", attachmentJson(council.slug, row), 201);
      }
      case "rename":
      case "replace":
      case "delete": {
        if (!attachmentId) throw new DomainError("error.attachmentNotFound", 404);
        const fileRef = { ...ref, attachmentId };
        if (intent === "rename") {
          const row = await renameAttachment(deps, { ...fileRef, name: f.name ?? "" });
          return done("renamed", attachmentJson(council.slug, row), 200);
        }
        if (intent === "replace") {
          const row = await replaceAttachment(deps, store, limits, { ...fileRef, upload: parsed.upload });
          return done("replaced", attachmentJson(council.slug, row), 200);
        }
        await deleteAttachment(deps, store, fileRef);
        return done("deleted", null, 204);
      }
      default:
        throw new DomainError("error.unknownIntent", 400);
    }
  } catch (err) {
    if (err instanceof DomainError) return refuse(err);
    throw err;
  } finally {
    await parsed.cleanup();
  }
}
