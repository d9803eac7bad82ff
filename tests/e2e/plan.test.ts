// The live action plan in real browsers: two members see each other's edits,
// presence shows who is where, an observer gets a live read-only view.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { cspMessages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

describe("live action plan in the browser", { timeout: 90_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const year = new Date().getFullYear();

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function openPlan(email: string) {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 15_000 });
    await page.locator(".plan-editor").waitFor();
    return { context, page };
  }

  it("two members co-edit: one's typing appears in the other's browser, with presence", async () => {
    const a = await openPlan("ledamot@samsyn.test");
    const b = await openPlan("processledare@samsyn.test");

    const titleA = a.page.getByLabel("Rubrik för området").first();
    const titleB = b.page.getByLabel("Rubrik för området").first();
    await titleA.click();
    await titleA.press("End");
    await titleA.pressSequentially(" – reviderad", { delay: 20 });
    await expect.poll(() => titleB.inputValue(), { timeout: 5000 }).toBe("Strategisk påverkan och omvärldsbevakning – reviderad");
    // b sees that a is here and editing that field.
    await expect.poll(() => b.page.locator(".presence-list").textContent()).toContain("Anders Johansson");
    await expect.poll(() => b.page.locator("label", { hasText: "Rubrik för området" }).first().textContent()).toContain("Anders Johansson redigerar");

    // A new action added by b shows up for a.
    await b.page.getByRole("button", { name: /Lägg till åtgärd under En gemensam bild/ }).click();
    await expect.poll(() => a.page.locator(".plan-action").count()).toBe(await b.page.locator(".plan-action").count());

    // Undo (Ctrl+Z) takes back only a's own edit, and b sees it go. Typing is grouped into
    // undo steps by pauses (600 ms), and a busy machine can pause between two keystrokes,
    // so a presses Ctrl+Z until the title is back (an undo beyond a's typing does nothing).
    const original = "Strategisk påverkan och omvärldsbevakning";
    const actionsBefore = await b.page.locator(".plan-action").count();
    for (let i = 0; i < 12 && (await titleA.inputValue()) !== original; i++) {
      await titleA.press("Control+z");
      await a.page.waitForTimeout(100);
    }
    expect(await titleA.inputValue()).toBe(original);
    await expect.poll(() => titleB.inputValue(), { timeout: 5000 }).toBe(original);
    // b's new action is not a's to undo.
    expect(await b.page.locator(".plan-action").count()).toBe(actionsBefore);
    expect(await a.page.locator(".plan-action").count()).toBe(actionsBefore);

    await expectNoAxeViolations(a.page, "plan editor");
    await a.context.close();
    await b.context.close();
  });

  it("the observer gets a live, read-only plan with no edit controls", async () => {
    const member = await openPlan("ledamot@samsyn.test");
    const observer = await openPlan("observator@samsyn.test");
    await expect(observer.page.getByText("Du kan läsa planen men inte ändra den.").isVisible()).resolves.toBe(true);
    expect(await observer.page.locator(".plan-editor input, .plan-editor textarea, .plan-editor select").count()).toBe(0);
    expect(await observer.page.getByRole("button", { name: /Lägg till|Ta bort|Ångra/ }).count()).toBe(0);

    const area = member.page.getByLabel("Beskrivning av området").first();
    await area.click();
    await area.press("End");
    await area.pressSequentially(" Live för observatören.", { delay: 10 });
    await expect
      .poll(() => observer.page.locator(".plan-area").first().textContent(), { timeout: 5000 })
      .toContain("Live för observatören.");

    await observer.page.locator(".plan-action summary").first().click();
    expect(await observer.page.locator(".plan-action .rich-text[contenteditable='true']").count()).toBe(0);
    await expectNoAxeViolations(observer.page, "plan, observer view");
    await member.context.close();
    await observer.context.close();
  });

  it("shows the plan without JavaScript, from the server's projection", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await openPage(context, logs);
    await page.goto(`${s.url}/login`);
    await page.getByLabel("E-postadress").fill("observator@samsyn.test");
    await page.getByLabel("Lösenord").fill("samsyn-demo");
    await Promise.all([page.waitForURL(`${s.url}/`), page.getByRole("button", { name: "Logga in" }).click()]);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    expect(await page.locator(".plan-static .plan-action").count()).toBeGreaterThanOrEqual(20);
    await context.close();
  });

  it("caused no Content Security Policy violations and no page errors", () => {
    expect(cspMessages(logs)).toEqual([]);
    expect(logs.flatMap((l) => l.pageErrors)).toEqual([]);
  });
});
