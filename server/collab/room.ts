// A live document in memory: its Y.Doc and presence, its connections, and the
// one order (a SerialQueue) in which its updates are stored, fanned out and
// applied. An update is appended to the store BEFORE it is sent to anyone (kill
// -9 loses nothing a client has seen); its stored bytes go to the room's other
// connections at once, and only then is it applied here: integration, observers
// (the plan projection, the history), compaction all run after the fan-out,
// never between the append and it.
import * as awarenessProtocol from "y-protocols/awareness";
import type { WebSocket } from "ws";
import * as Y from "yjs";
import type { Db } from "../../db";
import type { LocalEventBus } from "../domain/events";
import { log } from "../log";
import type { BusMessage, DocBus, DocChannel } from "./bus";
import { awarenessMessage, CLOSE, syncUpdateMessage } from "./messages";
import { stockholmToday } from "../domain/time";
import { PlanProjection } from "./plan-projection";
import { fanOut, isConn, type Conn } from "./protocol";
import { SerialQueue } from "./queue";
import { resolveAccessAt } from "./access";
import { FrozenDocument, RightsChanged, type DocStore } from "./store";

/** Origin of updates and presence that came over the bus from another node's room. */
export const REMOTE = "remote";

/** A due compaction waits until no update has been appended for this long… */
const COMPACT_QUIET_MS = 1000;
/** …or until the log has grown to this many times `compactEvery`. */
const COMPACT_AT_MOST = 4;

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
  /** A plan's relational projection is written when the plan has been quiet this long… */
  projectionDelayMs: number;
  /** …and no later than this after the first change it has not written. */
  projectionMaxDelayMs: number;
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
  /**
   * Sequence number up to which every stored update is applied here (own appends
   * and other nodes'). With a gapless store, `ahead` holds those applied beyond it
   * (a bus message overtook a missing one); a gap is refilled from the store.
   */
  lastUpdateId = 0;
  private readonly ahead = new Set<number>();
  private refillTimer: NodeJS.Timeout | undefined;
  sinceCompact = 0;
  /** Stored size in bytes: the state at load or compaction, plus every update appended since. */
  bytes = 0;
  unloadTimer: NodeJS.Timeout | undefined;
  unloading = false;
  /** Set when the document is frozen (an adopted plan): every client write is dropped. */
  frozen = false;
  private compactScheduled = false;
  private compactTimer: NodeJS.Timeout | undefined;
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
      await room.channel.ready;
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
    // Bus messages that came while loading are applied already; the stored state covers the rest.
    this.markApplied(stored.lastUpdateId, true);
    this.sinceCompact = stored.updates.length - 1;
    this.bytes = stored.updates.reduce((n, u) => n + u.length, 0);

    if (this.planId) this.projection = new PlanProjection(this.doc, this.name, this.planId, { db: this.deps.db, events: this.deps.events, delayMs: this.deps.projectionDelayMs, maxDelayMs: this.deps.projectionMaxDelayMs, seq: () => this.lastUpdateId });
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
      fanOut(this.conns.values(), awarenessMessage(update));
      if (origin !== REMOTE) this.channel.publish({ type: "awareness", update });
    });
    this.deps.stats.roomsLoaded++;
    // Other nodes' rooms of this document answer with the presence they hold.
    this.channel.publish({ type: "awareness-query" });
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
    return this.appendShared(update, origin, userId);
  }

  /**
   * Append through a store that may be shared with other nodes. It refuses a
   * document frozen elsewhere (the write is dropped, and every later one), and a
   * writer whose rights were resolved before someone's rights changed: those are
   * resolved again, and the update is appended only if they still allow it.
   */
  private async appendShared(update: Uint8Array, origin: Conn | "server", userId: string | null): Promise<void> {
    for (;;) {
      try {
        const appended = await this.deps.store.append(this.name, update, userId, undefined, origin === "server" ? undefined : origin.accessEpoch);
        return this.applyAppended(update, origin, appended);
      } catch (err) {
        if (err instanceof FrozenDocument) {
          this.frozen = true;
          this.deps.stats.droppedWrites++;
          log.warn("dropped a write to a document frozen on another node", { doc: this.name, userId });
          return;
        }
        if (!(err instanceof RightsChanged) || origin === "server") throw err;
        const { access, epoch } = await resolveAccessAt(this.deps.db, origin.userId, this.name);
        if (!access) {
          origin.closing = true;
          origin.ws.close(CLOSE.forbidden, "Access revoked");
          return;
        }
        Object.assign(origin, { access, accessEpoch: epoch });
        if (!access.canWrite(stockholmToday())) {
          this.deps.stats.droppedWrites++;
          log.warn("dropped a write: the writer's rights changed on another node", { doc: this.name, userId, role: access.role });
          return;
        }
      }
    }
  }

  /**
   * An update durable in the store as `id`: send its stored bytes to this room's
   * other connections, then apply it here and tell the other nodes. Sending first
   * keeps Yjs's integration, the observers and the re-encoding of the doc's own
   * update event off the path between the append and what people see; clients
   * get exactly what the store holds (any update Yjs would hold back as pending,
   * they hold back too).
   */
  applyAppended(update: Uint8Array, origin: Conn | "server", id: number): void {
    this.markApplied(id, false);
    this.sinceCompact++;
    this.bytes += update.length;
    this.deps.stats.appended++;
    fanOut(this.conns.values(), syncUpdateMessage(update), origin === "server" ? undefined : origin);
    Y.applyUpdate(this.doc, update, origin);
    this.channel.publish({ type: "update", seq: id, update });
    if (this.sinceCompact >= this.deps.compactEvery) this.scheduleCompaction();
  }

  /**
   * `seq` is applied here. A gapless store's numbers say what is missing: a number
   * beyond the next one waits in `ahead` while the missing ones are refilled from
   * the store. A snapshot (`folded`) covers every number up to its own.
   */
  private markApplied(seq: number, folded: boolean): void {
    if (!this.deps.store.gapless || folded) {
      if (seq > this.lastUpdateId) this.lastUpdateId = seq;
      for (const n of this.ahead) if (n <= this.lastUpdateId) this.ahead.delete(n);
    } else if (seq === this.lastUpdateId + 1) {
      this.lastUpdateId = seq;
    } else if (seq > this.lastUpdateId) {
      this.ahead.add(seq);
    }
    while (this.ahead.delete(this.lastUpdateId + 1)) this.lastUpdateId++;
    if (this.ahead.size) this.refillSoon();
    else if (this.refillTimer) {
      clearTimeout(this.refillTimer);
      this.refillTimer = undefined;
    }
  }

  /** Whether stored update `seq` is already applied here. */
  private applied(seq: number): boolean {
    return this.deps.store.gapless && (seq <= this.lastUpdateId || this.ahead.has(seq));
  }

  /**
   * Apply a stored update that another node appended (or a snapshot covering
   * some), and send this room's connections what it added here: Yjs's update
   * event gives exactly that. The doc has no standing update listener, so Yjs
   * encodes nothing for the updates this room appends itself (sent as stored).
   */
  private applyStored(seq: number, update: Uint8Array, folded: boolean): void {
    if (!folded && this.applied(seq)) return;
    const relay = (added: Uint8Array) => fanOut(this.conns.values(), syncUpdateMessage(added));
    this.doc.on("update", relay);
    try {
      Y.applyUpdate(this.doc, update, REMOTE);
    } finally {
      this.doc.off("update", relay);
    }
    if (!folded) this.bytes += update.length;
    this.markApplied(seq, folded);
  }

  /**
   * A missing number usually arrives a moment later over the bus (two nodes'
   * messages cross); if not, it is read from the store, which has it.
   */
  private refillSoon(delayMs = 100): void {
    if (this.refillTimer || this.unloading) return;
    this.refillTimer = setTimeout(() => {
      this.refillTimer = undefined;
      if (this.ahead.size) void this.refill();
    }, delayMs);
    this.refillTimer.unref();
  }

  /** Read and apply every stored update after the last one applied here (a lost or late bus message). */
  async refill(): Promise<void> {
    if (this.unloading) return;
    try {
      for (const u of await this.deps.store.readSince(this.name, this.lastUpdateId)) this.applyStored(u.seq, u.update, u.folded ?? false);
    } catch (err) {
      log.error("refilling a document from the store failed", { doc: this.name, err: String(err) });
      this.refillSoon(1000);
    }
  }

  /** Another node's room stored an update or changed presence: apply it here, for this room's connections only. */
  private fromPeer(msg: BusMessage) {
    try {
      switch (msg.type) {
        case "update":
          this.applyStored(msg.seq, msg.update, false);
          break;
        case "awareness":
          awarenessProtocol.applyAwarenessUpdate(this.awareness, msg.update, REMOTE);
          break;
        case "awareness-query": {
          // A room just loaded on another node: tell it who is here.
          const mine = [...this.awarenessOwners].filter(([, owner]) => owner !== REMOTE).map(([id]) => id);
          if (mine.length) this.channel.publish({ type: "awareness", update: awarenessProtocol.encodeAwarenessUpdate(this.awareness, mine) });
          break;
        }
        case "resync":
          // The bus was cut off for a while: whatever it lost is in the store.
          void this.refill();
          break;
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
   * Compaction waits for a pause in the writing (COMPACT_QUIET_MS without an
   * append), as the projection does: it holds the database (on SQLite, the event
   * loop) for 1–5 ms, and every update arriving meanwhile would wait. A log that
   * keeps growing through the typing is compacted anyway at
   * COMPACT_AT_MOST × compactEvery updates. It runs in the room's queue (no update
   * slips between state and log id), queued from a later turn of the event loop,
   * so the update that triggered it and the messages already received go first.
   */
  private scheduleCompaction() {
    if (this.compactScheduled) return;
    if (this.sinceCompact < this.deps.compactEvery * COMPACT_AT_MOST) {
      if (this.compactTimer) this.compactTimer.refresh();
      else {
        this.compactTimer = setTimeout(() => {
          this.compactTimer = undefined;
          this.queueCompaction();
        }, COMPACT_QUIET_MS);
        this.compactTimer.unref();
      }
      return;
    }
    this.queueCompaction();
  }

  private queueCompaction() {
    clearTimeout(this.compactTimer);
    this.compactTimer = undefined;
    if (this.compactScheduled || this.unloading) return;
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
  async freeze(record: (state: Uint8Array, trx: Db) => Promise<void>): Promise<void> {
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
    clearTimeout(this.refillTimer);
    clearTimeout(this.compactTimer);
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
