import type * as Y from "yjs";
import type { Db } from "../../db";
import type { EventSink } from "./events";

/** What a domain function that changes state needs: the database and where to record events. */
export interface Deps {
  db: Db;
  events: EventSink;
}

/**
 * What the domain asks of the live documents (implemented by server/collab):
 * their current state, changes made by the server, and freezing.
 */
export interface DocOps {
  currentState(docName: string): Promise<Uint8Array>;
  /**
   * Freeze a document: `fn` gets its exact last state and a transaction, and
   * records the freeze in it; the document refuses writes from that commit on, on
   * every node (a failed `fn` freezes nothing).
   */
  freeze(docName: string, planId: string | null, fn: (state: Uint8Array, trx: Db) => Promise<void>): Promise<void>;
  /**
   * Change a live document as the server: `change` edits a copy, and the resulting
   * Yjs update is stored in ONE transaction with `commit`'s relational writes
   * (both or neither survive a crash). Refuses a frozen document (DomainError 409).
   */
  applyServerChange<R = void, T = void>(
    docName: string,
    change: (doc: Y.Doc) => R,
    commit?: (trx: Db, result: R) => Promise<T>,
  ): Promise<{ result: R; committed: T | undefined }>;
}

/** SQLite's unique-constraint failure, so callers can turn a race into a clear message. */
export function isUniqueViolation(err: unknown): boolean {
  return (
    typeof err === "object" &&
    err !== null &&
    "code" in err &&
    typeof (err as { code: unknown }).code === "string" &&
    ((err as { code: string }).code === "SQLITE_CONSTRAINT_UNIQUE" ||
      (err as { code: string }).code === "SQLITE_CONSTRAINT_PRIMARYKEY" ||
      (err as { code: string }).code === "23505")
  );
}
