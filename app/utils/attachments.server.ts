// What a meeting's documents look like to the outside: the JSON of one file, and
// the limits as the words of the messages say them (server/domain/attachments.ts).
import type { Attachment } from "../../db/schema";
import type { FileLimits } from "../../server/domain/attachments";

/** The download address of a file. */
export const attachmentUrl = (slug: string, a: { meeting_id: string; id: string }) => `/councils/${slug}/meetings/${a.meeting_id}/attachments/${a.id}`;

/** One file as the API and the upload's JSON answer give it. */
export function attachmentJson(slug: string, a: Pick<Attachment, "id" | "meeting_id" | "name" | "size" | "type" | "agenda_item_id">) {
  return { id: a.id, name: a.name, size: a.size, type: a.type, agendaItemId: a.agenda_item_id, url: attachmentUrl(slug, a) };
}

const MB = 1024 * 1024;

/** `{mb}` (per file) and `{total}` (per meeting), in whole megabytes where they are whole. */
export function attachmentLimitVars(limits: FileLimits): { mb: string; total: string } {
  const show = (bytes: number) => String(Math.round((bytes / MB) * 10) / 10).replace(".", ",");
  return { mb: show(limits.maxFileBytes), total: show(limits.maxMeetingBytes) };
}

/**
 * A resource route must throw plain Responses: Remix logs a thrown `data()` there as
 * a server error (see calendar.ics). The guards throw `data()` for the pages; here
 * their 400/403/404 become short plain-text answers, and anything else is rethrown.
 */
export function plainError(err: unknown): unknown {
  if (err instanceof Response) return err;
  const status = (err as { init?: ResponseInit | null } | null)?.init?.status;
  if (!status) return err;
  const text = status === 404 ? "Not found" : status === 403 ? "Forbidden" : "Bad request";
  return new Response(text, { status, headers: { "Content-Type": "text/plain; charset=utf-8" } });
}
