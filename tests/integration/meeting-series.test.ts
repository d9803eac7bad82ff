// Meeting series (mötesserier, issue #15, decision 042) over real HTTP with plain form
// posts: a leader (or a group's convener) makes a series from the new-meeting form;
// each occurrence is an ordinary meeting at the same Stockholm time across DST, with
// the template's agenda; limits and bad rules are refused in Swedish (and English)
// with nothing written; members and observers are refused; one occurrence is edited
// on its own; "ändra kommande" and "ställ in resten" reach only the meetings to come,
// through the single-meeting rules (notices, e-mails, calendar SEQUENCE), audited.
import fs from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { decode, fieldError, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const MARIA = "maria.andersson@samsyn.test"; // the demo working group's convener
const AHMED = "ahmed.hassan@samsyn.test"; // a member of that group
const MAILED = MARIA; // e-mailed for meetings (the demo's default preference)

/** Next Stockholm year: every date in it is in the future. */
const YEAR = DateTime.now().setZone(ZONE).year + 1;
const lastSunday = (year: number, month: number) => {
  const last = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE }).endOf("month").startOf("day");
  return last.minus({ days: last.weekday % 7 });
};
/** The n-th weekday (ISO) of a month, by luxon, independently of the server's rrule. */
const nthWeekday = (year: number, month: number, weekday: number, n: number) => {
  const first = DateTime.fromObject({ year, month, day: 1 }, { zone: ZONE });
  return first.plus({ days: ((weekday - first.weekday + 7) % 7) + 7 * (n - 1) }).toISODate()!;
};
const utcOf = (date: string, time: string) => DateTime.fromISO(`${date}T${time}`, { zone: ZONE }).toUTC().toISO({ suppressMilliseconds: true })!;
const localOf = (utc: string) => DateTime.fromISO(utc, { zone: "utc" }).setZone(ZONE).toFormat("yyyy-MM-dd HH:mm");

describe("meeting series", { timeout: 120_000 }, () => {
  let s: TestServer;
  let councilId: string;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const create = async (fields: Record<string, string>, email = LEADER, lang?: "en") =>
    postForm(
      s.url,
      "/councils/skaraborg/meetings",
      { intent: "create", timing: "fixed", location: "Stadshuset", videoUrl: "", description: "", ...fields },
      [await cookieFor(email), lang ? `samsyn_lang=${lang}` : ""].filter(Boolean).join("; "),
    );
  const seriesOf = async (firstMeetingId: string) => {
    const { series_id } = await s.db.selectFrom("meetings").select("series_id").where("id", "=", firstMeetingId).executeTakeFirstOrThrow();
    expect(series_id).toBeTruthy();
    return s.db.selectFrom("meetings").selectAll().where("series_id", "=", series_id!).orderBy("starts_at").execute();
  };
  const idFrom = (location: string | null) => location!.split("/").pop()!;
  const meetingCount = async () => Number((await s.db.selectFrom("meetings").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const seriesCount = async () => Number((await s.db.selectFrom("meeting_series").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);
  const outboxDir = () => path.join(path.dirname(s.dbFile), "outbox");
  const mailsTo = async (email: string, subject: RegExp) => {
    await s.server.jobs.flushMail();
    if (!fs.existsSync(outboxDir())) return [];
    const all = await Promise.all(fs.readdirSync(outboxDir()).filter((f) => f.endsWith(".eml")).map((f) => simpleParser(fs.readFileSync(path.join(outboxDir(), f)))));
    return all.filter((m) => (m.to && !Array.isArray(m.to) ? m.to.text : "") === email && subject.test(m.subject ?? ""));
  };
  const notified = async (kind: string, meetingId: string) =>
    (await s.db.selectFrom("notifications").select("user_id").where("kind", "=", kind as never).where("link", "=", `/councils/skaraborg/meetings/${meetingId}`).execute()).length;

  beforeAll(async () => {
    s = await startTestServer();
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(() => s?.close());

  it("a leader makes 'the second Tuesday every other month': six drafts at 09:00 Stockholm time, each with the template's agenda", async () => {
    const template = await s.db.selectFrom("agenda_templates").selectAll().where("council_id", "=", councilId).where("name", "=", "Ordinarie rådsmöte").executeTakeFirstOrThrow();
    const res = await create({
      title: "Rådsmöte i serie",
      date: `${YEAR}-01-01`,
      startTime: "09:00",
      endTime: "11:00",
      template: template.id,
      repeat: "monthlyWeekday",
      interval: "2",
      weekday: "2",
      nth: "2",
      ends: "count",
      count: "6",
      // Fields of the other kinds, as a form without :has sends them: ignored.
      monthDay: "",
      until: "",
    });
    expect(res.status).toBe(302);
    const meetings = await seriesOf(idFrom(res.headers.get("location")));
    expect(idFrom(res.headers.get("location"))).toBe(meetings[0].id);
    const expected = [1, 3, 5, 7, 9, 11].map((month) => nthWeekday(YEAR, month, 2, 2));
    expect(meetings.map((m) => localOf(m.starts_at!))).toEqual(expected.map((d) => `${d} 09:00`));
    expect(meetings.map((m) => m.starts_at)).toEqual(expected.map((d) => utcOf(d, "09:00")));
    expect(meetings.map((m) => localOf(m.ends_at!).slice(11))).toEqual(Array(6).fill("11:00"));
    // Summer time in between: the same local time is another UTC hour.
    expect(new Set(meetings.map((m) => m.starts_at!.slice(11, 13)))).toEqual(new Set(["08", "07"]));
    expect(meetings.every((m) => m.status === "draft" && m.title === "Rådsmöte i serie" && m.location === "Stadshuset" && m.group_id === null)).toBe(true);
    const items = JSON.parse(template.items_json) as { title: string }[];
    for (const m of meetings) {
      const agenda = await s.db.selectFrom("agenda_items").select("title").where("meeting_id", "=", m.id).orderBy("position").execute();
      expect(agenda.map((a) => a.title)).toEqual(items.map((i) => i.title));
    }
    const series = await s.db.selectFrom("meeting_series").selectAll().where("id", "=", meetings[0].series_id!).executeTakeFirstOrThrow();
    expect(series).toMatchObject({ council_id: councilId, group_id: null, title: "Rådsmöte i serie", first_date: expected[0], start_time: "09:00", end_time: "11:00" });
    expect(series.rule).toMatch(/FREQ=MONTHLY/);
    expect(series.rule).toMatch(/BYDAY=\+2TU/);
    expect(series.rule).toMatch(/INTERVAL=2/);
    const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "meeting_series.created").where("subject", "=", series.id).executeTakeFirstOrThrow();
    expect(JSON.parse(audit.after_json!).dates).toEqual(expected);

    // The page of the second: part of the series, its rule in words, links to its neighbours.
    const page = await get(s.url, `/councils/skaraborg/meetings/${meetings[1].id}`, await cookieFor(LEADER));
    expect(page.status).toBe(200);
    const text = textOf(page.text);
    expect(text).toContain("Del av serie Rådsmöte i serie – Varannan månad, andra tisdagen, möte 2 av 6");
    const nav = page.text.match(/<ul class="series-nav"[\s\S]*?<\/ul>/)?.[0] ?? "";
    expect(nav).toContain(`href="/councils/skaraborg/meetings/${meetings[0].id}"`);
    expect(nav).toContain(`href="/councils/skaraborg/meetings/${meetings[2].id}"`);
    const sv = (date: string) => DateTime.fromISO(date).setLocale("sv-SE").toFormat("cccc d MMMM yyyy");
    expect(textOf(nav)).toBe(`← Föregående möte: ${sv(expected[0])} Nästa möte: ${sv(expected[2])} →`);
    expect(text).toContain("Ändra kommande");
    expect(text).toContain("Ställ in resten av serien");
  });

  it("keeps 09:00 local across the last Sundays of March and October (a weekly series on Sundays, ended by a date)", async () => {
    const march = lastSunday(YEAR, 3);
    const res = await create({ title: "Söndagsserie mars", date: march.minus({ days: 7 }).toISODate()!, startTime: "09:00", endTime: "10:00", repeat: "weekly", interval: "1", weekday: "7", ends: "count", count: "3" });
    expect(res.status).toBe(302);
    const spring = await seriesOf(idFrom(res.headers.get("location")));
    const springDates = [-7, 0, 7].map((d) => march.plus({ days: d }).toISODate()!);
    expect(spring.map((m) => localOf(m.starts_at!))).toEqual(springDates.map((d) => `${d} 09:00`));
    expect(spring.map((m) => m.starts_at!.slice(11, 16))).toEqual(["08:00", "07:00", "07:00"]);

    const october = lastSunday(YEAR, 10);
    const res2 = await create({ title: "Söndagsserie oktober", date: october.minus({ days: 7 }).toISODate()!, startTime: "09:00", endTime: "10:00", repeat: "weekly", interval: "1", weekday: "7", ends: "until", until: october.toISODate()! });
    expect(res2.status).toBe(302);
    const autumn = await seriesOf(idFrom(res2.headers.get("location")));
    expect(autumn.map((m) => localOf(m.starts_at!))).toEqual([`${october.minus({ days: 7 }).toISODate()} 09:00`, `${october.toISODate()} 09:00`]);
    expect(autumn.map((m) => m.starts_at!.slice(11, 16))).toEqual(["07:00", "08:00"]);
  });

  it("refuses more than 24 meetings or more than two years, and a bad rule, with a Swedish message and nothing written", async () => {
    const meetingsBefore = await meetingCount();
    const seriesBefore = await seriesCount();
    const base = { title: "För lång serie", date: `${YEAR}-02-01`, startTime: "09:00", endTime: "10:00" };
    const refused = async (fields: Record<string, string>, field: string, message: string, lang?: "en") => {
      const res = await create({ ...base, ...fields }, LEADER, lang);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      expect(fieldError(res.text, field), JSON.stringify(fields)).toBe(message);
      // The form comes back as it was sent, "Upprepa" open.
      expect(res.text).toMatch(/<details class="series-fields" open/);
    };
    await refused({ repeat: "weekly", interval: "1", weekday: "3", ends: "count", count: "25" }, "count", "Ange ett antal möten från 2 till 24.");
    await refused({ repeat: "weekly", interval: "1", weekday: "3", ends: "until", until: `${YEAR + 1}-12-31` }, "until", "Serien blir för lång: högst 24 möten. Välj ett tidigare slutdatum eller glesare möten.");
    await refused({ repeat: "monthlyDate", interval: "2", monthDay: "5", ends: "count", count: "24" }, "count", "Serien får sträcka sig högst två år från första mötet.");
    await refused({ repeat: "monthlyWeekday", interval: "1", weekday: "2", nth: "5", ends: "count", count: "3" }, "nth", "Välj vilken veckodag i månaden: första till fjärde, eller sista.");
    await refused({ repeat: "monthlyDate", interval: "1", monthDay: "31", ends: "count", count: "3" }, "monthDay", "Ange en dag från 1 till 28 (de dagarna finns i alla månader).");
    await refused({ repeat: "yearly", ends: "count", count: "3" }, "repeat", "Välj hur mötet upprepas.");
    await refused({ repeat: "weekly", interval: "0", weekday: "3", ends: "count", count: "3" }, "interval", "Ange ett tal från 1 till 12.");
    await refused({ repeat: "weekly", interval: "1", weekday: "3", ends: "never" }, "ends", "Välj hur serien slutar: efter ett antal möten eller på ett datum.");
    await refused({ repeat: "weekly", interval: "1", weekday: "3", ends: "until", until: `${YEAR}-02-03` }, "until", "Regeln ger färre än två möten. Välj ett senare slutdatum eller en annan regel.");
    // 02:30 does not exist on the last Sunday of March.
    await refused({ startTime: "02:30", endTime: "04:00", repeat: "monthlyWeekday", interval: "1", weekday: "7", nth: "-1", ends: "count", count: "3" }, "startTime", "Tiden finns inte på ett av seriens datum (klockan ställs fram till sommartid). Välj en annan tid.");
    // A series needs a time: not with a time poll.
    const poll = await create({ ...base, timing: "poll", repeat: "weekly", interval: "1", weekday: "3", ends: "count", count: "3" });
    expect(poll.status).toBe(400);
    expect(decode(textOf(poll.text))).toContain("En mötesserie behöver en fast tid.");
    // In English for an English reader.
    await refused({ repeat: "weekly", interval: "1", weekday: "3", ends: "count", count: "40" }, "count", "Enter a number of meetings from 2 to 24.", "en");
    expect(await meetingCount()).toBe(meetingsBefore);
    expect(await seriesCount()).toBe(seriesBefore);
  });

  it("members and observers may not make a series; a working group's convener makes one for the group, its member may not", async () => {
    const meetingsBefore = await meetingCount();
    const fields = { title: "Obehörig serie", date: `${YEAR}-04-01`, startTime: "09:00", endTime: "10:00", repeat: "weekly", interval: "1", weekday: "3", ends: "count", count: "3" };
    expect((await create(fields, MEMBER)).status).toBe(403);
    expect((await create(fields, OBSERVER)).status).toBe(403);
    expect(await meetingCount()).toBe(meetingsBefore);
    // The preview is only for the council's people too.
    expect((await get(s.url, "/councils/skaraborg/meetings/series-preview?date=2027-01-01")).status).toBe(302);

    const group = await s.db.selectFrom("working_groups").select("id").where("council_id", "=", councilId).orderBy("created_at").executeTakeFirstOrThrow();
    const groupPost = async (email: string) =>
      postForm(s.url, `/councils/skaraborg/groups/${group.id}`, { intent: "createMeeting", location: "", videoUrl: "", description: "", ...fields, title: "Gruppens serie" }, await cookieFor(email));
    expect((await groupPost(AHMED)).status).toBe(403);
    expect(await meetingCount()).toBe(meetingsBefore);
    const made = await groupPost(MARIA);
    expect(made.status).toBe(302);
    const meetings = await seriesOf(idFrom(made.headers.get("location")));
    expect(meetings).toHaveLength(3);
    expect(meetings.every((m) => m.group_id === group.id && m.status === "draft")).toBe(true);
    expect((await s.db.selectFrom("meeting_series").select("group_id").where("id", "=", meetings[0].series_id!).executeTakeFirstOrThrow()).group_id).toBe(group.id);
  });

  it("the live preview lists the dates the server would make, or why not", async () => {
    const q = new URLSearchParams({ date: `${YEAR}-01-01`, startTime: "09:00", endTime: "11:00", timing: "fixed", repeat: "monthlyWeekday", interval: "2", weekday: "2", nth: "2", ends: "count", count: "3" });
    const res = await get(s.url, `/councils/skaraborg/meetings/series-preview?${q}`, await cookieFor(LEADER));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { dates: { date: string; startsAt: string }[]; error: unknown };
    expect(body.error).toBeNull();
    expect(body.dates.map((d) => d.date)).toEqual([1, 3, 5].map((m) => nthWeekday(YEAR, m, 2, 2)));
    q.set("count", "99");
    const bad = JSON.parse((await get(s.url, `/councils/skaraborg/meetings/series-preview?${q}`, await cookieFor(LEADER))).text);
    expect(bad).toEqual({ dates: [], error: { field: "count", message: "error.seriesCount" } });
  });

  describe("a convened series", () => {
    let meetings: Awaited<ReturnType<typeof seriesOf>>;
    const pathOf = (id: string) => `/councils/skaraborg/meetings/${id}`;
    const TITLE = "Arbetsmöte varannan vecka";

    beforeAll(async () => {
      const res = await create({ title: TITLE, date: `${YEAR}-05-03`, startTime: "10:00", endTime: "12:00", repeat: "weekly", interval: "2", weekday: "2", ends: "count", count: "5", convene: "1" });
      expect(res.status).toBe(302);
      meetings = await seriesOf(idFrom(res.headers.get("location")));
    });

    it("is convened meeting by meeting, each with its own notice", async () => {
      expect(meetings.map((m) => m.status)).toEqual(Array(5).fill("convened"));
      expect(meetings.map((m) => localOf(m.starts_at!).slice(11))).toEqual(Array(5).fill("10:00"));
      for (const m of meetings) expect(await notified("meeting_convened", m.id)).toBeGreaterThan(0);
      expect(await mailsTo(MAILED, new RegExp(`Kallelse: ${TITLE}`))).toHaveLength(5);
      // A member sees the series on the page, without the leader's series actions.
      const page = textOf((await get(s.url, pathOf(meetings[2].id), await cookieFor(MEMBER))).text);
      expect(page).toContain(`Del av serie ${TITLE} – Varannan vecka på tisdag, möte 3 av 5`);
      expect(page).not.toContain("Ändra kommande");
      // The meeting API says which series a meeting is of.
      const api = await get(s.url, `/api/v1/councils/skaraborg/meetings/${meetings[2].id}`, await cookieFor(MEMBER));
      expect(JSON.parse(api.text)).toMatchObject({ id: meetings[2].id, seriesId: meetings[0].series_id });
      expect((await postForm(s.url, pathOf(meetings[2].id), { intent: "seriesCancel", reason: "Nej" }, await cookieFor(MEMBER))).status).toBe(403);
      expect((await postForm(s.url, pathOf(meetings[2].id), { intent: "seriesUpdate", startTime: "08:00", endTime: "09:00" }, await cookieFor(OBSERVER))).status).toBe(403);
    });

    it("editing one occurrence leaves the others as they were", async () => {
      const before = await seriesOf(meetings[0].id);
      const third = before[2];
      const date = localOf(third.starts_at!).slice(0, 10);
      const res = await postForm(
        s.url,
        pathOf(third.id),
        { intent: "update", title: `${TITLE} (extra långt)`, date, startTime: "09:00", endTime: "13:00", location: "Annat rum", videoUrl: "", description: "" },
        await cookieFor(LEADER),
      );
      expect(res.status).toBe(200);
      const after = await seriesOf(meetings[0].id);
      expect(after[2]).toMatchObject({ title: `${TITLE} (extra långt)`, location: "Annat rum", starts_at: utcOf(date, "09:00"), sequence: third.sequence + 1, series_id: third.series_id });
      for (const i of [0, 1, 3, 4]) expect(after[i]).toEqual(before[i]);
    });

    it("'ändra kommande' moves only the meetings to come, each with the usual notice and calendar update", async () => {
      // The first has been held (its time moved into the past by hand), the fourth was cancelled on its own.
      const held = { starts_at: DateTime.now().minus({ days: 7 }).toUTC().toISO()!, ends_at: DateTime.now().minus({ days: 7, hours: -2 }).toUTC().toISO()! };
      await s.db.updateTable("meetings").set(held).where("id", "=", meetings[0].id).execute();
      expect((await postForm(s.url, pathOf(meetings[3].id), { intent: "cancel", reason: "Krockar med annat." }, await cookieFor(LEADER))).status).toBe(200);
      const before = await seriesOf(meetings[0].id);
      const movedBefore = await mailsTo(MAILED, new RegExp(`Ändrad tid: ${TITLE}`));

      // Missing end time: refused per field, nothing changed.
      const bad = await postForm(s.url, pathOf(meetings[1].id), { intent: "seriesUpdate", startTime: "13:00", endTime: "12:00", location: "", videoUrl: "" }, await cookieFor(LEADER));
      expect(bad.status).toBe(400);
      expect(fieldError(bad.text, "series-endTime")).toBe("Sluttiden måste vara efter starttiden.");
      expect(await seriesOf(meetings[0].id)).toEqual(before);

      const res = await postForm(s.url, pathOf(meetings[1].id), { intent: "seriesUpdate", startTime: "13:00", endTime: "15:00", location: "Nya rummet", videoUrl: "https://meet.example.se/serie" }, await cookieFor(LEADER));
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Seriens kommande möten är ändrade: 3.");
      const after = await seriesOf(meetings[0].id);
      const byId = new Map(after.map((m) => [m.id, m]));
      // Held and cancelled: untouched.
      expect(byId.get(meetings[0].id)).toEqual(before.find((m) => m.id === meetings[0].id));
      expect(byId.get(meetings[3].id)).toEqual(before.find((m) => m.id === meetings[3].id));
      // The others: 13:00–15:00 on their own dates, the new place, SEQUENCE + 1, a notice each.
      for (const id of [meetings[1].id, meetings[2].id, meetings[4].id]) {
        const was = before.find((m) => m.id === id)!;
        const now = byId.get(id)!;
        const date = localOf(was.starts_at!).slice(0, 10);
        expect(now).toMatchObject({ starts_at: utcOf(date, "13:00"), ends_at: utcOf(date, "15:00"), location: "Nya rummet", video_url: "https://meet.example.se/serie", status: "convened", sequence: was.sequence + 1 });
        expect(await notified("meeting_moved", id)).toBeGreaterThan(0);
      }
      expect(await notified("meeting_moved", meetings[0].id)).toBe(0);
      expect(await notified("meeting_moved", meetings[3].id)).toBe(0);
      expect((await mailsTo(MAILED, new RegExp(`Ändrad tid: ${TITLE}`))).length - movedBefore.length).toBe(3);
      const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "meeting_series.changed").where("subject", "=", meetings[0].series_id!).executeTakeFirstOrThrow();
      expect(JSON.parse(audit.after_json!)).toMatchObject({ startTime: "13:00", endTime: "15:00", location: "Nya rummet" });
      expect(JSON.parse(audit.after_json!).meetings.sort()).toEqual([meetings[1].id, meetings[2].id, meetings[4].id].sort());
    });

    it("'ställ in resten av serien' cancels the meetings to come, each with its cancellation", async () => {
      const empty = await postForm(s.url, pathOf(meetings[4].id), { intent: "seriesCancel", reason: "" }, await cookieFor(LEADER));
      expect(empty.status).toBe(400);
      expect(fieldError(empty.text, "series-reason")).toBe("Fyll i fältet.");

      const res = await postForm(s.url, pathOf(meetings[4].id), { intent: "seriesCancel", reason: "Rådet byter mötesform." }, await cookieFor(LEADER));
      expect(res.status).toBe(200);
      expect(textOf(res.text)).toContain("Seriens kommande möten är inställda: 3.");
      const after = new Map((await seriesOf(meetings[0].id)).map((m) => [m.id, m]));
      expect(after.get(meetings[0].id)!.status).toBe("convened"); // held: stays
      expect(after.get(meetings[3].id)!.cancel_reason).toBe("Krockar med annat."); // cancelled before: its own reason
      for (const id of [meetings[1].id, meetings[2].id, meetings[4].id]) {
        expect(after.get(id)).toMatchObject({ status: "cancelled", cancel_reason: "Rådet byter mötesform." });
        expect(await notified("meeting_cancelled", id)).toBeGreaterThan(0);
      }
      expect(await mailsTo(MAILED, new RegExp(`Inställt: ${TITLE}`))).toHaveLength(4);
      expect(await s.db.selectFrom("audit_log").select("id").where("action", "=", "meeting_series.cancelled").where("subject", "=", meetings[0].series_id!).execute()).toHaveLength(1);
      // Nothing left to come: the actions are gone from the page and refused if posted.
      const page = textOf((await get(s.url, pathOf(meetings[0].id), await cookieFor(LEADER))).text);
      expect(page).not.toContain("Ställ in resten av serien");
      const again = await postForm(s.url, pathOf(meetings[0].id), { intent: "seriesCancel", reason: "Igen." }, await cookieFor(LEADER));
      expect(again.status).toBe(409);
      expect(textOf(again.text)).toContain("Serien har inga kommande möten kvar att ändra.");
    });

    it("a single meeting has no series actions", async () => {
      const single = await create({ title: "Ensamt möte", date: `${YEAR}-06-01`, startTime: "09:00", endTime: "10:00" });
      expect(single.status).toBe(302);
      const id = idFrom(single.headers.get("location"));
      expect((await s.db.selectFrom("meetings").select("series_id").where("id", "=", id).executeTakeFirstOrThrow()).series_id).toBeNull();
      const res = await postForm(s.url, pathOf(id), { intent: "seriesCancel", reason: "x" }, await cookieFor(LEADER));
      expect(res.status).toBe(409);
      expect(textOf(res.text)).toContain("Mötet ingår inte i någon serie.");
    });
  });
});
