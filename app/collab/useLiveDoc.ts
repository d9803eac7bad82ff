// One live Y.Doc per page, synced with the server through the stock y-websocket
// provider. The socket carries the session cookie (same origin); the server
// decides read/write rights.
import { startTransition, useEffect, useState } from "react";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { MessageKey } from "~/i18n";

export type Connection = "connecting" | "connected" | "reconnecting" | "offline" | "denied" | "full" | "throttled";

/**
 * The message (i18n key) for each connection state, shown in a role="status" line.
 * A reader who cannot write (an observer, an adopted plan, a locked text) is not
 * promised that "changes are saved": they get the read-only words.
 */
export const CONNECTION_KEY: Record<"write" | "read", Record<Connection, MessageKey>> = {
  write: {
    connecting: "plan.connection.connecting",
    connected: "plan.connection.connected",
    reconnecting: "plan.connection.reconnecting",
    offline: "plan.connection.offline",
    denied: "plan.connection.denied",
    full: "live.documentFull",
    throttled: "live.tooFast",
  },
  read: {
    connecting: "plan.connection.connecting",
    connected: "live.readOnly.connected",
    reconnecting: "live.readOnly.reconnecting",
    offline: "live.readOnly.offline",
    denied: "plan.connection.denied",
    full: "live.documentFull",
    throttled: "live.tooFast",
  },
};

export interface LiveDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  /** The document has been loaded from the server at least once (it stays usable while offline). */
  synced: boolean;
  connection: Connection;
}

/** Origin of edits made through this page, so the undo manager tracks only our own. */
export const LOCAL = Symbol("local-edit");

/** What the status line says, from the provider's own state (never from a remembered event). */
export function connectionOf(
  p: Pick<WebsocketProvider, "wsconnected" | "synced">,
  s: { denied: boolean; full?: boolean; throttled?: boolean; online: boolean; everSynced: boolean },
): Connection {
  if (s.denied) return "denied";
  if (s.full) return "full";
  if (!s.online) return "offline";
  // Connected means the socket is open and this connection's sync has answered:
  // only then are edits known to reach the server.
  if (p.wsconnected && p.synced) return "connected";
  if (s.throttled) return "throttled";
  return s.everSynced ? "reconnecting" : "connecting";
}

export function useLiveDoc(docName: string): LiveDoc | null {
  const [live, setLive] = useState<LiveDoc | null>(null);
  useEffect(() => {
    let provider: WebsocketProvider | undefined;
    let doc: Y.Doc | undefined;
    let cancelled = false;
    let everSynced = false;
    let denied = false;
    // Closed by a limit (docs/plan-document.md): 4413 the document is full (stop),
    // 4429 writing too fast (the provider reconnects and resyncs by itself).
    let full = false;
    let throttled = false;
    let onNetwork: (() => void) | undefined;
    void import("y-websocket").then(({ WebsocketProvider }) => {
      if (cancelled) return;
      doc = new Y.Doc();
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/yjs`;
      provider = new WebsocketProvider(url, docName, doc, { maxBackoffTime: 5000 });
      const p = provider;
      const d = doc;
      // Every event that can change the connection recomputes it from the provider's
      // current state, so a reconnect that synced always ends in "connected", whatever
      // happened in between (issue #12, item 15).
      const refresh = () => {
        if (p.synced) everSynced = true;
        if (p.wsconnected && p.synced) throttled = false;
        const next = { doc: d, provider: p, synced: everSynced, connection: connectionOf(p, { denied, full, throttled, online: navigator.onLine, everSynced }) };
        // A transition: the first sync mounts the whole live editor (a plan's every
        // row), and React renders a transition in slices, yielding to input between
        // them, instead of one long task (bench:lighthouse, TBT on the plan page).
        startTransition(() => setLive(next));
      };
      refresh();
      p.on("status", refresh);
      p.on("sync", refresh);
      // Our close codes 4401/4403/4404 mean "no access": stop retrying and say so.
      p.on("connection-close", (event: CloseEvent | null) => {
        if (event?.code === 4429) throttled = true;
        else if (event?.code === 4413) {
          full = true;
          p.shouldConnect = false;
        } else if (event && event.code >= 4400 && event.code < 4500) {
          denied = true;
          p.shouldConnect = false;
        }
        refresh();
      });
      onNetwork = () => {
        // Back online: a socket that looked open through the outage may be dead (the
        // provider would notice only after 30 s without messages); start a fresh one,
        // whose sync merges what was written offline.
        if (navigator.onLine && !denied) {
          if (p.wsconnected) p.disconnect();
          p.connect();
        }
        refresh();
      };
      window.addEventListener("offline", onNetwork);
      window.addEventListener("online", onNetwork);
    });
    return () => {
      cancelled = true;
      if (onNetwork) {
        window.removeEventListener("offline", onNetwork);
        window.removeEventListener("online", onNetwork);
      }
      provider?.destroy();
      doc?.destroy();
      setLive(null);
    };
  }, [docName]);
  return live;
}
