// The meeting page by state (issue #13), over real HTTP against a real server: what a
// meeting's phase allows is one rule (meetingPhase / meetingAllows in
// server/domain/meetings.ts) that the page shows and the actions enforce: a past
// meeting refuses an RSVP, a proposal, a move or a cancellation with 409 and the
// Swedish message, not only hides the forms; a cancelled meeting offers nothing but
// reading. Agenda items are edited by those who manage the meeting, with the same
// validation as adding one (400 with the Swedish message), through the same guard.
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { fieldError, textOf } from "../helpers/html";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";

const MSG = {
  rsvpClosed: "Mötet har redan börjat – det går inte längre att svara om du kommer.",
  proposeClosed: "Mötet har redan börjat – det går inte längre att föreslå punkter.",
  moveClosed: "Mötet har redan börjat och kan inte flyttas.",
  cancelClosed: "Mötet har redan börjat och kan inte ställas in.",
  cancelled: "Mötet är redan inställt.",
  required: "Fyll i fältet.",
  minutes: "Ange antal minuter, 1–480.",
  kind: "Välj typ av punkt.",
  unknown: "Okänt värde.",
  notFound: "Punkten finns inte.",
  saved: "Punkten är sparad.",
  forbidden: "Du har inte behörighet",
};

/** The forms a page offers, by their intent. */
const intents = (html: string) => [...html.matchAll(/name="intent" value="([^"]+)"/g)].map((m) => m[1]).sort();

describe("the meeting page by state", () => {
  let s: TestServer;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const post = async (email: string, path: string, fields: Record<string, string>) => postForm(s.url, path, fields, await cookieFor(email));
  const view = async (email: string, path: string) => {
    const res = await get(s.url, path, await cookieFor(email));
    expect(res.status).toBe(200);
    return res.text;
  };
  const pathOf = (id: string) => `/councils/skaraborg/meetings/${id}`;
  const meetingRow = (id: string) => s.db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const agendaRows = (id: string) => s.db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", id).orderBy("position").execute();
  const rsvpRows = (id: string) => s.db.selectFrom("meeting_rsvps").selectAll().where("meeting_id", "=", id).orderBy("user_id").execute();
  const item = (fields: Record<string, string>) => ({ title: "", kind: "discussion", minutes: "15", presenter: "", planLink: "", ...fields });

  /** A fresh convened meeting `days` ahead, made through the forms; its path. */
  const convened = async (title: string, days: number) => {
    const date = DateTime.now().setZone(ZONE).plus({ days }).toISODate()!;
    const created = await post(LEADER, "/councils/skaraborg/meetings", { intent: "create", title, date, startTime: "09:00", endTime: "12:00", location: "Skövde", videoUrl: "", description: "" });
    expect(created.status).toBe(302);
    const path = created.headers.get("location")!;
    expect((await post(LEADER, path, { intent: "convene" })).status).toBe(200);
    return { path, id: path.split("/").pop()! };
  };
  /** Shift a meeting's time so that it started `minutesAgo` and lasts `length` minutes. */
  const startedAgo = async (id: string, minutesAgo: number, length: number) => {
    const start = Date.now() - minutesAgo * 60_000;
    await s.db.updateTable("meetings").set({ starts_at: new Date(start).toISOString(), ends_at: new Date(start + length * 60_000).toISOString() }).where("id", "=", id).execute();
  };

  let upcoming: { path: string; id: string };
  let held: { path: string; id: string };

  beforeAll(async () => {
    s = await startTestServer();
    upcoming = await convened("Kommande möte om praktik", 20);
    // A meeting that was convened and has been held (the demo data's, 60 days ago).
    const demo = await s.db.selectFrom("meetings").select(["id", "status", "ends_at"]).where("title", "=", "Rådsmöte: kompetensbehovsanalysen").executeTakeFirstOrThrow();
    expect(demo.status).toBe("convened");
    expect(demo.ends_at! < new Date().toISOString()).toBe(true);
    held = { id: demo.id, path: pathOf(demo.id) };
  });
  afterAll(() => s?.close());

  describe("a past meeting refuses what its page no longer offers", () => {
    it("control: an upcoming meeting takes an RSVP and a proposal", async () => {
      expect((await post(MEMBER, upcoming.path, { intent: "rsvp", response: "attending", note: "" })).status).toBe(200);
      expect((await post(MEMBER, upcoming.path, { intent: "addAgenda", ...item({ title: "Förslag inför mötet" }) })).status).toBe(200);
      const html = await view(MEMBER, upcoming.path);
      // "upload": a member attaches documents to their own proposal (issue #15).
      expect(intents(html)).toEqual(["addAgenda", "rsvp", "upload"]);
      expect(textOf(html)).toContain("Kallat");
      expect(textOf(html)).toContain("Du har svarat: Jag kommer. Ändra ditt svar");
      const leader = await view(LEADER, upcoming.path);
      expect(textOf(leader)).toContain("Ändra eller flytta mötet");
      expect(textOf(leader)).toContain("Ställ in mötet");
      expect(intents(leader)).toEqual(expect.arrayContaining(["addAgenda", "cancel", "rsvp", "update"]));
    });

    it("an RSVP or a proposal posted to a held meeting: 409 with the Swedish message, nothing written", async () => {
      const rsvps = await rsvpRows(held.id);
      const agenda = await agendaRows(held.id);
      const rsvp = await post(MEMBER, held.path, { intent: "rsvp", response: "not_attending", note: "Sent svar" });
      expect(rsvp.status).toBe(409);
      expect(textOf(rsvp.text)).toContain(MSG.rsvpClosed);
      const proposal = await post(MEMBER, held.path, { intent: "addAgenda", ...item({ title: "För sent förslag" }) });
      expect(proposal.status).toBe(409);
      expect(textOf(proposal.text)).toContain(MSG.proposeClosed);
      expect(await rsvpRows(held.id)).toEqual(rsvps);
      expect(await agendaRows(held.id)).toEqual(agenda);
    });

    it("a held meeting cannot be cancelled or moved (409), but its text can be corrected", async () => {
      const before = await meetingRow(held.id);
      const cancel = await post(LEADER, held.path, { intent: "cancel", reason: "För sent" });
      expect(cancel.status).toBe(409);
      expect(textOf(cancel.text)).toContain(MSG.cancelClosed);
      const future = DateTime.now().setZone(ZONE).plus({ days: 10 }).toISODate()!;
      const fields = { title: before.title, location: before.location, videoUrl: before.video_url ?? "", description: before.description };
      const move = await post(LEADER, held.path, { intent: "update", ...fields, date: future, startTime: "09:00", endTime: "10:00" });
      expect(move.status).toBe(409);
      expect(textOf(move.text)).toContain(MSG.moveClosed);
      expect(await meetingRow(held.id)).toEqual(before);

      // Its own date and times, sent back unchanged (the page's form has them fixed): the text changes.
      const start = DateTime.fromISO(before.starts_at!).setZone(ZONE);
      const end = DateTime.fromISO(before.ends_at!).setZone(ZONE);
      const same = { date: start.toISODate()!, startTime: start.toFormat("HH:mm"), endTime: end.toFormat("HH:mm") };
      const edit = await post(LEADER, held.path, { intent: "update", ...fields, ...same, location: "Högskolan i Skövde, sal G111" });
      expect(edit.status).toBe(200);
      expect(await meetingRow(held.id)).toMatchObject({ location: "Högskolan i Skövde, sal G111", starts_at: before.starts_at, ends_at: before.ends_at });
    });

    it("its page offers no RSVP, proposal, move or cancellation: the minutes instead", async () => {
      for (const email of [MEMBER, OBSERVER]) {
        const html = await view(email, held.path);
        expect(intents(html), email).toEqual([]);
        const text = textOf(html);
        expect(text).toContain("Hållet");
        expect(text).not.toContain("Kommer du?");
        expect(text).not.toContain("Föreslå en punkt");
        expect(text).not.toContain("Ställ in mötet");
      }
      expect(textOf(await view(MEMBER, held.path))).toContain("Skriv protokollet");
      expect(textOf(await view(OBSERVER, held.path))).toContain("Läs protokollet");
      const leader = await view(LEADER, held.path);
      // The leader keeps the agenda (items added at the meeting, decisions) and the meeting's text, not its time.
      // The leader still keeps the agenda of a held meeting, and its documents (issue #15).
      expect(intents(leader)).toEqual(["addAgenda", "update", "upload"]);
      expect(textOf(leader)).toContain("Ändra mötets uppgifter");
      expect(textOf(leader)).not.toContain("Ändra eller flytta mötet");
      expect(textOf(leader)).not.toContain("Ställ in mötet");
      expect(leader).not.toContain('type="date"');
    });

    it("a meeting under way: answers and proposals closed, the leader still keeps the agenda", async () => {
      const now = await convened("Möte som pågår", 25);
      await startedAgo(now.id, 30, 120);
      const rsvp = await post(MEMBER, now.path, { intent: "rsvp", response: "attending", note: "" });
      expect(rsvp.status).toBe(409);
      expect(textOf(rsvp.text)).toContain(MSG.rsvpClosed);
      expect((await post(MEMBER, now.path, { intent: "addAgenda", ...item({ title: "Under mötet" }) })).status).toBe(409);
      expect((await post(LEADER, now.path, { intent: "cancel", reason: "Nej" })).status).toBe(409);
      const added = await post(LEADER, now.path, { intent: "addAgenda", ...item({ title: "Tillagd vid mötet" }) });
      expect(added.status).toBe(200);
      expect((await agendaRows(now.id)).map((r) => [r.title, r.status])).toEqual([["Tillagd vid mötet", "accepted"]]);
      expect(textOf(await view(MEMBER, now.path))).toContain("Pågår nu");
    });
  });

  it("a cancelled meeting offers nothing but reading, and refuses every change with 409", async () => {
    const m = await convened("Möte som ställs in", 22);
    expect((await post(LEADER, m.path, { intent: "addAgenda", ...item({ title: "Punkt före inställt" }) })).status).toBe(200);
    const [first] = await agendaRows(m.id);
    expect((await post(LEADER, m.path, { intent: "cancel", reason: "Lokalen är upptagen." })).status).toBe(200);
    for (const email of [LEADER, MEMBER, OBSERVER]) {
      const html = await view(email, m.path);
      expect(intents(html), email).toEqual([]);
      expect(textOf(html)).toContain("Mötet är inställt: Lokalen är upptagen.");
      expect(textOf(html)).toContain("Mötet är inställt och kan bara läsas.");
    }
    const before = await agendaRows(m.id);
    const edit = await post(LEADER, m.path, { intent: "editAgenda", itemId: first.id, ...item({ title: "Ändrad efter inställt" }) });
    expect(edit.status).toBe(409);
    expect(textOf(edit.text)).toContain(MSG.cancelled);
    expect(await agendaRows(m.id)).toEqual(before);
  });

  it("without JavaScript the dialogs open through ?dialog=…, and a refused form comes back in its open dialog", async () => {
    const dialogTag = (html: string, id: string) => new RegExp(`<dialog id="${id}"[^>]*>`).exec(html)?.[0] ?? "";
    const closed = await view(LEADER, upcoming.path);
    expect(dialogTag(closed, "edit")).not.toContain("open");
    expect(dialogTag(closed, "cancel")).not.toContain("open");
    // The openers are links to the no-script state.
    expect(closed).toMatch(/<a[^>]*href="\?dialog=edit"/);
    expect(dialogTag(await view(LEADER, `${upcoming.path}?dialog=edit`), "edit")).toContain('open=""');
    expect(dialogTag(await view(LEADER, `${upcoming.path}?dialog=cancel`), "cancel")).toContain('open=""');
    const refused = await post(LEADER, upcoming.path, { intent: "cancel", reason: "  " });
    expect(refused.status).toBe(400);
    expect(dialogTag(refused.text, "cancel")).toContain('open=""');
    expect(fieldError(refused.text, "reason")).toBe(MSG.required);
    expect((await meetingRow(upcoming.id)).status).toBe("convened");
  });

  describe("editing an agenda item", () => {
    let itemId: string;
    let proposalId: string;
    beforeAll(async () => {
      expect((await post(LEADER, upcoming.path, { intent: "addAgenda", ...item({ title: "Mötet öppnas", kind: "information", minutes: "5" }) })).status).toBe(200);
      itemId = (await agendaRows(upcoming.id)).find((r) => r.title === "Mötet öppnas")!.id;
      proposalId = (await agendaRows(upcoming.id)).find((r) => r.title === "Förslag inför mötet")!.id;
    });

    it("the leader edits every field of an item; the page shows the change", async () => {
      const planId = (await s.db.selectFrom("plans as p").innerJoin("councils as c", "c.id", "p.council_id").select("p.id").where("c.slug", "=", "skaraborg").orderBy("p.year", "desc").executeTakeFirstOrThrow()).id;
      const area = await s.db.selectFrom("plan_areas").select(["id", "title"]).where("plan_id", "=", planId).orderBy("position").executeTakeFirstOrThrow();
      const res = await post(LEADER, upcoming.path, {
        intent: "editAgenda",
        itemId,
        ...item({ title: "Mötet öppnas, val av justerare", kind: "decision", minutes: "10", presenter: "Karin Lindqvist", planLink: `area:${area.id}` }),
      });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain(MSG.saved);
      expect((await agendaRows(upcoming.id)).find((r) => r.id === itemId)).toMatchObject({
        title: "Mötet öppnas, val av justerare",
        kind: "decision",
        minutes: 10,
        presenter: "Karin Lindqvist",
        plan_area_id: area.id,
        plan_action_id: null,
        status: "accepted",
      });
      const text = textOf(await view(MEMBER, upcoming.path));
      expect(text).toContain("Mötet öppnas, val av justerare (Beslut, 10 min, Karin Lindqvist)");
      expect(text).toContain(`Kopplad till: ${area.title}`);
    });

    it("the leader edits a member's proposal before deciding on it: it stays a proposal", async () => {
      const res = await post(LEADER, upcoming.path, { intent: "editAgenda", itemId: proposalId, ...item({ title: "Praktikplatser i vården", minutes: "20" }) });
      expect(res.status).toBe(200);
      expect((await agendaRows(upcoming.id)).find((r) => r.id === proposalId)).toMatchObject({ title: "Praktikplatser i vården", minutes: 20, status: "proposed" });
    });

    it("a member or an observer cannot edit an item: 403, nothing changed, no edit form shown", async () => {
      const before = await agendaRows(upcoming.id);
      for (const email of [MEMBER, OBSERVER]) {
        const res = await post(email, upcoming.path, { intent: "editAgenda", itemId, ...item({ title: "Kapad punkt" }) });
        expect(res.status, email).toBe(403);
        expect(textOf(res.text)).toContain(MSG.forbidden);
        expect(await view(email, upcoming.path)).not.toContain('value="editAgenda"');
      }
      expect(await agendaRows(upcoming.id)).toEqual(before);
      expect(await view(LEADER, upcoming.path)).toContain('value="editAgenda"');
    });

    const cases: [string, Record<string, string>, string, string][] = [
      ["an empty title", { title: "  " }, "title", MSG.required],
      ["0 minutes", { title: "Giltig", minutes: "0" }, "minutes", MSG.minutes],
      ["an unknown kind", { title: "Giltig", kind: "vote" }, "kind", MSG.kind],
      ["another council's plan link", { title: "Giltig", planLink: `area:${randomUUID()}` }, "planLink", MSG.unknown],
    ];
    for (const [name, fields, field, message] of cases) {
      it(`refuses ${name}: 400 with the Swedish message in the item's form, nothing changed`, async () => {
        const before = await agendaRows(upcoming.id);
        const res = await post(LEADER, upcoming.path, { intent: "editAgenda", itemId, ...item(fields) });
        expect(res.status).toBe(400);
        expect(fieldError(res.text, `item-${itemId}-${field}`)).toBe(message);
        // The item's menu is rendered open with its error summary.
        expect(res.text).toMatch(/<details class="item-menu" open="">/);
        expect(await agendaRows(upcoming.id)).toEqual(before);
      });
    }

    it("a malformed item id is 400, an item of another meeting 404", async () => {
      const bad = await post(LEADER, upcoming.path, { intent: "editAgenda", itemId: "not-a-uuid", ...item({ title: "Giltig" }) });
      expect(bad.status).toBe(400);
      expect(textOf(bad.text)).toContain(MSG.unknown);
      const foreign = (await agendaRows(held.id))[0] ?? (await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "!=", upcoming.id).executeTakeFirstOrThrow());
      const before = await s.db.selectFrom("agenda_items").selectAll().where("id", "=", foreign.id).executeTakeFirstOrThrow();
      const other = await post(LEADER, upcoming.path, { intent: "editAgenda", itemId: foreign.id, ...item({ title: "Via fel möte" }) });
      expect(other.status).toBe(404);
      expect(textOf(other.text)).toContain(MSG.notFound);
      expect(await s.db.selectFrom("agenda_items").selectAll().where("id", "=", foreign.id).executeTakeFirstOrThrow()).toEqual(before);
    });
  });
});
