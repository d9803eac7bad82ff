// The fan-out bus between the rooms of one document on different nodes. A room
// sends its own connections everything itself (room.ts); the bus carries only
// what the OTHER rooms of the same document need: each update after it is durable
// (with its sequence number), and presence. It is a fast path, never the record:
// a message lost or late delays an update, and a room refills from the store
// (DocStore.readSince). LocalDocBus: one process; RedisDocBus (redis-bus.ts):
// several nodes (docs/decisions/036-documents-across-nodes.md).

export type BusMessage =
  /** An update already durable in the store, as `seq`. */
  | { type: "update"; seq: number; update: Uint8Array }
  /** An awareness update (y-protocols encoding). */
  | { type: "awareness"; update: Uint8Array }
  /** A room just loaded: the others answer with the presence of their own connections. */
  | { type: "awareness-query" }
  /** From the bus itself, never published: messages may have been lost (a reconnect); refill from the store. */
  | { type: "resync" };

/** One room's membership in a document's channel. */
export interface DocChannel {
  /** Resolves once the channel receives (a room loads its document only then, so nothing falls between). */
  ready?: Promise<void>;
  /** To every other member of the document's channel; never back to this one. */
  publish(msg: Exclude<BusMessage, { type: "resync" }>): void;
  leave(): void;
}

export interface DocBus {
  /** Join a document's channel: `onMessage` gets what the other members publish, in their order. */
  join(docName: string, onMessage: (msg: BusMessage) => void): DocChannel;
}

/**
 * In-process bus. With one room per document (one node) a publish finds no
 * other member and costs one map lookup. Several collab servers in one process
 * (tests) reach each other through it; delivery is asynchronous, as over a
 * network, and in publish order.
 */
export class LocalDocBus implements DocBus {
  private readonly members = new Map<string, Set<(msg: BusMessage) => void>>();

  join(docName: string, onMessage: (msg: BusMessage) => void): DocChannel {
    let set = this.members.get(docName);
    if (!set) this.members.set(docName, (set = new Set()));
    const self = (msg: BusMessage) => onMessage(msg);
    set.add(self);
    return {
      publish: (msg) => {
        if (set.size < 2) return;
        for (const member of set) if (member !== self) queueMicrotask(() => set.has(member) && member(msg));
      },
      leave: () => {
        set.delete(self);
        if (set.size === 0 && this.members.get(docName) === set) this.members.delete(docName);
      },
    };
  }
}
