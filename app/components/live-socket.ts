// One socket.io connection per browser tab, shared by every component that
// listens (council pages, the notification counter). Loaded only in the browser.
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/protocol";

export type LiveSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

let shared: Promise<LiveSocket> | undefined;

export function liveSocket(): Promise<LiveSocket> {
  shared ??= import("socket.io-client").then(({ io }) => io({ withCredentials: true }) as LiveSocket);
  return shared;
}
