// Real `y-websocket` clients in Node, authenticated with a session cookie.
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";

/** A WebSocket class that sends the cookie and a same-origin Origin header, as a browser would. */
export function cookieWebSocket(cookie: string | undefined, origin: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), origin } });
    }
  } as unknown as typeof globalThis.WebSocket;
}

export interface Client {
  doc: Y.Doc;
  provider: WebsocketProvider;
  destroy(): void;
}

export function connect(baseUrl: string, docName: string, cookie: string | undefined, doc = new Y.Doc()): Client {
  const provider = new WebsocketProvider(baseUrl.replace(/^http/, "ws") + "/yjs", docName, doc, {
    WebSocketPolyfill: cookieWebSocket(cookie, baseUrl),
    disableBc: true,
    maxBackoffTime: 200,
  });
  return {
    doc,
    provider,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
}

export function waitFor(predicate: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, 10);
    };
    tick();
  });
}

export const synced = (c: Client) => waitFor(() => c.provider.synced, "sync");

/** Open a raw socket and resolve with how the server closed it. */
export function closeOf(baseUrl: string, path: string, cookie?: string): Promise<{ code: number; reason: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(baseUrl.replace(/^http/, "ws") + path, { headers: { ...(cookie ? { cookie } : {}), origin: baseUrl } });
    ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() }));
    ws.on("error", () => undefined);
    ws.on("unexpected-response", (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
  });
}

/** `n` elements, each inside the previous one, built in place (one transaction), with `text` at the bottom. */
export function nest(parent: Y.XmlFragment, n: number, text = "djupt") {
  let at: Y.XmlFragment = parent;
  for (let i = 0; i < n; i++) {
    const el = new Y.XmlElement("blockquote");
    at.insert(0, [el]);
    at = el;
  }
  at.insert(0, [new Y.XmlText(text)]);
}
