// Reading a multipart upload without holding it in memory: the `file` part is
// streamed to a spool file (counted and hashed on the way, and no longer written
// once it passes the per-file limit), the other fields are small text. Express caps
// the whole body before it gets here (server/index.ts UPLOAD_PATH), so even a file
// past the limit is read to its end, and the person gets the message rather than
// a broken connection.
import { createHash, randomUUID } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { once } from "node:events";
import { data, unstable_parseMultipartFormData, type UploadHandler } from "@remix-run/node";
import type { StagedUpload } from "../../server/domain/attachments";

const MAX_FIELD_BYTES = 4096;

export interface ParsedUpload {
  fields: Record<string, string>;
  /** The `file` part, spooled; null when the form had none (or an empty file input). */
  upload: StagedUpload | null;
  /** Remove the spool file. Always call it (finally). */
  cleanup(): Promise<void>;
}

async function spool(dir: string, filename: string, body: AsyncIterable<Uint8Array>, maxBytes: number): Promise<StagedUpload> {
  await fs.promises.mkdir(dir, { recursive: true });
  const file = path.join(dir, randomUUID());
  const out = fs.createWriteStream(file, { flags: "wx" });
  const hash = createHash("sha256");
  let size = 0;
  let tooLarge = false;
  try {
    for await (const chunk of body) {
      size += chunk.length;
      if (tooLarge) continue; // read to the end, keep nothing
      if (size > maxBytes) {
        tooLarge = true;
        continue;
      }
      hash.update(chunk);
      if (!out.write(chunk)) await once(out, "drain");
    }
  } finally {
    out.end();
    await once(out, "close");
  }
  return { path: file, filename, size, sha256: hash.digest("hex"), tooLarge };
}

/** Parse `request` as multipart/form-data; 400 (error.badForm) when it is not. */
export async function parseUpload(request: Request, opts: { spoolDir: string; maxFileBytes: number }): Promise<ParsedUpload> {
  let upload: StagedUpload | null = null;
  const spooled: string[] = [];
  const handler: UploadHandler = async ({ name, filename, data: body }) => {
    if (filename !== undefined) {
      // Only the first `file` part counts; any other file part is read and dropped.
      if (name !== "file" || upload || !filename) {
        for await (const _ of body) void _;
        return null;
      }
      // Browsers escape a quote and line breaks in the name (WHATWG multipart/form-data encoding).
      const sent = filename.replace(/%22/g, '"').replace(/%0D/gi, "\r").replace(/%0A/gi, "\n");
      const staged = await spool(opts.spoolDir, sent, body, opts.maxFileBytes);
      spooled.push(staged.path);
      upload = staged;
      return filename;
    }
    let text = "";
    let bytes = 0;
    const decoder = new TextDecoder();
    for await (const chunk of body) {
      bytes += chunk.length;
      if (bytes <= MAX_FIELD_BYTES) text += decoder.decode(chunk, { stream: true });
    }
    if (bytes > MAX_FIELD_BYTES) throw data({ messageKey: "error.badForm" }, { status: 400 });
    return text + decoder.decode();
  };
  const cleanup = async () => {
    await Promise.all(spooled.map((f) => fs.promises.rm(f, { force: true })));
  };
  let form: FormData;
  try {
    if (!/^multipart\/form-data/i.test(request.headers.get("content-type") ?? "")) throw new Error("not multipart");
    form = await unstable_parseMultipartFormData(request, handler);
  } catch (err) {
    await cleanup();
    if (err instanceof Response || (typeof err === "object" && err !== null && "type" in err && (err as { type: string }).type === "DataWithResponseInit")) throw err;
    throw data({ messageKey: "error.badForm" }, { status: 400 });
  }
  const fields: Record<string, string> = {};
  for (const [k, v] of form.entries()) if (typeof v === "string" && k !== "file" && !(k in fields)) fields[k] = v;
  return { fields, upload, cleanup };
}
