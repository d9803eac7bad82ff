// Notifications: what concerns one person, written in the same transaction as the
// change that causes it (so a crash never loses one), shown in-app and delivered
// by e-mail at once or in a daily digest, as the person chose per kind.
// docs/decisions/009-notifications-activity-gdpr.md
import type { Db } from "../../db";
import { preparedQuery } from "../../db/prepared";
import type { EventSink } from "./events";
import { NOTIFICATION_KINDS, type Delivery, type EmailState, type NotificationKind } from "../../db/schema";
import { newId } from "./ids";
import { can, type CouncilAction } from "./permissions";
import { notificationText, type TextLocale } from "./notification-text";
import { nowIso, stockholmToday } from "./time";

export type NotificationParams = Record<string, string | number | null>;

export interface NotifyInput {
  kind: NotificationKind;
  councilId: string;
  recipients: Iterable<string>;
  params: NotificationParams;
  /** Path inside the council, e.g. `meetings/<id>`; stored as `/councils/<slug>/<path>`. */
  path: string;
  /** Time-driven kinds: at most one notification per person and key, ever. */
  dedupeKey?: string;
}

/**
 * The delivery a person gets for a kind when they have not chosen: the notice of a
 * meeting (convened, moved, cancelled: the kallelse with its calendar invitation) by
 * e-mail at once, as a council's members expect it; everything else in-app only.
 */
export function defaultDelivery(kind: NotificationKind): Delivery {
  return kind === "meeting_convened" || kind === "meeting_moved" || kind === "meeting_cancelled" ? "immediate" : "inapp";
}

const EMAIL_STATE: Record<Delivery, EmailState> = { inapp: "none", immediate: "pending", digest: "digest" };

/**
 * Write one notification per recipient (call inside the change's transaction).
 * Anonymised people and duplicates of a dedupe key are skipped. Returns the ids
 * of the people who got one, for the caller to publish after commit.
 */
export async function notify(db: Db, input: NotifyInput, now = new Date()): Promise<string[]> {
  const ids = [...new Set(input.recipients)];
  if (!ids.length) return [];
  const council = await db.selectFrom("councils").select(["slug", "name"]).where("id", "=", input.councilId).executeTakeFirstOrThrow();
  const people = await db.selectFrom("users").select("id").where("id", "in", ids).where("anonymised_at", "is", null).execute();
  const prefs = await db
    .selectFrom("notification_prefs")
    .select(["user_id", "delivery"])
    .where("kind", "=", input.kind)
    .where("user_id", "in", ids)
    .execute();
  const delivery = new Map(prefs.map((p) => [p.user_id, p.delivery]));
  const params = JSON.stringify({ ...input.params, council: council.name });
  const notified: string[] = [];
  for (const { id: userId } of people) {
    const res = await db
      .insertInto("notifications")
      .values({
        id: newId(),
        user_id: userId,
        council_id: input.councilId,
        kind: input.kind,
        params_json: params,
        link: `/councils/${council.slug}/${input.path}`,
        created_at: nowIso(now),
        read_at: null,
        email_state: EMAIL_STATE[delivery.get(userId) ?? defaultDelivery(input.kind)],
        emailed_at: null,
        dedupe_key: input.dedupeKey ?? null,
      })
      .onConflict((oc) => oc.doNothing())
      .executeTakeFirst();
    if (Number(res.numInsertedOrUpdatedRows ?? 0n) > 0) notified.push(userId);
  }
  return notified;
}

/**
 * The people active in a council today who may do `action`, minus `except`.
 * This is where "never someone outside the council or without the right" holds.
 */
export async function councilAudience(
  db: Db,
  councilId: string,
  action: CouncilAction,
  opts: { except?: string | null; today?: string } = {},
): Promise<string[]> {
  const rows = await db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .select(["m.user_id", "m.role", "m.valid_from", "m.valid_to"])
    .where("m.council_id", "=", councilId)
    .where("u.anonymised_at", "is", null)
    .execute();
  const today = opts.today ?? stockholmToday();
  return rows.filter((m) => m.user_id !== opts.except && can(m, action, today)).map((m) => m.user_id);
}

/** Keep only the people among `ids` who may do `action` in the council today. */
export async function withRight(db: Db, councilId: string, ids: Iterable<string>, action: CouncilAction, today?: string): Promise<string[]> {
  const allowed = new Set(await councilAudience(db, councilId, action, { today }));
  return [...new Set(ids)].filter((id) => allowed.has(id));
}

/** After commit: push new notifications and the activity entry to whoever is connected. */
export function publishCouncilLife(events: EventSink, councilId: string, notified: string[], activity: boolean) {
  if (notified.length) events.publish({ type: "notifications.created", userIds: notified });
  if (activity) events.publish({ type: "activity.recorded", councilId });
}

// ---- reading ----

export interface NotificationView {
  id: string;
  kind: NotificationKind;
  text: string;
  link: string;
  councilId: string | null;
  created: string;
  read: boolean;
}

export function renderNotification(
  row: { id: string; kind: NotificationKind; params_json: string; link: string; council_id: string | null; created_at: string; read_at: string | null },
  locale: TextLocale,
): NotificationView {
  return {
    id: row.id,
    kind: row.kind,
    text: notificationText(locale, row.kind, JSON.parse(row.params_json) as NotificationParams),
    link: row.link,
    councilId: row.council_id,
    created: row.created_at,
    read: row.read_at !== null,
  };
}

/** Newest first. */
export async function listNotifications(db: Db, userId: string, locale: TextLocale, opts: { limit?: number; unreadOnly?: boolean } = {}) {
  let q = db
    .selectFrom("notifications")
    .select(["id", "kind", "params_json", "link", "council_id", "created_at", "read_at"])
    .where("user_id", "=", userId);
  if (opts.unreadOnly) q = q.where("read_at", "is", null);
  const rows = await q.orderBy("created_at", "desc").orderBy("id", "desc").limit(opts.limit ?? 100).execute();
  return rows.map((r) => renderNotification(r, locale));
}

// The bell on every signed-in page: compiled once (db/prepared.ts), answered from the
// partial index notifications_unread (migration 0014).
const unreadQuery = preparedQuery((db: Db, userId: string) =>
  db
    .selectFrom("notifications")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("user_id", "=", userId)
    .where("read_at", "is", null),
);

export async function unreadCount(db: Db, userId: string): Promise<number> {
  const row = await unreadQuery.first(db, userId);
  return Number(row?.n ?? 0);
}

/** Mark one (or, without an id, all) of the person's notifications read. Another person's id matches nothing. */
export async function markRead(db: Db, userId: string, id: string | null, now = new Date()): Promise<number> {
  let q = db.updateTable("notifications").set({ read_at: nowIso(now) }).where("user_id", "=", userId).where("read_at", "is", null);
  if (id) q = q.where("id", "=", id);
  const res = await q.executeTakeFirst();
  return Number(res.numUpdatedRows);
}

// ---- preferences ----

export async function getPrefs(db: Db, userId: string): Promise<Record<NotificationKind, Delivery>> {
  const rows = await db.selectFrom("notification_prefs").select(["kind", "delivery"]).where("user_id", "=", userId).execute();
  const chosen = new Map(rows.map((r) => [r.kind, r.delivery]));
  return Object.fromEntries(NOTIFICATION_KINDS.map((k) => [k, chosen.get(k) ?? defaultDelivery(k)])) as Record<NotificationKind, Delivery>;
}

export async function setPrefs(db: Db, userId: string, prefs: Partial<Record<NotificationKind, Delivery>>): Promise<void> {
  await db.transaction().execute(async (trx) => {
    for (const [kind, delivery] of Object.entries(prefs) as [NotificationKind, Delivery][]) {
      await trx
        .insertInto("notification_prefs")
        .values({ user_id: userId, kind, delivery })
        .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ delivery }))
        .execute();
    }
  });
}

/**
 * Open one of the person's notifications: it is marked read and its link returned
 * (only a path of ours: anything else goes to the list). Undefined for an id that
 * is not theirs.
 */
export async function openNotification(db: Db, userId: string, id: string, now = new Date()): Promise<string | undefined> {
  const row = await db.selectFrom("notifications").select(["id", "link"]).where("id", "=", id).where("user_id", "=", userId).executeTakeFirst();
  if (!row) return undefined;
  await markRead(db, userId, row.id, now);
  // Links are always written by the server as /councils/...; never follow anything else.
  return row.link.startsWith("/") && !row.link.startsWith("//") ? row.link : "/notifications";
}
