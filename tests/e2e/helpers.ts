// Browser helpers for the end-to-end tests: Debian's Chromium driven by
// playwright-core, sign-in through the real login form, and axe-core checks.
import { AxeBuilder } from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";
import { expect } from "vitest";
import { DEMO_PASSWORD } from "../helpers/server";

export { CHROMIUM_PATH, launchBrowser } from "../../scripts/lib/chromium";


/** What a page said on its console (type error) and which exceptions it threw. */
export interface PageLog {
  page: Page;
  consoleErrors: string[];
  pageErrors: string[];
}

/** Opens a page in `context` and records its console errors and uncaught exceptions. */
export async function openPage(context: BrowserContext, logs: PageLog[]): Promise<Page> {
  const page = await context.newPage();
  // Designsystemet's dialogs slide in for 300 ms; under prefers-reduced-motion they
  // appear at once. Tests click and measure a page at rest, not one in motion (a click
  // on a dialog's ✕ landed beside it while the dialog was still moving, on a busy CI).
  await page.emulateMedia({ reducedMotion: "reduce" });
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
  await page.getByRole("heading", { level: 1, name: "Att göra" }).waitFor();
}

/** Fails with a readable list (rule, impact, help, target, summary) if axe finds WCAG 2.1 A/AA violations. */
export async function expectNoAxeViolations(page: Page, what: string): Promise<void> {
  // A dialog or menu still fading in has colours half-way (axe measured 2:1 contrast on
  // a dialog in its opening animation on a busy CI machine): check the page at rest.
  await page.evaluate(() =>
    Promise.race([
      Promise.all(document.getAnimations().filter((a) => a.effect?.getComputedTiming().iterations !== Infinity).map((a) => a.finished.catch(() => undefined))),
      new Promise((r) => setTimeout(r, 2000)),
    ]),
  );
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

/**
 * Resolves once the page's socket.io connection has received the server's `ready`
 * (sent after the socket joined its user and council rooms), over long-polling or
 * WebSocket. Call it before the page navigates.
 */
export function socketReady(page: Page, timeoutMs = 30_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`socket.io "ready" not received within ${timeoutMs} ms on ${page.url()}`)), timeoutMs);
    const done = () => {
      clearTimeout(timer);
      resolve();
    };
    page.on("websocket", (ws) => {
      if (!ws.url().includes("/socket.io/")) return;
      ws.on("framereceived", (f) => {
        if (String(f.payload).includes('["ready"')) done();
      });
    });
    page.on("response", (r) => {
      if (!r.url().includes("/socket.io/")) return;
      r.text().then(
        (body) => {
          if (body.includes('["ready"')) done();
        },
        () => undefined,
      );
    });
  });
}

/**
 * After a test: no CSP violations, no uncaught exceptions, and no console errors
 * but the ones the test provoked on purpose (one pattern per expected message).
 */
export function expectCleanPages(logs: PageLog[], expectedConsoleErrors: RegExp[] = []): void {
  const csp = cspMessages(logs);
  const thrown = logs.flatMap((l) => l.pageErrors);
  const consoleErrors = logs.flatMap((l) => l.consoleErrors);
  for (const pattern of expectedConsoleErrors) {
    const i = consoleErrors.findIndex((m) => pattern.test(m));
    expect(i, `expected console error ${pattern} did not occur:\n${consoleErrors.join("\n")}`).toBeGreaterThanOrEqual(0);
    consoleErrors.splice(i, 1);
  }
  expect(csp, `Content Security Policy violations:\n${csp.join("\n")}`).toEqual([]);
  expect(thrown, `uncaught exceptions in the page:\n${thrown.join("\n")}`).toEqual([]);
  expect(consoleErrors, `console errors in the page:\n${consoleErrors.join("\n")}`).toEqual([]);
}

/** Waits until the page's layout has settled: scroll position and height unchanged over three frames. */
export async function layoutSettled(page: Page): Promise<void> {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const at = () => `${window.scrollY}:${document.documentElement.scrollHeight}:${document.documentElement.clientWidth}`;
        let last = at();
        let same = 0;
        let frames = 0;
        const tick = () => {
          const now = at();
          same = now === last ? same + 1 : 0;
          last = now;
          if (same >= 3 || ++frames > 120) resolve();
          else requestAnimationFrame(tick);
        };
        requestAnimationFrame(tick);
      }),
  );
}

/**
 * How far the page scrolls sideways at `width` px (0 = it fits), with the elements that stick
 * out. The viewport and scroll position are put back, and the layout has settled, before it
 * returns: a click right after would otherwise land on a page that is still re-laying out (it
 * once hit the field above a "Spara punkten" button, and the edit was never sent).
 */
export async function sidewaysOverflow(page: Page, width = 390): Promise<{ overflow: number; wide: string[] }> {
  const size = page.viewportSize();
  const scrollY = await page.evaluate(() => window.scrollY);
  await page.setViewportSize({ width, height: 844 });
  await layoutSettled(page);
  const result = await page.evaluate(() => {
    const overflow = document.documentElement.scrollWidth - document.documentElement.clientWidth;
    const wide = overflow
      ? [...document.querySelectorAll("body *")]
          .filter((e) => e.getBoundingClientRect().right > document.documentElement.clientWidth + 1)
          .slice(0, 8)
          .map((e) => `${e.tagName.toLowerCase()}.${[...e.classList].join(".")} (${Math.round(e.getBoundingClientRect().right)} px)`)
      : [];
    return { overflow, wide };
  });
  if (size) await page.setViewportSize(size);
  await page.evaluate((y) => window.scrollTo(0, y), scrollY);
  await layoutSettled(page);
  return result;
}

/** A dictionary text with its `{name}` placeholders filled in, to find it on a page. */
export const fill = (template: string, vars: Record<string, string | number>) => template.replace(/\{(\w+)\}/g, (_, k: string) => String(vars[k]));
