// Meetings in real browsers (Debian's Chromium via playwright-core) against a real
// server: a member's time-poll answers reach the leader's open page live (socket.io →
// revalidation, no reload); axe-core WCAG 2.1 A/AA checks on the meetings list, a
// convened meeting with agenda and RSVP, and the poll, as member and as leader; the
// leader adds an agenda item with the keyboard only; no CSP violations, no page errors.
import { DateTime } from "luxon";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, focusedElement, launchBrowser, loginViaUi, openPage, socketReady, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test"; // Anders Johansson
const MEMBER_NAME = "Anders Johansson";
const POLL_MEETING = "Arbetsmöte om validering";
const CONVENED_MEETING = "Rådsmöte: revidering av handlingsplanen";
/** expect.poll waits 1 s by default: too short for a browser on a busy, shared machine. */
const POLL = { timeout: 20_000, interval: 200 };

describe("meetings in the browser", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];
  /** Console errors a test provokes on purpose (Chromium logs every 4xx response), one pattern per expected message. */
  let expectedConsoleErrors: RegExp[] = [];
  let pollPath: string;
  let convenedPath: string;
  let convenedId: string;

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const meetingId = async (title: string) => (await s.db.selectFrom("meetings").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
    pollPath = `/councils/skaraborg/meetings/${await meetingId(POLL_MEETING)}`;
    convenedId = await meetingId(CONVENED_MEETING);
    convenedPath = `/councils/skaraborg/meetings/${convenedId}`;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  afterEach(async () => {
    const [done, expected] = [logs, expectedConsoleErrors];
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    logs = [];
    expectedConsoleErrors = [];
    expectCleanPages(done, expected);
  });

  /** A fresh browser context, signed in through the login form. */
  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;

  it("a member's poll answers show up on the leader's open page without a reload", async () => {
    // Start from a member who has not answered yet (the demo data has Anders answering every slot).
    const anders = await userId(MEMBER);
    const poll = await s.db.selectFrom("polls").select("id").where("meeting_id", "=", pollPath.split("/").pop()!).executeTakeFirstOrThrow();
    const slots = await s.db.selectFrom("poll_slots").select("id").where("poll_id", "=", poll.id).orderBy("position").execute();
    expect(slots.length).toBeGreaterThanOrEqual(2);
    await s.db.deleteFrom("poll_answers").where("user_id", "=", anders).where("slot_id", "in", slots.map((x) => x.id)).execute();

    // The leader's page, connected live.
    const leader = await signedIn(LEADER);
    const live = socketReady(leader);
    await leader.goto(s.url + pollPath);
    await leader.getByRole("heading", { level: 1, name: POLL_MEETING }).waitFor();
    await leader.getByRole("heading", { level: 2, name: "Tidsomröstning" }).waitFor();
    await live;
    // A marker that a reload or a navigation would wipe out.
    await leader.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));

    const notAnswered = leader.locator("p", { hasText: "Har inte svarat" });
    expect(await notAnswered.textContent()).toContain(MEMBER_NAME);
    // The grid: a column per slot, its total in the footer (decision 027).
    const totals = leader.locator(".poll-grid tfoot td");
    expect(await totals.count()).toBe(slots.length);
    /** The leader's visible tally: per slot, [yes, if need be, no]. */
    const tally = async () =>
      Promise.all(
        Array.from({ length: slots.length }, async (_, i) => (await totals.nth(i).locator(".poll-count").allTextContents()).map(Number)),
      );
    const before = await tally();

    // The member answers: yes to the first slot, no to the second, "if need be" to any others.
    const member = await signedIn(MEMBER);
    await member.goto(s.url + pollPath);
    const form = member.locator("form.poll-answer");
    // The member answers in their own row of the grid: a radio group per slot.
    await form.getByRole("table", { name: /Svar per person och tid/ }).waitFor();
    const groups = form.getByRole("group");
    expect(await groups.count()).toBe(slots.length);
    const chosen = slots.map((_, i) => (i === 0 ? "Ja" : i === 1 ? "Nej" : "Om det behövs"));
    for (const [i, label] of chosen.entries()) {
      const radio = groups.nth(i).getByRole("radio", { name: label, exact: true });
      await radio.check();
      expect(await radio.isChecked()).toBe(true);
    }
    await form.getByRole("button", { name: "Spara mina svar" }).click();
    await member.getByText("Dina svar är sparade.").waitFor();

    // The leader's page follows: the member leaves "Har inte svarat" and the counts move by one.
    await expect.poll(async () => (await notAnswered.textContent()) ?? "", POLL).not.toContain(MEMBER_NAME);
    const expected = before.map(([yes, maybe, no], i) => {
      const a = chosen[i];
      return [yes + (a === "Ja" ? 1 : 0), maybe + (a === "Om det behövs" ? 1 : 0), no + (a === "Nej" ? 1 : 0)];
    });
    await expect.poll(tally, POLL).toEqual(expected);
    expect(await leader.locator(".poll-grid tbody tr", { hasText: MEMBER_NAME }).locator("td").first().textContent()).toContain("Ja");
    expect(await leader.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);

    // What the leader sees is what was stored.
    const stored = await s.db.selectFrom("poll_answers").select(["slot_id", "answer"]).where("user_id", "=", anders).execute();
    const byLabel = { Ja: "yes", Nej: "no", "Om det behövs": "if_need_be" } as const;
    expect(Object.fromEntries(stored.map((r) => [r.slot_id, r.answer]))).toEqual(
      Object.fromEntries(slots.map((x, i) => [x.id, byLabel[chosen[i] as keyof typeof byLabel]])),
    );
  });

  for (const [who, email] of [
    ["member", MEMBER],
    ["leader", LEADER],
  ] as const) {
    it(`axe-core finds no WCAG 2.1 A/AA violations on the meetings pages (as ${who})`, async () => {
      const page = await signedIn(email);

      await page.goto(`${s.url}/councils/skaraborg/meetings`);
      await page.getByRole("heading", { level: 1, name: "Möten" }).waitFor();
      // In the meeting's own month it is linked from the calendar too: either will do.
      await page.getByRole("link", { name: CONVENED_MEETING }).first().waitFor();
      await expectNoAxeViolations(page, `the meetings list (${who})`);

      await page.goto(s.url + convenedPath);
      await page.getByRole("heading", { level: 1, name: CONVENED_MEETING }).waitFor();
      await page.getByRole("heading", { level: 2, name: "Dagordning" }).waitFor();
      await page.getByRole("heading", { level: 2, name: "Kommer du?" }).waitFor();
      expect(await page.locator(".agenda-list .agenda-item").count()).toBeGreaterThan(0);
      await expectNoAxeViolations(page, `a convened meeting with agenda and RSVP (${who})`);

      await page.goto(s.url + pollPath);
      await page.getByRole("heading", { level: 1, name: POLL_MEETING }).waitFor();
      await page.getByRole("heading", { level: 2, name: "Tidsomröstning" }).waitFor();
      await page.getByRole("button", { name: "Spara mina svar" }).waitFor();
      await expectNoAxeViolations(page, `the time poll (${who})`);
    });
  }

  it("the leader adds an agenda item with the keyboard only, and it appears with its clock time", async () => {
    const page = await signedIn(LEADER);
    await page.goto(s.url + convenedPath);
    await page.getByRole("heading", { level: 1, name: CONVENED_MEETING }).waitFor();
    const title = "Rapport från arbetsgruppen för validering";

    // Tab from the top of the page to the form's first field.
    let steps = 0;
    while ((await focusedElement(page)) !== "#agenda-title") {
      expect(steps++, "the agenda form's title field is not reachable with Tab").toBeLessThan(250);
      await page.keyboard.press("Tab");
    }
    // Enter with the title still empty: one error summary takes focus and links back to the field.
    // (Chromium logs the refused post's 400 on the console: that one is expected.)
    const here = (s.url + convenedPath).replace(/[.?]/g, "\\$&");
    expectedConsoleErrors.push(new RegExp(`status of 400 \\(Bad Request\\) \\[page ${here}, source ${here}(\\.data)?:`));
    await page.keyboard.press("Enter");
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Det finns problem i formuläret" }) });
    await summary.waitFor({ timeout: POLL.timeout });
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    expect(await summary.count()).toBe(1);
    expect(await page.locator("#agenda-title").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(page, "the agenda form with the error summary");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Punkt: Fyll i fältet.");
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedElement(page), POLL).toBe("#agenda-title");
    expect(await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", convenedId).where("title", "=", "").execute()).toEqual([]);

    await page.keyboard.type(title);
    await page.keyboard.press("Tab");
    expect(await focusedElement(page)).toBe("#agenda-kind");
    await page.keyboard.type("Beslut"); // type-ahead in the closed select
    expect(await page.locator("#agenda-kind").inputValue()).toBe("decision");
    await page.keyboard.press("Tab");
    expect(await focusedElement(page)).toBe("#agenda-minutes");
    await page.keyboard.press("Control+A");
    await page.keyboard.type("20");
    await page.keyboard.press("Tab");
    expect(await focusedElement(page)).toBe("#agenda-presenter");
    await page.keyboard.type("Karin Lindqvist");
    await page.keyboard.press("Tab");
    expect(await focusedElement(page)).toBe("#agenda-planLink");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.textContent)).toBe("Lägg till på dagordningen");
    await page.keyboard.press("Enter");

    const item = page.locator(".agenda-list .agenda-item").filter({ hasText: title });
    await item.waitFor({ timeout: POLL.timeout });
    await page.getByText("Dagordningen är uppdaterad.").waitFor();

    // Stored as typed, accepted at once, last in the agenda.
    const rows = await s.db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", convenedId).orderBy("position").execute();
    const added = rows.find((r) => r.title === title);
    expect(added).toMatchObject({ kind: "decision", minutes: 20, presenter: "Karin Lindqvist", status: "accepted" });
    expect(rows.filter((r) => r.status === "accepted").at(-1)?.id).toBe(added!.id);

    // Its clock: the meeting's start plus the minutes of the accepted items before it (Stockholm time).
    const meeting = await s.db.selectFrom("meetings").select("starts_at").where("id", "=", convenedId).executeTakeFirstOrThrow();
    const before = rows.filter((r) => r.status === "accepted" && r.position < added!.position).reduce((n, r) => n + r.minutes, 0);
    const start = DateTime.fromISO(meeting.starts_at!).setZone(ZONE).plus({ minutes: before });
    const end = start.plus({ minutes: 20 });
    const clock = (await item.locator(".agenda-clock").textContent()) ?? "";
    expect(clock).toMatch(new RegExp(`^${start.toFormat("HH:mm")}–${end.toFormat("HH:mm")} (CET|CEST)$`));
    expect(await item.textContent()).toContain("Beslut, 20 min, Karin Lindqvist");
  });
});
