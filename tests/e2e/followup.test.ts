// Follow-up (uppföljning) in real browsers: a report filed by the responsible
// member shows up live on an observer's dashboard; the dashboard, its filters,
// the action page, the year comparison and the leader's revision tools pass axe.
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { ACTION_STATUSES, type ActionStatus } from "../../server/domain/plan-doc";
import { startTestServer, type TestServer } from "../helpers/server";
import { fill, cspMessages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, socketReady, type PageLog } from "./helpers";

const ACTION_TITLE = "Branschvisa rekryteringsträffar för industrin";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const LEADER = "processledare@samsyn.test";

const label = (s: string) => sv[`status.${s}` as keyof typeof sv];

describe("follow-up in the browser", { timeout: 150_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const year = new Date().getFullYear();
  let councilId: string;
  let planId: string;
  let actionId: string;
  let before: { status: ActionStatus; progress: number };
  let memberName: string;
  let lastMeetingTitle: string | undefined;

  const dashboardUrl = () => `${s.url}/councils/skaraborg/plans/${year}/dashboard`;
  const actionUrl = () => `${s.url}/councils/skaraborg/plans/${year}/actions/${actionId}`;

  beforeAll(async () => {
    s = await startTestServer();
    browser = await launchBrowser();
    const council = await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    councilId = council.id;
    planId = (await s.db.selectFrom("plans").select("id").where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow()).id;
    const action = await s.db
      .selectFrom("plan_actions")
      .select(["id", "status", "progress", "responsible_user_id"])
      .where("plan_id", "=", planId)
      .where("title", "=", ACTION_TITLE)
      .executeTakeFirstOrThrow();
    actionId = action.id;
    before = { status: action.status as ActionStatus, progress: action.progress };
    const member = await s.db.selectFrom("users").select(["id", "name"]).where("email", "=", MEMBER).executeTakeFirstOrThrow();
    expect(action.responsible_user_id, "the demo member is responsible for the action").toBe(member.id);
    memberName = member.name;
    // The meeting the dashboard counts "changed since" from: the latest convened one that has started.
    lastMeetingTitle = (
      await s.db
        .selectFrom("meetings")
        .select("title")
        .where("council_id", "=", councilId)
        .where("status", "=", "convened")
        .where("starts_at", "<", new Date().toISOString())
        .orderBy("starts_at", "desc")
        .executeTakeFirst()
    )?.title;
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  async function signedIn(email: string) {
    const context = await browser.newContext();
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return { context, page };
  }

  const rowOf = (page: Page, id: string) => page.locator("table.action-table tbody tr").filter({ has: page.locator(`a[href$="/actions/${id}"]`) });

  it("a member's report appears live on an observer's dashboard, and in the action's history", async () => {
    expect(lastMeetingTitle, "the demo data has a past convened meeting").toBeTruthy();
    const newStatus = ACTION_STATUSES.find((st) => label(st) === "Risk för försening")!;
    expect(newStatus).toBeDefined();
    expect(before.status, "the seeded status differs from the reported one").not.toBe(newStatus);
    const comment = `Två träffar flyttade till hösten (${Date.now()}).`;

    // The observer opens the dashboard and waits until its live connection is in the council's room.
    const observer = await signedIn(OBSERVER);
    await observer.page.goto("about:blank"); // close the home page's socket before listening for a new one
    const ready = socketReady(observer.page);
    await observer.page.goto(dashboardUrl());
    await ready;
    const row = rowOf(observer.page, actionId);
    await expect.poll(() => row.count()).toBe(1);
    const badge = row.locator(".status");
    expect((await badge.innerText()).trim()).toContain(label(before.status));
    expect(await row.locator("td").nth(2).innerText()).toBe(`${before.progress} %`);
    const changedHeading = observer.page.getByRole("heading", {
      level: 2,
      name: fill(sv["followup.changedSince"], { title: lastMeetingTitle! }),
    });
    await changedHeading.waitFor();
    const changedSection = changedHeading.locator("xpath=following-sibling::*[1]");
    expect(await changedSection.innerText()).not.toContain(comment);
    expect(await observer.page.locator("p.live-note[role=status]").innerText(), "nothing announced before a change").toBe("");
    // A marker that a reload would wipe out.
    await observer.page.evaluate(() => {
      (window as unknown as Record<string, unknown>).__followupMarker = "kept";
    });
    // A keyboard user on the action's link in the table: the live update must not take the focus away.
    await row.locator(`a[href$="/actions/${actionId}"]`).focus();
    let navigations = 0;
    observer.page.on("framenavigated", (f) => {
      if (f === observer.page.mainFrame()) navigations++;
    });

    // The responsible member reports on the action's page.
    const member = await signedIn(MEMBER);
    await member.page.goto(actionUrl());
    await member.page.getByRole("heading", { level: 2, name: sv["followup.report"] }).waitFor();
    await member.page.getByLabel(sv["plan.status"], { exact: true }).selectOption({ label: label(newStatus) });
    await member.page.getByLabel(sv["plan.progress"]).fill("60");
    await member.page.locator("#comment").fill(comment);
    // The page reloads its data twice: once after its own submission, once more for the live event
    // the report causes. The confirmation must survive the second (useActionResult).
    let dataLoads = 0;
    const twoDataLoads = new Promise<void>((resolve) =>
      member.page.on("response", (r) => {
        if (r.request().method() === "GET" && new URL(r.url()).pathname.endsWith(".data") && ++dataLoads === 2) resolve();
      }),
    );
    await member.page.getByRole("button", { name: sv["followup.submit"] }).click();
    await member.page.getByText(sv["followup.saved"]).waitFor({ timeout: 15_000 });
    await twoDataLoads;
    await member.page.waitForLoadState("networkidle");
    expect(await member.page.getByText(sv["followup.saved"]).isVisible(), "the confirmation outlives the live update").toBe(true);

    // The observer's dashboard follows, without a reload.
    await expect.poll(() => badge.innerText(), { timeout: 20_000 }).toContain(label(newStatus));
    expect(await row.locator("td").nth(2).innerText()).toBe("60 %");
    await expect.poll(() => changedSection.innerText(), { timeout: 10_000 }).toContain(comment);
    const changedItem = changedSection.locator("li", { hasText: comment });
    const changedText = await changedItem.innerText();
    expect(changedText).toContain(ACTION_TITLE);
    expect(changedText).toContain(`${label(before.status)} → ${label(newStatus)}, 60 %`);
    expect(changedText).toContain(memberName);
    expect(await observer.page.evaluate(() => (window as unknown as Record<string, unknown>).__followupMarker)).toBe("kept");
    expect(navigations, "the dashboard was not reloaded").toBe(0);
    // The update is announced politely to screen readers, once its data is on the page.
    const status = observer.page.getByRole("status").filter({ hasText: "Uppföljningen uppdaterades" });
    await expect.poll(() => status.count(), { timeout: 10_000 }).toBe(1);
    expect(await status.innerText()).toMatch(/^Uppföljningen uppdaterades kl\. \d{2}:\d{2} med nya ändringar\.$/);
    expect(
      await observer.page.evaluate(() => document.activeElement?.getAttribute("href") ?? document.activeElement?.tagName),
      "the focus stayed on the same link through the update",
    ).toMatch(new RegExp(`/actions/${actionId}$`));

    // The action's page lists the report in its history, newest first.
    const latest = member.page.locator("ol.history > li").first();
    await expect.poll(() => latest.innerText(), { timeout: 10_000 }).toContain(comment);
    const latestText = await latest.innerText();
    expect(latestText).toContain(memberName);
    expect(latestText).toContain(`${label(before.status)} → ${label(newStatus)}`);
    expect(latestText).toContain(`${before.progress} % → 60 %`);
    expect((await member.page.locator("h1 + p .status").innerText()).trim()).toContain(label(newStatus));

    // And the database agrees.
    const stored = await s.db
      .selectFrom("followups")
      .innerJoin("users", "users.id", "followups.reported_by")
      .select(["followups.new_status", "followups.new_progress", "followups.source", "users.email"])
      .where("followups.plan_id", "=", planId)
      .where("followups.action_id", "=", actionId)
      .where("followups.comment", "=", comment)
      .execute();
    expect(stored).toEqual([{ new_status: newStatus, new_progress: 60, source: "report", email: MEMBER }]);

    await observer.context.close();
    await member.context.close();
  });

  it("the dashboard, filtered or not, passes axe; filtering by status shows only that status", async () => {
    const { context, page } = await signedIn(OBSERVER);
    await page.goto(dashboardUrl());
    await page.getByRole("heading", { level: 1, name: fill(sv["followup.title"], { year }) }).waitFor();
    await expectNoAxeViolations(page, "follow-up dashboard (observer)");

    const delayed = ACTION_STATUSES.find((st) => label(st) === "Försenad")!;
    const expected = await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", planId).where("status", "=", delayed).execute();
    expect(expected.length, "the demo plan has delayed actions").toBeGreaterThan(0);
    const form = page.getByRole("form", { name: sv["followup.filter"] });
    await form.getByLabel(sv["plan.status"], { exact: true }).selectOption({ label: label(delayed) });
    await Promise.all([page.waitForURL((u) => u.searchParams.get("status") === delayed), form.getByRole("button", { name: sv["followup.apply"] }).click()]);
    await expect.poll(() => page.locator("table.action-table tbody tr").count()).toBe(expected.length);
    for (const x of expected) expect(await rowOf(page, x.id).count()).toBe(1);
    const badges = await page.locator("table.action-table tbody .status").allInnerTexts();
    expect(badges.length).toBe(expected.length);
    for (const b of badges) expect(b).toContain(label(delayed));
    expect(await form.getByLabel(sv["plan.status"], { exact: true }).inputValue()).toBe(delayed);
    await expectNoAxeViolations(page, "follow-up dashboard filtered by status");
    await context.close();
  });

  it("the action page with its report form passes axe (member)", async () => {
    const { context, page } = await signedIn(MEMBER);
    await page.goto(actionUrl());
    await page.getByRole("heading", { level: 1, name: ACTION_TITLE }).waitFor();
    expect(await page.getByRole("button", { name: sv["followup.submit"] }).count()).toBe(1);
    await expectNoAxeViolations(page, "action page with report form (member)");
    await context.close();
  });

  it("the comparison of last year's plan with this year's passes axe", async () => {
    const plans = await s.db.selectFrom("plans").select(["year"]).where("council_id", "=", councilId).execute();
    expect(plans.map((p) => p.year)).toEqual(expect.arrayContaining([year - 1, year]));
    const { context, page } = await signedIn(OBSERVER);
    await page.goto(`${s.url}/councils/skaraborg/plans/compare?from=${year - 1}&to=${year}`);
    await page.getByRole("heading", { level: 1, name: sv["revision.title"] }).waitFor();
    expect((await page.locator(".compare h2").innerText()).trim()).toBe(`${year - 1} → ${year}`);
    expect(await page.getByLabel(sv["revision.from"]).inputValue()).toBe(String(year - 1));
    expect(await page.getByLabel(sv["revision.to"]).inputValue()).toBe(String(year));
    await expectNoAxeViolations(page, "plan comparison");
    await context.close();
  });

  it("the plan page with the leader's revision tools open passes axe", async () => {
    const plan = await s.db.selectFrom("plans").select("status").where("id", "=", planId).executeTakeFirstOrThrow();
    const nextExists = !!(await s.db.selectFrom("plans").select("id").where("council_id", "=", councilId).where("year", "=", year + 1).executeTakeFirst());
    const { context, page } = await signedIn(LEADER);
    await page.goto(`${s.url}/councils/skaraborg/plans/${year}`);
    await page.locator('[data-connection="connected"]').waitFor({ timeout: 20_000 });
    await page.locator(".plan-editor").waitFor();
    // The leader's tools are a section of the page now (adoption opens a confirmation dialog).
    const tools = page.locator("section.plan-tools");
    const open = tools.getByRole("button", { name: fill(sv["revision.open"], { year: year + 1 }) });
    const adopt = tools.getByRole("link", { name: sv["adopt.start"] });
    expect(await open.count()).toBe(nextExists ? 0 : 1);
    expect(await adopt.count()).toBe(plan.status === "adopted" ? 0 : 1);
    expect((await open.count()) + (await adopt.count()), "the leader has at least one tool").toBeGreaterThan(0);
    if (await open.count()) expect(await open.isVisible()).toBe(true);
    if (await adopt.count()) expect(await adopt.isVisible()).toBe(true);
    await expectNoAxeViolations(page, "plan page with revision tools (leader)");
    await context.close();
  });

  it("never shows a status by colour alone: every badge on the dashboard has a text label", async () => {
    const { context, page } = await signedIn(OBSERVER);
    await page.goto(dashboardUrl());
    const rows = await s.db.selectFrom("plan_actions").select(["id", "status"]).where("plan_id", "=", planId).execute();
    expect(rows.length).toBeGreaterThan(0);
    // A plan this small shows every action at once; the area table's and the month table's
    // headers (the charts' data tables) have one badge per status each.
    await expect.poll(() => page.locator("table.action-table tbody tr").count()).toBe(rows.length);
    // The month table is behind "Visa som tabell": open it, so its badges are read as shown.
    await page.locator('figure[aria-labelledby="chart-months-cap"] details.chart__table summary').click();
    // The indicator table's badges (suggested and current status) are checked for words below too, not counted here.
    const badges = page.locator("table:not(.indicator-table) .status");
    expect(await badges.count()).toBe(rows.length + 2 * ACTION_STATUSES.length);
    for (const text of await page.locator("table .status").allInnerTexts()) {
      // The symbol is aria-hidden: the word must be there besides it.
      const word = text.replace(/[○●▲■✓✕]/g, "").trim();
      expect(word, `badge "${text}" has a text label`).not.toBe("");
    }
    // Each row's word is the label of the action's actual status.
    for (const r of rows) {
      expect((await rowOf(page, r.id).locator(".status").innerText()).trim()).toContain(label(r.status));
    }
    await context.close();
  });

  it("caused no Content Security Policy violations and no page errors", () => {
    expect(logs.length).toBeGreaterThan(0);
    expect(cspMessages(logs)).toEqual([]);
    expect(logs.flatMap((l) => l.pageErrors)).toEqual([]);
  });
});
