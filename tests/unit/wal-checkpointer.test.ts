// WAL checkpoints in a worker thread (db/wal-checkpointer.ts, issue #14): the
// server's own connection no longer checkpoints between an append and its fan-out.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDb, sqliteHandle, type Db } from "../../db";
import { BACKSTOP_PAGES, startWalCheckpointer, type WalCheckpointer } from "../../db/wal-checkpointer";
import { SqliteDocStore } from "../../server/collab/sqlite-store";

const immediate = () => new Promise((r) => setImmediate(r));

describe("WAL checkpoints in a worker thread", () => {
  let db: Db | undefined;
  let checkpointer: WalCheckpointer | undefined;
  let dir: string | undefined;
  afterEach(async () => {
    await checkpointer?.close();
    await db?.destroy();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
    db = checkpointer = dir = undefined;
  });

  async function fileDb() {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-wal-"));
    const file = path.join(dir, "samsyn.db");
    db = openDb(`file:${file}`);
    await migrateToLatest(db);
    return file;
  }

  it("keeps the WAL small while the server's connection never checkpoints itself", async () => {
    const file = await fileDb();
    const sqlite = sqliteHandle(db!)!;
    checkpointer = startWalCheckpointer(db!);
    expect(checkpointer).toBeDefined();
    // The server's own automatic checkpoint is only a backstop now, far away.
    expect(sqlite.pragma("wal_autocheckpoint", { simple: true })).toBe(BACKSTOP_PAGES);

    const store = new SqliteDocStore(db!);
    const update = new Uint8Array(200).fill(7);
    // 3000 appends add ≈ 10 000 pages to the WAL: beyond the backstop, so without the
    // worker (asked every CHECKPOINT_AFTER_WRITES appends; its own timer is seconds
    // away) the file would be tens of MB before SQLite's own checkpoint.
    let maxWal = 0;
    for (let i = 0; i < 3000; i++) {
      expect(store.appendNow("doc:wal", update, null)).toBeTypeOf("number");
      if (i % 100 === 99) {
        // Whatever the store asked of the worker is done (on a busy machine it may lag).
        await checkpointer!.settled();
        maxWal = Math.max(maxWal, fs.statSync(`${file}-wal`).size);
      }
    }
    const result = await checkpointer!.checkpoint();
    expect(result.ok).toBe(true);
    expect(result.checkpointed).toBe(result.log);
    // Checkpointed WAL is reused from its start: it never grows near the backstop.
    expect(maxWal).toBeLessThan(BACKSTOP_PAGES * 4096 * 0.5);
    // Everything is in the database file and loads back.
    expect((await store.load("doc:wal")).updates).toHaveLength(3000);
  });

  it("hands the automatic checkpoint back when it stops", async () => {
    await fileDb();
    checkpointer = startWalCheckpointer(db!);
    await checkpointer!.close();
    await immediate();
    expect(sqliteHandle(db!)!.pragma("wal_autocheckpoint", { simple: true })).toBe(1000);
    expect((await checkpointer!.checkpoint()).ok).toBe(false);
  });

  it("is not started for an in-memory database", async () => {
    db = openDb(":memory:");
    expect(startWalCheckpointer(db)).toBeUndefined();
  });
});
