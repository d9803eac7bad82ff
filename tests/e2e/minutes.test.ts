// Minutes co-edited live in two browsers; approved minutes read by an observer.
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { cspMessages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

describe("minutes in the browser", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  let upcoming: string;
  let approved: string;

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
    const rows = await s.db.selectFrom("meetings").select(["id", "title"]).execute();
    upcoming = rows.find((r) => r.title === "Rådsmöte: revidering av handlingsplanen")!.id;
    approved = rows.find((r) => r.title === "Rådsmöte: uppföljning av handlingsplanen")!.id;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(email: string, meetingId: string) {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}/councils/skaraborg/meetings/${meetingId}/minutes`);
    return { context, page };
  }

  it("two people co-edit the minutes and see each other's text", async () => {
    const a = await open("processledare@samsyn.test", upcoming);
    const b = await open("ledamot@samsyn.test", upcoming);
    for (const p of [a.page, b.page]) await p.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    const editorA = a.page.getByRole("textbox", { name: "Protokollets text" });
    const editorB = b.page.getByRole("textbox", { name: "Protokollets text" });
    await editorA.click();
    await a.page.keyboard.type("Karin hälsade välkommen.", { delay: 15 });
    await expect.poll(() => editorB.textContent(), { timeout: 10_000 }).toContain("Karin hälsade välkommen.");
    await editorB.click();
    await b.page.keyboard.press("Control+End");
    await b.page.keyboard.press("Enter");
    await b.page.keyboard.type("Anders föredrog uppföljningen.", { delay: 15 });
    await expect.poll(() => editorA.textContent(), { timeout: 10_000 }).toContain("Anders föredrog uppföljningen.");
    await expectNoAxeViolations(a.page, "minutes editor");
    await a.context.close();
    await b.context.close();
  });

  it("an observer reads approved minutes with attendance and decisions", async () => {
    const o = await open("observator@samsyn.test", approved);
    const text = await o.page.locator("main").textContent();
    expect(text).toContain("Justerat och publicerat");
    expect(text).toContain("Maria Andersson valdes att justera protokollet.");
    expect(text).toContain("Rådet ställer sig bakom uttalandet om fler yrkesvux-platser.");
    expect(await o.page.getByRole("textbox").count()).toBe(0);
    await expectNoAxeViolations(o.page, "approved minutes (observer)");
    await o.context.close();
  });

  it("caused no CSP violations or page errors", () => {
    expect(cspMessages(logs)).toEqual([]);
    expect(logs.flatMap((l) => l.pageErrors)).toEqual([]);
  });
});
