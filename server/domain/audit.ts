import type { Db } from "../../db";
import { newId } from "./ids";
import { nowIso } from "./time";

export interface AuditEntry {
  councilId: string | null;
  actorId: string | null;
  action: string;
  subject?: string | null;
  before?: unknown;
  after?: unknown;
}

/** Append-only (a trigger refuses UPDATE and DELETE); call inside the same transaction as the change. */
export async function recordAudit(db: Db, e: AuditEntry, now = new Date()): Promise<void> {
  await db
    .insertInto("audit_log")
    .values({
      id: newId(),
      council_id: e.councilId,
      actor_id: e.actorId,
      action: e.action,
      subject: e.subject ?? null,
      before_json: e.before === undefined ? null : JSON.stringify(e.before),
      after_json: e.after === undefined ? null : JSON.stringify(e.after),
      created_at: nowIso(now),
    })
    .execute();
}
