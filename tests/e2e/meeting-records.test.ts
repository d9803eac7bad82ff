// Meeting records in the browser (issue #15): the agenda templates page and the
// decision register pass axe-core (WCAG 2.1 A/AA) and do not scroll sideways at 390 px;
// a leader creates a template and a meeting from it with plain form posts (no
// JavaScript), and the meeting's agenda holds the template's items.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const BASE = "/councils/skaraborg";

describe("meeting records in the browser", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  afterEach(async () => {
    const done = logs;
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    logs = [];
    expectCleanPages(done);
  });

  async function signedIn(email: string, opts: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE", viewport: { width: 1280, height: 800 }, ...opts });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  it("the templates page and the register pass axe and fit a phone", async () => {
    const leader = await signedIn(LEADER);
    await leader.goto(`${s.url}${BASE}/agenda-templates`);
    await leader.getByRole("heading", { level: 1, name: "Dagordningsmallar" }).waitFor();
    await expectNoAxeViolations(leader, "the agenda templates page");
    expect((await sidewaysOverflow(leader)).overflow, "templates at 390 px").toBeLessThanOrEqual(0);
    const observer = await signedIn(OBSERVER);
    await observer.goto(`${s.url}${BASE}/decisions`);
    await observer.getByRole("heading", { level: 1, name: "Beslutsregister" }).waitFor();
    expect(await observer.getByText("§ 1", { exact: false }).count()).toBeGreaterThan(0);
    await expectNoAxeViolations(observer, "the decision register");
    expect((await sidewaysOverflow(observer)).overflow, "register at 390 px").toBeLessThanOrEqual(0);
  });

  it("without JavaScript: a leader makes a template and a meeting from it", async () => {
    const page = await signedIn(LEADER, { javaScriptEnabled: false });
    await page.goto(`${s.url}${BASE}/agenda-templates`);
    const form = page.locator("form", { has: page.getByRole("button", { name: "Skapa mallen" }) });
    await form.getByLabel("Namn").fill("Kort möte");
    await form.getByLabel("Punkter").fill("Incheckning | 5\nBeslut om budget | 20 | beslut");
    await form.getByRole("button", { name: "Skapa mallen" }).click();
    await page.getByRole("status").filter({ hasText: "Mallen är sparad." }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Kort möte" }).waitFor();

    await page.goto(`${s.url}${BASE}/meetings`);
    const create = page.locator("form", { has: page.getByRole("button", { name: "Spara som utkast" }) });
    await create.getByLabel("Rubrik").fill("Budgetmöte");
    await create.getByLabel("Datum", { exact: true }).fill("2099-05-12");
    await create.getByLabel("Starttid").fill("10:00");
    await create.getByLabel("Sluttid").fill("11:00");
    await create.getByLabel("Dagordning från mall").selectOption({ label: "Kort möte" });
    await create.getByRole("button", { name: "Spara som utkast" }).click();
    await page.waitForURL(/\/meetings\/[0-9a-f-]{36}/);
    const text = await page.locator("main").innerText();
    expect(text).toContain("Incheckning");
    expect(text).toContain("Beslut om budget");
  });
});
