// A room folds its update log into a snapshot after `compactEvery` appends, but
// not while people are typing: it waits for a pause (a second without an append),
// unless the log has grown to four times `compactEvery` (server/collab/room.ts,
// decision 053). A real SQLite store; the log's length read from it.
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { LocalDocBus } from "../../server/collab/bus";
import { Room, type CollabStats } from "../../server/collab/room";
import { SqliteDocStore } from "../../server/collab/sqlite-store";

const DOC = "minutes:00000000-0000-4000-8000-000000000002";
const stats = (): CollabStats => ({ appended: 0, droppedWrites: 0, refusedWrites: 0, badMessages: 0, roomsLoaded: 0, roomsUnloaded: 0 });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("compaction waits for a pause in the writing", () => {
  let db: Db | undefined;
  let room: Room | undefined;
  afterEach(async () => {
    await room?.close();
    await db?.destroy();
    room = db = undefined;
  });

  async function open(compactEvery: number) {
    db = openDb(":memory:");
    await migrateToLatest(db);
    const store = new SqliteDocStore(db);
    room = await Room.load(DOC, null, { db, store, bus: new LocalDocBus(), compactEvery, projectionDelayMs: 2000, projectionMaxDelayMs: 10_000, stats: stats() });
    const writer = new Y.Doc();
    const text = writer.getText("t");
    const type = async (n: number, everyMs: number) => {
      for (let i = 0; i < n; i++) {
        const before = Y.encodeStateVector(writer);
        text.insert(text.length, "x");
        await room!.append(Y.encodeStateAsUpdate(writer, before), "server", null);
        if (everyMs) await sleep(everyMs);
      }
    };
    return { store, type, text };
  }

  it("not during typing at a human pace; once it pauses, the log is one snapshot with every keystroke", async () => {
    const { store, type, text } = await open(10);
    await type(25, 60); // 1.5 s of typing, well past compactEvery, never a second's pause
    expect(await store.pending(DOC)).toBe(25);
    await sleep(1300);
    expect(await store.pending(DOC)).toBe(0);
    const stored = new Y.Doc();
    for (const u of (await store.load(DOC)).updates) Y.applyUpdate(stored, u);
    expect(stored.getText("t").toString()).toBe(text.toString());
  });

  it("at four times compactEvery even without a pause", async () => {
    const { store, type } = await open(10);
    await type(35, 0); // due, under the cap: waits
    await sleep(50);
    expect(await store.pending(DOC)).toBe(35);
    await type(10, 0); // 45: past the cap, compacted in a later turn without waiting for a pause
    await sleep(50);
    expect(await store.pending(DOC)).toBe(0);
  });
});
