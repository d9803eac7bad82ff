// Statements and proposals in a real browser (issue #6): two members see each
// other's words in a draft live; a member votes in the demo proposal's decision
// poll through the form; the observer reads the adopted statement and sees no
// drafts; axe-core WCAG 2.1 A/AA on the list, a draft, the poll and the adopted
// text; no CSP violations, no uncaught exceptions, no console errors.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const MEMBER = "ledamot@samsyn.test";
const MARIA = "maria.andersson@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const LIST = "/councils/skaraborg/statements";
const ADOPTED = "Fler platser inom yrkesvux i Skaraborg";
const PROPOSAL = "Åtgärdsförslag: validering med handledarstöd";
const WAIT = { timeout: 30_000 };

describe("statements in the browser", { timeout: 180_000 }, () => {
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

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  it("two members draft live; the list, the draft page and its forms pass axe", async () => {
    const [a, b] = await Promise.all([signedIn(MEMBER), signedIn(MARIA)]);
    await a.goto(s.url + LIST);
    await a.getByRole("heading", { level: 1, name: "Uttalanden och förslag" }).waitFor();
    await expectNoAxeViolations(a, "statements list");
    await a.getByLabel("Rubrik", { exact: true }).fill("Uttalande om sommarjobb");
    await a.getByRole("button", { name: "Skapa utkast" }).click();
    await a.getByRole("heading", { level: 1, name: "Uttalande om sommarjobb" }).waitFor();
    const url = a.url();
    await b.goto(url);
    const editorA = a.locator(".ProseMirror[contenteditable='true']");
    const editorB = b.locator(".ProseMirror[contenteditable='true']");
    await editorA.waitFor(WAIT);
    await editorB.waitFor(WAIT);
    await editorA.click();
    await a.keyboard.type("Fler sommarjobb för unga i Skaraborg.");
    await expect.poll(() => editorB.textContent(), WAIT).toContain("Fler sommarjobb för unga i Skaraborg.");
    await b.getByLabel("Kommentar", { exact: true }).fill("Lägg till kommunernas roll.");
    await b.getByRole("button", { name: "Skicka kommentar" }).click();
    await a.getByText("Lägg till kommunernas roll.").waitFor(WAIT); // live, through socket.io revalidation
    await expectNoAxeViolations(a, "statement draft");
    // The leader's decision tools on the same draft: poll, recorded decision, meeting decision.
    const leader = await signedIn("processledare@samsyn.test");
    await leader.goto(url);
    await leader.getByRole("heading", { level: 2, name: "Beslut vid ett möte" }).waitFor();
    await leader.getByLabel("Protokollfört beslut").waitFor();
    await expectNoAxeViolations(leader, "statement draft (leader's decision tools)");
  });

  it("a member votes in the demo proposal's poll; axe on the poll", async () => {
    const page = await signedIn(MEMBER);
    await page.goto(s.url + LIST);
    await page.getByRole("link", { name: PROPOSAL }).click();
    await page.getByRole("heading", { level: 2, name: "Beslutsomröstning" }).waitFor();
    await page.getByRole("radio", { name: "Instämmer", exact: true }).check();
    await page.getByRole("button", { name: "Rösta" }).click();
    await page.getByRole("button", { name: "Ändra röst" }).waitFor(WAIT);
    await expect.poll(() => page.getByRole("region", { name: "Beslutsomröstning" }).textContent(), WAIT).toContain("Anders Johansson: Instämmer");
    await expectNoAxeViolations(page, "decision poll");
  });

  it("the observer reads the adopted statement and sees no drafts; axe on the adopted text", async () => {
    const page = await signedIn(OBSERVER);
    await page.goto(s.url + LIST);
    await page.getByRole("link", { name: ADOPTED }).waitFor();
    expect(await page.getByRole("link", { name: PROPOSAL }).count()).toBe(0);
    await page.getByRole("link", { name: ADOPTED }).click();
    await page.getByRole("heading", { level: 2, name: "Antagen text" }).waitFor();
    expect(await page.locator(".frozen-text").textContent()).toContain("yrkesvux");
    expect(await page.locator(".ProseMirror").count()).toBe(0);
    await expectNoAxeViolations(page, "adopted statement");
  });
});
