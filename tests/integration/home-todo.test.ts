// The home page's to-do list ("Att göra", issue #13) through real HTTP on the
// seeded demo: each kind shows for the person it waits for, links to the page
// and anchor where it is done, and is gone once it is done; people without the
// right (observers, other councils, an adjunct outside their period) get none.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

type Row = { href: string; title: string; text: string };

/** The to-do sections of the home page: kind → rows (link and the row's text). */
function todoOf(html: string): Record<string, Row[]> {
  const out: Record<string, Row[]> = {};
  for (const s of html.matchAll(/<section[^>]*data-kind="(\w+)"[^>]*>([\s\S]*?)<\/section>/g)) {
    out[s[1]] = [...s[2].matchAll(/<li[^>]*>([\s\S]*?)<\/li>/g)].map((li) => {
      const a = li[1].match(/<a[^>]*href="([^"]*)"[^>]*>([\s\S]*?)<\/a>/)!;
      return { href: decode(a[1]), title: textOf(a[2]), text: textOf(li[1]) };
    });
  }
  return out;
}

describe("home: Att göra", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const who = ["processledare", "ledamot", "observator", "maria.andersson", "ledamot.fyrbodal", "oskar.dahl", "sara.ek", "ahmed.hassan"];

  const home = async (person: string) => {
    const res = await get(s.url, "/", c[person]);
    expect(res.status).toBe(200);
    return { html: res.text, todo: todoOf(res.text) };
  };
  const meetingId = async (title: string) => (await s.db.selectFrom("meetings").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
  /** Waits for the live plan's projection (a report goes through the plan document). */
  const eventually = async (check: () => Promise<boolean>) => {
    for (let i = 0; i < 100; i++) {
      if (await check()) return true;
      await new Promise((r) => setTimeout(r, 50));
    }
    return false;
  };

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const p of who) {
      c[p] = await login(s.url, `${p}@samsyn.test`);
      ids[p] = (await s.db.selectFrom("users").select("id").where("email", "=", `${p}@samsyn.test`).executeTakeFirstOrThrow()).id;
    }
  });
  afterAll(() => s.close());

  it("the leader's list: a heading per kind with a count, rows linking to the exact task", async () => {
    const { html, todo } = await home("processledare");
    expect(html).toMatch(/<h1[^>]*>Att göra<\/h1>/);
    expect(Object.keys(todo)).toEqual(["poll", "rsvp", "followup", "vote"]);
    const poll = await meetingId("Arbetsmöte om validering");
    expect(todo.poll).toEqual([expect.objectContaining({ title: "Arbetsmöte om validering", href: `/councils/skaraborg/meetings/${poll}#poll-h` })]);
    expect(todo.poll[0].text).toMatch(/Skaraborg.*Svara senast/);
    expect(textOf(html)).toContain("Tidsförslag att svara på 1 st");
    const revision = await meetingId("Rådsmöte: revidering av handlingsplanen");
    expect(todo.rsvp.map((r) => r.href)).toContain(`/councils/skaraborg/meetings/${revision}#rsvp-h`);
    expect(todo.followup[0].href).toMatch(/^\/councils\/skaraborg\/plans\/\d{4}\/actions\/[\w-]+#report-h$/);
    expect(todo.followup[0].text).toContain("Försenad");
    expect(todo.vote[0].href).toMatch(/^\/councils\/skaraborg\/statements\/[\w-]+#poll-h$/);
    // Each link opens a page that has the anchor.
    for (const rows of Object.values(todo)) {
      for (const r of rows) {
        const [path, anchor] = r.href.split("#");
        const page = await get(s.url, path, c.processledare);
        expect(page.status, r.href).toBe(200);
        expect(page.text, r.href).toContain(`id="${anchor}"`);
      }
    }
    // Then upcoming meetings and the councils, as before.
    expect(textOf(html)).toMatch(/Kommande möten.*Mina kompetensråd.*Kompetensråd Skaraborg/);
  });

  it("observers, other councils' members and an adjunct outside their period get no tasks; observers still see meetings", async () => {
    const obs = await home("observator");
    expect(obs.todo).toEqual({});
    expect(textOf(obs.html)).toContain("Inget väntar på dig just nu");
    expect(obs.html).toContain("/councils/skaraborg/meetings/");
    const fyr = await home("ledamot.fyrbodal");
    expect(JSON.stringify(fyr.todo)).not.toContain("skaraborg");
    const oskar = await home("oskar.dahl");
    expect(oskar.todo).toEqual({});
    expect(oskar.html).not.toContain("/councils/skaraborg/meetings/");
  });

  it("a working group's meeting asks only the group's members", async () => {
    const group = await meetingId("Gruppmöte: validering inom industrin");
    const href = `/councils/skaraborg/meetings/${group}#rsvp-h`;
    expect((await home("maria.andersson")).todo.rsvp.map((r) => r.href)).toContain(href);
    expect((await home("ledamot")).todo.rsvp.map((r) => r.href)).not.toContain(href);
    expect((await home("processledare")).todo.rsvp.map((r) => r.href)).not.toContain(href);
  });

  it("poll: gone once answered", async () => {
    const poll = await meetingId("Arbetsmöte om validering");
    const slots = await s.db.selectFrom("poll_slots as ps").innerJoin("polls as p", "p.id", "ps.poll_id").select("ps.id").where("p.meeting_id", "=", poll).execute();
    const answers = Object.fromEntries(slots.map((sl) => [`answer-${sl.id}`, "yes"]));
    expect((await postForm(s.url, `/councils/skaraborg/meetings/${poll}`, { intent: "answerPoll", ...answers }, c["sara.ek"])).status).toBe(200);
    expect((await home("sara.ek")).todo.poll).toBeUndefined();
    expect((await home("processledare")).todo.poll).toHaveLength(1);
  });

  it("RSVP: gone once answered", async () => {
    const meeting = await meetingId("Rådsmöte: fastställande av handlingsplanen");
    const href = `/councils/skaraborg/meetings/${meeting}#rsvp-h`;
    expect((await home("ledamot")).todo.rsvp.map((r) => r.href)).toContain(href);
    expect((await postForm(s.url, `/councils/skaraborg/meetings/${meeting}`, { intent: "rsvp", response: "attending", note: "" }, c.ledamot)).status).toBe(200);
    expect((await home("ledamot")).todo.rsvp ?? []).not.toContainEqual(expect.objectContaining({ href }));
  });

  it("decision poll: gone once voted", async () => {
    const { todo } = await home("ledamot");
    const path = todo.vote[0].href.split("#")[0];
    expect((await postForm(s.url, path, { intent: "vote", vote: "agree", reason: "" }, c.ledamot)).status).toBe(200);
    expect((await home("ledamot")).todo.vote).toBeUndefined();
    expect((await home("sara.ek")).todo.vote).toHaveLength(1);
  });

  it("follow-up: an overdue action is gone once reported done", async () => {
    const { todo } = await home("ledamot");
    const row = todo.followup.find((r) => r.title === "Teknikcollege-certifiering för ytterligare två skolor")!;
    expect(row.text).toContain("Försenad");
    expect((await postForm(s.url, row.href.split("#")[0], { status: "done", progress: "100", comment: "Klart." }, c.ledamot)).status).toBe(200);
    expect(await eventually(async () => !(await home("ledamot")).todo.followup?.some((r) => r.href === row.href))).toBe(true);
    // Nobody else is asked about it.
    expect(JSON.stringify((await home("processledare")).todo)).not.toContain(row.href);
  });

  it("minutes: the named approver is asked once the minutes are closed, and not after approving", async () => {
    const meeting = await meetingId("Rådsmöte: revidering av handlingsplanen");
    const path = `/councils/skaraborg/meetings/${meeting}/minutes`;
    const href = `${path}#just-h`;
    expect((await postForm(s.url, path, { intent: "attendance", [`present-${ids.ledamot}`]: "on", [`present-${ids.processledare}`]: "on" }, c.processledare)).status).toBe(200);
    expect((await postForm(s.url, path, { intent: "approvers", approver1: ids.ledamot }, c.processledare)).status).toBe(200);
    // A draft is not theirs to approve yet.
    expect((await home("ledamot")).todo.minutes).toBeUndefined();
    expect((await postForm(s.url, path, { intent: "close" }, c.processledare)).status).toBe(200);
    expect((await home("ledamot")).todo.minutes).toEqual([expect.objectContaining({ href, title: "Rådsmöte: revidering av handlingsplanen" })]);
    expect((await home("processledare")).todo.minutes).toBeUndefined();
    expect((await get(s.url, path, c.ledamot)).text).toContain('id="just-h"');
    expect((await postForm(s.url, path, { intent: "decide", decision: "approve" }, c.ledamot)).status).toBe(200);
    expect((await home("ledamot")).todo.minutes).toBeUndefined();
  });

  it("agenda proposals: the leader is asked to handle a member's proposal, until accepted", async () => {
    const meeting = await meetingId("Rådsmöte: fastställande av handlingsplanen");
    const path = `/councils/skaraborg/meetings/${meeting}`;
    expect((await home("processledare")).todo.proposals).toBeUndefined();
    const res = await postForm(s.url, path, { intent: "addAgenda", title: "Praktikplatser i vården", kind: "discussion", presenter: "", minutes: "15", planLink: "" }, c.ledamot);
    expect(res.status).toBe(200);
    const rows = (await home("processledare")).todo.proposals;
    expect(rows).toEqual([expect.objectContaining({ href: `${path}#agenda-h`, title: "Rådsmöte: fastställande av handlingsplanen" })]);
    expect(rows[0].text).toContain("1 förslag väntar på beslut");
    // Not a member's task, nor the proposer's.
    expect((await home("ledamot")).todo.proposals).toBeUndefined();
    const item = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting).where("status", "=", "proposed").executeTakeFirstOrThrow();
    expect((await postForm(s.url, path, { intent: "acceptAgenda", itemId: item.id }, c.processledare)).status).toBe(200);
    expect((await home("processledare")).todo.proposals).toBeUndefined();
  });

  it("follow-up round: a week before the council's next meeting, actions not reported since the last one are asked for, until reported", async () => {
    expect((await home("ledamot")).todo.followup?.some((r) => r.text.includes("Rapportera före nästa möte")) ?? false).toBe(false);
    const day = new Date(Date.now() + 3 * 86_400_000).toLocaleDateString("sv-SE", { timeZone: "Europe/Stockholm" });
    const created = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title: "Uppföljningsmöte", date: day, startTime: "09:00", endTime: "11:00", location: "Skövde", videoUrl: "", description: "" }, c.processledare);
    expect(created.status).toBe(302);
    const path = new URL(created.headers.get("location")!, s.url).pathname;
    expect((await postForm(s.url, path, { intent: "convene" }, c.processledare)).status).toBe(200);
    const asked = (await home("ledamot")).todo.followup.filter((r) => r.text.includes("Rapportera före nästa möte"));
    expect(asked.length).toBeGreaterThan(0);
    // Only the person responsible is asked.
    expect(JSON.stringify((await home("processledare")).todo.followup ?? [])).not.toContain(asked[0].href);
    expect((await postForm(s.url, asked[0].href.split("#")[0], { status: "on_track", progress: "40", comment: "" }, c.ledamot)).status).toBe(200);
    expect(await eventually(async () => !(await home("ledamot")).todo.followup?.some((r) => r.href === asked[0].href))).toBe(true);
  });

  it("in English too", async () => {
    const res = await get(s.url, "/", c.processledare, { cookie: `${c.processledare}; samsyn_lang=en` });
    expect(res.text).toMatch(/<h1[^>]*>To do<\/h1>/);
    expect(textOf(res.text)).toContain("Time polls to answer");
  });
});
