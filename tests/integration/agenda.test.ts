// The agenda (dagordning) over real HTTP forms, checked against the database: the
// leader's items are accepted at once, members' items are proposals the leader
// accepts or declines; reordering, deleting, decisions (audited), links into the
// council's plan, clock times from the meeting's start (Europe/Stockholm), and who
// is refused what.
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { io } from "socket.io-client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerToClientEvents } from "../../server/realtime/protocol";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm, type FetchResult } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { decode, fieldError, textOf } from "../helpers/html";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test"; // Anders Johansson
const MARIA = "maria.andersson@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const FYRBODAL_MEMBER = "ledamot.fyrbodal@samsyn.test";
const FYRBODAL_LEADER = "fyrbodal.processledare@samsyn.test";

const MSG = {
  updated: "Dagordningen är uppdaterad.",
  proposed: "Ditt förslag är skickat till processledaren.",
  required: "Fyll i fältet.",
  minutes: "Ange antal minuter, 1–480.",
  kind: "Välj typ av punkt.",
  unknown: "Okänt värde.",
  cancelled: "Mötet är redan inställt.",
};

/** The accepted items as the page lists them: [clock text, title] in order. */
const agendaList = (html: string): [string, string][] => {
  const ol = /<ol class="agenda-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? "";
  return [...ol.matchAll(/<span class="agenda-clock">([^<]*)<\/span>\s*<strong>([^<]*)<\/strong>/g)].map((m) => [decode(m[1]), decode(m[2])]);
};

/** One accepted item's <li> (by title), as visible text. */
const agendaEntry = (html: string, title: string): string => {
  const ol = /<ol class="agenda-list">([\s\S]*?)<\/ol>/.exec(html)?.[1] ?? "";
  const li = ol.split(/<li class="agenda-item">/).find((x) => x.includes(`<strong>${title}</strong>`));
  return li ? textOf(li) : "";
};

/** The titles under "Föreslagna punkter", in order. */
const proposalList = (html: string): string[] => {
  const section = /<h3>Föreslagna punkter<\/h3>\s*<ul>([\s\S]*?)<\/ul>/.exec(html)?.[1];
  if (!section) return [];
  return [...section.matchAll(/<li>\s*<strong>([^<]*)<\/strong>/g)].map((m) => decode(m[1]));
};

const count = (html: string, needle: string) => html.split(needle).length - 1;

/** The visible text of the page's error summary(ies). */
const errorSummary = (html: string) => [...html.matchAll(/<div class="error-summary"[\s\S]*?<\/div>/g)].map((m) => textOf(m[0])).join(" | ");

describe("agenda", () => {
  let s: TestServer;
  const cookies = new Map<string, string>();
  let councilId: string;
  /** A fresh convened meeting at 09:00 Stockholm time, 30 days ahead: its agenda starts empty. */
  let meetingId: string;
  let path: string;

  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const post = async (email: string, fields: Record<string, string>, to = path) => postForm(s.url, to, fields, await cookieFor(email));
  const view = async (email = LEADER, to = path) => {
    const res = await get(s.url, to, await cookieFor(email));
    expect(res.status).toBe(200);
    return res.text;
  };
  const rows = (id = meetingId) => s.db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", id).orderBy("position").execute();
  const row = (itemId: string) => s.db.selectFrom("agenda_items").selectAll().where("id", "=", itemId).executeTakeFirst();
  const itemId = async (title: string, id = meetingId) => (await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", id).where("title", "=", title).executeTakeFirstOrThrow()).id;
  const auditRows = () => s.db.selectFrom("audit_log").selectAll().orderBy("created_at").orderBy("id").execute();

  /**
   * The clock times the page should show: the meeting's start (from the db) plus the minutes of the
   * accepted items before each one, in Stockholm time. Titles in db order, accepted only.
   */
  const expectedClocks = async (id = meetingId): Promise<[string, string][]> => {
    const m = await s.db.selectFrom("meetings").select("starts_at").where("id", "=", id).executeTakeFirstOrThrow();
    let at = DateTime.fromISO(m.starts_at!, { zone: "utc" }).setZone(ZONE);
    const out: [string, string][] = [];
    for (const r of await rows(id)) {
      if (r.status !== "accepted") continue;
      const end = at.plus({ minutes: r.minutes });
      out.push([`${at.toFormat("HH:mm")}–${end.toFormat("HH:mm")}`, r.title]);
      at = end;
    }
    return out;
  };
  /** The page's clocks without the zone name (the end carries CET/CEST). */
  const shownClocks = (html: string): [string, string][] =>
    agendaList(html).map(([clock, title]) => {
      expect(clock).toMatch(/^\d\d:\d\d–\d\d:\d\d (CET|CEST)$/);
      return [clock.replace(/ (CET|CEST)$/, ""), title];
    });

  const add = (email: string, fields: Partial<Record<"title" | "kind" | "minutes" | "presenter" | "planLink", string>>, to = path) =>
    post(email, { intent: "addAgenda", title: "", kind: "discussion", minutes: "15", presenter: "", planLink: "", ...fields }, to);

  beforeAll(async () => {
    s = await startTestServer();
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    const date = DateTime.now().setZone(ZONE).plus({ days: 30 }).toISODate()!;
    const created = await post(LEADER, { intent: "create", title: "Rådsmöte om dagordningen", date, startTime: "09:00", endTime: "12:00", location: "Skövde", videoUrl: "", description: "" }, "/councils/skaraborg/meetings");
    expect(created.status).toBe(302);
    path = created.headers.get("location")!;
    meetingId = path.split("/").pop()!;
    expect((await post(LEADER, { intent: "convene" })).status).toBe(200);
  });
  afterAll(() => s?.close());

  it("the demo meeting's agenda shows clock times following its start (sanity check of the clock)", async () => {
    const demo = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
    const html = await view(MEMBER, `/councils/skaraborg/meetings/${demo.id}`);
    const expected = await expectedClocks(demo.id);
    expect(expected).toHaveLength(5);
    expect(shownClocks(html)).toEqual(expected);
  });

  it("the leader's items are accepted at once and shown with running clock times", async () => {
    expect(await rows()).toEqual([]);
    expect(textOf(await view())).toContain("Dagordningen är tom.");

    const socket = io(s.url, { transports: ["websocket"], extraHeaders: { cookie: await cookieFor(MEMBER), origin: s.url }, forceNew: true, reconnection: false });
    try {
      const changed = new Promise<Parameters<ServerToClientEvents["council:meetings-changed"]>[0]>((resolve) => socket.on("council:meetings-changed", resolve));
      await new Promise<void>((resolve) => socket.on("ready", () => resolve()));
      const first = await add(LEADER, { title: "Mötet öppnas", kind: "information", minutes: "15", presenter: "Karin Lindqvist" });
      expect(first.status).toBe(200);
      expect(textOf(first.text)).toContain(MSG.updated);
      expect(await changed).toEqual({ councilId, meetingId, change: "agenda" });
    } finally {
      socket.disconnect();
    }
    expect((await add(LEADER, { title: "Kompetensbehov i industrin", kind: "discussion", minutes: "30" })).status).toBe(200);
    expect((await add(LEADER, { title: "Beslut om yrkesvux", kind: "decision", minutes: "20" })).status).toBe(200);

    const leader = await userId(LEADER);
    expect((await rows()).map((r) => [r.title, r.kind, r.minutes, r.status, r.position, r.proposed_by, r.presenter])).toEqual([
      ["Mötet öppnas", "information", 15, "accepted", 0, leader, "Karin Lindqvist"],
      ["Kompetensbehov i industrin", "discussion", 30, "accepted", 1, leader, ""],
      ["Beslut om yrkesvux", "decision", 20, "accepted", 2, leader, ""],
    ]);

    const expected = await expectedClocks();
    // The meeting starts at 09:00 Stockholm time, so the clock runs 09:00–09:15, 09:15–09:45, 09:45–10:05.
    const start = DateTime.fromISO((await s.db.selectFrom("meetings").select("starts_at").where("id", "=", meetingId).executeTakeFirstOrThrow()).starts_at!).setZone(ZONE);
    expect(expected[0][0].slice(0, 5)).toBe(start.toFormat("HH:mm"));
    expect(expected.map(([c]) => c)).toEqual([
      `${start.toFormat("HH:mm")}–${start.plus({ minutes: 15 }).toFormat("HH:mm")}`,
      `${start.plus({ minutes: 15 }).toFormat("HH:mm")}–${start.plus({ minutes: 45 }).toFormat("HH:mm")}`,
      `${start.plus({ minutes: 45 }).toFormat("HH:mm")}–${start.plus({ minutes: 65 }).toFormat("HH:mm")}`,
    ]);
    for (const email of [LEADER, MEMBER, OBSERVER]) {
      const html = await view(email);
      expect(shownClocks(html), email).toEqual(expected);
      expect(agendaEntry(html, "Mötet öppnas")).toContain("Information, 15 min, Karin Lindqvist");
    }
  });

  it("a member's item becomes a proposal: not in the clock, listed as proposed by them", async () => {
    const before = await expectedClocks();
    const res = await add(MARIA, { title: "Studiebesök hos Volvo", kind: "discussion", minutes: "25" });
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain(MSG.proposed);
    expect((await add(MEMBER, { title: "Ny yrkesutbildning i Lidköping", kind: "information", minutes: "10" })).status).toBe(200);

    const proposals = (await rows()).filter((r) => r.status !== "accepted");
    expect(proposals.map((r) => [r.title, r.status, r.proposed_by])).toEqual([
      ["Studiebesök hos Volvo", "proposed", await userId(MARIA)],
      ["Ny yrkesutbildning i Lidköping", "proposed", await userId(MEMBER)],
    ]);

    for (const email of [LEADER, MEMBER]) {
      const html = await view(email);
      expect(shownClocks(html)).toEqual(before);
      expect(proposalList(html)).toEqual(["Studiebesök hos Volvo", "Ny yrkesutbildning i Lidköping"]);
      expect(textOf(html)).toContain("föreslagen av Maria Andersson");
    }
    // Only the leader gets the accept/decline buttons.
    expect(await view(LEADER)).toContain("Godta Studiebesök hos Volvo");
    expect(await view(MEMBER)).not.toContain("Godta Studiebesök hos Volvo");
  });

  it("the leader accepts one proposal (it joins the clock) and declines another (shown nowhere)", async () => {
    const accept = await post(LEADER, { intent: "acceptAgenda", itemId: await itemId("Studiebesök hos Volvo") });
    expect(accept.status).toBe(200);
    const decline = await post(LEADER, { intent: "declineAgenda", itemId: await itemId("Ny yrkesutbildning i Lidköping") });
    expect(decline.status).toBe(200);

    expect((await row(await itemId("Studiebesök hos Volvo")))!.status).toBe("accepted");
    expect((await row(await itemId("Ny yrkesutbildning i Lidköping")))!.status).toBe("declined");

    const expected = await expectedClocks();
    expect(expected.map(([, t]) => t)).toEqual(["Mötet öppnas", "Kompetensbehov i industrin", "Beslut om yrkesvux", "Studiebesök hos Volvo"]);
    for (const email of [LEADER, MEMBER]) {
      const html = await view(email);
      expect(shownClocks(html)).toEqual(expected);
      expect(proposalList(html)).toEqual([]);
      expect(textOf(html)).not.toContain("Ny yrkesutbildning i Lidköping");
    }
  });

  it("moveAgenda up/down reorders the accepted items and their clock times, also past a pending proposal", async () => {
    // A pending proposal sits between the accepted items in the stored order.
    expect((await add(MEMBER, { title: "Förslag om praktikplatser", minutes: "15" })).status).toBe(200);
    expect((await add(LEADER, { title: "Övriga frågor", kind: "information", minutes: "10" })).status).toBe(200);
    const order = async () => (await expectedClocks()).map(([, t]) => t);
    expect(await order()).toEqual(["Mötet öppnas", "Kompetensbehov i industrin", "Beslut om yrkesvux", "Studiebesök hos Volvo", "Övriga frågor"]);

    const move = async (title: string, direction: "up" | "down") => {
      const res = await post(LEADER, { intent: "moveAgenda", itemId: await itemId(title), direction });
      expect(res.status, `${title} ${direction}`).toBe(200);
    };
    await move("Beslut om yrkesvux", "up");
    expect(await order()).toEqual(["Mötet öppnas", "Beslut om yrkesvux", "Kompetensbehov i industrin", "Studiebesök hos Volvo", "Övriga frågor"]);
    await move("Mötet öppnas", "down");
    expect(await order()).toEqual(["Beslut om yrkesvux", "Mötet öppnas", "Kompetensbehov i industrin", "Studiebesök hos Volvo", "Övriga frågor"]);
    // "Övriga frågor" is stored after the pending proposal: one step up must still pass "Studiebesök hos Volvo".
    await move("Övriga frågor", "up");
    expect(await order()).toEqual(["Beslut om yrkesvux", "Mötet öppnas", "Kompetensbehov i industrin", "Övriga frågor", "Studiebesök hos Volvo"]);
    // And "Studiebesök hos Volvo", now last of the accepted, moves back up past it.
    await move("Studiebesök hos Volvo", "up");
    expect(await order()).toEqual(["Beslut om yrkesvux", "Mötet öppnas", "Kompetensbehov i industrin", "Studiebesök hos Volvo", "Övriga frågor"]);
    // The first cannot go further up, the last not further down: accepted, nothing changes.
    const before = (await rows()).map((r) => [r.id, r.position]);
    await move("Beslut om yrkesvux", "up");
    await move("Övriga frågor", "down");
    expect((await rows()).map((r) => [r.id, r.position])).toEqual(before);

    // Positions stay distinct, and the page's clock follows the new order: Beslut (20) first, then Mötet öppnas (15)…
    const positions = (await rows()).map((r) => r.position);
    expect(new Set(positions).size).toBe(positions.length);
    const expected = await expectedClocks();
    const start = DateTime.fromISO((await s.db.selectFrom("meetings").select("starts_at").where("id", "=", meetingId).executeTakeFirstOrThrow()).starts_at!).setZone(ZONE);
    expect(expected[1][0]).toBe(`${start.plus({ minutes: 20 }).toFormat("HH:mm")}–${start.plus({ minutes: 35 }).toFormat("HH:mm")}`);
    expect(shownClocks(await view(MEMBER))).toEqual(expected);
    expect(proposalList(await view(LEADER))).toEqual(["Förslag om praktikplatser"]);

    // A direction that is neither up nor down is refused with the Swedish message.
    const bad = await post(LEADER, { intent: "moveAgenda", itemId: await itemId("Mötet öppnas"), direction: "sideways" });
    expect(bad.status).toBe(400);
    expect(errorSummary(bad.text)).toContain(MSG.unknown);
    expect((await rows()).map((r) => [r.id, r.position])).toEqual(before);
  });

  it("deleteAgenda removes the item and the clock closes the gap", async () => {
    const id = await itemId("Kompetensbehov i industrin");
    const res = await post(LEADER, { intent: "deleteAgenda", itemId: id });
    expect(res.status).toBe(200);
    expect(await row(id)).toBeUndefined();
    const expected = await expectedClocks();
    expect(expected.map(([, t]) => t)).toEqual(["Beslut om yrkesvux", "Mötet öppnas", "Studiebesök hos Volvo", "Övriga frågor"]);
    const html = await view(MEMBER);
    expect(shownClocks(html)).toEqual(expected);
    expect(textOf(html)).not.toContain("Kompetensbehov i industrin");
    // Deleting it again: it does not exist.
    expect((await post(LEADER, { intent: "deleteAgenda", itemId: id })).status).toBe(404);
  });

  it("a decision for a decision item is stored, shown and audited as decision.recorded", async () => {
    const id = await itemId("Beslut om yrkesvux");
    const text = "Rådet ställer sig bakom fler platser inom yrkesvux.";
    const auditBefore = (await auditRows()).length;
    const res = await post(LEADER, { intent: "decision", itemId: id, decision: `  ${text}  ` });
    expect(res.status).toBe(200);
    expect((await row(id))!.decision).toBe(text);

    const audit = (await auditRows()).slice(auditBefore);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ action: "decision.recorded", subject: id, council_id: councilId, actor_id: await userId(LEADER) });
    expect(JSON.parse(audit[0].before_json!)).toEqual({ decision: null });
    expect(JSON.parse(audit[0].after_json!)).toEqual({ decision: text });

    for (const email of [LEADER, MEMBER]) {
      expect(agendaEntry(await view(email), "Beslut om yrkesvux"), email).toContain(`Beslut: ${text}`);
    }
    // A decision is part of the minutes: observers read it once those are approved (tests/integration/hardening-published.test.ts).
    expect(agendaEntry(await view(OBSERVER), "Beslut om yrkesvux")).not.toContain("Beslut:");
    // Only the leader gets the form to record it.
    expect(await view(LEADER)).toContain("Protokollför beslut för Beslut om yrkesvux");
    expect(await view(MEMBER)).not.toContain("Protokollför beslut för");

    // Changing it is audited again, with the old text as "before".
    expect((await post(LEADER, { intent: "decision", itemId: id, decision: "Ändrat beslut." })).status).toBe(200);
    const again = (await auditRows()).slice(auditBefore);
    expect(again).toHaveLength(2);
    expect(JSON.parse(again[1].before_json!)).toEqual({ decision: text });
    expect((await row(id))!.decision).toBe("Ändrat beslut.");
  });

  describe("links to the council's plan", () => {
    // The plan the route offers: the one for the meeting's year, else the latest.
    const skaraborgPlan = async () => {
      const m = await s.db.selectFrom("meetings").select("starts_at").where("id", "=", meetingId).executeTakeFirstOrThrow();
      const plans = await s.db.selectFrom("plans").select(["id", "year"]).where("council_id", "=", councilId).orderBy("year", "desc").execute();
      expect(plans.length).toBeGreaterThan(0);
      return (plans.find((p) => p.year === new Date(m.starts_at!).getUTCFullYear()) ?? plans[0]).id;
    };

    it("an area or an action of the council's plan can be linked, and the link is shown", async () => {
      const planId = await skaraborgPlan();
      const area = await s.db.selectFrom("plan_areas").select(["id", "title"]).where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
      const action = await s.db.selectFrom("plan_actions").select(["id", "title", "area_id"]).where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
      const actionArea = await s.db.selectFrom("plan_areas").select("title").where("id", "=", action.area_id).executeTakeFirstOrThrow();

      // The form offers both.
      const form = await view(LEADER);
      expect(form).toContain(`value="area:${area.id}"`);
      expect(form).toContain(`value="action:${action.id}"`);

      expect((await add(LEADER, { title: "Om området", planLink: `area:${area.id}` })).status).toBe(200);
      expect((await add(LEADER, { title: "Om åtgärden", planLink: `action:${action.id}` })).status).toBe(200);
      expect(await row(await itemId("Om området"))).toMatchObject({ plan_area_id: area.id, plan_action_id: null });
      expect(await row(await itemId("Om åtgärden"))).toMatchObject({ plan_area_id: null, plan_action_id: action.id });

      const html = await view(MEMBER);
      expect(agendaEntry(html, "Om området")).toContain(`Kopplad till: ${area.title}`);
      expect(agendaEntry(html, "Om åtgärden")).toContain(`Kopplad till: ${actionArea.title} › ${action.title}`);
    });

    it("an id that is not in the council's plan is refused: 400, nothing written", async () => {
      const fyrbodal = await s.db.selectFrom("councils").select("id").where("slug", "=", "fyrbodal").executeTakeFirstOrThrow();
      const otherPlan = await s.db.selectFrom("plans").select("id").where("council_id", "=", fyrbodal.id).executeTakeFirstOrThrow();
      const otherArea = await s.db.selectFrom("plan_areas").select("id").where("plan_id", "=", otherPlan.id).executeTakeFirstOrThrow();
      const otherAction = await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", otherPlan.id).executeTakeFirstOrThrow();
      const planId = await skaraborgPlan();
      const ownArea = await s.db.selectFrom("plan_areas").select("id").where("plan_id", "=", planId).executeTakeFirstOrThrow();

      const before = await rows();
      for (const planLink of [`area:${otherArea.id}`, `action:${otherAction.id}`, `action:${randomUUID()}`, `action:${ownArea.id}`, "area:", "plan:abc", "area:<script>", `area:${"a".repeat(120)}`]) {
        const res = await add(LEADER, { title: "Felkopplad punkt", planLink });
        expect(res.status, planLink).toBe(400);
        expect(fieldError(res.text, "agenda-planLink"), planLink).toBe(MSG.unknown);
      }
      expect(await rows()).toEqual(before);
    });
  });

  describe("refused input: 400 with the Swedish message, nothing written", () => {
    const cases: [string, Record<string, string>, string, string][] = [
      ["a missing title", { title: "   " }, "title", MSG.required],
      ["0 minutes", { minutes: "0" }, "minutes", MSG.minutes],
      ["1000 minutes", { minutes: "1000" }, "minutes", MSG.minutes],
      ['"abc" minutes', { minutes: "abc" }, "minutes", MSG.minutes],
      ["2.5 minutes", { minutes: "2.5" }, "minutes", MSG.minutes],
      ["an unknown kind", { kind: "vote" }, "kind", MSG.kind],
      ["a 201-character title", { title: "P".repeat(201) }, "title", "Texten är för lång."],
    ];
    for (const [name, fields, field, message] of cases) {
      it(`refuses ${name}`, async () => {
        const before = await rows();
        const res = await add(LEADER, { title: "Giltig rubrik", ...fields });
        expect(res.status).toBe(400);
        expect(fieldError(res.text, `agenda-${field}`)).toBe(message);
        // The message is shown once in the form's error summary, and the form is refilled.
        expect(count(res.text, 'id="error-summary-title"')).toBe(1);
        expect(textOf(res.text)).toContain(`${{ title: "Punkt", minutes: "Minuter", kind: "Typ" }[field]}: ${message}`);
        expect(await rows()).toEqual(before);
      });
    }

    it("control: the same form with valid values is accepted", async () => {
      const before = (await rows()).length;
      const res = await add(LEADER, { title: "Giltig rubrik", minutes: "480", kind: "information" });
      expect(res.status).toBe(200);
      expect((await rows()).length).toBe(before + 1);
      expect(await row(await itemId("Giltig rubrik"))).toMatchObject({ minutes: 480, kind: "information", status: "accepted" });
    });

    it("a malformed item id is refused with 400", async () => {
      const before = await rows();
      for (const intent of ["acceptAgenda", "declineAgenda", "moveAgenda", "deleteAgenda", "decision"]) {
        const res = await post(LEADER, { intent, itemId: "not-a-uuid", direction: "up", decision: "x" });
        expect(res.status, intent).toBe(400);
        expect(textOf(res.text)).toContain(MSG.unknown);
      }
      expect(await rows()).toEqual(before);
    });
  });

  describe("who may do what", () => {
    it("an observer cannot propose: 403, nothing written, no form shown", async () => {
      const before = await rows();
      const res = await add(OBSERVER, { title: "Observatörens punkt" });
      expect(res.status).toBe(403);
      expect(await rows()).toEqual(before);
      const html = await view(OBSERVER);
      expect(html).not.toContain('value="addAgenda"');
      // Control: a member does get the proposal form.
      expect(await view(MEMBER)).toContain('value="addAgenda"');
    });

    it("a member cannot accept, decline, move, delete or record a decision: 403, nothing changed", async () => {
      const proposal = await itemId("Förslag om praktikplatser");
      const accepted = await itemId("Mötet öppnas");
      const decisionItem = await itemId("Beslut om yrkesvux");
      const before = await rows();
      const auditBefore = await auditRows();
      const attempts: Record<string, string>[] = [
        { intent: "acceptAgenda", itemId: proposal },
        { intent: "declineAgenda", itemId: proposal },
        { intent: "moveAgenda", itemId: accepted, direction: "up" },
        { intent: "moveAgenda", itemId: decisionItem, direction: "down" },
        { intent: "deleteAgenda", itemId: accepted },
        { intent: "decision", itemId: decisionItem, decision: "Kapat beslut" },
      ];
      for (const email of [MEMBER, OBSERVER]) {
        for (const fields of attempts) {
          const res = await post(email, fields);
          expect(res.status, `${email} ${fields.intent}`).toBe(403);
        }
      }
      expect(await rows()).toEqual(before);
      expect(await auditRows()).toEqual(auditBefore);
    });

    it("another council's member gets 404 for the page and every agenda post, and nothing is written", async () => {
      const before = await rows();
      expect((await get(s.url, path, await cookieFor(FYRBODAL_MEMBER))).status).toBe(404);
      const id = await itemId("Mötet öppnas");
      const attempts: Record<string, string>[] = [
        { intent: "addAgenda", title: "Fyrbodals punkt", kind: "discussion", minutes: "10" },
        { intent: "acceptAgenda", itemId: await itemId("Förslag om praktikplatser") },
        { intent: "moveAgenda", itemId: id, direction: "down" },
        { intent: "deleteAgenda", itemId: id },
        { intent: "decision", itemId: await itemId("Beslut om yrkesvux"), decision: "x" },
      ];
      for (const fields of attempts) {
        expect((await post(FYRBODAL_MEMBER, fields)).status, fields.intent).toBe(404);
      }
      expect(await rows()).toEqual(before);
    });

    it("an item of another meeting is refused with 404 and left unchanged", async () => {
      const demo = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
      const foreign = (await rows(demo.id))[3]; // "Beslut om att öppna revideringen", a decision item
      expect(foreign.kind).toBe("decision");
      const fyrbodalMeeting = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte Fyrbodal: handlingsplan nästa år").executeTakeFirstOrThrow();
      const beforeOwn = await rows();
      const beforeDemo = await rows(demo.id);
      const auditBefore = await auditRows();
      const attempts: Record<string, string>[] = [
        { intent: "acceptAgenda", itemId: foreign.id },
        { intent: "declineAgenda", itemId: foreign.id },
        { intent: "moveAgenda", itemId: foreign.id, direction: "up" },
        { intent: "moveAgenda", itemId: foreign.id, direction: "down" },
        { intent: "deleteAgenda", itemId: foreign.id },
        { intent: "decision", itemId: foreign.id, decision: "Beslut via fel möte" },
      ];
      for (const fields of attempts) {
        const res = await post(LEADER, fields);
        expect(res.status, fields.intent).toBe(404);
        expect(textOf(res.text)).toContain("Punkten finns inte.");
        // Nor through another council's meeting, by that council's leader.
        expect((await post(FYRBODAL_LEADER, fields, `/councils/fyrbodal/meetings/${fyrbodalMeeting.id}`)).status, fields.intent).toBe(404);
      }
      // An id that exists nowhere.
      expect((await post(LEADER, { intent: "acceptAgenda", itemId: randomUUID() })).status).toBe(404);
      expect(await rows()).toEqual(beforeOwn);
      expect(await rows(demo.id)).toEqual(beforeDemo);
      expect(await auditRows()).toEqual(auditBefore);
    });

    it("a cancelled meeting's agenda cannot be changed: 409 with the message", async () => {
      const date = DateTime.now().setZone(ZONE).plus({ days: 31 }).toISODate()!;
      const created = await post(LEADER, { intent: "create", title: "Möte som ställs in", date, startTime: "13:00", endTime: "14:00", location: "", videoUrl: "", description: "" }, "/councils/skaraborg/meetings");
      const other = created.headers.get("location")!;
      const otherId = other.split("/").pop()!;
      expect((await add(LEADER, { title: "Punkt före inställt", minutes: "10" }, other)).status).toBe(200);
      expect((await post(LEADER, { intent: "cancel", reason: "Lokalen är upptagen." }, other)).status).toBe(200);
      const before = await rows(otherId);
      const res: FetchResult = await add(LEADER, { title: "Punkt efter inställt" }, other);
      expect(res.status).toBe(409);
      expect(textOf(res.text)).toContain(MSG.cancelled);
      expect((await post(LEADER, { intent: "deleteAgenda", itemId: before[0].id }, other)).status).toBe(409);
      expect(await rows(otherId)).toEqual(before);
    });
  });
});
