// The time poll as a leader runs it (issue #13, decision 027), through real HTTP forms:
// a draft without an invented time, the slot picker's rules, answers, choosing a slot
// (which does not convene), convening as the next step, and the refusals.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { recipients } from "../helpers/notifications";
import { startTestServer, type TestServer } from "../helpers/server";

describe("time poll: draft without a time, choose, then convene", { timeout: 60_000 }, () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const day = (n: number) => DateTime.now().setZone(ZONE).plus({ days: n }).toISODate()!;
  const row = (id: string) => s.db.selectFrom("meetings").selectAll().where("id", "=", id).executeTakeFirstOrThrow();
  const slots = (id: string) =>
    s.db.selectFrom("poll_slots as ps").innerJoin("polls as p", "p.id", "ps.poll_id").select(["ps.id", "ps.starts_at", "ps.ends_at"]).where("p.meeting_id", "=", id).orderBy("ps.position").execute();
  const post = (path: string, form: Record<string, string>, who = "processledare") => postForm(s.url, path, form, c[who]);

  beforeAll(async () => {
    s = await startTestServer();
    for (const who of ["processledare", "ledamot", "observator", "maria.andersson"]) c[who] = await login(s.url, `${who}@samsyn.test`);
  });
  afterAll(() => s.close());

  /** A meeting created with "find a time with a time poll": no date or times are sent. */
  async function pollDraft(title: string): Promise<string> {
    const res = await post("/councils/skaraborg/meetings", { intent: "create", title, timing: "poll", date: "", startTime: "", endTime: "", location: "Skövde" });
    expect(res.status).toBe(302);
    const location = res.headers.get("location")!;
    expect(location).toMatch(/#newpoll-h$/);
    return new URL(location, s.url).pathname;
  }
  const idOf = (path: string) => path.split("/").pop()!;

  it("a meeting to be scheduled by a time poll is created without a time, and every page copes", async () => {
    const path = await pollDraft("Tidlöst arbetsmöte");
    const m = await row(idOf(path));
    expect([m.status, m.starts_at, m.ends_at]).toEqual(["draft", null, null]);
    // Date fields typed before choosing the poll are ignored, not half-used.
    const ignored = await post("/councils/skaraborg/meetings", { intent: "create", title: "Tidlöst med kvarglömt datum", timing: "poll", date: day(3), startTime: "", endTime: "" });
    expect(ignored.status).toBe(302);
    expect((await row(idOf(new URL(ignored.headers.get("location")!, s.url).pathname))).starts_at).toBeNull();
    // Without the poll the time is still required.
    const fixed = await post("/councils/skaraborg/meetings", { intent: "create", title: "Utan tid", date: "", startTime: "", endTime: "" });
    expect(fixed.status).toBe(400);

    const page = await get(s.url, path, c.processledare);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Tiden är inte bestämd ännu");
    expect(page.text).toContain("Hitta en tid med en tidsomröstning");
    for (const p of ["/councils/skaraborg/meetings", "/", "/councils/skaraborg"]) expect((await get(s.url, p, c.processledare)).status).toBe(200);
    const api = await get(s.url, "/api/v1/councils/skaraborg/meetings", c.processledare);
    expect(api.status).toBe(200);
    expect(JSON.parse(api.text).find((x: { title: string }) => x.title === "Tidlöst arbetsmöte")).toMatchObject({ start: null, end: null });
    // Its title can be edited without inventing a time.
    const edit = await post(path, { intent: "update", title: "Tidlöst arbetsmöte (nytt namn)", date: "", startTime: "", endTime: "", location: "Skövde" });
    expect(edit.status).toBe(200);
    expect((await row(idOf(path))).title).toBe("Tidlöst arbetsmöte (nytt namn)");
    // It cannot be convened without a time.
    const convene = await post(path, { intent: "convene" });
    expect(convene.status).toBe(409);
    expect(convene.text).toContain("Mötet har ingen tid ännu.");
    expect((await row(idOf(path))).status).toBe("draft");
    // Cancelled before it had a time: in no calendar, and the lists still render.
    const cancelled = await pollDraft("Tidlöst och inställt");
    expect((await post(cancelled, { intent: "cancel", reason: "Behövs inte" })).status).toBe(200);
    expect((await get(s.url, "/councils/skaraborg/meetings", c.ledamot)).status).toBe(200);
    expect((await get(s.url, `${cancelled}/calendar.ics`, c.ledamot)).text).not.toContain("BEGIN:VEVENT");
  });

  it("the slot picker refuses bad slots with Swedish messages and writes nothing", async () => {
    const path = await pollDraft("Möte med felaktiga förslag");
    const refuse = async (form: Record<string, string>, message: string) => {
      const res = await post(path, { intent: "createPoll", duration: "120", deadlineDate: day(5), ...form });
      expect(res.status).toBe(400);
      expect(res.text).toContain(message);
    };
    await refuse({ slot0Date: day(-1), slot0Start: "09:00" }, "Mötet kan inte börja i det förflutna.");
    await refuse({ slot0Date: day(20), slot0Start: "09:00", slot1Date: day(20), slot1Start: "09:00" }, "Samma tid finns redan bland förslagen.");
    await refuse({ slot0Date: day(20), slot0Start: "11:00", slot0End: "10:00" }, "Sluttiden måste vara efter starttiden.");
    await refuse({ slot0Date: day(20), slot0Start: "9" }, "Ange datum, starttid och sluttid för tidsförslaget.");
    await refuse({}, "Föreslå minst en tid.");
    await refuse({ slot0Date: day(20), slot0Start: "09:00", duration: "7" }, "Välj mötets längd i listan.");
    await refuse({ slot10Date: day(20), slot10Start: "09:00" }, "Du kan föreslå högst 10 tider.");
    await refuse({ slot0Date: day(20), slot0Start: "09:00", deadlineDate: day(-1) }, "Sista svarsdag kan inte ha passerat.");
    expect(await slots(idOf(path))).toEqual([]);
  });

  let path: string;
  let id: string;
  it("the picker's rows (date + start, one length) become slots; members answer in the grid", async () => {
    path = await pollDraft("Arbetsmöte om validering");
    id = idOf(path);
    const res = await post(path, {
      intent: "createPoll",
      duration: "90",
      slot0Date: day(20),
      slot0Start: "09:00",
      slot1Date: day(21),
      slot1Start: "13:00",
      slot2Date: "",
      slot2Start: "",
      slot3Date: day(22),
      slot3Start: "10:00",
      deadlineDate: day(10),
    });
    expect(res.status).toBe(200);
    const made = await slots(id);
    expect(made.length).toBe(3);
    for (const sl of made) expect(Date.parse(sl.ends_at) - Date.parse(sl.starts_at)).toBe(90 * 60_000);
    expect(DateTime.fromISO(made[1].starts_at).setZone(ZONE).toFormat("yyyy-MM-dd HH:mm")).toBe(`${day(21)} 13:00`);

    // The member's own row in the grid holds the radio groups, named by slot.
    const page = await get(s.url, path, c.ledamot);
    expect(page.text).toContain('name="answer-' + made[0].id + '"');
    expect(page.text).toContain("Ditt svar för");
    // An observer sees the grid, read-only.
    const observer = await get(s.url, path, c.observator);
    expect(observer.text).toContain("Svar per person och tid");
    expect(observer.text).not.toContain('name="answer-');

    const answer = async (who: string, a: string[]) =>
      (await post(path, { intent: "answerPoll", ...Object.fromEntries(made.map((sl, i) => [`answer-${sl.id}`, a[i]])) }, who)).status;
    expect(await answer("ledamot", ["yes", "no", "if_need_be"])).toBe(200);
    expect(await answer("maria.andersson", ["no", "no", "yes"])).toBe(200);
    expect(await answer("observator", ["yes", "yes", "yes"])).toBe(403);
    const grid = await get(s.url, path, c.processledare);
    // Others' answers are words (with an icon), never colour alone.
    const mariaRow = /<tr[^>]*>(?:(?!<\/tr>)[\s\S])*Maria Andersson(?:(?!<\/tr>)[\s\S])*<\/tr>/.exec(grid.text)?.[0] ?? "";
    expect(mariaRow.replace(/<[^>]+>/g, " ").replace(/\s+/g, " ")).toMatch(/Nej Nej Ja/);
  });

  it("choosing a slot sets the time and closes the poll but does not convene; nobody is notified", async () => {
    const made = await slots(id);
    const byMember = await post(path, { intent: "chooseSlot", slotId: made[2].id }, "ledamot");
    expect(byMember.status).toBe(403);
    // Convening while the poll is open is refused: choose first.
    const early = await post(path, { intent: "convene" });
    expect(early.status).toBe(409);
    expect(early.text).toContain("Tidsomröstningen är öppen. Välj en tid i den först.");

    const chosen = await post(path, { intent: "chooseSlot", slotId: made[2].id });
    expect(chosen.status).toBe(200);
    expect(chosen.text).toContain("Tiden är vald. Mötet är inte kallat ännu");
    const m = await row(id);
    expect([m.status, m.starts_at, m.ends_at, m.convened_at]).toEqual(["draft", made[2].starts_at, made[2].ends_at, null]);
    const poll = await s.db.selectFrom("polls").selectAll().where("meeting_id", "=", id).executeTakeFirstOrThrow();
    expect([poll.status, poll.chosen_slot_id]).toEqual(["closed", made[2].id]);
    expect(await recipients(s.db, "meeting_convened", "Arbetsmöte om validering")).toEqual([]);
    // The next step, with who will be called, is on the page.
    expect(chosen.text).toContain("Nästa steg: kalla till mötet");
    expect(chosen.text).toContain("Kallelsen går till dessa personer");
    expect(chosen.text).toContain("Anders Johansson");
    // A second choice is refused: the poll is closed.
    expect((await post(path, { intent: "chooseSlot", slotId: made[0].id })).status).toBe(409);
  });

  it("convening after choosing calls the council at the chosen time; then choosing and convening are refused", async () => {
    const byMember = await post(path, { intent: "convene" }, "ledamot");
    expect(byMember.status).toBe(403);
    const res = await post(path, { intent: "convene" });
    expect(res.status).toBe(200);
    const m = await row(id);
    expect(m.status).toBe("convened");
    const called = await recipients(s.db, "meeting_convened", "Arbetsmöte om validering");
    expect(called).toContain("ledamot@samsyn.test");
    expect(called).not.toContain("processledare@samsyn.test");
    const again = await post(path, { intent: "convene" });
    expect(again.status).toBe(409);
    const [first] = await slots(id);
    expect((await post(path, { intent: "chooseSlot", slotId: first.id })).status).toBe(409);
  });

  it("refuses choosing for a cancelled meeting and a slot that has begun; refuses convening a past time", async () => {
    // Cancelled: choose is refused as such.
    const cancelledPath = await pollDraft("Inställt tidsmöte");
    await post(cancelledPath, { intent: "createPoll", duration: "60", slot0Date: day(30), slot0Start: "09:00", deadlineDate: day(10) });
    const [cs] = await slots(idOf(cancelledPath));
    expect((await post(cancelledPath, { intent: "cancel", reason: "Ingen tid passar" })).status).toBe(200);
    const refused = await post(cancelledPath, { intent: "chooseSlot", slotId: cs.id });
    expect(refused.status).toBe(409);
    expect(refused.text).toContain("Mötet är redan inställt.");
    expect((await post(cancelledPath, { intent: "convene" })).status).toBe(409);

    // A slot that has already begun cannot be chosen.
    const pastPath = await pollDraft("Tidsmöte som hann passera");
    await post(pastPath, { intent: "createPoll", duration: "60", slot0Date: day(30), slot0Start: "09:00", slot1Date: day(31), slot1Start: "09:00", deadlineDate: day(10) });
    const [p0, p1] = await slots(idOf(pastPath));
    const hourAgo = new Date(Date.now() - 3600_000).toISOString();
    await s.db.updateTable("poll_slots").set({ starts_at: hourAgo, ends_at: new Date(Date.now() + 3600_000).toISOString() }).where("id", "=", p0.id).execute();
    const late = await post(pastPath, { intent: "chooseSlot", slotId: p0.id });
    expect(late.status).toBe(409);
    expect(late.text).toContain("Den tiden har redan passerat.");
    expect((await row(idOf(pastPath))).starts_at).toBeNull();
    // Chosen in time, but the time passed before convening: refused.
    expect((await post(pastPath, { intent: "chooseSlot", slotId: p1.id })).status).toBe(200);
    await s.db.updateTable("meetings").set({ starts_at: hourAgo }).where("id", "=", idOf(pastPath)).execute();
    const stale = await post(pastPath, { intent: "convene" });
    expect(stale.status).toBe(409);
    expect(stale.text).toContain("Mötets tid har redan passerat.");
    expect((await row(idOf(pastPath))).status).toBe("draft");
  });
});
