// The decision register (issue #15): every decision recorded at the council's
// meetings, with the minutes' paragraph (§); observers see only those of approved
// minutes (the one published rule), on the page and in the API.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const APPROVED = "Maria Andersson valdes att justera protokollet.";

describe("the decision register", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const api = async (email: string) => JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/decisions", await cookieFor(email))).text) as { title: string; decision: string; paragraph: number; meetingTitle: string; url: string }[];

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it("lists the approved minutes' decisions with their paragraph, for everyone in the council", async () => {
    const page = await get(s.url, "/councils/skaraborg/decisions", await cookieFor(OBSERVER));
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Rådsmöte: uppföljning av handlingsplanen");
    expect(text).toContain(`§ 1 Mötet öppnas, val av justerare ${APPROVED}`);
    const rows = await api(OBSERVER);
    const first = rows.find((r) => r.decision === APPROVED)!;
    expect(first).toMatchObject({ paragraph: 1, title: "Mötet öppnas, val av justerare", meetingTitle: "Rådsmöte: uppföljning av handlingsplanen" });
    expect(first.url).toMatch(/^\/councils\/skaraborg\/meetings\/[^/]+\/minutes$/);
    // Paragraphs follow the accepted items' order in each meeting.
    const same = rows.filter((r) => r.meetingTitle === first.meetingTitle).map((r) => r.paragraph);
    expect(same).toEqual([...same].sort((a, b) => a - b));
  });

  it("a decision in minutes not yet approved: the leader sees it, the observer does not", async () => {
    const meeting = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
    const item = await s.db.selectFrom("agenda_items").select(["id", "title"]).where("meeting_id", "=", meeting.id).where("title", "=", "Beslut om att öppna revideringen").executeTakeFirstOrThrow();
    const res = await postForm(s.url, `/councils/skaraborg/meetings/${meeting.id}/minutes`, { intent: "decision", itemId: item.id, decision: "Revideringen öppnas i dag." }, await cookieFor(LEADER));
    expect(res.status).toBe(200);
    expect(textOf((await get(s.url, "/councils/skaraborg/decisions", await cookieFor(LEADER))).text)).toContain("Revideringen öppnas i dag.");
    expect((await api(LEADER)).some((r) => r.decision === "Revideringen öppnas i dag.")).toBe(true);
    expect(textOf((await get(s.url, "/councils/skaraborg/decisions", await cookieFor(OBSERVER))).text)).not.toContain("Revideringen öppnas i dag.");
    expect((await api(OBSERVER)).some((r) => r.decision === "Revideringen öppnas i dag.")).toBe(false);
  });

  it("another council's people get 404; without a session the API answers 401", async () => {
    expect((await get(s.url, "/councils/skaraborg/decisions", await cookieFor("ledamot.fyrbodal@samsyn.test"))).status).toBe(404);
    expect((await get(s.url, "/api/v1/councils/skaraborg/decisions")).status).toBe(401);
  });
});
