// One socket.io connection per browser tab, shared by every component that
// listens (council pages, the notification counter). Loaded only in the browser,
// once the page is idle after hydration: the connection is not needed for the first
// paint or the first interaction, and opening it earlier lengthens the main thread's
// busiest stretch (Lighthouse's Total Blocking Time). Its state ("connecting", "live",
// "offline") is a small external store, so that only the components that show it
// re-render when it changes, not the page that listens.
import { useSyncExternalStore } from "react";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/protocol";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;
export type LiveState = "connecting" | "live" | "offline";

/** At the latest after this long the socket opens even if the page never goes idle. */
const IDLE_TIMEOUT_MS = 1000;

let shared: Promise<LiveSocket> | undefined;
let state: LiveState = "connecting";
const listeners = new Set<() => void>();

function setState(next: LiveState) {
  if (next === state) return;
  state = next;
  for (const l of listeners) l();
}

function whenIdle(): Promise<void> {
  return new Promise((resolve) => {
    if (typeof window.requestIdleCallback === "function") window.requestIdleCallback(() => resolve(), { timeout: IDLE_TIMEOUT_MS });
    else setTimeout(resolve, 1);
  });
}

export function liveSocket(): Promise<LiveSocket> {
  shared ??= whenIdle()
    .then(() => import("socket.io-client"))
    .then(({ io }) => {
      // WebSocket only, no long-polling: behind a load balancer with several nodes, a
      // polling session would need sticky sessions; a WebSocket stays on its node.
      const socket = io({ withCredentials: true, transports: ["websocket"] }) as LiveSocket;
      socket.on("ready", () => setState("live"));
      socket.on("connect", () => setState("live"));
      socket.on("disconnect", () => setState("offline"));
      socket.on("connect_error", () => setState("offline"));
      return socket;
    });
  return shared;
}

const subscribe = (listener: () => void) => {
  listeners.add(listener);
  return () => void listeners.delete(listener);
};

/** The live connection's state, for the component that shows it. */
export function useLiveState(): LiveState {
  return useSyncExternalStore(
    subscribe,
    () => state,
    () => "connecting",
  );
}
