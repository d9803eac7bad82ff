// npm run screenshots — full-page screenshots of every main page, as each demo
// role, at 1280×800 (desktop) and 390×844 (phone), so anyone can look at the
// screens without clicking through them. Starts the real server (the Remix build:
// `npm run build` first) on an ephemeral port over a fresh copy of the seeded demo
// database, signs in as each role and writes
//   screenshots/<role>/<page>-<width>.png
//   screenshots/index.md  (the summary table below, also printed)
// The table says, per page, role and width, whether the page scrolls sideways
// (document.documentElement.scrollWidth > window.innerWidth, by how many px), or
// the HTTP status if the role may not open it. Overflow is reported, not failed:
// the exit code is 0 whenever the run completed.
//
// Options (environment): SCREENSHOTS_DIR (default screenshots/), SCREENSHOTS_ROLES
// (comma-separated subset of admin,processledare,ledamot,observator),
// SCREENSHOTS_PAGES (comma-separated page names, e.g. plan,home).
import { execFileSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import type { BrowserContext } from "playwright-core";
import { pageReady } from "./lib/chromium";
import { launchBrowser, login, mainPages, ROLES, ROOT, startDemoSite, type Role } from "./lib/demo-site";

const OUT = path.resolve(ROOT, process.env.SCREENSHOTS_DIR || "screenshots");
const VIEWPORTS = [
  { width: 1280, height: 800 },
  { width: 390, height: 844 },
] as const;
const list = (v: string | undefined) => (v ? v.split(",").map((s) => s.trim()).filter(Boolean) : null);
const wantRoles = list(process.env.SCREENSHOTS_ROLES);
const wantPages = list(process.env.SCREENSHOTS_PAGES);
const roles = (Object.keys(ROLES) as Role[]).filter((r) => !wantRoles || wantRoles.includes(r));

const began = performance.now();
const site = await startDemoSite();
const browser = await launchBrowser();
/** result[page][`${role} ${width}`] = "ok" | "→ N px" | "HTTP 403" … */
const result = new Map<string, Map<string, string>>();
let shots = 0;
let overflowing = 0;
try {
  const pages = (await mainPages(site.db)).filter((p) => !wantPages || wantPages.includes(p.name));
  for (const role of roles) {
    const cookie = await login(site.url, ROLES[role]);
    fs.rmSync(path.join(OUT, role), { recursive: true, force: true });
    fs.mkdirSync(path.join(OUT, role), { recursive: true });
    for (const vp of VIEWPORTS) {
      const context: BrowserContext = await browser.newContext({ viewport: vp, deviceScaleFactor: 1, locale: "sv-SE", timezoneId: "Europe/Stockholm" });
      await context.addCookies([{ ...cookie, url: site.url }]);
      const page = await context.newPage();
      for (const p of pages) {
        const cell = (v: string) => {
          if (!result.has(p.name)) result.set(p.name, new Map());
          result.get(p.name)!.set(`${role} ${vp.width}`, v);
        };
        const res = await page.goto(site.url + p.path, { waitUntil: "load" });
        const status = res?.status() ?? 0;
        if (status !== 200) {
          cell(`HTTP ${status}`);
          continue;
        }
        // Let hydration, the live documents' first sync and fonts settle; then a
        // moment for the last render.
        if (!(await pageReady(page))) console.warn(`${role} ${p.name} ${vp.width}: not settled after 15 s`);
        await page.waitForTimeout(300);
        const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
        await page.screenshot({ path: path.join(OUT, role, `${p.name}-${vp.width}.png`), fullPage: true, animations: "disabled" });
        shots++;
        if (over > 0) overflowing++;
        cell(over > 0 ? `SCROLLS +${over}px` : "ok");
      }
      await context.close();
    }
  }

  const cols = roles.flatMap((r) => VIEWPORTS.map((vp) => `${r} ${vp.width}`));
  const pageNames = [...result.keys()];
  const pathOf = new Map(pages.map((p) => [p.name, p.path]));
  const md = [
    `# Screenshots`,
    ``,
    `Made by \`npm run screenshots\` on ${new Date().toISOString()} (commit ${gitHead()}), demo council /councils/skaraborg.`,
    `Files: \`<role>/<page>-<width>.png\`, full page, at 1280×800 and 390×844.`,
    `"ok": no sideways scrolling; "SCROLLS +N px": document.documentElement.scrollWidth exceeds window.innerWidth by N px; "HTTP n": the role may not open the page (no screenshot).`,
    ``,
    `| page | path | ${cols.join(" | ")} |`,
    `| --- | --- | ${cols.map(() => "---").join(" | ")} |`,
    ...pageNames.map((n) => `| ${n} | \`${pathOf.get(n)!.replace(/\/[0-9a-f-]{20,}/gi, "/…")}\` | ${cols.map((c) => result.get(n)!.get(c) ?? "").join(" | ")} |`),
    ``,
    `${shots} screenshots, ${overflowing} of them scroll sideways.`,
    ``,
  ].join("\n");
  fs.writeFileSync(path.join(OUT, "index.md"), md);
  console.log(md);
  console.log(`Written to ${path.relative(process.cwd(), OUT) || "."}/ in ${((performance.now() - began) / 1000).toFixed(0)} s.`);
} finally {
  await browser.close();
  await site.close();
}

function gitHead(): string {
  try {
    return execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: ROOT, encoding: "utf8" }).trim();
  } catch {
    return "?";
  }
}
