// The home page's to-do list ("Att göra", issue #13) in a real browser: axe-clean
// with tasks and empty, no sideways scrolling on a phone, and a row leads to its task.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

describe("home: Att göra", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  async function home(email: string, viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  it("the leader's tasks: axe-clean, one click to the task", async () => {
    const page = await home("processledare@samsyn.test");
    await page.getByRole("heading", { level: 2, name: /Tidsförslag att svara på/ }).waitFor();
    await expectNoAxeViolations(page, "the home page with tasks");
    await page.getByRole("region", { name: /Tidsförslag att svara på/ }).getByRole("link", { name: "Arbetsmöte om validering" }).click();
    await page.getByRole("heading", { level: 1, name: "Arbetsmöte om validering" }).waitFor();
    expect(new URL(page.url()).hash).toBe("#poll-h");
  });

  it("an observer: the empty state, axe-clean, and no sideways scrolling at 390 px", async () => {
    const page = await home("observator@samsyn.test", { width: 390, height: 844 });
    await page.getByText("Inget väntar på dig just nu.").waitFor();
    await page.getByRole("heading", { level: 2, name: "Kommande möten" }).waitFor();
    await expectNoAxeViolations(page, "the empty home page");
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
  });

  it("a member with tasks fits a phone", async () => {
    const page = await home("ahmed.hassan@samsyn.test", { width: 390, height: 844 });
    await page.getByRole("heading", { level: 2, name: /Uppföljning att rapportera/ }).waitFor();
    expect(await page.evaluate(() => document.documentElement.scrollWidth <= document.documentElement.clientWidth)).toBe(true);
    expect(logs.flatMap((l) => [...l.consoleErrors, ...l.pageErrors])).toEqual([]);
  });
});
