// Notifications over a real server: each kind reaches exactly the people it
// concerns (never someone outside the council or without the right), live over
// socket.io in the person's language, listed by the API newest first, marked
// read one by one or all, and time-driven kinds are sent once however often the
// jobs run. Expected recipients are written out by hand from the seed.
import { DateTime } from "luxon";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { NotificationKind } from "../../db/schema";
import { setApprovers, setAttendance } from "../../server/domain/minutes";
import { actionsOf, areasOf, goalsOf } from "../../server/domain/plan-doc";
import { planDocName } from "../../server/domain/plans";
import { ZONE } from "../../server/domain/time";
import { closeMinutes } from "../../server/domain/minutes";
import { get, login, postForm } from "../helpers/http";
import { recipients as recipientsOf } from "../helpers/notifications";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, type Client } from "../helpers/socket";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
/** Every active Skaraborg person (Oskar Dahl's adjunct period has ended; Fyrbodal people are elsewhere). */
const SKARABORG = [
  LEADER,
  MEMBER,
  OBSERVER,
  "maria.andersson@samsyn.test",
  "ahmed.hassan@samsyn.test",
  "johan.nilsson@samsyn.test",
  "sara.ek@samsyn.test",
  "per.holm@samsyn.test",
  "lena.svensson@samsyn.test",
  "ingrid.larsson@samsyn.test",
].sort();
const without = (list: string[], ...out: string[]) => list.filter((e) => !out.includes(e)).sort();

describe("notifications", { timeout: 60_000 }, () => {
  let s: TestServer;
  let councilId: string;
  const cookies = new Map<string, string>();
  const clients: Client[] = [];
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const day = (offset: number) => DateTime.now().setZone(ZONE).plus({ days: offset }).toISODate()!;

  const recipients = (kind: NotificationKind, marker: string) => recipientsOf(s.db, kind, marker);

  async function createDraft(title: string, offsetDays = 30): Promise<string> {
    const res = await postForm(
      s.url,
      "/councils/skaraborg/meetings",
      { intent: "create", title, date: day(offsetDays), startTime: "09:00", endTime: "11:00", location: "Skövde", videoUrl: "", description: "" },
      await cookieFor(LEADER),
    );
    expect(res.status).toBe(302);
    return res.headers.get("location")!.split("/").pop()!;
  }
  const meetingPost = async (id: string, fields: Record<string, string>, email = LEADER) =>
    postForm(s.url, `/councils/skaraborg/meetings/${id}`, fields, await cookieFor(email));

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await s?.close();
  });

  it("convened, moved, cancelled: everyone active in the council but the leader who did it, observers included", async () => {
    const member = await connectClient(s.url, await cookieFor(MEMBER));
    const fyrbodal = await connectClient(s.url, await cookieFor("ledamot.fyrbodal@samsyn.test"));
    clients.push(member, fyrbodal);
    const mark = member.mark();
    const id = await createDraft("Notismöte A");
    expect(await recipients("meeting_convened", "Notismöte A")).toEqual([]); // a draft tells nobody
    expect((await meetingPost(id, { intent: "convene" })).status).toBe(200);
    const everyoneButLeader = without(SKARABORG, LEADER);
    expect(await recipients("meeting_convened", "Notismöte A")).toEqual(everyoneButLeader);

    // Live, in Swedish, with the unread count.
    const live = await member.waitFor<{ text: string; link: string; unread: number }>("notification:new", mark, (p) => p.text.includes("Notismöte A"));
    expect(live.text).toMatch(/^Möte sammankallat: Notismöte A, \d+ \w+ \d{4} kl\. 09:00$/);
    expect(live.link).toBe(`/councils/skaraborg/meetings/${id}`);
    const unread = Number((await s.db.selectFrom("notifications").select((eb) => eb.fn.countAll<number>().as("n")).where("user_id", "=", await userId(MEMBER)).where("read_at", "is", null).executeTakeFirstOrThrow()).n);
    expect(live.unread).toBe(unread);

    const moved = await meetingPost(id, { intent: "update", title: "Notismöte A", date: day(31), startTime: "13:00", endTime: "15:00", location: "Skövde", videoUrl: "", description: "" });
    expect(moved.status).toBe(200);
    expect(await recipients("meeting_moved", "Notismöte A")).toEqual(everyoneButLeader);
    // An edit that does not move it is no news.
    await meetingPost(id, { intent: "update", title: "Notismöte A", date: day(31), startTime: "13:00", endTime: "15:00", location: "Skara", videoUrl: "", description: "" });
    expect((await recipients("meeting_moved", "Notismöte A")).length).toBe(everyoneButLeader.length);

    expect((await meetingPost(id, { intent: "cancel", reason: "Sjukdom" })).status).toBe(200);
    expect(await recipients("meeting_cancelled", "Notismöte A")).toEqual(everyoneButLeader);
    // Fyrbodal's member heard none of it.
    expect(fyrbodal.received("notification:new")).toEqual([]);
  });

  it("a cancelled draft tells nobody", async () => {
    const id = await createDraft("Notismöte utkast");
    expect((await meetingPost(id, { intent: "cancel", reason: "Behövs inte" })).status).toBe(200);
    expect(await recipients("meeting_cancelled", "Notismöte utkast")).toEqual([]);
  });

  it("a time poll opens for those who can answer (not observers); its deadline reminder reaches only those who have not answered, once", async () => {
    const id = await createDraft("Notismöte B", 40);
    const res = await meetingPost(id, { intent: "createPoll", slot0Date: day(40), slot0Start: "09:00", slot0End: "10:00", slot1Date: day(41), slot1Start: "09:00", slot1End: "10:00", deadlineDate: day(10) });
    expect(res.status).toBe(200);
    expect(await recipients("poll_opened", "Notismöte B")).toEqual(without(SKARABORG, LEADER, OBSERVER));

    const slots = await s.db.selectFrom("poll_slots as s").innerJoin("polls as p", "p.id", "s.poll_id").select(["s.id", "p.deadline"]).where("p.meeting_id", "=", id).orderBy("s.position").execute();
    const answers = Object.fromEntries(slots.map((sl) => [`answer-${sl.id}`, "yes"]));
    expect((await meetingPost(id, { intent: "answerPoll", ...answers }, MEMBER)).status).toBe(200);
    expect((await meetingPost(id, { intent: "answerPoll", ...answers }, "maria.andersson@samsyn.test")).status).toBe(200);

    const deadline = new Date(slots[0].deadline);
    // Two days before: not yet.
    await s.server.jobs.run(new Date(deadline.getTime() - 48 * 3600_000));
    expect(await recipients("poll_deadline", "Notismöte B")).toEqual([]);
    // Twelve hours before: everyone the poll lists as not having answered (the leader too, who may
    // answer like anyone), not the two who did, not the observer who cannot.
    await s.server.jobs.run(new Date(deadline.getTime() - 12 * 3600_000));
    const expected = without(SKARABORG, OBSERVER, MEMBER, "maria.andersson@samsyn.test");
    expect(await recipients("poll_deadline", "Notismöte B")).toEqual(expected);
    await s.server.jobs.run(new Date(deadline.getTime() - 6 * 3600_000));
    expect(await recipients("poll_deadline", "Notismöte B")).toEqual(expected); // once

    // Choosing the slot calls nobody yet (decision 027); convening it, the next step, tells everyone.
    expect((await meetingPost(id, { intent: "chooseSlot", slotId: slots[0].id })).status).toBe(200);
    expect(await recipients("meeting_convened", "Notismöte B")).toEqual([]);
    expect((await meetingPost(id, { intent: "convene" })).status).toBe(200);
    expect(await recipients("meeting_convened", "Notismöte B")).toEqual(without(SKARABORG, LEADER));
  });

  it("an agenda proposal goes to the leader only; the leader's own items tell nobody", async () => {
    const id = await createDraft("Notismöte C", 20);
    expect((await meetingPost(id, { intent: "convene" })).status).toBe(200);
    const add = (email: string, title: string) =>
      meetingPost(id, { intent: "addAgenda", title, kind: "discussion", minutes: "15", presenter: "", planLink: "" }, email);
    expect((await add(MEMBER, "Förslag om lärlingar")).status).toBe(200);
    expect(await recipients("agenda_proposed", "Förslag om lärlingar")).toEqual([LEADER]);
    const [row] = await s.db.selectFrom("notifications").select("params_json").where("kind", "=", "agenda_proposed").where("params_json", "like", "%lärlingar%").execute();
    expect(JSON.parse(row.params_json)).toMatchObject({ by: "Anders Johansson", item: "Förslag om lärlingar", title: "Notismöte C" });
    expect((await add(LEADER, "Ledarens punkt")).status).toBe(200);
    expect(await recipients("agenda_proposed", "Ledarens punkt")).toEqual([]);
    expect((await add(OBSERVER, "Observatörens punkt")).status).toBe(403);
    expect(await recipients("agenda_proposed", "Observatörens punkt")).toEqual([]);
  });

  it("minutes ready for approval reach the approvers only", async () => {
    const id = await createDraft("Notismöte D", 5);
    expect((await meetingPost(id, { intent: "convene" })).status).toBe(200);
    const deps = { db: s.db, events: s.server.bus };
    const [maria, anders, karin] = await Promise.all(["maria.andersson@samsyn.test", MEMBER, LEADER].map(userId));
    await setAttendance(deps, { councilId, meetingId: id, actorId: karin, present: [maria, anders, karin] });
    await setApprovers(deps, { councilId, meetingId: id, userIds: [maria, anders], actorId: karin });
    const state = await s.server.collab.currentState(`doc:${id}`);
    await closeMinutes(deps, { councilId, meetingId: id, actorId: karin, currentState: state });
    expect(await recipients("minutes_approval", "Notismöte D")).toEqual(["ledamot@samsyn.test", "maria.andersson@samsyn.test"]);
  });

  it("an action assigned in the live plan tells its new owner once; someone outside the council is never told", async () => {
    const year = DateTime.now().setZone(ZONE).year;
    const plan = await s.db.selectFrom("plans").select(["id"]).where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow();
    const [sara, fatima] = await Promise.all(["sara.ek@samsyn.test", "ledamot.fyrbodal@samsyn.test"].map(userId));
    const setOwner = (title: string, owner: string) =>
      s.server.collab.applyServerChange(planDocName(plan.id), (doc: Y.Doc) => {
        for (const area of areasOf(doc).toArray())
          for (const goal of goalsOf(area).toArray())
            for (const a of actionsOf(goal).toArray()) if (a.get("title")?.toString() === title) a.set("responsibleUserId", owner);
      });
    const titles = (await s.db.selectFrom("plan_actions").select(["title", "responsible_user_id"]).where("plan_id", "=", plan.id).orderBy("position").execute()).filter(
      (a) => a.responsible_user_id !== sara,
    );
    const [first, second] = titles;
    await setOwner(first.title, sara);
    await setOwner(second.title, fatima);
    const projectedOwner = async (title: string, owner: string) => {
      for (let i = 0; i < 200; i++) {
        const row = await s.db.selectFrom("plan_actions").select("responsible_user_id").where("plan_id", "=", plan.id).where("title", "=", title).executeTakeFirst();
        if (row?.responsible_user_id === owner) return;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`projection never showed ${title} owned by ${owner}`);
    };
    await projectedOwner(first.title, sara);
    await projectedOwner(second.title, fatima);
    expect(await recipients("action_assigned", first.title)).toEqual(["sara.ek@samsyn.test"]);
    expect(await recipients("action_assigned", second.title)).toEqual([]); // Fatima is in Fyrbodal only
    // Another projection of the same owner does not repeat it.
    await setOwner(first.title, sara);
    await setOwner(second.title, sara);
    await projectedOwner(second.title, sara);
    expect(await recipients("action_assigned", first.title)).toEqual(["sara.ek@samsyn.test"]);
    expect(await recipients("action_assigned", second.title)).toEqual(["sara.ek@samsyn.test"]);
  });

  it("overdue actions tell their owner once, however often the jobs run; follow-up due is asked a week before the next meeting", async () => {
    const year = DateTime.now().setZone(ZONE).year;
    const plan = await s.db.selectFrom("plans").select(["id"]).where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow();
    const today = DateTime.now().setZone(ZONE).toISODate()!;
    const overdue = await s.db
      .selectFrom("plan_actions as a")
      .innerJoin("users as u", "u.id", "a.responsible_user_id")
      .select(["a.title", "u.email"])
      .where("a.plan_id", "=", plan.id)
      .where("a.due_date", "<", today)
      .where("a.status", "not in", ["done", "cancelled"])
      .execute();
    expect(overdue.length).toBeGreaterThan(0); // the seed has overdue actions
    await s.server.jobs.run();
    await s.server.jobs.run();
    for (const a of overdue) {
      // The owner now has it once; an owner from before a reassignment may have had it too, once.
      const got = await recipients("action_overdue", a.title);
      expect(got.filter((e) => e === a.email)).toEqual([a.email]);
      expect(new Set(got).size).toBe(got.length);
      for (const e of got) expect(SKARABORG).toContain(e);
    }
    const done = await s.db.selectFrom("plan_actions").select("title").where("plan_id", "=", plan.id).where("status", "in", ["done", "cancelled"]).execute();
    for (const a of done) expect(await recipients("action_overdue", a.title)).toEqual([]);

    // Follow-up due: run the jobs five days before a meeting eight days ahead.
    const id = await createDraft("Notismöte E", 8);
    expect((await meetingPost(id, { intent: "convene" })).status).toBe(200);
    const startsAt = (await s.db.selectFrom("meetings").select("starts_at").where("id", "=", id).executeTakeFirstOrThrow()).starts_at;
    const at = new Date(Date.parse(startsAt!) - 5 * 86_400_000);
    // Is there an earlier convened meeting closer in time? Then that one asks; take the council's next one.
    const nextMeeting = await s.db.selectFrom("meetings").select(["id", "title"]).where("council_id", "=", councilId).where("status", "=", "convened").where("starts_at", ">", at.toISOString()).orderBy("starts_at").executeTakeFirstOrThrow();
    await s.server.jobs.run(at);
    await s.server.jobs.run(at);
    const asked = await s.db
      .selectFrom("notifications as n")
      .innerJoin("users as u", "u.id", "n.user_id")
      .select(["u.email", "n.params_json"])
      .where("n.kind", "=", "followup_due")
      .where("n.dedupe_key", "=", `followup-due:${nextMeeting.id}`)
      .execute();
    expect(asked.length).toBeGreaterThan(0);
    const emails = asked.map((a) => a.email!);
    expect(new Set(emails).size).toBe(emails.length); // one per person
    for (const e of emails) expect(SKARABORG).toContain(e);
    expect(emails).not.toContain(OBSERVER);
    for (const a of asked) expect(JSON.parse(a.params_json)).toMatchObject({ title: nextMeeting.title, count: expect.any(Number) });
  });

  it("plan adopted: everyone in the council but the leader who adopted it", async () => {
    const year = DateTime.now().setZone(ZONE).year;
    expect((await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, await cookieFor(LEADER))).status).toBe(302);
    expect((await postForm(s.url, `/councils/skaraborg/plans/${year + 1}`, { intent: "adopt" }, await cookieFor(LEADER))).status).toBe(200);
    const rows = await s.db
      .selectFrom("notifications as n")
      .innerJoin("users as u", "u.id", "n.user_id")
      .select("u.email")
      .where("n.kind", "=", "plan_adopted")
      .where("n.link", "=", `/councils/skaraborg/plans/${year + 1}`)
      .execute();
    expect(rows.map((r) => r.email).sort()).toEqual(without(SKARABORG, LEADER));
  });

  describe("the list and the API", () => {
    it("401 without a session; newest first with kind, text, link, created, read", async () => {
      const anon = await get(s.url, "/api/v1/me/notifications");
      expect(anon.status).toBe(401);
      expect(JSON.parse(anon.text)).toMatchObject({ error: "unauthorized" });
      const res = await get(s.url, "/api/v1/me/notifications", await cookieFor(MEMBER));
      expect(res.status).toBe(200);
      const items = JSON.parse(res.text) as { id: string; kind: string; text: string; link: string; created: string; read: boolean }[];
      expect(items.length).toBeGreaterThan(3);
      for (const n of items) expect(Object.keys(n).sort()).toEqual(["created", "id", "kind", "link", "read", "text"]);
      const created = items.map((n) => n.created);
      expect(created).toEqual([...created].sort().reverse());
      expect(items.some((n) => n.kind === "meeting_convened" && n.text.startsWith("Möte sammankallat: Notismöte A"))).toBe(true);
      // English when the person reads in English.
      const en = JSON.parse((await get(s.url, "/api/v1/me/notifications", `${await cookieFor(MEMBER)}; samsyn_lang=en`)).text) as { text: string }[];
      expect(en.some((n) => n.text.startsWith("Meeting convened: Notismöte A"))).toBe(true);
      expect((await get(s.url, "/api/v1/me/notifications?limit=0", await cookieFor(MEMBER))).status).toBe(400);
    });

    it("marks one read (only one's own), then all; opening one marks it read and goes to the thing", async () => {
      const cookie = await cookieFor(MEMBER);
      const list = async (email = MEMBER) => JSON.parse((await get(s.url, "/api/v1/me/notifications?limit=500", await cookieFor(email))).text) as { id: string; read: boolean; link: string }[];
      const mine = (await list()).filter((n) => !n.read);
      expect(mine.length).toBeGreaterThan(2);
      const leaderUnread = (await list(LEADER)).filter((n) => !n.read);
      // Someone else's id changes nothing for them, and cannot be opened.
      expect((await postForm(s.url, "/notifications", { intent: "read", id: leaderUnread[0].id }, cookie)).status).toBe(200);
      expect((await list(LEADER)).find((n) => n.id === leaderUnread[0].id)!.read).toBe(false);
      expect((await get(s.url, `/notifications/${leaderUnread[0].id}`, cookie)).status).toBe(404);
      // A bad form gets a message, not a crash.
      const bad = await postForm(s.url, "/notifications", { intent: "read", id: "not-an-id" }, cookie);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("Okänd åtgärd.");

      expect((await postForm(s.url, "/notifications", { intent: "read", id: mine[0].id }, cookie)).status).toBe(200);
      expect((await list()).find((n) => n.id === mine[0].id)!.read).toBe(true);
      const open = await get(s.url, `/notifications/${mine[1].id}`, cookie);
      expect(open.status).toBe(302);
      expect(open.headers.get("location")).toBe(mine[1].link);
      expect((await list()).find((n) => n.id === mine[1].id)!.read).toBe(true);

      // The header shows the unread count.
      const unreadBefore = (await list()).filter((n) => !n.read).length;
      const home = await get(s.url, "/", cookie);
      expect(home.text).toContain(`${unreadBefore} olästa`);
      expect((await postForm(s.url, "/notifications", { intent: "read-all" }, cookie)).status).toBe(200);
      expect((await list()).every((n) => n.read)).toBe(true);
      expect((await list(LEADER)).filter((n) => !n.read).length).toBe(leaderUnread.length);
    });

    it("preferences: one choice per kind, refused values change nothing", async () => {
      const cookie = await cookieFor(MEMBER);
      expect((await postForm(s.url, "/settings/notifications", { "pref.meeting_moved": "immediate", "pref.plan_adopted": "digest" }, cookie)).status).toBe(200);
      const prefs = await s.db.selectFrom("notification_prefs").select(["kind", "delivery"]).where("user_id", "=", await userId(MEMBER)).execute();
      expect(Object.fromEntries(prefs.map((p) => [p.kind, p.delivery]))).toMatchObject({ meeting_moved: "immediate", plan_adopted: "digest" });
      const bad = await postForm(s.url, "/settings/notifications", { "pref.meeting_moved": "sms" }, cookie);
      expect(bad.status).toBe(400);
      expect(bad.text).toContain("Okänt värde.");
      const after = await s.db.selectFrom("notification_prefs").select("delivery").where("user_id", "=", await userId(MEMBER)).where("kind", "=", "meeting_moved").executeTakeFirstOrThrow();
      expect(after.delivery).toBe("immediate");
      expect((await get(s.url, "/settings/notifications")).status).toBe(302); // signed out: to the login page
    });
  });
});
