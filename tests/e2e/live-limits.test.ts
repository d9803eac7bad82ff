// Issue #12, item 7 in the browser: when the server refuses a write because the
// document is full (4413), the page says so in its status line and stops retrying.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { startTestServer, type TestServer } from "../helpers/server";
import { launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

describe("live document limits in the browser", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const year = new Date().getFullYear();

  beforeAll(async () => {
    // Room for the seeded plan and a little typing, no more.
    s = await startTestServer({}, { collab: { maxDocBytes: 1 } });
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it("a full document says so and stops retrying", async () => {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, "ledamot@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    const field = page.getByLabel("Beskrivning av området").first();
    await field.click();
    await field.press("End");
    await field.pressSequentially(" mer", { delay: 20 });
    await page.locator('[data-connection="full"]').waitFor({ timeout: 10_000 });
    expect(await page.locator('[role="status"][data-connection]').textContent()).toBe(sv["live.documentFull"]);
    // It stays so: no reconnect loop.
    await page.waitForTimeout(1500);
    expect(await page.locator('[role="status"][data-connection]').getAttribute("data-connection")).toBe("full");
    expect(logs.flatMap((l) => l.pageErrors)).toEqual([]);
    await context.close();
  });
});
