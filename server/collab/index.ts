// The Yjs WebSocket endpoint, /yjs/<docName>. This slice authenticates the
// upgrade and resolves the document before anything else; the document store
// (sync, awareness, persistence) arrives with the live-plan work (issue 3).
// Until then every document name is unknown and the socket is closed with a reason.
import type { IncomingMessage } from "node:http";
import type { Duplex } from "node:stream";
import { WebSocketServer } from "ws";
import type { Db } from "../../db";
import { getSessionUser } from "../auth/session";
import { isSameOrigin } from "../http-origin";
import { log } from "../log";

/** WebSocket close codes (4000–4999 are ours). */
export const CLOSE = {
  unauthorized: 4401,
  forbidden: 4403,
  notFound: 4404,
  badMessage: 4400,
} as const;

export interface CollabOptions {
  db: Db;
  sessionSecret: string;
  publicUrl: string | null;
  secure: boolean;
}

const DOC_NAME = /^(plan|doc):[A-Za-z0-9-]{1,64}$/;

export function initCollab(opts: CollabOptions) {
  const wss = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  async function handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer) {
    if (!isSameOrigin(req, opts.publicUrl, opts.secure)) {
      socket.end("HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n");
      return;
    }
    let userId: string | null = null;
    try {
      userId = (await getSessionUser(opts.db, req.headers.cookie, opts.sessionSecret))?.id ?? null;
    } catch (err) {
      log.error("yjs upgrade auth failed", { err: String(err) });
    }
    const docName = decodeURIComponent(new URL(req.url ?? "/", "http://x").pathname.slice("/yjs/".length));
    wss.handleUpgrade(req, socket, head, (ws) => {
      if (!userId) return ws.close(CLOSE.unauthorized, "Not signed in");
      if (!DOC_NAME.test(docName)) return ws.close(CLOSE.badMessage, "Malformed document name");
      // No document kinds are served yet: answer as for a document that does not exist.
      ws.close(CLOSE.notFound, "Unknown document");
    });
  }

  return {
    handleUpgrade,
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
    },
  };
}
