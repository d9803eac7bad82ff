// End-to-end tests in a real browser (Debian's Chromium via playwright-core) against a
// real server: sign-in, councils, inviting and joining, language, no-JS forms, CSP, and
// axe-core WCAG 2.1 A/AA checks on every page a person passes through.
import type { Browser, BrowserContext, BrowserContextOptions, Page, Request } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startTestServer, type TestServer } from "../helpers/server";
import {
  cspMessages,
  expectNoAxeViolations,
  focusedElement,
  launchBrowser,
  loginViaUi,
  openPage,
  type PageLog,
} from "./helpers";

const COUNCIL = "Kompetensråd Skaraborg";
/** expect.poll waits 1 s by default: too short for a browser on a busy machine. */
const POLL = { timeout: 10_000 };

// Browser scenarios on a shared, busy CI machine: more room than the 30 s default.
describe("in the browser", { timeout: 60_000 }, () => {
  let s: TestServer;
  let browser: Browser;
  let contexts: BrowserContext[] = [];
  let logs: PageLog[] = [];

  beforeAll(async () => {
    [s, browser] = await Promise.all([startTestServer(), launchBrowser()]);
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  /** A fresh, signed-out browser context (closed after the test). */
  async function newContext(options: BrowserContextOptions = {}): Promise<BrowserContext> {
    const context = await browser.newContext({ locale: "sv-SE", ...options });
    contexts.push(context);
    return context;
  }
  async function newPage(options: BrowserContextOptions = {}): Promise<Page> {
    return openPage(await newContext(options), logs);
  }

  afterEach(async () => {
    const csp = cspMessages(logs);
    const thrown = logs.flatMap((l) => l.pageErrors);
    await Promise.all(contexts.map((c) => c.close()));
    contexts = [];
    logs = [];
    // Every scenario, not only the CSP one, must run without CSP violations or uncaught exceptions.
    expect(csp, `Content Security Policy violations:\n${csp.join("\n")}`).toEqual([]);
    expect(thrown, `uncaught exceptions in the page:\n${thrown.join("\n")}`).toEqual([]);
  });

  /** Fill in and submit the invite form on the members page; returns the invite link shown. */
  async function invite(page: Page, email: string, organisation: string): Promise<string> {
    const form = page.getByRole("form", { name: "Bjud in en person" });
    await form.getByLabel("E-postadress").fill(email);
    await form.getByLabel("Roll", { exact: true }).selectOption({ label: "Ledamot" });
    await form.getByLabel("Organisation som personen representerar").fill(organisation);
    await form.getByLabel("Perspektiv").selectOption({ label: "Utbildning" });
    await form.getByRole("button", { name: "Skicka inbjudan" }).click();
    const linkField = page.getByLabel("Inbjudningslänk");
    await linkField.waitFor();
    await page.getByText(`Inbjudan är skickad till ${email}.`).waitFor();
    const link = await linkField.inputValue();
    expect(link).toMatch(new RegExp(`^${s.url.replace(/\./g, "\\.")}/invite/[A-Za-z0-9_-]{20,}$`));
    return link;
  }

  /** Open an invite link signed out, choose a name and password, and join. */
  async function acceptInvite(page: Page, link: string, name: string, password: string): Promise<void> {
    await page.goto(link);
    await page.getByRole("heading", { level: 1, name: `Inbjudan till ${COUNCIL}` }).waitFor();
    await page.getByLabel("Ditt namn").fill(name);
    await page.getByLabel("Välj lösenord (minst 10 tecken)").fill(password);
    await page.getByLabel("Upprepa lösenordet").fill(password);
    await Promise.all([
      page.waitForURL(`${s.url}/councils/skaraborg`),
      page.getByRole("button", { name: "Gå med i rådet" }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: COUNCIL }).waitFor();
  }

  it("a member signs in with the form, opens their council; the pages pass axe and the skip link works", async () => {
    const page = await newPage();
    // Signed out, the home page sends the visitor to the login page.
    await page.goto(`${s.url}/`);
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.getByRole("heading", { level: 1, name: "Logga in" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("sv");
    await expectNoAxeViolations(page, "the login page");

    // Keyboard: the skip link is the first Tab stop, becomes visible, and moves focus to <main>.
    await page.keyboard.press("Tab");
    const skip = page.getByRole("link", { name: "Hoppa till innehållet" });
    expect(await skip.evaluate((el) => el === document.activeElement)).toBe(true);
    const box = await skip.boundingBox();
    expect(box && box.x >= 0 && box.y >= 0 && box.width > 0, "the focused skip link is on screen").toBe(true);
    await page.keyboard.press("Enter");
    await expect.poll(() => focusedElement(page), POLL).toBe("#main");
    // The next Tab continues inside main (the email field), not back in the header.
    await page.keyboard.press("Tab");
    expect(await focusedElement(page)).toBe("#email");

    await page.getByLabel("E-postadress").fill("ledamot@samsyn.test");
    await page.getByLabel("Lösenord").fill("samsyn-demo");
    await Promise.all([page.waitForURL(`${s.url}/`), page.getByRole("button", { name: "Logga in" }).click()]);
    await page.getByRole("heading", { level: 1, name: "Att göra" }).waitFor();
    await expect.poll(() => page.getByText("Inloggad som Anders Johansson").count(), POLL).toBe(1);
    // Only their own council is listed.
    expect(await page.getByRole("link", { name: "Kompetensråd Fyrbodal" }).count()).toBe(0);
    await expectNoAxeViolations(page, "the home page");

    await Promise.all([
      page.waitForURL(`${s.url}/councils/skaraborg`),
      page.getByRole("link", { name: COUNCIL }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: COUNCIL }).waitFor();
    const mandate = page.getByRole("region", { name: "Uppdrag (avsiktsförklaring)" });
    await mandate.getByRole("heading", { level: 2, name: "Uppdrag (avsiktsförklaring)" }).waitFor();
    expect(await mandate.textContent()).toContain("Kompetensrådet Skaraborg samlar representanter");
    const composition = page.getByRole("region", { name: "Sammansättning" });
    await composition.getByRole("heading", { level: 2, name: "Sammansättning" }).waitFor();
    expect(await composition.getByRole("heading", { level: 3 }).count()).toBeGreaterThan(0);
    expect(await composition.textContent()).toContain("Karin Lindqvist");
    // A member cannot manage members.
    expect(await page.getByRole("link", { name: "Hantera ledamöter" }).count()).toBe(0);
    await expectNoAxeViolations(page, "the council page");
  });

  it("the process leader invites a person, who joins in another browser and is signed in", async () => {
    const page = await newPage();
    await loginViaUi(page, s.url, "processledare@samsyn.test");
    await page.getByRole("link", { name: COUNCIL }).click();
    await Promise.all([
      page.waitForURL(`${s.url}/councils/skaraborg/members`),
      page.getByRole("link", { name: "Hantera ledamöter" }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: "Ledamöter och inbjudningar" }).waitFor();

    // An empty form: the error summary appears, takes focus and links to the fields.
    const form = page.getByRole("form", { name: "Bjud in en person" });
    await form.getByRole("button", { name: "Skicka inbjudan" }).click();
    const summary = page.getByRole("alert").filter({ has: page.getByRole("heading", { name: "Det finns problem i formuläret" }) });
    await summary.waitFor();
    await expect.poll(() => summary.evaluate((el) => el === document.activeElement), POLL).toBe(true);
    const emailLink = summary.getByRole("link", { name: /^E-postadress: / });
    const orgLink = summary.getByRole("link", { name: /^Organisation som personen representerar: Fyll i fältet\.$/ });
    expect(await emailLink.getAttribute("href")).toBe("#email");
    expect(await orgLink.getAttribute("href")).toBe("#organisation");
    expect(await form.getByLabel("E-postadress").getAttribute("aria-invalid")).toBe("true");
    expect(await form.getByLabel("Organisation som personen representerar").getAttribute("aria-describedby")).toBe(
      "organisation-error",
    );
    await expectNoAxeViolations(page, "the members page with the error summary");
    await orgLink.click();
    await expect.poll(() => focusedElement(page), POLL).toBe("#organisation");

    const email = "linnea.nyberg@samsyn.test";
    const link = await invite(page, email, "Högskolan i Skövde");
    expect(await page.getByRole("alert").count(), "the error summary is gone after a valid submit").toBe(0);
    await expectNoAxeViolations(page, "the members page with a new invite link");
    const stored = await s.db.selectFrom("invitations").select(["role", "perspective", "organisation"]).where("email", "=", email).execute();
    expect(stored).toEqual([{ role: "member", perspective: "education", organisation: "Högskolan i Skövde" }]);
    await page.getByRole("button", { name: `Återkalla inbjudan till ${email}` }).waitFor();

    // The invited person, in a separate signed-out browser.
    const guest = await newPage();
    await guest.goto(link);
    await guest.getByRole("heading", { level: 1, name: `Inbjudan till ${COUNCIL}` }).waitFor();
    expect(await guest.getByText("Inloggad som").count()).toBe(0);
    await expectNoAxeViolations(guest, "the invite page");
    await acceptInvite(guest, link, "Linnea Nyberg", "ett-langt-losenord");
    await expect.poll(() => guest.getByText("Inloggad som Linnea Nyberg").count(), POLL).toBe(1);
    expect(await guest.getByRole("region", { name: "Sammansättning" }).textContent()).toContain("Linnea Nyberg");
  });

  it("switches the interface to English and back", async () => {
    const page = await newPage();
    await loginViaUi(page, s.url, "ledamot@samsyn.test");
    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === "en"),
      page.getByRole("button", { name: "In English" }).click(),
    ]);
    await page.getByRole("heading", { level: 1, name: "To do" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");
    expect(new URL(page.url()).pathname).toBe("/");
    expect(await page.getByText("Signed in as Anders Johansson").count()).toBe(1);
    // The switch back is labelled in Swedish, and marked as such.
    const back = page.getByRole("button", { name: "På svenska" });
    expect(await back.getAttribute("lang")).toBe("sv");
    await expectNoAxeViolations(page, "the home page in English");

    // The choice sticks across navigation.
    await page.getByRole("link", { name: COUNCIL }).click();
    await page.getByRole("heading", { level: 2, name: "Composition" }).waitFor();
    expect(await page.locator("html").getAttribute("lang")).toBe("en");

    await Promise.all([
      page.waitForFunction(() => document.documentElement.lang === "sv"),
      page.getByRole("button", { name: "På svenska" }).click(),
    ]);
    // Back in Swedish, on the same page.
    expect(new URL(page.url()).pathname).toBe("/councils/skaraborg");
    await page.getByRole("heading", { level: 2, name: "Sammansättning" }).waitFor();
    await page.getByRole("button", { name: "In English" }).waitFor();
  });

  it("works without JavaScript: login, invite and joining are plain form posts", async () => {
    const posts: Request[] = [];
    const page = await newPage({ javaScriptEnabled: false });
    page.on("request", (r) => {
      if (r.method() === "POST") posts.push(r);
    });
    await loginViaUi(page, s.url, "processledare@samsyn.test");
    await page.goto(`${s.url}/councils/skaraborg/members`);
    await page.getByRole("heading", { level: 1, name: "Ledamöter och inbjudningar" }).waitFor();

    // Server-rendered validation errors, without any script.
    await page.getByRole("button", { name: "Skicka inbjudan" }).click();
    await page.getByRole("heading", { name: "Det finns problem i formuläret" }).waitFor();
    expect(await page.getByRole("link", { name: /^E-postadress: / }).getAttribute("href")).toBe("#email");

    const email = "utan.skript@samsyn.test";
    const link = await invite(page, email, "Skaraborgs Kommunalförbund");

    const guest = await newPage({ javaScriptEnabled: false });
    guest.on("request", (r) => {
      if (r.method() === "POST") posts.push(r);
    });
    await acceptInvite(guest, link, "Ulla Utan Skript", "inget-javascript-här");
    await guest.getByText("Inloggad som Ulla Utan Skript").waitFor();
    // No script ran: the live-update status never left its server-rendered empty state.
    expect(await guest.locator(".live-status").textContent()).toBe("");

    // Every post was a full-page (document) navigation to the route itself, not Remix's fetch.
    expect(posts.map((r) => `${r.resourceType()} ${new URL(r.url()).pathname}${new URL(r.url()).search}`)).toEqual([
      "document /login",
      "document /councils/skaraborg/members",
      "document /councils/skaraborg/members",
      `document ${new URL(link).pathname}`,
    ]);
  });

  it("runs without Content Security Policy violations, with live updates connected", async () => {
    const page = await newPage();
    const response = await page.goto(`${s.url}/login`);
    const csp = response?.headers()["content-security-policy"] ?? "";
    const nonce = /'nonce-([^']+)'/.exec(csp)?.[1];
    expect(nonce, `script-src nonce in the CSP header: ${csp}`).toBeTruthy();
    expect(csp).not.toContain("unsafe-inline");
    // Remix's inline scripts carry the header's nonce (read as a property: Chromium hides the attribute).
    const inlineNonces = await page.locator("script:not([src])").evaluateAll((els) => els.map((el) => (el as HTMLScriptElement).nonce));
    expect(inlineNonces.length).toBeGreaterThan(0);
    expect(new Set(inlineNonces)).toEqual(new Set([nonce]));

    await loginViaUi(page, s.url, "processledare@samsyn.test");
    await page.getByRole("link", { name: COUNCIL }).click();
    await page.getByRole("heading", { level: 1, name: COUNCIL }).waitFor();
    // Hydrated, and the websocket got through connect-src.
    await page.getByRole("status").filter({ hasText: "Uppdateras direkt." }).waitFor();
    await page.getByRole("link", { name: "Hantera ledamöter" }).click();
    await page.getByRole("heading", { level: 1, name: "Ledamöter och inbjudningar" }).waitFor();
    await page.getByRole("button", { name: "In English" }).click();
    await page.getByRole("heading", { level: 1, name: "Members and invitations" }).waitFor();

    const all = logs.flatMap((l) => l.consoleErrors);
    expect(cspMessages(logs), `CSP violations:\n${all.join("\n")}`).toEqual([]);
    expect(all, "no console errors at all on a clean walk through the app").toEqual([]);
  });

  it("would notice a CSP violation (the check above can fail)", async () => {
    const probeLogs: PageLog[] = [];
    const page = await openPage(await newContext(), probeLogs);
    await page.goto(`${s.url}/login`);
    // An inline script without the nonce, as an injected script would be.
    await page.evaluate(() => {
      const el = document.createElement("script");
      el.textContent = "window.__cspProbe = true";
      document.head.append(el);
    });
    await expect.poll(() => cspMessages(probeLogs).length, POLL).toBeGreaterThan(0);
    expect(await page.evaluate(() => (window as unknown as { __cspProbe?: boolean }).__cspProbe)).toBeUndefined();
  });

  it("would notice an accessibility violation (the axe check can fail)", async () => {
    const page = await newPage();
    await page.setContent(
      `<!doctype html><html lang="sv"><head><title>Prov</title></head><body><main>` +
        `<h1>Prov</h1><input type="text" id="probe"><p style="color:#bbb;background:#fff">Svag text</p></main></body></html>`,
    );
    const failure = await expectNoAxeViolations(page, "a page with known faults").then(
      () => "",
      (err: Error) => err.message,
    );
    expect(failure).toMatch(/\blabel\b.*#probe/);
    expect(failure).toMatch(/color-contrast/);
  });
});
