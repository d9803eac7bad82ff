// Workflow "a follow-up report seen on the dashboard" (issue #13), as people do it:
// the member reports on their action from the action page; the process leader opens
// the dashboard and sees the new status in the charts and their data tables; the
// year comparison reads as prose. On the way: axe-core on every page, and no page
// scrolls sideways on a phone (390 and 360 px): wide tables scroll in their own region.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const ACTION_TITLE = "Branschvisa rekryteringsträffar för industrin";
const MEMBER = "ledamot@samsyn.test";
const LEADER = "processledare@samsyn.test";
const ADMIN = "admin@samsyn.test";

/** How far the page scrolls sideways (0: not at all). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("a follow-up report seen on the dashboard", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const year = new Date().getFullYear();
  let actionId: string;

  const base = () => `${s.url}/councils/skaraborg`;
  const dashboardUrl = () => `${base()}/plans/${year}/dashboard`;
  const actionUrl = () => `${base()}/plans/${year}/actions/${actionId}`;
  const compareUrl = () => `${base()}/plans/compare?from=${year - 1}&to=${year}`;

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
    const plan = await s.db
      .selectFrom("plans as p")
      .innerJoin("councils as c", "c.id", "p.council_id")
      .select("p.id")
      .where("c.slug", "=", "skaraborg")
      .where("p.year", "=", year)
      .executeTakeFirstOrThrow();
    actionId = (await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).where("title", "=", ACTION_TITLE).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    expectCleanPages(logs);
    await browser?.close();
    await s?.close();
  });

  async function signedIn(email: string) {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return { context, page };
  }

  /** Every wide table scrolls in a named, focusable region; the page itself never scrolls sideways. */
  async function expectFitsPhone(page: Page, url: string) {
    for (const width of [390, 360]) {
      await page.setViewportSize({ width, height: 844 });
      await page.goto(url);
      await page.locator("h1").first().waitFor();
      expect(await sideways(page), `${url} scrolls sideways at ${width} px`).toBe(0);
      for (const table of await page.locator("main table").all()) {
        const fits = await table.evaluate((t) => t.getBoundingClientRect().width <= document.documentElement.clientWidth);
        if (fits) continue;
        // A table wider than the screen is inside a ScrollTable region with a visible hint.
        const region = table.locator("xpath=ancestor::div[@role='region'][1]");
        expect(await region.count(), `${url}: a table wider than ${width} px outside a scroll region`).toBe(1);
        expect(await region.getAttribute("tabindex")).toBe("0");
        expect(await region.getAttribute("aria-label")).toBeTruthy();
        await expect.poll(() => region.locator("xpath=preceding-sibling::p[1]").isVisible()).toBe(true);
        expect(await region.locator("xpath=preceding-sibling::p[1]").innerText()).toContain(sv["scrollTable.hint"]);
      }
    }
    await page.setViewportSize({ width: 1280, height: 900 });
  }

  it("no page of the workflow scrolls sideways on a phone", async () => {
    const leader = await signedIn(LEADER);
    for (const url of [dashboardUrl(), actionUrl(), compareUrl(), `${base()}/audit`]) await expectFitsPhone(leader.page, url);
    await leader.context.close();
    const admin = await signedIn(ADMIN);
    for (const url of [`${s.url}/admin/people`, `${s.url}/admin/audit`]) await expectFitsPhone(admin.page, url);
    await admin.context.close();
  });
});
