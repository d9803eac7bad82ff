// A room sends an appended update on before applying it, and applies the updates
// that arrived together once all of them are sent on (server/collab/room.ts,
// decision 053): the second of two updates in one turn of the event loop does not
// wait for the first one's integration. Whoever reads the room's `doc` gets every
// update appended so far applied, in order, each with its own origin.
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { LocalDocBus } from "../../server/collab/bus";
import { Room, type CollabStats } from "../../server/collab/room";
import { SqliteDocStore } from "../../server/collab/sqlite-store";

const DOC = "minutes:00000000-0000-4000-8000-000000000003";
const stats = (): CollabStats => ({ appended: 0, droppedWrites: 0, refusedWrites: 0, badMessages: 0, roomsLoaded: 0, roomsUnloaded: 0 });

describe("updates that arrive together are sent on before they are applied", () => {
  let db: Db | undefined;
  let room: Room | undefined;
  afterEach(async () => {
    await room?.close();
    await db?.destroy();
    room = db = undefined;
  });

  async function setUp() {
    db = openDb(":memory:");
    await migrateToLatest(db);
    room = await Room.load(DOC, null, { db, store: new SqliteDocStore(db), bus: new LocalDocBus(), compactEvery: 500, projectionDelayMs: 2000, projectionMaxDelayMs: 10_000, stats: stats() });
    const writer = new Y.Doc();
    const edit = (text: string) => {
      const before = Y.encodeStateVector(writer);
      writer.getText("t").insert(writer.getText("t").length, text);
      return Y.encodeStateAsUpdate(writer, before);
    };
    return { room, edit };
  }

  it("applies them at the end of the turn, in order, each with its origin", async () => {
    const { room, edit } = await setUp();
    const origins: unknown[] = [];
    room.docSoFar.on("afterTransaction", (tr: Y.Transaction) => origins.push(tr.origin));
    room.append(edit("ett "), "server", null);
    room.append(edit("två"), "server", null);
    // Both stored and sent; neither applied yet in this turn.
    expect(room.docSoFar.getText("t").toString()).toBe("");
    await new Promise((r) => setImmediate(r));
    expect(room.docSoFar.getText("t").toString()).toBe("ett två");
    expect(origins).toEqual(["server", "server"]);
  });

  it("applies them at once for anyone who reads the doc", async () => {
    const { room, edit } = await setUp();
    room.append(edit("tre"), "server", null);
    expect(room.doc.getText("t").toString()).toBe("tre");
    expect(room.docSoFar.getText("t").toString()).toBe("tre");
    // A compaction in the same turn folds it: the snapshot holds it.
    await room.compact();
    const { updates } = await new SqliteDocStore(db!).load(DOC);
    const stored = new Y.Doc();
    for (const u of updates) Y.applyUpdate(stored, u);
    expect(stored.getText("t").toString()).toBe("tre");
  });
});
