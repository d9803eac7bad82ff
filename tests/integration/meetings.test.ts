// Meetings over real HTTP and socket.io: a process leader drafts a meeting, convenes,
// moves and cancels it; members answer; observers, members and other councils are
// refused what is not theirs. Form validation (Swedish messages, nothing written) and
// Stockholm's daylight-saving changes are checked against the stored UTC instants.
import { randomUUID } from "node:crypto";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ServerToClientEvents } from "../../server/realtime/protocol";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm, type FetchResult } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { Client } from "../helpers/socket";
import { decode, fieldError, textOf } from "../helpers/html";

const MSG = {
  timeNotExist: "Den tiden finns inte den dagen (klockan ställs fram till sommartid).",
  timeTwice: "Den tiden inträffar två gånger den natten (klockan ställs tillbaka till normaltid). Välj en tid före 02:00 eller från 03:00.",
  endBeforeStart: "Sluttiden måste vara efter starttiden.",
  inPast: "Mötet kan inte börja i det förflutna.",
  tooLong: "Texten är för lång.",
  required: "Fyll i fältet.",
  date: "Ange ett datum som ÅÅÅÅ-MM-DD.",
  time: "Ange tiden som TT:MM, t.ex. 09:30.",
  url: "Ange en webbadress som börjar med https://.",
  response: "Välj ett svar.",
  unknownIntent: "Okänd åtgärd.",
  cancelled: "Mötet är redan inställt.",
  notDraft: "Mötet är redan kallat.",
  notConvened: "Du kan svara först när mötet är kallat.",
  notFoundTitle: "Sidan finns inte",
  forbiddenTitle: "Du har inte behörighet",
};

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const FYRBODAL_MEMBER = "ledamot.fyrbodal@samsyn.test";
const FYRBODAL_LEADER = "fyrbodal.processledare@samsyn.test";

/** How long to keep listening for an event that must not come, after a positive control arrived. */
const SILENCE_MS = 300;
const HOUR = 3_600_000;

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

interface ApiMeeting {
  id: string;
  title: string;
  start: string;
  end: string;
  status: string;
  location: string;
  icsUrl: string | null;
}

type MeetingsChanged = Parameters<ServerToClientEvents["council:meetings-changed"]>[0];

/** council:meetings-changed payloads a client received at or after `since`. */
const meetingEvents = (c: Client, since = 0) => c.payloads<MeetingsChanged>("council:meetings-changed", since);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Next calendar year in Stockholm: every date in it is in the future. */
const YEAR = DateTime.now().setZone(ZONE).year + 1;

/** The last Sunday of `month` in `year`, as a Stockholm date. */
const lastSunday = (year: number, month: number) => {
  const last = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).endOf("month").startOf("day");
  return last.minus({ days: last.weekday % 7 });
};

describe("meetings", () => {
  let s: TestServer;
  let councilId: Record<"skaraborg" | "fyrbodal", string>;
  const cookies = new Map<string, string>();
  const open: Client[] = [];

  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const meetingRow = (id: string) => s.db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirst();
  const meetingCount = async () => Number((await s.db.selectFrom("meetings").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
  const rsvpRows = (meetingId: string) => s.db.selectFrom("meeting_rsvps").selectAll().where("meeting_id", "=", meetingId).execute();

  const page = (slug: string, id: string) => `/councils/${slug}/meetings/${id}`;

  /** POST the new-meeting form; returns the raw result. */
  const postCreate = async (fields: Record<string, string>, email = LEADER, slug = "skaraborg") =>
    postForm(s.url, `/councils/${slug}/meetings`, { intent: "create", ...fields }, await cookieFor(email));

  /** Create a draft as a leader and return its id (302 to its page). */
  const createDraft = async (fields: Record<string, string>, email = LEADER, slug = "skaraborg") => {
    const res = await postCreate(fields, email, slug);
    expect(res.status, textOf(res.text).slice(0, 400)).toBe(302);
    const location = res.headers.get("location") ?? "";
    const m = location.match(new RegExp(`^/councils/${slug}/meetings/([^/?#]+)$`));
    expect(m, location).not.toBeNull();
    expect(m![1]).toMatch(UUID_RE);
    return m![1];
  };

  const act = async (email: string, id: string, fields: Record<string, string>, slug = "skaraborg") =>
    postForm(s.url, page(slug, id), fields, await cookieFor(email));

  const apiList = async (email: string, slug = "skaraborg"): Promise<{ res: FetchResult; body: ApiMeeting[] }> => {
    const res = await get(s.url, `/api/v1/councils/${slug}/meetings`, await cookieFor(email));
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    return { res, body: JSON.parse(res.text) as ApiMeeting[] };
  };

  const connectAs = async (email: string) => {
    const c = new Client(s.url, { cookie: await cookieFor(email), origin: s.url });
    open.push(c);
    c.socket.connect();
    await c.waitFor("ready");
    return c;
  };

  beforeAll(async () => {
    s = await startTestServer();
    const rows = await s.db.selectFrom("councils").select(["id", "slug"]).execute();
    councilId = Object.fromEntries(rows.map((r) => [r.slug, r.id])) as typeof councilId;
    expect(Object.keys(councilId).sort()).toEqual(["fyrbodal", "skaraborg"]);
  });
  afterAll(async () => {
    for (const c of open.splice(0)) c.close();
    await s?.close();
  });

  describe("the life of a meeting", () => {
    const date = `${YEAR}-01-20`;
    const FIELDS = {
      title: "Rådsmöte om yrkesvux",
      date,
      startTime: "09:00",
      endTime: "11:00",
      location: "Stadshuset, Skövde",
      videoUrl: "https://meet.example.se/skaraborg-rad",
      description: "Genomgång av handlingsplanen.",
    };
    const MOVED = { ...FIELDS, date: `${YEAR}-01-27`, startTime: "13:00", endTime: "15:30" };
    const REASON = "Lokalen är inte tillgänglig den dagen.";
    let id: string;
    let member: Client;
    let observer: Client;
    let fyrbodalOnly: Client;
    let memberMarkBeforeDraft: number;

    beforeAll(async () => {
      member = await connectAs(MEMBER);
      observer = await connectAs(OBSERVER);
      fyrbodalOnly = await connectAs(FYRBODAL_MEMBER);
    });

    it("a process leader creates a draft: 302 to its page, a draft row with sequence 0", async () => {
      memberMarkBeforeDraft = member.mark();
      const before = await meetingCount();
      id = await createDraft(FIELDS);
      expect(await meetingCount()).toBe(before + 1);

      const row = await meetingRow(id);
      expect(row).toMatchObject({
        council_id: councilId.skaraborg,
        title: FIELDS.title,
        location: FIELDS.location,
        video_url: FIELDS.videoUrl,
        description: FIELDS.description,
        status: "draft",
        sequence: 0,
        cancel_reason: null,
        convened_at: null,
        created_by: await userId(LEADER),
      });
      // 09:00–11:00 Stockholm in January (CET, UTC+1).
      expect(new Date(row!.starts_at!).toISOString()).toBe(`${date}T08:00:00.000Z`);
      expect(new Date(row!.ends_at!).toISOString()).toBe(`${date}T10:00:00.000Z`);

      const res = await get(s.url, page("skaraborg", id), await cookieFor(LEADER));
      expect(res.status).toBe(200);
      const text = textOf(res.text);
      expect(text).toContain(FIELDS.title);
      expect(text).toContain("Utkast");
      expect(text).toContain("Kalla till mötet");
      expect(text).toContain(FIELDS.location);
      // No calendar download for a draft.
      expect(res.text).not.toContain(`${page("skaraborg", id)}/calendar.ics`);
    });

    it("editing the draft keeps sequence 0 (no calendar has seen it)", async () => {
      const res = await act(LEADER, id, { intent: "update", ...FIELDS, description: "Genomgång av handlingsplanen och budgeten." });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Mötet är uppdaterat.");
      const row = await meetingRow(id);
      expect(row).toMatchObject({ status: "draft", sequence: 0, description: "Genomgång av handlingsplanen och budgeten." });
    });

    it("members and observers do not see the draft: 404 page, absent from the list page and the API", async () => {
      for (const email of [MEMBER, OBSERVER]) {
        const res = await get(s.url, page("skaraborg", id), await cookieFor(email));
        expect(res.status, email).toBe(404);
        expect(textOf(res.text)).toContain(MSG.notFoundTitle);
        expect(res.text).not.toContain(FIELDS.title);

        const list = await get(s.url, "/councils/skaraborg/meetings", await cookieFor(email));
        expect(list.status).toBe(200);
        expect(textOf(list.text)).toContain("Kommande möten");
        expect(list.text).not.toContain(id);
        expect(list.text).not.toContain(FIELDS.title);
        expect(textOf(list.text)).not.toContain("Utkast (syns bara för dem som förbereder mötena)");

        const api = await apiList(email);
        expect(api.res.status).toBe(200);
        expect(api.body.map((m) => m.id)).not.toContain(id);

        const ics = await get(s.url, `${page("skaraborg", id)}/calendar.ics`, await cookieFor(email));
        expect(ics.status).toBe(404);
      }
      // A member cannot answer a draft either: it does not exist for them.
      const rsvp = await act(MEMBER, id, { intent: "rsvp", response: "attending", note: "" });
      expect(rsvp.status).toBe(404);
      expect(await rsvpRows(id)).toEqual([]);

      // Positive control: the leader sees it in the drafts section and in the API (without an .ics link).
      const list = await get(s.url, "/councils/skaraborg/meetings", await cookieFor(LEADER));
      expect(textOf(list.text)).toContain("Utkast (syns bara för dem som förbereder mötena)");
      expect(textOf(list.text)).toContain(FIELDS.title);
      const api = await apiList(LEADER);
      expect(api.body.find((m) => m.id === id)).toMatchObject({ status: "draft", icsUrl: null });
    });

    it("convening makes it visible to member and observer and emits 'convened' to Skaraborg's sockets only", async () => {
      const marks = { member: member.mark(), observer: observer.mark(), fyrbodal: fyrbodalOnly.mark() };
      const res = await act(LEADER, id, { intent: "convene" });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Mötet är kallat. Rådets deltagare ser det nu.");

      const row = await meetingRow(id);
      expect(row).toMatchObject({ status: "convened", sequence: 0 });
      expect(row!.convened_at).not.toBeNull();
      const audit = await s.db.selectFrom("audit_log").select(["action", "council_id"]).where("subject", "=", id).execute();
      expect(audit).toEqual([{ action: "meeting.convened", council_id: councilId.skaraborg }]);

      const expected = { councilId: councilId.skaraborg, meetingId: id, change: "convened" };
      expect(await member.waitFor("council:meetings-changed", marks.member)).toEqual(expected);
      expect(await observer.waitFor("council:meetings-changed", marks.observer)).toEqual(expected);
      // Creating and editing the draft sent nothing: convening is the first the member hears of it.
      expect(meetingEvents(member, memberMarkBeforeDraft)).toEqual([expected]);

      // Positive control: the Fyrbodal-only socket does hear its own council's convening …
      const fyrbodalId = await createDraft({ ...FIELDS, title: "Fyrbodals rådsmöte" }, FYRBODAL_LEADER, "fyrbodal");
      expect((await act(FYRBODAL_LEADER, fyrbodalId, { intent: "convene" }, "fyrbodal")).status).toBe(200);
      expect(await fyrbodalOnly.waitFor("council:meetings-changed", marks.fyrbodal)).toEqual({
        councilId: councilId.fyrbodal,
        meetingId: fyrbodalId,
        change: "convened",
      });
      // … but never Skaraborg's; nor does Skaraborg's member hear Fyrbodal's.
      await sleep(SILENCE_MS);
      expect(meetingEvents(fyrbodalOnly, marks.fyrbodal).filter((e) => e.meetingId === id)).toEqual([]);
      expect(meetingEvents(member, marks.member).filter((e) => e.meetingId === fyrbodalId)).toEqual([]);

      for (const email of [MEMBER, OBSERVER]) {
        const pageRes = await get(s.url, page("skaraborg", id), await cookieFor(email));
        expect(pageRes.status, email).toBe(200);
        const text = textOf(pageRes.text);
        expect(text).toContain(FIELDS.title);
        expect(text).toContain("Kallat");
        expect(text).toContain(FIELDS.location);
        expect(text).toContain("Inga svar ännu.");
        expect(pageRes.text).toContain(`href="${page("skaraborg", id)}/calendar.ics"`);
        // The leader's controls are not offered.
        expect(text).not.toContain("Ställ in mötet");

        const list = await get(s.url, "/councils/skaraborg/meetings", await cookieFor(email));
        expect(textOf(list.text)).toContain(FIELDS.title);
        const api = await apiList(email);
        expect(api.body.find((m) => m.id === id)).toMatchObject({ status: "convened" });
      }
      // Only members answer: the member gets the form, the observer does not.
      expect((await get(s.url, page("skaraborg", id), await cookieFor(MEMBER))).text).toContain('name="response"');
      expect((await get(s.url, page("skaraborg", id), await cookieFor(OBSERVER))).text).not.toContain('name="response"');
    });

    it("the API gives start/end with Stockholm's offset and the .ics link", async () => {
      const { res, body } = await apiList(MEMBER);
      expect(res.status).toBe(200);
      expect(body.find((m) => m.id === id)).toEqual({
        id,
        title: FIELDS.title,
        start: `${date}T09:00:00+01:00`,
        end: `${date}T11:00:00+01:00`,
        status: "convened",
        location: FIELDS.location,
        icsUrl: `/councils/skaraborg/meetings/${id}/calendar.ics`,
      });
      // The link works for the member.
      const ics = await get(s.url, `/councils/skaraborg/meetings/${id}/calendar.ics`, await cookieFor(MEMBER));
      expect(ics.status).toBe(200);
      expect(ics.headers.get("content-type")).toMatch(/^text\/calendar/);

      // A summer meeting carries +02:00.
      const summerDate = `${YEAR}-06-15`;
      const summer = await createDraft({ ...FIELDS, title: "Sommarmöte", date: summerDate, startTime: "09:00", endTime: "10:00" });
      expect((await act(LEADER, summer, { intent: "convene" })).status).toBe(200);
      expect(new Date((await meetingRow(summer))!.starts_at!).toISOString()).toBe(`${summerDate}T07:00:00.000Z`);
      const after = await apiList(MEMBER);
      expect(after.body.find((m) => m.id === summer)).toMatchObject({
        start: `${summerDate}T09:00:00+02:00`,
        end: `${summerDate}T10:00:00+02:00`,
        status: "convened",
      });
      // Oldest first.
      const ids = after.body.map((m) => m.id);
      expect(ids.indexOf(id)).toBeLessThan(ids.indexOf(summer));
    });

    it("moving it (intent=update, new time) bumps sequence, writes an audit row and emits 'moved'", async () => {
      const before = (await meetingRow(id))!;
      const marks = { member: member.mark(), fyrbodal: fyrbodalOnly.mark() };
      const res = await act(LEADER, id, { intent: "update", ...MOVED });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Mötet är uppdaterat.");

      const row = (await meetingRow(id))!;
      expect(row.sequence).toBe(before.sequence + 1);
      expect(row.status).toBe("convened");
      expect(new Date(row.starts_at!).toISOString()).toBe(`${MOVED.date}T12:00:00.000Z`);
      expect(new Date(row.ends_at!).toISOString()).toBe(`${MOVED.date}T14:30:00.000Z`);
      const audit = await s.db.selectFrom("audit_log").selectAll().where("subject", "=", id).where("action", "=", "meeting.moved").execute();
      expect(audit).toHaveLength(1);

      expect(await member.waitFor("council:meetings-changed", marks.member)).toEqual({ councilId: councilId.skaraborg, meetingId: id, change: "moved" });

      // The page shows the new time.
      const pageRes = await get(s.url, page("skaraborg", id), await cookieFor(MEMBER));
      expect(textOf(pageRes.text)).toMatch(/13:00–15:30/);
      expect(pageRes.text).toContain(`dateTime="${row.starts_at}"`);

      // An edit that does not move it: 'updated', sequence bumped once more.
      const m2 = member.mark();
      const edit = await act(LEADER, id, { intent: "update", ...MOVED, location: "Kulturhuset, Skövde" });
      expect(edit.status).toBe(200);
      const edited = (await meetingRow(id))!;
      expect(edited.sequence).toBe(row.sequence + 1);
      expect(edited.location).toBe("Kulturhuset, Skövde");
      expect(edited.starts_at).toBe(row.starts_at);
      expect(await member.waitFor("council:meetings-changed", m2)).toEqual({ councilId: councilId.skaraborg, meetingId: id, change: "updated" });
      expect(await s.db.selectFrom("audit_log").select("id").where("subject", "=", id).where("action", "=", "meeting.moved").execute()).toHaveLength(1);

      // Nothing reached Fyrbodal.
      await sleep(SILENCE_MS);
      expect(meetingEvents(fyrbodalOnly, marks.fyrbodal)).toEqual([]);
    });

    it("an invalid move is refused with 400 and changes nothing", async () => {
      const before = await meetingRow(id);
      const res = await act(LEADER, id, { intent: "update", ...MOVED, startTime: "15:00", endTime: "14:00" });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, "endTime")).toBe(MSG.endBeforeStart);
      // The typed values are kept in the form.
      expect(res.text).toContain('value="15:00"');
      expect(await meetingRow(id)).toEqual(before);
    });

    it("a member answers 'attending' with a note, then changes to 'maybe': one row, updated", async () => {
      const memberId = await userId(MEMBER);
      const res = await act(MEMBER, id, { intent: "rsvp", response: "attending", note: "Kommer med tåget" });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Ditt svar är sparat.");
      let rows = await rsvpRows(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ user_id: memberId, response: "attending", note: "Kommer med tåget" });

      let pageText = textOf((await get(s.url, page("skaraborg", id), await cookieFor(OBSERVER))).text);
      expect(pageText).toContain("Anders Johansson: Jag kommer – Kommer med tåget");

      const again = await act(MEMBER, id, { intent: "rsvp", response: "maybe", note: "Beror på tåget" });
      expect(again.status).toBe(200);
      rows = await rsvpRows(id);
      expect(rows).toHaveLength(1);
      expect(rows[0]).toMatchObject({ user_id: memberId, response: "maybe", note: "Beror på tåget" });
      pageText = textOf((await get(s.url, page("skaraborg", id), await cookieFor(MEMBER))).text);
      expect(pageText).toContain("Anders Johansson: Kanske – Beror på tåget");
      expect(pageText).not.toContain("Jag kommer – Kommer med tåget");
      // The member's own answer is pre-selected.
      expect((await get(s.url, page("skaraborg", id), await cookieFor(MEMBER))).text).toMatch(/id="rsvp-maybe"[^>]*checked/);

      // An unknown answer is refused and changes nothing.
      const bad = await act(MEMBER, id, { intent: "rsvp", response: "perhaps", note: "x" });
      expect(bad.status).toBe(400);
      expect(textOf(bad.text)).toContain(MSG.response);
      expect(await rsvpRows(id)).toEqual(rows);
    });

    it("an observer cannot answer: 403 and no row", async () => {
      const before = await rsvpRows(id);
      const res = await act(OBSERVER, id, { intent: "rsvp", response: "attending", note: "Vill gärna" });
      expect(res.status).toBe(403);
      expect(textOf(res.text)).toContain(MSG.forbiddenTitle);
      expect(await rsvpRows(id)).toEqual(before);
      const observerId = await userId(OBSERVER);
      expect((await rsvpRows(id)).some((r) => r.user_id === observerId)).toBe(false);
    });

    it("a member cannot convene, update or cancel: 403 and nothing changed", async () => {
      const draft = await createDraft({ ...FIELDS, title: "Ett annat utkast" });
      const draftBefore = await meetingRow(draft);
      const before = await meetingRow(id);
      const auditBefore = await s.db.selectFrom("audit_log").selectAll().where("subject", "in", [id, draft]).execute();
      const m = member.mark();

      const attempts: [string, Record<string, string>][] = [
        [id, { intent: "convene" }],
        [id, { intent: "update", ...FIELDS, title: "Kapat möte", startTime: "07:00" }],
        [id, { intent: "cancel", reason: "Jag vill inte" }],
      ];
      for (const [target, fields] of attempts) {
        const res = await act(MEMBER, target, fields);
        expect(res.status, JSON.stringify(fields)).toBe(403);
        expect(textOf(res.text)).toContain(MSG.forbiddenTitle);
      }
      // A draft (without a time poll) does not exist for a member, whatever they ask of it: 404, as for its page (requireMeeting).
      for (const fields of [{ intent: "convene" }, { intent: "cancel", reason: "Jag vill inte" }, { intent: "rsvp", response: "attending" }] as Record<string, string>[]) {
        expect((await act(MEMBER, draft, fields)).status, JSON.stringify(fields)).toBe(404);
      }
      expect((await get(s.url, `/councils/skaraborg/meetings/${draft}`, await cookieFor(MEMBER))).status).toBe(404);
      // Observers neither.
      expect((await act(OBSERVER, id, { intent: "cancel", reason: "Nej" })).status).toBe(403);

      expect(await meetingRow(id)).toEqual(before);
      expect(await meetingRow(draft)).toEqual(draftBefore);
      expect(await s.db.selectFrom("audit_log").selectAll().where("subject", "in", [id, draft]).execute()).toEqual(auditBefore);
      await sleep(SILENCE_MS);
      expect(meetingEvents(member, m)).toEqual([]);
    });

    it("another council's member gets 404 for the page, its .ics, the API list and a post", async () => {
      const cookie = await cookieFor(FYRBODAL_MEMBER);
      const pageRes = await get(s.url, page("skaraborg", id), cookie);
      expect(pageRes.status).toBe(404);
      expect(pageRes.text).not.toContain(FIELDS.title);
      const ics = await get(s.url, `${page("skaraborg", id)}/calendar.ics`, cookie);
      expect(ics.status).toBe(404);
      expect(ics.text).not.toContain("BEGIN:VCALENDAR");
      const api = await apiList(FYRBODAL_MEMBER);
      expect(api.res.status).toBe(404);
      expect(api.body).toEqual({ error: "not_found", message: "Not found" });
      const before = await rsvpRows(id);
      expect((await act(FYRBODAL_MEMBER, id, { intent: "rsvp", response: "attending", note: "" })).status).toBe(404);
      expect(await rsvpRows(id)).toEqual(before);
      // Nor does the Skaraborg meeting exist under Fyrbodal's address, even for Fyrbodal's own leader.
      expect((await get(s.url, page("fyrbodal", id), await cookieFor(FYRBODAL_LEADER))).status).toBe(404);
      expect((await act(FYRBODAL_LEADER, id, { intent: "cancel", reason: "Fel råd" }, "fyrbodal")).status).toBe(404);
      expect((await meetingRow(id))!.status).toBe("convened");
      // Positive control: the same member's own council's API list works.
      const own = await apiList(FYRBODAL_MEMBER, "fyrbodal");
      expect(own.res.status).toBe(200);
      expect(own.body.map((m) => m.title)).toContain("Fyrbodals rådsmöte");
    });

    it("cancelling with a reason: status cancelled, sequence bumped, reason on the page, 'cancelled' emitted", async () => {
      const before = (await meetingRow(id))!;
      const m = member.mark();

      // No reason: refused, nothing changed.
      const empty = await act(LEADER, id, { intent: "cancel", reason: "   " });
      expect(empty.status).toBe(400);
      expect(fieldError(empty.text, "reason")).toBe(MSG.required);
      expect(await meetingRow(id)).toEqual(before);

      const res = await act(LEADER, id, { intent: "cancel", reason: REASON });
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Mötet är inställt.");
      const row = (await meetingRow(id))!;
      expect(row).toMatchObject({ status: "cancelled", cancel_reason: REASON, sequence: before.sequence + 1, starts_at: before.starts_at });
      const audit = await s.db.selectFrom("audit_log").select(["action", "after_json"]).where("subject", "=", id).where("action", "=", "meeting.cancelled").execute();
      expect(audit).toHaveLength(1);
      expect(JSON.parse(audit[0].after_json ?? "null")).toEqual({ reason: REASON });

      expect(await member.waitFor("council:meetings-changed", m)).toEqual({ councilId: councilId.skaraborg, meetingId: id, change: "cancelled" });

      for (const email of [MEMBER, OBSERVER, LEADER]) {
        const pageRes = await get(s.url, page("skaraborg", id), await cookieFor(email));
        expect(pageRes.status).toBe(200);
        const text = textOf(pageRes.text);
        expect(text).toContain(`Mötet är inställt: ${REASON}`);
        expect(text).toContain("Inställt");
        // No more answers, no more edits.
        expect(pageRes.text).not.toContain('name="response"');
        expect(text).not.toContain("Ändra eller flytta mötet");
      }
      expect((await apiList(MEMBER)).body.find((x) => x.id === id)).toMatchObject({ status: "cancelled", icsUrl: `/councils/skaraborg/meetings/${id}/calendar.ics` });

      // A cancelled meeting cannot be cancelled, moved, convened or answered.
      const rsvpsBefore = await rsvpRows(id);
      const cases: [string, Record<string, string>, number, string][] = [
        [LEADER, { intent: "cancel", reason: "Igen" }, 409, MSG.cancelled],
        [LEADER, { intent: "update", ...MOVED }, 409, MSG.cancelled],
        // A cancelled meeting says so, whatever is asked of it (meetingPhase / requireAllowed).
        [LEADER, { intent: "convene" }, 409, MSG.cancelled],
        [MEMBER, { intent: "rsvp", response: "attending", note: "" }, 409, MSG.cancelled],
      ];
      for (const [email, fields, status, message] of cases) {
        const r = await act(email, id, fields);
        expect(r.status, JSON.stringify(fields)).toBe(status);
        expect(textOf(r.text)).toContain(message);
      }
      expect(await meetingRow(id)).toEqual(row);
      expect(await rsvpRows(id)).toEqual(rsvpsBefore);
    });
  });

  describe("refused input (400 with the Swedish message, nothing written)", () => {
    const BASE = { title: "Giltigt möte", date: `${YEAR}-02-10`, startTime: "10:00", endTime: "12:00", location: "Skövde", videoUrl: "", description: "" };
    const yesterday = () => DateTime.now().setZone(ZONE).minus({ days: 1 }).toISODate()!;

    it("control: the base fields are accepted", async () => {
      const before = await meetingCount();
      const created = await createDraft(BASE);
      expect(await meetingCount()).toBe(before + 1);
      expect(await meetingRow(created)).toMatchObject({ title: BASE.title, video_url: null, location: "Skövde" });
    });

    const cases: { name: string; fields: () => Record<string, string>; field: string; message: string }[] = [
      { name: "end before start", fields: () => ({ startTime: "12:00", endTime: "10:00" }), field: "endTime", message: MSG.endBeforeStart },
      { name: "end equal to start", fields: () => ({ startTime: "10:00", endTime: "10:00" }), field: "endTime", message: MSG.endBeforeStart },
      { name: "a date in the past", fields: () => ({ date: yesterday() }), field: "date", message: MSG.inPast },
      { name: "a 10,000-character title", fields: () => ({ title: "M".repeat(10_000) }), field: "title", message: MSG.tooLong },
      { name: "an empty title", fields: () => ({ title: "  " }), field: "title", message: MSG.required },
      { name: "a malformed date (20/01/…)", fields: () => ({ date: `20/01/${YEAR}` }), field: "date", message: MSG.date },
      { name: "an impossible date (30 February)", fields: () => ({ date: `${YEAR}-02-30` }), field: "date", message: MSG.date },
      { name: "a malformed start time (9.30)", fields: () => ({ startTime: "9.30" }), field: "startTime", message: MSG.time },
      { name: "an impossible end time (24:00)", fields: () => ({ endTime: "24:00" }), field: "endTime", message: MSG.time },
      { name: "a javascript: video URL", fields: () => ({ videoUrl: "javascript:alert(1)" }), field: "videoUrl", message: MSG.url },
      { name: "an ftp: video URL", fields: () => ({ videoUrl: "ftp://files.example.se/mote" }), field: "videoUrl", message: MSG.url },
    ];
    for (const c of cases) {
      it(`refuses ${c.name}`, async () => {
        const before = await meetingCount();
        const res = await postCreate({ ...BASE, ...c.fields() });
        expect(res.status).toBe(400);
        expect(fieldError(res.text, c.field)).toBe(c.message);
        expect(textOf(res.text)).toContain("Nytt möte");
        expect(await meetingCount()).toBe(before);
      });
    }

    it("an unknown meeting id is 404 for GET and POST, and nothing is written", async () => {
      const unknown = randomUUID();
      const before = await meetingCount();
      const getRes = await get(s.url, page("skaraborg", unknown), await cookieFor(LEADER));
      expect(getRes.status).toBe(404);
      expect(textOf(getRes.text)).toContain(MSG.notFoundTitle);
      const attempts: Record<string, string>[] = [{ intent: "update", ...BASE }, { intent: "convene" }, { intent: "cancel", reason: "x" }];
      for (const fields of attempts) {
        expect((await act(LEADER, unknown, fields)).status).toBe(404);
      }
      expect((await act(MEMBER, unknown, { intent: "rsvp", response: "attending", note: "" })).status).toBe(404);
      expect((await get(s.url, `${page("skaraborg", unknown)}/calendar.ics`, await cookieFor(LEADER))).status).toBe(404);
      expect(await meetingCount()).toBe(before);
      expect(await s.db.selectFrom("meetings").select("id").where("id", "=", unknown).executeTakeFirst()).toBeUndefined();
      expect(await s.db.selectFrom("meeting_rsvps").select("user_id").where("meeting_id", "=", unknown).execute()).toEqual([]);
    });

    it.each(["not-a-uuid", "12345", "' OR 1=1 --", "0000000-0000-0000-0000-0000000000000"])("a malformed id (%s) is 404", async (bad) => {
      const before = await meetingCount();
      const path = page("skaraborg", encodeURIComponent(bad));
      expect((await get(s.url, path, await cookieFor(LEADER))).status).toBe(404);
      expect((await postForm(s.url, path, { intent: "convene" }, await cookieFor(LEADER))).status).toBe(404);
      expect((await postForm(s.url, path, { intent: "rsvp", response: "attending", note: "" }, await cookieFor(MEMBER))).status).toBe(404);
      expect(await meetingCount()).toBe(before);
    });

    it("an unknown intent is 400 'Okänd åtgärd.' and changes nothing", async () => {
      const target = await createDraft({ ...BASE, title: "Mål för okänd åtgärd" });
      const before = await meetingRow(target);
      for (const intent of ["explode", ""]) {
        const res = await act(LEADER, target, { intent, ...BASE });
        expect(res.status, intent).toBe(400);
        expect(textOf(res.text)).toContain(MSG.unknownIntent);
      }
      expect(await meetingRow(target)).toEqual(before);
    });
  });

  describe("daylight saving time (Europe/Stockholm, next year)", () => {
    const springSunday = lastSunday(YEAR, 3);
    const autumnSunday = lastSunday(YEAR, 10);
    const FIELDS = { title: "Sommartidsmöte", location: "Skövde", videoUrl: "", description: "" };

    it("the computed Sundays are the change days (sanity check of the test's own dates)", () => {
      expect(springSunday.weekday).toBe(7);
      expect(autumnSunday.weekday).toBe(7);
      expect(springSunday.plus({ days: 7 }).month).toBe(4);
      expect(autumnSunday.plus({ days: 7 }).month).toBe(11);
      // Offsets before and after each change.
      expect(springSunday.set({ hour: 1 }).offset).toBe(60);
      expect(springSunday.set({ hour: 4 }).offset).toBe(120);
      expect(autumnSunday.set({ hour: 1 }).offset).toBe(120);
      expect(autumnSunday.set({ hour: 4 }).offset).toBe(60);
    });

    it("02:30 on the last Sunday of March does not exist: 400 with the message, nothing written", async () => {
      const before = await meetingCount();
      const res = await postCreate({ ...FIELDS, date: springSunday.toISODate()!, startTime: "02:30", endTime: "04:00" });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, "startTime")).toBe(MSG.timeNotExist);
      expect(textOf(res.text)).toContain(MSG.timeNotExist);
      // An end inside the gap too.
      const end = await postCreate({ ...FIELDS, date: springSunday.toISODate()!, startTime: "01:00", endTime: "02:15" });
      expect(end.status).toBe(400);
      expect(fieldError(end.text, "endTime")).toBe(MSG.timeNotExist);
      expect(await meetingCount()).toBe(before);
    });

    it("the same Sunday at 03:00–04:00 exists (summer time already): 01:00Z–02:00Z", async () => {
      const d = springSunday.toISODate()!;
      const row = (await meetingRow(await createDraft({ ...FIELDS, date: d, startTime: "03:00", endTime: "04:00" })))!;
      expect(new Date(row.starts_at!).toISOString()).toBe(`${d}T01:00:00.000Z`);
      expect(new Date(row.ends_at!).toISOString()).toBe(`${d}T02:00:00.000Z`);
    });

    it("09:00 on the Monday after the March change is stored as 07:00Z, shown as +02:00", async () => {
      const d = springSunday.plus({ days: 1 }).toISODate()!;
      const id = await createDraft({ ...FIELDS, date: d, startTime: "09:00", endTime: "10:00" });
      const row = (await meetingRow(id))!;
      expect(new Date(row.starts_at!).toISOString()).toBe(`${d}T07:00:00.000Z`);
      expect(new Date(row.ends_at!).toISOString()).toBe(`${d}T08:00:00.000Z`);
      const api = await apiList(LEADER);
      expect(api.body.find((m) => m.id === id)).toMatchObject({ start: `${d}T09:00:00+02:00`, end: `${d}T10:00:00+02:00` });
    });

    it("09:00 on the Friday before the March change is stored as 08:00Z, shown as +01:00", async () => {
      const d = springSunday.minus({ days: 2 }).toISODate()!;
      const id = await createDraft({ ...FIELDS, date: d, startTime: "09:00", endTime: "10:00" });
      const row = (await meetingRow(id))!;
      expect(new Date(row.starts_at!).toISOString()).toBe(`${d}T08:00:00.000Z`);
      const api = await apiList(LEADER);
      expect(api.body.find((m) => m.id === id)).toMatchObject({ start: `${d}T09:00:00+01:00`, end: `${d}T10:00:00+01:00` });
    });

    it("02:30 on the last Sunday of October happens twice: 400 with the message, nothing written", async () => {
      const before = await meetingCount();
      const d = autumnSunday.toISODate()!;
      const res = await postCreate({ ...FIELDS, date: d, startTime: "02:30", endTime: "04:00" });
      expect(res.status).toBe(400);
      expect(fieldError(res.text, "startTime")).toBe(MSG.timeTwice);
      expect(textOf(res.text)).toContain(MSG.timeTwice);
      const end = await postCreate({ ...FIELDS, date: d, startTime: "01:00", endTime: "02:00" });
      expect(end.status).toBe(400);
      expect(fieldError(end.text, "endTime")).toBe(MSG.timeTwice);
      expect(await meetingCount()).toBe(before);
    });

    it("00:30–04:00 on the last Sunday of October lasts 4.5 hours (the clock goes back)", async () => {
      const d = autumnSunday.toISODate()!;
      const id = await createDraft({ ...FIELDS, date: d, startTime: "00:30", endTime: "04:00" });
      const row = (await meetingRow(id))!;
      expect(Date.parse(row.ends_at!) - Date.parse(row.starts_at!)).toBe(4.5 * HOUR);
      const prevDay = autumnSunday.minus({ days: 1 }).toISODate()!;
      expect(new Date(row.starts_at!).toISOString()).toBe(`${prevDay}T22:30:00.000Z`);
      expect(new Date(row.ends_at!).toISOString()).toBe(`${d}T03:00:00.000Z`);
      const api = await apiList(LEADER);
      expect(api.body.find((m) => m.id === id)).toMatchObject({ start: `${d}T00:30:00+02:00`, end: `${d}T04:00:00+01:00` });
    });
  });
});
