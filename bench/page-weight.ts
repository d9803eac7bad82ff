// bench:weight — what a member's browser downloads on the first load of each main
// page: the HTML document and every script, style sheet, font and image the page
// loads (module preloads and lazily imported chunks included), with an empty cache.
//
// Method: the real server (Remix build, `npm run build` first) over a fresh copy of
// the seeded demo database (scripts/lib/demo-site.ts), Chromium (playwright-core,
// /usr/bin/chromium) with a new browser context per page, the cache disabled
// (CDP Network.setCacheDisabled) and `Accept-Encoding: br, gzip` sent on every
// request, as browsers do over HTTPS (Chromium offers Brotli only on secure
// origins, and the site is measured over http://127.0.0.1). Per request, from
// the CDP Network events:
//   raw         the decoded body (sum of Network.dataReceived dataLength),
//   transferred bytes on the wire, headers included (Network.loadingFinished
//               encodedDataLength), i.e. after Brotli/gzip.
// socket.io polling, fetch/XHR and WebSocket traffic are not counted (they are
// the live connection, not the page's weight). The page counts as loaded 3 s
// after the load event with no new counted request and none in flight.
//
// Options: BENCH_WEIGHT_ROLE (ledamot; or admin, processledare, observator),
// BENCH_WEIGHT_PAGES (comma-separated page names, e.g. plan,home),
// BENCH_WEIGHT_ENCODING (the Accept-Encoding sent; "br, gzip" by default, "identity" for none),
// BENCH_WEIGHT_VERBOSE=1 (lists every counted request).
import type { CDPSession } from "playwright-core";
import { launchBrowser, login, mainPages, ROLES, startDemoSite, table, type Role } from "../scripts/lib/demo-site";

const ROLE = (process.env.BENCH_WEIGHT_ROLE || "ledamot") as Role;
if (!(ROLE in ROLES)) throw new Error(`BENCH_WEIGHT_ROLE: one of ${Object.keys(ROLES).join(", ")}`);
const ENCODING = process.env.BENCH_WEIGHT_ENCODING || "br, gzip";
const wantPages = process.env.BENCH_WEIGHT_PAGES ? process.env.BENCH_WEIGHT_PAGES.split(",").map((s) => s.trim()) : null;
const COUNTED = new Set(["Document", "Script", "Stylesheet", "Font", "Image"]);
const QUIET_MS = 3000;
const VERBOSE = process.env.BENCH_WEIGHT_VERBOSE === "1";

interface Req {
  url: string;
  type: string;
  raw: number;
  wire: number;
  encoding: string;
  done: boolean;
  failed?: string;
}

const kb = (b: number) => (b / 1024).toFixed(1);

async function measure(cdp: CDPSession, go: () => Promise<number>) {
  const reqs = new Map<string, Req>();
  let lastStart = performance.now();
  cdp.on("Network.requestWillBeSent", (e) => {
    if (!COUNTED.has(e.type ?? "")) return;
    reqs.set(e.requestId, { url: e.request.url, type: e.type!, raw: 0, wire: 0, encoding: "", done: false });
    lastStart = performance.now();
  });
  cdp.on("Network.responseReceived", (e) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    const h = Object.fromEntries(Object.entries(e.response.headers).map(([k, v]) => [k.toLowerCase(), String(v)]));
    r.encoding = h["content-encoding"] ?? "";
  });
  cdp.on("Network.dataReceived", (e) => {
    const r = reqs.get(e.requestId);
    if (r) r.raw += e.dataLength;
  });
  cdp.on("Network.loadingFinished", (e) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    r.wire = e.encodedDataLength;
    r.done = true;
    lastStart = Math.max(lastStart, performance.now());
  });
  cdp.on("Network.loadingFailed", (e) => {
    const r = reqs.get(e.requestId);
    if (!r) return;
    r.failed = e.errorText;
    r.done = true;
  });
  const status = await go();
  const t0 = performance.now();
  while (performance.now() - t0 < 20_000) {
    const busy = [...reqs.values()].some((r) => !r.done);
    if (!busy && performance.now() - lastStart >= QUIET_MS) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  return { status, reqs: [...reqs.values()] };
}

const site = await startDemoSite();
const browser = await launchBrowser();
try {
  const cookie = await login(site.url, ROLES[ROLE]);
  const pages = (await mainPages(site.db)).filter((p) => !wantPages || wantPages.includes(p.name));
  const rows: (string | number)[][] = [];
  const notes: string[] = [];
  for (const p of pages) {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 }, locale: "sv-SE" });
    await context.addCookies([{ ...cookie, url: site.url }]);
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    await cdp.send("Network.enable");
    await cdp.send("Network.setCacheDisabled", { cacheDisabled: true });
    await cdp.send("Network.setExtraHTTPHeaders", { headers: { "Accept-Encoding": ENCODING } });
    const { status, reqs } = await measure(cdp, async () => (await page.goto(site.url + p.path, { waitUntil: "load" }))?.status() ?? 0);
    await context.close();
    if (status !== 200) {
      notes.push(`${p.name}: HTTP ${status} for ${ROLE}, not measured`);
      continue;
    }
    if (VERBOSE) for (const r of reqs) console.log(`  ${p.name}  ${r.type.padEnd(10)} ${kb(r.raw).padStart(7)} ${kb(r.wire).padStart(7)}  ${r.url.replace(site.url, "")}`);
    const failed = reqs.filter((r) => r.failed);
    if (failed.length) notes.push(`${p.name}: ${failed.length} failed request(s): ${failed.map((r) => `${r.url} (${r.failed})`).join(", ")}`);
    const sum = (f: (r: Req) => boolean, k: "raw" | "wire") => reqs.filter(f).reduce((s, r) => s + r[k], 0);
    const all = () => true;
    const doc = reqs.find((r) => r.type === "Document");
    rows.push([
      p.name,
      reqs.length,
      kb(sum(all, "raw")),
      kb(sum(all, "wire")),
      kb(doc?.raw ?? 0),
      kb(sum((r) => r.type === "Script", "raw")),
      kb(sum((r) => r.type === "Script", "wire")),
      kb(sum((r) => r.type === "Stylesheet", "raw")),
      kb(sum((r) => r.type === "Font" || r.type === "Image", "raw")),
      [...new Set(reqs.map((r) => r.encoding || "none"))].join("/"),
    ]);
  }
  console.log(`Page weight on first load, as ${ROLES[ROLE]}, empty cache, Accept-Encoding: ${ENCODING} (KB = 1024 bytes)\n`);
  console.log(
    table(["page", "requests", "raw KB", "transferred KB", "HTML KB", "JS KB", "JS transf. KB", "CSS KB", "font+img KB", "encodings"], rows),
  );
  if (notes.length) console.log("\n" + notes.join("\n"));
} finally {
  await browser.close();
  await site.close();
}
