// Council life in real browsers (Debian's Chromium via playwright-core) against a real
// server (issue #6): a member's open page gets a live notification (header count and a
// polite toast, no reload) when the leader convenes a meeting through the meetings UI;
// opening it marks it read; marking one or all read works without JavaScript; the
// e-mail preferences form keeps its choice; axe-core WCAG 2.1 A/AA on the notification,
// settings, activity, audit and admin pages; an observer has no audit log; no CSP
// violations, no uncaught exceptions, no unexpected console errors.
import { DateTime } from "luxon";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { sv } from "../../app/i18n/sv";
import { notificationText } from "../../server/domain/notification-text";
import { ZONE } from "../../server/domain/time";
import { startTestServer, type TestServer } from "../helpers/server";
import { fill, expectCleanPages, expectNoAxeViolations, launchBrowser, loginViaUi, openPage, socketReady, type PageLog } from "./helpers";

const LEADER = "processledare@samsyn.test"; // Karin Lindqvist
const LEADER_NAME = "Karin Lindqvist";
const MEMBER = "ledamot@samsyn.test"; // Anders Johansson
const MEMBER_NAME = "Anders Johansson";
const OBSERVER = "observator@samsyn.test";
const ADMIN = "admin@samsyn.test";
const COUNCIL = "/councils/skaraborg";
const NEW_MEETING = "Extra rådsmöte om yrkesutbildning";
/** expect.poll waits 1 s by default: too short for a browser on a busy, shared machine. */
const POLL = { timeout: 20_000, interval: 200 };


const escapeRe = (x: string) => x.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

/** The unread count the header shows (0 when it shows none). */
async function headerUnread(page: Page): Promise<number> {
  const count = page.locator("header .notif-link .notif-count [aria-hidden='true']");
  if ((await count.count()) === 0) return 0;
  return Number((await count.textContent())?.trim());
}

describe("council life in the browser", { timeout: 180_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];
  /** Console errors a test provokes on purpose (Chromium logs every 4xx response), one pattern per expected message. */
  let expectedConsoleErrors: RegExp[] = [];
  let memberId: string;

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
    memberId = await userId(MEMBER);
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

  /** A fresh browser context, signed in through the login form. */
  async function signedIn(email: string, options: { javaScriptEnabled?: boolean } = {}): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE", ...options });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  async function userId(email: string): Promise<string> {
    return (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  }

  const unreadInDb = async (id: string) =>
    Number(
      (
        await s.db
          .selectFrom("notifications")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where("user_id", "=", id)
          .where("read_at", "is", null)
          .executeTakeFirstOrThrow()
      ).n,
    );

  it("a member's open page gets a live notification when the leader convenes a meeting, and opening it marks it read", async () => {
    // The member sits on the council page, connected live.
    const member = await signedIn(MEMBER);
    const unreadBefore = await unreadInDb(memberId);
    expect(unreadBefore, "the demo member has unread notifications").toBeGreaterThan(0);
    const live = socketReady(member);
    await member.goto(s.url + COUNCIL);
    await member.getByRole("heading", { level: 1, name: "Skaraborg", exact: false }).waitFor();
    await live;
    await member.locator('.live-status[data-live="live"]').waitFor({ timeout: POLL.timeout });
    expect(await headerUnread(member)).toBe(unreadBefore);
    const toast = member.locator(".notif-toast-region");
    expect(await toast.getAttribute("role")).toBe("status");
    expect((await toast.textContent())?.trim()).toBe("");
    // A marker that a reload or a navigation would wipe out.
    await member.evaluate(() => ((window as unknown as { __noReload: boolean }).__noReload = true));
    let navigations = 0;
    member.on("framenavigated", (f) => {
      if (f === member.mainFrame()) navigations++;
    });

    // The leader drafts a meeting three weeks ahead with the meetings form…
    const leader = await signedIn(LEADER);
    await leader.goto(`${s.url}${COUNCIL}/meetings`);
    await leader.getByRole("heading", { level: 1, name: sv["meetings.title"] }).waitFor();
    const day = DateTime.now().setZone(ZONE).plus({ days: 21 }).toISODate()!;
    const form = leader.locator("section", { has: leader.getByRole("heading", { level: 2, name: sv["meetings.new"] }) });
    await form.getByLabel(sv["meetings.fieldTitle"]).fill(NEW_MEETING);
    await form.getByLabel(sv["meetings.date"], { exact: true }).fill(day);
    await form.getByLabel(sv["meetings.startTime"]).fill("10:00");
    await form.getByLabel(sv["meetings.endTime"]).fill("12:00");
    await form.getByLabel(sv["meetings.location"]).fill("Skövde, Kulturhuset");
    await Promise.all([
      leader.waitForURL(/\/councils\/skaraborg\/meetings\/[0-9a-f-]{36}$/, { timeout: POLL.timeout }),
      form.getByRole("button", { name: sv["meetings.create"] }).click(),
    ]);
    await leader.getByRole("heading", { level: 1, name: NEW_MEETING }).waitFor();
    const meeting = await s.db.selectFrom("meetings").selectAll().where("title", "=", NEW_MEETING).executeTakeFirstOrThrow();
    expect(meeting.status).toBe("draft");
    expect(leader.url()).toBe(`${s.url}${COUNCIL}/meetings/${meeting.id}`);
    // A draft tells nobody.
    expect(await unreadInDb(memberId)).toBe(unreadBefore);

    // …and convenes it with the button.
    await leader.getByRole("button", { name: sv["meetings.convene"] }).click();
    await leader.getByText(sv["meetings.convened"]).waitFor({ timeout: POLL.timeout });
    expect((await s.db.selectFrom("meetings").select("status").where("id", "=", meeting.id).executeTakeFirstOrThrow()).status).toBe("convened");

    // The member's page follows without a reload: the count goes up by one, the toast speaks.
    const expectedText = notificationText("sv", "meeting_convened", { title: NEW_MEETING, startsAt: meeting.starts_at });
    expect(expectedText).toMatch(new RegExp(`^Möte sammankallat: ${NEW_MEETING}, \\d{1,2} \\p{L}+ \\d{4} kl\\. 10:00$`, "u"));
    await expect.poll(() => headerUnread(member), POLL).toBe(unreadBefore + 1);
    const toastLink = toast.getByRole("link", { name: expectedText, exact: true });
    await toastLink.waitFor({ timeout: POLL.timeout });
    expect((await toast.textContent()) ?? "").toContain(`${sv["notifications.new"]}: ${expectedText}`);
    expect(await member.getByRole("link", { name: new RegExp(`^${sv["notifications.title"]}`) }).getAttribute("href")).toBe("/notifications");
    expect(await member.getByRole("link", { name: new RegExp(`^${sv["notifications.title"]}`) }).textContent()).toContain(
      fill(sv["notifications.unreadCount"], { count: unreadBefore + 1 }),
    );
    // The council's activity feed on the same page follows too.
    const activity = member.locator("section", { has: member.getByRole("heading", { level: 2, name: sv["activity.title"] }) });
    await expect.poll(async () => (await activity.locator("li").first().textContent()) ?? "", POLL).toContain(`${LEADER_NAME} kallade till ${NEW_MEETING}`);
    expect(await member.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
    expect(navigations, "the member's page was not reloaded").toBe(0);

    // The notification is stored once, unread, for the member; the leader who convened gets none.
    const stored = await s.db
      .selectFrom("notifications")
      .select(["id", "read_at", "link"])
      .where("user_id", "=", memberId)
      .where("kind", "=", "meeting_convened")
      .where("link", "=", `${COUNCIL}/meetings/${meeting.id}`)
      .execute();
    expect(stored).toEqual([{ id: expect.any(String), read_at: null, link: `${COUNCIL}/meetings/${meeting.id}` }]);
    const leaderGot = await s.db
      .selectFrom("notifications")
      .select("id")
      .where("user_id", "=", await userId(LEADER))
      .where("link", "=", `${COUNCIL}/meetings/${meeting.id}`)
      .execute();
    expect(leaderGot).toEqual([]);
    // The toast links to the notification itself, which marks it read and leads on to the meeting.
    expect(await toastLink.getAttribute("href")).toBe(`/notifications/${stored[0].id}`);

    // "Meddelanden" lists it first, unread.
    await member.getByRole("link", { name: new RegExp(`^${sv["notifications.title"]}`) }).click();
    await member.getByRole("heading", { level: 1, name: sv["notifications.title"] }).waitFor();
    const first = member.locator(".notif-list > li").first();
    await expect.poll(async () => (await first.textContent()) ?? "", POLL).toContain(expectedText);
    expect(await first.getAttribute("class")).toBe("is-unread");
    expect(await first.textContent()).toContain(`${sv["notifications.unread"]}: `);
    expect(await member.getByText(fill(sv["notifications.unreadCount"], { count: unreadBefore + 1 }), { exact: true }).count()).toBe(1);

    // Following the toast's link (still there after the client-side navigation) opens the meeting and marks the notification read: the count goes down.
    await toastLink.click();
    await member.waitForURL(`${s.url}${COUNCIL}/meetings/${meeting.id}`, { timeout: POLL.timeout });
    await member.getByRole("heading", { level: 1, name: NEW_MEETING }).waitFor();
    await expect.poll(() => headerUnread(member), POLL).toBe(unreadBefore);
    expect((await s.db.selectFrom("notifications").select("read_at").where("id", "=", stored[0].id).executeTakeFirstOrThrow()).read_at).not.toBeNull();
    expect(await unreadInDb(memberId)).toBe(unreadBefore);
    // Still the same document: every step was a client-side navigation.
    expect(await member.evaluate(() => (window as unknown as { __noReload?: boolean }).__noReload)).toBe(true);
  });

  it("axe-core finds no WCAG 2.1 A/AA violations on the notification and preference pages (member)", async () => {
    const page = await signedIn(MEMBER);
    expect(await unreadInDb(memberId), "there are unread notifications to show").toBeGreaterThan(0);
    await page.goto(`${s.url}/notifications`);
    await page.getByRole("heading", { level: 1, name: sv["notifications.title"] }).waitFor();
    await page.locator(".notif-list > li.is-unread").first().waitFor();
    await page.getByRole("button", { name: sv["notifications.markAllRead"] }).waitFor();
    await expectNoAxeViolations(page, "the notification list with unread items");

    await page.goto(`${s.url}/settings/notifications`);
    await page.getByRole("heading", { level: 1, name: sv["prefs.title"] }).waitFor();
    await expectNoAxeViolations(page, "the notification preferences");
  });

  it("axe-core finds no WCAG 2.1 A/AA violations on the council page, its activity feed and its audit log (leader)", async () => {
    const page = await signedIn(LEADER);
    await page.goto(s.url + COUNCIL);
    const activity = page.locator("section", { has: page.getByRole("heading", { level: 2, name: sv["activity.title"] }) });
    await activity.waitFor();
    expect(await activity.locator(".activity-list > li").count()).toBeGreaterThan(0);
    await page.locator('.live-status[data-live="live"]').waitFor({ timeout: POLL.timeout });
    await expectNoAxeViolations(page, "the council page with its activity section (leader)");

    await activity.getByRole("link", { name: sv["activity.all"] }).click();
    await page.waitForURL(`${s.url}${COUNCIL}/activity`);
    await page.getByRole("heading", { level: 1, name: sv["activity.title"] }).waitFor();
    expect(await page.locator(".activity-list > li").count()).toBeGreaterThan(0);
    await expectNoAxeViolations(page, "the council's activity feed");

    await page.goto(s.url + COUNCIL);
    await page.getByRole("link", { name: sv["audit.title"] }).click();
    await page.waitForURL(`${s.url}${COUNCIL}/audit`);
    await page.getByRole("heading", { level: 1, name: sv["audit.title"] }).waitFor();
    expect(await page.locator("table tbody tr").count(), "the audit log has entries").toBeGreaterThan(0);
    await expectNoAxeViolations(page, "the council's audit log (leader)");
  });

  it("axe-core finds no WCAG 2.1 A/AA violations on the admin's people and audit pages", async () => {
    const page = await signedIn(ADMIN);
    await page.goto(`${s.url}/admin/people`);
    await page.getByRole("heading", { level: 1, name: sv["admin.people.title"] }).waitFor();
    const row = page.locator("table tbody tr", { hasText: MEMBER });
    expect(await row.count()).toBe(1);
    await expectNoAxeViolations(page, "the admin's list of people");

    await row.getByRole("link", { name: new RegExp(`^${sv["admin.people.remove"]}\\s*: ${MEMBER_NAME}$`) }).click();
    await page.waitForURL(`${s.url}/admin/people/${memberId}`);
    await page.getByRole("heading", { level: 1, name: fill(sv["admin.anonymise.title"], { name: MEMBER_NAME }) }).waitFor();
    await expectNoAxeViolations(page, "the admin's page to remove a person");

    await page.goto(`${s.url}/admin/audit`);
    await page.getByRole("heading", { level: 1, name: sv["audit.title"] }).waitFor();
    expect(await page.locator("table tbody tr").count(), "the audit log has entries").toBeGreaterThan(0);
    await expectNoAxeViolations(page, "the site's audit log (admin)");
    // Nobody was removed by looking.
    expect((await s.db.selectFrom("users").select("anonymised_at").where("id", "=", memberId).executeTakeFirstOrThrow()).anonymised_at).toBeNull();
  });

  it("the notification preferences keep a choice of e-mail at once for a convened meeting", async () => {
    const page = await signedIn(MEMBER);
    await page.goto(`${s.url}/settings/notifications`);
    await page.getByRole("heading", { level: 1, name: sv["prefs.title"] }).waitFor();
    const group = () => page.getByRole("group", { name: "Möte sammankallat", exact: true });
    const immediate = () => group().getByRole("radio", { name: sv["prefs.delivery.immediate"], exact: true });
    // The demo member gets convened meetings in the daily digest.
    expect(await group().getByRole("radio", { name: sv["prefs.delivery.digest"], exact: true }).isChecked()).toBe(true);
    expect(await immediate().isChecked()).toBe(false);

    await immediate().check();
    await page.getByRole("button", { name: sv["prefs.save"] }).click();
    await page.getByRole("status").filter({ hasText: sv["prefs.saved"] }).waitFor({ timeout: POLL.timeout });
    const stored = await s.db
      .selectFrom("notification_prefs")
      .select("delivery")
      .where("user_id", "=", memberId)
      .where("kind", "=", "meeting_convened")
      .executeTakeFirstOrThrow();
    expect(stored.delivery).toBe("immediate");

    await page.reload();
    await page.getByRole("heading", { level: 1, name: sv["prefs.title"] }).waitFor();
    expect(await immediate().isChecked()).toBe(true);
    expect(await group().getByRole("radio", { checked: true }).count()).toBe(1);
    // The other kinds kept theirs: their defaults, a meeting's notice by e-mail at once, the rest in the app.
    expect(await page.getByRole("group", { name: "Möte flyttat", exact: true }).getByRole("radio", { name: sv["prefs.delivery.immediate"], exact: true }).isChecked()).toBe(true);
    expect(await page.getByRole("group", { name: "Handlingsplan fastställd", exact: true }).getByRole("radio", { name: sv["prefs.delivery.inapp"], exact: true }).isChecked()).toBe(true);
  });

  it("marks one and then all notifications read without JavaScript (plain form posts)", async () => {
    const page = await signedIn(MEMBER, { javaScriptEnabled: false });
    const posts: string[] = [];
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(`${r.resourceType()} ${new URL(r.url()).pathname}`);
    });
    const unread = await unreadInDb(memberId);
    expect(unread, "at least two unread notifications to mark").toBeGreaterThanOrEqual(2);
    await page.goto(`${s.url}/notifications`);
    await page.getByRole("heading", { level: 1, name: sv["notifications.title"] }).waitFor();
    const unreadItems = page.locator(".notif-list > li.is-unread");
    expect(await unreadItems.count()).toBe(unread);
    expect(await headerUnread(page)).toBe(unread);

    // One: its own button, named after the notification.
    const target = unreadItems.first();
    const text = ((await target.getByRole("link").textContent()) ?? "").trim();
    expect(text).not.toBe("");
    await Promise.all([
      page.waitForEvent("load"),
      target.getByRole("button", { name: new RegExp(`^${sv["notifications.markRead"]}\\s*: ${escapeRe(text)}$`) }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: sv["notifications.title"] }).waitFor();
    expect(await unreadItems.count()).toBe(unread - 1);
    expect(await headerUnread(page)).toBe(unread - 1);
    expect(await unreadInDb(memberId)).toBe(unread - 1);
    const item = page.locator(".notif-list > li", { has: page.getByRole("link", { name: text, exact: true }) }).first();
    expect(await item.getAttribute("class")).toBeNull();
    expect(await item.getByRole("button").count()).toBe(0);
    expect(await page.getByText(fill(sv["notifications.unreadCount"], { count: unread - 1 }), { exact: true }).count()).toBe(1);

    // All.
    await Promise.all([page.waitForEvent("load"), page.getByRole("button", { name: sv["notifications.markAllRead"] }).click()]);
    await page.getByText(sv["notifications.allRead"]).waitFor();
    expect(await unreadItems.count()).toBe(0);
    expect(await page.locator(".notif-list > li").count()).toBeGreaterThan(0);
    expect(await page.getByRole("button", { name: sv["notifications.markAllRead"] }).count()).toBe(0);
    expect(await headerUnread(page)).toBe(0);
    expect(await unreadInDb(memberId)).toBe(0);
    // Both were full-page form posts to the list itself, not Remix's fetch.
    expect(posts).toEqual(["document /notifications", "document /notifications"]);
  });

  it("an observer sees no audit link on the council page and is refused the audit log", async () => {
    const page = await signedIn(OBSERVER);
    await page.goto(s.url + COUNCIL);
    const activity = page.locator("section", { has: page.getByRole("heading", { level: 2, name: sv["activity.title"] }) });
    await activity.getByRole("link", { name: sv["activity.all"] }).waitFor();
    expect(await page.getByRole("link", { name: sv["audit.title"] }).count()).toBe(0);
    expect(await page.locator(`a[href$="/audit"]`).count()).toBe(0);

    // Chromium logs the refused document's 403 on the console: that one is expected.
    const here = `${s.url}${COUNCIL}/audit`.replace(/[.?]/g, "\\$&");
    expectedConsoleErrors.push(new RegExp(`status of 403 \\(Forbidden\\) \\[page ${here}`));
    const res = await page.goto(`${s.url}${COUNCIL}/audit`);
    expect(res?.status()).toBe(403);
    await page.getByText(sv["status.403"]).first().waitFor();
    expect(await page.locator("table").count()).toBe(0);
    expect(await page.getByRole("heading", { level: 1, name: sv["audit.title"] }).count()).toBe(0);
  });
});
