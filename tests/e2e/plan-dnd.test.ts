// Drag-and-drop in the plan editor (issue #13, decision 032): a real mouse drag on an
// action's handle reorders the goal's actions through the same move operation as the
// menu's "Flytta upp/ned"; a member sees the new order live, the stored projection
// (from the server's Yjs document) has it, the live region says where it went; the
// keyboard on the handle does the same; observers get no handles; axe is clean and the
// page does not scroll sideways at 390 px.
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { readProjection } from "../../server/domain/plans";
import { startTestServer, type TestServer } from "../helpers/server";
import { fill, expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, sidewaysOverflow, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const POLL = { timeout: 15_000 };

describe("plan editor: drag-and-drop", { timeout: 300_000 }, () => {
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

  async function openPlan(email: string): Promise<Page> {
    const context = await browser.newContext();
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await page.locator(".plan-editor").waitFor();
    return page;
  }

  /** The first goal's action titles, as the server projected them from its Yjs document. */
  async function storedTitles(): Promise<string[]> {
    const plan = await s.db
      .selectFrom("plans")
      .innerJoin("councils", "councils.id", "plans.council_id")
      .select("plans.id")
      .where("councils.slug", "=", "skaraborg")
      .where("plans.year", "=", year)
      .executeTakeFirstOrThrow();
    const areas = await readProjection(s.db, plan.id);
    return areas[0].goals[0].actions.map((a) => a.title);
  }

  /** Presses the mouse on `from`'s centre and moves in small steps to `to`, as a hand would. */
  async function drag(page: Page, from: { x: number; y: number }, to: { x: number; y: number }) {
    await page.mouse.move(from.x, from.y);
    await page.mouse.down();
    await page.mouse.move(from.x, from.y + 6, { steps: 3 }); // past the 4 px that tell a drag from a click
    await page.mouse.move(to.x, to.y, { steps: 12 });
    await page.mouse.move(to.x, to.y + 1, { steps: 2 });
    await page.mouse.up();
  }
  const centre = async (page: Page, selector: ReturnType<Page["locator"]>) => {
    await selector.scrollIntoViewIfNeeded();
    const box = (await selector.boundingBox())!;
    return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
  };

  it("a mouse drag on an action's handle reorders the goal's actions, for everyone and in the stored plan", async () => {
    const leader = await openPlan(LEADER);
    const member = await openPlan(MEMBER);
    const observer = await openPlan(OBSERVER);
    const goal = leader.locator(".plan-goal").first();
    const titles = () => goal.locator(".plan-action__title").allInnerTexts();
    const memberTitles = () => member.locator(".plan-goal").first().locator(".plan-action__title").allInnerTexts();
    const before = await titles();
    expect(before.length).toBeGreaterThanOrEqual(3);
    expect(await storedTitles()).toEqual(before);
    const [a, b, c] = before;

    // Every action, goal and area has a labelled handle for those who may edit.
    const handle = (page: Page, title: string) => page.getByRole("button", { name: fill(sv["planEditor.drag"], { title }), exact: true });
    expect(await handle(leader, a).count()).toBe(1);
    expect(await leader.locator(".plan-editor .drag-handle").count()).toBe(
      (await leader.locator(".plan-action").count()) + (await leader.locator(".plan-goal").count()) + (await leader.locator(".plan-area").count()),
    );
    expect(await handle(leader, a).locator("svg").getAttribute("aria-hidden")).toBe("true");

    // Drag the first action below the third: a, b, c → b, c, a.
    const rows = goal.locator(".plan-action");
    const third = await rows.nth(2).boundingBox();
    const from = await centre(leader, handle(leader, a));
    await drag(leader, from, { x: from.x, y: third!.y + third!.height * 0.75 });
    await expect.poll(async () => (await titles()).slice(0, 3), POLL).toEqual([b, c, a]);
    // The live region says where it went (the menu's move says the same).
    await expect
      .poll(() => leader.locator(".plan-editor > p[role=status]").innerText(), POLL)
      .toBe(fill(sv["planEditor.moved"], { title: a, position: 3, count: before.length }));
    // A member sees it live; the server's stored projection has it.
    await expect.poll(async () => (await memberTitles()).slice(0, 3), POLL).toEqual([b, c, a]);
    await expect.poll(async () => (await storedTitles()).slice(0, 3), { timeout: 20_000 }).toEqual([b, c, a]);
    // The other rows kept their place, and nothing was lost.
    expect((await titles()).slice(3)).toEqual(before.slice(3));
    expect([...(await titles())].sort()).toEqual([...before].sort());

    // Undo takes the drag back like any other edit.
    await leader.getByRole("button", { name: sv["plan.undo"], exact: true }).click();
    await expect.poll(async () => (await memberTitles()).slice(0, 3), POLL).toEqual([a, b, c]);

    // The keyboard on the handle does the same: Space lifts, ArrowDown, Space drops: a, b, c → b, a, c.
    // Each step is announced in Swedish (dnd-kit's live region, our dictionary).
    const said = (text: string) => leader.locator("[id^=DndLiveRegion]").filter({ hasText: text }).waitFor({ state: "attached", timeout: 10_000 });
    await handle(leader, a).focus();
    await leader.keyboard.press("Space");
    await said(fill(sv["planEditor.dragStart"], { title: a, position: 1, count: before.length }));
    await expect.poll(() => handle(leader, a).getAttribute("aria-pressed")).toBe("true");
    await leader.keyboard.press("ArrowDown");
    await said(fill(sv["planEditor.dragOver"], { title: a, position: 2, count: before.length }));
    await leader.keyboard.press("Space");
    await expect.poll(async () => (await memberTitles()).slice(0, 3), POLL).toEqual([b, a, c]);
    await expect.poll(async () => (await storedTitles()).slice(0, 3), { timeout: 20_000 }).toEqual([b, a, c]);

    // The observer has no handles (and the server would refuse their writes anyway).
    expect(await observer.locator(".drag-handle").count()).toBe(0);
    expect(await observer.getByRole("button", { name: /^Dra för att flytta / }).count()).toBe(0);
    await expect.poll(async () => (await observer.locator(".plan-goal").first().locator(".plan-action__title").allInnerTexts()).slice(0, 3), POLL).toEqual([b, a, c]);

    // On a touch screen only the handle takes the finger for dragging; the rows scroll the page as usual.
    const touchAction = (sel: string) => leader.locator(sel).first().evaluate((el) => getComputedStyle(el).touchAction);
    expect(await touchAction(".plan-action .drag-handle")).toBe("none");
    expect(await touchAction(".plan-action")).toBe("auto");
    expect(await touchAction(".plan-action summary")).toBe("auto");

    for (const [page, who] of [[leader, "leader"], [member, "member"], [observer, "observer"]] as const) {
      await expectNoAxeViolations(page, `plan editor with drag handles (${who})`);
      expect((await sidewaysOverflow(page)).overflow, `sideways scrolling at 390 px (${who})`).toBe(0);
    }
  });

  it("a goal is dragged among its area's goals", async () => {
    const leader = await openPlan(LEADER);
    const area = leader.locator(".plan-area").first();
    const goals = area.locator(".plan-goal");
    if ((await goals.count()) < 2) {
      // Seed data with one goal in the first area: add one to drag over.
      const areaTitle = (await area.locator("h2").innerText()).replace(/^.*?: /, "").trim();
      await leader.getByRole("button", { name: fill(sv["plan.addGoal"], { title: areaTitle }) }).click();
      await expect.poll(() => goals.count(), POLL).toBeGreaterThanOrEqual(2);
      await leader.keyboard.type("Ett andra mål");
    }
    const goalTitles = () => goals.locator("h3").evaluateAll((hs) => hs.map((h) => (h.textContent ?? "").replace(/^.*?: /, "").trim()));
    const [g1, g2] = await goalTitles();
    const second = (await goals.nth(1).locator(".plan-head").boundingBox())!;
    const from = await centre(leader, leader.getByRole("button", { name: fill(sv["planEditor.drag"], { title: g1 }), exact: true }));
    // Past the second goal's head: the first goal is tall, so aim below the second goal's middle.
    const secondBox = (await goals.nth(1).boundingBox())!;
    await drag(leader, from, { x: from.x, y: Math.max(second.y, secondBox.y + secondBox.height * 0.8) });
    await expect.poll(async () => (await goalTitles()).slice(0, 2), POLL).toEqual([g2, g1]);
  });

  it("caused no console errors, page errors or CSP violations", async () => {
    for (const c of contexts) await c.close();
    expectCleanPages(logs);
  });
});
