// The meeting page by state in a real browser (issue #13, "agenda and proposals"):
// the leader adds an agenda item (the form is empty again, a second click adds no
// duplicate), edits it and deletes one; a member proposes an item and the leader
// accepts it; editing and cancelling open in a dialog (focus in, Escape closes, focus
// back) and cancelling asks for confirmation; a held meeting offers no RSVP, proposal
// or cancellation. axe-core WCAG 2.1 A/AA on every state visited, no sideways
// scrolling at 390 px, no CSP violations.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, focusedElement, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const UPCOMING = "Rådsmöte: revidering av handlingsplanen";
const HELD = "Rådsmöte: kompetensbehovsanalysen";
const TO_CANCEL = "Rådsmöte: fastställande av handlingsplanen";
const POLL_DRAFT = "Arbetsmöte om validering";
const POLL = { timeout: 20_000, interval: 200 };

describe("the meeting page in the browser", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];
  let expectedConsoleErrors: RegExp[] = [];
  const paths: Record<string, string> = {};

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    for (const title of [UPCOMING, HELD, TO_CANCEL, POLL_DRAFT]) {
      const m = await s.db.selectFrom("meetings").select("id").where("title", "=", title).executeTakeFirstOrThrow();
      paths[title] = `/councils/skaraborg/meetings/${m.id}`;
    }
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });
  afterEach(async () => {
    const [done, expected] = [logs, expectedConsoleErrors];
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    logs = [];
    expectedConsoleErrors = [];
    expectCleanPages(done, expected);
  });

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  /** Open a meeting's page and wait for its heading. */
  const open = async (page: Page, title: string) => {
    await page.goto(s.url + paths[title]);
    await page.getByRole("heading", { level: 1, name: title }).waitFor();
  };

  /** The page's state as a phone sees it: axe-clean at desktop width, and nothing wider than 390 px. */
  const checkState = async (page: Page, what: string) => {
    await expectNoAxeViolations(page, what);
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, `${what} scrolls sideways at 390 px: ${wide.join(", ")}`).toBe(0);
  };

  const agendaRows = async (title: string) => {
    const id = paths[title].split("/").pop()!;
    return s.db.selectFrom("agenda_items").selectAll().where("meeting_id", "=", id).orderBy("position").execute();
  };
  const agendaItem = (page: Page, title: string) => page.locator(".agenda-list .agenda-item").filter({ has: page.locator("strong", { hasText: title }) });

  it("agenda and proposals: add (the form resets, no duplicate), edit, delete; a member proposes, the leader accepts", async () => {
    const leader = await signedIn(LEADER);
    await open(leader, UPCOMING);
    await expect.poll(() => leader.locator(".meeting-summary").textContent(), POLL).toContain("Kallat");
    await checkState(leader, "an upcoming meeting (leader)");

    // Add an item linked to the plan.
    const title = "Rapport från branschrådet";
    await leader.locator("#agenda-title").fill(title);
    await leader.locator("#agenda-kind").selectOption("information");
    await leader.locator("#agenda-minutes").fill("10");
    const firstLink = await leader.locator("#agenda-planLink option").nth(1).getAttribute("value");
    await leader.locator("#agenda-planLink").selectOption(firstLink!);
    await leader.getByRole("button", { name: "Lägg till på dagordningen" }).click();
    await agendaItem(leader, title).waitFor({ timeout: POLL.timeout });
    await leader.getByText("Dagordningen är uppdaterad.").waitFor();
    // The form is empty again, plan link included, and the title field has focus for the next item.
    await expect.poll(() => leader.locator("#agenda-title").inputValue(), POLL).toBe("");
    expect(await leader.locator("#agenda-planLink").inputValue()).toBe("");
    expect(await leader.locator("#agenda-minutes").inputValue()).toBe("15");
    await expect.poll(() => focusedElement(leader), POLL).toBe("#agenda-title");
    // A second click adds nothing: the empty form is refused (Chromium logs the 400).
    const here = (s.url + paths[UPCOMING]).replace(/[.?]/g, "\\$&");
    expectedConsoleErrors.push(new RegExp(`status of 400 \\(Bad Request\\) \\[page ${here}, source ${here}(\\.data)?:`));
    await leader.getByRole("button", { name: "Lägg till på dagordningen" }).click();
    await leader.locator("#agenda-title-error").waitFor({ timeout: POLL.timeout });
    expect((await agendaRows(UPCOMING)).filter((r) => r.title === title)).toHaveLength(1);

    // Edit it: its menu opens on request, the form is filled in, the change is saved and the menu closes.
    const menu = agendaItem(leader, title).locator("details.item-menu");
    await menu.locator("summary").click();
    const edited = "Rapport från branschrådet för industrin";
    const itemId = (await agendaRows(UPCOMING)).find((r) => r.title === title)!.id;
    expect(await leader.locator(`#item-${itemId}-planLink`).inputValue()).toBe(firstLink);
    await leader.locator(`#item-${itemId}-title`).fill(edited);
    await leader.locator(`#item-${itemId}-minutes`).fill("20");
    await checkState(leader, "an agenda item's edit menu (leader)");
    await menu.getByRole("button", { name: "Spara punkten" }).click();
    await leader.getByText("Punkten är sparad.").waitFor({ timeout: POLL.timeout });
    await expect.poll(async () => (await agendaRows(UPCOMING)).find((r) => r.id === itemId)?.title, POLL).toBe(edited);
    await agendaItem(leader, edited).waitFor({ timeout: POLL.timeout });
    expect(await agendaItem(leader, edited).textContent()).toContain("Information, 20 min");
    expect(await agendaItem(leader, edited).locator("details.item-menu").getAttribute("open")).toBeNull();
    expect((await agendaRows(UPCOMING)).find((r) => r.id === itemId)).toMatchObject({ title: edited, minutes: 20 });

    // Delete another item through its menu.
    const gone = "Övriga frågor";
    await agendaItem(leader, gone).getByText("Ändra", { exact: true }).click();
    await leader.getByRole("button", { name: `Ta bort ${gone}` }).click();
    // It asks first, with focus on the safe choice: Escape keeps the item.
    const ask = leader.getByRole("dialog", { name: `Ta bort ”${gone}”?` });
    await ask.waitFor({ timeout: POLL.timeout });
    await checkState(leader, "deleting an agenda item asks first");
    expect(await leader.evaluate(() => document.activeElement?.textContent)).toBe("Avbryt");
    await leader.keyboard.press("Escape");
    await ask.waitFor({ state: "hidden", timeout: POLL.timeout });
    expect(await leader.evaluate(() => document.activeElement?.getAttribute("aria-label"))).toBe(`Ta bort ${gone}`);
    expect((await agendaRows(UPCOMING)).map((r) => r.title)).toContain(gone);
    await leader.getByRole("button", { name: `Ta bort ${gone}` }).click();
    await ask.getByRole("button", { name: "Ta bort", exact: true }).click();
    await leader.getByText("Punkten är borttagen.").waitFor({ timeout: POLL.timeout });
    await expect.poll(() => agendaItem(leader, gone).count(), POLL).toBe(0);
    expect((await agendaRows(UPCOMING)).map((r) => r.title)).not.toContain(gone);

    // A member proposes an item.
    const member = await signedIn(MEMBER);
    await open(member, UPCOMING);
    await checkState(member, "an upcoming meeting (member)");
    const proposal = "Studiebesök på Volvo Cars i Skövde";
    await member.getByRole("link", { name: "Föreslå en punkt till dagordningen" }).click();
    await member.locator("#agenda-title").fill(proposal);
    await member.locator("#agenda-minutes").fill("15");
    await member.getByRole("button", { name: "Skicka förslaget" }).click();
    await member.getByText("Ditt förslag är skickat till processledaren.").waitFor({ timeout: POLL.timeout });
    await expect.poll(() => member.locator("#agenda-title").inputValue(), POLL).toBe("");
    expect((await agendaRows(UPCOMING)).find((r) => r.title === proposal)).toMatchObject({ status: "proposed" });

    // The leader sees it (live) and accepts it: it joins the agenda with its clock time.
    await leader.getByRole("heading", { name: "Föreslagna punkter" }).waitFor({ timeout: POLL.timeout });
    await checkState(leader, "an upcoming meeting with a proposal (leader)");
    await leader.getByRole("button", { name: `Godta ${proposal}` }).click();
    await agendaItem(leader, proposal).waitFor({ timeout: POLL.timeout });
    expect(await agendaItem(leader, proposal).locator(".agenda-clock").textContent()).toMatch(/^\d\d:\d\d–\d\d:\d\d (CET|CEST)$/);
    expect((await agendaRows(UPCOMING)).find((r) => r.title === proposal)).toMatchObject({ status: "accepted" });
  });

  it("editing and cancelling open in a dialog: focus moves in, Escape closes, focus returns; cancelling asks first", async () => {
    const leader = await signedIn(LEADER);
    await open(leader, TO_CANCEL);
    // Not standing forms: the fields are inside closed dialogs.
    expect(await leader.locator("dialog#edit").isVisible()).toBe(false);
    expect(await leader.locator("dialog#cancel").isVisible()).toBe(false);

    const editOpener = leader.getByRole("link", { name: "Ändra eller flytta mötet" });
    await editOpener.click();
    const edit = leader.getByRole("dialog", { name: "Ändra eller flytta mötet" });
    await edit.waitFor();
    expect(await leader.locator("dialog#edit").evaluate((d) => d.matches(":modal"))).toBe(true);
    expect(await focusedElement(leader)).toBe("#title");
    await checkState(leader, "the edit dialog");
    await leader.keyboard.press("Escape");
    await expect.poll(() => leader.locator("dialog#edit").isVisible(), POLL).toBe(false);
    expect(await editOpener.evaluate((el) => el === document.activeElement)).toBe(true);

    // Moving it through the dialog: saved, the dialog closes.
    await editOpener.click();
    await edit.waitFor();
    await leader.locator("#startTime").fill("10:00");
    await edit.getByRole("button", { name: "Spara ändringarna" }).click();
    await leader.getByText("Mötet är uppdaterat.").waitFor({ timeout: POLL.timeout });
    await expect.poll(() => leader.locator("dialog#edit").isVisible(), POLL).toBe(false);

    // Cancelling asks for confirmation; "Nej, behåll mötet" keeps it.
    const cancelOpener = leader.getByRole("link", { name: "Ställ in mötet" });
    await cancelOpener.click();
    const cancel = leader.getByRole("dialog", { name: "Ställa in mötet?" });
    await cancel.waitFor();
    expect(await focusedElement(leader)).toBe("#reason");
    expect(await cancel.textContent()).toContain("Det går inte att ångra.");
    await checkState(leader, "the cancel dialog");
    await cancel.getByRole("link", { name: "Nej, behåll mötet" }).click();
    await expect.poll(() => leader.locator("dialog#cancel").isVisible(), POLL).toBe(false);
    expect(await cancelOpener.evaluate((el) => el === document.activeElement)).toBe(true);
    const id = paths[TO_CANCEL].split("/").pop()!;
    expect((await s.db.selectFrom("meetings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("convened");

    // Confirmed with a reason: cancelled, and the page offers nothing but reading.
    await cancelOpener.click();
    await cancel.waitFor();
    await leader.locator("#reason").fill("Lokalen är upptagen.");
    await cancel.getByRole("button", { name: "Ja, ställ in mötet" }).click();
    await leader.getByText("Mötet är inställt: Lokalen är upptagen.").waitFor({ timeout: POLL.timeout });
    expect((await s.db.selectFrom("meetings").select("status").where("id", "=", id).executeTakeFirstOrThrow()).status).toBe("cancelled");
    await leader.reload();
    await leader.getByText("Mötet är inställt och kan bara läsas.").waitFor();
    expect(await leader.locator(".page form").count()).toBe(0);
    await checkState(leader, "a cancelled meeting (leader)");
  });

  it("a held meeting offers no RSVP, proposal or cancellation, but its minutes; a time poll's draft reads clearly too", async () => {
    const member = await signedIn(MEMBER);
    await open(member, HELD);
    await member.locator(".meeting-summary").getByText("Hållet").waitFor();
    expect(await member.getByRole("heading", { name: "Kommer du?" }).count()).toBe(0);
    expect(await member.locator('input[name="response"]').count()).toBe(0);
    expect(await member.locator("#agenda-title").count()).toBe(0);
    expect(await member.getByText("Föreslå en punkt").count()).toBe(0);
    await member.getByRole("link", { name: "Skriv protokollet" }).waitFor();
    await checkState(member, "a held meeting (member)");

    const leader = await signedIn(LEADER);
    await open(leader, HELD);
    expect(await leader.getByRole("link", { name: "Ställ in mötet" }).count()).toBe(0);
    expect(await leader.getByRole("link", { name: "Ändra eller flytta mötet" }).count()).toBe(0);
    await leader.getByRole("link", { name: "Ändra mötets uppgifter" }).click();
    const dialog = leader.getByRole("dialog", { name: "Ändra mötets uppgifter" });
    await dialog.waitFor();
    expect(await dialog.locator('input[type="date"], input[type="time"]').count()).toBe(0);
    await leader.keyboard.press("Escape");
    await checkState(leader, "a held meeting (leader)");

    await open(leader, POLL_DRAFT);
    await leader.locator(".meeting-summary").getByText("Utkast med tidsomröstning").waitFor();
    await checkState(leader, "a draft with a time poll (leader)");
    await open(member, POLL_DRAFT);
    await member.getByRole("link", { name: "Svara på tidsförslagen" }).waitFor();
    await checkState(member, "a draft with a time poll (member)");
  });
});
