// Agenda templates (issue #15): a leader keeps the council's templates and picks one
// when creating a meeting; the meeting gets a copy of its items. Members and
// observers cannot manage them; bad input is refused with a message; another
// council's template cannot be used.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fieldError, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const PAGE = "/councils/skaraborg/agenda-templates";

describe("agenda templates", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const templatesOf = (slug: string) =>
    s.db.selectFrom("agenda_templates as t").innerJoin("councils as c", "c.id", "t.council_id").select(["t.id", "t.name", "t.items_json"]).where("c.slug", "=", slug).orderBy("t.name").execute();
  const create = async (fields: Record<string, string>) =>
    postForm(
      s.url,
      "/councils/skaraborg/meetings",
      { intent: "create", title: "Möte med mall", date: "2099-03-10", startTime: "13:00", endTime: "15:00", location: "Skövde", videoUrl: "", description: "", ...fields },
      await cookieFor(LEADER),
    );

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it("the demo councils start with the standard agenda, shown to the leader and offered when creating a meeting", async () => {
    const [standard] = await templatesOf("skaraborg");
    expect(standard!.name).toBe("Ordinarie rådsmöte");
    const page = await get(s.url, PAGE, await cookieFor(LEADER));
    expect(page.status).toBe(200);
    expect(textOf(page.text)).toContain("Val av justerare");
    const meetings = await get(s.url, "/councils/skaraborg/meetings", await cookieFor(LEADER));
    expect(meetings.text).toContain(`<option value="${standard!.id}">Ordinarie rådsmöte</option>`);
  });

  it("a meeting created from a template gets a copy of its items, in order, with their minutes", async () => {
    const [standard] = await templatesOf("skaraborg");
    const res = await create({ template: standard!.id });
    expect(res.status).toBe(302);
    const id = res.headers.get("location")!.split("/").pop()!;
    const items = await s.db.selectFrom("agenda_items").select(["title", "minutes", "kind", "status", "position"]).where("meeting_id", "=", id).orderBy("position").execute();
    expect(items.map((i) => i.title)).toEqual(JSON.parse(standard!.items_json).map((i: { title: string }) => i.title));
    expect(items[1]).toMatchObject({ title: "Val av justerare", minutes: 5, kind: "decision", status: "accepted", position: 2 });
    // Without a template the agenda starts empty.
    const plain = await create({ template: "" });
    const plainId = plain.headers.get("location")!.split("/").pop()!;
    expect(await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", plainId).execute()).toEqual([]);
  });

  it("a leader creates, changes and deletes a template; changing it changes no meeting made from it", async () => {
    const leader = await cookieFor(LEADER);
    const created = await postForm(s.url, PAGE, { intent: "create", name: "Arbetsmöte", items: "Incheckning | 10\nGenomgång av åtgärder | 45 | diskussion\nBeslut om nästa steg | 15 | beslut" }, leader);
    expect(created.status).toBe(200);
    const tpl = (await templatesOf("skaraborg")).find((t) => t.name === "Arbetsmöte")!;
    expect(JSON.parse(tpl.items_json)).toEqual([
      { title: "Incheckning", kind: "information", minutes: 10 },
      { title: "Genomgång av åtgärder", kind: "discussion", minutes: 45 },
      { title: "Beslut om nästa steg", kind: "decision", minutes: 15 },
    ]);
    const made = await create({ template: tpl.id, title: "Arbetsmöte i mars" });
    const meetingId = made.headers.get("location")!.split("/").pop()!;
    expect((await postForm(s.url, PAGE, { intent: "update", id: tpl.id, name: "Arbetsmöte", items: "Bara en punkt | 5" }, leader)).status).toBe(200);
    expect(JSON.parse((await templatesOf("skaraborg")).find((t) => t.id === tpl.id)!.items_json)).toHaveLength(1);
    expect(await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).execute()).toHaveLength(3);
    expect((await postForm(s.url, PAGE, { intent: "delete", id: tpl.id }, leader)).status).toBe(200);
    expect((await templatesOf("skaraborg")).some((t) => t.id === tpl.id)).toBe(false);
    const audit = await s.db.selectFrom("audit_log").select("action").where("subject", "=", tpl.id).execute();
    expect(audit.map((a) => a.action).sort()).toEqual(["agenda_template.created", "agenda_template.deleted", "agenda_template.updated"]);
    // The log reads as prose: the seeded template by its name, its items counted.
    const log = textOf((await get(s.url, "/councils/skaraborg/audit", leader)).text);
    expect(log).toContain("Dagordningsmall skapad Ordinarie rådsmöte Efter: namn: Ordinarie rådsmöte; punkter: 7");
    expect(log).toContain("Dagordningsmall borttagen (borttaget)");
  });

  it("refuses bad input with a Swedish message, and members and observers outright", async () => {
    const leader = await cookieFor(LEADER);
    const bad = await postForm(s.url, PAGE, { intent: "create", name: "Trasig", items: "Punkt | många minuter" }, leader);
    expect(bad.status).toBe(400);
    expect(fieldError(bad.text, "new-items")).toMatch(/En punkt per rad|Skriv en punkt per rad/);
    const dup = await postForm(s.url, PAGE, { intent: "create", name: "Ordinarie rådsmöte", items: "X" }, leader);
    expect(dup.status).toBe(409);
    expect(textOf(dup.text)).toContain("Det finns redan en mall med det namnet.");
    for (const who of ["ledamot@samsyn.test", "observator@samsyn.test"]) {
      expect((await get(s.url, PAGE, await cookieFor(who))).status).toBe(403);
      expect((await postForm(s.url, PAGE, { intent: "create", name: "Smyg", items: "X" }, await cookieFor(who))).status).toBe(403);
    }
    // Another council's template cannot start this council's meeting.
    const [fyrbodal] = await templatesOf("fyrbodal");
    const res = await create({ template: fyrbodal!.id, title: "Lånad mall" });
    expect(res.status).toBe(400);
    expect(textOf(res.text)).toContain("Mallen finns inte.");
    expect(await s.db.selectFrom("meetings").select("id").where("title", "=", "Lånad mall").execute()).toEqual([]);
  });
});

describe("an agenda that runs past the meeting's end", { timeout: 60_000 }, () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it("warns the leader with the times, in words; a fitting agenda gets no warning", async () => {
    const leader = await login(s.url, LEADER);
    const [standard] = await s.db.selectFrom("agenda_templates as t").innerJoin("councils as c", "c.id", "t.council_id").select("t.id").where("c.slug", "=", "skaraborg").execute();
    const make = async (title: string, endTime: string) => {
      const res = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title, date: "2099-04-14", startTime: "10:00", endTime, location: "", videoUrl: "", description: "", template: standard!.id }, leader);
      expect(res.status).toBe(302);
      return res.headers.get("location")!;
    };
    // The standard agenda is 65 minutes long.
    const tight = await make("För kort möte", "11:00");
    const page = textOf((await get(s.url, tight, leader)).text);
    expect(page).toContain("Varning: dagordningen slutar 11:05, 5 min efter mötets sluttid 11:00.");
    const roomy = await make("Lagom möte", "12:00");
    expect(textOf((await get(s.url, roomy, leader)).text)).not.toContain("Varning: dagordningen");
  });
});
