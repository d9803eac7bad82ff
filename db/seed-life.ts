// Demo council life: the activity feed behind the seeded meetings, reports and
// adoptions, and unread notifications for the demo member (Anders Johansson),
// built from the seeded rows so that every link leads somewhere real.
import type { NotNull } from "kysely";
import type { Db } from "./index";
import { recordActivity } from "../server/domain/activity";
import { notify } from "../server/domain/notifications";

export async function seedCouncilLife(db: Db, users: Map<string, string>, now: Date): Promise<void> {
  const leader = users.get("processledare@samsyn.test")!;
  const member = users.get("ledamot@samsyn.test")!;
  const councils = await db.selectFrom("councils").select(["id", "slug"]).execute();

  for (const council of councils) {
    const meetings = await db.selectFrom("meetings").selectAll().where("council_id", "=", council.id).where("status", "=", "convened").$narrowType<{ starts_at: NotNull; ends_at: NotNull }>().orderBy("starts_at").execute();
    for (const m of meetings) {
      const convenedAt = new Date(m.convened_at ?? m.created_at);
      await recordActivity(db, { councilId: council.id, actorId: m.created_by, kind: "meeting_convened", params: { title: m.title, startsAt: m.starts_at }, path: `meetings/${m.id}`, audience: "council" }, convenedAt);
      const decided = await db.selectFrom("agenda_items").select(["title", "decision"]).where("meeting_id", "=", m.id).where("decision", "is not", null).orderBy("position").execute();
      for (const d of decided) {
        if (new Date(m.ends_at) > now) continue;
        await recordActivity(db, { councilId: council.id, actorId: m.created_by, kind: "decision_recorded", params: { title: m.title, item: d.title, decision: d.decision }, path: `meetings/${m.id}`, audience: "council" }, new Date(m.ends_at));
      }
      const minutes = await db.selectFrom("minutes").select(["status", "approved_at"]).where("meeting_id", "=", m.id).executeTakeFirst();
      if (minutes?.status === "approved" && minutes.approved_at) {
        await recordActivity(db, { councilId: council.id, actorId: null, kind: "minutes_approved", params: { title: m.title }, path: `meetings/${m.id}/minutes`, audience: "council" }, new Date(minutes.approved_at));
      }
    }
    const statements = await db.selectFrom("statements").selectAll().where("council_id", "=", council.id).execute();
    for (const st of statements) {
      const params = { title: st.title, kind: st.kind };
      if (st.status === "adopted" && st.adopted_at) {
        await recordActivity(db, { councilId: council.id, actorId: st.adopted_by, kind: "statement_adopted", params, path: `statements/${st.id}`, audience: "council" }, new Date(st.adopted_at));
      }
      const poll = await db.selectFrom("decision_polls").selectAll().where("statement_id", "=", st.id).where("status", "=", "open").executeTakeFirst();
      if (poll) {
        await recordActivity(db, { councilId: council.id, actorId: poll.created_by, kind: "decision_opened", params: { title: st.title, closesAt: poll.closes_at }, path: `statements/${st.id}`, audience: "contributors" }, new Date(poll.created_at));
        if (council.slug === "skaraborg") {
          await notify(db, { kind: "decision_opened", councilId: council.id, recipients: [member], params: { title: st.title, closesAt: poll.closes_at }, path: `statements/${st.id}` }, new Date(poll.created_at));
        }
      }
    }
    const reports = await db
      .selectFrom("followups as f")
      .innerJoin("plans as p", "p.id", "f.plan_id")
      .innerJoin("plan_actions as a", (j) => j.onRef("a.id", "=", "f.action_id").onRef("a.plan_id", "=", "f.plan_id"))
      .select(["f.reported_by", "f.reported_at", "f.new_status", "f.new_progress", "a.id as actionId", "a.title", "p.year"])
      .where("p.council_id", "=", council.id)
      .execute();
    for (const r of reports) {
      await recordActivity(db, {
        councilId: council.id,
        actorId: r.reported_by,
        kind: "followup_reported",
        params: { action: r.title, year: r.year, status: r.new_status, progress: r.new_progress },
        path: `plans/${r.year}/actions/${r.actionId}`,
        audience: "council",
      }, new Date(r.reported_at));
    }
  }

  // The demo member's inbox: the next meeting, the open time poll, an action of theirs.
  const skaraborg = councils.find((c) => c.slug === "skaraborg")!;
  const next = await db.selectFrom("meetings").selectAll().where("council_id", "=", skaraborg.id).where("status", "=", "convened").where("starts_at", ">", now.toISOString()).orderBy("starts_at").executeTakeFirst();
  if (next) {
    await notify(db, { kind: "meeting_convened", councilId: skaraborg.id, recipients: [member], params: { title: next.title, startsAt: next.starts_at }, path: `meetings/${next.id}` }, new Date(next.convened_at ?? now));
  }
  const poll = await db
    .selectFrom("polls as p")
    .innerJoin("meetings as m", "m.id", "p.meeting_id")
    .select(["m.id", "m.title", "p.deadline", "p.created_at"])
    .where("m.council_id", "=", skaraborg.id)
    .where("p.status", "=", "open")
    .executeTakeFirst();
  if (poll) {
    await notify(db, { kind: "poll_opened", councilId: skaraborg.id, recipients: [member], params: { title: poll.title, deadline: poll.deadline }, path: `meetings/${poll.id}` }, new Date(poll.created_at));
  }
  const mine = await db
    .selectFrom("plan_actions as a")
    .innerJoin("plans as p", "p.id", "a.plan_id")
    .select(["a.id", "a.title", "a.plan_id", "p.year"])
    .where("p.council_id", "=", skaraborg.id)
    .where("p.status", "=", "active")
    .where("a.responsible_user_id", "=", member)
    .orderBy("a.position")
    .executeTakeFirst();
  if (mine) {
    await notify(db, {
      kind: "action_assigned",
      councilId: skaraborg.id,
      recipients: [member],
      params: { action: mine.title, year: mine.year },
      path: `plans/${mine.year}/actions/${mine.id}`,
      dedupeKey: `assigned:${mine.plan_id}:${mine.id}`,
    }, new Date(now.getTime() - 3 * 86_400_000));
  }
  // The leader hears about it too: e-mail preferences as a leader might set them.
  await db
    .insertInto("notification_prefs")
    .values([
      { user_id: leader, kind: "agenda_proposed", delivery: "immediate" },
      { user_id: leader, kind: "meeting_convened", delivery: "digest" },
      { user_id: member, kind: "meeting_convened", delivery: "digest" },
    ])
    .execute();
}
