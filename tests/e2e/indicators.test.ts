// Indicators in a real browser (issue #17): a member adds one to an action in the
// live plan (name and unit typed, a Swedish decimal target, dates), an observer sees
// it at once, and it is removed after a confirmation; the responsible person reports
// a value alone on the action page; the dashboard's indicator table and chart. Every
// page passes axe and does not scroll sideways at 390 px.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const ACTION = "Mentorprogram för utrikes födda ingenjörer";

describe("indicators in the browser", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];
  const year = new Date().getFullYear();

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  async function signedIn(email: string, phone = false): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE", ...(phone ? { viewport: { width: 390, height: 844 } } : {}) });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }
  async function openPlan(email: string, phone = false): Promise<Page> {
    const page = await signedIn(email, phone);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    return page;
  }
  const actionRow = (page: Page) => page.locator(".plan-action").filter({ has: page.locator(".plan-action__title", { hasText: ACTION }) });

  it("a member adds an indicator in the live plan, an observer sees it, and it is removed after a confirmation", async () => {
    const member = await openPlan("ledamot@samsyn.test", true);
    const observer = await openPlan("observator@samsyn.test");
    await actionRow(member).locator("summary").click();
    await actionRow(observer).locator("summary").click();
    const section = actionRow(member).getByRole("region", { name: "Indikatorer" });
    await section.getByRole("button", { name: "Lägg till indikator" }).click();
    const group = section.getByRole("group", { name: /^Indikator 1: / });
    // Focus lands in the new indicator's name.
    await expect.poll(() => member.evaluate(() => (document.activeElement as HTMLInputElement | null)?.id ?? "")).toMatch(/^indicator-.*-name$/);
    await member.keyboard.type("Ingenjörer med mentor");
    await group.getByLabel("Enhet").fill("personer");
    await group.getByLabel("Utgångsvärde", { exact: true }).fill("0");
    await group.getByLabel("Målvärde", { exact: true }).fill("12,5");
    await group.getByLabel("Målvärdets datum").fill(`${year}-12-31`);
    await group.getByLabel("Bättre är").selectOption("higher");
    // A word is no number: said at the field, and not written.
    await group.getByLabel("Utgångsvärde", { exact: true }).fill("noll");
    await group.getByText("Ange ett tal, till exempel 12 eller 12,5.").waitFor();
    await group.getByLabel("Utgångsvärde", { exact: true }).fill("0");

    const seen = actionRow(observer).locator(".plan-indicator").filter({ hasText: "Ingenjörer med mentor" });
    await seen.waitFor();
    await expect.poll(() => seen.innerText()).toContain("12,5 personer");
    expect(await actionRow(observer).getByRole("button", { name: "Lägg till indikator" }).count()).toBe(0);

    await expectNoAxeViolations(member, "the plan editor with an indicator");
    const { overflow, wide } = await sidewaysOverflow(member);
    expect(overflow, wide.join("\n")).toBe(0);

    await group.getByRole("button", { name: "Ta bort indikatorn Ingenjörer med mentor" }).click();
    const dialog = member.getByRole("dialog", { name: "Ta bort indikatorn?" });
    await dialog.getByRole("button", { name: "Ta bort" }).click();
    await expect.poll(() => seen.count()).toBe(0);
    expectCleanPages(logs);
  });

  it("the responsible person reports a value alone on the action page, on a phone", async () => {
    const page = await signedIn("ahmed.hassan@samsyn.test", true);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}/dashboard`);
    await page.getByRole("link", { name: "Utöka platserna på undersköterskeutbildningen" }).first().click();
    await page.getByRole("heading", { level: 2, name: "Indikatorer" }).waitFor();
    await expectNoAxeViolations(page, "the action page with indicators");
    const alone = page.locator("form").filter({ has: page.getByRole("button", { name: "Spara värdena" }) });
    await alone.getByLabel("Platser på undersköterskeutbildningen (platser)").fill("52");
    await alone.getByLabel("Kommentar till värdena").fill("Antagningen till vårterminen.");
    await alone.getByRole("button", { name: "Spara värdena" }).click();
    await page.getByText("Värdena är sparade.").waitFor();
    const table = page.getByRole("table", { name: "Uppmätta värden: Platser på undersköterskeutbildningen" });
    await expect.poll(() => table.innerText()).toContain("Antagningen till vårterminen.");
    expect(await table.innerText()).toContain("52 platser");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join("\n")).toBe(0);
    expectCleanPages(logs);
  });

  it("the dashboard shows indicators against their targets as a table and as charts with their values as tables", async () => {
    const page = await signedIn("observator@samsyn.test", true);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}/dashboard`);
    await page.getByRole("heading", { level: 2, name: "Indikatorer mot mål" }).waitFor();
    const chart = page.getByRole("img", { name: /^Platser på undersköterskeutbildningen: utgångsvärde 40 platser, mål 60 platser/ });
    await chart.waitFor();
    const figure = page.locator("figure.indicator-chart").filter({ has: chart });
    await figure.getByText("Visa värdena som tabell").click();
    expect(await figure.locator("table").innerText()).toContain("Utgångsvärde");
    await expectNoAxeViolations(page, "the dashboard with indicators");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join("\n")).toBe(0);
    expectCleanPages(logs);
  });

  it("the year-end report from the dashboard: a printable page with charts and tables, axe-clean, nothing sideways on a phone; its PDF link", async () => {
    const page = await signedIn("observator@samsyn.test", true);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}/dashboard`);
    await page.getByRole("link", { name: "Årsrapport" }).click();
    await page.getByRole("heading", { level: 1, name: `Årsrapport ${year}` }).waitFor();
    await page.getByRole("img", { name: /^Platser på undersköterskeutbildningen: / }).waitFor();
    await page.getByRole("heading", { level: 2, name: "Årets beslut om planen" }).waitFor();
    await expectNoAxeViolations(page, "the year-end report");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join("\n")).toBe(0);
    const href = await page.getByRole("link", { name: "Ladda ner som PDF" }).getAttribute("href");
    expect(href).toBe(`/councils/skaraborg/plans/${year}/report.pdf`);
    expectCleanPages(logs);
  });

  it("works from the keyboard alone: add an indicator, fill it field by field with Tab, cancel and confirm its removal", async () => {
    const page = await openPlan("ledamot@samsyn.test");
    const row = actionRow(page);
    await row.locator("summary").focus();
    await page.keyboard.press("Enter");
    const add = row.getByRole("button", { name: "Lägg till indikator" });
    await add.focus();
    await page.keyboard.press("Enter");
    const focusedId = () => page.evaluate(() => document.activeElement?.id ?? "");
    await expect.poll(focusedId).toMatch(/^indicator-.*-name$/);
    await page.keyboard.type("Deltagande företag");
    for (const [suffix, typed] of [["unit", "företag"], ["baseline", "3"], ["baselineDate", ""], ["target", "20"]] as const) {
      // A date field's day, month and year are tab stops of their own in Chromium.
      for (let i = 0; i < 4 && !new RegExp(`-${suffix}$`).test(await focusedId()); i++) await page.keyboard.press("Tab");
      expect(await focusedId()).toMatch(new RegExp(`^indicator-.*-${suffix}$`));
      if (typed) await page.keyboard.type(typed);
    }
    const group = row.getByRole("group", { name: "Indikator 1: Deltagande företag" });
    await expect.poll(() => group.getByLabel("Målvärde", { exact: true }).inputValue()).toBe("20");
    // Removal asks first; Escape keeps it, and focus goes back to the button.
    const remove = group.getByRole("button", { name: "Ta bort indikatorn Deltagande företag" });
    await remove.focus();
    await page.keyboard.press("Enter");
    const dialog = page.getByRole("dialog", { name: "Ta bort indikatorn?" });
    await dialog.waitFor();
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => remove.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.press("Enter");
    await dialog.getByRole("button", { name: "Ta bort" }).focus();
    await page.keyboard.press("Enter");
    await expect.poll(() => group.count()).toBe(0);
    expectCleanPages(logs);
  });
});
