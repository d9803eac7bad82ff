// Meeting documents (handlingar, issue #15): files attached to a meeting or to one of
// its agenda items. Who may attach follows who may change the agenda: those who
// manage the meeting (the process leaders, and a working group's convener for its
// meetings) attach to the meeting and to any item, in the phases that allow editing
// the agenda; a member attaches to their own proposals while proposing is open.
// Who may read follows the meeting itself (requireMeeting): a draft's files are
// for those who prepare it, a convened meeting's for everyone who sees it.
// The type is read from the content, never from the name or the browser's claim.
// docs/decisions/039-meeting-documents.md
import fs from "node:fs";
import { fileTypeFromFile } from "file-type";
import type { Db } from "../../db";
import type { Attachment } from "../../db/schema";
import type { FileStore } from "../files";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { recordAudit } from "./audit";
import { requireAllowed, withMeeting, type MeetingDoing } from "./meetings";
import { nowIso } from "./time";

/** The formats a meeting's documents may have, by the MIME type sniffed from their content; the value is the short name the UI shows. */
export const ATTACHMENT_TYPES: Record<string, string> = {
  "application/pdf": "PDF",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "DOCX",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "XLSX",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "PPTX",
  "application/vnd.oasis.opendocument.text": "ODT",
  "application/vnd.oasis.opendocument.spreadsheet": "ODS",
  "application/vnd.oasis.opendocument.presentation": "ODP",
  "image/png": "PNG",
  "image/jpeg": "JPEG",
  "image/gif": "GIF",
  "image/webp": "WEBP",
  "text/plain": "TXT",
  "text/csv": "CSV",
};

/** The extension a file of each type is saved with when its name has none. */
const EXTENSION: Record<string, string> = {
  "application/pdf": "pdf",
  "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
  "application/vnd.openxmlformats-officedocument.presentationml.presentation": "pptx",
  "application/vnd.oasis.opendocument.text": "odt",
  "application/vnd.oasis.opendocument.spreadsheet": "ods",
  "application/vnd.oasis.opendocument.presentation": "odp",
  "image/png": "png",
  "image/jpeg": "jpg",
  "image/gif": "gif",
  "image/webp": "webp",
  "text/plain": "txt",
  "text/csv": "csv",
};

/** An upload as the route spooled it to disk: its bytes were counted and hashed on the way. */
export interface StagedUpload {
  /** The spooled file (the caller removes it afterwards). */
  path: string;
  /** The name the browser sent. */
  filename: string;
  size: number;
  sha256: string;
  /** It ran past the per-file limit: what was spooled is only its beginning. */
  tooLarge: boolean;
}

export interface FileLimits {
  maxFileBytes: number;
  maxMeetingBytes: number;
}

/** What the person may do on the meeting (from meetingRights), and who they are. */
export interface AttachmentActor {
  userId: string;
  manage: boolean;
  propose: boolean;
}

const TEXT_SNIFF_BYTES = 64 * 1024;

/**
 * Plain text: no NUL and no control characters other than tab, line breaks and form
 * feed in the first 64 KB. That takes UTF-8 and the Windows-1252 an older Excel
 * writes its CSV in, and refuses programs and other binary formats (which are full
 * of NULs), whatever they are called.
 */
function looksLikeText(head: Buffer): boolean {
  if (head.length === 0) return false;
  for (const b of head) {
    if (b === 0x09 || b === 0x0a || b === 0x0c || b === 0x0d) continue;
    if (b < 0x20 || b === 0x7f) return false;
  }
  return true;
}

/** The MIME type of the spooled file from its content, or null when it is not a format we take. */
export async function sniffType(file: string, name: string): Promise<string | null> {
  const found = await fileTypeFromFile(file);
  if (found) return ATTACHMENT_TYPES[found.mime] ? found.mime : null;
  const handle = await fs.promises.open(file, "r");
  try {
    const head = Buffer.alloc(TEXT_SNIFF_BYTES);
    const { bytesRead } = await handle.read(head, 0, TEXT_SNIFF_BYTES, 0);
    if (!looksLikeText(head.subarray(0, bytesRead))) return null;
  } finally {
    await handle.close();
  }
  // Text is text: the name only tells a table (CSV) from prose.
  return /\.csv$/i.test(name) ? "text/csv" : "text/plain";
}

export const MAX_NAME_LENGTH = 200;

/**
 * A file name fit to show and to download as: the last part of a path (old browsers
 * send the whole path), no control characters or slashes, spaces collapsed, at most
 * 200 characters (the extension kept). Empty: null.
 */
export function cleanFileName(raw: string): string | null {
  const base = raw.normalize("NFC").split(/[\\/]/).pop() ?? "";
  // eslint-disable-next-line no-control-regex
  let name = base.replace(/[\u0000-\u001f\u007f-\u009f"<>|:*?]/g, "").replace(/\s+/g, " ").trim().replace(/^\.+/, "");
  if (!name) return null;
  if (name.length > MAX_NAME_LENGTH) {
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(name)?.[0] ?? "";
    name = name.slice(0, MAX_NAME_LENGTH - ext.length).trimEnd() + ext;
  }
  return name;
}

/** A name with the extension its type has, added when it has none of its own. */
function withExtension(name: string, type: string): string {
  return /\.[A-Za-z0-9]{1,8}$/.test(name) ? name : `${name}.${EXTENSION[type] ?? "bin"}`;
}

/**
 * Which of the meeting's steps (its phase's rule, meetingAllows) attaching to `item`
 * is for this person: changing the agenda for those who manage the meeting,
 * proposing for a member on their own proposal; null when it is not theirs at all.
 * For an existing file a member must also have uploaded it.
 */
export function attachmentDoing(
  actor: AttachmentActor,
  item: { proposed_by: string | null; status: string } | null,
  file?: { uploaded_by: string | null },
): MeetingDoing | null {
  if (actor.manage) return "editAgenda";
  const ownProposal = !!item && item.proposed_by === actor.userId && item.status !== "declined";
  if (actor.propose && ownProposal && (!file || file.uploaded_by === actor.userId)) return "propose";
  return null;
}

/** Whether the person may attach anything to this meeting at all (before reading an upload's body). */
export const mayAttachAny = (actor: AttachmentActor): boolean => actor.manage || actor.propose;

/** Refuse an upload that is not a file we take; returns its type. */
async function checkUpload(upload: StagedUpload | null, limits: FileLimits): Promise<{ upload: StagedUpload; type: string; name: string }> {
  if (!upload || !upload.filename) throw new DomainError("error.fileMissing", 400, "file");
  if (upload.tooLarge || upload.size > limits.maxFileBytes) throw new DomainError("error.fileTooLarge", 413, "file");
  if (upload.size === 0) throw new DomainError("error.fileEmpty", 400, "file");
  const name = cleanFileName(upload.filename) ?? "fil";
  const type = await sniffType(upload.path, name);
  if (!type) throw new DomainError("error.fileType", 415, "file");
  return { upload, type, name: withExtension(name, type) };
}

async function itemOf(trx: Db, meetingId: string, itemId: string | null) {
  if (!itemId) return null;
  const item = await trx.selectFrom("agenda_items").select(["id", "proposed_by", "status"]).where("id", "=", itemId).where("meeting_id", "=", meetingId).executeTakeFirst();
  if (!item) throw new DomainError("error.agendaItemNotFound", 404, "agendaItemId");
  return item;
}

/** The right and the phase, in one step: 403 if it is not theirs, the phase's own refusal (409) if not now. */
function requireAttachmentRight(m: Parameters<typeof requireAllowed>[0], doing: MeetingDoing | null, now: Date): void {
  if (!doing) throw new DomainError("error.attachmentForbidden", 403);
  requireAllowed(m, doing, now);
}

async function meetingBytes(trx: Db, meetingId: string, exceptId?: string): Promise<number> {
  let q = trx.selectFrom("attachments").select((eb) => eb.fn.sum<number>("size").as("n")).where("meeting_id", "=", meetingId);
  if (exceptId) q = q.where("id", "!=", exceptId);
  return Number((await q.executeTakeFirst())?.n ?? 0);
}

const storageKey = (meetingId: string) => `meetings/${meetingId}/${newId()}`;

/**
 * Attach an upload to a meeting (or one of its items). The bytes go to the store
 * first, under a new key, outside any transaction (an S3 upload must not hold the
 * meeting's row); then, holding the meeting (withMeeting), the right, the phase and
 * the meeting's total are checked and the row written. A refusal removes the bytes.
 */
export async function addAttachment(
  { db, events }: Deps,
  store: FileStore,
  limits: FileLimits,
  input: { councilId: string; meetingId: string; agendaItemId: string | null; actor: AttachmentActor; upload: StagedUpload | null },
  now = new Date(),
): Promise<Attachment> {
  const { upload, type, name } = await checkUpload(input.upload, limits);
  const key = storageKey(input.meetingId);
  await store.put(key, fs.createReadStream(upload.path), { size: upload.size, type });
  try {
    const row = await withMeeting(db, input, null, now, async (trx, m) => {
      const item = await itemOf(trx, m.id, input.agendaItemId);
      requireAttachmentRight(m, attachmentDoing(input.actor, item), now);
      if ((await meetingBytes(trx, m.id)) + upload.size > limits.maxMeetingBytes) throw new DomainError("error.meetingFilesFull", 413, "file");
      const row: Attachment = {
        id: newId(),
        meeting_id: m.id,
        agenda_item_id: item?.id ?? null,
        name,
        size: upload.size,
        type,
        storage_key: key,
        sha256: upload.sha256,
        uploaded_by: input.actor.userId,
        created_at: nowIso(now),
        updated_at: nowIso(now),
      };
      await trx.insertInto("attachments").values(row).execute();
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actor.userId, action: "attachment.added", subject: m.id, after: { id: row.id, name, size: row.size, sha256: row.sha256 } }, now);
      return row;
    });
    events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
    return row;
  } catch (err) {
    await store.delete(key).catch(() => {});
    throw err;
  }
}

/** The attachment and its item, held with the meeting; 404 when it is not this meeting's. */
async function heldAttachment(trx: Db, meetingId: string, attachmentId: string) {
  const file = await trx.selectFrom("attachments").selectAll().where("id", "=", attachmentId).where("meeting_id", "=", meetingId).executeTakeFirst();
  if (!file) throw new DomainError("error.attachmentNotFound", 404);
  // Its item, if it still has one (deleting an item leaves its files with the meeting).
  const item = file.agenda_item_id
    ? await trx.selectFrom("agenda_items").select(["id", "proposed_by", "status"]).where("id", "=", file.agenda_item_id).executeTakeFirst()
    : undefined;
  return { file, item: item ?? null };
}

type FileRef = { councilId: string; meetingId: string; attachmentId: string; actor: AttachmentActor };

/** Rename a file. A name without an extension keeps the file's own. */
export async function renameAttachment({ db, events }: Deps, input: FileRef & { name: string }, now = new Date()): Promise<Attachment> {
  const cleaned = cleanFileName(input.name);
  if (!cleaned || input.name.length > MAX_NAME_LENGTH * 2) throw new DomainError("error.fileName", 400, "name");
  const row = await withMeeting(db, input, null, now, async (trx, m) => {
    const { file, item } = await heldAttachment(trx, m.id, input.attachmentId);
    requireAttachmentRight(m, attachmentDoing(input.actor, item, file), now);
    const ext = /\.[A-Za-z0-9]{1,8}$/.exec(file.name)?.[0] ?? `.${EXTENSION[file.type] ?? "bin"}`;
    const name = /\.[A-Za-z0-9]{1,8}$/.test(cleaned) ? cleaned : `${cleaned}${ext}`;
    await trx.updateTable("attachments").set({ name, updated_at: nowIso(now) }).where("id", "=", file.id).execute();
    return { ...file, name, updated_at: nowIso(now) };
  });
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
  return row;
}

/** Replace a file's content (a new version): the new bytes under a new key, the old ones removed after commit. */
export async function replaceAttachment(
  { db, events }: Deps,
  store: FileStore,
  limits: FileLimits,
  input: FileRef & { upload: StagedUpload | null },
  now = new Date(),
): Promise<Attachment> {
  const { upload, type, name } = await checkUpload(input.upload, limits);
  const key = storageKey(input.meetingId);
  await store.put(key, fs.createReadStream(upload.path), { size: upload.size, type });
  let oldKey: string;
  let row: Attachment;
  try {
    ({ oldKey, row } = await withMeeting(db, input, null, now, async (trx, m) => {
      const { file, item } = await heldAttachment(trx, m.id, input.attachmentId);
      requireAttachmentRight(m, attachmentDoing(input.actor, item, file), now);
      if ((await meetingBytes(trx, m.id, file.id)) + upload.size > limits.maxMeetingBytes) throw new DomainError("error.meetingFilesFull", 413, "file");
      const changes = { name, size: upload.size, type, storage_key: key, sha256: upload.sha256, updated_at: nowIso(now) };
      await trx.updateTable("attachments").set(changes).where("id", "=", file.id).execute();
      await recordAudit(
        trx,
        {
          councilId: input.councilId,
          actorId: input.actor.userId,
          action: "attachment.replaced",
          subject: m.id,
          before: { id: file.id, name: file.name, size: file.size, sha256: file.sha256 },
          after: { id: file.id, name, size: upload.size, sha256: upload.sha256 },
        },
        now,
      );
      return { oldKey: file.storage_key, row: { ...file, ...changes } };
    }));
  } catch (err) {
    await store.delete(key).catch(() => {});
    throw err;
  }
  // After commit: a failed removal leaves an orphan in the store, never a row without its bytes.
  await store.delete(oldKey).catch(() => {});
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
  return row;
}

export async function deleteAttachment({ db, events }: Deps, store: FileStore, input: FileRef, now = new Date()): Promise<void> {
  const key = await withMeeting(db, input, null, now, async (trx, m) => {
    const { file, item } = await heldAttachment(trx, m.id, input.attachmentId);
    requireAttachmentRight(m, attachmentDoing(input.actor, item, file), now);
    await trx.deleteFrom("attachments").where("id", "=", file.id).execute();
    // Who removed which document (it is gone from the page): the council's log keeps it.
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actor.userId, action: "attachment.deleted", subject: m.id, before: { id: file.id, name: file.name, size: file.size, sha256: file.sha256 } }, now);
    return file.storage_key;
  });
  await store.delete(key).catch(() => {});
  events.publish({ type: "agenda.changed", councilId: input.councilId, meetingId: input.meetingId });
}

export interface AttachmentView {
  id: string;
  name: string;
  size: number;
  type: string;
  agendaItemId: string | null;
  uploadedBy: string | null;
  uploadedById: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A meeting's files, oldest first, with the uploader's name (null once anonymised). The caller has checked that the person sees the meeting. */
export async function listAttachments(db: Db, meetingId: string): Promise<AttachmentView[]> {
  return db
    .selectFrom("attachments as a")
    .leftJoin("users as u", (j) => j.onRef("u.id", "=", "a.uploaded_by").on("u.anonymised_at", "is", null))
    .select([
      "a.id",
      "a.name",
      "a.size",
      "a.type",
      "a.agenda_item_id as agendaItemId",
      "u.name as uploadedBy",
      "a.uploaded_by as uploadedById",
      "a.created_at as createdAt",
      "a.updated_at as updatedAt",
    ])
    .where("a.meeting_id", "=", meetingId)
    .orderBy("a.created_at")
    .orderBy("a.id")
    .execute();
}

/** One file of the meeting (the caller has checked that the person sees the meeting). */
export async function getAttachment(db: Db, meetingId: string, attachmentId: string): Promise<Attachment | undefined> {
  return db.selectFrom("attachments").selectAll().where("id", "=", attachmentId).where("meeting_id", "=", meetingId).executeTakeFirst();
}

/**
 * `Content-Disposition` (a download by default; `inline` for a PDF of ours to open in the browser) with the name in both forms browsers read: a
 * plain ASCII fallback (anything else, quotes and backslashes become "_") and the
 * exact name, percent-encoded UTF-8 (RFC 6266 / RFC 8187).
 */
export function contentDisposition(name: string, disposition: "attachment" | "inline" = "attachment"): string {
  const fallback = name.replace(/[^\x20-\x7e]|["\\%]/g, "_");
  const encoded = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${disposition}; filename="${fallback}"; filename*=UTF-8''${encoded}`;
}
