// Issue #12 item 6 in the browser: rich text stored in a shape the editor cannot
// show (text placed directly in the document, nesting thousands deep, written
// before the server checked shapes) must not take the page down with it: the
// text is shown as plain text with a message, and the rest of the page works.
import type { Browser } from "playwright-core";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SqliteDocStore } from "../../server/collab/store";
import { actionsOf, areasOf, goalsOf, xmlToText } from "../../server/domain/plan-doc";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectNoAxeViolations, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";
import { nest } from "../helpers/yjs";
import { minutesDocName, statementDocName } from "../../server/domain/doc-names";

const MEETING = "Rådsmöte: revidering av handlingsplanen";
const NOTE = "Texten är sparad i en form som redigeraren inte kan visa.";


describe("rich text the editor cannot show, in the browser", { timeout: 120_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  let meetingId: string;
  let statementId: string;
  let plan: { docName: string; year: number };

  async function storeBehindTheServer(docName: string, change: (d: Y.Doc) => void) {
    const store = new SqliteDocStore(s.db);
    const doc = new Y.Doc();
    for (const u of (await store.load(docName)).updates) Y.applyUpdate(doc, u);
    const sv = Y.encodeStateVector(doc);
    doc.transact(() => change(doc));
    await store.append(docName, Y.encodeStateAsUpdate(doc, sv), null);
  }

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
    const rows = await s.db.selectFrom("meetings").select(["id", "title"]).execute();
    meetingId = rows.find((r) => r.title === MEETING)!.id;
    const member = await login(s.url, "ledamot@samsyn.test");
    plan = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", member)).text)[0];
    const created = await postForm(s.url, "/councils/skaraborg/statements", { kind: "statement", title: "Uttalande med djup text" }, member);
    statementId = created.headers.get("location")!.split("/").pop()!;
    await storeBehindTheServer(minutesDocName(meetingId), (d) => d.getXmlFragment("content").insert(0, [new Y.XmlText("Lös text i protokollet")]));
    await storeBehindTheServer(statementDocName(statementId), (d) => nest(d.getXmlFragment("content"), 8000, "djupt nere"));
    await storeBehindTheServer(plan.docName, (d) => {
      const action = actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0);
      (action.get("description") as Y.XmlFragment).insert(0, [new Y.XmlText("Lös text i beskrivningen")]);
    });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(email: string, path: string) {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}${path}`);
    return { context, page };
  }

  it("minutes with text placed directly in the document: plain text and a message, not an error page", async () => {
    const { context, page } = await open("ledamot@samsyn.test", `/councils/skaraborg/meetings/${meetingId}/minutes`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await expect.poll(() => page.locator("main").textContent(), { timeout: 10_000 }).toContain("Lös text i protokollet");
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).not.toContain("Något gick fel");
    expect(main).toContain(NOTE);
    expect(await page.locator(".rich-text[contenteditable='true']").count()).toBe(0);
    await expectNoAxeViolations(page, "minutes shown as plain text");
    await context.close();
  });

  it("a statement nested 8,000 levels deep: plain text and a message", async () => {
    const { context, page } = await open("ledamot@samsyn.test", `/councils/skaraborg/statements/${statementId}`);
    await expect.poll(() => page.locator("main").textContent(), { timeout: 20_000 }).toContain("djupt nere");
    const main = (await page.locator("main").textContent()) ?? "";
    expect(main).not.toContain("Något gick fel");
    expect(main).toContain(NOTE);
    await context.close();
  });

  it("an action description with text placed directly in it: the plan still works", async () => {
    const { context, page } = await open("ledamot@samsyn.test", `/councils/skaraborg/plans/${plan.year}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await page.locator(".plan-action summary").first().click();
    await expect.poll(() => page.locator(".plan-action").first().textContent(), { timeout: 10_000 }).toContain("Lös text i beskrivningen");
    expect((await page.locator("main").textContent()) ?? "").not.toContain("Något gick fel");
    expect(await page.locator(".plan-action").first().textContent()).toContain(NOTE);
    // The rest of the plan is still editable: another action's description opens in the editor.
    await page.locator(".plan-action summary").nth(1).click();
    const editor = page.locator(".plan-action").nth(1).locator(".rich-text[contenteditable='true']");
    await editor.waitFor({ timeout: 10_000 });
    // What the real editor writes passes the server's check: a heading, bold text, a
    // hard break, a list in a list, a quote (the connection stays open and the server has it).
    await editor.click();
    await page.keyboard.press("Control+End");
    await page.keyboard.press("Enter");
    await page.keyboard.type("### Rubrik", { delay: 10 });
    await page.keyboard.press("Enter");
    await page.keyboard.press("Control+b");
    await page.keyboard.type("fetstil", { delay: 10 });
    await page.keyboard.press("Control+b");
    await page.keyboard.press("Shift+Enter");
    await page.keyboard.type("ny rad", { delay: 10 });
    await page.keyboard.press("Enter");
    await page.keyboard.type("- punkt ett", { delay: 10 });
    await page.keyboard.press("Enter");
    await page.keyboard.press("Tab");
    await page.keyboard.type("inre punkt", { delay: 10 });
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.press("Enter");
    await page.keyboard.type("> citat", { delay: 10 });
    const serverText = async () => {
      const doc = await s.server.collab.roomDoc(plan.docName);
      return doc ? xmlToText(actionsOf(goalsOf(areasOf(doc).get(0)).get(0)).get(1).get("description") as Y.XmlFragment) : "";
    };
    await expect.poll(serverText, { timeout: 10_000 }).toContain("citat");
    const stored = await serverText();
    for (const part of ["Rubrik", "fetstil", "ny rad", "punkt ett", "inre punkt"]) expect(stored).toContain(part);
    expect(await page.locator('[data-connection="connected"]').count()).toBe(1);
    await context.close();
  });

  it("threw nothing on any page", () => {
    expect(logs.flatMap((l) => l.pageErrors)).toEqual([]);
    expect(logs.flatMap((l) => l.consoleErrors)).toEqual([]);
  });
});
