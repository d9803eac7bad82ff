// A WebSocket's way into a room. Order of events: same-origin check → session
// cookie → the person's right to the document → the document loaded from the
// store (never sync before that) → sync. Messages that arrive meanwhile are
// buffered, then every message goes through the room's queue, in order.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import * as awarenessProtocol from "y-protocols/awareness";
import { WebSocketServer, type RawData, type WebSocket } from "ws";
import type { Db } from "../../db";
import { getSessionUser, sessionIdOf } from "../auth/session";
import { DOC_NAME } from "../domain/doc-names";
import { isSameOrigin } from "../http-origin";
import { log } from "../log";
import { resolveAccessAt } from "./access";
import { awarenessStatesMessage, CLOSE, closeFor, syncStep1Message } from "./messages";
import { handleMessage, send, type Conn, type ProtocolRules } from "./protocol";
import type { Room, CollabStats } from "./room";
import type { Rooms } from "./rooms";

export interface ConnectionDeps {
  db: Db;
  sessionSecret: string;
  publicUrl: string | null;
  secure: boolean;
  maxPayload: number;
  rooms: Rooms;
  rules: ProtocolRules;
  stats: CollabStats;
}

export function acceptConnections(deps: ConnectionDeps) {
  const { db, rooms, rules, stats } = deps;
  // No per-message compression (small updates gain nothing from it): a message's
  // frame is then the same bytes for every connection, built once (protocol.ts fanOut).
  const wss = new WebSocketServer({ noServer: true, maxPayload: deps.maxPayload, perMessageDeflate: false });

  async function onConnection(ws: WebSocket, user: { id: string; name: string } | null, sessionId: string | null, requestedName: string) {
    const early: RawData[] = [];
    const buffer = (m: RawData) => early.push(m);
    ws.on("message", buffer);
    ws.on("error", (err) => log.debug("yjs socket error", { err: String(err) }));

    if (!user) return ws.close(CLOSE.unauthorized, "Not signed in");
    const userId = user.id;
    if (!DOC_NAME.test(requestedName)) return ws.close(CLOSE.badMessage, "Malformed document name");
    const { access, epoch } = await resolveAccessAt(db, userId, requestedName).catch(() => ({ access: undefined, epoch: 0 }));
    // A document of another council is answered exactly like one that does not exist.
    if (!access) return ws.close(CLOSE.notFound, "Unknown document");
    // A legacy `doc:<id>` joins the room of its canonical name.
    const docName = access.name;

    let room: Room;
    try {
      room = await rooms.get(docName, access.kind === "plan" ? access.id : null);
    } catch (err) {
      log.error("loading a document failed", { doc: docName, err: String(err) });
      return ws.close(CLOSE.serverError, "Could not load the document");
    }
    if (ws.readyState !== ws.OPEN) return rooms.scheduleUnload(room);
    rooms.keep(room);
    const conn: Conn = { ws, userId, userName: user.name, sessionId, access, accessEpoch: epoch, awarenessIds: new Set(), alive: true, closing: false, writeTokens: rules.writeRate.burstBytes, writeTokensAt: Date.now() };
    room.conns.set(ws, conn);

    const onError = (err: unknown) => {
      const close = closeFor(err);
      if (close.kind === "refused") {
        stats.refusedWrites++;
        log.warn("closing a connection over a limit", { doc: docName, userId, reason: close.reason });
        conn.closing = true;
      } else if (close.kind === "bad") {
        stats.badMessages++;
        log.warn("closing a connection after a malformed message", { doc: docName, userId, err: String(err) });
        conn.closing = true;
      } else {
        log.error("handling a Yjs message failed", { doc: docName, userId, err: String(err) });
      }
      ws.close(close.code, close.reason);
    };
    const enqueue = (raw: RawData) => {
      const data = raw instanceof Buffer ? new Uint8Array(raw.buffer, raw.byteOffset, raw.byteLength) : new Uint8Array(raw as ArrayBuffer);
      // Messages after a refusal are not read: the client resends what we lack when it reconnects.
      room.queue.push(() => (room.conns.has(ws) && !conn.closing ? handleMessage(room, conn, data, rules) : undefined), onError);
    };
    ws.off("message", buffer);
    ws.on("message", enqueue);
    ws.on("pong", () => (conn.alive = true));
    ws.on("close", () => {
      room.conns.delete(ws);
      for (const id of conn.awarenessIds) if (room.awarenessOwners.get(id) === conn) room.awarenessOwners.delete(id);
      if (conn.awarenessIds.size) awarenessProtocol.removeAwarenessStates(room.awareness, [...conn.awarenessIds], null);
      rooms.scheduleUnload(room);
    });

    // Server's state vector first (the client answers with what we lack: offline
    // edits merge here), then everyone's presence.
    send(conn, syncStep1Message(room.doc));
    const present = [...room.awareness.getStates().keys()];
    if (present.length) send(conn, awarenessStatesMessage(room.awareness, present));
    for (const raw of early) enqueue(raw);
  }

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    if (!isSameOrigin(req, deps.publicUrl, deps.secure)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
      return;
    }
    let user: { id: string; name: string } | null = null;
    try {
      user = await getSessionUser(db, req.headers.cookie, deps.sessionSecret);
    } catch (err) {
      log.error("yjs upgrade auth failed", { err: String(err) });
    }
    let docName = "";
    try {
      docName = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice("/yjs/".length));
    } catch {
      docName = "";
    }
    const sessionId = user ? sessionIdOf(req.headers.cookie, deps.sessionSecret) : null;
    wss.handleUpgrade(req, socket, head, (ws) => void onConnection(ws, user, sessionId, docName));
  }

  // Dead connections (no pong within 30 s) are dropped so their presence goes too.
  const heartbeat = setInterval(() => {
    rooms.each((room) => {
      for (const c of room.conns.values()) {
        if (!c.alive) c.ws.terminate();
        else {
          c.alive = false;
          c.ws.ping();
        }
      }
    });
  }, 30_000);
  heartbeat.unref();

  return {
    handleUpgrade,
    /** Stop accepting: every socket still open is terminated. */
    async close() {
      clearInterval(heartbeat);
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
