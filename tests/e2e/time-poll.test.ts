// Workflow "the leader convenes with a time poll" (issue #13, decision 027) in a real
// browser, on a phone-sized screen: the leader creates a meeting without a date,
// proposes three times with the slot picker, two members answer in the grid, the
// leader chooses a time (confirmed), then convenes (confirmed, seeing who is called),
// and a member sees the convened meeting. axe-clean and no sideways scrolling at
// 390 px on every page passed; no CSP violations, page errors or console errors.
import { DateTime } from "luxon";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, focusedElement, launchBrowser, loginViaUi, openPage, type PageLog } from "./helpers";

const TITLE = "Arbetsmöte om lärlingsplatser";
const PHONE = { width: 390, height: 844 };

describe("workflow: the leader convenes with a time poll", { timeout: 240_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];
  const day = (n: number) => DateTime.now().setZone(ZONE).plus({ days: n }).toISODate()!;

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
  });

  async function signedIn(email: string): Promise<Page> {
    const context = await browser.newContext({ locale: "sv-SE", viewport: PHONE });
    contexts.push(context);
    const page = await openPage(context, logs);
    await loginViaUi(page, s.url, email);
    return page;
  }

  /** Every page the workflow passes: axe-clean and no sideways scrolling on a 390 px phone. */
  async function checkPage(page: Page, what: string) {
    await expectNoAxeViolations(page, what);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    // Name the widest culprits (outermost elements reaching past the edge), for a readable failure.
    const culprits = overflow
      ? await page.evaluate(() => {
          const w = document.documentElement.clientWidth;
          const wide = [...document.querySelectorAll("body *")].filter((el) => el.getBoundingClientRect().right > w + 1);
          return wide
            .filter((el) => !wide.includes(el.parentElement!))
            .slice(0, 5)
            .map((el) => `${el.tagName.toLowerCase()}.${[...el.classList].join(".")} (${Math.round(el.getBoundingClientRect().right)} px)`);
        })
      : [];
    expect(overflow, `${what} scrolls sideways at 390 px: ${culprits.join(", ")}`).toBe(0);
  }

  const meetingRow = () => s.db.selectFrom("meetings").selectAll().where("title", "=", TITLE).executeTakeFirstOrThrow();

  it("creates without a date, proposes with the picker, members answer in the grid, choose, then convene", async () => {
    // 1. The leader creates the meeting without inventing a date.
    const leader = await signedIn("processledare@samsyn.test");
    await leader.goto(`${s.url}/councils/skaraborg/meetings`);
    await leader.getByRole("heading", { level: 1, name: "Möten" }).waitFor();
    await checkPage(leader, "the meetings list (leader)");
    await leader.getByLabel("Rubrik").fill(TITLE);
    await leader.getByRole("radio", { name: "Hitta en tid med en tidsomröstning" }).check();
    // The date and times are not asked for when a poll will find the time.
    await expect.poll(() => leader.getByLabel("Datum", { exact: true }).isVisible()).toBe(false);
    await leader.getByLabel("Plats").fill("Skövde");
    await leader.getByRole("button", { name: "Spara som utkast" }).click();
    await leader.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await leader.getByText("Tiden är inte bestämd ännu").waitFor();
    expect((await meetingRow()).starts_at).toBeNull();

    // 2. Three times with the picker: a date and a start per row, one length for all.
    const picker = leader.getByRole("region", { name: "Hitta en tid med en tidsomröstning" });
    await picker.waitFor();
    await checkPage(leader, "the slot picker");
    await picker.getByLabel("Mötets längd").selectOption({ label: "1 tim 30 min" });
    const rows = picker.locator(".poll-slot-row");
    expect(await rows.count()).toBe(3);
    const times = [
      [day(20), "09:00"],
      [day(21), "13:00"],
      [day(22), "10:00"],
    ];
    for (const [i, [date, start]] of times.entries()) {
      const row = picker.getByRole("group", { name: `Tidsförslag ${i + 1}` });
      await row.getByLabel("Datum").fill(date);
      await row.getByLabel("Starttid").fill(start);
    }
    // "Lägg till tid" adds a row and puts the focus in it; a row can be removed again.
    await picker.getByRole("link", { name: "Lägg till tid" }).click();
    await expect.poll(() => rows.count()).toBe(4);
    await expect.poll(() => focusedElement(leader)).toBe("#slot3Date");
    await picker.getByRole("button", { name: "Ta bort Tidsförslag 4" }).click();
    await expect.poll(() => rows.count()).toBe(3);
    await picker.getByLabel("Datum för sista svar").fill(day(10));
    await picker.getByRole("button", { name: "Öppna tidsomröstningen" }).click();
    await leader.getByText("Tidsomröstningen är öppen. Ledamöterna kan svara nu.").waitFor();
    const meetingPath = new URL(leader.url()).pathname;
    const slots = await s.db
      .selectFrom("poll_slots as ps")
      .innerJoin("polls as p", "p.id", "ps.poll_id")
      .select(["ps.id", "ps.starts_at", "ps.ends_at"])
      .where("p.meeting_id", "=", (await meetingRow()).id)
      .orderBy("ps.position")
      .execute();
    expect(slots.map((x) => DateTime.fromISO(x.starts_at).setZone(ZONE).toFormat("yyyy-MM-dd HH:mm"))).toEqual(times.map(([d, t]) => `${d} ${t}`));
    for (const x of slots) expect(Date.parse(x.ends_at) - Date.parse(x.starts_at)).toBe(90 * 60_000);
    await checkPage(leader, "the open poll (leader)");

    // 3. Two members answer in their own row of the grid.
    const answers: Record<string, string[]> = {
      "ledamot@samsyn.test": ["Ja", "Nej", "Om det behövs"],
      "maria.andersson@samsyn.test": ["Nej", "Ja", "Ja"],
    };
    for (const [email, mine] of Object.entries(answers)) {
      const member = await signedIn(email);
      await member.goto(s.url + meetingPath);
      const grid = member.getByRole("table", { name: /Svar per person och tid/ });
      await grid.waitFor();
      await checkPage(member, `the poll grid (${email})`);
      const groups = grid.getByRole("group", { name: /Ditt svar för/ });
      expect(await groups.count()).toBe(3);
      for (const [i, label] of mine.entries()) await groups.nth(i).getByRole("radio", { name: label, exact: true }).check();
      await member.getByRole("button", { name: "Spara mina svar" }).click();
      await member.getByText("Dina svar är sparade.").waitFor();
      await checkPage(member, `the poll after answering (${email})`);
    }
    expect(await s.db.selectFrom("poll_answers").select("answer").where("slot_id", "in", slots.map((x) => x.id)).execute()).toHaveLength(6);

    // 4. The leader chooses the second time, after a confirmation. Nobody is called yet.
    await leader.reload();
    const mariaRow = leader.getByRole("row", { name: /Maria Andersson/ });
    await expect.poll(async () => (await mariaRow.textContent()) ?? "").toMatch(/Nej.*Ja.*Ja/);
    const choose = leader.getByRole("region", { name: "Välj tid" });
    const second = choose.locator("details").nth(1);
    await second.locator("summary").click();
    const confirm = second.getByRole("button", { name: /^Bekräfta: välj / });
    await confirm.waitFor();
    await checkPage(leader, "the choose confirmation");
    await confirm.click();
    await leader.getByText("Tiden är vald. Mötet är inte kallat ännu").waitFor();
    let m = await meetingRow();
    expect([m.status, m.starts_at, m.ends_at]).toEqual(["draft", slots[1].starts_at, slots[1].ends_at]);
    expect(await s.db.selectFrom("notifications").select("id").where("kind", "=", "meeting_convened").where("params_json", "like", `%${TITLE}%`).execute()).toEqual([]);

    // 5. Convening is the next step: the confirmation lists who will be called.
    const convene = leader.getByRole("region", { name: "Nästa steg: kalla till mötet" });
    await convene.getByText("Kalla till mötet", { exact: true }).click();
    await convene.getByRole("listitem").filter({ hasText: "Anders Johansson" }).waitFor();
    await checkPage(leader, "the convene confirmation");
    await convene.getByRole("button", { name: "Bekräfta: kalla till mötet" }).click();
    await leader.getByText("Mötet är kallat.").waitFor();
    m = await meetingRow();
    expect(m.status).toBe("convened");
    await checkPage(leader, "the convened meeting (leader)");

    // 6. A member sees the convened meeting at the chosen time.
    const member = await signedIn("ledamot@samsyn.test");
    await member.goto(`${s.url}/councils/skaraborg/meetings`);
    const upcoming = member.getByRole("region", { name: "Kommande möten" });
    await upcoming.getByRole("link", { name: TITLE }).click();
    await member.getByRole("heading", { level: 1, name: TITLE }).waitFor();
    await member.getByText("Kallat", { exact: true }).waitFor();
    await member.locator(`time[datetime="${slots[1].starts_at}"]`).first().waitFor();
    await checkPage(member, "the convened meeting (member)");
    expectCleanPages(logs);
  });
});
