// The leader's members page in a real browser (issue #16): a bulk invitation pasted
// as CSV is previewed (axe-clean, errors per row), corrected and sent; a member's
// organisation is corrected; on a 390 px phone nothing scrolls sideways.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readOutbox } from "../helpers/outbox";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

describe("members page: bulk invitations and organisations", { timeout: 120_000 }, () => {
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

  async function membersPage(viewport = { width: 1280, height: 900 }) {
    const context = await browser.newContext({ viewport, locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, "processledare@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg/members`);
    await page.getByRole("heading", { level: 2, name: "Bjud in flera på en gång" }).waitFor();
    return page;
  }

  it("paste, see the wrong row, correct it, send: every invitation e-mailed", async () => {
    const page = await membersPage({ width: 390, height: 844 });
    const header = "e-post;namn;organisation;perspektiv;roll;adjungerad från och med;adjungerad till och med";
    const bad = [header, "eva.strom@tibro.se;Eva Ström;Tibro kommun;Kommunalförbund;Ledamot;;", "jonas.ro@lidkoping.se;Jonas Ro;Lidköpings kommun;Kommunalförbund;Ordförande;;"].join("\n");
    await page.getByLabel("Klistra in rader (CSV)").fill(bad);
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    const alert = page.getByRole("alert").filter({ hasText: "1 rader har fel – ingen är inbjuden." });
    await alert.waitFor();
    await expect.poll(() => alert.locator("tr").filter({ hasText: "jonas.ro@lidkoping.se" }).innerText()).toContain("Roll:");
    await expectNoAxeViolations(page, "the bulk preview with errors");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join("\n")).toBe(0);
    expect(await page.getByRole("button", { name: /Skicka \d+ inbjudningar/ }).count()).toBe(0);

    // The pasted text is kept for correcting it.
    const field = page.getByLabel("Klistra in rader (CSV)");
    expect(await field.inputValue()).toBe(bad);
    await field.fill(bad.replace("Ordförande", "Ledamot"));
    await page.getByRole("button", { name: "Förhandsgranska" }).click();
    await page.getByRole("heading", { name: "2 personer bjuds in" }).waitFor();
    await expectNoAxeViolations(page, "the bulk preview, all rows right");
    await page.getByRole("button", { name: "Skicka 2 inbjudningar" }).click();
    await page.getByText("2 inbjudningar är skickade med e-post.").waitFor();
    const mails = (await readOutbox(s)).filter((m) => ["eva.strom@tibro.se", "jonas.ro@lidkoping.se"].includes(m.to));
    expect(mails).toHaveLength(2);
    await page.getByRole("list").filter({ hasText: "eva.strom@tibro.se" }).first().waitFor();
    // The preview with wrong rows answers 400, as every refused form does.
    expectCleanPages(logs, [/status of 400/]);
    logs.length = 0;
  });

  it("a member's organisation is corrected from the table", async () => {
    const page = await membersPage();
    const row = page.getByRole("row").filter({ hasText: "maria.andersson@samsyn.test" });
    await row.getByText("Ändra organisation").click();
    const group = row.getByRole("group", { name: "Organisation och perspektiv för Maria Andersson" });
    await group.getByLabel("Organisation").fill("Högskolan i Skövde, institutionen för ingenjörsvetenskap");
    await group.getByLabel("Perspektiv").selectOption({ label: "Utbildning" });
    await group.getByRole("button", { name: "Spara" }).click();
    await page.getByText("Organisation och perspektiv för Maria Andersson är sparade.").waitFor();
    await expect.poll(() => page.getByRole("row").filter({ hasText: "maria.andersson@samsyn.test" }).innerText()).toContain("institutionen för ingenjörsvetenskap");
    await expectNoAxeViolations(page, "the members page");
    expectCleanPages(logs);
  });
});
