// Search across a council (issue #17) over real HTTP on the seeded demo: the page and
// the API find plan actions, working groups, approved minutes and statements; each
// role finds only what its pages would show (an observer no draft meeting, no
// statement under decision, no decision of unapproved minutes); changes are found
// at once; query syntax cannot break the engine. Runs on SQLite and PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

interface Hit {
  kind: string;
  title: string;
  url: string;
  snippet: string;
}

describe("search", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const api = async (q: string, who: string, slug = "skaraborg") => {
    const res = await get(s.url, `/api/v1/councils/${slug}/search?q=${encodeURIComponent(q)}`, cookies[who]);
    return { status: res.status, hits: res.status === 200 ? (JSON.parse(res.text) as Hit[]) : [] };
  };
  const titles = async (q: string, who: string) => (await api(q, who)).hits.map((h) => `${h.kind}: ${h.title}`);

  beforeAll(async () => {
    s = await startTestServer();
    for (const [who, email] of [
      ["leader", "processledare@samsyn.test"],
      ["member", "ledamot@samsyn.test"],
      ["observer", "observator@samsyn.test"],
      ["fyrbodal", "ledamot.fyrbodal@samsyn.test"],
    ]) cookies[who] = await login(s.url, email);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the page finds a plan action by a word of its description, with the word marked, and links to it", async () => {
    const res = await get(s.url, "/councils/skaraborg/search?q=statistik", cookies.member);
    expect(res.status).toBe(200);
    const html = decode(res.text);
    expect(textOf(res.text)).toMatch(/\d+ träffar för ”statistik”/);
    expect(textOf(res.text)).toContain("Ta fram en årlig kompetensbehovsanalys för Skaraborg");
    expect(html).toMatch(/<mark>statistik<\/mark>/i);
    expect(html).toMatch(/href="\/councils\/skaraborg\/plans\/\d{4}\/actions\/[0-9a-f-]{36}"/);
    // An empty box shows the form and no results; one letter asks for more.
    expect(textOf((await get(s.url, "/councils/skaraborg/search", cookies.member)).text)).not.toContain("träffar");
    expect(textOf((await get(s.url, "/councils/skaraborg/search?q=a", cookies.member)).text)).toContain("Skriv minst två bokstäver eller en siffra.");
  });

  it("the API answers [{kind, title, url, snippet}]; a prefix finds inflected words (validering → valideringen)", async () => {
    const { status, hits } = await api("valider", "member");
    expect(status).toBe(200);
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) {
      expect(Object.keys(h).sort()).toEqual(["kind", "snippet", "title", "url"]);
      expect(h.url).toMatch(new RegExp(`^${s.url}/councils/skaraborg/`));
      expect(h.snippet).not.toMatch(/[\uE000\uE001<>]/);
    }
    expect(hits.map((h) => h.kind)).toContain("group");
    expect(hits.find((h) => h.kind === "group")!.title).toBe("Arbetsgrupp validering och yrkesvux");
  });

  it("approved minutes are found by everyone, and the observer finds them too", async () => {
    const approved = await s.db
      .selectFrom("minutes as mi")
      .innerJoin("meetings as m", "m.id", "mi.meeting_id")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select(["mi.frozen_text", "m.id", "m.title"])
      .where("mi.status", "=", "approved")
      .where("c.slug", "=", "skaraborg")
      .executeTakeFirstOrThrow();
    const word = approved.frozen_text!.match(/[A-Za-zÅÄÖåäö]{9,}/)![0];
    for (const who of ["member", "observer"]) {
      const { hits } = await api(word, who);
      expect(hits.some((h) => h.kind === "minutes" && h.url.endsWith(`/meetings/${approved.id}/minutes`)), `${who} finds ${word}`).toBe(true);
    }
  });

  it("a proposal under decision is found by members, not by the observer", async () => {
    expect(await titles("handledarstöd", "member")).toContain("proposal: Åtgärdsförslag: validering med handledarstöd");
    expect(await titles("handledarstöd", "observer")).not.toContain("proposal: Åtgärdsförslag: validering med handledarstöd");
  });

  it("a draft meeting is found by the leader only, and a new one at once", async () => {
    const title = "Budgetsamråd Zyxelkvist";
    const res = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title, date: "2099-04-14", startTime: "10:00", endTime: "11:00", location: "", videoUrl: "", description: "" }, cookies.leader);
    expect(res.status, textOf(res.text).slice(0, 300)).toBeLessThan(400);
    const meeting = await s.db.selectFrom("meetings").select(["id", "status"]).where("title", "=", title).executeTakeFirstOrThrow();
    expect(meeting.status).toBe("draft");
    expect(await titles("zyxelkvist", "leader")).toEqual([`meeting: ${title}`]);
    expect(await titles("zyxelkvist", "member")).toEqual([]);
    expect(await titles("zyxelkvist", "observer")).toEqual([]);

    // Renamed: the new name is found and the old one no longer.
    await s.db.updateTable("meetings").set({ title: "Budgetsamråd Quorpel" }).where("id", "=", meeting.id).execute();
    expect(await titles("zyxelkvist", "leader")).toEqual([]);
    expect(await titles("quorpel", "leader")).toEqual(["meeting: Budgetsamråd Quorpel"]);
  });

  it("a decision of minutes not yet approved is found by those who write minutes, not by the observer", async () => {
    const item = await s.db
      .selectFrom("agenda_items as i")
      .innerJoin("meetings as m", "m.id", "i.meeting_id")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .leftJoin("minutes as mi", "mi.meeting_id", "m.id")
      .select(["i.id", "m.id as meetingId"])
      .where("c.slug", "=", "skaraborg")
      .where("m.status", "=", "convened")
      .where("m.group_id", "is", null)
      .where("i.status", "=", "accepted")
      .where("mi.meeting_id", "is", null)
      .executeTakeFirstOrThrow();
    await s.db.updateTable("agenda_items").set({ decision: "Rådet beslutar att inrätta Plumsfonden." }).where("id", "=", item.id).execute();
    expect((await api("plumsfonden", "member")).hits.map((h) => h.kind)).toEqual(["decision"]);
    expect((await api("plumsfonden", "observer")).hits).toEqual([]);
  });

  it("another council's member gets 404, no session 401; the other council's text is not found", async () => {
    expect((await api("statistik", "fyrbodal")).status).toBe(404);
    const anon = await get(s.url, "/api/v1/councils/skaraborg/search?q=statistik");
    expect(anon.status).toBe(401);
    expect((await api("statistik", "fyrbodal", "fyrbodal")).hits.every((h) => h.url.includes("/councils/fyrbodal/"))).toBe(true);
  });

  it("query syntax is only words: quotes, stars, NEAR and operators neither break nor widen the search", async () => {
    for (const q of ['"', "*", 'NEAR("a" "b")', "statistik OR", "-statistik", "statistik:*", "ö'; drop table search_docs; --", "&|!()"]) {
      const res = await api(q, "member");
      expect(res.status, q).toBe(200);
    }
    expect((await api("x".repeat(201), "member")).status).toBe(400);
    expect((await get(s.url, `/councils/skaraborg/search?q=${"statistik ".repeat(40)}`, cookies.member)).status).toBe(200);
  });

  // Each engine's own way with Swedish words (decision 049); the test runs in both passes.
  it("folds å, ä, ö on SQLite (skovde → Skövde) and stems on PostgreSQL (utbildningarna → utbildning)", async () => {
    if (process.env.SAMSYN_TEST_DATABASE === "postgres") {
      const { hits } = await api("utbildningarna", "member");
      expect(hits.length).toBeGreaterThan(0);
      expect(hits.some((h) => !`${h.title} ${h.snippet}`.toLowerCase().includes("utbildningarna"))).toBe(true);
    } else {
      expect((await api("skovde", "member")).hits.length).toBeGreaterThan(0);
    }
  });
});
