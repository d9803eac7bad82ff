// Handling one message of one connection: sync, an update (accepted, dropped or
// refused), presence. The rules a client's frame meets before anything of it is
// stored or seen by anyone else: read-only connections and frozen documents are
// dropped; rich text the editor could not have written and quota overruns close
// the connection; presence may only speak for the connection's own client ids,
// as its own signed-in person.
import * as awarenessProtocol from "y-protocols/awareness";
import * as ws from "ws";
import type { WebSocket } from "ws";
import * as Y from "yjs";
import type { DocAccess } from "../domain/doc-access";
import { checkUpdate, EMPTY_UPDATE, quickCheck, UNKNOWN_REFERENCE } from "../domain/rich-text-schema";
import { stockholmToday } from "../domain/time";
import { log } from "../log";
import { awarenessStatesMessage, BadMessage, CLOSE, encodeAwareness, isEmptyUpdate, readMessage, Refused, syncStep2Message, type AwarenessEntry } from "./messages";
import type { Room } from "./room";

/** One client's WebSocket in one room. */
export interface Conn {
  ws: WebSocket;
  userId: string;
  /** The signed-in person's name: the only name their presence may carry. */
  userName: string;
  /** The signed-in session it came with: signing out closes it. */
  sessionId: string | null;
  access: DocAccess;
  /** The rights epoch `access` was resolved at (access.ts resolveAccessAt). */
  accessEpoch: number;
  /** Awareness client ids this connection has announced (only it may update them). */
  awarenessIds: Set<number>;
  alive: boolean;
  /** Set once the server closes it for bad input or a limit: nothing more of it is read. */
  closing: boolean;
  /** Token bucket of the write rate: bytes it may still write, refilled over time. */
  writeTokens: number;
  writeTokensAt: number;
}

export function isConn(origin: unknown): origin is Conn {
  return typeof origin === "object" && origin !== null && "awarenessIds" in origin;
}

const onSent = (err?: Error | null) => {
  if (err) log.debug("yjs send failed", { err: String(err) });
};

export function send(conn: Conn, msg: Uint8Array): void {
  if (conn.ws.readyState === conn.ws.OPEN) conn.ws.send(msg, onSent);
}

/** The part of ws's (untyped) Sender that writes an already framed message. */
interface FrameSender {
  sendFrame(list: Buffer[], cb: (err?: Error | null) => void): void;
}
// ws exports its Sender (untyped in @types/ws); its static `frame` is what ws.send uses.
const { frame: frameMessage } = (ws as unknown as { Sender: { frame(data: Buffer, options: { fin: boolean; rsv1: boolean; opcode: number; mask: boolean; readOnly: boolean }): Buffer[] } }).Sender;

/**
 * Send one message to many connections, framed once: a WebSocket frame of a
 * server message is the same bytes for every connection (no mask, and no
 * per-message compression: the server never negotiates it), so the frame is built
 * once and written to each socket as it is, as socket.io's broadcasts do
 * (engine.io's `wsPreEncodedFrame`). ws's own send would build it again for every
 * connection, and write its header and body as two buffers.
 */
export function fanOut(conns: Iterable<Conn>, msg: Uint8Array, except?: Conn): void {
  let frame: Buffer[] | undefined;
  for (const c of conns) {
    if (c === except || c.ws.readyState !== c.ws.OPEN) continue;
    const sender = (c.ws as unknown as { _sender?: Partial<FrameSender> })._sender;
    if (typeof sender?.sendFrame !== "function") {
      send(c, msg);
      continue;
    }
    frame ??= [Buffer.concat(frameMessage(Buffer.from(msg.buffer, msg.byteOffset, msg.byteLength), { fin: true, rsv1: false, opcode: 2, mask: false, readOnly: false }))];
    sender.sendFrame(frame, onSent);
  }
}

export interface ProtocolRules {
  /** A document's size limit in bytes (its stored state and updates). */
  maxDocBytes: number;
  /** Per connection: bytes of updates per second, and the burst it may write at once. */
  writeRate: { bytesPerSecond: number; burstBytes: number };
  stats: { droppedWrites: number };
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

/**
 * Handles one message; synchronous unless an update has to wait for storage.
 * Anything that fails while reading the frame (truncated, unknown type, invalid
 * UTF-8, bad JSON) is the client's bad input and closes with 4400, never 1011.
 */
export function handleMessage(room: Room, conn: Conn, data: Uint8Array, rules: ProtocolRules): void | Promise<void> {
  const message = readMessage(data);
  switch (message.type) {
    case "syncStep1":
      send(conn, syncStep2Message(room.doc, message.stateVector));
      return;
    case "update":
      return acceptUpdate(room, conn, message.update, rules);
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
      send(conn, awarenessStatesMessage(room.awareness, [...room.awareness.getStates().keys()]));
      return;
  }
}

function acceptUpdate(room: Room, conn: Conn, update: Uint8Array, rules: ProtocolRules): void | Promise<void> {
  if (room.frozen || !conn.access.canWrite(cheapToday())) {
    if (!isEmptyUpdate(update)) {
      rules.stats.droppedWrites++;
      log.warn("dropped a write from a read-only connection", { doc: room.name, userId: conn.userId, role: conn.access.role });
    }
    return;
  }
  // Rich text the editor could not have written would break the page for every reader.
  // A keystroke's plain text is recognised from its bytes; anything else is decoded and checked in full.
  const quick = quickCheck(room.doc, update);
  if (quick === EMPTY_UPDATE) return;
  if (quick === undefined) {
    let decoded;
    try {
      decoded = Y.decodeUpdate(update);
    } catch {
      throw new BadMessage("undecodable update");
    }
    if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return;
    const refused = checkUpdate(room.doc, update, decoded);
    if (refused === UNKNOWN_REFERENCE) throw new BadMessage(refused, "Missing earlier edits; reconnect", CLOSE.tryAgain);
    if (refused) throw new BadMessage(`rich text refused: ${refused}`, "Rich text the editor cannot show");
  }
  checkQuota(room, conn, update, rules);
  return room.append(update, conn, conn.userId);
}

/**
 * One person cannot fill the database or slow every later reader: a document
 * stops growing at its size limit, and a connection writes at most its rate
 * (a token bucket: a burst, then a steady flow). Typing, pasting a page and an
 * offline editor's merge fit well inside both.
 */
function checkQuota(room: Room, conn: Conn, update: Uint8Array, { writeRate, maxDocBytes }: ProtocolRules) {
  const now = Date.now();
  conn.writeTokens = Math.min(writeRate.burstBytes, conn.writeTokens + ((now - conn.writeTokensAt) / 1000) * writeRate.bytesPerSecond);
  conn.writeTokensAt = now;
  if (update.length > conn.writeTokens) throw new Refused(CLOSE.tooFast, "Writing too fast");
  if (room.bytes + update.length > maxDocBytes) throw new Refused(CLOSE.documentFull, "Document is full");
  conn.writeTokens -= update.length;
}

/**
 * A presence state as the connection's own person: whatever `user` a client
 * announces, its id and name are the signed-in person's (no one can appear as
 * someone else); only a short colour string is taken from the client. A null
 * state (leaving) stays null.
 */
export function bindIdentity(entry: AwarenessEntry & { parsed: unknown }, conn: { userId: string; userName: string }): AwarenessEntry {
  const state = entry.parsed;
  if (state === null || typeof state !== "object" || Array.isArray(state)) {
    return state === null ? entry : { ...entry, state: "null" };
  }
  const claimed = (state as { user?: unknown }).user;
  const color = claimed && typeof claimed === "object" && typeof (claimed as { color?: unknown }).color === "string" ? (claimed as { color: string }).color.slice(0, 32) : undefined;
  const user = { id: conn.userId, name: conn.userName, ...(color ? { color } : {}) };
  return { clientId: entry.clientId, clock: entry.clock, state: JSON.stringify({ ...state, user }) };
}
