// Workflow "a follow-up report seen on the dashboard" (issue #13), as people do it:
// the member reports on their action from the action page; the process leader opens
// the dashboard and sees the new status in the charts and their data tables; the
// year comparison reads as prose. On the way: axe-core on every page, and no page
// scrolls sideways on a phone (390 and 360 px): wide tables scroll in their own region.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { ACTION_STATUSES, type ActionStatus } from "../../server/domain/plan-doc";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const ACTION_TITLE = "Branschvisa rekryteringsträffar för industrin";
const MEMBER = "ledamot@samsyn.test";
const LEADER = "processledare@samsyn.test";
const ADMIN = "admin@samsyn.test";

/** How far the page scrolls sideways (0: not at all). */
const sideways = (page: Page) => page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

describe("a follow-up report seen on the dashboard", { timeout: 300_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const year = new Date().getFullYear();
  let actionId: string;
  let areaTitle: string;
  let before: ActionStatus;

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
    const action = await s.db
      .selectFrom("plan_actions as x")
      .innerJoin("plan_areas as a", (j) => j.onRef("a.id", "=", "x.area_id").onRef("a.plan_id", "=", "x.plan_id"))
      .select(["x.id", "x.status", "a.title as areaTitle"])
      .where("x.plan_id", "=", plan.id)
      .where("x.title", "=", ACTION_TITLE)
      .executeTakeFirstOrThrow();
    actionId = action.id;
    areaTitle = action.areaTitle;
    before = action.status as ActionStatus;
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

  /** The leader's dashboard: the action's area and this month, as the charts' tables and summaries show them. */
  async function dashboardFigures(page: Page, status: ActionStatus) {
    const i = ACTION_STATUSES.indexOf(status);
    await page.goto(dashboardUrl());
    await page.getByRole("heading", { level: 2, name: sv["chart.monthsTitle"] }).waitFor();
    const areaRow = page.locator("table.area-table tbody tr").filter({ has: page.getByRole("rowheader", { name: areaTitle }) });
    const details = page.locator('figure[aria-labelledby="chart-months-cap"] details.chart__table');
    await details.locator("summary").click();
    const monthRow = page.locator("table.month-table tbody tr").last();
    await monthRow.waitFor();
    const num = async (cell: ReturnType<Page["locator"]>) => Number((await cell.innerText()).trim());
    return {
      area: await num(areaRow.locator("td").nth(1 + i)),
      month: await num(monthRow.locator("td").nth(1 + i)),
      reports: await num(monthRow.locator("td").nth(0)),
      areaChart: (await page.getByRole("figure", { name: sv["chart.areasCaption"] }).getByRole("img").getAttribute("aria-label")) ?? "",
      monthChart: (await page.getByRole("figure", { name: sv["chart.monthsCaption"] }).getByRole("img").getAttribute("aria-label")) ?? "",
      /** Drawn segments of this status in the month chart. */
      lastColumn: await page.getByRole("figure", { name: sv["chart.monthsCaption"] }).locator(`svg rect[fill="url(#status-fill-${status})"]`).count(),
    };
  }

  it("a member reports on their action; the leader sees the new status in the charts and their tables; compare reads as prose", async () => {
    const status: ActionStatus = before === "delayed" ? "at_risk" : "delayed";
    const word = sv[`status.${status}`];
    const leader = await signedIn(LEADER);
    const was = await dashboardFigures(leader.page, status);
    expect(was.areaChart).toContain(areaTitle);

    // The member files the report from the action page's form.
    const member = await signedIn(MEMBER);
    await member.page.goto(actionUrl());
    await member.page.getByRole("heading", { level: 1, name: ACTION_TITLE }).waitFor();
    await member.page.getByLabel(sv["plan.status"], { exact: true }).selectOption({ label: word });
    await member.page.getByLabel(sv["plan.progress"]).fill("35");
    await member.page.locator("#comment").fill("Två träffar flyttade till våren.");
    await member.page.getByRole("button", { name: sv["followup.submit"] }).click();
    await member.page.getByText(sv["followup.saved"]).waitFor();
    await expectNoAxeViolations(member.page, "action page after a report");
    await member.context.close();

    // The leader's dashboard: one more action at that status in the area and this month, one more report.
    const now = await dashboardFigures(leader.page, status);
    expect(now.area).toBe(was.area + 1);
    expect(now.month).toBe(was.month + 1);
    expect(now.reports).toBe(was.reports + 1);
    // The charts say it too: in their summaries (words) and as drawn segments.
    const areaPart = (label: string) => label.slice(label.indexOf(`${areaTitle}:`)).split(".")[0];
    expect(areaPart(now.areaChart)).toContain(`${now.area} ${word}`);
    expect(now.monthChart).toContain(`${now.month} ${word}`);
    expect(now.lastColumn).toBeGreaterThanOrEqual(1);
    // The two status charts, and one trend chart per measured indicator (each captioned).
    expect(await leader.page.locator("figure.chart:not(.indicator-chart) figcaption").count()).toBe(2);
    expect(await leader.page.locator("figure.indicator-chart figcaption").count()).toBe(await leader.page.locator("figure.indicator-chart").count());
    expect(await leader.page.getByRole("region", { name: sv["chart.monthsCaption"] }).count()).toBe(1);
    await expectNoAxeViolations(leader.page, "dashboard with its charts and the month table open");

    // The comparison with last year reads as prose: Swedish words and names, never codes or ids.
    await leader.page.goto(compareUrl());
    await leader.page.getByRole("heading", { level: 1, name: sv["revision.title"] }).waitFor();
    const text = await leader.page.locator(".compare").innerText();
    expect(text).toContain(sv["revision.actionsClosed"]);
    expect(text).toContain(sv["revision.actionsRemoved"]);
    expect(text).toMatch(new RegExp(`${sv["status.done"]}|${sv["status.cancelled"]}`));
    expect(text).not.toMatch(/\b(not_started|on_track|at_risk|delayed|done|cancelled)\b/);
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).not.toMatch(/datum ändrades/i);
    await expectNoAxeViolations(leader.page, "plan comparison");

    await leader.page.goto(`${base()}/audit`);
    await leader.page.getByRole("heading", { level: 1, name: sv["audit.title"] }).waitFor();
    await expectNoAxeViolations(leader.page, "council audit log");
    await leader.context.close();
  });
});
