// The seams several nodes will use (server/collab/room.ts, bus.ts, store.ts): two
// rooms of one document over one store and one bus stand for two nodes. An update
// reaches the other room only after it is durable, is stored once, and presence
// from the other room cannot be taken over by a local connection.
import * as awarenessProtocol from "y-protocols/awareness";
import * as Y from "yjs";
import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { LocalDocBus, type BusMessage } from "../../server/collab/bus";
import { REMOTE, Room, type CollabStats, type RoomDeps } from "../../server/collab/room";
import { SqliteDocStore } from "../../server/collab/sqlite-store";

const DOC = "minutes:00000000-0000-4000-8000-000000000001";
const stats = (): CollabStats => ({ appended: 0, droppedWrites: 0, refusedWrites: 0, badMessages: 0, roomsLoaded: 0, roomsUnloaded: 0 });
const tick = () => new Promise((r) => setTimeout(r, 0));

describe("the fan-out bus between rooms", () => {
  let db: Db | undefined;
  const rooms: Room[] = [];
  afterEach(async () => {
    for (const r of rooms.splice(0)) await r.close();
    await db?.destroy();
    db = undefined;
  });

  async function twoNodes() {
    db = openDb(":memory:");
    await migrateToLatest(db);
    const store = new SqliteDocStore(db);
    const bus = new LocalDocBus();
    const deps = (): RoomDeps => ({ db: db!, store, bus, compactEvery: 500, projectionDelayMs: 2000, projectionMaxDelayMs: 10_000, stats: stats() });
    const a = await Room.load(DOC, null, deps());
    const b = await Room.load(DOC, null, deps());
    rooms.push(a, b);
    return { store, bus, a, b };
  }

  const edit = (text: string) => {
    const d = new Y.Doc();
    d.getText("t").insert(0, text);
    return Y.encodeStateAsUpdate(d);
  };

  it("carries an update to the other room with its sequence number in the store, and stores it once", async () => {
    const { store, bus, a, b } = await twoNodes();
    const seqs: number[] = [];
    const probe = bus.join(DOC, (msg: BusMessage) => msg.type === "update" && seqs.push(msg.seq));
    await a.append(edit("från nod A"), "server", null);
    await tick();
    expect(b.doc.getText("t").toString()).toBe("från nod A");
    const rows = await store.readSince(DOC, 0);
    expect(rows.length).toBe(1); // b applied it without appending it again
    expect(seqs).toEqual([rows[0].seq]);
    expect(a.lastUpdateId).toBe(rows[0].seq);
    // A room that missed the message refills from the store.
    const late = new Y.Doc();
    for (const r of await store.readSince(DOC, 0)) Y.applyUpdate(late, r.update);
    expect(late.getText("t").toString()).toBe("från nod A");
    probe.leave();
  });

  it("never returns a message to its publisher, and stops at leave", async () => {
    const bus = new LocalDocBus();
    const got: string[] = [];
    const x = bus.join(DOC, () => got.push("x"));
    const y = bus.join(DOC, () => got.push("y"));
    x.publish({ type: "awareness", update: new Uint8Array([0]) });
    await tick();
    expect(got).toEqual(["y"]);
    y.leave();
    x.publish({ type: "awareness", update: new Uint8Array([0]) });
    await tick();
    expect(got).toEqual(["y"]);
    x.leave();
  });

  it("brings presence from the other room, owned by that room: no local connection may speak for it", async () => {
    const { a, b } = await twoNodes();
    const client = new Y.Doc();
    const awareness = new awarenessProtocol.Awareness(client);
    awareness.setLocalState({ user: { id: "u1", name: "Karin" } });
    awarenessProtocol.applyAwarenessUpdate(a.awareness, awarenessProtocol.encodeAwarenessUpdate(awareness, [client.clientID]), null);
    await tick();
    expect(b.awareness.getStates().get(client.clientID)).toEqual({ user: { id: "u1", name: "Karin" } });
    expect(b.awarenessOwners.get(client.clientID)).toBe(REMOTE);
    // What b received it does not send back: a still has exactly one state, unchanged.
    expect(a.awareness.getStates().get(client.clientID)).toEqual({ user: { id: "u1", name: "Karin" } });
    expect(a.awarenessOwners.has(client.clientID)).toBe(false);
    awareness.destroy();
    client.destroy();
  });
});
