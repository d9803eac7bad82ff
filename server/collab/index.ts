// The Yjs WebSocket endpoint, /yjs/<docName>, speaking the y-websocket protocol
// (y-protocols sync + awareness) so the stock `y-websocket` client works unchanged.
//
// Order of events for a connection: same-origin check → session cookie → the
// person's right to the document → the document loaded from storage (never sync
// before that) → sync. Every accepted update is appended to the update log in
// SQLite BEFORE it is applied and fanned out, so anything a client has seen is
// durable (kill -9 included). Read-only connections (observers, expired adjuncts,
// adopted plans) still receive sync, but their updates are dropped, counted and
// logged. See docs/plan-document.md and docs/decisions/006-collab-server.md.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import * as Y from "yjs";
import { WebSocketServer, type WebSocket, type RawData } from "ws";
import type { Db } from "../../db";
import { getSessionUser, sessionIdOf } from "../auth/session";
import type { LocalEventBus } from "../domain/events";
import { recordFollowup } from "../domain/followups";
import { areasOf, planToJson, type PlanJson } from "../domain/plan-doc";
import { checkUpdate, UNKNOWN_REFERENCE } from "../domain/rich-text-schema";
import { resolveDoc, resolveDocAccess, type DocAccess, type DocState } from "../domain/doc-access";
import { DOC_NAME, minutesDocName, planDocName, statementDocName } from "../domain/doc-names";
import { DomainError } from "../domain/errors";
import type { DomainEvent } from "../domain/events";
import { crashPoint } from "../crash-points";
import { writeProjection } from "../domain/plans";
import { stockholmToday } from "../domain/time";
import { isSameOrigin } from "../http-origin";
import { log } from "../log";
import { SerialQueue } from "./queue";
import { SqliteDocStore, type DocStore } from "./store";

/** WebSocket close codes (4000–4999 are ours). */
export const CLOSE = {
  badMessage: 4400,
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  /** The document has reached its size limit: nothing more is stored. */
  documentFull: 4413,
  /** The connection wrote faster than its write rate allows. */
  tooFast: 4429,
  serverError: 1011,
  goingAway: 1001,
  tryAgain: 1013,
} as const;

const MSG_SYNC = 0;
const MSG_AWARENESS = 1;
const MSG_QUERY_AWARENESS = 3;


export interface CollabOptions {
  db: Db;
  bus?: LocalEventBus;
  sessionSecret: string;
  publicUrl: string | null;
  secure: boolean;
  store?: DocStore;
  /** How long a document with no connections stays in memory. */
  unloadAfterMs?: number;
  /** Compact the update log into a snapshot after this many appended updates. */
  compactEvery?: number;
  /** Debounce for refreshing the relational projection of a plan. */
  projectionDelayMs?: number;
  maxPayload?: number;
  /** A document's size limit in bytes (its stored state and updates); writes beyond it are refused. */
  maxDocBytes?: number;
  /** Per connection: bytes of updates per second it may write, and the burst it may write at once. */
  writeRate?: { bytesPerSecond: number; burstBytes: number };
}

/** Defaults for the quota (docs/decisions/022-collab-limits.md). */
export const LIMITS = {
  maxPayload: 1024 * 1024,
  maxDocBytes: 8 * 1024 * 1024,
  writeRate: { bytesPerSecond: 256 * 1024, burstBytes: 2 * 1024 * 1024 },
  /** Awareness is presence: a name, a colour, a cursor. */
  maxAwarenessStateChars: 4096,
} as const;

class BadMessage extends Error {
  constructor(message: string, readonly closeReason = "Malformed message", readonly closeCode: number = CLOSE.badMessage) {
    super(message);
  }
}

/** The refusal of a write into a frozen document, in the words of its kind. */
function frozenError(doc: Pick<DocState, "kind" | "status">): DomainError {
  if (doc.kind === "plan") return new DomainError("error.planAdopted", 409);
  if (doc.kind === "statement") return new DomainError("error.statementLocked", 409);
  return new DomainError(doc.status === "draft" ? "error.meetingCancelled" : "error.minutesFrozen", 409);
}

/** A well-formed message refused by a limit: the connection closes with this code and reason. */
class Refused extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

interface Conn {
  ws: WebSocket;
  userId: string;
  /** The signed-in person's name: the only name their presence may carry. */
  userName: string;
  /** The signed-in session it came with: signing out closes it. */
  sessionId: string | null;
  access: DocAccess;
  /** Awareness client ids this connection has announced (only it may update them). */
  awarenessIds: Set<number>;
  alive: boolean;
  /** Set once the server closes it for bad input or a limit: nothing more of it is read. */
  closing: boolean;
  /** Token bucket of the write rate: bytes it may still write, refilled over time. */
  writeTokens: number;
  writeTokensAt: number;
}

class Room {
  readonly doc = new Y.Doc();
  readonly awareness = new awarenessProtocol.Awareness(this.doc);
  readonly conns = new Map<WebSocket, Conn>();
  /** Serialises persistence and application of updates, in arrival order. */
  readonly queue = new SerialQueue();
  /** Which connection announced each awareness client id (only it may update it). */
  readonly awarenessOwners = new Map<number, Conn>();
  lastUpdateId = 0;
  sinceCompact = 0;
  /** Stored size in bytes: the state at load or compaction, plus every update appended since. */
  bytes = 0;
  compactScheduled = false;
  unloadTimer: NodeJS.Timeout | undefined;
  projectionTimer: NodeJS.Timeout | undefined;
  projectionDirty = false;
  /** The plan JSON this room last wrote to the projection (serialised), to skip identical rewrites. */
  projected: string | undefined;
  projecting: Promise<void> = Promise.resolve();
  /** Follow-up history rows being written, in order. */
  history: Promise<void> = Promise.resolve();
  unloading = false;
  /** Set when the document is frozen (an adopted plan): every client write is dropped. */
  frozen = false;

  constructor(
    readonly name: string,
    /** Plans keep a relational projection; other documents have none. */
    readonly planId: string | null,
  ) {
    this.awareness.setLocalState(null); // the server itself has no presence
  }
}

const cheapToday = (() => {
  let at = 0;
  let value = "";
  return () => {
    const now = Date.now();
    if (now - at > 60_000) {
      value = stockholmToday(new Date(now));
      at = now;
    }
    return value;
  };
})();

function isEmptyUpdate(update: Uint8Array): boolean {
  // An update with no structs and an empty delete set is 2 bytes (two zero varints).
  return update.length <= 2 && update.every((b) => b === 0);
}

interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/** Decode an awareness update into its entries. Throws on malformed input. */
function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push({ clientId: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: decoding.readVarString(d) });
  }
  return entries;
}

function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(enc, e.clientId);
    encoding.writeVarUint(enc, e.clock);
    encoding.writeVarString(enc, e.state);
  }
  return encoding.toUint8Array(enc);
}

type Message =
  | { type: "syncStep1"; stateVector: Uint8Array }
  | { type: "update"; update: Uint8Array }
  | { type: "awareness"; entries: (AwarenessEntry & { parsed: unknown })[] }
  | { type: "queryAwareness" };

/** Read one y-websocket frame. Throws on anything malformed (the caller closes 4400). */
function readMessage(data: Uint8Array): Message {
  const decoder = decoding.createDecoder(data);
  const type = decoding.readVarUint(decoder);
  switch (type) {
    case MSG_SYNC: {
      const sub = decoding.readVarUint(decoder);
      if (sub === syncProtocol.messageYjsSyncStep1) return { type: "syncStep1", stateVector: decoding.readVarUint8Array(decoder) };
      if (sub === syncProtocol.messageYjsSyncStep2 || sub === syncProtocol.messageYjsUpdate) return { type: "update", update: decoding.readVarUint8Array(decoder) };
      throw new BadMessage(`unknown sync message ${sub}`);
    }
    case MSG_AWARENESS: {
      const entries = decodeAwareness(decoding.readVarUint8Array(decoder)).map((e) => {
        if (e.state.length > LIMITS.maxAwarenessStateChars) throw new BadMessage("awareness state too large");
        return { ...e, parsed: JSON.parse(e.state) as unknown };
      });
      return { type: "awareness", entries };
    }
    case MSG_QUERY_AWARENESS:
      return { type: "queryAwareness" };
    default:
      throw new BadMessage(`unknown message type ${type}`);
  }
}

/**
 * A presence state as the connection's own person: whatever `user` a client
 * announces, its id and name are the signed-in person's (no one can appear as
 * someone else); only a short colour string is taken from the client. A null
 * state (leaving) stays null.
 */
function bindIdentity(entry: AwarenessEntry & { parsed: unknown }, conn: { userId: string; userName: string }): AwarenessEntry {
  const state = entry.parsed;
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    return state === null ? entry : { ...entry, state: "null" };
  }
  const claimed = (state as { user?: unknown }).user;
  const color = claimed && typeof claimed === "object" && typeof (claimed as { color?: unknown }).color === "string" ? (claimed as { color: string }).color.slice(0, 32) : undefined;
  const user = { id: conn.userId, name: conn.userName, ...(color ? { color } : {}) };
  return { clientId: entry.clientId, clock: entry.clock, state: JSON.stringify({ ...state, user }) };
}

export function initCollab(opts: CollabOptions) {
  const store = opts.store ?? new SqliteDocStore(opts.db);
  const unloadAfterMs = opts.unloadAfterMs ?? 30_000;
  const compactEvery = opts.compactEvery ?? 500;
  // The projection rewrite holds the database connection for a few ms; doing it at
  // most every 2 s keeps it off most updates' path (see bench/README.md).
  const projectionDelayMs = opts.projectionDelayMs ?? 2000;
  const wss = new WebSocketServer({ noServer: true, maxPayload: opts.maxPayload ?? LIMITS.maxPayload });
  const maxDocBytes = opts.maxDocBytes ?? LIMITS.maxDocBytes;
  const writeRate = opts.writeRate ?? LIMITS.writeRate;
  const rooms = new Map<string, Promise<Room>>();
  const stats = { appended: 0, droppedWrites: 0, refusedWrites: 0, badMessages: 0, roomsLoaded: 0, roomsUnloaded: 0 };

  // ---- sending ----
  const send = (conn: Conn, msg: Uint8Array) => {
    if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(msg, (err) => err && log.debug("yjs send failed", { err: String(err) }));
  };
  const syncUpdateMessage = (update: Uint8Array) => {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    syncProtocol.writeUpdate(enc, update);
    return encoding.toUint8Array(enc);
  };
  const awarenessMessage = (room: Room, clients: number[]) => {
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_AWARENESS);
    encoding.writeVarUint8Array(enc, awarenessProtocol.encodeAwarenessUpdate(room.awareness, clients));
    return encoding.toUint8Array(enc);
  };

  // ---- loading and unloading ----
  async function loadRoom(name: string, planId: string | null): Promise<Room> {
    const room = new Room(name, planId);
    const stored = await store.load(name);
    Y.transact(
      room.doc,
      () => {
        for (const u of stored.updates) {
          try {
            Y.applyUpdate(room.doc, u, "load");
          } catch (err) {
            // An update that could not be applied was never applied or sent anywhere.
            log.error("skipping an unreadable stored update", { doc: name, err: String(err) });
          }
        }
      },
      "load",
    );
    room.lastUpdateId = stored.lastUpdateId;
    room.sinceCompact = stored.updates.length - 1;
    room.bytes = stored.updates.reduce((n, u) => n + u.length, 0);

    // A status or progress changed in the live editor lands in the follow-up history,
    // with who changed it (docs/decisions/008-followup-history.md).
    if (planId) {
      areasOf(room.doc).observeDeep((events, tr) => {
        const conn = tr.origin && typeof tr.origin === "object" && "userId" in tr.origin ? (tr.origin as Conn) : undefined;
        if (!conn) return;
        for (const ev of events) {
          if (!(ev.target instanceof Y.Map) || !(ev instanceof Y.YMapEvent)) continue;
          const keys = ev.keysChanged;
          if (!keys.has("status") && !keys.has("progress")) continue;
          const action = ev.target as Y.Map<unknown>;
          const actionId = action.get("id");
          if (typeof actionId !== "string") continue;
          const old = (k: string) => (ev.changes.keys.get(k)?.action === "update" ? ev.changes.keys.get(k)!.oldValue : undefined);
          const entry = {
            planId,
            actionId,
            by: conn.userId,
            source: "editor" as const,
            oldStatus: keys.has("status") ? String(old("status") ?? "") || null : String(action.get("status") ?? ""),
            newStatus: String(action.get("status") ?? "not_started"),
            oldProgress: keys.has("progress") ? (typeof old("progress") === "number" ? (old("progress") as number) : null) : Number(action.get("progress") ?? 0),
            newProgress: Number(action.get("progress") ?? 0),
            comment: "",
          };
          room.history = room.history.then(() => recordFollowup(opts.db, entry)).catch((err) => log.error("recording follow-up history failed", { doc: name, err: String(err) }));
        }
      });
    }

    // The projection reads only the areas tree: edits elsewhere (presence-only docs,
    // other root types) never wake it, so no planToJson runs on their path.
    if (planId) areasOf(room.doc).observeDeep(() => scheduleProjection(room));
    room.doc.on("update", (update: Uint8Array, origin: unknown) => {
      if (origin === "load") return;
      const msg = syncUpdateMessage(update);
      for (const c of room.conns.values()) if (c !== origin) send(c, msg);
    });
    room.awareness.on(
      "update",
      ({ added, updated, removed }: { added: number[]; updated: number[]; removed: number[] }, origin: unknown) => {
        const changed = [...added, ...updated, ...removed];
        const conn = origin && typeof origin === "object" && "awarenessIds" in origin ? (origin as Conn) : undefined;
        if (conn) {
          for (const id of [...added, ...updated]) {
            conn.awarenessIds.add(id);
            room.awarenessOwners.set(id, conn);
          }
          for (const id of removed) {
            conn.awarenessIds.delete(id);
            room.awarenessOwners.delete(id);
          }
        }
        const msg = awarenessMessage(room, changed);
        for (const c of room.conns.values()) send(c, msg);
      },
    );
    stats.roomsLoaded++;
    return room;
  }

  function getRoom(name: string, planId: string | null): Promise<Room> {
    let p = rooms.get(name);
    if (!p) {
      p = loadRoom(name, planId);
      rooms.set(name, p);
      // A failed load is forgotten, never saved over the real document.
      p.catch(() => rooms.delete(name));
    }
    return p;
  }

  function scheduleProjection(room: Room) {
    if (!room.planId) return;
    room.projectionDirty = true;
    if (room.projectionTimer) return;
    room.projectionTimer = setTimeout(() => {
      room.projectionTimer = undefined;
      void project(room);
    }, projectionDelayMs);
  }

  function project(room: Room): Promise<void> {
    if (room.projectionTimer) {
      clearTimeout(room.projectionTimer);
      room.projectionTimer = undefined;
    }
    room.projecting = room.projecting.then(async () => {
      if (!room.projectionDirty || !room.planId) return;
      room.projectionDirty = false;
      try {
        const json = planToJson(room.doc);
        const serialised = JSON.stringify(json);
        // Edits outside the plan's fields (or undone ones) leave the projection as it is.
        if (serialised === room.projected) return;
        await writeProjection(opts.db, room.planId, json, new Date(), opts.bus);
        room.projected = serialised;
      } catch (err) {
        room.projectionDirty = true;
        log.error("plan projection failed", { doc: room.name, err: String(err) });
      }
    });
    return room.projecting;
  }

  async function compact(room: Room) {
    if (room.sinceCompact <= 0) return;
    const state = Y.encodeStateAsUpdate(room.doc);
    await store.compact(room.name, state, room.lastUpdateId);
    room.sinceCompact = 0;
    room.bytes = state.length;
  }

  /**
   * Compaction runs in the room's queue (no update slips between state and log
   * id), queued from a later turn of the event loop, so the update that triggered
   * it and the messages already received go first.
   */
  function scheduleCompaction(room: Room) {
    if (room.compactScheduled) return;
    room.compactScheduled = true;
    setImmediate(() =>
      room.queue.push(
        () => {
          room.compactScheduled = false;
          return compact(room);
        },
        (err) => log.error("compaction failed", { doc: room.name, err: String(err) }),
      ),
    );
  }

  function scheduleUnload(room: Room) {
    if (room.conns.size > 0 || room.unloadTimer) return;
    room.unloadTimer = setTimeout(() => void unload(room), unloadAfterMs);
  }

  async function unload(room: Room) {
    room.unloadTimer = undefined;
    if (room.conns.size > 0 || room.unloading) return;
    room.unloading = true;
    // Forget it first: a new connection loads a fresh room from storage, which
    // already holds every update (compaction below only folds the log).
    if (rooms.get(room.name) && (await rooms.get(room.name)) === room) rooms.delete(room.name);
    try {
      await room.queue.idle();
      await compact(room);
      await project(room);
      await room.history;
    } catch (err) {
      log.error("flushing a document on unload failed; its update log is intact", { doc: room.name, err: String(err) });
    } finally {
      room.doc.destroy();
      stats.roomsUnloaded++;
    }
  }

  // ---- one message ----
  /**
   * Handles one message; synchronous unless an update has to wait for storage.
   * Anything that fails while reading the frame (truncated, unknown type, invalid
   * UTF-8, bad JSON) is the client's bad input and closes with 4400, never 1011.
   */
  function handleMessage(room: Room, conn: Conn, data: Uint8Array): void | Promise<void> {
    let message: ReturnType<typeof readMessage>;
    try {
      message = readMessage(data);
    } catch (err) {
      throw err instanceof BadMessage ? err : new BadMessage(String(err));
    }
    switch (message.type) {
      case "syncStep1": {
        const enc = encoding.createEncoder();
        encoding.writeVarUint(enc, MSG_SYNC);
        syncProtocol.writeSyncStep2(enc, room.doc, message.stateVector);
        send(conn, encoding.toUint8Array(enc));
        return;
      }
      case "update":
        return acceptUpdate(room, conn, message.update);
      case "awareness": {
        // The stock client relays every awareness change it sees, others' included.
        // A connection may only speak for the client ids it announced itself, so
        // entries for another connection's ids are dropped, and it may only speak as
        // its own signed-in person: the `user` it announces is bound to the session.
        const own = message.entries.filter((e) => (room.awarenessOwners.get(e.clientId) ?? conn) === conn).map((e) => bindIdentity(e, conn));
        if (own.length) awarenessProtocol.applyAwarenessUpdate(room.awareness, encodeAwareness(own), conn);
        return;
      }
      case "queryAwareness":
        send(conn, awarenessMessage(room, [...room.awareness.getStates().keys()]));
        return;
    }
  }

  function acceptUpdate(room: Room, conn: Conn, update: Uint8Array): void | Promise<void> {
    if (room.frozen || !conn.access.canWrite(cheapToday())) {
      if (!isEmptyUpdate(update)) {
        stats.droppedWrites++;
        log.warn("dropped a write from a read-only connection", { doc: room.name, userId: conn.userId, role: conn.access.role });
      }
      return;
    }
    let decoded;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      throw new BadMessage("undecodable update");
    }
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return;
    // Rich text the editor could not have written would break the page for every reader.
    const refused = checkUpdate(room.doc, update, decoded);
    if (refused === UNKNOWN_REFERENCE) throw new BadMessage(refused, "Missing earlier edits; reconnect", CLOSE.tryAgain);
    if (refused) throw new BadMessage(`rich text refused: ${refused}`, "Rich text the editor cannot show");
    checkQuota(room, conn, update);
    return persistAndApply(room, update, conn, conn.userId);
  }

  /**
   * One person cannot fill the database or slow every later reader: a document
   * stops growing at its size limit, and a connection writes at most its rate
   * (a token bucket: a burst, then a steady flow). Typing, pasting a page and an
   * offline editor's merge fit well inside both.
   */
  function checkQuota(room: Room, conn: Conn, update: Uint8Array) {
    const now = Date.now();
    conn.writeTokens = Math.min(writeRate.burstBytes, conn.writeTokens + ((now - conn.writeTokensAt) / 1000) * writeRate.bytesPerSecond);
    conn.writeTokensAt = now;
    if (update.length > conn.writeTokens) throw new Refused(CLOSE.tooFast, "Writing too fast");
    if (room.bytes + update.length > maxDocBytes) throw new Refused(CLOSE.documentFull, "Document is full");
    conn.writeTokens -= update.length;
  }

  /**
   * Append an accepted update to the log, then apply it to the room's doc, whose
   * `update` event fans it out. Synchronous when the store can append at once;
   * nothing else can run between the append and the fan-out either way (the room's
   * queue holds back the room's other work until this is done).
   */
  function persistAndApply(room: Room, update: Uint8Array, origin: Conn | "server", userId: string | null): void | Promise<void> {
    const id = store.appendNow?.(room.name, update, userId);
    if (id !== undefined) return applyAppended(room, update, origin, id);
    return store.append(room.name, update, userId).then((appended) => applyAppended(room, update, origin, appended));
  }

  function applyAppended(room: Room, update: Uint8Array, origin: Conn | "server", id: number) {
    room.lastUpdateId = id;
    room.sinceCompact++;
    room.bytes += update.length;
    stats.appended++;
    Y.applyUpdate(room.doc, update, origin);
    if (room.sinceCompact >= compactEvery) scheduleCompaction(room);
  }

  // ---- connections ----
  async function onConnection(ws: WebSocket, user: { id: string; name: string } | null, sessionId: string | null, requestedName: string) {
    const early: RawData[] = [];
    const buffer = (m: RawData) => early.push(m);
    ws.on("message", buffer);
    ws.on("error", (err) => log.debug("yjs socket error", { err: String(err) }));

    if (!user) return ws.close(CLOSE.unauthorized, "Not signed in");
    const userId = user.id;
    if (!DOC_NAME.test(requestedName)) return ws.close(CLOSE.badMessage, "Malformed document name");
    const access = await resolveDocAccess(opts.db, userId, requestedName).catch(() => undefined);
    // A document of another council is answered exactly like one that does not exist.
    if (!access) return ws.close(CLOSE.notFound, "Unknown document");
    // A legacy `doc:<id>` joins the room of its canonical name.
    const docName = access.name;

    let room: Room;
    try {
      room = await getRoom(docName, access.kind === "plan" ? access.id : null);
    } catch (err) {
      log.error("loading a document failed", { doc: docName, err: String(err) });
      return ws.close(CLOSE.serverError, "Could not load the document");
    }
    if (ws.readyState !== ws.OPEN) return scheduleUnload(room);
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = undefined;
    }
    const conn: Conn = { ws, userId, userName: user.name, sessionId, access, awarenessIds: new Set(), alive: true, closing: false, writeTokens: writeRate.burstBytes, writeTokensAt: Date.now() };
    room.conns.set(ws, conn);

    const onError = (err: unknown) => {
      if (err instanceof Refused) {
        stats.refusedWrites++;
        log.warn("closing a connection over a limit", { doc: docName, userId, reason: err.reason });
        conn.closing = true;
        ws.close(err.code, err.reason);
      } else if (err instanceof BadMessage || err instanceof RangeError || err instanceof SyntaxError || (err instanceof Error && /unexpected end|integer out of range/i.test(err.message))) {
        stats.badMessages++;
        log.warn("closing a connection after a malformed message", { doc: docName, userId, err: String(err) });
        conn.closing = true;
        if (err instanceof BadMessage) ws.close(err.closeCode, err.closeReason);
        else ws.close(CLOSE.badMessage, "Malformed message");
      } else {
        log.error("handling a Yjs message failed", { doc: docName, userId, err: String(err) });
        ws.close(CLOSE.serverError, "Server error");
      }
    };
    const enqueue = (raw: RawData) => {
      const data = raw instanceof Buffer ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(raw as ArrayBuffer);
      // Messages after a refusal are not read: the client resends what we lack when it reconnects.
      room.queue.push(() => (room.conns.has(ws) && !conn.closing ? handleMessage(room, conn, data) : undefined), onError);
    };
    ws.off("message", buffer);
    ws.on("message", enqueue);
    ws.on("pong", () => (conn.alive = true));
    ws.on("close", () => {
      room.conns.delete(ws);
      for (const id of conn.awarenessIds) if (room.awarenessOwners.get(id) === conn) room.awarenessOwners.delete(id);
      if (conn.awarenessIds.size) awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessIds], null);
      scheduleUnload(room);
    });

    // Server's state vector first (the client answers with what we lack: offline
    // edits merge here), then everyone's presence.
    const enc = encoding.createEncoder();
    encoding.writeVarUint(enc, MSG_SYNC);
    syncProtocol.writeSyncStep1(enc, room.doc);
    send(conn, encoding.toUint8Array(enc));
    const present = [...room.awareness.getStates().keys()];
    if (present.length) send(conn, awarenessMessage(room, present));
    for (const raw of early) enqueue(raw);
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    if (!isSameOrigin(req, opts.publicUrl, opts.secure)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    let user: { id: string; name: string } | null = null;
    try {
      user = await getSessionUser(opts.db, req.headers.cookie, opts.sessionSecret);
    } catch (err) {
      log.error("yjs upgrade auth failed", { err: String(err) });
    }
    let docName = "";
    try {
      docName = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice("/yjs/".length));
    } catch {
      docName = "";
    }
    const sessionId = user ? sessionIdOf(req.headers.cookie, opts.sessionSecret) : null;
    wss.handleUpgrade(req, socket, head, (ws) => void onConnection(ws, user, sessionId, docName));
  }

  // Dead connections (no pong within 30 s) are dropped so their presence goes too.
  const heartbeat = setInterval(() => {
    for (const p of rooms.values()) {
      void p.then((room) => {
        for (const c of room.conns.values()) {
          if (!c.alive) c.ws.terminate();
          else {
            c.alive = false;
            c.ws.ping();
          }
        }
      }, () => undefined);
    }
  }, 30_000);
  heartbeat.unref();

  // Rights follow every change at once: a removed member is disconnected, a member
  // turned observer stops writing, and a document whose state changes (a meeting
  // cancelled, minutes closed, a poll opened on a statement, a plan adopted) is
  // re-resolved for everyone in it before their next update is read. Each event is
  // mapped to the connections it may concern (docsConcernedBy); the rights are then
  // asked again from the one place that decides them (resolveDocAccess).
  const reresolve = (filter: (room: Room, c: Conn) => boolean) => {
    for (const p of rooms.values()) {
      void p.then((room) => {
        const concerned = [...room.conns.values()].filter((c) => filter(room, c));
        if (!concerned.length) return;
        // In the room's queue: updates that arrived before the change are read with
        // the old rights, every later one with the new.
        room.queue.push(
          async () => {
            for (const c of concerned) {
              const access = await resolveDocAccess(opts.db, c.userId, room.name);
              if (!access) c.ws.close(CLOSE.forbidden, "Access revoked");
              else c.access = access;
            }
          },
          (err) => log.error("re-resolving document rights failed", { doc: room.name, err: String(err) }),
        );
      }, () => undefined);
    }
  };
  const unsubscribe = opts.bus?.subscribe((event) => {
    if (event.type === "session.ended" || event.type === "user.removed") {
      // Signed out, or removed from the installation: their editors close at once.
      const closes = (c: Conn) => (event.type === "session.ended" ? c.sessionId === event.sessionId : c.userId === event.userId);
      for (const p of rooms.values()) void p.then((room) => room.conns.forEach((c) => closes(c) && c.ws.close(CLOSE.unauthorized, "Signed out")), () => undefined);
      return;
    }
    void docsConcernedBy(event)
      .then((filter) => filter && reresolve(filter))
      .catch((err) => log.error("document rights not re-resolved", { type: event.type, err: String(err) }));
  });

  /** Which open connections an event may change the rights of; undefined for none. */
  async function docsConcernedBy(event: DomainEvent): Promise<((room: Room, c: Conn) => boolean) | undefined> {
    switch (event.type) {
      case "membership.added":
      case "membership.changed":
      case "membership.removed":
        return (_room, c) => c.userId === event.userId && c.access.councilId === event.councilId;
      case "group.changed": {
        // The group's members write its meetings' minutes: a member taken out of the group stops writing.
        const ms = await opts.db.selectFrom("meetings").select("id").where("group_id", "=", event.groupId).execute();
        const docs = new Set(ms.map((m) => minutesDocName(m.id)));
        return (room) => docs.has(room.name);
      }
      default:
        if ("meetingId" in event) return (room) => room.name === minutesDocName(event.meetingId);
        if ("statementId" in event) return (room) => room.name === statementDocName(event.statementId);
        if ("planId" in event) return (room) => room.name === planDocName(event.planId);
        return undefined;
    }
  }

  /**
   * A change made by the server itself (a follow-up report, an action item or a
   * proposal turned into plan actions, a CSV import): computed on a copy of the
   * live state, then persisted and fanned out exactly like a client's update, in
   * the room's queue. The Yjs update and `commit`'s relational writes (history
   * rows, "converted" marks, audit) go into ONE database transaction, so a crash
   * keeps both or neither (docs/decisions/023-server-changes-atomic.md). A frozen
   * document (adopted plan, closed minutes, cancelled meeting, statement out of
   * draft) is refused with a DomainError, checked in that same transaction.
   * `change` may throw a DomainError to refuse (nothing is written).
   */
  async function applyServerChange<R = void, T = void>(
    docName: string,
    change: (doc: Y.Doc) => R,
    commit?: (trx: Db, result: R) => Promise<T>,
  ): Promise<{ result: R; committed: T | undefined }> {
    const state = await resolveDoc(opts.db, docName);
    if (!state) throw new DomainError("error.documentNotFound", 404);
    const room = await getRoom(state.name, state.kind === "plan" ? state.id : null);
    if (room.unloadTimer) {
      clearTimeout(room.unloadTimer);
      room.unloadTimer = undefined;
    }
    try {
      return await room.queue.run(async () => {
        if (room.frozen) throw frozenError(state);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
        const before = Y.encodeStateVector(copy);
        let result: R;
        let update: Uint8Array;
        let json: PlanJson | undefined;
        try {
          result = change(copy);
          update = Y.encodeStateAsUpdate(copy, before);
          // A plan's projection (dashboard, API, CSV) is written in the same transaction.
          if (room.planId && !isEmptyUpdate(update)) json = planToJson(copy);
        } finally {
          copy.destroy();
        }
        const empty = isEmptyUpdate(update);
        if (empty && !commit) return { result, committed: undefined };
        const { id, committed } = await opts.db.transaction().execute(async (trx) => {
          const now = await resolveDoc(trx, state.name);
          if (!now?.open) throw frozenError(now ?? state);
          const id = empty ? undefined : await store.append(state.name, update, null, trx);
          crashPoint("serverChange.appended");
          if (json && room.planId) await writeProjection(trx, room.planId, json, new Date(), opts.bus);
          const committed = commit ? await commit(trx, result) : undefined;
          crashPoint("serverChange.beforeCommit");
          return { id, committed };
        });
        crashPoint("serverChange.committed");
        if (json) room.projected = JSON.stringify(json);
        if (id !== undefined) applyAppended(room, update, "server", id);
        return { result, committed };
      });
    } finally {
      // Server-side changes are deliberate (a report, a conversion): project at once so
      // the dashboard and API show them on the next request.
      await project(room);
      scheduleUnload(room);
    }
  }

  /**
   * Freeze a document: `fn` gets its exact current state inside the room's queue
   * (no update can slip in between) and records the freeze; from then on every
   * client write to the loaded room is dropped, before rights are re-resolved.
   */
  async function freeze(docName: string, planId: string | null, fn: (state: Uint8Array) => Promise<void>): Promise<void> {
    const room = await getRoom(docName, planId);
    await room.queue.run(async () => {
      await fn(Y.encodeStateAsUpdate(room.doc));
      room.frozen = true;
    });
    await project(room);
    scheduleUnload(room);
  }

  /** The document's current state (live room after its queue drains, else storage). */
  async function currentState(name: string): Promise<Uint8Array> {
    const docName = name.startsWith("doc:") ? ((await resolveDoc(opts.db, name))?.name ?? name) : name;
    const p = rooms.get(docName);
    const room = p ? await p.catch(() => undefined) : undefined;
    if (room) {
      await room.queue.idle();
      return Y.encodeStateAsUpdate(room.doc);
    }
    const { updates } = await store.load(docName);
    return updates.length ? Y.mergeUpdates(updates) : Y.encodeStateAsUpdate(new Y.Doc());
  }

  return {
    handleUpgrade,
    applyServerChange,
    currentState,
    freeze,
    stats: () => ({ ...stats, rooms: rooms.size }),
    /** Wait until every queued update is persisted and projections are written (tests, shutdown). */
    async flush() {
      for (const p of [...rooms.values()]) {
        const room = await p.catch(() => undefined);
        if (!room) continue;
        await room.queue.idle();
        await project(room);
        await room.history;
      }
    },
    /** For tests and benchmarks: the live room of a document, if loaded. */
    async roomDoc(docName: string): Promise<Y.Doc | undefined> {
      return (await rooms.get(docName)?.catch(() => undefined))?.doc;
    },
    /** Graceful shutdown: persist and project every document, then close. */
    async close() {
      clearInterval(heartbeat);
      unsubscribe?.();
      for (const p of [...rooms.values()]) {
        const room = await p.catch(() => undefined);
        if (!room) continue;
        for (const c of room.conns.values()) c.ws.close(CLOSE.goingAway, "Server shutting down");
        room.conns.clear();
        if (room.unloadTimer) clearTimeout(room.unloadTimer);
        await unload(room);
      }
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}

export type Collab = ReturnType<typeof initCollab>;
