// What a plan's live document feeds besides its clients: the relational
// projection (areas, goals, actions: the dashboard, API, CSV, ICS), written
// when the plan has been quiet for `delayMs` (and at least every `maxDelayMs`
// while people keep typing, as Hocuspocus debounces its stores), and the
// follow-up history of status and progress changes made in the editor. Both run
// after the fan-out, never between an update's append and its fan-out; the
// projection diffs against the rows it wrote last instead of reading them back
// (docs/decisions/053-projection-when-quiet.md).
import * as Y from "yjs";
import type { Db } from "../../db";
import type { LocalEventBus } from "../domain/events";
import { recordFollowup } from "../domain/followups";
import { areasOf, planToJson } from "../domain/plan-doc";
import { projectionRows, sameProjectionRows, writeProjectionRows, type WrittenProjection } from "../domain/plans";
import { log } from "../log";
import { isConn } from "./protocol";

export class PlanProjection {
  private timer: NodeJS.Timeout | undefined;
  private dirty = false;
  /** When the oldest change not yet projected came (Date.now()), if any is waiting. */
  private dirtySince: number | undefined;
  /** The rows this room (or a server-side change through it) last wrote, and at which sequence number. */
  written: WrittenProjection | undefined;
  private projecting: Promise<void> = Promise.resolve();
  /** Follow-up history rows being written, in order. */
  history: Promise<void> = Promise.resolve();

  constructor(
    private readonly doc: Y.Doc,
    private readonly docName: string,
    readonly planId: string,
    private readonly deps: { db: Db; events?: LocalEventBus; delayMs: number; maxDelayMs: number; seq: () => number },
  ) {
    // The projection reads only the areas tree: edits elsewhere (presence-only docs,
    // other root types) never wake it, so no planToJson runs on their path.
    areasOf(doc).observeDeep((events, tr) => {
      this.recordHistory(events, tr);
      this.schedule();
    });
  }

  /**
   * A status or progress changed in the live editor lands in the follow-up history,
   * with who changed it (docs/decisions/008-followup-history.md).
   */
  private recordHistory(events: Y.YEvent<Y.AbstractType<unknown>>[], tr: Y.Transaction) {
    const conn = isConn(tr.origin) ? tr.origin : undefined;
    if (!conn) return;
    for (const ev of events) {
      if (!(ev.target instanceof Y.Map) || !(ev instanceof Y.YMapEvent)) continue;
      const keys = ev.keysChanged;
      if (!keys.has("status") && !keys.has("progress")) continue;
      const action = ev.target as Y.Map<unknown>;
      const actionId = action.get("id");
      if (typeof actionId !== "string") continue;
      const old = (k: string) => (ev.changes.keys.get(k)?.action === "update" ? ev.changes.keys.get(k)!.oldValue : undefined);
      const entry = {
        planId: this.planId,
        actionId,
        by: conn.userId,
        source: "editor" as const,
        oldStatus: keys.has("status") ? String(old("status") ?? "") || null : String(action.get("status") ?? ""),
        newStatus: String(action.get("status") ?? "not_started"),
        oldProgress: keys.has("progress") ? (typeof old("progress") === "number" ? (old("progress") as number) : null) : Number(action.get("progress") ?? 0),
        newProgress: Number(action.get("progress") ?? 0),
        comment: "",
      };
      this.history = this.history.then(async () => void (await recordFollowup(this.deps.db, entry))).catch((err) => log.error("recording follow-up history failed", { doc: this.docName, err: String(err) }));
    }
  }

  /**
   * Write `delayMs` after the last change, but no later than `maxDelayMs` after the
   * first one not yet written: while people type, the projection waits for a pause
   * (the dashboard and exports are a few seconds behind the editor at most).
   */
  private schedule() {
    this.dirty = true;
    const now = Date.now();
    this.dirtySince ??= now;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        void this.project();
      }, this.deps.delayMs);
    } else if (now + this.deps.delayMs <= this.dirtySince + this.deps.maxDelayMs) {
      this.timer.refresh();
    }
  }

  /** Write the projection now if the plan changed since the last write. */
  project(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    this.projecting = this.projecting.then(async () => {
      if (!this.dirty) return;
      this.dirty = false;
      this.dirtySince = undefined;
      try {
        const seq = this.deps.seq();
        const rows = projectionRows(this.planId, planToJson(this.doc));
        // Edits outside the plan's fields (or undone ones) leave the projection as it is.
        if (this.written && sameProjectionRows(this.written.rows, rows)) return;
        const wrote = await writeProjectionRows(this.deps.db, this.planId, rows, new Date(), this.deps.events, seq, this.written);
        // Null: another node had written a newer state; the next write reads its rows.
        this.written = wrote ? { seq, rows: wrote } : undefined;
      } catch (err) {
        this.written = undefined;
        this.dirty = true;
        log.error("plan projection failed", { doc: this.docName, err: String(err) });
      }
    });
    return this.projecting;
  }
}
