// bench:pages — the server's CPU cost per page request, for the pages people open
// most, on the seeded demo database. One client at a time (no queueing), so the
// figure is the cost of the request itself: route matching, loaders, the React
// render, serialisation and the HTTP plumbing. The dashboard's p95 at 10
// concurrent requests is about 10 × this cost (bench:followup), so this is the
// floor every page starts from.
//
// Side by side: BENCH_BASELINE_BUILD=<folder> (a copy of an older `build/` inside the
// project, e.g. `cp -r build build-base` before a change) starts a second server on
// that build; the rounds alternate between the two and the table gives both and
// the ratio. Only the Remix build differs; the Express server code is the same.
// BENCH_BASELINE_CHECKOUT=<dir> instead runs the second server from another checkout
// (e.g. `git worktree add ../base <commit>`, then `npm ci && npm run build` there):
// its own server code, node_modules (patches included or not) and build.
//
// Tunables: BENCH_PAGE_REQUESTS (200 per page and round), BENCH_PAGE_ROUNDS (3),
// BENCH_PAGE_WARMUP (50), BENCH_PROFILE_DIR (a V8 CPU profile of the server over the rounds).
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { cpuMicros, get, login, median, percentile, startServer, table, type ServerChild } from "./lib";

const int = (name: string, dflt: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : dflt;
};
const REQUESTS = int("BENCH_PAGE_REQUESTS", 200);
const ROUNDS = int("BENCH_PAGE_ROUNDS", 3);
const WARMUP = int("BENCH_PAGE_WARMUP", 50);
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ?? "";


async function measure(child: ServerChild, agent: http.Agent, urlPath: string, cookie: string, n: number) {
  const times: number[] = [];
  let bytes = 0;
  const u0 = await child.usage();
  for (let i = 0; i < n; i++) {
    const t = performance.now();
    const r = await get(agent, child.port, urlPath, cookie);
    times.push(performance.now() - t);
    if (r.status !== 200) throw new Error(`GET ${urlPath}: HTTP ${r.status}`);
    bytes = r.bytes;
  }
  const u1 = await child.usage();
  times.sort((a, b) => a - b);
  return { cpuMs: cpuMicros(u0.cpu, u1.cpu) / n / 1000, p50: percentile(times, 50), bytes };
}

const began = performance.now();
const BASELINE = process.env.BENCH_BASELINE_BUILD ?? "";
const BASELINE_CHECKOUT = process.env.BENCH_BASELINE_CHECKOUT ? path.resolve(process.env.BENCH_BASELINE_CHECKOUT) : "";
const servers: { name: string; child: ServerChild }[] = [{ name: "build", child: await startServer("samsyn") }];
if (BASELINE) servers.push({ name: BASELINE, child: await startServer("samsyn", { options: { build: BASELINE } }) });
else if (BASELINE_CHECKOUT) servers.push({ name: path.basename(BASELINE_CHECKOUT), child: await startServer("samsyn", { root: BASELINE_CHECKOUT }) });
const watchdog = setTimeout(() => {
  console.error("!! bench:pages timed out");
  for (const s of servers) s.child.proc.kill("SIGKILL");
  process.exit(2);
}, int("BENCH_TIMEOUT_MS", 5 * 60_000)).unref();
try {
  const pagesOf = async (child: ServerChild) => {
    const cookie = await login(child.base, "ledamot@samsyn.test");
    const plans = (await (await fetch(`${child.base}/api/v1/councils/skaraborg/plans`, { headers: { cookie } })).json()) as { year: number; status: string }[];
    const year = plans.find((p) => p.status !== "adopted")?.year ?? new Date().getFullYear();
    const pages: [string, string, string][] = [
      ["login (signed out)", "/login", ""],
      ["settings", "/settings", cookie],
      ["notifications", "/notifications", cookie],
      ["council", "/councils/skaraborg", cookie],
      ["meetings", "/councils/skaraborg/meetings", cookie],
      ["plan", `/councils/skaraborg/plans/${year}`, cookie],
      ["dashboard", `/councils/skaraborg/plans/${year}/dashboard`, cookie],
      ["dashboard.data", `/councils/skaraborg/plans/${year}/dashboard.data`, cookie],
      ["API: plan JSON", `/api/v1/councils/skaraborg/plans/${year}`, cookie],
    ];
    return { pages, year, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) };
  };
  const setups = await Promise.all(servers.map((s) => pagesOf(s.child)));
  for (let i = 0; i < servers.length; i++) for (const [, p, c] of setups[i].pages) await measure(servers[i].child, setups[i].agent, p, c, WARMUP);
  const results = servers.map(() => new Map<string, { cpu: number[]; p50: number[]; bytes: number }>());
  if (PROFILE_DIR) {
    fs.mkdirSync(PROFILE_DIR, { recursive: true });
    await servers[0].child.request("profileStart");
  }
  for (let round = 0; round < ROUNDS; round++) {
    const names = setups[0].pages.map(([name]) => name);
    for (const name of round % 2 ? [...names].reverse() : names) {
      // Alternate which server goes first, so a noisy moment hits both.
      const order = servers.map((_, i) => i);
      if (round % 2) order.reverse();
      for (const i of order) {
        const [, p, c] = setups[i].pages.find(([n]) => n === name)!;
        const r = await measure(servers[i].child, setups[i].agent, p, c, REQUESTS);
        const acc = results[i].get(name) ?? { cpu: [], p50: [], bytes: r.bytes };
        acc.cpu.push(r.cpuMs);
        acc.p50.push(r.p50);
        results[i].set(name, acc);
      }
    }
  }
  if (PROFILE_DIR) console.log(`CPU profile: ${await servers[0].child.request("profileStop", { file: path.resolve(PROFILE_DIR, "pages.cpuprofile") })}`);
  for (const s of setups) s.agent.destroy();
  console.log(`Server CPU per request, one client at a time, ${ROUNDS} rounds × ${REQUESTS} requests per page (median over rounds):\n`);
  const rows = setups[0].pages.map(([name, p]) => {
    const cells = results.map((r) => r.get(name)!);
    const row: (string | number)[] = [name, p.replace(String(setups[0].year), "<year>")];
    for (const c of cells) row.push(`${(c.bytes / 1024).toFixed(1)}`, median(c.cpu).toFixed(2), median(c.p50).toFixed(2));
    if (cells.length === 2) row.push(`${(median(cells[0].cpu) / median(cells[1].cpu)).toFixed(2)}×`);
    return row;
  });
  const header = ["page", "path"];
  for (const s of servers) header.push(`KiB (${s.name})`, `CPU ms/req (${s.name})`, `p50 ms (${s.name})`);
  if (servers.length === 2) header.push(`CPU ${servers[0].name} / ${servers[1].name}`);
  console.log(table(header, rows));
  console.log(`\nTotal time ${((performance.now() - began) / 1000).toFixed(0)} s.`);
} finally {
  clearTimeout(watchdog);
  await Promise.all(servers.map((s) => s.child.close()));
}
