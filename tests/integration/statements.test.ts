// Statements and proposals over a real server: drafted live with real
// y-websocket clients, discussed, decided by a decision poll (quorum, block,
// closing time run by the jobs) or by a meeting's decision, then frozen and
// published to observers; an adopted proposal's actions go into the plan.
import { DateTime } from "luxon";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { xmlToText } from "../../server/domain/plan-doc";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import type { NotificationKind } from "../../db/schema";
import { recipients as recipientsOf } from "../helpers/notifications";
import { startTestServer, type TestServer } from "../helpers/server";
import { closeOf, connect, synced, waitFor, type Client } from "../helpers/yjs";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const MARIA = "maria.andersson@samsyn.test";
const AHMED = "ahmed.hassan@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const FYRBODAL = "ledamot.fyrbodal@samsyn.test";
const SKARABORG = [
  LEADER,
  MEMBER,
  OBSERVER,
  MARIA,
  AHMED,
  "johan.nilsson@samsyn.test",
  "sara.ek@samsyn.test",
  "per.holm@samsyn.test",
  "lena.svensson@samsyn.test",
  "ingrid.larsson@samsyn.test",
].sort();

describe("statements and proposals", { timeout: 90_000 }, () => {
  let s: TestServer;
  const clients: Client[] = [];
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const page_ = (id: string) => `/councils/skaraborg/statements/${id}`;
  const post = async (id: string, fields: Record<string, string>, email = LEADER) => postForm(s.url, page_(id), fields, await cookieFor(email));
  const row = (id: string) => s.db.selectFrom("statements").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const stored = async (id: string) => {
    const state = await s.server.collab.currentState(`doc:${id}`);
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const text = xmlToText(doc.getXmlFragment("content"));
    doc.destroy();
    return text;
  };
  /** Wait (bounded) until the server's copy of the text satisfies `ok`. */
  async function storedSoon(id: string, ok: (text: string) => boolean) {
    for (let i = 0; i < 200; i++) {
      if (ok(await stored(id))) return;
      await new Promise((r) => setTimeout(r, 25));
    }
    throw new Error(`stored text never matched; it is ${JSON.stringify(await stored(id))}`);
  }
  /** Type a paragraph into the live text as `email`, through a real y-websocket client. */
  async function type(id: string, email: string, text: string): Promise<Client> {
    const c = connect(s.url, `doc:${id}`, await cookieFor(email));
    clients.push(c);
    await synced(c);
    const p = new Y.XmlElement("paragraph");
    const t = new Y.XmlText();
    t.insert(0, text);
    p.insert(0, [t]);
    c.doc.getXmlFragment("content").push([p]);
    return c;
  }
  async function create(kind: "statement" | "proposal", title: string, email = MEMBER): Promise<string> {
    const res = await postForm(s.url, "/councils/skaraborg/statements", { kind, title }, await cookieFor(email));
    expect(res.status).toBe(302);
    return res.headers.get("location")!.split("/").pop()!;
  }
  const tomorrow = () => DateTime.now().setZone(ZONE).plus({ days: 1 }).toISODate()!;
  const recipients = (kind: NotificationKind, marker: string) => recipientsOf(s.db, kind, marker);

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    clients.forEach((c) => c.destroy());
    await s?.close();
  });

  it("members draft together live and comment; observers see no drafts and cannot write", async () => {
    const id = await create("statement", "Uttalande om lärlingsplatser");
    const a = await type(id, MEMBER, "Rådet vill ha fler lärlingsplatser.");
    const b = await type(id, MARIA, "Högskolan bidrar med handledarutbildning.");
    await waitFor(() => xmlToText(a.doc.getXmlFragment("content")).includes("handledarutbildning") && xmlToText(b.doc.getXmlFragment("content")).includes("lärlingsplatser"), "convergence");
    expect(await stored(id)).toContain("Rådet vill ha fler lärlingsplatser.");

    // Observers: not in the list, not on the page, not on the wire; they cannot start one.
    const list = await get(s.url, "/councils/skaraborg/statements", await cookieFor(OBSERVER));
    expect(list.status).toBe(200);
    expect(list.text).not.toContain("Uttalande om lärlingsplatser");
    expect(list.text).toContain("Fler platser inom yrkesvux i Skaraborg"); // the adopted demo statement
    expect((await get(s.url, page_(id), await cookieFor(OBSERVER))).status).toBe(404);
    expect((await closeOf(s.url, `/yjs/doc:${id}`, await cookieFor(OBSERVER))).code).toBe(4404);
    expect((await closeOf(s.url, `/yjs/doc:${id}`, await cookieFor(FYRBODAL))).code).toBe(4404);
    expect((await postForm(s.url, "/councils/skaraborg/statements", { kind: "statement", title: "X" }, await cookieFor(OBSERVER))).status).toBe(403);
    expect((await get(s.url, page_(id), await cookieFor(FYRBODAL))).status).toBe(404);

    expect((await post(id, { intent: "comment", body: "Bra start!" }, MARIA)).status).toBe(200);
    // A draft does not exist for an observer, whatever they ask of it (requireStatement): 404 as for its page.
    expect((await post(id, { intent: "comment", body: "Jag håller med." }, OBSERVER)).status).toBe(404);
    const empty = await post(id, { intent: "comment", body: "   " }, MARIA);
    expect(empty.status).toBe(400);
    expect(empty.text).toContain("Fyll i fältet.");
    const comments = await s.db.selectFrom("statement_comments").select("body").where("statement_id", "=", id).execute();
    expect(comments.map((c) => c.body)).toEqual(["Bra start!"]);
    const bad = await postForm(s.url, "/councils/skaraborg/statements", { kind: "tweet", title: "" }, await cookieFor(MEMBER));
    expect(bad.status).toBe(400);
    expect(bad.text).toContain("Välj uttalande eller åtgärdsförslag.");
  });

  it("a decision poll locks the text; a block with a reason stops adoption and the text opens again", async () => {
    const id = await create("statement", "Uttalande om yrkeshögskolan");
    const writer = await type(id, MEMBER, "Första versionen.");
    await storedSoon(id, (t) => t === "Första versionen.");
    expect((await post(id, { intent: "openPoll", closesDate: tomorrow(), closesTime: "16:00", quorum: "" }, MEMBER)).status).toBe(403);
    const past = await post(id, { intent: "openPoll", closesDate: "2020-01-01", closesTime: "16:00", quorum: "" });
    expect(past.status).toBe(400);
    expect(past.text).toContain("Stängningstiden måste vara i framtiden.");
    expect((await post(id, { intent: "openPoll", closesDate: tomorrow(), closesTime: "16:00", quorum: "3" })).status).toBe(200);
    expect((await row(id)).status).toBe("deciding");
    expect(await recipients("decision_opened", "Uttalande om yrkeshögskolan")).toEqual(SKARABORG.filter((e) => e !== LEADER && e !== OBSERVER));

    // The text is locked: a live write is dropped.
    const p = new Y.XmlElement("paragraph");
    const tx = new Y.XmlText();
    tx.insert(0, "Smygändring under omröstningen.");
    p.insert(0, [tx]);
    writer.doc.getXmlFragment("content").push([p]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored(id)).toBe("Första versionen.");

    expect((await post(id, { intent: "vote", vote: "agree", reason: "" }, MEMBER)).status).toBe(200);
    expect((await post(id, { intent: "vote", vote: "agree", reason: "" }, MARIA)).status).toBe(200);
    const noReason = await post(id, { intent: "vote", vote: "block", reason: "" }, AHMED);
    expect(noReason.status).toBe(400);
    expect(noReason.text).toContain("Skriv varför du blockerar.");
    expect((await post(id, { intent: "vote", vote: "block", reason: "Vuxenutbildningen saknas i texten." }, AHMED)).status).toBe(200);
    expect((await post(id, { intent: "vote", vote: "agree", reason: "" }, OBSERVER)).status).toBe(404);
    const badVote = await post(id, { intent: "vote", vote: "maybe", reason: "" }, MEMBER);
    expect(badVote.status).toBe(400);
    expect(badVote.text).toContain("Välj en röst.");
    // Changing one's vote replaces it.
    expect((await post(id, { intent: "vote", vote: "disagree", reason: "" }, MEMBER)).status).toBe(200);
    const votes = await s.db.selectFrom("decision_votes as v").innerJoin("decision_polls as p", "p.id", "v.poll_id").select("v.vote").where("p.statement_id", "=", id).execute();
    expect(votes.map((v) => v.vote).sort()).toEqual(["agree", "block", "disagree"]);

    const closed = await post(id, { intent: "closePoll" });
    expect(closed.status).toBe(200);
    expect(closed.text).toContain("Inte antaget (blockerat)");
    expect(await s.db.selectFrom("decision_polls").select(["status", "outcome"]).where("statement_id", "=", id).executeTakeFirstOrThrow()).toEqual({ status: "closed", outcome: "blocked" });
    expect((await row(id)).status).toBe("draft");
    // Editable again.
    await type(id, MEMBER, "Vuxenutbildningen är med.");
    await storedSoon(id, (t) => t.includes("Vuxenutbildningen är med."));
  });

  it("below the quorum nothing is decided; a poll past its closing time is closed by the jobs", async () => {
    const id = await create("statement", "Uttalande om kvorum");
    expect((await post(id, { intent: "openPoll", closesDate: tomorrow(), closesTime: "12:00", quorum: "4" })).status).toBe(200);
    for (const who of [MEMBER, MARIA, AHMED]) expect((await post(id, { intent: "vote", vote: "agree", reason: "" }, who)).status).toBe(200);
    const poll = await s.db.selectFrom("decision_polls").selectAll().where("statement_id", "=", id).executeTakeFirstOrThrow();
    await s.server.jobs.run(new Date(Date.parse(poll.closes_at) - 60_000));
    expect((await row(id)).status).toBe("deciding"); // not yet
    // A day before it closes, those who may vote and have not are reminded, once.
    await s.server.jobs.run(new Date(Date.parse(poll.closes_at) - 30 * 60_000));
    const notYet = SKARABORG.filter((e) => ![OBSERVER, MEMBER, MARIA, AHMED].includes(e));
    expect(await recipients("decision_deadline", "Uttalande om kvorum")).toEqual(notYet);
    await s.server.jobs.run(new Date(Date.parse(poll.closes_at) + 1_000));
    expect(await s.db.selectFrom("decision_polls").select(["status", "outcome"]).where("id", "=", poll.id).executeTakeFirstOrThrow()).toEqual({ status: "closed", outcome: "no_quorum" });
    expect((await row(id)).status).toBe("draft");
    // A late vote is refused.
    expect((await post(id, { intent: "vote", vote: "agree", reason: "" }, "sara.ek@samsyn.test")).status).toBe(409);
  });

  it("adopted by poll: frozen exactly, published to observers, everyone told, nothing written after", async () => {
    const id = await create("statement", "Uttalande som antas");
    await type(id, MEMBER, "Rådet står bakom satsningen.");
    await storedSoon(id, (t) => t === "Rådet står bakom satsningen.");
    expect((await post(id, { intent: "openPoll", closesDate: tomorrow(), closesTime: "12:00", quorum: "3" })).status).toBe(200);
    for (const [who, vote] of [[MEMBER, "agree"], [MARIA, "agree"], [AHMED, "abstain"], ["sara.ek@samsyn.test", "disagree"]] as const) {
      expect((await post(id, { intent: "vote", vote, reason: "" }, who)).status).toBe(200);
    }
    const poll = await s.db.selectFrom("decision_polls").selectAll().where("statement_id", "=", id).executeTakeFirstOrThrow();
    await s.server.jobs.run(new Date(Date.parse(poll.closes_at) + 1_000));
    const adopted = await row(id);
    expect(adopted).toMatchObject({ status: "adopted", decided_via: "poll", frozen_text: "Rådet står bakom satsningen." });
    expect(await recipients("statement_adopted", "Uttalande som antas")).toEqual(SKARABORG.filter((e) => e !== LEADER));
    const audit = await s.db.selectFrom("audit_log").select("action").where("subject", "=", id).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["statement.poll_opened", "statement.adopted"]));

    // Observers read it now, from the frozen text (no JavaScript needed).
    const view = await get(s.url, page_(id), await cookieFor(OBSERVER));
    expect(view.status).toBe(200);
    expect(view.text).toContain("Rådet står bakom satsningen.");
    expect(view.text).toContain("Antaget");
    expect((await get(s.url, "/councils/skaraborg/statements", await cookieFor(OBSERVER))).text).toContain("Uttalande som antas");

    // Frozen: a member's live write lands nowhere, comments and a second decision are refused.
    const frozenBytes = Buffer.from(adopted.frozen_state!).toString("base64");
    const late = connect(s.url, `doc:${id}`, await cookieFor(MEMBER));
    clients.push(late);
    await synced(late);
    const p = new Y.XmlElement("paragraph");
    const tx = new Y.XmlText();
    tx.insert(0, "Efterhandsändring.");
    p.insert(0, [tx]);
    late.doc.getXmlFragment("content").push([p]);
    await new Promise((r) => setTimeout(r, 300));
    expect(await stored(id)).toBe("Rådet står bakom satsningen.");
    expect(Buffer.from((await row(id)).frozen_state!).toString("base64")).toBe(frozenBytes);
    expect((await post(id, { intent: "comment", body: "För sent" }, MARIA)).status).toBe(409);
    expect((await post(id, { intent: "openPoll", closesDate: tomorrow(), closesTime: "12:00", quorum: "" })).status).toBe(409);
  });

  it("adopted by a decision recorded in a meeting's minutes (an agenda item's beslut)", async () => {
    const id = await create("statement", "Uttalande enligt protokollet");
    const items = await s.db
      .selectFrom("agenda_items as i")
      .innerJoin("meetings as m", "m.id", "i.meeting_id")
      .select(["i.id", "i.decision", "m.id as meetingId"])
      .where("i.title", "in", ["Gemensamt uttalande om yrkesvux", "Omvärldsbevakning: industrins omställning"])
      .orderBy("i.position")
      .execute();
    const withDecision = items.find((i) => i.decision)!;
    const withoutDecision = items.find((i) => !i.decision)!;
    const page = await get(s.url, page_(id), await cookieFor(LEADER));
    expect(page.text).toContain(withDecision.decision!); // offered in the form
    const none = await post(id, { intent: "adoptByDecision", agendaItemId: withoutDecision.id });
    expect(none.status).toBe(400);
    expect(none.text).toContain("Punkten har inget protokollfört beslut.");
    expect((await post(id, { intent: "adoptByDecision", agendaItemId: withDecision.id }, MEMBER)).status).toBe(403);
    expect((await post(id, { intent: "adoptByDecision", agendaItemId: withDecision.id })).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: "adopted", decided_via: "meeting", meeting_id: withDecision.meetingId, decision_text: withDecision.decision });
  });

  it("adopted at a meeting that has been held; a proposal's actions then go into the plan, once", async () => {
    const id = await create("proposal", "Förslag om praktik", MARIA);
    expect((await post(id, { intent: "addAction", title: "Praktikplatsbank för vuxenutbildningen", responsibleOrg: "Skövde kommun", dueDate: "" }, MARIA)).status).toBe(200);
    expect((await post(id, { intent: "addAction", title: "Handledarträffar för arbetsgivare", responsibleOrg: "Teknikföretagen", dueDate: "" }, MEMBER)).status).toBe(200);
    const noTitle = await post(id, { intent: "addAction", title: "", responsibleOrg: "", dueDate: "" }, MEMBER);
    expect(noTitle.status).toBe(400);
    expect((await post(id, { intent: "addAction", title: "Obs", responsibleOrg: "", dueDate: "" }, OBSERVER)).status).toBe(404);
    const council = await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    const held = await s.db.selectFrom("meetings").select("id").where("council_id", "=", council.id).where("status", "=", "convened").where("starts_at", "<", new Date().toISOString()).orderBy("starts_at", "desc").executeTakeFirstOrThrow();
    const upcoming = await s.db.selectFrom("meetings").select("id").where("council_id", "=", council.id).where("status", "=", "convened").where("starts_at", ">", new Date().toISOString()).orderBy("starts_at").executeTakeFirstOrThrow();
    const early = await post(id, { intent: "adoptAtMeeting", meetingId: upcoming.id, decision: "Rådet antog förslaget." });
    expect(early.status).toBe(400);
    expect(early.text).toContain("Mötet har inte hållits ännu.");
    expect((await post(id, { intent: "adoptAtMeeting", meetingId: held.id, decision: "Rådet antog förslaget." }, MEMBER)).status).toBe(403);
    expect((await post(id, { intent: "adoptAtMeeting", meetingId: held.id, decision: "Rådet antog förslaget." })).status).toBe(200);
    expect(await row(id)).toMatchObject({ status: "adopted", decided_via: "meeting", meeting_id: held.id, decision_text: "Rådet antog förslaget." });

    const year = DateTime.now().setZone(ZONE).year;
    const plan = await s.db.selectFrom("plans").select("id").where("council_id", "=", council.id).where("year", "=", year).executeTakeFirstOrThrow();
    const goal = await s.db.selectFrom("plan_goals").select("id").where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
    expect((await post(id, { intent: "convert", year: String(year), goalId: "no-such-goal" })).status).toBe(400);
    const res = await post(id, { intent: "convert", year: String(year), goalId: goal.id });
    expect(res.status).toBe(200);
    expect(res.text).toContain("2 åtgärder lades in i handlingsplanen.");
    await s.server.collab.flush();
    for (let i = 0; i < 200; i++) {
      const titles = (await s.db.selectFrom("plan_actions").select("title").where("plan_id", "=", plan.id).execute()).map((a) => a.title);
      if (titles.includes("Praktikplatsbank för vuxenutbildningen")) break;
      await new Promise((r) => setTimeout(r, 25));
    }
    const inPlan = await s.db.selectFrom("plan_actions").select(["title", "responsible_org", "goal_id"]).where("plan_id", "=", plan.id).where("title", "in", ["Praktikplatsbank för vuxenutbildningen", "Handledarträffar för arbetsgivare"]).execute();
    expect(inPlan.map((a) => [a.title, a.responsible_org, a.goal_id]).sort()).toEqual([
      ["Handledarträffar för arbetsgivare", "Teknikföretagen", goal.id],
      ["Praktikplatsbank för vuxenutbildningen", "Skövde kommun", goal.id],
    ]);
    const twice = await post(id, { intent: "convert", year: String(year), goalId: goal.id });
    expect(twice.status).toBe(409);
  });
});
