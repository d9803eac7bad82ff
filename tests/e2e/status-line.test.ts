// Issue #12, item 15: the live documents' status line in a real browser. It
// follows the connection on every reconnect (offline → online ends in
// "connected" within seconds, and what was typed offline is merged), and a
// reader who cannot write is told "read only" instead of "changes are saved":
// an observer, a member on an adopted plan, a member on a statement locked for decision.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { startTestServer, type TestServer } from "../helpers/server";
import { launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const WRITE_CONNECTED = "Ansluten – ändringar sparas direkt.";
const READ_CONNECTED = "Ansluten – du kan läsa.";

describe("live status line", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];
  const year = new Date().getFullYear();

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  async function open(email: string, path: string): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}${path}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    return { context, page };
  }
  const statusText = (page: Page) => page.locator('[role="status"][data-connection]').textContent();

  it("goes back to connected within seconds after the network returns, and merges what was typed offline", async () => {
    const a = await open("ledamot@samsyn.test", `/councils/skaraborg/plans/${year}`);
    const b = await open("processledare@samsyn.test", `/councils/skaraborg/plans/${year}`);
    expect(await statusText(a.page)).toBe(WRITE_CONNECTED);

    for (const round of [1, 2]) {
      await a.context.setOffline(true);
      await a.page.locator('[data-connection="offline"]').waitFor({ timeout: 5000 });
      expect(await statusText(a.page)).toBe(sv["plan.connection.offline"]);
      const field = a.page.getByLabel("Beskrivning av området").first();
      await field.click();
      await field.press("End");
      await field.pressSequentially(` offline-${round}`, { delay: 10 });

      await a.context.setOffline(false);
      // Back to "connected" on its own, within a few seconds, on every reconnect.
      await a.page.locator('[data-connection="connected"]').waitFor({ timeout: 8000 });
      expect(await statusText(a.page)).toBe(WRITE_CONNECTED);
      // What was typed offline reached the other browser.
      await expect
        .poll(() => b.page.getByLabel("Beskrivning av området").first().inputValue(), { timeout: 10_000 })
        .toContain(`offline-${round}`);
    }
    expect(logs.flatMap((l) => l.pageErrors)).toEqual([]);
  });

  it("tells readers who cannot write that they can read, not that changes are saved", async () => {
    const cases: [who: string, path: string][] = [
      // An observer on this year's plan.
      ["observator@samsyn.test", `/councils/skaraborg/plans/${year}`],
      // A member on last year's plan, which is adopted (frozen).
      ["ledamot@samsyn.test", `/councils/skaraborg/plans/${year - 1}`],
    ];
    const locked = await s.db.selectFrom("statements").select("id").where("status", "=", "deciding").executeTakeFirstOrThrow();
    // A member on a statement locked while the council decides.
    cases.push(["ledamot@samsyn.test", `/councils/skaraborg/statements/${locked.id}`]);
    for (const [who, path] of cases) {
      const { page } = await open(who, path);
      expect(await statusText(page), path).toBe(READ_CONNECTED);
      expect(await page.getByText(WRITE_CONNECTED).count(), path).toBe(0);
    }
    // A member who can write a draft still gets the write promise.
    const { page } = await open("ledamot@samsyn.test", `/councils/skaraborg/plans/${year}`);
    expect(await statusText(page)).toBe(WRITE_CONNECTED);
    expect(sv["live.readOnly.connected"]).toBe(READ_CONNECTED);
  });
});
