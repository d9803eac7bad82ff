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

export interface AuditView {
  id: string;
  at: string;
  councilName: string | null;
  actorName: string | null;
  action: string;
  /** What the entry is about, in words where the id is known (a person, a meeting, a plan). */
  subject: string | null;
  before: string | null;
  after: string | null;
  redacted: boolean;
}

/**
 * Audit entries, newest first: one council's (for its process leaders) or the
 * whole installation's (for site admins). Read-only: nothing in the app writes
 * here except recordAudit and the GDPR redaction.
 */
export async function listAudit(db: Db, opts: { councilId?: string; limit?: number; before?: string; action?: string }): Promise<AuditView[]> {
  let q = db
    .selectFrom("audit_log as a")
    .leftJoin("users as u", "u.id", "a.actor_id")
    .leftJoin("councils as c", "c.id", "a.council_id")
    .select(["a.id", "a.created_at", "a.action", "a.subject", "a.before_json", "a.after_json", "a.redacted_at", "u.name as actorName", "c.name as councilName"]);
  if (opts.councilId) q = q.where("a.council_id", "=", opts.councilId);
  if (opts.before) q = q.where("a.created_at", "<", opts.before);
  if (opts.action) q = q.where("a.action", "like", `${opts.action.replace(/[\\%_]/g, "")}%`);
  const rows = await q.orderBy("a.created_at", "desc").orderBy("a.id", "desc").limit(opts.limit ?? 100).execute();
  const ids = [...new Set(rows.map((r) => r.subject).filter((s): s is string => !!s))];
  const names = new Map<string, string>();
  if (ids.length) {
    for (const u of await db.selectFrom("users").select(["id", "name"]).where("id", "in", ids).execute()) names.set(u.id, u.name);
    for (const m of await db.selectFrom("meetings").select(["id", "title"]).where("id", "in", ids).execute()) names.set(m.id, m.title);
    for (const p of await db.selectFrom("plans").select(["id", "year"]).where("id", "in", ids).execute()) names.set(p.id, `Handlingsplan ${p.year}`);
    for (const g of await db.selectFrom("working_groups").select(["id", "name"]).where("id", "in", ids).execute()) names.set(g.id, g.name);
    for (const i of await db.selectFrom("agenda_items").select(["id", "title"]).where("id", "in", ids).execute()) names.set(i.id, i.title);
  }
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at,
    councilName: r.councilName ?? null,
    actorName: r.actorName ?? null,
    action: r.action,
    subject: r.subject ? (names.get(r.subject) ?? r.subject) : null,
    before: r.before_json,
    after: r.after_json,
    redacted: r.redacted_at !== null,
  }));
}
