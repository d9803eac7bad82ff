// The update store: where a live document's Yjs updates are kept. The room asks
// it for nothing else, so SQLite (sqlite-store.ts, today's one node) and a
// PostgreSQL store (several nodes, docs/decisions/033-collab-server-in-parts.md)
// are two implementations of one interface. Every method may return a promise;
// the SQLite store answers `appendNow` synchronously on the hot path.
import * as Y from "yjs";
import { dialectOf, type Db } from "../../db";
import { nowIso } from "../domain/time";
import { PgDocStore } from "./pg-store";
import { SqliteDocStore } from "./sqlite-store";

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
  /** A snapshot: it holds every entry up to `seq` (compaction folded them). */
  folded?: boolean;
}

/** An append refused because someone's rights changed since the writer's were resolved (`epoch` is the new one). */
export class RightsChanged extends Error {
  constructor(readonly epoch: number) {
    super(`rights changed (epoch ${epoch})`);
  }
}

/** An append refused because the document is frozen in the store (another node froze it). */
export class FrozenDocument extends Error {
  constructor(readonly docName: string) {
    super(`document ${docName} is frozen`);
  }
}

export interface DocStore {
  /**
   * True when a document's sequence numbers have no gaps (1, 2, 3 … per document):
   * a room that sees seq 7 after 5 knows it missed 6 and refills. The SQLite log id
   * is shared by every document, so its numbers skip.
   */
  readonly gapless: boolean;
  /** The document as stored: the snapshot, then every entry after it, in order. */
  load(docName: string): Promise<StoredDoc>;
  /**
   * Append one accepted update; resolves once it is durable. Returns its sequence
   * number. Given a transaction, the update is appended in it: durable only once it
   * commits, together with the rest of that transaction (server-side changes).
   * With `rightsEpoch` (the epoch the writer's rights were resolved at), a store
   * shared by several nodes refuses the append with RightsChanged once the epoch
   * has moved, so the writer's rights are resolved again first.
   */
  append(docName: string, update: Uint8Array, userId: string | null, trx?: Db, rightsEpoch?: number): Promise<number>;
  /**
   * Optional fast path of `append`: append synchronously and return the sequence
   * number once the update is durable, or undefined when that is not possible right
   * now (the caller then uses `append`). Saves a promise per update on the hot path.
   */
  appendNow?(docName: string, update: Uint8Array, userId: string | null): number | undefined;
  /**
   * The log entries after `seq`, in order: what a node that missed a fan-out message
   * refills from. If compaction folded entries after `seq`, the snapshot comes
   * first (`folded`), so nothing after `seq` is ever left out.
   */
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
   * Freeze the document (a plan adopted, a statement adopted): `record` gets its
   * exact current state and a transaction, and writes the freeze into the
   * relational rows in it; the freeze and those rows commit together or not at
   * all. `current` gives the state the caller holds; a store shared by several
   * nodes stops appends in that transaction first, then reads the state from its
   * own rows. Appends after it fail with FrozenDocument.
   */
  freeze(docName: string, current: () => Uint8Array, record: (state: Uint8Array, trx: Db) => Promise<void>): Promise<void>;
}

export { SqliteDocStore, writeInitialState } from "./sqlite-store";
export { PgDocStore } from "./pg-store";

/** The store for the database's engine: SQLite (one node) or PostgreSQL (one or several). */
export function docStoreFor(db: Db): DocStore {
  return dialectOf(db) === "postgres" ? new PgDocStore(db) : new SqliteDocStore(db);
}

/**
 * Write `state` as the document's snapshot, holding every log entry up to `upto`,
 * and delete exactly those entries (`by`: the column that numbers them, the log id
 * on SQLite, the document's own sequence on PostgreSQL). Run it in a transaction.
 */
export async function replaceLog(trx: Db, docName: string, state: Uint8Array, upto: number, by: "id" | "seq"): Promise<void> {
  const row = { state, last_update_id: upto, updated_at: nowIso() };
  await trx
    .insertInto("yjs_snapshots")
    .values({ doc_name: docName, ...row })
    .onConflict((oc) => oc.column("doc_name").doUpdateSet(row))
    .execute();
  await trx.deleteFrom("yjs_updates").where("doc_name", "=", docName).where(by, "<=", upto).execute();
}

/** Build the current Y.Doc from storage (for readers that do not go through a live room). */
export async function loadDoc(store: Pick<DocStore, "load">, docName: string): Promise<Y.Doc> {
  const { updates } = await store.load(docName);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  return doc;
}
