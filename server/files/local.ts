// Files in a folder (default <DATA_DIR>/files): one node, or several sharing a network folder.
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import type { FileStore } from "./index";
import { checkKey } from "./key";

export class LocalFileStore implements FileStore {
  readonly kind = "local" as const;

  constructor(readonly dir: string) {}

  private pathOf(key: string): string {
    return path.join(this.dir, ...checkKey(key).split("/"));
  }

  async put(key: string, body: Readable | Buffer, meta: { size: number; type: string }): Promise<void> {
    const file = this.pathOf(key);
    await fs.promises.mkdir(path.dirname(file), { recursive: true });
    // Written beside the target, flushed, then renamed: a crash leaves the old file or the new one, never half of one.
    const tmp = `${file}.${randomBytes(6).toString("hex")}.part`;
    try {
      const out = fs.createWriteStream(tmp, { flags: "wx" });
      await pipeline(Buffer.isBuffer(body) ? Readable.from([body]) : body, out);
      const handle = await fs.promises.open(tmp, "r+");
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
      const { size } = await fs.promises.stat(tmp);
      if (size !== meta.size) throw new Error(`FileStore: wrote ${size} bytes for ${key}, expected ${meta.size}`);
      await fs.promises.rename(tmp, file);
    } catch (err) {
      await fs.promises.rm(tmp, { force: true });
      throw err;
    }
  }

  async get(key: string): Promise<Readable | null> {
    const file = this.pathOf(key);
    try {
      const handle = await fs.promises.open(file, "r");
      return handle.createReadStream();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === "ENOENT") return null;
      throw err;
    }
  }

  async delete(key: string): Promise<void> {
    await fs.promises.rm(this.pathOf(key), { force: true });
  }
}
