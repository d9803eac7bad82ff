// Persistence for Yjs documents behind a small interface, so that PostgreSQL (or
// another store) is a new implementation rather than a rewrite.
import * as Y from "yjs";
import type { Db } from "../../db";
import { nowIso } from "../domain/time";

export interface StoredDoc {
  /** Snapshot state (if compacted) followed by the log entries after it. */
  updates: Uint8Array[];
  /** Id of the last log entry included. */
  lastUpdateId: number;
}

export interface DocStore {
  load(docName: string): Promise<StoredDoc>;
  /** Append one accepted update; resolves once it is durable. Returns its log id. */
  append(docName: string, update: Uint8Array, userId: string | null): Promise<number>;
  /** Replace the log up to `uptoId` by one snapshot of `state`. */
  compact(docName: string, state: Uint8Array, uptoId: number): Promise<void>;
  /** Number of log entries after the snapshot. */
  pending(docName: string): Promise<number>;
}

export class SqliteDocStore implements DocStore {
  constructor(private db: Db) {}

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

  async append(docName: string, update: Uint8Array, userId: string | null): Promise<number> {
    const row = await this.db
      .insertInto("yjs_updates")
      .values({ doc_name: docName, update, user_id: userId, created_at: nowIso() })
      .returning("id")
      .executeTakeFirstOrThrow();
    return row.id;
  }

  async compact(docName: string, state: Uint8Array, uptoId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("yjs_snapshots")
        .values({ doc_name: docName, state, last_update_id: uptoId, updated_at: nowIso() })
        .onConflict((oc) => oc.column("doc_name").doUpdateSet({ state, last_update_id: uptoId, updated_at: nowIso() }))
        .execute();
      await trx.deleteFrom("yjs_updates").where("doc_name", "=", docName).where("id", "<=", uptoId).execute();
    });
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

/** Build the current Y.Doc from storage (for readers that do not go through a live room). */
export async function loadDoc(store: DocStore, docName: string): Promise<Y.Doc> {
  const { updates } = await store.load(docName);
  const doc = new Y.Doc();
  doc.transact(() => {
    for (const u of updates) Y.applyUpdate(doc, u);
  });
  return doc;
}
