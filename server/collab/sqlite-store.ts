// The update store on SQLite (one node): the log `yjs_updates` and the snapshot
// `yjs_snapshots`. A log id is the document's sequence number: SQLite has one
// writer, so ids commit in order. The append on the hot path is one prepared
// statement, synchronous (appendNow). WAL checkpoints run in a worker thread
// (db/wal-checkpointer.ts), never on this connection between an append and its fan-out.
import type { Statement } from "better-sqlite3";
import { inTransaction, sqliteHandle, type Db } from "../../db";
import { walWritten } from "../../db/wal-checkpointer";
import { nowIso } from "../domain/time";
import { replaceLog, type DocStore, type StoredDoc, type StoredUpdate } from "./store";

export class SqliteDocStore implements DocStore {
  readonly gapless = false;
  private readonly sqlite;
  private insertUpdate: Statement<[string, Uint8Array, string | null, string]> | undefined;

  constructor(private db: Db) {
    this.sqlite = sqliteHandle(db);
  }

  async load(docName: string): Promise<StoredDoc> {
    const snap = await this.db
      .selectFrom("yjs_snapshots")
      .select(["state", "last_update_id"])
      .where("doc_name", "=", docName)
      .executeTakeFirst();
    const after = snap?.last_update_id ?? 0;
    const rows = await this.db
      .selectFrom("yjs_updates")
      .select(["id", "update"])
      .where("doc_name", "=", docName)
      .where("id", ">", after)
      .orderBy("id")
      .execute();
    return {
      updates: [...(snap ? [snap.state] : []), ...rows.map((r) => r.update)],
      lastUpdateId: rows.at(-1)?.id ?? after,
    };
  }

  async append(docName: string, update: Uint8Array, userId: string | null, trx: Db = this.db): Promise<number> {
    const row = await trx
      .insertInto("yjs_updates")
      .values({ doc_name: docName, update, user_id: userId, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  /**
   * One INSERT through a statement prepared once, on kysely's own connection (≈ 4×
   * cheaper than building the query with kysely each time). Only when no kysely
   * transaction is open on it: our write would otherwise join (and commit or roll
   * back with) someone else's transaction. kysely runs each statement synchronously,
   * so outside a transaction nothing of its own is half-done on the connection.
   */
  appendNow(docName: string, update: Uint8Array, userId: string | null): number | undefined {
    if (!this.sqlite || this.sqlite.inTransaction) return undefined;
    this.insertUpdate ??= this.sqlite.prepare('insert into yjs_updates (doc_name, "update", user_id, created_at) values (?, ?, ?, ?)');
    const id = Number(this.insertUpdate.run(docName, update, userId, nowIso()).lastInsertRowid);
    walWritten(this.db);
    return id;
  }

  async readSince(docName: string, seq: number): Promise<StoredUpdate[]> {
    // One connection, one writer: the two reads see the same log.
    const snap = await this.db.selectFrom("yjs_snapshots").select(["state", "last_update_id"]).where("doc_name", "=", docName).executeTakeFirst();
    const rows = await this.db.selectFrom("yjs_updates").select(["id", "update"]).where("doc_name", "=", docName).where("id", ">", seq).orderBy("id").execute();
    return [...(snap && snap.last_update_id > seq ? [{ seq: snap.last_update_id, update: snap.state, folded: true }] : []), ...rows.map((r) => ({ seq: r.id, update: r.update }))];
  }

  /**
   * One node: the caller's state is the stored state (its room applies every
   * update it appends, and holds its queue while `record` runs), and the freeze
   * is the relational status `record` writes, which every later write checks
   * (resolveDoc).
   */
  async freeze(_docName: string, current: () => Uint8Array, record: (state: Uint8Array, trx: Db) => Promise<void>): Promise<void> {
    const state = current();
    await inTransaction(this.db, (trx) => record(state, trx));
  }

  async compact(docName: string, state: Uint8Array, uptoId: number): Promise<void> {
    await this.db.transaction().execute((trx) => replaceLog(trx, docName, state, uptoId, "id"));
  }

  async pending(docName: string): Promise<number> {
    const snap = await this.db.selectFrom("yjs_snapshots").select("last_update_id").where("doc_name", "=", docName).executeTakeFirst();
    const r = await this.db
      .selectFrom("yjs_updates")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("doc_name", "=", docName)
      .where("id", ">", snap?.last_update_id ?? 0)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }
}

/** Write a document's first state (plan creation, seed) as its snapshot. */
export async function writeInitialState(db: Db, docName: string, update: Uint8Array): Promise<void> {
  await new SqliteDocStore(db).compact(docName, update, 0);
}
