// Code loaded on demand (issue #13, "Phone and speed"): the rich-text editor
// (TipTap + ProseMirror, app/collab/RichTextEditor.tsx) is downloaded only where a
// rich-text field mounts, and a page downloads only its own language's dictionary
// (app/i18n/index.ts). Checked through the requests a real browser makes.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const WAIT = { timeout: 30_000 };
const EDITOR_CHUNK = /\/assets\/RichTextEditor-[\w-]+\.js$/;
const EN_CHUNK = /\/assets\/en-[\w-]+\.js$/;

describe("code on demand", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  afterEach(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    const done = logs;
    contexts = [];
    logs = [];
    expectCleanPages(done);
  });

  async function fresh(): Promise<{ page: Page; scripts: string[] }> {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    const scripts: string[] = [];
    page.on("request", (r) => {
      if (r.resourceType() === "script") scripts.push(new URL(r.url()).pathname);
    });
    return { page, scripts };
  }

  it("reading pages never download the editor or the English words; a draft's text field loads the editor", async () => {
    const { page, scripts } = await fresh();
    await loginViaUi(page, s.url, "ledamot@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg/statements`);
    await page.getByRole("heading", { level: 1, name: "Uttalanden och förslag" }).waitFor();
    await page.goto(`${s.url}/councils/skaraborg/meetings`);
    await page.getByRole("heading", { level: 1 }).first().waitFor();
    await page.waitForLoadState("networkidle");
    expect(scripts.length).toBeGreaterThan(3); // the page's own code was seen
    expect(scripts.filter((p) => EDITOR_CHUNK.test(p))).toEqual([]);
    expect(scripts.filter((p) => EN_CHUNK.test(p))).toEqual([]);

    // A new statement draft mounts its rich-text field: now the editor's code comes, and it edits.
    await page.goto(`${s.url}/councils/skaraborg/statements`);
    await page.getByLabel("Rubrik", { exact: true }).fill("Uttalande om lärlingsplatser");
    await page.getByRole("button", { name: "Skapa utkast" }).click();
    await page.getByRole("heading", { level: 1, name: "Uttalande om lärlingsplatser" }).waitFor();
    const editor = page.locator(".ProseMirror[contenteditable='true']");
    await editor.waitFor(WAIT);
    expect(scripts.filter((p) => EDITOR_CHUNK.test(p))).toHaveLength(1);
    await editor.click();
    await page.keyboard.type("Fler lärlingsplatser.");
    await expect.poll(() => editor.textContent(), WAIT).toContain("Fler lärlingsplatser.");
  });

  it("English is its own chunk: loaded before hydration, and after signing in as a person who chose English", async () => {
    const { page, scripts } = await fresh();
    await loginViaUi(page, s.url, "maria.andersson@samsyn.test");
    await page.getByRole("button", { name: "In English" }).click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await page.getByRole("button", { name: "Sign out" }).waitFor(WAIT);
    expect(scripts.filter((p) => EN_CHUNK.test(p)).length).toBeGreaterThanOrEqual(1);
    // Hydrated in English: a client-side navigation renders English words.
    await page.getByRole("link", { name: "Settings" }).click();
    await page.getByRole("heading", { level: 1, name: "Settings" }).waitFor(WAIT);

    // Sign out, and in again from a Swedish page: the stored choice (English) arrives with a
    // client-side navigation, and the dictionary follows.
    await page.getByRole("button", { name: "Sign out" }).click();
    await page.waitForURL(/\/login/);
    await page.context().clearCookies();
    const { page: again, scripts: later } = await fresh();
    await again.goto(`${s.url}/login`);
    await again.getByLabel("E-postadress").fill("maria.andersson@samsyn.test");
    await again.getByLabel("Lösenord").fill(DEMO_PASSWORD);
    await again.getByRole("button", { name: "Logga in" }).click();
    await again.getByRole("button", { name: "Sign out" }).waitFor(WAIT);
    await again.waitForFunction(() => document.documentElement.lang === "en");
    expect(later.filter((p) => EN_CHUNK.test(p)).length).toBeGreaterThanOrEqual(1);
  });
});
