import type { Db } from "../../db";
import type { MessageKey } from "../../app/i18n/keys";
import { newId } from "./ids";
import { nowIso } from "./time";

/**
 * Every action the log records, and the words a reader sees for it. A typed map:
 * recording an action that has no words fails `tsc` (docs/decisions/021).
 */
export const AUDIT_ACTIONS = {
  "agenda_template.created": "audit.action.agenda_template.created",
  "agenda_template.deleted": "audit.action.agenda_template.deleted",
  "agenda_template.updated": "audit.action.agenda_template.updated",
  "api_token.created": "audit.action.api_token.created",
  "api_token.revoked": "audit.action.api_token.revoked",
  "attendance.guest_added": "audit.action.attendance.guest_added",
  "attendance.guest_removed": "audit.action.attendance.guest_removed",
  "attendance.recorded": "audit.action.attendance.recorded",
  "attendance.substitute_removed": "audit.action.attendance.substitute_removed",
  "attendance.substitute_set": "audit.action.attendance.substitute_set",
  "attachment.added": "audit.action.attachment.added",
  "attachment.deleted": "audit.action.attachment.deleted",
  "attachment.replaced": "audit.action.attachment.replaced",
  "council.created": "audit.action.council.created",
  "council.paragraph_numbering": "audit.action.council.paragraph_numbering",
  "decision.recorded": "audit.action.decision.recorded",
  "followups.exported": "audit.action.followups.exported",
  "indicators.exported": "audit.action.indicators.exported",
  "group.created": "audit.action.group.created",
  "group.deleted": "audit.action.group.deleted",
  "group.updated": "audit.action.group.updated",
  "invitation.accepted": "audit.action.invitation.accepted",
  "invitation.created": "audit.action.invitation.created",
  "invitation.revoked": "audit.action.invitation.revoked",
  "meeting.cancelled": "audit.action.meeting.cancelled",
  "meeting.convened": "audit.action.meeting.convened",
  "meeting.moved": "audit.action.meeting.moved",
  "meeting_series.cancelled": "audit.action.meeting_series.cancelled",
  "meeting_series.changed": "audit.action.meeting_series.changed",
  "meeting_series.created": "audit.action.meeting_series.created",
  "membership.details_changed": "audit.action.membership.details_changed",
  "membership.leader_appointed": "audit.action.membership.leader_appointed",
  "membership.leader_stepped_down": "audit.action.membership.leader_stepped_down",
  "membership.removed": "audit.action.membership.removed",
  "membership.role_changed": "audit.action.membership.role_changed",
  "minutes.approved": "audit.action.minutes.approved",
  "minutes.approvers_named": "audit.action.minutes.approvers_named",
  "minutes.closed": "audit.action.minutes.closed",
  "minutes.returned": "audit.action.minutes.returned",
  "personal_data.exported": "audit.action.personal_data.exported",
  "plan.adopted": "audit.action.plan.adopted",
  "plan.created": "audit.action.plan.created",
  "plan.revision_opened": "audit.action.plan.revision_opened",
  "poll.closed": "audit.action.poll.closed",
  "poll.opened": "audit.action.poll.opened",
  "statement.adopted": "audit.action.statement.adopted",
  "statement.converted": "audit.action.statement.converted",
  "statement.poll_closed": "audit.action.statement.poll_closed",
  "statement.poll_opened": "audit.action.statement.poll_opened",
  "statement.withdrawn": "audit.action.statement.withdrawn",
  "user.anonymised": "audit.action.user.anonymised",
  "user.email_changed": "audit.action.user.email_changed",
  "user.password_changed": "audit.action.user.password_changed",
  "user.password_reset": "audit.action.user.password_reset",
  "user.renamed": "audit.action.user.renamed",
  "user.sso_linked": "audit.action.user.sso_linked",
  "year_event.changed": "audit.action.year_event.changed",
  "year_event.created": "audit.action.year_event.created",
  "year_event.deleted": "audit.action.year_event.deleted",
} as const satisfies Record<string, MessageKey>;
export type AuditAction = keyof typeof AUDIT_ACTIONS;

export interface AuditEntry {
  councilId: string | null;
  actorId: string | null;
  action: AuditAction;
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

/**
 * A value in an entry's before/after, typed by what it is, so the page shows it
 * in the reader's words: a dictionary key for a code (a role, a status), a date
 * or an instant in Stockholm time, the name of what an id points to.
 */
export type AuditValue =
  | { kind: "text"; text: string }
  | { kind: "number"; value: number }
  | { kind: "yesNo"; value: boolean }
  | { kind: "key"; key: MessageKey }
  | { kind: "date"; date: string }
  | { kind: "instant"; iso: string }
  /** An id: the name of the person or thing, or null when it no longer exists. */
  | { kind: "ref"; name: string | null; person: boolean }
  | { kind: "plan"; year: number }
  | { kind: "list"; items: AuditValue[] }
  | { kind: "none" };

export interface AuditDetail {
  label: MessageKey;
  value: AuditValue;
}

// How each stored field reads: its label and how its value is shown.
type FieldKind = "text" | "number" | "yesNo" | "date" | "instant" | "ref" | "refs" | "role" | "perspective" | "outcome" | "via" | "numbering";
const FIELDS = {
  name: ["audit.field.name", "text"],
  slug: ["audit.field.slug", "text"],
  subRegion: ["audit.field.subRegion", "text"],
  role: ["audit.field.role", "role"],
  validFrom: ["audit.field.validFrom", "date"],
  validTo: ["audit.field.validTo", "date"],
  organisation: ["audit.field.organisation", "text"],
  perspective: ["audit.field.perspective", "perspective"],
  decision: ["audit.field.decision", "text"],
  councils: ["audit.field.councils", "number"],
  approvers: ["audit.field.approvers", "refs"],
  comment: ["audit.field.comment", "text"],
  year: ["audit.field.year", "number"],
  from: ["audit.field.from", "number"],
  carried: ["audit.field.carried", "number"],
  left: ["audit.field.left", "number"],
  closesAt: ["audit.field.closesAt", "instant"],
  quorum: ["audit.field.quorum", "number"],
  outcome: ["audit.field.outcome", "outcome"],
  title: ["audit.field.title", "text"],
  via: ["audit.field.via", "via"],
  meetingId: ["audit.field.meeting", "ref"],
  actions: ["audit.field.actions", "number"],
  reason: ["audit.field.reason", "text"],
  startsAt: ["audit.field.startsAt", "instant"],
  endsAt: ["audit.field.endsAt", "instant"],
  allNo: ["audit.field.allNo", "yesNo"],
  description: ["audit.field.description", "text"],
  areas: ["audit.field.areas", "refs"],
  convener: ["audit.field.convener", "ref"],
  members: ["audit.field.members", "refs"],
  present: ["audit.field.present", "refs"],
  excused: ["audit.field.excused", "refs"],
  absent: ["audit.field.absent", "refs"],
  substituteFor: ["audit.field.substituteFor", "ref"],
  // A person's id, or the name given in free text.
  substitute: ["audit.field.substitute", "text"],
  guest: ["audit.field.guest", "text"],
  guestRole: ["audit.field.guestRole", "text"],
  items: ["audit.field.agendaItems", "number"],
  numbering: ["audit.field.numbering", "numbering"],
  email: ["audit.field.email", "text"],
  expiresAt: ["audit.field.expiresAt", "instant"],
  issuer: ["audit.field.issuer", "text"],
  month: ["audit.field.month", "number"],
  day: ["audit.field.day", "number"],
} as const satisfies Record<string, readonly [MessageKey, FieldKind]>;

const CODE_KEYS = {
  role: { process_leader: "role.process_leader", member: "role.member", adjunct: "role.adjunct", observer: "role.observer" },
  perspective: {
    employer: "perspective.employer",
    education: "perspective.education",
    municipal_federation: "perspective.municipal_federation",
    region: "perspective.region",
    labour_market_party: "perspective.labour_market_party",
    public_agency: "perspective.public_agency",
    other: "perspective.other",
  },
  outcome: { adopted: "statements.outcome.adopted", rejected: "statements.outcome.rejected", blocked: "statements.outcome.blocked", no_quorum: "statements.outcome.no_quorum" },
  via: { poll: "audit.via.poll", meeting: "audit.via.meeting" },
  numbering: { meeting: "audit.numbering.meeting", year: "audit.numbering.year" },
} as const satisfies Record<string, Record<string, MessageKey>>;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

type Names = Map<string, { name: string; person: boolean } | { year: number }>;

/** A stored value of unknown shape (an old entry, a field without a label), read by its form. */
function guess(v: unknown, names: Names): AuditValue {
  if (v === null || v === undefined || v === "") return { kind: "none" };
  if (typeof v === "boolean") return { kind: "yesNo", value: v };
  if (typeof v === "number") return { kind: "number", value: v };
  if (Array.isArray(v)) return { kind: "list", items: v.map((x) => guess(x, names)) };
  if (typeof v === "string") {
    if (UUID.test(v)) return ref(v, names);
    if (INSTANT.test(v)) return { kind: "instant", iso: v };
    if (DATE.test(v)) return { kind: "date", date: v };
    return { kind: "text", text: v };
  }
  return { kind: "none" };
}

function ref(id: string, names: Names): AuditValue {
  const found = names.get(id);
  if (found && "year" in found) return { kind: "plan", year: found.year };
  return { kind: "ref", name: found?.name ?? null, person: found?.person ?? false };
}

function value(kind: FieldKind, v: unknown, names: Names): AuditValue {
  if (v === null || v === undefined || v === "") return { kind: "none" };
  switch (kind) {
    case "role":
    case "perspective":
    case "outcome":
    case "via":
    case "numbering": {
      const keys: Record<string, MessageKey> = CODE_KEYS[kind];
      return typeof v === "string" && Object.hasOwn(keys, v) ? { kind: "key", key: keys[v] } : { kind: "key", key: "code.unknown" };
    }
    case "refs":
      return Array.isArray(v) ? { kind: "list", items: v.map((x) => (typeof x === "string" ? ref(x, names) : guess(x, names))) } : guess(v, names);
    case "ref":
      return typeof v === "string" ? ref(v, names) : guess(v, names);
    default:
      return guess(v, names);
  }
}

/** An entry's before/after JSON as labelled values; a field without a label is shown as "other". */
function details(json: string | null, names: Names): AuditDetail[] | null {
  if (json === null) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return [{ label: "audit.field.other", value: { kind: "text", text: json } }];
  }
  if (parsed === null) return null;
  if (typeof parsed !== "object" || Array.isArray(parsed)) return [{ label: "audit.field.other", value: guess(parsed, names) }];
  return Object.entries(parsed as Record<string, unknown>).map(([field, v]) => {
    if (Object.hasOwn(FIELDS, field)) {
      const [label, kind] = FIELDS[field as keyof typeof FIELDS];
      return { label, value: value(kind, v, names) };
    }
    return { label: "audit.field.other", value: guess(v, names) };
  });
}

/** Every id an entry mentions (subject, before, after), to look their names up in one go. */
function idsIn(json: string | null, into: Set<string>) {
  if (!json) return;
  for (const m of json.matchAll(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi)) into.add(m[0]);
}

export interface AuditView {
  id: string;
  at: string;
  councilName: string | null;
  actorName: string | null;
  /** The action's words; an action the dictionary does not know (old data) reads as "other change". */
  action: MessageKey;
  /** What the entry is about: the person, meeting, plan, group, ... it names, or its text (an e-mail, a slug). */
  subject: AuditValue;
  before: AuditDetail[] | null;
  after: AuditDetail[] | null;
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
  const ids = new Set<string>();
  for (const r of rows) {
    if (r.subject && UUID.test(r.subject)) ids.add(r.subject);
    idsIn(r.before_json, ids);
    idsIn(r.after_json, ids);
  }
  const names: Names = new Map();
  const list = [...ids];
  // SQLite binds at most 32,766 parameters; a page is at most a few hundred entries.
  for (let i = 0; i < list.length; i += 500) {
    const chunk = list.slice(i, i + 500);
    for (const u of await db.selectFrom("users").select(["id", "name"]).where("id", "in", chunk).execute()) names.set(u.id, { name: u.name, person: true });
    for (const m of await db.selectFrom("meetings").select(["id", "title"]).where("id", "in", chunk).execute()) names.set(m.id, { name: m.title, person: false });
    for (const p of await db.selectFrom("plans").select(["id", "year"]).where("id", "in", chunk).execute()) names.set(p.id, { year: p.year });
    for (const g of await db.selectFrom("working_groups").select(["id", "name"]).where("id", "in", chunk).execute()) names.set(g.id, { name: g.name, person: false });
    for (const it of await db.selectFrom("agenda_items").select(["id", "title"]).where("id", "in", chunk).execute()) names.set(it.id, { name: it.title, person: false });
    for (const st of await db.selectFrom("statements").select(["id", "title"]).where("id", "in", chunk).execute()) names.set(st.id, { name: st.title, person: false });
    for (const tpl of await db.selectFrom("agenda_templates").select(["id", "name"]).where("id", "in", chunk).execute()) names.set(tpl.id, { name: tpl.name, person: false });
    for (const ev of await db.selectFrom("year_events").select(["id", "title"]).where("id", "in", chunk).execute()) names.set(ev.id, { name: ev.title, person: false });
    for (const inv of await db.selectFrom("invitations").select(["id", "email"]).where("id", "in", chunk).execute()) names.set(inv.id, { name: inv.email, person: false });
    // Plan areas live in each year's projection; any year's title will do.
    for (const a of await db.selectFrom("plan_areas").select(["id", "title"]).where("id", "in", chunk).execute()) if (!names.has(a.id)) names.set(a.id, { name: a.title, person: false });
  }
  const subject = (s: string | null): AuditValue => (s === null ? { kind: "none" } : UUID.test(s) ? ref(s, names) : { kind: "text", text: s });
  return rows.map((r) => ({
    id: r.id,
    at: r.created_at,
    councilName: r.councilName ?? null,
    actorName: r.actorName ?? null,
    action: Object.hasOwn(AUDIT_ACTIONS, r.action) ? AUDIT_ACTIONS[r.action as AuditAction] : "audit.action.other",
    subject: subject(r.subject),
    before: details(r.before_json, names),
    after: details(r.after_json, names),
    redacted: r.redacted_at !== null,
  }));
}
