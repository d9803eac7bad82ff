// Time polls through real HTTP forms and a real socket.io client.
import { DateTime } from "luxon";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

describe("time polls", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  let meetingPath: string;
  let meetingId: string;
  const day = (n: number) => DateTime.now().setZone(ZONE).plus({ days: n }).toISODate()!;

  beforeAll(async () => {
    s = await startTestServer();
    for (const who of ["processledare", "ledamot", "observator", "maria.andersson", "ledamot.fyrbodal"]) c[who] = await login(s.url, `${who}@samsyn.test`);
    const res = await postForm(s.url, "/councils/skaraborg/meetings", { title: "Arbetsmöte om matchning", date: day(30), startTime: "09:00", endTime: "11:00" }, c.processledare);
    expect(res.status).toBe(302);
    meetingPath = new URL(res.headers.get("location")!, s.url).pathname;
    meetingId = meetingPath.split("/").pop()!;
  });
  afterAll(() => s.close());

  const slots = () => s.db.selectFrom("poll_slots as ps").innerJoin("polls as p", "p.id", "ps.poll_id").select(["ps.id", "ps.starts_at"]).where("p.meeting_id", "=", meetingId).orderBy("ps.position").execute();

  it("refuses bad proposals with a message and writes nothing", async () => {
    const past = await postForm(s.url, meetingPath, { intent: "createPoll", slot0Date: day(-2), slot0Start: "09:00", slot0End: "10:00", deadlineDate: day(5) }, c.processledare);
    expect(past.status).toBe(400);
    expect(past.text).toContain("Mötet kan inte börja i det förflutna.");
    const none = await postForm(s.url, meetingPath, { intent: "createPoll", deadlineDate: day(5) }, c.processledare);
    expect(none.status).toBe(400);
    expect(none.text).toContain("Föreslå minst en tid.");
    expect(await slots()).toEqual([]);
  });

  it("only the leader opens a poll; then members see the draft meeting and can answer, observers cannot", async () => {
    const byMember = await postForm(s.url, meetingPath, { intent: "createPoll", slot0Date: day(20), slot0Start: "09:00", slot0End: "10:00", deadlineDate: day(10) }, c.ledamot);
    // A draft without a poll does not exist for members, whatever they ask of it (requireMeeting): 404, as for its page.
    expect(byMember.status).toBe(404);
    expect(await slots()).toEqual([]);
    expect((await get(s.url, meetingPath, c.ledamot)).status).toBe(404);
    const res = await postForm(
      s.url,
      meetingPath,
      { intent: "createPoll", slot0Date: day(20), slot0Start: "09:00", slot0End: "11:00", slot1Date: day(21), slot1Start: "13:00", slot1End: "15:00", slot2Date: day(22), slot2Start: "09:00", slot2End: "11:00", deadlineDate: day(10) },
      c.processledare,
    );
    expect(res.status).toBe(200);
    expect(res.text).toContain("Tidsomröstningen är öppen");
    expect((await slots()).length).toBe(3);

    const page = await get(s.url, meetingPath, c.ledamot);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Ditt svar för");
    expect(page.text).toContain("Har inte svarat");
    const observerPage = await get(s.url, meetingPath, c.observator);
    expect(observerPage.status).toBe(200);
    expect(observerPage.text).not.toContain("Ditt svar för");
    const [a] = await slots();
    const observerVote = await postForm(s.url, meetingPath, { intent: "answerPoll", [`answer-${a.id}`]: "yes" }, c.observator);
    expect(observerVote.status).toBe(403);
    expect(await s.db.selectFrom("poll_answers").selectAll().where("slot_id", "in", (await slots()).map((x) => x.id)).execute()).toEqual([]);
    expect((await get(s.url, meetingPath, c["ledamot.fyrbodal"])).status).toBe(404);
  });

  it("answers are tallied live, can be changed, and the not-answered list shrinks", async () => {
    const [a, b, cc] = await slots();
    const socket = io(s.url, { transports: ["websocket"], extraHeaders: { cookie: c.processledare, origin: s.url }, forceNew: true });
    const changed = new Promise<{ change: string; meetingId: string }>((resolve) => socket.on("council:meetings-changed", resolve));
    await new Promise<void>((resolve) => socket.on("ready", () => resolve()));
    const r1 = await postForm(s.url, meetingPath, { intent: "answerPoll", [`answer-${a.id}`]: "yes", [`answer-${b.id}`]: "no", [`answer-${cc.id}`]: "no" }, c.ledamot);
    expect(r1.status).toBe(200);
    expect(await changed).toEqual({ councilId: expect.any(String), meetingId, change: "poll" });
    socket.disconnect();
    // Change one answer: still one row per slot and person.
    await postForm(s.url, meetingPath, { intent: "answerPoll", [`answer-${a.id}`]: "if_need_be" }, c.ledamot);
    await postForm(s.url, meetingPath, { intent: "answerPoll", [`answer-${a.id}`]: "yes", [`answer-${b.id}`]: "no", [`answer-${cc.id}`]: "no" }, c["maria.andersson"]);
    const rows = await s.db.selectFrom("poll_answers").selectAll().where("slot_id", "=", a.id).execute();
    expect(rows.map((r) => r.answer).sort()).toEqual(["if_need_be", "yes"]);
    const page = await get(s.url, meetingPath, c.observator);
    const notAnswered = (/Har inte svarat[\s\S]*?<\/p>/.exec(page.text)?.[0] ?? "").replace(/<[^>]+>/g, "");
    expect(notAnswered).toContain("Har inte svarat");
    expect(notAnswered).not.toContain("Anders Johansson");
    expect(notAnswered).not.toContain("Maria Andersson");
    expect(notAnswered).toContain("Per Holm");
    expect(notAnswered).not.toContain("Eva Berg"); // observers are not asked
  });

  it("refuses answers for another poll's slot and unknown values", async () => {
    const bogus = await postForm(s.url, meetingPath, { intent: "answerPoll", "answer-00000000-0000-4000-8000-000000000000": "yes" }, c.ledamot);
    expect(bogus.status).toBe(400);
    const [a] = await slots();
    const bad = await postForm(s.url, meetingPath, { intent: "answerPoll", [`answer-${a.id}`]: "perhaps" }, c.ledamot);
    expect(bad.status).toBe(400);
  });

  it("warns when everyone said no, then gives the meeting the chosen slot and closes the poll (convening is the next step)", async () => {
    const [, b] = await slots();
    const warn = await postForm(s.url, meetingPath, { intent: "chooseSlot", slotId: b.id }, c.processledare);
    expect(warn.status).toBe(409);
    expect(warn.text).toContain("Alla som svarat har sagt nej till den tiden.");
    expect((await s.db.selectFrom("meetings").select("status").where("id", "=", meetingId).executeTakeFirstOrThrow()).status).toBe("draft");

    const byMember = await postForm(s.url, meetingPath, { intent: "chooseSlot", slotId: b.id, confirmAllNo: "on" }, c.ledamot);
    expect(byMember.status).toBe(403);
    const ok = await postForm(s.url, meetingPath, { intent: "chooseSlot", slotId: b.id, confirmAllNo: "on" }, c.processledare);
    expect(ok.status).toBe(200);
    const m = await s.db.selectFrom("meetings").selectAll().where("id", "=", meetingId).executeTakeFirstOrThrow();
    expect(m.status).toBe("draft");
    expect(m.starts_at).toBe(b.starts_at);
    expect((await postForm(s.url, meetingPath, { intent: "convene" }, c.processledare)).status).toBe(200);
    expect((await s.db.selectFrom("meetings").select("status").where("id", "=", meetingId).executeTakeFirstOrThrow()).status).toBe("convened");
    const poll = await s.db.selectFrom("polls").selectAll().where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
    expect([poll.status, poll.chosen_slot_id]).toEqual(["closed", b.id]);
    const late = await postForm(s.url, meetingPath, { intent: "answerPoll", [`answer-${b.id}`]: "yes" }, c.ledamot);
    expect(late.status).toBe(409);
    expect(late.text).toContain("Tidsomröstningen är stängd.");
  });

  it("refuses answers after the deadline", async () => {
    const res = await postForm(s.url, "/councils/skaraborg/meetings", { title: "Möte med kort svarstid", date: day(40), startTime: "09:00", endTime: "10:00" }, c.processledare);
    const path = new URL(res.headers.get("location")!, s.url).pathname;
    const id = path.split("/").pop()!;
    await postForm(s.url, path, { intent: "createPoll", slot0Date: day(41), slot0Start: "09:00", slot0End: "10:00", deadlineDate: day(3) }, c.processledare);
    await s.db.updateTable("polls").set({ deadline: new Date(Date.now() - 60_000).toISOString() }).where("meeting_id", "=", id).execute();
    const slot = await s.db.selectFrom("poll_slots as ps").innerJoin("polls as p", "p.id", "ps.poll_id").select("ps.id").where("p.meeting_id", "=", id).executeTakeFirstOrThrow();
    const late = await postForm(s.url, path, { intent: "answerPoll", [`answer-${slot.id}`]: "yes" }, c.ledamot);
    expect(late.status).toBe(409);
  });
});
