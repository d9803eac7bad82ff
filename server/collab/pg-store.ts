// The update store on PostgreSQL, shared by several nodes (issue #14,
// docs/decisions/036-documents-across-nodes.md). Its three rules:
//
// - Order: each document numbers its updates itself (`yjs_docs.seq`), taken under
//   that row's lock in the statement that inserts the update, so numbers are
//   gapless and commit in order per document (identity ids do not commit in order).
// - Freeze in the database: a frozen document's row refuses the next number, so an
//   append fails (FrozenDocument) on every node, in the transaction that froze it
//   or after.
// - Reads and compaction from stored rows only: a node's memory may lack another
//   node's latest update, so nothing is folded or deleted that was not read back in
//   the same transaction; each read is one statement, so a compaction on another
//   node can never fall between reading the snapshot and reading the log.
import { sql } from "kysely";
import * as Y from "yjs";
import { inTransaction, type Db } from "../../db";
import { nowIso } from "../domain/time";
import { FrozenDocument, replaceLog, RightsChanged, type DocStore, type StoredDoc, type StoredUpdate } from "./store";

interface Row {
  seq: number;
  update: Uint8Array;
  folded: boolean;
}

/** Lock key of a document's compaction (advisory, per transaction). */
const compactLock = (docName: string) => sql`pg_advisory_xact_lock(hashtextextended(${`samsyn:compact:${docName}`}, 0))`;

export class PgDocStore implements DocStore {
  readonly gapless = true;

  constructor(private readonly db: Db) {}

  /**
   * The snapshot (if it folds entries after `after`) and every entry after `after`,
   * in one statement: one consistent view even while another node compacts.
   */
  private async read(db: Db, docName: string, after: number, upto?: number): Promise<Row[]> {
    const bound = upto === undefined ? sql`` : sql`and u.seq <= ${upto}::bigint`;
    const { rows } = await sql<Row>`
      with s as (select state, last_update_id from yjs_snapshots where doc_name = ${docName})
      select last_update_id as seq, state as "update", true as folded from s where last_update_id > ${after}::bigint or ${after}::bigint = 0
      union all
      select u.seq, u."update", false as folded from yjs_updates u
       where u.doc_name = ${docName} and u.seq > greatest(${after}::bigint, coalesce((select last_update_id from s), 0)) ${bound}
      order by folded desc, seq`.execute(db);
    return rows.map((r) => ({ seq: Number(r.seq), update: r.update, folded: r.folded }));
  }

  async load(docName: string): Promise<StoredDoc> {
    const rows = await this.read(this.db, docName, 0);
    return { updates: rows.map((r) => r.update), lastUpdateId: rows.at(-1)?.seq ?? 0 };
  }

  async append(docName: string, update: Uint8Array, userId: string | null, trx: Db = this.db, rightsEpoch?: number): Promise<number> {
    // The number and the row in one statement: the row lock on yjs_docs is held until
    // commit, so the next append of this document (on any node) waits for this one.
    // Nothing is written if the document is frozen or the writer's rights epoch moved.
    const epochOk = rightsEpoch === undefined ? sql`true` : sql`exists (select 1 from rights_epoch where id = 1 and epoch = ${rightsEpoch}::bigint)`;
    const { rows } = await sql<{ seq: number }>`
      with n as (
        insert into yjs_docs as d (doc_name, seq) select ${docName}, 1 where ${epochOk}
        on conflict (doc_name) do update set seq = d.seq + 1 where d.frozen_at is null
        returning seq
      )
      insert into yjs_updates (doc_name, seq, "update", user_id, created_at)
      select ${docName}, n.seq, ${update}, ${userId}, ${nowIso()} from n
      returning seq`.execute(trx);
    if (rows.length) return Number(rows[0]!.seq);
    const why = await sql<{ frozen: boolean; epoch: number }>`
      select exists (select 1 from yjs_docs where doc_name = ${docName} and frozen_at is not null) as frozen,
             (select epoch from rights_epoch where id = 1) as epoch`.execute(trx);
    const { frozen, epoch } = why.rows[0]!;
    if (frozen) throw new FrozenDocument(docName);
    throw new RightsChanged(Number(epoch));
  }

  async readSince(docName: string, seq: number): Promise<StoredUpdate[]> {
    return (await this.read(this.db, docName, seq)).map(({ seq, update, folded }) => (folded ? { seq, update, folded } : { seq, update }));
  }

  /**
   * Fold the stored entries up to `uptoId` into the snapshot. `state` (the
   * caller's memory) is not used: the snapshot is built from the rows read in this
   * transaction, under the document's compaction lock, and exactly those are deleted.
   */
  async compact(docName: string, _state: Uint8Array, uptoId: number): Promise<void> {
    await this.db.transaction().execute(async (trx) => {
      await sql`select ${compactLock(docName)}`.execute(trx);
      const rows = await this.read(trx, docName, 0, uptoId);
      const folded = rows.filter((r) => !r.folded);
      if (!folded.length) return;
      const last = folded.at(-1)!.seq;
      await replaceLog(trx, docName, mergeState(rows.map((r) => r.update)), last, "seq");
    });
  }

  async pending(docName: string): Promise<number> {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from yjs_updates u
       where u.doc_name = ${docName} and u.seq > coalesce((select last_update_id from yjs_snapshots where doc_name = ${docName}), 0)`.execute(this.db);
    return Number(rows[0]?.n ?? 0);
  }

  /**
   * Freeze in one transaction: mark the document frozen (its row lock waits for an
   * append in flight and makes every later one fail), read its state from the rows,
   * and let `record` write the relational freeze in the same transaction.
   */
  async freeze(docName: string, _current: () => Uint8Array, record: (state: Uint8Array, trx: Db) => Promise<void>): Promise<void> {
    await inTransaction(this.db, async (trx) => {
      await sql`insert into yjs_docs as d (doc_name, seq, frozen_at) values (${docName}, 0, ${nowIso()})
        on conflict (doc_name) do update set frozen_at = coalesce(d.frozen_at, excluded.frozen_at)`.execute(trx);
      const rows = await this.read(trx, docName, 0);
      await record(mergeState(rows.map((r) => r.update)), trx);
    });
  }
}

/** One update holding the state of `updates` applied in order (deleted content collected). */
function mergeState(updates: Uint8Array[]): Uint8Array {
  const doc = new Y.Doc();
  try {
    doc.transact(() => updates.forEach((u) => Y.applyUpdate(doc, u)));
    return Y.encodeStateAsUpdate(doc);
  } finally {
    doc.destroy();
  }
}
