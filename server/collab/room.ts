// A live document in memory: its Y.Doc and presence, its connections, and the
// one order (a SerialQueue) in which its updates are stored, applied and fanned
// out. An update is appended to the store BEFORE it is applied and sent to
// anyone (kill -9 loses nothing a client has seen); compaction, the plan
// projection and the history run after the fan-out, never between.
import * as awarenessProtocol from "y-protocols/awareness";
import type { WebSocket } from "ws";
import * as Y from "yjs";
import type { Db } from "../../db";
import type { LocalEventBus } from "../domain/events";
import { log } from "../log";
import type { BusMessage, DocBus, DocChannel } from "./bus";
import { awarenessMessage, syncUpdateMessage } from "./messages";
import { PlanProjection } from "./plan-projection";
import { isConn, send, type Conn } from "./protocol";
import { SerialQueue } from "./queue";
import type { DocStore } from "./store";

/** Origin of updates and presence that came over the bus from another node's room. */
export const REMOTE = "remote";

export interface CollabStats {
  appended: number;
  droppedWrites: number;
  refusedWrites: number;
  badMessages: number;
  roomsLoaded: number;
  roomsUnloaded: number;
}

export interface RoomDeps {
  db: Db;
  store: DocStore;
  bus: DocBus;
  events?: LocalEventBus;
  /** Compact the update log into a snapshot after this many appended updates. */
  compactEvery: number;
  /** Debounce for refreshing the relational projection of a plan. */
  projectionDelayMs: number;
  stats: CollabStats;
}

export class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Map<WebSocket, Conn>();
  /** Serialises persistence and application of updates, in arrival order. */
  readonly queue = new SerialQueue();
  /** Which connection announced each awareness client id (only it may update it); REMOTE for another node's. */
  readonly awarenessOwners = new Map<number, Conn | typeof REMOTE>();
  /** Plans keep a relational projection; other documents have none. */
  projection: PlanProjection | undefined;
  lastUpdateId = 0;
  sinceCompact = 0;
  /** Stored size in bytes: the state at load or compaction, plus every update appended since. */
  bytes = 0;
  unloadTimer: NodeJS.Timeout | undefined;
  unloading = false;
  /** Set when the document is frozen (an adopted plan): every client write is dropped. */
  frozen = false;
  private compactScheduled = false;
  private readonly channel: DocChannel;

  private constructor(
    readonly name: string,
    readonly planId: string | null,
    private readonly deps: RoomDeps,
  ) {
    this.awareness.setLocalState(null); // the server itself has no presence
    // Join the document's channel before loading, so nothing published meanwhile is missed.
    this.channel = deps.bus.join(name, (msg) => this.fromPeer(msg));
  }

  /** Load a document from the store. Nothing is sent to anyone before it is applied. */
  static async load(name: string, planId: string | null, deps: RoomDeps): Promise<Room> {
    const room = new Room(name, planId, deps);
    try {
      await room.loadStored();
    } catch (err) {
      room.channel.leave();
      room.doc.destroy();
      throw err;
    }
    return room;
  }

  private async loadStored() {
    const stored = await this.deps.store.load(this.name);
    Y.transact(
      this.doc,
      () => {
        for (const u of stored.updates) {
          try {
            Y.applyUpdate(this.doc, u, "load");
          } catch (err) {
            // An update that could not be applied was never applied or sent anywhere.
            log.error("skipping an unreadable stored update", { doc: this.name, err: String(err) });
          }
        }
      },
      "load",
    );
    this.lastUpdateId = stored.lastUpdateId;
    this.sinceCompact = stored.updates.length - 1;
    this.bytes = stored.updates.reduce((n, u) => n + u.length, 0);

    if (this.planId) this.projection = new PlanProjection(this.doc, this.name, this.planId, { db: this.deps.db, events: this.deps.events, delayMs: this.deps.projectionDelayMs });
    this.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "load") return;
      const msg = syncUpdateMessage(update);
      for (const c of this.conns.values()) if (c !== origin) send(c, msg);
    });
    this.awareness.on("update", ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
      const changed = [...added, ...updated, ...removed];
      const owner = isConn(origin) ? origin : origin === REMOTE ? REMOTE : undefined;
      if (owner) {
        for (const id of [...added, ...updated]) {
          if (owner !== REMOTE) owner.awarenessIds.add(id);
          this.awarenessOwners.set(id, owner);
        }
        for (const id of removed) {
          if (owner !== REMOTE) owner.awarenessIds.delete(id);
          this.awarenessOwners.delete(id);
        }
      }
      const update = awarenessProtocol.encodeAwarenessUpdate(this.awareness, changed);
      const msg = awarenessMessage(update);
      for (const c of this.conns.values()) send(c, msg);
      if (origin !== REMOTE) this.channel.publish({ type: "awareness", update });
    });
    this.deps.stats.roomsLoaded++;
  }

  /**
   * Append an accepted update to the store, then apply it to the doc, whose
   * `update` event fans it out. Synchronous when the store can append at once;
   * nothing else of the room runs between the append and the fan-out either way
   * (the room's queue holds back its other work until this is done).
   */
  append(update: Uint8Array, origin: Conn | "server", userId: string | null): void | Promise<void> {
    const id = this.deps.store.appendNow?.(this.name, update, userId);
    if (id !== undefined) return this.applyAppended(update, origin, id);
    return this.deps.store.append(this.name, update, userId).then((appended) => this.applyAppended(update, origin, appended));
  }

  /** An update durable in the store as `id`: apply it (fan-out to this room's connections), then tell the other nodes. */
  applyAppended(update: Uint8Array, origin: Conn | "server", id: number): void {
    this.lastUpdateId = id;
    this.sinceCompact++;
    this.bytes += update.length;
    this.deps.stats.appended++;
    Y.applyUpdate(this.doc, update, origin);
    this.channel.publish({ type: "update", seq: id, update });
    if (this.sinceCompact >= this.deps.compactEvery) this.scheduleCompaction();
  }

  /** Another node's room stored an update or changed presence: apply it here, for this room's connections only. */
  private fromPeer(msg: BusMessage) {
    try {
      if (msg.type === "update") {
        Y.applyUpdate(this.doc, msg.update, REMOTE);
        this.bytes += msg.update.length;
      } else {
        awarenessProtocol.applyAwarenessUpdate(this.awareness, msg.update, REMOTE);
      }
    } catch (err) {
      log.error("applying a message from the bus failed", { doc: this.name, type: msg.type, err: String(err) });
    }
  }

  /** Fold the room's state into one snapshot, up to the last update it appended. */
  async compact(): Promise<void> {
    if (this.sinceCompact <= 0) return;
    const state = Y.encodeStateAsUpdate(this.doc);
    await this.deps.store.compact(this.name, state, this.lastUpdateId);
    this.sinceCompact = 0;
    this.bytes = state.length;
  }

  /**
   * Compaction runs in the room's queue (no update slips between state and log
   * id), queued from a later turn of the event loop, so the update that triggered
   * it and the messages already received go first.
   */
  private scheduleCompaction() {
    if (this.compactScheduled) return;
    this.compactScheduled = true;
    setImmediate(() =>
      this.queue.push(
        () => {
          this.compactScheduled = false;
          return this.compact();
        },
        (err) => log.error("compaction failed", { doc: this.name, err: String(err) }),
      ),
    );
  }

  /** Write a plan's projection now if it changed. */
  project(): Promise<void> {
    return this.projection?.project() ?? Promise.resolve();
  }

  /**
   * Freeze the document: `record` gets its exact current state inside the room's
   * queue (no update can slip in between) and records the freeze; from then on
   * every client write is dropped.
   */
  async freeze(record: (state: Uint8Array) => Promise<void>): Promise<void> {
    await this.queue.run(async () => {
      await this.deps.store.freeze(this.name, () => Y.encodeStateAsUpdate(this.doc), record);
      this.frozen = true;
    });
    await this.project();
  }

  /** Every queued update stored, the projection and history written. */
  async settle(): Promise<void> {
    await this.queue.idle();
    await this.project();
    await this.projection?.history;
  }

  /** Leave memory: settle, fold the log, and let go of the doc. The store already holds every update. */
  async close(): Promise<void> {
    this.unloading = true;
    this.channel.leave();
    try {
      await this.queue.idle();
      await this.compact();
      await this.project();
      await this.projection?.history;
    } catch (err) {
      log.error("flushing a document on unload failed; its update log is intact", { doc: this.name, err: String(err) });
    } finally {
      this.doc.destroy();
      this.deps.stats.roomsUnloaded++;
    }
  }
}
