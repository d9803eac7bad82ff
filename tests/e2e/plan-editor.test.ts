// The plan editor as people use it (issue #13): compact action rows whose details open
// on demand, an overflow menu per item (keyboard reorder, move, delete with
// confirmation), a new action that opens with focus in its title, the follow-up link;
// a live edit seen by a member and an observer; a revision opened, adopted after a
// confirmation listing what looks unfinished, and compared. Every page passes axe and
// does not scroll sideways at 390 px.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { startTestServer, type TestServer } from "../helpers/server";
import { fill, expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const POLL = { timeout: 10_000 };

describe("plan editor: compact rows, menus, adoption", { timeout: 400_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];
  const year = new Date().getFullYear();

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function openPlan(email: string, y = year): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}/councils/skaraborg/plans/${y}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await page.locator(".plan-editor").waitFor();
    return page;
  }

  /** Sideways scrolling at 390 px, measured after the live editor has mounted; the viewport is put back. */
  async function overflowAt390(page: Page): Promise<number> {
    return (await sidewaysOverflow(page)).overflow;
  }

  const row = (page: Page, id: string) => page.locator(`.plan-action[data-action-id="${id}"]`);
  const menuButton = (page: Page, title: string) => page.getByRole("button", { name: fill(sv["planEditor.more"], { title }), exact: true });
  const focusedLabel = (page: Page) => page.evaluate(() => document.activeElement?.getAttribute("aria-label") ?? document.activeElement?.textContent ?? "");

  it("a live plan edit seen by a member and an observer, in compact rows", async () => {
    const leader = await openPlan(LEADER);
    const member = await openPlan(MEMBER);
    const observer = await openPlan(OBSERVER);

    // Compact rows: closed rows mount no fields and no rich-text editor, and no
    // full-sentence move/delete buttons remain.
    const rows = leader.locator(".plan-action");
    expect(await rows.count()).toBeGreaterThanOrEqual(20);
    expect(await leader.locator(".plan-action input, .plan-action select, .plan-action textarea, .plan-action .rich-text").count()).toBe(0);
    expect(await leader.getByRole("button", { name: /^(Flytta upp|Flytta ned|Ta bort) / }).count()).toBe(0);
    expect(await leader.locator(".plan-action").getByRole("button", { name: /^Fler val för / }).count()).toBe(await rows.count());

    const first = rows.first();
    const id = (await first.getAttribute("data-action-id"))!;
    const oldTitle = (await first.locator(".plan-action__title").innerText()).trim();
    await first.locator("summary").click();
    const title = row(leader, id).getByLabel(sv["plan.actionTitle"], { exact: true });
    await title.click();
    await title.press("End");
    await title.pressSequentially(" (reviderad)", { delay: 10 });
    await row(leader, id).getByLabel(sv["plan.status"], { exact: true }).selectOption("at_risk");
    const newTitle = `${oldTitle} (reviderad)`;

    // Both other people see the change live in the closed, compact row.
    for (const page of [member, observer]) {
      await expect.poll(() => row(page, id).locator("summary").innerText(), POLL).toContain(newTitle);
      await expect.poll(() => row(page, id).locator("summary .status").innerText(), POLL).toContain(sv["status.at_risk"]);
    }

    // The observer reads the same rows with no edit controls: no menu, no inputs, no add buttons,
    // and the details they open are read-only.
    expect(await observer.getByText(sv["plan.readOnly"]).isVisible()).toBe(true);
    expect(await observer.getByRole("button", { name: /^Fler val för |^Lägg till|^Ångra/ }).count()).toBe(0);
    await row(observer, id).locator("summary").click();
    await expect.poll(() => row(observer, id).locator(".plan-action__body > .plan-facts").count(), POLL).toBe(1);
    expect(await observer.locator(".plan-editor input, .plan-editor select, .plan-editor textarea, .plan-editor [contenteditable='true']").count()).toBe(0);
    expect(await observer.getByRole("link", { name: /^Rapportera uppföljning/ }).count()).toBe(0);

    // "Rapportera uppföljning": the leader on every action, a member on their own.
    expect(await leader.getByRole("link", { name: /^Rapportera uppföljning/ }).count()).toBe(await rows.count());
    const own = member.getByRole("link", { name: /^Rapportera uppföljning för Branschvisa rekryteringsträffar/ });
    expect(await own.count()).toBe(1);
    expect(await member.getByRole("link", { name: /^Rapportera uppföljning/ }).count()).toBeLessThan(await rows.count());

    for (const [page, who] of [[leader, "leader"], [member, "member"], [observer, "observer"]] as const) {
      await expectNoAxeViolations(page, `plan editor (${who})`);
      expect(await overflowAt390(page), `sideways scrolling at 390 px (${who})`).toBe(0);
    }

    // The member's report link leads to the action's follow-up form.
    await own.click();
    await member.getByRole("heading", { level: 2, name: sv["followup.report"] }).waitFor();
    expect(member.url()).toMatch(/\/actions\/[^/#]+#report-h$/);
  });

  it("reorders, moves and deletes an action with the keyboard, through its menu", async () => {
    const leader = await openPlan(LEADER);
    const member = await openPlan(MEMBER);
    const goal = leader.locator(".plan-goal").first();
    const titles = () => goal.locator(".plan-action__title").allInnerTexts();
    const memberTitles = () => member.locator(".plan-goal").first().locator(".plan-action__title").allInnerTexts();
    const [a, b] = await titles();

    // Enter on the menu button opens the menu with focus on its first item: "Flytta upp" for the second row.
    const button = menuButton(leader, b);
    await button.focus();
    expect(await button.getAttribute("aria-expanded")).toBe("false");
    await leader.keyboard.press("Enter");
    const menu = leader.getByRole("menu", { name: fill(sv["planEditor.more"], { title: b }) });
    await menu.waitFor();
    expect(await button.getAttribute("aria-expanded")).toBe("true");
    expect(await focusedLabel(leader)).toBe(sv["planEditor.moveUp"]);
    await expectNoAxeViolations(leader, "plan editor with an item's menu open");
    // Escape closes it and gives focus back to the button.
    await leader.keyboard.press("Escape");
    await expect.poll(() => menu.count()).toBe(0);
    expect(await focusedLabel(leader)).toBe(fill(sv["planEditor.more"], { title: b }));

    // Space opens it again; Enter on "Flytta upp" moves the row up, for everyone, and focus stays on its menu button.
    await leader.keyboard.press(" ");
    await menu.waitFor();
    await leader.keyboard.press("Enter");
    await expect.poll(titles, POLL).toEqual(expect.arrayContaining([b, a]));
    expect((await titles()).slice(0, 2)).toEqual([b, a]);
    await expect.poll(async () => (await memberTitles()).slice(0, 2), POLL).toEqual([b, a]);
    await expect.poll(() => focusedLabel(leader)).toBe(fill(sv["planEditor.more"], { title: b }));

    // ArrowDown opens on the first item: the row is first now, so that is "Flytta ned". Move it back.
    await leader.keyboard.press("ArrowDown");
    await menu.waitFor();
    expect(await focusedLabel(leader)).toBe(sv["planEditor.moveDown"]);
    await leader.keyboard.press("Enter");
    await expect.poll(async () => (await titles()).slice(0, 2), POLL).toEqual([a, b]);

    // "Flytta till mål": the row moves to another goal (here the last one in the plan).
    await menuButton(leader, b).focus();
    await leader.keyboard.press("Enter");
    const targets = menu.getByRole("group", { name: sv["plan.moveTo"] }).getByRole("menuitem");
    const target = targets.last();
    const targetLabel = (await target.innerText()).trim();
    await target.focus();
    await leader.keyboard.press("Enter");
    await expect.poll(titles, POLL).not.toContain(b);
    const lastGoal = leader.locator(".plan-goal").last();
    await expect.poll(() => lastGoal.locator(".plan-action__title").allInnerTexts(), POLL).toContain(b);
    expect(targetLabel).toContain(" › ");

    // Delete asks first; Escape keeps the row, "Ta bort" in the dialog removes it.
    await menuButton(leader, b).focus();
    await leader.keyboard.press("ArrowUp"); // opens on the last item: "Ta bort"
    await menu.waitFor();
    expect(await focusedLabel(leader)).toBe(sv["planEditor.delete"]);
    await leader.keyboard.press("Enter");
    const dialog = leader.getByRole("dialog", { name: fill(sv["planEditor.deleteTitle"], { title: b }) });
    await dialog.waitFor();
    // Focus starts on the safe choice.
    expect(await focusedLabel(leader)).toBe(sv["planEditor.cancel"]);
    await expectNoAxeViolations(leader, "plan editor with the delete confirmation");
    await leader.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await lastGoal.locator(".plan-action__title").allInnerTexts()).toContain(b);
    await menuButton(leader, b).click();
    await menu.getByRole("menuitem", { name: sv["planEditor.delete"] }).click();
    await dialog.getByRole("button", { name: sv["planEditor.delete"] }).click();
    await expect.poll(() => lastGoal.locator(".plan-action__title").allInnerTexts(), POLL).not.toContain(b);
    await expect.poll(() => member.locator(".plan-action__title").allInnerTexts(), POLL).not.toContain(b);
    // …and Undo brings it back.
    await leader.getByRole("button", { name: sv["plan.undo"], exact: true }).click();
    await expect.poll(() => member.locator(".plan-action__title").allInnerTexts(), POLL).toContain(b);
    expect(await overflowAt390(leader)).toBe(0);
  });

  it("a new action opens with focus in its title", async () => {
    const leader = await openPlan(LEADER);
    const member = await openPlan(MEMBER);
    const before = await member.locator(".plan-action").count();
    const goal = leader.locator(".plan-goal").first();
    const goalTitle = (await goal.locator("h3").innerText()).replace(`${sv["plan.goal"]}: `, "").trim();
    await leader.getByRole("button", { name: fill(sv["plan.addAction"], { title: goalTitle }) }).click();
    const fresh = goal.locator(".plan-action").last();
    await expect.poll(() => fresh.locator("details").evaluate((d) => (d as HTMLDetailsElement).open), POLL).toBe(true);
    const field = fresh.getByLabel(sv["plan.actionTitle"], { exact: true });
    await expect.poll(() => field.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    await leader.keyboard.type("Mentorprogram för nyanlända");
    await expect.poll(() => member.locator(".plan-action").count(), POLL).toBe(before + 1);
    await expect.poll(() => member.locator(".plan-action__title").allInnerTexts(), POLL).toContain("Mentorprogram för nyanlända");
    // The member's copy of the new row stays closed: only its creator's opens.
    const id = (await fresh.getAttribute("data-action-id"))!;
    expect(await row(member, id).locator("details").evaluate((d) => (d as HTMLDetailsElement).open)).toBe(false);
    expect(await overflowAt390(leader)).toBe(0);
  });

  it("opens a revision, adopts it after a confirmation listing what looks unfinished, and compares", async () => {
    const leader = await openPlan(LEADER);
    const next = year + 1;
    await leader.getByRole("button", { name: fill(sv["revision.open"], { year: next }) }).click();
    await leader.waitForURL(`${s.url}/councils/skaraborg/plans/${next}`);
    // The URL may change a moment before the new page renders (a transition): wait for the new page.
    await expect.poll(async () => (await leader.locator("h1 + p strong").innerText()).trim(), POLL).toBe(sv["planStatus.revision"]);
    await leader.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await leader.locator(".plan-editor").waitFor();

    // An action without a title or a responsible person: adoption should point at it.
    const goal = leader.locator(".plan-goal").first();
    const goalTitle = (await goal.locator("h3").innerText()).replace(`${sv["plan.goal"]}: `, "").trim();
    const count = await leader.locator(".plan-action").count();
    await leader.getByRole("button", { name: fill(sv["plan.addAction"], { title: goalTitle }) }).click();
    await expect.poll(() => leader.locator(".plan-action").count()).toBe(count + 1);

    const start = leader.getByRole("link", { name: sv["adopt.start"] });
    await start.click();
    const dialog = leader.getByRole("dialog", { name: fill(sv["adopt.title"], { year: next }) });
    await dialog.waitFor();
    const text = await dialog.innerText();
    expect(text).toContain(sv["adopt.warningsTitle"]);
    expect(text).toContain(fill(sv["adopt.untitledActions"], { count: 1 }));
    expect(text).toMatch(/Åtgärder utan ansvarig person \(\d+\)/);
    expect(text).toContain(`handlingsplanen ${next} med`);
    expect(text).toContain(`${count + 1} åtgärder`);
    await expectNoAxeViolations(leader, "the adoption dialog");
    expect(await overflowAt390(leader), "the adoption dialog at 390 px").toBe(0);

    // It is the shared DisclosureDialog: focus starts in its first field, Escape closes it and
    // focus goes back to the opener; its ✕ and "Avbryt" close it too.
    await expect.poll(() => leader.evaluate(() => document.activeElement?.closest("dialog") !== null && document.activeElement?.tagName === "SELECT")).toBe(true);
    await leader.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await expect.poll(() => start.evaluate((el) => el === document.activeElement)).toBe(true);
    await start.click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: sv["dialog.close"] }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await start.click();
    await dialog.waitFor();

    // Cancel: nothing is adopted.
    await dialog.getByRole("link", { name: sv["adopt.cancel"] }).click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(leader.url()).toBe(`${s.url}/councils/skaraborg/plans/${next}`);
    const status = () => s.db.selectFrom("plans").select("status").where("year", "=", next).executeTakeFirstOrThrow();
    expect((await status()).status).toBe("revision");

    // Confirm: the plan is adopted and frozen.
    await start.click();
    await dialog.waitFor();
    await dialog.getByRole("button", { name: fill(sv["revision.adopt"], { year: next }) }).click();
    await leader.getByText(sv["revision.adopted"]).waitFor();
    expect((await status()).status).toBe("adopted");
    await expect.poll(() => leader.locator(".plan-editor").getByText(sv["plan.readOnly"]).count(), { timeout: 20_000 }).toBe(1);
    expect(await leader.locator(".plan-editor input, .plan-editor textarea, .plan-editor select").count()).toBe(0);
    expect(await leader.getByRole("button", { name: /^Fler val för / }).count()).toBe(0);
    expect(await leader.getByRole("link", { name: sv["adopt.start"] }).count()).toBe(0);
    await expectNoAxeViolations(leader, "the adopted plan");
    expect(await overflowAt390(leader)).toBe(0);

    // Compare with the year before.
    await leader.getByRole("link", { name: sv["revision.compare"] }).click();
    await leader.getByRole("heading", { level: 1, name: sv["revision.title"] }).waitFor();
    expect(leader.url()).toContain(`from=${year}&to=${next}`);
    await expectNoAxeViolations(leader, "the comparison after adoption");
  });

  it("without JavaScript, adoption's confirmation is a page state (?dialog=adopt) with the same check", async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    contexts.push(context);
    const page = await openPage(context, logs);
    await page.goto(`${s.url}/login`);
    await page.getByLabel("E-postadress").fill(LEADER);
    await page.getByLabel("Lösenord").fill("samsyn-demo");
    await Promise.all([page.waitForURL(`${s.url}/`), page.getByRole("button", { name: "Logga in" }).click()]);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.getByRole("link", { name: sv["adopt.start"] }).click();
    await page.waitForURL(/\?dialog=adopt$/);
    // The server renders the same dialog open in the page.
    const dialog = page.getByRole("dialog", { name: fill(sv["adopt.title"], { year }) });
    expect(await dialog.isVisible()).toBe(true);
    expect(await dialog.innerText()).toContain(`handlingsplanen ${year} med`);
    expect(await dialog.getByRole("button", { name: fill(sv["revision.adopt"], { year }) }).count()).toBe(1);
    await dialog.getByRole("link", { name: sv["adopt.cancel"] }).click();
    await page.waitForURL(`${s.url}/councils/skaraborg/plans/${year}`);
    expect(await page.getByRole("dialog").count()).toBe(0);
  });

  it("caused no console errors, page errors or CSP violations", async () => {
    for (const c of contexts) await c.close();
    expectCleanPages(logs);
  });
});
