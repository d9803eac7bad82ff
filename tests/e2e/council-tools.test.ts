// The council bar's tools in a real browser (issue #17): search (a query answered
// with marked snippets) and the annual wheel (the picture and its list); axe-clean,
// and on a 390 px phone nothing scrolls sideways.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

describe("search and the annual wheel in the browser", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  it("a member searches from the council bar and opens a result, on a phone", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, "ledamot@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg`);
    await page.getByRole("link", { name: "Sök i rådet" }).click();
    await page.getByRole("heading", { level: 1, name: "Sök" }).waitFor();
    await page.getByLabel(/Sök i rådets planer/).fill("validering");
    await page.getByRole("button", { name: "Sök" }).click();
    await page.getByRole("heading", { level: 2, name: /träffar för ”validering”/ }).waitFor();
    expect(await page.locator(".search-results mark").count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page, "the search results");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join("\n")).toBe(0);
    await page.getByRole("link", { name: "Arbetsgrupp validering och yrkesvux" }).first().click();
    await page.getByRole("heading", { level: 1, name: "Arbetsgrupp validering och yrkesvux" }).waitFor();
    expectCleanPages(logs);
  });

  it("the annual wheel from the council bar: a picture with a text alternative and the month list, on a phone", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, "observator@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg/meetings`);
    await page.getByRole("link", { name: "Årshjul" }).click();
    await page.getByRole("heading", { level: 1, name: /^Årshjul \d{4}$/ }).waitFor();
    await page.getByRole("img", { name: /Årshjul \d{4} som bild/ }).waitFor();
    expect(await page.locator("svg.wheel .wheel-mark").count()).toBeGreaterThan(3);
    expect(await page.locator(".year-entries li").count()).toBe(await page.locator("svg.wheel .wheel-mark").count());
    await expectNoAxeViolations(page, "the annual wheel");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join("\n")).toBe(0);
    expectCleanPages(logs);
  });

  it("the leader adds a yearly event on the wheel page; the form is axe-clean and the event appears in the list and the picture", async () => {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, "processledare@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg`);
    await page.getByRole("link", { name: "Årshjul" }).click();
    await page.getByRole("heading", { level: 2, name: "Rådets återkommande händelser" }).waitFor();
    const marks = await page.locator("svg.wheel .wheel-mark").count();
    await expectNoAxeViolations(page, "the annual wheel with the leader's form");
    const form = page.getByRole("form", { name: "Lägg till en händelse" });
    await form.getByLabel("Vad").fill("Budgetdialog med regionen");
    await form.getByLabel("Månad").selectOption({ label: "Mars" });
    await form.getByLabel("Dag").fill("12");
    await form.getByRole("button", { name: "Spara" }).click();
    await page.getByText("Händelsen är sparad.").waitFor();
    await page.locator(".year-entries li").filter({ hasText: "Budgetdialog med regionen" }).waitFor();
    await expect.poll(() => page.locator("svg.wheel .wheel-mark").count()).toBe(marks + 1);
    expect(await form.getByLabel("Vad").inputValue()).toBe("");
    expectCleanPages(logs);
  });
});
