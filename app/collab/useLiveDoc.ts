// One live Y.Doc per page, synced with the server through the stock y-websocket
// provider. The socket carries the session cookie (same origin); the server
// decides read/write rights.
import { useEffect, useState } from "react";
import type { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import type { MessageKey } from "~/i18n";

export type Connection = "connecting" | "connected" | "reconnecting" | "offline" | "denied";

/** The message (i18n key) for each connection state, shown in a role="status" line. */
export const CONNECTION_KEY: Record<Connection, MessageKey> = {
  connecting: "plan.connection.connecting",
  connected: "plan.connection.connected",
  reconnecting: "plan.connection.reconnecting",
  offline: "plan.connection.offline",
  denied: "plan.connection.denied",
};

export interface LiveDoc {
  doc: Y.Doc;
  provider: WebsocketProvider;
  synced: boolean;
  connection: Connection;
}

/** Origin of edits made through this page, so the undo manager tracks only our own. */
export const LOCAL = Symbol("local-edit");

export function useLiveDoc(docName: string): LiveDoc | null {
  const [live, setLive] = useState<LiveDoc | null>(null);
  useEffect(() => {
    let provider: WebsocketProvider | undefined;
    let doc: Y.Doc | undefined;
    let cancelled = false;
    let everConnected = false;
    let denied = false;
    let onOffline: (() => void) | undefined;
    void import("y-websocket").then(({ WebsocketProvider }) => {
      if (cancelled) return;
      doc = new Y.Doc();
      const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/yjs`;
      provider = new WebsocketProvider(url, docName, doc, { maxBackoffTime: 5000 });
      const p = provider;
      const d = doc;
      const update = (patch: Partial<LiveDoc>) => setLive((prev) => ({ ...(prev ?? { doc: d, provider: p, synced: false, connection: "connecting" }), ...patch }));
      update({});
      p.on("status", ({ status }: { status: "connected" | "connecting" | "disconnected" }) => {
        if (denied) return;
        if (status === "connected") everConnected = true;
        const connection: Connection =
          status === "connected" ? "connected" : !navigator.onLine ? "offline" : everConnected ? "reconnecting" : "connecting";
        update({ connection });
      });
      p.on("sync", (isSynced: boolean) => update({ synced: isSynced || undefined === isSynced }));
      // Our close codes 4401/4403/4404 mean "no access": stop retrying and say so.
      p.on("connection-close", (event: CloseEvent | null) => {
        if (event && event.code >= 4400 && event.code < 4500) {
          denied = true;
          p.shouldConnect = false;
          update({ connection: "denied" });
        }
      });
      onOffline = () => update({ connection: "offline" });
      window.addEventListener("offline", onOffline);
    });
    return () => {
      cancelled = true;
      if (onOffline) window.removeEventListener("offline", onOffline);
      provider?.destroy();
      doc?.destroy();
      setLive(null);
    };
  }, [docName]);
  return live;
}
