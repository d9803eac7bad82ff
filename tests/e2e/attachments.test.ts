// Meeting documents (handlingar, issue #15) in a real browser: without JavaScript a
// leader opens "Ladda upp handling", chooses a file for an agenda item and uploads;
// the page says so, lists the file (and shows it at its item), and the link
// downloads the same bytes under its name. A program called .pdf is refused with the
// message at the form. With JavaScript the same forms work, and the page passes
// axe-core WCAG 2.1 A/AA with no sideways scrolling at 390 px and no CSP violations.
// The meeting book (issue #15): a two-page PDF uploaded in the browser is downloaded
// through the page's link inside the book, after its item.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { PDFDocument } from "pdf-lib";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const UPCOMING = "Rådsmöte: revidering av handlingsplanen";

describe("meeting documents in the browser", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let dir: string;
  let meetingPath: string;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-e2e-files-"));
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    const m = await s.db.selectFrom("meetings").select("id").where("title", "=", UPCOMING).executeTakeFirstOrThrow();
    meetingPath = `/councils/skaraborg/meetings/${m.id}`;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });
  afterEach(async () => {
    const done = logs;
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    logs = [];
    expectCleanPages(done);
  });

  async function signedIn(email: string, javaScriptEnabled: boolean): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE", javaScriptEnabled, acceptDownloads: true });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  /** Open "Ladda upp handling" (it stands open while the meeting has no documents). */
  const openUpload = async (page: Page) => {
    const details = page.locator("section#handlingar details.attachment-upload");
    if (!(await details.evaluate((d) => (d as HTMLDetailsElement).open))) await details.locator("summary").click();
  };

  const file = (name: string, content: Buffer) => {
    const p = path.join(dir, name);
    fs.writeFileSync(p, content);
    return p;
  };

  it("without JavaScript: upload to an agenda item, see it listed and at the item, download it; a program called .pdf is refused", async () => {
    const page = await signedIn(LEADER, false);
    await page.goto(s.url + meetingPath);
    const section = page.locator("section#handlingar");
    await openUpload(page);
    const pdf = Buffer.from("%PDF-1.4\n% kallelsens bilaga\n%%EOF\n");
    await section.getByLabel("Fil", { exact: true }).setInputFiles(file("Bilaga 1 – budget.pdf", pdf));
    const item = await s.db
      .selectFrom("agenda_items as a")
      .innerJoin("meetings as m", "m.id", "a.meeting_id")
      .select(["a.id", "a.title"])
      .where("m.title", "=", UPCOMING)
      .where("a.status", "=", "accepted")
      .orderBy("a.position")
      .executeTakeFirstOrThrow();
    await section.getByLabel("Hör till punkt").selectOption(item.id);
    await Promise.all([page.waitForURL(/attachmentDone=added/), section.getByRole("button", { name: "Ladda upp", exact: true }).click()]);
    await expect(page.locator("section#handlingar").getByText("Handlingen är uppladdad.")).toBeTruthy();
    const link = page.locator("section#handlingar").getByRole("link", { name: "Ladda ned Bilaga 1 – budget.pdf" });
    await link.waitFor();
    expect(await page.locator("section#handlingar").innerText()).toContain(`Punkt: ${item.title}`);
    // At its agenda item too.
    expect(await page.locator("section.agenda").getByRole("link", { name: "Bilaga 1 – budget.pdf" }).count()).toBe(1);
    const [download] = await Promise.all([page.waitForEvent("download"), link.click()]);
    expect(download.suggestedFilename()).toBe("Bilaga 1 – budget.pdf");
    expect(fs.readFileSync((await download.path())!).equals(pdf)).toBe(true);

    // A Windows program renamed .pdf: refused, with the reason at the upload form.
    const exe = Buffer.alloc(256, 0);
    exe.write("MZ", 0, "latin1");
    await openUpload(page);
    await page.locator("section#handlingar").getByLabel("Fil", { exact: true }).setInputFiles(file("Protokoll.pdf", exe));
    await Promise.all([page.waitForURL(/attachmentError=error\.fileType/), page.locator("section#handlingar").getByRole("button", { name: "Ladda upp", exact: true }).click()]);
    expect(await page.locator("section#handlingar .error-summary").innerText()).toContain("Den sortens fil går inte att ladda upp.");
    expect(await s.db.selectFrom("attachments").select("name").execute()).toEqual([{ name: "Bilaga 1 – budget.pdf" }]);
  });

  it("with JavaScript: rename through the file's menu; accessible, no sideways scrolling at 390 px", async () => {
    const page = await signedIn(LEADER, true);
    await page.goto(s.url + meetingPath);
    const section = page.locator("section#handlingar");
    await section.getByRole("link", { name: "Ladda ned Bilaga 1 – budget.pdf" }).waitFor();
    await section.getByText("Ändra", { exact: true }).click();
    await section.getByRole("textbox", { name: "Byt namn" }).fill("Bilaga 1 – budget 2027");
    await Promise.all([page.waitForURL(/attachmentDone=renamed/), section.getByRole("button", { name: "Spara namnet" }).click()]);
    await page.locator("section#handlingar").getByRole("link", { name: "Ladda ned Bilaga 1 – budget 2027.pdf" }).waitFor();
    await expectNoAxeViolations(page, "meeting page with documents");
    // The upload form open too, with its hint of the limits.
    await openUpload(page);
    expect(await page.locator("section#handlingar").innerText()).toContain("Högst 20 MB per fil och 100 MB för mötet");
    await expectNoAxeViolations(page, "upload form open");
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, wide.join(", ")).toBe(0);
  });

  it("the meeting book: a two-page PDF uploaded here comes back inside the book, downloaded through the page's link", async () => {
    const page = await signedIn(LEADER, false);
    await page.goto(s.url + meetingPath);
    const bookLink = page.getByRole("link", { name: "Möteshandlingarna som PDF" });
    const pagesOf = async (bytes: Buffer) => (await PDFDocument.load(bytes)).getPageCount();
    const [before] = await Promise.all([page.waitForEvent("download"), bookLink.click()]);
    const without = await pagesOf(fs.readFileSync((await before.path())!));
    const twoPages = await PDFDocument.create();
    twoPages.addPage();
    twoPages.addPage();
    await openUpload(page);
    const section = page.locator("section#handlingar");
    await section.getByLabel("Fil", { exact: true }).setInputFiles(file("Underlag två sidor.pdf", Buffer.from(await twoPages.save())));
    await Promise.all([page.waitForURL(/attachmentDone=added/), section.getByRole("button", { name: "Ladda upp", exact: true }).click()]);
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByRole("link", { name: "Möteshandlingarna som PDF" }).click()]);
    expect(download.suggestedFilename()).toMatch(/^moteshandlingar-rådsmöte-revidering-av-handlingsplanen-\d{4}-\d{2}-\d{2}\.pdf$/);
    // A document of the meeting as a whole: a section page of its own, then its two pages.
    expect(await pagesOf(fs.readFileSync((await download.path())!))).toBe(without + 3);
  });
});
