// Paragraph numbers (§) per meeting or running through the council's calendar year
// (issue #15): the leader's setting on the council settings page; one numbering for
// the decision register and its API, the meeting API, the minutes page and the
// minutes template; approved minutes keep their numbers when an earlier meeting is
// added. Real server, real forms; meetings of their own in a year nothing else uses.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const COUNCIL = "/councils/skaraborg";
type Who = "processledare" | "ledamot" | "observator" | "ledamot.fyrbodal";

describe("paragraph numbering", { timeout: 90_000 }, () => {
  let s: TestServer;
  const cookies = new Map<Who, string>();
  const clients: Client[] = [];
  const as = async (who: Who) => {
    if (!cookies.has(who)) cookies.set(who, await login(s.url, `${who}@samsyn.test`));
    return cookies.get(who)!;
  };
  const userId = async (who: Who) => (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;

  /** A convened meeting with accepted agenda items, each with a decision recorded on the meeting page. */
  async function meeting(title: string, date: string, items: string[]): Promise<string> {
    const leader = await as("processledare");
    const created = await postForm(s.url, `${COUNCIL}/meetings`, { intent: "create", title, date, startTime: "09:00", endTime: "12:00", location: "Skövde", videoUrl: "", description: "" }, leader);
    expect(created.status).toBe(302);
    const id = created.headers.get("location")!.split("/").pop()!;
    const path = `${COUNCIL}/meetings/${id}`;
    expect((await postForm(s.url, path, { intent: "convene" }, leader)).status).toBe(200);
    for (const item of items) {
      expect((await postForm(s.url, path, { intent: "addAgenda", title: item, kind: "decision", minutes: "10", presenter: "", planLink: "" }, leader)).status).toBe(200);
      const row = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", id).where("title", "=", item).executeTakeFirstOrThrow();
      expect((await postForm(s.url, path, { intent: "decision", itemId: row.id, decision: `Beslut: ${item}` }, leader)).status).toBe(200);
    }
    return id;
  }
  /** Title → paragraph in the decision register's API (the leader reads unapproved minutes too). */
  async function register(): Promise<Record<string, number>> {
    const rows = JSON.parse((await get(s.url, `/api/v1${COUNCIL}/decisions`, await as("processledare"))).text) as { title: string; paragraph: number }[];
    return Object.fromEntries(rows.filter((r) => r.title.startsWith("P ")).map((r) => [r.title, r.paragraph]));
  }
  /** The minutes template's headings of a meeting: the leader's first visit to its minutes seeds them. */
  async function templateHeadings(meetingId: string): Promise<string[]> {
    const client = connect(s.url, `doc:${meetingId}`, await as("processledare"));
    clients.push(client);
    await synced(client);
    expect((await get(s.url, `${COUNCIL}/meetings/${meetingId}/minutes`, await as("processledare"))).status).toBe(200);
    const frag = client.doc.getXmlFragment("content");
    await waitFor(() => frag.length > 2, "the template");
    return frag
      .toArray()
      .filter((n): n is Y.XmlElement => n instanceof Y.XmlElement && n.nodeName === "heading")
      .slice(1)
      .map((h) => h.toArray().map((t) => (t as Y.XmlText).toString()).join(""));
  }

  let spring: string;
  let summer: string;

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    spring = await meeting("Vårmöte 2099", "2099-03-10", ["P Öppnande", "P Budget", "P Uttalande"]);
    summer = await meeting("Sommarmöte 2099", "2099-06-09", ["P Val av justerare", "P Handlingsplan"]);
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await s?.close();
  });

  it("numbers each meeting's paragraphs from § 1 by default", async () => {
    expect(await register()).toEqual({ "P Öppnande": 1, "P Budget": 2, "P Uttalande": 3, "P Val av justerare": 1, "P Handlingsplan": 2 });
  });

  it("only the leader chooses the numbering on the council settings page", async () => {
    const page = await get(s.url, `${COUNCIL}/settings`, await as("processledare"));
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<fieldset[^>]*><legend>Paragrafnumrering<\/legend>/);
    expect(page.text).toContain(`<input type="radio" id="numbering" name="numbering" checked="" value="meeting"/>`);
    expect(textOf(page.text)).toContain("Löpande per år: paragraferna fortsätter från årets tidigare möten");
    for (const who of ["ledamot", "observator"] as const) {
      expect((await get(s.url, `${COUNCIL}/settings`, await as(who))).status, who).toBe(403);
      expect((await postForm(s.url, `${COUNCIL}/settings`, { intent: "paragraphs", numbering: "year" }, await as(who))).status, who).toBe(403);
    }
    expect((await postForm(s.url, `${COUNCIL}/settings`, { intent: "paragraphs", numbering: "year" }, await as("ledamot.fyrbodal"))).status).toBe(404);
    expect((await postForm(s.url, `${COUNCIL}/settings`, { intent: "paragraphs", numbering: "weekly" }, await as("processledare"))).status).toBe(400);
    expect(await register()).toEqual({ "P Öppnande": 1, "P Budget": 2, "P Uttalande": 3, "P Val av justerare": 1, "P Handlingsplan": 2 });

    const saved = await postForm(s.url, `${COUNCIL}/settings`, { intent: "paragraphs", numbering: "year" }, await as("processledare"));
    expect(saved.status).toBe(200);
    expect(textOf(saved.text)).toContain("Inställningarna är sparade.");
    const audit = await s.db.selectFrom("audit_log").select(["before_json", "after_json"]).where("action", "=", "council.paragraph_numbering").execute();
    expect(audit.map((a) => [JSON.parse(a.before_json!).numbering, JSON.parse(a.after_json!).numbering])).toEqual([["meeting", "year"]]);
    expect(textOf((await get(s.url, `${COUNCIL}/audit`, await as("processledare"))).text)).toContain("Paragrafnumreringen ändrad – Före: numrering: per möte Efter: numrering: löpande per år");
  });

  it("per year: a meeting's paragraphs continue from the year's earlier meetings, in the register, the minutes page and its template", async () => {
    expect(await register()).toEqual({ "P Öppnande": 1, "P Budget": 2, "P Uttalande": 3, "P Val av justerare": 4, "P Handlingsplan": 5 });
    expect(await templateHeadings(summer)).toEqual(["§4 P Val av justerare", "§5 P Handlingsplan"]);
    const page = textOf((await get(s.url, `${COUNCIL}/meetings/${summer}/minutes`, await as("processledare"))).text);
    expect(page).toContain("§4 P Val av justerare Beslut: P Val av justerare");
    // A new year starts at § 1 again.
    await meeting("Vintermöte 2100", "2100-02-02", ["P Nytt år"]);
    expect((await register())["P Nytt år"]).toBe(1);
  });

  it("approved minutes keep their numbers when an earlier meeting of the year is added; the others move", async () => {
    const leader = await as("processledare");
    const member = await as("ledamot");
    const minutes = `${COUNCIL}/meetings/${summer}/minutes`;
    const [leaderId, memberId] = [await userId("processledare"), await userId("ledamot")];
    expect((await postForm(s.url, minutes, { intent: "attendance", [`status-${leaderId}`]: "present", [`status-${memberId}`]: "present" }, leader)).status).toBe(200);
    expect((await postForm(s.url, minutes, { intent: "approvers", approver1: memberId }, leader)).status).toBe(200);
    expect((await postForm(s.url, minutes, { intent: "close" }, leader)).status).toBe(200);
    expect((await postForm(s.url, minutes, { intent: "decide", decision: "approve" }, member)).status).toBe(200);
    expect((await s.db.selectFrom("minutes").select(["status", "first_paragraph"]).where("meeting_id", "=", summer).executeTakeFirstOrThrow())).toEqual({ status: "approved", first_paragraph: 4 });

    // A meeting in January with two paragraphs, added afterwards.
    await meeting("Januarimöte 2099", "2099-01-20", ["P Januari ett", "P Januari två"]);
    expect(await register()).toMatchObject({
      "P Januari ett": 1,
      "P Januari två": 2,
      // The spring meeting's minutes are not approved: they follow.
      "P Öppnande": 3,
      "P Budget": 4,
      "P Uttalande": 5,
      // The summer meeting's are approved: fixed.
      "P Val av justerare": 4,
      "P Handlingsplan": 5,
    });
    // The observer reads the approved decisions with the same numbers, in the register and the meeting API.
    const observer = await as("observator");
    const rows = JSON.parse((await get(s.url, `/api/v1${COUNCIL}/decisions`, observer)).text) as { title: string; paragraph: number }[];
    expect(rows.filter((r) => r.title.startsWith("P ")).map((r) => [r.title, r.paragraph])).toEqual([
      ["P Val av justerare", 4],
      ["P Handlingsplan", 5],
    ]);
    const api = JSON.parse((await get(s.url, `/api/v1${COUNCIL}/meetings/${summer}`, observer)).text) as { decisions: { title: string; paragraph: number }[] };
    expect(api.decisions.map((d) => [d.title, d.paragraph])).toEqual([
      ["P Val av justerare", 4],
      ["P Handlingsplan", 5],
    ]);
    expect(textOf((await get(s.url, `${COUNCIL}/decisions`, observer)).text)).toContain("§ 4 P Val av justerare");

    // Back to numbering per meeting: approved minutes still keep theirs.
    expect((await postForm(s.url, `${COUNCIL}/settings`, { intent: "paragraphs", numbering: "meeting" }, leader)).status).toBe(200);
    expect(await register()).toMatchObject({ "P Januari ett": 1, "P Öppnande": 1, "P Uttalande": 3, "P Val av justerare": 4 });
  });
});
