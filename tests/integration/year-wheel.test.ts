// The annual wheel (årshjul, issue #17) over real HTTP on the seeded demo year: the
// council's meetings, its groups' meetings, the follow-up rounds a week before each
// convened council meeting, the plan's action due dates, each linked to its page and
// shown to whom its page is shown (a leader's draft is not on the observer's wheel).
import ICAL from "ical.js";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

describe("the annual wheel", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const year = Number(DateTime.now().setZone("Europe/Stockholm").toFormat("yyyy"));
  const page = async (who: string, y = year, slug = "skaraborg") => get(s.url, `/councils/${slug}/year/${y}`, cookies[who]);
  /** The list under the wheel: one text per entry. */
  const rows = (html: string) => [...decode(html).matchAll(/<ul class="year-entries">([\s\S]*?)<\/ul>/g)].flatMap((m) => [...m[1].matchAll(/<li>([\s\S]*?)<\/li>/g)].map((li) => textOf(li[1])));

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

  it("lists the year's council meetings, group meetings, follow-up rounds and action due dates, linked, month by month", async () => {
    const res = await page("member");
    expect(res.status).toBe(200);
    const html = decode(res.text);
    expect(html).toMatch(/<svg class="wheel"[^>]*role="img"/);
    const list = rows(res.text);
    expect(list.length).toBeGreaterThan(5);

    const council = await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    const convened = await s.db
      .selectFrom("meetings")
      .select(["id", "title", "starts_at"])
      .where("council_id", "=", council.id)
      .where("status", "=", "convened")
      .where("group_id", "is", null)
      .where("starts_at", ">=", `${year}-01-15`)
      .where("starts_at", "<", `${year}-12-20`)
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const meetingDay = DateTime.fromISO(convened.starts_at!, { zone: "utc" }).setZone("Europe/Stockholm");
    const dayText = (d: DateTime) => `${d.day} ${d.setLocale("sv").toFormat("MMMM")} ${d.year}`;
    expect(list).toContain(`${dayText(meetingDay)} Rådsmöte: ${convened.title}`);
    expect(list).toContain(`${dayText(meetingDay.minus({ days: 7 }))} Uppföljning: Rapportera uppföljning inför ”${convened.title}”`);
    expect(html).toContain(`href="/councils/skaraborg/meetings/${convened.id}"`);
    expect(html).toContain(`href="/councils/skaraborg/plans/${year}/dashboard"`);

    const groupMeeting = await s.db.selectFrom("meetings").select(["title", "starts_at"]).where("council_id", "=", council.id).where("group_id", "is not", null).where("status", "=", "convened").executeTakeFirst();
    if (groupMeeting?.starts_at?.startsWith(String(year))) expect(list.some((r) => r.includes(`Arbetsgruppsmöte: ${groupMeeting.title}`))).toBe(true);

    const due = await s.db
      .selectFrom("plan_actions as a")
      .innerJoin("plans as p", "p.id", "a.plan_id")
      .select(["a.id", "a.title", "a.due_date"])
      .where("p.council_id", "=", council.id)
      .where("p.year", "=", year)
      .where("a.due_date", "is not", null)
      .executeTakeFirstOrThrow();
    expect(list).toContain(`${dayText(DateTime.fromISO(due.due_date!))} Åtgärd klar senast: ${due.title}`);
    expect(html).toContain(`href="/councils/skaraborg/plans/${year}/actions/${due.id}"`);

    // In date order.
    const months = [...html.matchAll(/<h2 id="month-(\d+)"/g)].map((m) => Number(m[1]));
    expect(months).toEqual([...months].sort((a, b) => a - b));
  });

  it("a leader's draft meeting is on the leader's wheel, not on the member's or the observer's", async () => {
    const title = "Planeringsdag (utkast)";
    await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title, date: `${year}-12-10`, startTime: "09:00", endTime: "12:00", location: "", videoUrl: "", description: "" }, cookies.leader);
    expect(rows((await page("leader")).text).some((r) => r.includes(title))).toBe(true);
    expect(rows((await page("member")).text).some((r) => r.includes(title))).toBe(false);
    expect(rows((await page("observer")).text).some((r) => r.includes(title))).toBe(false);
  });

  it("an empty year says so; a bad year or another council is 404", async () => {
    const empty = await page("member", 2090);
    expect(empty.status).toBe(200);
    expect(textOf(empty.text)).toContain("Inget är planerat det här året ännu.");
    expect((await page("member", 20261)).status).toBe(404);
    expect((await get(s.url, "/councils/skaraborg/year/abcd", cookies.member)).status).toBe(404);
    expect((await page("fyrbodal")).status).toBe(404);
  });

  describe("the council's own yearly events", () => {
    const post = (fields: Record<string, string>, who = "leader") => postForm(s.url, `/councils/skaraborg/year/${year}`, fields, cookies[who]);

    it("the leader adds one; it is on everyone's wheel every year, with the last day of a short month", async () => {
      const added = await post({ intent: "saveEvent", title: "Uppföljning till regionen", month: "4", day: "31" });
      expect(added.status).toBe(200);
      expect(textOf(added.text)).toContain("Händelsen är sparad.");
      for (const y of [year, year + 1]) {
        const list = rows((await page("observer", y)).text);
        expect(list, String(y)).toContain(`30 april ${y} Rådets återkommande händelse: Uppföljning till regionen`);
      }
      const ev = await s.db.selectFrom("year_events").selectAll().where("title", "=", "Uppföljning till regionen").executeTakeFirstOrThrow();
      expect(ev).toMatchObject({ month: 4, day: 31 });
      const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "year_event.created").where("subject", "=", ev.id).execute();
      expect(audit).toHaveLength(1);

      // Changed, then removed after the leader confirms; each audited.
      expect((await post({ intent: "saveEvent", id: ev.id, title: "Budgetdialog", month: "3", day: "12" })).status).toBe(200);
      expect(rows((await page("member")).text)).toContain(`12 mars ${year} Rådets återkommande händelse: Budgetdialog`);
      expect((await post({ intent: "deleteEvent", id: ev.id })).status).toBe(200);
      expect(rows((await page("member")).text).some((r) => r.includes("Budgetdialog"))).toBe(false);
      const actions = (await s.db.selectFrom("audit_log").select("action").where("subject", "=", ev.id).execute()).map((a) => a.action).sort();
      expect(actions).toEqual(["year_event.changed", "year_event.created", "year_event.deleted"]);
    });

    it("refuses a bad month, day or empty title with 400; members and observers get 403; another council's event is 404", async () => {
      const before = Number((await s.db.selectFrom("year_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      for (const bad of [{ title: "X", month: "13", day: "1" }, { title: "X", month: "2", day: "0" }, { title: " ", month: "2", day: "2" }, { title: "X", month: "feb", day: "2" }]) {
        const res = await post({ intent: "saveEvent", ...bad });
        expect(res.status, JSON.stringify(bad)).toBe(400);
      }
      expect(textOf((await post({ intent: "saveEvent", title: "X", month: "2", day: "32" })).text)).toContain("Skriv en dag mellan 1 och 31.");
      expect((await post({ intent: "saveEvent", title: "Smyg", month: "2", day: "2" }, "member")).status).toBe(403);
      expect((await post({ intent: "saveEvent", title: "Smyg", month: "2", day: "2" }, "observer")).status).toBe(403);
      expect(Number((await s.db.selectFrom("year_events").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n)).toBe(before);

      const fyrbodal = await s.db.selectFrom("councils").select("id").where("slug", "=", "fyrbodal").executeTakeFirstOrThrow();
      const theirs = await s.db.insertInto("year_events").values({ id: "0b7f3e9a-1c2d-4e5f-8a9b-0c1d2e3f4a5b", council_id: fyrbodal.id, title: "Deras", month: 5, day: 5, created_at: new Date().toISOString(), updated_at: new Date().toISOString() }).returning("id").executeTakeFirstOrThrow();
      expect((await post({ intent: "deleteEvent", id: theirs.id })).status).toBe(404);
      expect((await post({ intent: "saveEvent", id: theirs.id, title: "Kapad", month: "5", day: "5" })).status).toBe(404);
      expect((await s.db.selectFrom("year_events").select("title").where("id", "=", theirs.id).executeTakeFirstOrThrow()).title).toBe("Deras");
      // Not on Skaraborg's wheel.
      expect(rows((await page("member")).text).some((r) => r.includes("Deras"))).toBe(false);
    });
  });

  it("in the calendar feed only where the person chose it: all-day entries that an independent parser reads as dates", async () => {
    const rotated = await postForm(s.url, "/settings", { intent: "rotate" }, cookies.member);
    const feedPath = new URL(decode(rotated.text).match(/id="feed-link"[^>]*value="([^"]+)"/)![1]).pathname;
    const vevents = async () => {
      const res = await get(s.url, feedPath);
      expect(res.status).toBe(200);
      return new ICAL.Component(ICAL.parse(res.text)).getAllSubcomponents("vevent").map((v) => new ICAL.Event(v));
    };
    const before = await vevents();
    expect(before.every((e) => !e.startDate.isDate)).toBe(true);

    await postForm(s.url, `/councils/skaraborg/year/${year}`, { intent: "saveEvent", title: "Uppföljning till regionen", month: "10", day: "15" }, cookies.leader);
    const saved = await postForm(s.url, "/settings", { intent: "feedYear", yearEvents: "1" }, cookies.member);
    expect(textOf(saved.text)).toContain("Valet är sparat.");
    const after = await vevents();
    const days = after.filter((e) => e.startDate.isDate);
    expect(after.length - before.length).toBe(days.length);
    const own = days.filter((e) => e.summary === "Rådets återkommande händelse: Uppföljning till regionen (Kompetensråd Skaraborg)");
    expect(own.map((e) => e.startDate.toString()).sort()).toEqual([`${year}-10-15`, `${year + 1}-10-15`]);
    expect(days.some((e) => e.summary.startsWith("Rapportera uppföljning inför"))).toBe(true);
    expect(days.some((e) => e.summary.startsWith("Åtgärd klar senast: "))).toBe(true);
    expect(new Set(days.map((e) => e.uid)).size).toBe(days.length);

    // Turned off again (the box not ticked): the dates leave the feed.
    await postForm(s.url, "/settings", { intent: "feedYear" }, cookies.member);
    expect((await vevents()).filter((e) => e.startDate.isDate)).toEqual([]);
  });
});
