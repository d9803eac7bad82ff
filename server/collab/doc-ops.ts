// What the domain asks of the live documents (DocOps in server/domain/deps.ts):
// a change made by the server itself, freezing, and the current state.
import * as Y from "yjs";
import type { Db } from "../../db";
import type { DocOps } from "../domain/deps";
import { resolveDoc, type DocState } from "../domain/doc-access";
import { DomainError } from "../domain/errors";
import type { LocalEventBus } from "../domain/events";
import { planToJson, type PlanJson } from "../domain/plan-doc";
import { writeProjection } from "../domain/plans";
import { crashPoint } from "../crash-points";
import { isEmptyUpdate } from "./messages";
import type { Rooms } from "./rooms";
import { FrozenDocument, type DocStore } from "./store";

/** The refusal of a write into a frozen document, in the words of its kind. */
function frozenError(doc: Pick<DocState, "kind" | "status">): DomainError {
  if (doc.kind === "plan") return new DomainError("error.planAdopted", 409);
  if (doc.kind === "statement") return new DomainError("error.statementLocked", 409);
  return new DomainError(doc.status === "draft" ? "error.meetingCancelled" : "error.minutesFrozen", 409);
}

export function docOps({ db, store, rooms, events }: { db: Db; store: DocStore; rooms: Rooms; events?: LocalEventBus }): DocOps {
  /**
   * A change made by the server itself (a follow-up report, an action item or a
   * proposal turned into plan actions, a CSV import): computed on a copy of the
   * live state, then persisted and fanned out exactly like a client's update, in
   * the room's queue. The Yjs update and `commit`'s relational writes (history
   * rows, "converted" marks, audit) go into ONE database transaction, so a crash
   * keeps both or neither (docs/decisions/023-server-changes-atomic.md). A frozen
   * document (adopted plan, closed minutes, cancelled meeting, statement out of
   * draft) is refused with a DomainError, checked in that same transaction.
   * `change` may throw a DomainError to refuse (nothing is written).
   */
  async function applyServerChange<R = void, T = void>(
    docName: string,
    change: (doc: Y.Doc) => R,
    commit?: (trx: Db, result: R) => Promise<T>,
  ): Promise<{ result: R; committed: T | undefined }> {
    const state = await resolveDoc(db, docName);
    if (!state) throw new DomainError("error.documentNotFound", 404);
    const room = await rooms.get(state.name, state.kind === "plan" ? state.id : null);
    rooms.keep(room);
    try {
      return await room.queue.run(async () => {
        if (room.frozen) throw frozenError(state);
        const copy = new Y.Doc();
        Y.applyUpdate(copy, Y.encodeStateAsUpdate(room.doc));
        const before = Y.encodeStateVector(copy);
        let result: R;
        let update: Uint8Array;
        let json: PlanJson | undefined;
        try {
          result = change(copy);
          update = Y.encodeStateAsUpdate(copy, before);
          // A plan's projection (dashboard, API, CSV) is written in the same transaction.
          if (room.planId && !isEmptyUpdate(update)) json = planToJson(copy);
        } finally {
          copy.destroy();
        }
        const empty = isEmptyUpdate(update);
        if (empty && !commit) return { result, committed: undefined };
        const { id, committed, written } = await db.transaction().execute(async (trx) => {
          const now = await resolveDoc(trx, state.name);
          if (!now?.open) throw frozenError(now ?? state);
          const id = empty ? undefined : await store.append(state.name, update, null, trx).catch((err) => {
            // Frozen on another node, after the status read above.
            throw err instanceof FrozenDocument ? frozenError(now) : err;
          });
          crashPoint("serverChange.appended");
          const written = json && room.planId ? await writeProjection(trx, room.planId, json, new Date(), events, id) : undefined;
          const committed = commit ? await commit(trx, result) : undefined;
          crashPoint("serverChange.beforeCommit");
          return { id, committed, written };
        });
        crashPoint("serverChange.committed");
        if (room.projection && written && id !== undefined) room.projection.written = { seq: id, rows: written };
        if (id !== undefined) room.applyAppended(update, "server", id);
        return { result, committed };
      });
    } finally {
      // Server-side changes are deliberate (a report, a conversion): project at once so
      // the dashboard and API show them on the next request.
      await room.project();
      rooms.scheduleUnload(room);
    }
  }

  /**
   * Freeze a document: `fn` gets its exact current state inside the room's queue
   * (no update can slip in between) and records the freeze; from then on every
   * client write to the loaded room is dropped, before rights are re-resolved.
   */
  async function freeze(docName: string, planId: string | null, fn: (state: Uint8Array, trx: Db) => Promise<void>): Promise<void> {
    const room = await rooms.get(docName, planId);
    await room.freeze(fn);
    rooms.scheduleUnload(room);
  }

  /** The document's current state (live room after its queue drains, else storage). */
  async function currentState(name: string): Promise<Uint8Array> {
    const docName = name.startsWith("doc:") ? ((await resolveDoc(db, name))?.name ?? name) : name;
    const room = await rooms.loaded(docName);
    if (room) {
      await room.queue.idle();
      return Y.encodeStateAsUpdate(room.doc);
    }
    const { updates } = await store.load(docName);
    return updates.length ? Y.mergeUpdates(updates) : Y.encodeStateAsUpdate(new Y.Doc());
  }

  return { applyServerChange, freeze, currentState };
}
