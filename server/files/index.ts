// Where the bytes of uploaded files live (meeting documents, issue #15). A small
// interface with two implementations: a folder under DATA_DIR (one node) and an
// S3-compatible bucket (several nodes: a file is never on one node's disk only).
// The database row says what a file is; the store only keeps bytes under a key.
// docs/decisions/039-meeting-documents.md
import fs from "node:fs";
import path from "node:path";
import type { Readable } from "node:stream";
import type { FilesConfig } from "../config";
import { LocalFileStore } from "./local";
import { S3FileStore } from "./s3";

export { checkKey } from "./key";

export interface FileStore {
  /** Which kind of store (logs, health). */
  readonly kind: "local" | "s3";
  /** Store `size` bytes under `key`, replacing what was there. Resolves once they are durable. */
  put(key: string, body: Readable | Buffer, meta: { size: number; type: string }): Promise<void>;
  /** The bytes under `key` as a stream, or null when there is nothing under it. */
  get(key: string): Promise<Readable | null>;
  /** Remove `key`; nothing under it is not an error. */
  delete(key: string): Promise<void>;
}

/** The store FILES_* configure: S3 when a bucket is named, else the folder. */
export function createFileStore(config: FilesConfig): FileStore {
  return config.s3 ? new S3FileStore(config.s3) : new LocalFileStore(config.dir);
}

/**
 * Remove spooled uploads left behind (a process that died in the middle of one).
 * Only files older than `olderThanMs`: on a folder several nodes share, another
 * node's upload in progress is younger than that. Best effort, at start.
 */
export async function sweepSpool(dir: string, olderThanMs: number, now = Date.now()): Promise<number> {
  let removed = 0;
  let names: string[];
  try {
    names = await fs.promises.readdir(dir);
  } catch {
    return 0; // no spool folder yet
  }
  for (const name of names) {
    const file = path.join(dir, name);
    try {
      const st = await fs.promises.stat(file);
      if (st.isFile() && now - st.mtimeMs > olderThanMs) {
        await fs.promises.rm(file, { force: true });
        removed++;
      }
    } catch {
      // gone meanwhile
    }
  }
  return removed;
}
