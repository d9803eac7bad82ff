// Calendars over real HTTP, parsed independently with ical.js: one meeting's .ics
// download (UID, times, SEQUENCE, STATUS follow the meeting through moves and
// cancellation) and each person's secret feed (/feeds/<token>/calendar.ics, no
// cookies): only published meetings of the councils they are active in; the token
// can be rotated and revoked.
import { randomBytes, randomUUID } from "node:crypto";
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Meeting } from "../../db/schema";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm, type FetchResult } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { decode, textOf } from "../helpers/html";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const JOHAN = "johan.nilsson@samsyn.test";
const FYRBODAL_MEMBER = "ledamot.fyrbodal@samsyn.test";
const FYRBODAL_LEADER = "fyrbodal.processledare@samsyn.test";
const ADMIN = "admin@samsyn.test";

const YEAR = DateTime.now().setZone(ZONE).year + 1;

interface ParsedEvent {
  uid: string;
  start: Date;
  end: Date;
  summary: string;
  location: string | null;
  description: string;
  url: string | null;
  status: string | null;
  sequence: number;
  lastModified: Date | null;
  startIsUtc: boolean;
}

/** Parse an iCalendar text with ical.js and read each VEVENT field by field. */
function parseIcs(text: string): { cal: ICAL.Component; events: ParsedEvent[] } {
  const cal = new ICAL.Component(ICAL.parse(text));
  expect(cal.name).toBe("vcalendar");
  const events = cal.getAllSubcomponents("vevent").map((v) => {
    const e = new ICAL.Event(v);
    const str = (name: string) => {
      const value = v.getFirstPropertyValue(name);
      return value === null ? null : String(value);
    };
    const lastModified = v.getFirstPropertyValue("last-modified");
    return {
      uid: e.uid,
      start: e.startDate.toJSDate(),
      end: e.endDate.toJSDate(),
      summary: e.summary,
      location: str("location"),
      description: e.description,
      url: str("url"),
      status: str("status"),
      sequence: e.sequence,
      lastModified: lastModified instanceof ICAL.Time ? lastModified.toJSDate() : null,
      startIsUtc: e.startDate.zone === ICAL.Timezone.utcTimezone,
    };
  });
  return { cal, events };
}

const feedToken = (html: string): string | undefined => html.match(/\/feeds\/([^/"<\s]+)\/calendar\.ics/)?.[1];

describe("calendars (.ics)", () => {
  let s: TestServer;
  let council: Record<string, { id: string; name: string }>;
  const cookies = new Map<string, string>();

  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const meetingRow = async (id: string): Promise<Meeting> => s.db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const meetingPage = (slug: string, id: string) => `/councils/${slug}/meetings/${id}`;
  const icsPath = (slug: string, id: string) => `${meetingPage(slug, id)}/calendar.ics`;

  const act = async (email: string, slug: string, id: string, fields: Record<string, string>) => {
    const res = await postForm(s.url, meetingPage(slug, id), fields, await cookieFor(email));
    expect(res.status, `${fields.intent}: ${textOf(res.text).slice(0, 300)}`).toBe(200);
    return res;
  };

  /** Draft a meeting as `email` (a process leader of `slug`) and optionally convene it. */
  const createMeeting = async (email: string, slug: string, fields: Record<string, string>, convene: boolean) => {
    const res = await postForm(s.url, `/councils/${slug}/meetings`, { intent: "create", location: "", videoUrl: "", description: "", ...fields }, await cookieFor(email));
    expect(res.status, textOf(res.text).slice(0, 300)).toBe(302);
    const id = res.headers.get("location")?.match(new RegExp(`^/councils/${slug}/meetings/([0-9a-f-]{36})$`))?.[1];
    expect(id).toBeDefined();
    if (convene) await act(email, slug, id!, { intent: "convene" });
    return id!;
  };

  const settings = async (email: string, intent: string) => postForm(s.url, "/settings", { intent }, await cookieFor(email));

  /** POST /settings intent=rotate and read the one-time link from the page. */
  const rotate = async (email: string) => {
    const res = await settings(email, "rotate");
    expect(res.status).toBe(200);
    expect(textOf(res.text)).toContain("Kopiera länken nu: den visas bara en gång.");
    const link = decode(res.text.match(/id="feed-link"[^>]*value="([^"]+)"/)?.[1] ?? res.text.match(/value="([^"]+)"[^>]*id="feed-link"/)?.[1] ?? "");
    const token = feedToken(link);
    expect(token, link).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(link).toBe(`${s.url}/feeds/${token}/calendar.ics`);
    return { token: token!, link };
  };

  /** GET a feed as a calendar app does: no cookies at all. */
  const fetchFeed = (link: string): Promise<FetchResult> => get(link, "");

  const expectCalendar = (res: FetchResult) => {
    expect(res.status, res.text.slice(0, 200)).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/calendar; charset=utf-8");
    expect(res.headers.get("cache-control")).toBe("private, no-store");
    return parseIcs(res.text);
  };

  /** Every field of a parsed VEVENT against the meeting's row. */
  const expectEventMatchesRow = (e: ParsedEvent, row: Meeting, slug: string) => {
    expect(e.uid).toBe(`${row.id}@samsyn`);
    expect(e.startIsUtc).toBe(true);
    expect(e.start.getTime()).toBe(Date.parse(row.starts_at!));
    expect(e.end.getTime()).toBe(Date.parse(row.ends_at!));
    expect(e.summary).toContain(row.title);
    expect(e.summary).toContain(council[slug].name);
    expect(e.url).toBe(`${s.url}${meetingPage(slug, row.id)}`);
    expect(e.status).toBe(row.status === "cancelled" ? "CANCELLED" : "CONFIRMED");
    expect(e.sequence).toBe(row.sequence);
    expect(e.location).toBe(row.location || row.video_url || null);
  };

  beforeAll(async () => {
    s = await startTestServer();

    // A third council, Sjuhärad, led by Skaraborg's process leader: Johan is not in it.
    const created = await postForm(s.url, "/admin", { intent: "createCouncil", name: "Kompetensråd Sjuhärad", slug: "sjuharad", subRegion: "Sjuhärad", mandate: "" }, await cookieFor(ADMIN));
    expect(created.status).toBe(200);
    const sjuharadId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "sjuharad").executeTakeFirstOrThrow()).id;
    const appointed = await postForm(
      s.url,
      "/admin",
      { intent: "appointLeader", councilId: sjuharadId, email: LEADER, organisation: "Sjuhärads kommunalförbund", perspective: "municipal_federation" },
      await cookieFor(ADMIN),
    );
    expect(appointed.status).toBe(200);

    const rows = await s.db.selectFrom("councils").select(["id", "slug", "name"]).execute();
    council = Object.fromEntries(rows.map((r) => [r.slug, { id: r.id, name: r.name }]));
    expect(Object.keys(council).sort()).toEqual(["fyrbodal", "sjuharad", "skaraborg"]);
  });
  afterAll(() => s?.close());

  describe("one meeting's .ics (GET /councils/:slug/meetings/:id/calendar.ics)", () => {
    const FIELDS = {
      title: "Rådsmöte: kompetensförsörjning",
      date: `${YEAR}-02-03`,
      startTime: "09:30",
      endTime: "12:00",
      location: "Stadshuset, Skövde",
      videoUrl: "https://meet.example.se/rad",
      description: "Dagordning skickas ut en vecka innan.",
    };
    let id: string;

    beforeAll(async () => {
      id = await createMeeting(LEADER, "skaraborg", FIELDS, true);
    });

    it("is a PUBLISH calendar with one VEVENT whose fields equal the stored meeting", async () => {
      const res = await get(s.url, icsPath("skaraborg", id), await cookieFor(MEMBER));
      const { cal, events } = expectCalendar(res);
      expect(res.headers.get("content-disposition")).toBe(`attachment; filename="samsyn-${id}.ics"`);
      expect(cal.getFirstPropertyValue("version")).toBe("2.0");
      expect(cal.getFirstPropertyValue("method")).toBe("PUBLISH");
      expect(String(cal.getFirstPropertyValue("prodid"))).toContain("Samsyn");
      expect(events).toHaveLength(1);

      const row = await meetingRow(id);
      expect(row).toMatchObject({ status: "convened", sequence: 0 });
      const [e] = events;
      expectEventMatchesRow(e, row, "skaraborg");
      // Stored instants are the Stockholm wall-clock times (CET in February).
      expect(e.start.toISOString()).toBe(`${FIELDS.date}T08:30:00.000Z`);
      expect(e.end.toISOString()).toBe(`${FIELDS.date}T11:00:00.000Z`);
      expect(e.summary).toBe(`${FIELDS.title} (Kompetensråd Skaraborg)`);
      expect(e.location).toBe(FIELDS.location);
      expect(e.status).toBe("CONFIRMED");
      expect(e.sequence).toBe(0);
      expect(e.description).toContain(FIELDS.description);
      expect(e.description).toContain(`Video: ${FIELDS.videoUrl}`);
      expect(e.description).toContain(`${s.url}${meetingPage("skaraborg", id)}`);
      expect(e.lastModified?.getTime()).toBe(Math.floor(Date.parse(row.updated_at) / 1000) * 1000);

      // The same bytes for the observer and the leader (anyone who may view the meeting).
      for (const email of ["observator@samsyn.test", LEADER]) {
        const other = await get(s.url, icsPath("skaraborg", id), await cookieFor(email));
        expect(other.status).toBe(200);
        expect(parseIcs(other.text).events.map((x) => x.uid)).toEqual([`${id}@samsyn`]);
      }
    });

    it("is 404 for a draft (even for the leader), an unknown or malformed id and another council's member", async () => {
      const draft = await createMeeting(LEADER, "skaraborg", { ...FIELDS, title: "Utkast utan kalender" }, false);
      const cases: [string, string][] = [
        [LEADER, icsPath("skaraborg", draft)],
        [MEMBER, icsPath("skaraborg", draft)],
        [LEADER, icsPath("skaraborg", randomUUID())],
        [LEADER, icsPath("skaraborg", "not-a-uuid")],
        [FYRBODAL_MEMBER, icsPath("skaraborg", id)],
        // The right id under another council's address.
        [FYRBODAL_LEADER, icsPath("fyrbodal", id)],
      ];
      for (const [email, path] of cases) {
        const res = await get(s.url, path, await cookieFor(email));
        expect(res.status, `${email} ${path}`).toBe(404);
        expect(res.text).not.toContain("BEGIN:VCALENDAR");
        expect(res.text).not.toContain(FIELDS.title);
      }
    });

    it("without a session redirects to the login page and reveals nothing", async () => {
      const res = await get(s.url, icsPath("skaraborg", id));
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent(icsPath("skaraborg", id))}`);
      expect(res.text).not.toContain("BEGIN:VCALENDAR");
    });

    it("after moving, SEQUENCE increases and DTSTART/DTEND follow the new time", async () => {
      const before = parseIcs((await get(s.url, icsPath("skaraborg", id), await cookieFor(MEMBER))).text).events[0];
      const moved = { ...FIELDS, date: `${YEAR}-06-10`, startTime: "13:00", endTime: "16:15" };
      await act(LEADER, "skaraborg", id, { intent: "update", ...moved });

      const row = await meetingRow(id);
      const { events } = expectCalendar(await get(s.url, icsPath("skaraborg", id), await cookieFor(MEMBER)));
      expect(events).toHaveLength(1);
      const [after] = events;
      expectEventMatchesRow(after, row, "skaraborg");
      expect(after.uid).toBe(before.uid);
      expect(after.sequence).toBeGreaterThan(before.sequence);
      expect(after.sequence).toBe(before.sequence + 1);
      // June: CEST, UTC+2.
      expect(after.start.toISOString()).toBe(`${moved.date}T11:00:00.000Z`);
      expect(after.end.toISOString()).toBe(`${moved.date}T14:15:00.000Z`);
      expect(after.start.getTime()).not.toBe(before.start.getTime());
      expect(after.status).toBe("CONFIRMED");
    });

    it("after cancelling, STATUS:CANCELLED with the same UID and a higher SEQUENCE", async () => {
      const before = parseIcs((await get(s.url, icsPath("skaraborg", id), await cookieFor(MEMBER))).text).events[0];
      await act(LEADER, "skaraborg", id, { intent: "cancel", reason: "Talaren är sjuk." });

      const row = await meetingRow(id);
      expect(row.status).toBe("cancelled");
      const res = await get(s.url, icsPath("skaraborg", id), await cookieFor(MEMBER));
      expect(res.text).toMatch(/\r?\nSTATUS:CANCELLED\r?\n/);
      const { events } = expectCalendar(res);
      expect(events).toHaveLength(1);
      const [after] = events;
      expectEventMatchesRow(after, row, "skaraborg");
      expect(after.uid).toBe(before.uid);
      expect(after.status).toBe("CANCELLED");
      expect(after.sequence).toBe(before.sequence + 1);
      expect(after.start.getTime()).toBe(before.start.getTime());
      expect(after.description).toContain("Inställt: Talaren är sjuk.");
    });
  });

  describe("the personal feed (GET /feeds/:token/calendar.ics)", () => {
    const ids: Record<string, string> = {};
    let link: string;
    let token: string;

    beforeAll(async () => {
      const base = { startTime: "10:00", endTime: "12:00", location: "Vänersborg" };
      ids.skaraborg = await createMeeting(LEADER, "skaraborg", { ...base, title: "Skaraborg: vårens rådsmöte", date: `${YEAR}-03-10` }, true);
      ids.skaraborgToCancel = await createMeeting(LEADER, "skaraborg", { ...base, title: "Skaraborg: extramöte", date: `${YEAR}-04-14`, location: "" , videoUrl: "https://meet.example.se/extra" }, true);
      ids.skaraborgDraft = await createMeeting(LEADER, "skaraborg", { ...base, title: "Skaraborg: hemligt utkast", date: `${YEAR}-03-11` }, false);
      ids.fyrbodal = await createMeeting(FYRBODAL_LEADER, "fyrbodal", { ...base, title: "Fyrbodal: rådsmöte", date: `${YEAR}-08-20` }, true);
      ids.fyrbodalDraft = await createMeeting(FYRBODAL_LEADER, "fyrbodal", { ...base, title: "Fyrbodal: utkast", date: `${YEAR}-08-21` }, false);
      ids.sjuharad = await createMeeting(LEADER, "sjuharad", { ...base, title: "Sjuhärad: rådsmöte", date: `${YEAR}-03-12` }, true);
    });

    /** The published meetings of the given councils, from the database (the feed's expected content). */
    const published = async (slugs: string[]) =>
      s.db
        .selectFrom("meetings")
        .selectAll()
        .where("council_id", "in", slugs.map((slug) => council[slug].id))
        .where("status", "!=", "draft")
        .execute();

    const slugOf = (row: Meeting) => Object.keys(council).find((slug) => council[slug].id === row.council_id)!;

    it("POST /settings intent=rotate shows the feed link once and stores only a hash", async () => {
      expect(textOf((await get(s.url, "/settings", await cookieFor(JOHAN))).text)).toContain("Du har ingen kalenderlänk.");
      ({ token, link } = await rotate(JOHAN));

      const rows = await s.db.selectFrom("calendar_tokens").selectAll().where("user_id", "=", await userId(JOHAN)).execute();
      expect(rows).toHaveLength(1);
      expect(rows[0].revoked_at).toBeNull();
      expect(rows[0].token_hash).not.toBe(token);
      expect(JSON.stringify(await s.db.selectFrom("calendar_tokens").selectAll().execute())).not.toContain(token);

      // Shown once: the settings page afterwards says a link exists but does not show it.
      const after = await get(s.url, "/settings", await cookieFor(JOHAN));
      expect(after.status).toBe(200);
      expect(textOf(after.text)).toContain("Du har en aktiv kalenderlänk.");
      expect(after.text).not.toContain(token);
      expect(after.text).not.toContain("/feeds/");
    });

    it("without cookies, lists exactly the published meetings of Johan's councils (Skaraborg and Fyrbodal)", async () => {
      const res = await fetchFeed(link);
      expect(res.headers.get("set-cookie")).toBeNull();
      const { events } = expectCalendar(res);

      const expected = await published(["skaraborg", "fyrbodal"]);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(events.map((e) => e.uid).sort()).toEqual(expected.map((m) => `${m.id}@samsyn`).sort());
      // Named ones explicitly: both councils present, drafts and Sjuhärad absent.
      const uids = new Set(events.map((e) => e.uid));
      expect(uids.has(`${ids.skaraborg}@samsyn`)).toBe(true);
      expect(uids.has(`${ids.skaraborgToCancel}@samsyn`)).toBe(true);
      expect(uids.has(`${ids.fyrbodal}@samsyn`)).toBe(true);
      expect(uids.has(`${ids.skaraborgDraft}@samsyn`)).toBe(false);
      expect(uids.has(`${ids.fyrbodalDraft}@samsyn`)).toBe(false);
      expect(uids.has(`${ids.sjuharad}@samsyn`)).toBe(false);
      for (const title of ["hemligt utkast", "Fyrbodal: utkast", "Sjuhärad"]) expect(res.text).not.toContain(title);

      for (const row of expected) {
        const e = events.find((x) => x.uid === `${row.id}@samsyn`)!;
        expectEventMatchesRow(e, row, slugOf(row));
      }
      // A meeting with only a video link has that as its location.
      expect(events.find((e) => e.uid === `${ids.skaraborgToCancel}@samsyn`)!.location).toBe("https://meet.example.se/extra");
      expect(events.find((e) => e.uid === `${ids.fyrbodal}@samsyn`)!.summary).toBe("Fyrbodal: rådsmöte (" + council.fyrbodal.name + ")");
    });

    it("each person's feed is their own: Fyrbodal-only and the Sjuhärad leader", async () => {
      const fyrbodalOnly = await rotate(FYRBODAL_MEMBER);
      const fy = expectCalendar(await fetchFeed(fyrbodalOnly.link));
      expect(fy.events.map((e) => e.uid).sort()).toEqual((await published(["fyrbodal"])).map((m) => `${m.id}@samsyn`).sort());
      expect(fy.events.some((e) => e.uid === `${ids.skaraborg}@samsyn`)).toBe(false);

      // Positive control for Sjuhärad: its meeting is in the feed of someone who is in it.
      const leader = await rotate(LEADER);
      const le = expectCalendar(await fetchFeed(leader.link));
      expect(le.events.map((e) => e.uid).sort()).toEqual((await published(["skaraborg", "sjuharad"])).map((m) => `${m.id}@samsyn`).sort());
      expect(le.events.some((e) => e.uid === `${ids.sjuharad}@samsyn`)).toBe(true);
      expect(le.events.some((e) => e.uid === `${ids.fyrbodal}@samsyn`)).toBe(false);
    });

    it("keeps a cancelled meeting, with STATUS:CANCELLED and the same UID", async () => {
      const before = expectCalendar(await fetchFeed(link)).events.find((e) => e.uid === `${ids.skaraborgToCancel}@samsyn`)!;
      expect(before.status).toBe("CONFIRMED");
      await act(LEADER, "skaraborg", ids.skaraborgToCancel, { intent: "cancel", reason: "För få anmälda." });

      const row = await meetingRow(ids.skaraborgToCancel);
      expect(row.status).toBe("cancelled");
      const { events } = expectCalendar(await fetchFeed(link));
      const matching = events.filter((e) => e.uid === `${ids.skaraborgToCancel}@samsyn`);
      expect(matching).toHaveLength(1);
      expectEventMatchesRow(matching[0], row, "skaraborg");
      expect(matching[0].status).toBe("CANCELLED");
      expect(matching[0].sequence).toBe(before.sequence + 1);
      expect(matching[0].description).toContain("Inställt: För få anmälda.");
      // The other meetings are untouched.
      expect(events.find((e) => e.uid === `${ids.skaraborg}@samsyn`)!.status).toBe("CONFIRMED");
    });

    it("rotating again: the old link is 404, the new one works", async () => {
      const old = link;
      const fresh = await rotate(JOHAN);
      expect(fresh.token).not.toBe(token);

      const gone = await fetchFeed(old);
      expect(gone.status).toBe(404);
      expect(gone.text).not.toContain("BEGIN:VCALENDAR");
      const { events } = expectCalendar(await fetchFeed(fresh.link));
      expect(events.map((e) => e.uid).sort()).toEqual((await published(["skaraborg", "fyrbodal"])).map((m) => `${m.id}@samsyn`).sort());

      const rows = await s.db.selectFrom("calendar_tokens").selectAll().where("user_id", "=", await userId(JOHAN)).execute();
      expect(rows).toHaveLength(2);
      expect(rows.filter((r) => r.revoked_at === null)).toHaveLength(1);
      ({ token, link } = fresh);
    });

    it("revoking: the link is 404 and the settings page says there is none", async () => {
      expect((await fetchFeed(link)).status).toBe(200);
      const res = await settings(JOHAN, "revoke");
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Kalenderlänken är avstängd.");
      expect(textOf(res.text)).toContain("Du har ingen kalenderlänk.");

      const gone = await fetchFeed(link);
      expect(gone.status).toBe(404);
      expect(gone.text).not.toContain("BEGIN:VCALENDAR");
      const rows = await s.db.selectFrom("calendar_tokens").selectAll().where("user_id", "=", await userId(JOHAN)).execute();
      expect(rows.every((r) => r.revoked_at !== null)).toBe(true);
      // Other people's feeds are not affected (positive control).
      const other = await rotate(FYRBODAL_MEMBER);
      expect((await fetchFeed(other.link)).status).toBe(200);
    });

    it.each([
      ["an unknown token", () => randomBytes(32).toString("base64url")],
      ["a very long token", () => "a".repeat(500)],
      ["a short token", () => "x"],
    ])("%s is 404", async (_name, make) => {
      const res = await fetchFeed(`${s.url}/feeds/${make()}/calendar.ics`);
      expect(res.status).toBe(404);
      expect(res.text).not.toContain("BEGIN:VCALENDAR");
    });

    it("settings: an unknown intent is 400 and changes no token; no session redirects to login", async () => {
      const before = await s.db.selectFrom("calendar_tokens").selectAll().execute();
      const res = await settings(JOHAN, "leak");
      expect(res.status).toBe(400);
      expect(res.text).not.toContain("/feeds/");
      expect(await s.db.selectFrom("calendar_tokens").selectAll().execute()).toEqual(before);

      const anonymous = await postForm(s.url, "/settings", { intent: "rotate" });
      expect(anonymous.status).toBe(302);
      expect(anonymous.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
      expect(await s.db.selectFrom("calendar_tokens").selectAll().execute()).toEqual(before);
    });
  });
});
