// Minutes through real HTTP forms and real y-websocket clients: co-editing, the
// approval (justering) that freezes the text, publication to observers, and an
// action item that becomes a plan action.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { planToJson } from "../../server/domain/plan-doc";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { closeOf, connect, synced, waitFor, type Client } from "../helpers/yjs";

describe("minutes and approval", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const clients: Client[] = [];
  let meetingId: string;
  let path: string;
  const users: Record<string, string> = {};
  const text = (d: Y.Doc) => d.getXmlFragment("content").toString();
  const write = (d: Y.Doc, s: string) => {
    const p = new Y.XmlElement("paragraph");
    const t = new Y.XmlText();
    t.insert(0, s);
    p.insert(0, [t]);
    d.getXmlFragment("content").push([p]);
  };

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of ["processledare", "ledamot", "observator", "maria.andersson", "ledamot.fyrbodal"]) {
      c[who] = await login(s.url, `${who}@samsyn.test`);
      users[who] = (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;
    }
    const m = await s.db
      .selectFrom("meetings")
      .select("id")
      .where("title", "=", "Rådsmöte: revidering av handlingsplanen")
      .executeTakeFirstOrThrow();
    meetingId = m.id;
    path = `/councils/skaraborg/meetings/${meetingId}/minutes`;
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  it("attendance and approvers: approvers must have attended; only the leader names them", async () => {
    const att = await postForm(s.url, path, { intent: "attendance", [`present-${users.ledamot}`]: "on", [`present-${users["maria.andersson"]}`]: "on", [`present-${users.processledare}`]: "on" }, c.processledare);
    expect(att.status).toBe(200);
    const present = await s.db.selectFrom("attendance").select("user_id").where("meeting_id", "=", meetingId).where("status", "=", "present").execute();
    expect(present.map((p) => p.user_id).sort()).toEqual([users.ledamot, users["maria.andersson"], users.processledare].sort());
    const notPresent = await postForm(s.url, path, { intent: "approvers", approver1: users.observator }, c.processledare);
    expect(notPresent.status).toBe(400);
    expect(notPresent.text).toContain("Justerare måste ha varit närvarande.");
    expect((await postForm(s.url, path, { intent: "approvers", approver1: users["maria.andersson"] }, c.ledamot)).status).toBe(403);
    const ok = await postForm(s.url, path, { intent: "approvers", approver1: users["maria.andersson"] }, c.processledare);
    expect(ok.status).toBe(200);
    const page = await get(s.url, path, c.processledare);
    // Attendance is listed by organisation.
    expect(textOf(page.text)).toContain("Skaraborgs Kommunalförbund: Karin Lindqvist");
    expect(textOf(page.text)).toContain("Teknikföretagen Skaraborg: Anders Johansson");
  });

  it("members co-edit the text live; observers cannot open unapproved minutes", async () => {
    const a = connect(s.url, `doc:${meetingId}`, c.ledamot);
    const b = connect(s.url, `doc:${meetingId}`, c.processledare);
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    write(a.doc, "Rådet diskuterade årets uppföljning.");
    await waitFor(() => text(b.doc).includes("årets uppföljning"), "b sees a's text");
    write(b.doc, "Beslut fattades om att öppna revideringen.");
    await waitFor(() => text(a.doc).includes("öppna revideringen"), "a sees b's text");
    expect(await closeOf(s.url, `/yjs/doc:${meetingId}`, c.observator)).toEqual({ code: 4404, reason: "Unknown document" });
    expect(await closeOf(s.url, `/yjs/doc:${meetingId}`, c["ledamot.fyrbodal"])).toEqual({ code: 4404, reason: "Unknown document" });
    const obs = await get(s.url, path, c.observator);
    expect(obs.status).toBe(200);
    expect(obs.text).toContain("Protokollet publiceras här när det är justerat.");
    expect(obs.text).not.toContain("årets uppföljning");
  });

  it("closing freezes the text: later writes are dropped, and a member cannot close", async () => {
    expect((await postForm(s.url, path, { intent: "close" }, c.ledamot)).status).toBe(403);
    const res = await postForm(s.url, path, { intent: "close" }, c.processledare);
    expect(res.status).toBe(200);
    const row = await s.db.selectFrom("minutes").selectAll().where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
    expect(row.status).toBe("closed");
    expect(row.frozen_text).toContain("Rådet diskuterade årets uppföljning.");
    expect(row.frozen_text).toContain("öppna revideringen");
    const [a, b] = clients;
    const dropped = s.server.collab.stats().droppedWrites;
    await new Promise((r) => setTimeout(r, 100)); // rights are re-resolved on the event
    write(a.doc, "EFTER STÄNGNING");
    await waitFor(() => s.server.collab.stats().droppedWrites > dropped, "the late write to be dropped");
    expect(text(b.doc)).not.toContain("EFTER STÄNGNING");
  });

  it("only an approver decides; sending back needs a comment and reopens; approving publishes to observers", async () => {
    expect((await postForm(s.url, path, { intent: "decide", decision: "approve" }, c.ledamot)).status).toBe(403);
    const noComment = await postForm(s.url, path, { intent: "decide", decision: "return" }, c["maria.andersson"]);
    expect(noComment.status).toBe(400);
    const back = await postForm(s.url, path, { intent: "decide", decision: "return", comment: "Lägg till vem som föredrog punkt 2." }, c["maria.andersson"]);
    expect(back.status).toBe(200);
    expect((await s.db.selectFrom("minutes").select("status").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow()).status).toBe("draft");
    expect((await postForm(s.url, path, { intent: "close" }, c.processledare)).status).toBe(200);
    const ok = await postForm(s.url, path, { intent: "decide", decision: "approve" }, c["maria.andersson"]);
    expect(ok.status).toBe(200);
    const row = await s.db.selectFrom("minutes").selectAll().where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
    expect(row.status).toBe("approved");
    const audit = await s.db.selectFrom("audit_log").select("action").where("subject", "=", meetingId).execute();
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(["minutes.closed", "minutes.returned", "minutes.approved"]));
    const obs = await get(s.url, path, c.observator);
    expect(obs.text).toContain("Rådet diskuterade årets uppföljning.");
    expect(textOf(obs.text)).toContain("Maria Andersson: har justerat");
    const reader = connect(s.url, `doc:${meetingId}`, c.observator);
    clients.push(reader);
    await synced(reader);
    expect(text(reader.doc)).toContain("öppna revideringen");
  });

  it("an action item becomes an action in the live plan in one step", async () => {
    const thisYear = await s.db.selectFrom("plans").select(["id"]).where("year", "=", new Date().getFullYear()).where("council_id", "=", (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id).executeTakeFirstOrThrow();
    const goal = await s.db.selectFrom("plan_goals").select("id").where("plan_id", "=", thisYear.id).orderBy("position").executeTakeFirstOrThrow();
    // Action items are added while the minutes are open: reopen this year's (approved above) directly.
    await s.db.updateTable("minutes").set({ status: "draft" }).where("meeting_id", "=", meetingId).execute();
    await postForm(s.url, path, { intent: "actionItem", what: "Ta fram en karta över yrkesvux-platser", ownerUserId: users.ledamot }, c.ledamot);
    const item2 = await s.db.selectFrom("action_items").selectAll().where("what", "=", "Ta fram en karta över yrkesvux-platser").executeTakeFirstOrThrow();
    const watcher = connect(s.url, `plan:${thisYear.id}`, c.processledare);
    clients.push(watcher);
    await synced(watcher);
    expect((await postForm(s.url, path, { intent: "toPlan", itemId: item2.id, goalId: goal.id }, c.observator)).status).toBe(403);
    const conv = await postForm(s.url, path, { intent: "toPlan", itemId: item2.id, goalId: goal.id }, c.processledare);
    expect(conv.status).toBe(200);
    await waitFor(() => JSON.stringify(planToJson(watcher.doc)).includes("Ta fram en karta över yrkesvux-platser"), "the live plan to show the new action");
    const again = await postForm(s.url, path, { intent: "toPlan", itemId: item2.id, goalId: goal.id }, c.processledare);
    expect(again.status).toBe(409);
    const stored = await s.db.selectFrom("action_items").select("plan_action_id").where("id", "=", item2.id).executeTakeFirstOrThrow();
    expect(stored.plan_action_id).not.toBeNull();
    await s.server.collab.flush();
    const plan = JSON.parse((await get(s.url, `/api/v1/councils/skaraborg/plans/${new Date().getFullYear()}`, c.ledamot)).text);
    type A = { id: string; title: string; responsibleUserId: string | null };
    const all: A[] = plan.areas.flatMap((a: { goals: { id: string; actions: A[] }[] }) => a.goals.filter((g) => g.id === goal.id).flatMap((g) => g.actions));
    const action = all.find((a) => a.id === stored.plan_action_id);
    expect(action).toMatchObject({ title: "Ta fram en karta över yrkesvux-platser", responsibleUserId: users.ledamot });
  });
});
