// Browser helpers for the end-to-end tests: Debian's Chromium driven by
// playwright-core, sign-in through the real login form, and axe-core checks.
import { AxeBuilder } from "@axe-core/playwright";
import { chromium, type Browser, type BrowserContext, type Page } from "playwright-core";
import { expect } from "vitest";
import { DEMO_PASSWORD } from "../helpers/server";

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    args: [
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      "--no-first-run",
      "--disable-quic",
    ],
  });
}

/** What a page said on its console (type error) and which exceptions it threw. */
export interface PageLog {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
}

/** Opens a page in `context` and records its console errors and uncaught exceptions. */
export async function openPage(context: BrowserContext, logs: PageLog[]): Promise<Page> {
  const page = await context.newPage();
  const log: PageLog = { page, consoleErrors: [], pageErrors: [] };
  page.on("console", (msg) => {
    if (msg.type() !== "error") return;
    const where = msg.location();
    log.consoleErrors.push(`${msg.text()} [page ${page.url()}${where.url ? `, source ${where.url}:${where.lineNumber}` : ""}]`);
  });
  page.on("pageerror", (err) => log.pageErrors.push(String(err)));
  logs.push(log);
  return page;
}

/** Console errors that are Content Security Policy violations (Chromium says "Content Security Policy"). */
export function cspMessages(logs: PageLog[]): string[] {
  return logs.flatMap((l) => l.consoleErrors).filter((m) => /content security policy/i.test(m));
}

/** Sign in through the login form, as a person would, and wait for the home page. */
export async function loginViaUi(page: Page, baseUrl: string, email: string, password = DEMO_PASSWORD): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel("E-postadress").fill(email);
  await page.getByLabel("Lösenord").fill(password);
  await Promise.all([
    page.waitForURL(`${baseUrl}/`),
    page.getByRole("button", { name: "Logga in" }).click(),
  ]);
  await page.getByRole("heading", { level: 1, name: "Mina kompetensråd" }).waitFor();
}

/** Fails with a readable list (rule, impact, help, target, summary) if axe finds WCAG 2.1 A/AA violations. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  const results = await new AxeBuilder({ page })
    .withTags(["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"])
    // Full node lists only for violations: much faster, and all we report.
    .options({ resultTypes: ["violations"] })
    .analyze();
  const found = results.violations.flatMap((v) =>
    v.nodes.map(
      (n) => `${v.id} (${v.impact ?? "?"}) ${v.help} → ${n.target.join(" ")}\n    ${(n.failureSummary ?? "").replace(/\n/g, "\n    ")}`,
    ),
  );
  expect(found, `axe found WCAG 2.1 A/AA violations on ${what} (${page.url()}):\n${found.join("\n")}`).toEqual([]);
  // Guard against a vacuous pass (axe not run on the page at all).
  expect(results.passes.length, `axe ran no checks on ${what}`).toBeGreaterThan(0);
}

/** Id (or tag name) of the focused element, for keyboard assertions. */
export function focusedElement(page: Page): Promise<string> {
  return page.evaluate(() => {
    const el = document.activeElement;
    if (!el || el === document.body) return "body";
    return el.id ? `#${el.id}` : el.tagName.toLowerCase() + (el.className ? `.${String(el.className).split(" ")[0]}` : "");
  });
}
