// Personal data (GDPR): a person downloads what Samsyn holds about them, and a
// site admin removes a person from the installation by anonymising them. The
// person's rows stay (plans, minutes, follow-up history and decisions keep their
// meaning), but nothing says who they were: name → "Former member", e-mail and
// password erased, sessions, feeds, API tokens, notifications and invitations gone, and
// copies of the name or e-mail in logs redacted.
// docs/decisions/009-notifications-activity-gdpr.md
import { sql } from "kysely";
import type { Db } from "../../db";
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { nowIso } from "./time";

import { FORMER_MEMBER } from "./former-member";

// The stored marker; readers show it in their language (former-member.ts).
export { FORMER_MEMBER };

/** Everything stored about the person or written by them, as plain JSON. */
export async function exportPersonalData(db: Db, userId: string, now = new Date()) {
  const user = await db
    .selectFrom("users")
    .select(["id", "name", "email", "is_site_admin", "created_at", "locale"])
    .where("id", "=", userId)
    .where("anonymised_at", "is", null)
    .executeTakeFirst();
  if (!user) throw new DomainError("error.unknown", 404);
  return {
    format: "samsyn-personal-data/1",
    exportedAt: nowIso(now),
    person: { id: user.id, name: user.name, email: user.email, siteAdmin: user.is_site_admin === 1, createdAt: user.created_at, language: user.locale },
    memberships: await db
      .selectFrom("memberships as m")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select(["c.name as council", "c.slug", "m.role", "m.organisation", "m.perspective", "m.valid_from as validFrom", "m.valid_to as validTo", "m.created_at as since"])
      .where("m.user_id", "=", userId)
      .execute(),
    workingGroups: await db
      .selectFrom("working_group_members as gm")
      .innerJoin("working_groups as g", "g.id", "gm.group_id")
      .innerJoin("councils as c", "c.id", "g.council_id")
      .select(["c.name as council", "g.name as group", "gm.role"])
      .where("gm.user_id", "=", userId)
      .execute(),
    sessions: await db.selectFrom("sessions").select(["created_at as createdAt", "expires_at as expiresAt"]).where("user_id", "=", userId).execute(),
    calendarFeeds: await db.selectFrom("calendar_tokens").select(["created_at as createdAt", "revoked_at as revokedAt"]).where("user_id", "=", userId).execute(),
    // Names and dates of the person's API tokens; never a hash (docs/decisions/045).
    apiTokens: await db
      .selectFrom("api_tokens")
      .select(["name", "prefix", "created_at as createdAt", "expires_at as expiresAt", "last_used_at as lastUsedAt", "revoked_at as revokedAt"])
      .where("user_id", "=", userId)
      .orderBy("created_at")
      .execute(),
    notificationPreferences: await db.selectFrom("notification_prefs").select(["kind", "delivery"]).where("user_id", "=", userId).execute(),
    notifications: (
      await db.selectFrom("notifications").select(["kind", "params_json", "link", "created_at", "read_at", "email_state"]).where("user_id", "=", userId).orderBy("created_at", "desc").execute()
    ).map((n) => ({ kind: n.kind, params: JSON.parse(n.params_json), link: n.link, createdAt: n.created_at, readAt: n.read_at, email: n.email_state })),
    meetingResponses: await db
      .selectFrom("meeting_rsvps as r")
      .innerJoin("meetings as m", "m.id", "r.meeting_id")
      .select(["m.title as meeting", "m.starts_at as startsAt", "r.response", "r.note", "r.updated_at as updatedAt"])
      .where("r.user_id", "=", userId)
      .execute(),
    pollAnswers: await db
      .selectFrom("poll_answers as a")
      .innerJoin("poll_slots as s", "s.id", "a.slot_id")
      .innerJoin("polls as p", "p.id", "s.poll_id")
      .innerJoin("meetings as m", "m.id", "p.meeting_id")
      .select(["m.title as meeting", "s.starts_at as slotStartsAt", "a.answer", "a.updated_at as updatedAt"])
      .where("a.user_id", "=", userId)
      .execute(),
    // Their attendance (present, förhinder, absent) and who substituted for them.
    attendance: await db
      .selectFrom("attendance as a")
      .innerJoin("meetings as m", "m.id", "a.meeting_id")
      .leftJoin("meeting_substitutes as s", (j) => j.onRef("s.meeting_id", "=", "a.meeting_id").onRef("s.for_user_id", "=", "a.user_id"))
      .leftJoin("users as su", "su.id", "s.substitute_user_id")
      .select(["m.title as meeting", "m.starts_at as startsAt", "a.status"])
      .select((eb) => eb.fn.coalesce("su.name", "s.name").as("substitutedBy"))
      .where("a.user_id", "=", userId)
      .execute(),
    // Meetings where they served as a substitute (ersättare) for a member.
    substitutions: await db
      .selectFrom("meeting_substitutes as s")
      .innerJoin("meetings as m", "m.id", "s.meeting_id")
      .innerJoin("users as fu", "fu.id", "s.for_user_id")
      .select(["m.title as meeting", "m.starts_at as startsAt", "fu.name as substituteFor"])
      .where("s.substitute_user_id", "=", userId)
      .execute(),
    // Guests and substitutes recorded by name only (not as an account) under their name.
    namedInAttendance: [
      ...(await db
        .selectFrom("meeting_guests as g")
        .innerJoin("meetings as m", "m.id", "g.meeting_id")
        .select(["m.title as meeting", "m.starts_at as startsAt", "g.name", "g.organisation", "g.role"])
        .select(sql<string>`'guest'`.as("as"))
        .where(sql<boolean>`lower(g.name) = lower(${user.name})`)
        .execute()),
      ...(await db
        .selectFrom("meeting_substitutes as s")
        .innerJoin("meetings as m", "m.id", "s.meeting_id")
        .select(["m.title as meeting", "m.starts_at as startsAt", "s.name", "s.organisation"])
        .select([sql<string>`''`.as("role"), sql<string>`'substitute'`.as("as")])
        .where(sql<boolean>`lower(s.name) = lower(${user.name})`)
        .execute()),
    ],
    agendaProposals: await db
      .selectFrom("agenda_items as i")
      .innerJoin("meetings as m", "m.id", "i.meeting_id")
      .select(["m.title as meeting", "i.title", "i.status", "i.created_at as createdAt"])
      .where("i.proposed_by", "=", userId)
      .execute(),
    // Files they uploaded to meetings (the file itself is the meeting's; here its name and where it is).
    meetingDocuments: await db
      .selectFrom("attachments as f")
      .innerJoin("meetings as m", "m.id", "f.meeting_id")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select(["c.name as council", "m.title as meeting", "f.name", "f.size", "f.type", "f.created_at as uploadedAt", "f.updated_at as changedAt"])
      .where("f.uploaded_by", "=", userId)
      .orderBy("f.created_at")
      .execute(),
    minutesApprovals: await db
      .selectFrom("minutes_approvers as a")
      .innerJoin("meetings as m", "m.id", "a.meeting_id")
      .select(["m.title as meeting", "a.status", "a.comment", "a.decided_at as decidedAt"])
      .where("a.user_id", "=", userId)
      .execute(),
    actionItems: await db
      .selectFrom("action_items as i")
      .innerJoin("meetings as m", "m.id", "i.meeting_id")
      .select(["m.title as meeting", "i.what", "i.due_date as dueDate", "i.created_at as createdAt"])
      .where("i.owner_user_id", "=", userId)
      .execute(),
    planActionsResponsible: await db
      .selectFrom("plan_actions as a")
      .innerJoin("plans as p", "p.id", "a.plan_id")
      .innerJoin("councils as c", "c.id", "p.council_id")
      .select(["c.name as council", "p.year", "a.title", "a.status", "a.due_date as dueDate"])
      .where("a.responsible_user_id", "=", userId)
      .execute(),
    followupReports: await db
      .selectFrom("followups as f")
      .leftJoin("plan_actions as a", (j) => j.onRef("a.id", "=", "f.action_id").onRef("a.plan_id", "=", "f.plan_id"))
      .select(["a.title as action", "f.reported_at as reportedAt", "f.old_status as oldStatus", "f.new_status as newStatus", "f.new_progress as progress", "f.comment", "f.source"])
      .where("f.reported_by", "=", userId)
      .orderBy("f.reported_at", "desc")
      .execute(),
    indicatorValues: await db
      .selectFrom("indicator_values as v")
      .leftJoin("plan_indicators as i", (j) => j.onRef("i.id", "=", "v.indicator_id").onRef("i.plan_id", "=", "v.plan_id"))
      .leftJoin("plan_actions as a", (j) => j.onRef("a.id", "=", "v.action_id").onRef("a.plan_id", "=", "v.plan_id"))
      .select(["a.title as action", "i.name as indicator", "v.measured_on as date", "v.value", "v.comment", "v.reported_at as reportedAt"])
      .where("v.reported_by", "=", userId)
      .orderBy("v.reported_at", "desc")
      .execute(),
    activity: (
      await db.selectFrom("activity").select(["kind", "params_json", "created_at"]).where("actor_id", "=", userId).orderBy("created_at", "desc").execute()
    ).map((a) => ({ kind: a.kind, params: JSON.parse(a.params_json), createdAt: a.created_at })),
    auditEntries: await db
      .selectFrom("audit_log")
      .select(["action", "subject", "before_json as before", "after_json as after", "created_at as createdAt", sql<string>`case when actor_id = ${userId} then 'actor' else 'subject' end`.as("as")])
      .where((eb) => eb.or([eb("actor_id", "=", userId), eb("subject", "=", userId), ...(user.email ? [eb("subject", "=", user.email)] : [])]))
      .orderBy("created_at", "desc")
      .execute(),
    liveEditing: {
      planUpdates: Number(
        (await db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", userId).executeTakeFirst())?.n ?? 0,
      ),
      note: "Edits to live documents are stored as Yjs updates with your id; their content is part of the shared plan or minutes.",
    },
  };
}

/** A LIKE pattern that finds `s` anywhere, with LIKE's own wildcards escaped by a backslash. */
const likePattern = (s: string) => `%${s.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** Replace every copy of the needles in a JSON/text value. */
function scrub(value: string | null, needles: string[]): string | null {
  if (value === null) return null;
  let out = value;
  for (const n of needles) if (n) out = out.split(n).join(FORMER_MEMBER);
  return out;
}

/**
 * Remove a person from the installation: anonymise the account and take every
 * membership away, keeping the history readable. Site admins only (checked by
 * the caller); a site admin cannot remove themself, so the installation keeps one.
 */
export async function anonymiseUser({ db, events }: Deps, input: { userId: string; actorId: string }, now = new Date()): Promise<void> {
  if (input.userId === input.actorId) throw new DomainError("admin.anonymise.notSelf", 409);
  const councils = await db.transaction().execute(async (trx) => {
    const user = await trx.selectFrom("users").select(["id", "name", "email", "anonymised_at"]).where("id", "=", input.userId).executeTakeFirst();
    if (!user) throw new DomainError("error.unknown", 404);
    if (user.anonymised_at) throw new DomainError("admin.anonymise.already", 409);
    const needles = [user.name, user.email ?? ""].filter((s) => s.length >= 3);
    const memberships = await trx.selectFrom("memberships").select("council_id").where("user_id", "=", user.id).execute();

    await trx
      .updateTable("users")
      .set({ name: FORMER_MEMBER, email: null, password_hash: null, is_site_admin: 0, anonymised_at: nowIso(now), locale: "sv" })
      .where("id", "=", user.id)
      .execute();
    await trx.deleteFrom("sessions").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("calendar_tokens").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("account_tokens").where("user_id", "=", user.id).execute();
    // Their API tokens stop working and their names (the person's own words) go.
    await trx.deleteFrom("api_tokens").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("user_identities").where("user_id", "=", user.id).execute();
    // Leaving every council means leaving its working groups.
    await trx.deleteFrom("working_group_members").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("notifications").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("notification_prefs").where("user_id", "=", user.id).execute();
    await trx.deleteFrom("memberships").where("user_id", "=", user.id).execute();
    // Their uploads stay with the meetings; nothing says any more who uploaded them.
    await trx.updateTable("attachments").set({ uploaded_by: null }).where("uploaded_by", "=", user.id).execute();
    if (user.email) {
      await trx.deleteFrom("login_throttle").where("key", "=", `email:${user.email}`).execute();
      // Invitations keep their row (the audit log refers to them) without the address.
      const invitations = await trx.selectFrom("invitations").select("id").where("email", "=", user.email).execute();
      for (const inv of invitations) {
        await trx.updateTable("invitations").set({ email: `removed-${inv.id}@invalid`, name: null, revoked_at: nowIso(now) }).where("id", "=", inv.id).execute();
      }
    }
    // Copies of the name or address in free text the app wrote: other people's
    // notifications, the activity feed, and (a redaction, marked) the audit log.
    const matches = (column: string) =>
      sql<boolean>`(${sql.join(needles.map((n) => sql`${sql.ref(column)} like ${likePattern(n)} escape '\\'`), sql` or `)})`;
    if (needles.length) {
      for (const table of ["notifications", "activity"] as const) {
        const rows = await trx.selectFrom(table).select(["id", "params_json"]).where(matches("params_json")).execute();
        for (const r of rows) await trx.updateTable(table).set({ params_json: scrub(r.params_json, needles)! }).where("id", "=", r.id).execute();
      }
      // A presenter is named in free text on the agenda; where it is this person, it goes too.
      const items = await trx.selectFrom("agenda_items").select(["id", "presenter"]).where(matches("presenter")).execute();
      for (const i of items) await trx.updateTable("agenda_items").set({ presenter: scrub(i.presenter, needles)! }).where("id", "=", i.id).execute();
      // Guests and substitutes recorded by name only: the person stays in the record, unnamed.
      const guests = await trx.selectFrom("meeting_guests").select(["id", "name", "role"]).where((eb) => eb.or([matches("name"), matches("role")])).execute();
      for (const g of guests) await trx.updateTable("meeting_guests").set({ name: scrub(g.name, needles)!, role: scrub(g.role, needles)! }).where("id", "=", g.id).execute();
      const subs = await trx.selectFrom("meeting_substitutes").select(["id", "name"]).where(matches("name")).execute();
      for (const x of subs) await trx.updateTable("meeting_substitutes").set({ name: scrub(x.name, needles) }).where("id", "=", x.id).execute();
      const audits = await trx
        .selectFrom("audit_log")
        .select(["id", "subject", "before_json", "after_json"])
        .where((eb) => eb.or([matches("subject"), matches("before_json"), matches("after_json")]))
        .execute();
      for (const a of audits) {
        await trx
          .updateTable("audit_log")
          .set({ subject: scrub(a.subject, needles), before_json: scrub(a.before_json, needles), after_json: scrub(a.after_json, needles), redacted_at: nowIso(now) })
          .where("id", "=", a.id)
          .execute();
      }
    }
    await recordAudit(trx, { councilId: null, actorId: input.actorId, action: "user.anonymised", subject: user.id, after: { councils: memberships.length } }, now);
    return memberships.map((m) => m.council_id);
  });
  for (const councilId of councils) events.publish({ type: "membership.removed", councilId, userId: input.userId });
  events.publish({ type: "user.removed", userId: input.userId });
}
