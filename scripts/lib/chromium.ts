// Debian's Chromium driven by playwright-core, with the flags this machine needs
// (no sandbox as root; no background networking, whose connections the closed
// network refuses). One place for the tests, the screenshots and the benches.
import { chromium, type Browser, type Page } from "playwright-core";

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

/**
 * Waits until a Samsyn page has settled: its live documents have connected and
 * synced (no status line still "static" or "connecting", see
 * app/collab/ConnectionStatus.tsx), no rich-text editor is still loading its code,
 * and fonts are in. Gives up quietly after `timeoutMs` (a page may be offline on
 * purpose); returns whether it settled.
 */
export async function pageReady(page: Page, timeoutMs = 15_000): Promise<boolean> {
  try {
    await page.waitForFunction(
      () =>
        document.readyState === "complete" &&
        !document.querySelector('[data-connection="static"], [data-connection="connecting"], .rich-text-loading'),
      undefined,
      { timeout: timeoutMs, polling: 100 },
    );
    await page.evaluate(() => document.fonts.ready.then(() => undefined));
    return true;
  } catch {
    return false;
  }
}
