// bench:lighthouse — Lighthouse mobile performance scores for the main pages as a
// member: Lighthouse 12's default (mobile) configuration, i.e. a Moto G Power
// viewport, simulated slow 4G and a 4× CPU slowdown, performance category only,
// against the real server (Remix build, `npm run build` first) over a fresh copy of
// the seeded demo database (scripts/lib/demo-site.ts). Chromium is /usr/bin/chromium
// (CHROME_PATH), started by chrome-launcher with --headless --no-sandbox; no network
// beyond 127.0.0.1 is needed. The session cookie is sent as an extra header.
//
// The score depends on the machine: Lighthouse prints its benchmarkIndex (CPU speed;
// it expects ≥ ~1000 for its 4× slowdown). Below that, or with other work running,
// Total Blocking Time and so the score are too pessimistic: compare runs on one
// quiet machine only. The row "blank page" (a static empty HTML page) shows the
// machine's floor.
//
// Options: BENCH_LH_PAGES (comma-separated page names; default the main ones below),
// BENCH_LH_ROLE (ledamot), BENCH_LH_DETAILS=1 (also prints where each page's main-thread
// time went, by script and by kind, and its render-blocking resources).
import http from "node:http";
import * as chromeLauncher from "chrome-launcher";
import lighthouse from "lighthouse";
import { CHROMIUM_PATH, login, mainPages, ROLES, startDemoSite, table, type Role } from "../scripts/lib/demo-site";

const ROLE = (process.env.BENCH_LH_ROLE || "ledamot") as Role;
const DEFAULT_PAGES = ["home", "council", "meetings", "meeting-upcoming", "plan", "dashboard", "statements", "settings"];
const wantPages = process.env.BENCH_LH_PAGES ? process.env.BENCH_LH_PAGES.split(",").map((s) => s.trim()) : DEFAULT_PAGES;

const DETAILS = process.env.BENCH_LH_DETAILS === "1";
const ms = (v: number | undefined) => (v === undefined ? "" : `${Math.round(v)}`);

// A blank static page, to show what this machine scores at best.
const blank = http.createServer((_req, res) => res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end("<!doctype html><html lang=sv><title>blank</title><h1>blank</h1></html>"));
await new Promise<void>((r) => blank.listen(0, "127.0.0.1", r));
const blankUrl = `http://127.0.0.1:${(blank.address() as { port: number }).port}/`;

const site = await startDemoSite();
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH || CHROMIUM_PATH, chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu"] });
try {
  const cookie = await login(site.url, ROLES[ROLE]);
  const pages = (await mainPages(site.db)).filter((p) => wantPages.includes(p.name));
  const targets = [{ name: "blank page", url: blankUrl, cookie: false }, ...pages.map((p) => ({ name: p.name, url: site.url + p.path, cookie: true }))];
  const rows: (string | number)[][] = [];
  let benchmarkIndex = 0;
  for (const t of targets) {
    // A trace is sometimes lost (NO_NAVSTART) on a busy machine: try up to three times.
    let lhr;
    for (let attempt = 1; ; attempt++) {
      const result = await lighthouse(t.url, {
        port: chrome.port,
        output: "json",
        logLevel: "error",
        onlyCategories: ["performance"],
        extraHeaders: t.cookie ? { Cookie: `${cookie.name}=${cookie.value}` } : undefined,
      });
      if (!result) throw new Error(`lighthouse returned nothing for ${t.url}`);
      lhr = result.lhr;
      if (!lhr.runtimeError || attempt >= 3) break;
    }
    if (lhr.runtimeError) throw new Error(`${t.name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
    if (lhr.finalDisplayedUrl !== t.url) throw new Error(`${t.name}: ended at ${lhr.finalDisplayedUrl}, not ${t.url} (signed out?)`);
    benchmarkIndex = lhr.environment.benchmarkIndex;
    if (DETAILS) {
      // Where the main thread went (per script) and what blocked the first paint.
      type Item = Record<string, unknown>;
      const items = (id: string) => ((lhr.audits[id]?.details as { items?: Item[] } | undefined)?.items ?? []) as Item[];
      console.log(`\n${t.name}: main-thread work by script (ms: total / scripting / parse+compile)`);
      for (const i of items("bootup-time").slice(0, 8)) console.log(`  ${Math.round(Number(i.total))} / ${Math.round(Number(i.scripting))} / ${Math.round(Number(i.scriptParseCompile))}  ${i.url}`);
      console.log(`${t.name}: main-thread work by kind (ms)`);
      for (const i of items("mainthread-work-breakdown").slice(0, 6)) console.log(`  ${Math.round(Number(i.duration))}  ${i.groupLabel ?? i.group}`);
      console.log(`${t.name}: render-blocking`);
      for (const i of items("render-blocking-resources")) console.log(`  ${Math.round(Number(i.wastedMs))} ms  ${i.url}`);
    }
    const a = (id: string) => lhr.audits[id]?.numericValue;
    rows.push([
      t.name,
      Math.round((lhr.categories.performance.score ?? 0) * 100),
      ms(a("first-contentful-paint")),
      ms(a("largest-contentful-paint")),
      ms(a("total-blocking-time")),
      (a("cumulative-layout-shift") ?? 0).toFixed(3),
      ms(a("speed-index")),
      ms(a("interactive")),
      Math.round(benchmarkIndex),
    ]);
  }
  console.log(`Lighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version} mobile performance, as ${ROLES[ROLE]} (times in ms)\n`);
  console.log(table(["page", "score", "FCP", "LCP", "TBT", "CLS", "SI", "TTI", "benchmarkIndex"], rows));
} finally {
  await chrome.kill();
  await site.close();
  blank.close();
}
