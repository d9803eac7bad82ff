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
// Side by side: BENCH_LH_BASELINE_BUILD=<folder> (a copy of an older `build/` inside the
// project, e.g. `cp -r build build-base` before a change) serves a second demo site from
// that build; each page is measured on both, alternating, BENCH_LH_RUNS times (default 1;
// 3 or more on a shared machine), and the table gives medians per site.
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

const BASELINE = process.env.BENCH_LH_BASELINE_BUILD ?? "";
const RUNS = Math.max(1, Number(process.env.BENCH_LH_RUNS ?? 1));
const sites = [{ label: "build", site: await startDemoSite() }];
if (BASELINE) sites.push({ label: BASELINE, site: await startDemoSite(BASELINE) });
const chrome = await chromeLauncher.launch({ chromePath: process.env.CHROME_PATH || CHROMIUM_PATH, chromeFlags: ["--headless", "--no-sandbox", "--disable-gpu"] });

type Figures = { score: number; fcp?: number; lcp?: number; tbt?: number; cls: number; si?: number; tti?: number; benchmarkIndex: number };
type Target = { name: string; url: string; cookie?: { name: string; value: string } };

async function measure(t: Target): Promise<Figures> {
  // A trace is sometimes lost (NO_NAVSTART) on a busy machine: try up to three times.
  let lhr;
  for (let attempt = 1; ; attempt++) {
    const result = await lighthouse(t.url, {
      port: chrome.port,
      output: "json",
      logLevel: "error",
      onlyCategories: ["performance"],
      extraHeaders: t.cookie ? { Cookie: `${t.cookie.name}=${t.cookie.value}` } : undefined,
    });
    if (!result) throw new Error(`lighthouse returned nothing for ${t.url}`);
    lhr = result.lhr;
    if (!lhr.runtimeError || attempt >= 3) break;
  }
  if (lhr.runtimeError) throw new Error(`${t.name}: ${lhr.runtimeError.code} ${lhr.runtimeError.message}`);
  if (lhr.finalDisplayedUrl !== t.url) throw new Error(`${t.name}: ended at ${lhr.finalDisplayedUrl}, not ${t.url} (signed out?)`);
  if (DETAILS) {
    // Where the main thread went (per script) and what blocked the first paint.
    type Item = Record<string, unknown>;
    const items = (id: string) => ((lhr.audits[id]?.details as { items?: Item[] } | undefined)?.items ?? []) as Item[];
    console.log(`\n${t.name}: main-thread work by script (ms: total / scripting / parse+compile)`);
    for (const i of items("bootup-time").slice(0, 8)) console.log(`  ${Math.round(Number(i.total))} / ${Math.round(Number(i.scripting))} / ${Math.round(Number(i.scriptParseCompile))}  ${i.url}`);
    console.log(`${t.name}: main-thread work by kind (ms)`);
    for (const i of items("mainthread-work-breakdown").slice(0, 6)) console.log(`  ${Math.round(Number(i.duration))}  ${i.groupLabel ?? i.group}`);
    console.log(`${t.name}: long tasks (start ms, duration ms, script)`);
    for (const i of items("long-tasks").slice(0, 10)) console.log(`  ${Math.round(Number(i.startTime))}  ${Math.round(Number(i.duration))}  ${i.url}`);
    const lcpItems = (lhr.audits["largest-contentful-paint-element"]?.details as { items?: { items?: Item[] }[] } | undefined)?.items ?? [];
    const lcpNode = lcpItems[0]?.items?.[0]?.node as { snippet?: string; selector?: string } | undefined;
    console.log(`${t.name}: LCP element ${lcpNode?.selector ?? "?"} ${lcpNode?.snippet?.slice(0, 120) ?? ""}`);
    for (const phase of lcpItems[1]?.items ?? []) console.log(`  ${phase.phase}: ${Math.round(Number(phase.timing))} ms`);
    console.log(`${t.name}: render-blocking`);
    for (const i of items("render-blocking-resources")) console.log(`  ${Math.round(Number(i.wastedMs))} ms  ${i.url}`);
  }
  const a = (id: string) => lhr.audits[id]?.numericValue;
  return {
    score: Math.round((lhr.categories.performance.score ?? 0) * 100),
    fcp: a("first-contentful-paint"),
    lcp: a("largest-contentful-paint"),
    tbt: a("total-blocking-time"),
    cls: a("cumulative-layout-shift") ?? 0,
    si: a("speed-index"),
    tti: a("interactive"),
    benchmarkIndex: lhr.environment.benchmarkIndex,
  };
}

const median = (xs: number[]) => {
  const v = [...xs].sort((p, q) => p - q);
  return v.length % 2 ? v[(v.length - 1) / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
};

try {
  const perSite = await Promise.all(
    sites.map(async ({ label, site }) => ({
      label,
      cookie: await login(site.url, ROLES[ROLE]),
      pages: new Map((await mainPages(site.db)).filter((p) => wantPages.includes(p.name)).map((p) => [p.name, site.url + p.path])),
    })),
  );
  const names = ["blank page", ...wantPages.filter((n) => perSite[0].pages.has(n))];
  const results = new Map<string, Figures[]>(); // key: page + site
  for (let run = 0; run < RUNS; run++) {
    for (const name of names) {
      // Alternate the sites' order per run, so neither always goes first.
      const order = run % 2 ? [...perSite].reverse() : perSite;
      for (const s of name === "blank page" ? [perSite[0]] : order) {
        const target: Target = name === "blank page" ? { name, url: blankUrl } : { name, url: s.pages.get(name)!, cookie: s.cookie };
        const key = `${name}\u0000${s.label}`;
        results.set(key, [...(results.get(key) ?? []), await measure(target)]);
      }
    }
  }
  const rows: (string | number)[][] = [];
  for (const name of names) {
    for (const s of name === "blank page" ? [perSite[0]] : perSite) {
      const f = results.get(`${name}\u0000${s.label}`)!;
      const m = (pick: (x: Figures) => number | undefined) => median(f.map((x) => pick(x) ?? NaN));
      rows.push([
        name,
        ...(sites.length > 1 ? [name === "blank page" ? "" : s.label] : []),
        Math.round(m((x) => x.score)),
        ms(m((x) => x.fcp)),
        ms(m((x) => x.lcp)),
        ms(m((x) => x.tbt)),
        m((x) => x.cls).toFixed(3),
        ms(m((x) => x.si)),
        ms(m((x) => x.tti)),
        Math.round(m((x) => x.benchmarkIndex)),
      ]);
    }
  }
  console.log(
    `Lighthouse ${(await import("lighthouse/package.json", { with: { type: "json" } })).default.version} mobile performance, as ${ROLES[ROLE]} (times in ms; ${RUNS > 1 ? `medians of ${RUNS} runs` : "one run"}${sites.length > 1 ? `, this build beside ${BASELINE}, alternating` : ""})\n`,
  );
  console.log(table(["page", ...(sites.length > 1 ? ["site"] : []), "score", "FCP", "LCP", "TBT", "CLS", "SI", "TTI", "benchmarkIndex"], rows));
} finally {
  await chrome.kill();
  for (const { site } of sites) await site.close();
  blank.close();
}
