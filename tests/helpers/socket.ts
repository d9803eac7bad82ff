// A socket.io client for tests: records every server event, so waits never miss
// one that came early, and a wait that times out fails the test with what came.
import { io, type Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/protocol";

export const EVENT_TIMEOUT_MS = 5_000;

export type ServerEvent = keyof ServerToClientEvents;
export interface Received {
  event: string;
  payload: unknown;
}

export class Client {
  readonly socket: Socket<ServerToClientEvents, ClientToServerEvents>;
  readonly events: Received[] = [];
  private listeners = new Set<() => void>();

  /** Not connected yet: call `socket.connect()` (after any listeners you need). */
  constructor(base: string, headers: Record<string, string>) {
    this.socket = io(base, {
      transports: ["websocket"],
      extraHeaders: headers,
      reconnection: false,
      autoConnect: false,
      forceNew: true,
      timeout: EVENT_TIMEOUT_MS,
    });
    this.socket.onAny((event: string, payload: unknown) => {
      this.events.push({ event, payload });
      for (const l of this.listeners) l();
    });
  }

  /** The index after the last event so far: wait for events that come after it. */
  mark(): number {
    return this.events.length;
  }

  /** Every `event` at or after `since`, in order. */
  received(event: ServerEvent, since = 0): Received[] {
    return this.events.slice(since).filter((e) => e.event === event);
  }

  /** Payloads of every `event` at or after `since`. */
  payloads<T>(event: ServerEvent, since = 0): T[] {
    return this.received(event, since).map((e) => e.payload as T);
  }

  /** The first matching `event` at or after `since`; rejects (fails the test) after a bounded wait. */
  waitFor<T = unknown>(event: ServerEvent, since = 0, match: (p: T) => boolean = () => true, timeoutMs = EVENT_TIMEOUT_MS): Promise<T> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.events.slice(since).find((e) => e.event === event && match(e.payload as T));
        if (!hit) return;
        cleanup();
        resolve(hit.payload as T);
      };
      const timer = setTimeout(() => {
        cleanup();
        reject(new Error(`"${event}" not received within ${timeoutMs} ms; got ${JSON.stringify(this.events.slice(since))}`));
      }, timeoutMs);
      const cleanup = () => {
        clearTimeout(timer);
        this.listeners.delete(check);
      };
      this.listeners.add(check);
      check();
    });
  }

  close() {
    this.socket.disconnect();
  }
}

/** A signed-in client, connected and past the server's "ready" (joined its rooms). */
export async function connectClient(base: string, cookie: string): Promise<Client> {
  const c = new Client(base, { cookie, origin: base });
  c.socket.connect();
  await c.waitFor("ready");
  return c;
}
