// Workflow "minutes co-edited, approved" (#13): two people write the minutes live
// from the agenda template, one formats with the toolbar (a bullet list, bold), the
// leader records a decision next to its agenda item, the approver approves, and the
// approved minutes keep their list and bold, for an observer too. axe-core clean on
// every page, nothing scrolls sideways at 390 px, no CSP violations.
import type { Browser, Locator, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

describe("minutes co-edited, approved", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  let meetingId: string;
  let path: string;

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
    meetingId = (await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow()).id;
    path = `/councils/skaraborg/meetings/${meetingId}/minutes`;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function open(email: string) {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}${path}`);
    return { context, page };
  }
  async function noSidewaysScroll(page: Page, what: string) {
    const { overflow, wide } = await sidewaysOverflow(page);
    expect(overflow, `${what} scrolls sideways at 390 px: ${wide.join(", ")}`).toBe(0);
  }
  const editorOf = (page: Page) => page.getByRole("textbox", { name: "Protokollets text" });
  /** Texts of the elements without the other editors' caret labels. */
  const texts = (l: Locator) =>
    l.evaluateAll((els) =>
      els.map((e) => {
        const c = e.cloneNode(true) as Element;
        c.querySelectorAll(".collab-caret").forEach((x) => x.remove());
        return c.textContent;
      }),
    );

  it("two people write from the agenda template; one makes a bullet list and bold text with the toolbar", async () => {
    const leader = await open("processledare@samsyn.test");
    // Attendance first, as the leader does at the start of the meeting.
    await leader.page.locator("summary", { hasText: "Registrera närvaro" }).click();
    // One group of radios per person (fieldset and legend), pre-filled from the RSVPs.
    for (const name of ["Karin Lindqvist", "Anders Johansson", "Maria Andersson"]) {
      await leader.page.getByRole("group", { name: new RegExp(`^${name},`) }).getByLabel("Närvarande").check();
    }
    await expectNoAxeViolations(leader.page, "minutes with the attendance form open");
    await leader.page.getByRole("button", { name: "Spara närvaron" }).click();
    await leader.page.getByText("Närvaron är sparad.").waitFor();
    // A guest added by mistake: removing asks first; "Avbryt" keeps the guest, "Ta bort gästen" removes.
    await leader.page.getByLabel("Gästens namn").fill("Felix Felregistrerad");
    await leader.page.getByLabel("Gästens organisation").fill("Okänd AB");
    await leader.page.getByRole("button", { name: "Lägg till gästen" }).click();
    const guestRemove = leader.page.getByRole("button", { name: "Ta bort gästen – Felix Felregistrerad" });
    await guestRemove.click();
    const confirm = leader.page.getByRole("dialog", { name: "Ta bort gästen Felix Felregistrerad från närvaron?" });
    await confirm.getByRole("button", { name: "Avbryt" }).click();
    await expect.poll(() => confirm.isVisible()).toBe(false);
    const guests = () => s.db.selectFrom("meeting_guests").select("name").where("meeting_id", "=", meetingId).execute();
    expect((await guests()).map((g) => g.name)).toEqual(["Felix Felregistrerad"]);
    await guestRemove.click();
    await confirm.getByRole("button", { name: "Ta bort gästen" }).click();
    await expect.poll(async () => (await guests()).length).toBe(0);
    await expect.poll(() => guestRemove.count()).toBe(0);
    const member = await open("ledamot@samsyn.test");
    for (const p of [leader.page, member.page]) await p.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    const [editorL, editorM] = [editorOf(leader.page), editorOf(member.page)];
    // The template: one heading per agenda item.
    await expect.poll(() => editorM.locator("h4").allTextContents(), { timeout: 10_000 }).toEqual([
      "§1 Mötet öppnas",
      "§2 Årets uppföljning: åtgärder med risk för försening",
      "§3 Förslag till prioriterade områden nästa år",
      "§4 Beslut om att öppna revideringen",
      "§5 Övriga frågor",
    ]);

    // The member writes under §1: a bullet list from the toolbar, the second point in bold.
    const toolbar = member.page.getByRole("toolbar", { name: "Formatering" });
    await editorM.locator("h4", { hasText: "§1 Mötet öppnas" }).click();
    await member.page.keyboard.press("End");
    await member.page.keyboard.press("ArrowDown");
    await toolbar.getByRole("button", { name: "Punktlista" }).click();
    await expect.poll(() => toolbar.getByRole("button", { name: "Punktlista" }).getAttribute("aria-pressed")).toBe("true");
    await member.page.keyboard.type("Karin hälsade välkommen", { delay: 10 });
    await member.page.keyboard.press("Enter");
    await toolbar.getByRole("button", { name: "Fetstil" }).click();
    await expect.poll(() => toolbar.getByRole("button", { name: "Fetstil" }).getAttribute("aria-pressed")).toBe("true");
    await member.page.keyboard.type("Dagordningen godkändes", { delay: 10 });

    // The leader writes under §2 at the same time, and sees the member's list and bold live.
    await editorL.locator("h4", { hasText: "§2 Årets uppföljning" }).click();
    await leader.page.keyboard.press("End");
    await leader.page.keyboard.press("ArrowDown");
    await leader.page.keyboard.type("Tre åtgärder riskerar att försenas.", { delay: 10 });
    await expect.poll(() => texts(editorL.locator("ul li")), { timeout: 10_000 }).toEqual(["Karin hälsade välkommen", "Dagordningen godkändes"]);
    await expect.poll(() => texts(editorL.locator("ul li strong")), { timeout: 10_000 }).toEqual(["Dagordningen godkändes"]);
    await expect.poll(() => editorM.textContent(), { timeout: 10_000 }).toContain("Tre åtgärder riskerar att försenas.");

    // The toolbar is one tab stop; arrow keys move along it.
    await toolbar.getByRole("button", { name: "Rubrik", exact: true }).focus();
    await member.page.keyboard.press("ArrowRight");
    expect(await member.page.evaluate(() => document.activeElement?.textContent)).toBe("Underrubrik");
    expect(await toolbar.locator('button[tabindex="0"]').count()).toBe(1);

    await expectNoAxeViolations(member.page, "minutes editor with toolbar");
    await noSidewaysScroll(member.page, "the minutes editor");
    await member.context.close();

    // An action item: added (the form is empty again), corrected, deleted.
    const page = leader.page;
    await page.locator("#what").fill("Skicka ut underlaget");
    await page.getByRole("button", { name: "Lägg till", exact: true }).click();
    await page.locator(".action-items li", { hasText: "Skicka ut underlaget" }).waitFor();
    await expect.poll(() => page.locator("#what").inputValue()).toBe("");
    const row = page.locator(".action-items > li").first();
    await row.locator("summary", { hasText: "Ändra" }).click();
    await row.getByLabel("Vad ska göras").fill("Skicka ut underlaget senast fredag");
    await row.getByRole("button", { name: "Spara åtgärdspunkten" }).click();
    await page.getByText("Åtgärdspunkten är ändrad.").waitFor();
    await expect.poll(() => page.locator(".action-items > li").first().textContent()).toContain("Skicka ut underlaget senast fredag");
    await page.getByRole("button", { name: "Ta bort – Skicka ut underlaget senast fredag" }).click();
    await page.getByText("Åtgärdspunkten är borttagen.").waitFor();
    await expect.poll(() => page.locator(".action-items > li").count(), { timeout: 10_000 }).toBe(0);

    // The leader records the decision next to §4, names the approver and closes the minutes.
    await leader.page.locator("summary", { hasText: "Anteckna beslut – Beslut om att öppna revideringen" }).click();
    await leader.page.getByLabel("Beslut för Beslut om att öppna revideringen").fill("Rådet beslutade att öppna revideringen.");
    await leader.page.getByRole("button", { name: "Spara beslutet" }).click();
    await leader.page.getByText("Beslutet är antecknat.").waitFor();
    await expect.poll(() => leader.page.locator(".minutes-agenda > li").nth(3).textContent()).toContain("Rådet beslutade att öppna revideringen.");
    await expectNoAxeViolations(leader.page, "minutes with agenda and decisions (leader)");
    await noSidewaysScroll(leader.page, "the minutes page (leader)");
    await leader.page.getByLabel("Justerare 1").selectOption({ label: "Maria Andersson" });
    await leader.page.getByRole("button", { name: "Utse justerare" }).click();
    await leader.page.getByRole("button", { name: "Stäng protokollet och skicka för justering" }).click();
    await leader.page.getByText("Protokollet är stängt och skickat för justering.").waitFor();
    await leader.context.close();
  });

  it("the approver approves; the approved minutes keep the bullet list and bold, for an observer too", async () => {
    const approver = await open("maria.andersson@samsyn.test");
    await expect.poll(() => approver.page.locator(".minutes-text ul li").allTextContents()).toEqual(["Karin hälsade välkommen", "Dagordningen godkändes"]);
    await approver.page.getByRole("button", { name: "Justera protokollet" }).click();
    await approver.page.getByText("Justerat och publicerat").first().waitFor();
    await approver.context.close();

    const observer = await open("observator@samsyn.test");
    const text = observer.page.locator(".minutes-text");
    expect(await text.locator("ul li").allTextContents()).toEqual(["Karin hälsade välkommen", "Dagordningen godkändes"]);
    expect(await text.locator("ul li strong").textContent()).toBe("Dagordningen godkändes");
    expect(await text.locator("h4").first().textContent()).toBe("§1 Mötet öppnas");
    expect(await observer.page.locator(".minutes-agenda").textContent()).toContain("Rådet beslutade att öppna revideringen.");
    expect(await observer.page.getByRole("textbox").count()).toBe(0);
    await expectNoAxeViolations(observer.page, "approved minutes (observer)");
    await noSidewaysScroll(observer.page, "approved minutes (observer)");
    await observer.context.close();
  });

  it("caused no CSP violations, page errors or console errors", () => {
    expectCleanPages(logs);
  });
});
