// Several nodes: what crosses between them goes through Redis (issue #14,
// docs/decisions/036-documents-across-nodes.md). One publishing connection and
// one subscribing connection per node carry the domain events (RedisEventBus) and
// the live documents' fan-out (server/collab/redis-bus.ts); socket.io's Redis
// adapter gets a pair of its own. Redis is a fast path only: the database stays
// the record, and anything lost here is refilled from it.
import { randomBytes } from "node:crypto";
import { createAdapter } from "@socket.io/redis-adapter";
import { Redis } from "ioredis";
import { RedisDocBus } from "./collab/redis-bus";
import { LocalEventBus, type DomainEvent } from "./domain/events";
import { log } from "./log";

export interface RedisLinks {
  bus: RedisEventBus;
  docBus: RedisDocBus;
  /** socket.io's adapter: rooms, emits and disconnects span the nodes. */
  adapter: ReturnType<typeof createAdapter>;
  /** Round trip to Redis (for /healthz). */
  ping(): Promise<unknown>;
  close(): Promise<void>;
}

/** Connect this node to the installation's Redis under `prefix`. */
export function connectRedis(url: string, prefix: string, nodeId: string): RedisLinks {
  const open = (role: string) => {
    const r = new Redis(url, { connectionName: `samsyn:${nodeId}:${role}`, lazyConnect: false });
    r.on("error", (err) => log.warn("Redis connection error", { role, err: String(err) }));
    return r;
  };
  const pub = open("pub");
  const sub = open("sub");
  const ioPub = open("io-pub");
  const ioSub = open("io-sub");
  const bus = new RedisEventBus(pub, sub, prefix);
  const docBus = new RedisDocBus(pub, sub, prefix);
  return {
    bus,
    docBus,
    adapter: createAdapter(ioPub, ioSub, { key: `${prefix}socket.io` }),
    ping: () => pub.ping(),
    async close() {
      bus.close();
      await Promise.allSettled([pub, sub, ioPub, ioSub].map((r) => r.quit()));
    },
  };
}

/**
 * Domain events across nodes: each is handed to this node's listeners at once
 * ("here") and published to the others ("elsewhere"), who hand it to theirs. A node
 * never receives its own events back from Redis.
 */
export class RedisEventBus extends LocalEventBus {
  /** This bus's own id: what it publishes carries it, so it can skip its own messages. */
  private readonly self = randomBytes(8).toString("hex");
  private readonly channel: string;
  /** Resolves once this node receives other nodes' events. */
  readonly ready: Promise<void>;
  private readonly onMessage = (channel: string, raw: string) => {
    if (channel !== this.channel) return;
    try {
      const { from, event } = JSON.parse(raw) as { from: string; event: DomainEvent };
      if (from !== this.self) this.deliver(event, "elsewhere");
    } catch (err) {
      log.error("unreadable event from Redis", { err: String(err) });
    }
  };

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    prefix: string,
  ) {
    super();
    this.channel = `${prefix}events`;
    sub.on("message", this.onMessage);
    this.ready = sub.subscribe(this.channel).then(() => undefined);
    this.ready.catch((err) => log.error("subscribing to events failed", { err: String(err) }));
  }


  override publish(event: DomainEvent): void {
    this.deliver(event, "here");
    this.pub.publish(this.channel, JSON.stringify({ from: this.self, event })).catch((err) => log.warn("publishing an event to Redis failed", { type: event.type, err: String(err) }));
  }

  close(): void {
    this.sub.off("message", this.onMessage);
  }
}
