// The Yjs WebSocket endpoint, /yjs/<docName>, speaking the y-websocket protocol
// (y-protocols sync + awareness) so the stock `y-websocket` client works unchanged.
// This file only wires the parts together (docs/decisions/033-collab-server-in-parts.md):
//
//   messages.ts    the wire format: frames, close codes, limits
//   protocol.ts    one message of one connection: sync, accept/drop/refuse an update, presence rules
//   connection.ts  the upgrade: origin, session, rights, room, then the message loop
//   access.ts      rights: resolved on connect, re-resolved on every event that changes them
//   room.ts        a loaded document: append to the store, apply, fan out, compact, freeze
//   rooms.ts       the rooms of this node: load once, unload when idle
//   plan-projection.ts  a plan's relational projection and follow-up history, after the fan-out
//   doc-ops.ts     the server's own changes, freezing, current state (the domain's DocOps)
//   store.ts       the update store interface (sqlite-store.ts: SQLite; pg-store.ts: PostgreSQL, several nodes)
//   bus.ts         the fan-out bus to other nodes' rooms (LocalDocBus: one process; redis-bus.ts: several nodes)
//
// Every accepted update is appended to the store BEFORE it is applied and fanned
// out, so anything a client has seen is durable (kill -9 included). Read-only
// connections (observers, expired adjuncts, adopted plans) still receive sync, but
// their updates are dropped, counted and logged. See docs/plan-document.md and
// docs/decisions/006-collab-server.md.
import type { Db } from "../../db";
import type { LocalEventBus } from "../domain/events";
import { followRights } from "./access";
import { LocalDocBus, type DocBus } from "./bus";
import { acceptConnections } from "./connection";
import { docOps } from "./doc-ops";
import { CLOSE, LIMITS } from "./messages";
import type { CollabStats, RoomDeps } from "./room";
import { Rooms } from "./rooms";
import { docStoreFor, type DocStore } from "./store";

export { CLOSE, LIMITS };
export type { DocBus, DocStore };

export interface CollabOptions {
  db: Db;
  /** Domain events: rights are re-resolved on them, and the projection publishes through them. */
  bus?: LocalEventBus;
  sessionSecret: string;
  publicUrl: string | null;
  secure: boolean;
  store?: DocStore;
  /** The fan-out bus to other nodes' rooms of the same documents (default: in this process only). */
  docBus?: DocBus;
  /** How long a document with no connections stays in memory. */
  unloadAfterMs?: number;
  /** Compact the update log into a snapshot after this many appended updates. */
  compactEvery?: number;
  /** A plan's relational projection is written when the plan has been quiet this long (default 2 s)… */
  projectionDelayMs?: number;
  /** …and no later than this after the first change not yet written (default 10 s, at least projectionDelayMs). */
  projectionMaxDelayMs?: number;
  maxPayload?: number;
  /** A document's size limit in bytes (its stored state and updates); writes beyond it are refused. */
  maxDocBytes?: number;
  /** Per connection: bytes of updates per second it may write, and the burst it may write at once. */
  writeRate?: { bytesPerSecond: number; burstBytes: number };
}

export function initCollab(opts: CollabOptions) {
  const store = opts.store ?? docStoreFor(opts.db);
  const stats: CollabStats = { appended: 0, droppedWrites: 0, refusedWrites: 0, badMessages: 0, roomsLoaded: 0, roomsUnloaded: 0 };
  const deps: RoomDeps = {
    db: opts.db,
    store,
    bus: opts.docBus ?? new LocalDocBus(),
    events: opts.bus,
    compactEvery: opts.compactEvery ?? 500,
    // The projection's write holds the database connection (and, on SQLite, the event
    // loop) for a while: it waits for a pause in the typing, as Hocuspocus's
    // debounce/maxDebounce do for stores (decision 053, bench/README.md).
    projectionDelayMs: opts.projectionDelayMs ?? 2000,
    projectionMaxDelayMs: Math.max(opts.projectionDelayMs ?? 2000, opts.projectionMaxDelayMs ?? 10_000),
    stats,
  };
  const rooms = new Rooms(deps, opts.unloadAfterMs ?? 30_000);
  const rules = { maxDocBytes: opts.maxDocBytes ?? LIMITS.maxDocBytes, writeRate: opts.writeRate ?? LIMITS.writeRate, stats };
  const connections = acceptConnections({
    db: opts.db,
    sessionSecret: opts.sessionSecret,
    publicUrl: opts.publicUrl,
    secure: opts.secure,
    maxPayload: opts.maxPayload ?? LIMITS.maxPayload,
    rooms,
    rules,
    stats,
  });
  const unfollowRights = opts.bus && followRights(opts.db, opts.bus, rooms);
  const ops = docOps({ db: opts.db, store, rooms, events: opts.bus });

  return {
    handleUpgrade: connections.handleUpgrade,
    applyServerChange: ops.applyServerChange,
    currentState: ops.currentState,
    freeze: ops.freeze,
    stats: () => ({ ...stats, rooms: rooms.size }),
    /** Wait until every queued update is persisted and projections are written (tests, shutdown). */
    async flush() {
      for (const room of await rooms.all()) await room.settle();
    },
    /** For tests and benchmarks: the live room of a document, if loaded. */
    async roomDoc(docName: string) {
      return (await rooms.loaded(docName))?.doc;
    },
    /** Graceful shutdown: persist and project every document, then close. */
    async close() {
      unfollowRights?.();
      for (const room of await rooms.all()) {
        for (const c of room.conns.values()) c.ws.close(CLOSE.goingAway, "Server shutting down");
        room.conns.clear();
        rooms.keep(room);
        await rooms.unload(room);
      }
      await connections.close();
    },
  };
}

export type Collab = ReturnType<typeof initCollab>;
