// The update store: where a live document's Yjs updates are kept. The room asks
// it for nothing else, so SQLite (sqlite-store.ts, today's one node) and a
// PostgreSQL store (several nodes, docs/decisions/033-collab-server-in-parts.md)
// are two implementations of one interface. Every method may return a promise;
// the SQLite store answers `appendNow` synchronously on the hot path.
import * as Y from "yjs";
import type { Db } from "../../db";

export interface StoredDoc {
  /** Snapshot state (if compacted) followed by the log entries after it. */
  updates: Uint8Array[];
  /**
   * Sequence number (SQLite: log id) of the last log entry included. Entries of
   * one document are ordered by it, in commit order.
   */
  lastUpdateId: number;
}

export interface StoredUpdate {
  seq: number;
  update: Uint8Array;
}

export interface DocStore {
  /** The document as stored: the snapshot, then every entry after it, in order. */
  load(docName: string): Promise<StoredDoc>;
  /**
   * Append one accepted update; resolves once it is durable. Returns its sequence
   * number. Given a transaction, the update is appended in it: durable only once it
   * commits, together with the rest of that transaction (server-side changes).
   */
  append(docName: string, update: Uint8Array, userId: string | null, trx?: Db): Promise<number>;
  /**
   * Optional fast path of `append`: append synchronously and return the sequence
   * number once the update is durable, or undefined when that is not possible right
   * now (the caller then uses `append`). Saves a promise per update on the hot path.
   */
  appendNow?(docName: string, update: Uint8Array, userId: string | null): number | undefined;
  /** The log entries after `seq`, in order: what a node that missed a fan-out message refills from. */
  readSince(docName: string, seq: number): Promise<StoredUpdate[]>;
  /**
   * Replace the log up to `uptoId` by one snapshot of `state`. The caller promises
   * that `state` holds every entry up to `uptoId`: the store deletes exactly those
   * entries and never one after it.
   */
  compact(docName: string, state: Uint8Array, uptoId: number): Promise<void>;
  /** Number of log entries after the snapshot. */
  pending(docName: string): Promise<number>;
  /**
   * Freeze the document (a plan adopted, minutes closed, a statement adopted):
   * `record` gets its exact current state and writes the freeze into the
   * relational rows. `current` gives the state the caller holds; a store shared
   * by several nodes reads it from its own rows instead and stops appends first.
   */
  freeze(docName: string, current: () => Uint8Array, record: (state: Uint8Array) => Promise<void>): Promise<void>;
}

export { SqliteDocStore, writeInitialState } from "./sqlite-store";

/** Build the current Y.Doc from storage (for readers that do not go through a live room). */
export async function loadDoc(store: Pick<DocStore, "load">, docName: string): Promise<Y.Doc> {
  const { updates } = await store.load(docName);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  return doc;
}
