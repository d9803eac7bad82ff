// The fan-out bus between nodes, over Redis pub/sub: one channel per document
// (`<prefix>doc:<name>`), joined while a node has the document loaded. A message
// carries the sending bus's id (a node skips its own), the update's sequence
// number, and the bytes. Pub/sub keeps one publisher's order but may lose messages
// while a connection is down: after a reconnect every room is told to refill from
// the store (`resync`), and a room that sees a gap in the numbers refills too
// (room.ts). See docs/decisions/036-documents-across-nodes.md.
import { randomBytes } from "node:crypto";
import type { Redis } from "ioredis";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import { log } from "../log";
import type { BusMessage, DocBus, DocChannel } from "./bus";

const KIND = { update: 0, awareness: 1, "awareness-query": 2 } as const;

type Wire = Exclude<BusMessage, { type: "resync" }>;

export function encodeBusMessage(from: string, msg: Wire): Uint8Array {
  const e = encoding.createEncoder();
  encoding.writeVarUint(e, KIND[msg.type]);
  encoding.writeVarString(e, from);
  if (msg.type === "update") encoding.writeVarUint(e, msg.seq);
  if (msg.type !== "awareness-query") encoding.writeVarUint8Array(e, msg.update);
  return encoding.toUint8Array(e);
}

export function decodeBusMessage(data: Uint8Array): { from: string; msg: Wire } {
  const d = decoding.createDecoder(data);
  const kind = decoding.readVarUint(d);
  const from = decoding.readVarString(d);
  switch (kind) {
    case KIND.update: {
      const seq = decoding.readVarUint(d);
      return { from, msg: { type: "update", seq, update: decoding.readVarUint8Array(d) } };
    }
    case KIND.awareness:
      return { from, msg: { type: "awareness", update: decoding.readVarUint8Array(d) } };
    case KIND["awareness-query"]:
      return { from, msg: { type: "awareness-query" } };
    default:
      throw new Error(`unknown bus message kind ${kind}`);
  }
}

export class RedisDocBus implements DocBus {
  /** This node's id on the bus: its own messages come back from Redis and are skipped. */
  private readonly self = randomBytes(8).toString("hex");
  /** Channel → this node's member (one room per document per node) and its subscription. */
  private readonly members = new Map<string, { onMessage: (msg: BusMessage) => void; ready: Promise<void> }>();
  private connectedBefore = false;

  constructor(
    private readonly pub: Redis,
    private readonly sub: Redis,
    private readonly prefix: string,
  ) {
    sub.on("messageBuffer", (channel: Buffer, message: Buffer) => this.receive(channel.toString(), message));
    sub.on("ready", () => {
      // ioredis subscribes again by itself; what was published meanwhile is in the store.
      if (this.connectedBefore) for (const m of this.members.values()) m.onMessage({ type: "resync" });
      this.connectedBefore = true;
    });
    if (sub.status === "ready") this.connectedBefore = true;
  }

  private receive(channel: string, message: Buffer) {
    const member = this.members.get(channel);
    if (!member) return;
    let decoded;
    try {
      decoded = decodeBusMessage(new Uint8Array(message.buffer, message.byteOffset, message.byteLength));
    } catch (err) {
      log.error("unreadable document message from Redis", { channel, err: String(err) });
      return;
    }
    if (decoded.from !== this.self) member.onMessage(decoded.msg);
  }

  join(docName: string, onMessage: (msg: BusMessage) => void): DocChannel {
    const channel = `${this.prefix}doc:${docName}`;
    const ready = this.sub.subscribe(channel).then(() => undefined);
    const member = { onMessage, ready };
    this.members.set(channel, member);
    return {
      ready,
      publish: (msg) => {
        this.pub.publish(channel, Buffer.from(encodeBusMessage(this.self, msg))).catch((err) => log.warn("publishing to Redis failed", { doc: docName, err: String(err) }));
      },
      leave: () => {
        if (this.members.get(channel) !== member) return;
        this.members.delete(channel);
        void this.sub.unsubscribe(channel).catch(() => undefined);
      },
    };
  }
}
