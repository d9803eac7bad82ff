// Working groups in a real browser (Debian's Chromium via playwright-core) against a
// real server (issue #6): the leader reaches the groups from the council page, a
// refused create form shows one focused error summary, a created group opens on its
// page; a member sees the demo group's page with the plan actions of its areas and
// its meeting, without the leader's forms; the convener drafts a group meeting from
// the group page. axe-core WCAG 2.1 A/AA on every page; no CSP violations, no
// uncaught exceptions, no unexpected console errors.
import { DateTime } from "luxon";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { DEMO_GROUP } from "../../db/seed-groups";
import { ZONE } from "../../server/domain/time";
import { startTestServer, type TestServer } from "../helpers/server";
import { cspMessages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test"; // Anders Johansson, not in the group
const CONVENER = "maria.andersson@samsyn.test";
const COUNCIL = "/councils/skaraborg";
const POLL = { timeout: 20_000, interval: 200 };

describe("working groups in the browser", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];
  let expectedConsoleErrors: RegExp[] = [];
  let demoGroupId: string;

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    demoGroupId = (await s.db.selectFrom("working_groups").select("id").where("name", "=", DEMO_GROUP).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  afterEach(async () => {
    const csp = cspMessages(logs);
    const thrown = logs.flatMap((l) => l.pageErrors);
    const consoleErrors = logs.flatMap((l) => l.consoleErrors);
    const expected = expectedConsoleErrors;
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    logs = [];
    expectedConsoleErrors = [];
    for (const pattern of expected) {
      const i = consoleErrors.findIndex((m) => pattern.test(m));
      expect(i, `expected console error ${pattern} did not occur:\n${consoleErrors.join("\n")}`).toBeGreaterThanOrEqual(0);
      consoleErrors.splice(i, 1);
    }
    expect(csp, `Content Security Policy violations:\n${csp.join("\n")}`).toEqual([]);
    expect(thrown, `uncaught exceptions in the page:\n${thrown.join("\n")}`).toEqual([]);
    expect(consoleErrors, `console errors in the page:\n${consoleErrors.join("\n")}`).toEqual([]);
  });

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  it("the leader opens the groups from the council page, is shown what is wrong with an empty form, and creates a group", async () => {
    const page = await signedIn(LEADER);
    await page.goto(s.url + COUNCIL);
    const section = page.locator("section", { has: page.getByRole("heading", { level: 2, name: sv["groups.title"] }) });
    await section.getByRole("link", { name: DEMO_GROUP }).waitFor();
    await section.getByRole("link", { name: sv["groups.all"] }).click();
    await page.waitForURL(`${s.url}${COUNCIL}/groups`);
    await page.getByRole("heading", { level: 1, name: sv["groups.title"] }).waitFor();
    await page.getByRole("heading", { level: 2, name: DEMO_GROUP }).waitFor();
    await expectNoAxeViolations(page, "the groups list with the create form (leader)");

    // Nothing filled in: one error summary takes focus and links to each field.
    const here = `${s.url}${COUNCIL}/groups`.replace(/[.?]/g, "\\$&");
    expectedConsoleErrors.push(new RegExp(`status of 400 \\(Bad Request\\) \\[page ${here}, source ${here}(\\.data)?`));
    await page.getByRole("button", { name: sv["groups.create"] }).click();
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: sv["form.errorSummary"] }) });
    await summary.waitFor({ timeout: POLL.timeout });
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    expect(await summary.getByRole("link").allTextContents()).toEqual([
      `${sv["groups.name"]}: ${sv["error.required"]}`,
      `${sv["groups.areas"]}: ${sv["error.groupAreaRequired"]}`,
      `${sv["groups.convener"]}: ${sv["error.groupConvener"]}`,
    ]);
    expect(await page.locator("#g-name").getAttribute("aria-invalid")).toBe("true");
    await expectNoAxeViolations(page, "the create form with the error summary");

    // Filled in: the group opens on its own page.
    await page.getByLabel(sv["groups.name"], { exact: true }).fill("Arbetsgrupp kompetensutveckling");
    await page.getByRole("group", { name: sv["groups.areas"] }).getByLabel("Kompetensutveckling i arbetslivet").check();
    await page.getByLabel(sv["groups.convener"], { exact: true }).selectOption({ label: "Per Holm, IF Metall Skaraborg" });
    await page.getByRole("group", { name: sv["groups.members"] }).getByLabel("Lena Svensson, Skaraborgs Sjukhus").check();
    await page.getByRole("button", { name: sv["groups.create"] }).click();
    await page.getByRole("heading", { level: 1, name: "Arbetsgrupp kompetensutveckling" }).waitFor({ timeout: POLL.timeout });
    expect(page.url()).toMatch(/\/groups\/[0-9a-f-]{36}\?created=1$/);
    await page.getByText(sv["groups.created"]).waitFor();
    const members = page.locator("section", { has: page.getByRole("heading", { level: 2, name: sv["groups.members"] }) });
    expect((await members.locator("li").allTextContents()).map((t) => t.trim())).toEqual([
      "Per Holm, IF Metall Skaraborg (sammankallande)",
      "Lena Svensson, Skaraborgs Sjukhus",
    ]);
    await page.getByRole("link", { name: "Kompetensnavet erbjuder kompetenskartläggning till 30 företag" }).waitFor();
    await expectNoAxeViolations(page, "a new group's page with the edit form (leader)");

    await page.goto(`${s.url}${COUNCIL}/groups/${demoGroupId}`);
    await page.getByRole("heading", { level: 1, name: DEMO_GROUP }).waitFor();
    await expectNoAxeViolations(page, "the demo group's page (leader)");
  });

  it("a member who is not in the group sees its page with the plan actions of its areas and its meeting, without the leader's forms", async () => {
    const page = await signedIn(MEMBER);
    await page.goto(`${s.url}${COUNCIL}/groups`);
    await page.getByRole("link", { name: DEMO_GROUP }).click();
    await page.getByRole("heading", { level: 1, name: DEMO_GROUP }).waitFor();
    const validation = page.getByRole("table", { name: "Matchning och omställning på arbetsmarknaden" });
    await validation.getByRole("link", { name: "Validering av yrkeskompetens inom svets och CNC" }).waitFor();
    expect(await validation.getByRole("row").count()).toBe(1 + 7); // header + the area's seven actions
    await page.getByRole("table", { name: "Attraktiva och behovsanpassade utbildningar" }).getByRole("link", { name: "Gemensam planering av yrkesvux i Skaraborgs kommuner" }).waitFor();
    expect(await page.getByRole("heading", { name: sv["groups.edit"] }).count()).toBe(0);
    expect(await page.getByRole("heading", { name: sv["groups.newMeeting"] }).count()).toBe(0);
    await expectNoAxeViolations(page, "the demo group's page (member outside the group)");

    await page.getByRole("link", { name: "Gruppmöte: validering inom industrin" }).click();
    await page.getByRole("heading", { level: 1, name: "Gruppmöte: validering inom industrin" }).waitFor();
    await page.getByRole("definition").getByRole("link", { name: DEMO_GROUP }).waitFor();
    // Not in the group: no RSVP form.
    expect(await page.getByRole("heading", { name: sv["meetings.rsvp"] }).count()).toBe(0);
    await expectNoAxeViolations(page, "a group meeting's page (member outside the group)");
  });

  it("the convener drafts a meeting for the group from the group page", async () => {
    const page = await signedIn(CONVENER);
    await page.goto(`${s.url}${COUNCIL}/groups/${demoGroupId}`);
    await page.getByText(sv["groups.youConvene"]).waitFor();
    const form = page.locator("section", { has: page.getByRole("heading", { level: 2, name: sv["groups.newMeeting"] }) });
    await expectNoAxeViolations(page, "the demo group's page (convener)");
    await form.getByLabel(sv["meetings.fieldTitle"]).fill("Gruppmöte om handledare");
    await form.getByLabel(sv["meetings.date"], { exact: true }).fill(DateTime.now().setZone(ZONE).plus({ days: 35 }).toISODate()!);
    await form.getByLabel(sv["meetings.startTime"]).fill("13:00");
    await form.getByLabel(sv["meetings.endTime"]).fill("14:30");
    await form.getByRole("button", { name: sv["meetings.create"] }).click();
    await page.getByRole("heading", { level: 1, name: "Gruppmöte om handledare" }).waitFor({ timeout: POLL.timeout });
    await page.getByRole("button", { name: sv["meetings.convene"] }).waitFor();
    const row = await s.db.selectFrom("meetings").select(["group_id", "status"]).where("title", "=", "Gruppmöte om handledare").executeTakeFirstOrThrow();
    expect(row).toEqual({ group_id: demoGroupId, status: "draft" });
    await expectNoAxeViolations(page, "a group meeting's draft (convener)");
  });
});
