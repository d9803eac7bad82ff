// Meeting series in a real browser (issue #15, decision 042): with JavaScript the
// "Upprepa" disclosure previews the dates as the leader types, the series is made and
// its meetings link to each other; without JavaScript a refused rule comes back with
// the error summary and the disclosure open. axe-core WCAG 2.1 A/AA on the form with
// "Upprepa" open, the meeting page with the series actions, and the "Ändra kommande"
// dialog; nothing wider than 390 px.
import { DateTime } from "luxon";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const YEAR = DateTime.now().setZone(ZONE).year + 1;
const POLL = { timeout: 20_000, interval: 200 };
/** The second Tuesday of a month, in Swedish as the page writes it ("tisdag 12 januari 2027"). */
const secondTuesday = (month: number) => {
  const first = DateTime.fromObject({ year: YEAR, month, day: 1 }, { zone: ZONE });
  return first.plus({ days: ((2 - first.weekday + 7) % 7) + 7 }).setLocale("sv-SE").toFormat("cccc d MMMM yyyy");
};

describe("meeting series in the browser", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];
  let expectedConsoleErrors: RegExp[] = [];

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
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

  async function signedIn(email: string, javaScriptEnabled = true): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE", javaScriptEnabled });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  async function fillMeeting(page: Page, title: string) {
    await page.goto(`${s.url}/councils/skaraborg/meetings`);
    await page.getByLabel("Rubrik").fill(title);
    await page.getByLabel("Datum", { exact: true }).fill(`${YEAR}-01-01`);
    await page.getByLabel("Starttid").fill("09:00");
    await page.getByLabel("Sluttid").fill("11:00");
    await page.locator("summary", { hasText: "Upprepa" }).click();
    await page.getByLabel("Månadsvis, på en veckodag (t.ex. andra tisdagen)").check();
    await page.getByLabel("Mellanrum i veckor eller månader").fill("2");
    await page.getByLabel("Vilken i månaden").selectOption("2");
    await page.getByLabel("Veckodag", { exact: true }).selectOption("2");
  }

  it("previews the dates as the leader types, makes the series, and its meetings link to each other", async () => {
    const page = await signedIn(LEADER);
    await fillMeeting(page, "Serie i webbläsaren");
    await page.getByLabel("Antal möten (2–24)").fill("4");
    const preview = page.getByRole("region", { name: "Mötena i serien" });
    await expect.poll(() => preview.locator("li").count(), POLL).toBe(4);
    expect(await preview.locator("li").first().textContent()).toContain(secondTuesday(1));
    expect(await preview.locator("li").nth(1).textContent()).toContain(secondTuesday(3));
    // A count over the limit: the preview says why, in words.
    await page.getByLabel("Antal möten (2–24)").fill("30");
    await preview.getByText("Ange ett antal möten från 2 till 24.").waitFor({ timeout: POLL.timeout });
    await page.getByLabel("Antal möten (2–24)").fill("4");
    await expect.poll(() => preview.locator("li").count(), POLL).toBe(4);
    // The fields the kind does not use are out of the way.
    expect(await page.getByLabel("Dag i månaden (1–28)").isVisible()).toBe(false);
    await expectNoAxeViolations(page, "new-meeting form with Upprepa open");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join(", ")).toBe(0);

    await page.getByRole("button", { name: "Spara som utkast" }).click();
    await page.getByRole("heading", { level: 1, name: "Serie i webbläsaren" }).waitFor();
    await page.getByText("Del av serie").waitFor();
    await page.getByText("Varannan månad, andra tisdagen, möte 1 av 4").waitFor();
    await page.getByRole("link", { name: /Nästa möte/ }).click();
    await page.getByText("möte 2 av 4").waitFor();
    await page.getByRole("link", { name: /Föregående möte/ }).waitFor();
    await expectNoAxeViolations(page, "a meeting of a series, leader");
    await page.getByRole("link", { name: "Ändra kommande" }).click();
    await page.getByRole("dialog", { name: "Ändra seriens kommande möten" }).waitFor();
    await expectNoAxeViolations(page, "the 'Ändra kommande' dialog");
  });

  it("without JavaScript a refused rule comes back with the error summary and 'Upprepa' open", async () => {
    const page = await signedIn(LEADER, false);
    await fillMeeting(page, "Serie utan JavaScript");
    await page.getByLabel("Antal möten (2–24)").fill("30");
    await page.getByRole("button", { name: "Spara som utkast" }).click();
    const summary = page.getByRole("alert");
    await summary.getByRole("link", { name: "Antal möten (2–24): Ange ett antal möten från 2 till 24." }).waitFor();
    expect(await page.locator("details.series-fields").getAttribute("open")).not.toBeNull();
    expect(await page.getByLabel("Antal möten (2–24)").inputValue()).toBe("30");
    expect(await page.getByLabel("Vilken i månaden").inputValue()).toBe("2");
    // No preview without JavaScript: the server's answer is the preview.
    expect(await page.getByRole("region", { name: "Mötena i serien" }).count()).toBe(0);
    // Chromium logs the 400 response.
    expectedConsoleErrors = [/status of 400/];
    await page.getByLabel("Antal möten (2–24)").fill("3");
    await page.getByRole("button", { name: "Spara som utkast" }).click();
    await page.getByRole("heading", { level: 1, name: "Serie utan JavaScript" }).waitFor();
    await page.getByText("möte 1 av 3").waitFor();
  });
});
