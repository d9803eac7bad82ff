// The wire format of /yjs/<docName>: the y-websocket protocol (y-protocols sync +
// awareness), close codes and reasons, and the limits a frame is read against.
// Pure functions over bytes: no room, no connection, no database.
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import * as awarenessProtocol from "y-protocols/awareness";
import * as syncProtocol from "y-protocols/sync";
import type * as Y from "yjs";

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

/** Defaults for the quota (docs/decisions/022-collab-limits.md). */
export const LIMITS = {
  maxPayload: 1024 * 1024,
  maxDocBytes: 8 * 1024 * 1024,
  writeRate: { bytesPerSecond: 256 * 1024, burstBytes: 2 * 1024 * 1024 },
  /** Awareness is presence: a name, a colour, a cursor. */
  maxAwarenessStateChars: 4096,
} as const;

const MSG_SYNC = 0;
const MSG_AWARENESS = 1;
const MSG_QUERY_AWARENESS = 3;

/** Malformed input: the connection closes (4400 unless said otherwise). */
export class BadMessage extends Error {
  constructor(message: string, readonly closeReason = "Malformed message", readonly closeCode: number = CLOSE.badMessage) {
    super(message);
  }
}

/** A well-formed message refused by a limit: the connection closes with this code and reason. */
export class Refused extends Error {
  constructor(
    readonly code: number,
    readonly reason: string,
  ) {
    super(reason);
  }
}

/** What a failure while handling a connection's message means for that connection. */
export function closeFor(err: unknown): { kind: "refused" | "bad" | "server"; code: number; reason: string } {
  if (err instanceof Refused) return { kind: "refused", code: err.code, reason: err.reason };
  if (err instanceof BadMessage) return { kind: "bad", code: err.closeCode, reason: err.closeReason };
  // lib0 and JSON throw these on truncated or invalid input: the client's bad input, never 1011.
  if (err instanceof RangeError || err instanceof SyntaxError || (err instanceof Error && /unexpected end|integer out of range/i.test(err.message))) {
    return { kind: "bad", code: CLOSE.badMessage, reason: "Malformed message" };
  }
  return { kind: "server", code: CLOSE.serverError, reason: "Server error" };
}

export function isEmptyUpdate(update: Uint8Array): boolean {
  // An update with no structs and an empty delete set is 2 bytes (two zero varints).
  return update.length <= 2 && update.every((b) => b === 0);
}

export interface AwarenessEntry {
  clientId: number;
  clock: number;
  state: string;
}

/** Decode an awareness update into its entries. Throws on malformed input. */
export function decodeAwareness(update: Uint8Array): AwarenessEntry[] {
  const d = decoding.createDecoder(update);
  const n = decoding.readVarUint(d);
  const entries: AwarenessEntry[] = [];
  for (let i = 0; i < n; i++) {
    entries.push({ clientId: decoding.readVarUint(d), clock: decoding.readVarUint(d), state: decoding.readVarString(d) });
  }
  return entries;
}

export function encodeAwareness(entries: AwarenessEntry[]): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, entries.length);
  for (const e of entries) {
    encoding.writeVarUint(enc, e.clientId);
    encoding.writeVarUint(enc, e.clock);
    encoding.writeVarString(enc, e.state);
  }
  return encoding.toUint8Array(enc);
}

export type Message =
  | { type: "syncStep1"; stateVector: Uint8Array }
  | { type: "update"; update: Uint8Array }
  | { type: "awareness"; entries: (AwarenessEntry & { parsed: unknown })[] }
  | { type: "queryAwareness" };

/** Read one y-websocket frame. Throws a BadMessage on anything malformed (the caller closes 4400). */
export function readMessage(data: Uint8Array): Message {
  try {
    return decodeMessage(data);
  } catch (err) {
    throw err instanceof BadMessage ? err : new BadMessage(String(err));
  }
}

function decodeMessage(data: Uint8Array): Message {
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

/** The server's state vector: the client answers with what the server lacks. */
export function syncStep1Message(doc: Y.Doc): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MSG_SYNC);
  syncProtocol.writeSyncStep1(enc, doc);
  return encoding.toUint8Array(enc);
}

/** What the client lacks, given its state vector. */
export function syncStep2Message(doc: Y.Doc, stateVector: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MSG_SYNC);
  syncProtocol.writeSyncStep2(enc, doc, stateVector);
  return encoding.toUint8Array(enc);
}

export function syncUpdateMessage(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MSG_SYNC);
  syncProtocol.writeUpdate(enc, update);
  return encoding.toUint8Array(enc);
}

/** An awareness frame around an encoded awareness update (awarenessProtocol.encodeAwarenessUpdate). */
export function awarenessMessage(update: Uint8Array): Uint8Array {
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MSG_AWARENESS);
  encoding.writeVarUint8Array(enc, update);
  return encoding.toUint8Array(enc);
}

/** The awareness frame of these clients' current states. */
export function awarenessStatesMessage(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  return awarenessMessage(awarenessProtocol.encodeAwarenessUpdate(awareness, clients));
}
