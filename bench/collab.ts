// Collaboration benchmark: edit → visible latency with N clients in one document,
// Samsyn (persists every update to SQLite before fanning it out) against two
// in-memory peers, Hocuspocus 3 and the classic y-websocket 2 server.
//
//   npm run bench:collab          (or: npx tsx bench/collab.ts)
//
// Method (see bench/README.md): each server runs in its own child process; all
// clients live in this process, so one clock times everything. Per run, N clients
// connect with the server's own client library and sync; client 0 types one
// character at a time into a Y.Text at a fixed rate, the others observe. For each
// (edit, observer) pair we record the time from the typer's local insert to the
// observer's doc update that contains it (the text only grows at the end, so an
// observer that sees length L has seen edits 0..L-1). Server CPU per edit is the
// child's cpuUsage (user+system) delta over the measured phase / edits. Rounds
// interleave the servers in rotating order; the table shows medians across rounds.
//
// Before the runs, an awareness probe checks that Samsyn tolerates the stock
// client relaying peers' presence (a regression check; see awarenessShimWebSocket).
//
// Tunables (env): BENCH_CLIENTS=50 BENCH_EDITS=300 BENCH_WARMUP=20 BENCH_RATE=20 BENCH_ROUNDS=3,
// BENCH_SERVERS=samsyn,hocuspocus,ywebsocket (add samsyn-pg: one node on PostgreSQL; samsyn-2n: two
// nodes on one PostgreSQL database and Redis, the typist on node A and the observers alternating
// between A and B, with p50/p99 per node; both need `bash scripts/engines.sh` or TEST_DATABASE_URL
// and TEST_REDIS_URL; `npm run bench:collab:nodes` runs samsyn, samsyn-pg, samsyn-2n and ywebsocket), BENCH_AWARENESS_SHIM=auto|0|1, BENCH_DEBUG=1 (slowest
// edits per run), BENCH_PROFILE_DIR=dir (CPU profile of each server's measured phase), BENCH_TIMEOUT_MS.
import fs from "node:fs";
import path from "node:path";
import { monitorEventLoopDelay, performance } from "node:perf_hooks";
import { HocuspocusProvider, HocuspocusProviderWebsocket } from "@hocuspocus/provider";
import WebSocket from "ws";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { createTestDatabase, testDatabaseUrl, testRedisUrl } from "../tests/helpers/pg";
import {
  awarenessShimWebSocket,
  cookieWebSocket,
  cpuMicros,
  getJson,
  HOST,
  login,
  median,
  percentile,
  shimCounters,
  sleep,
  startServer,
  table,
  waitFor,
  type ServerChild,
  type ServerKind,
} from "./lib";

const int = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : def;
};
const CLIENTS = int("BENCH_CLIENTS", 50);
const EDITS = int("BENCH_EDITS", 300);
const WARMUP = int("BENCH_WARMUP", 20);
const RATE = int("BENCH_RATE", 20);
const ROUNDS = int("BENCH_ROUNDS", 3);
const INTERVAL_MS = 1000 / RATE;
/** Debounced server work (Samsyn's projection, 500 ms) lands inside the CPU window. */
const DRAIN_MS = 600;
const DEBUG = process.env.BENCH_DEBUG === "1";
/** "auto" (default): shim Samsyn's clients only if the probe shows the server closes relaying clients; "0" never; "1" always. */
const SHIM = process.env.BENCH_AWARENESS_SHIM ?? "auto";
/** What a run measures: a server kind, or Samsyn on PostgreSQL with one node or two. */
type Kind = ServerKind | "samsyn-pg" | "samsyn-2n";
const ALL_SERVERS: Kind[] = ["samsyn", "hocuspocus", "ywebsocket", "samsyn-pg", "samsyn-2n"];
/** BENCH_SERVERS=samsyn,hocuspocus,ywebsocket (default: these three). */
const SERVERS = (process.env.BENCH_SERVERS ? process.env.BENCH_SERVERS.split(",").map((s) => s.trim()) : ALL_SERVERS.slice(0, 3)).filter(
  (k): k is Kind => (ALL_SERVERS as string[]).includes(k),
);
/** BENCH_PROFILE_DIR=dir: a V8 CPU profile of each server over each measured phase (profiling adds CPU of its own). */
const PROFILE_DIR = process.env.BENCH_PROFILE_DIR ? path.resolve(process.env.BENCH_PROFILE_DIR) : undefined;
const WATCHDOG_MS = int("BENCH_TIMEOUT_MS", 6 * 60_000);

const LABEL: Record<Kind, string> = {
  samsyn: "Samsyn (SQLite WAL)",
  "samsyn-pg": "Samsyn (PostgreSQL)",
  "samsyn-2n": "Samsyn 2 nodes (PG+Redis)",
  hocuspocus: "Hocuspocus 3.4",
  ywebsocket: "y-websocket 2.1",
};

interface BenchClient {
  doc: Y.Doc;
  synced(): boolean;
  /** Times the client's socket went down (reconnects would distort latency). */
  drops: number;
  destroy(): void;
}

interface Target {
  kind: Kind;
  /** The (first) server process; `children` lists every node's. */
  child: ServerChild;
  children: ServerChild[];
  docName: string;
  probe?: ProbeResult;
  /** Samsyn clients strip peers' entries from the awareness they relay (see awarenessShimWebSocket). */
  shim?: boolean;
  /** Client `i` (0 is the typist); with several nodes, on node `nodeOf(i)`. */
  connect(i: number): BenchClient;
  nodeOf(i: number): number;
  /** What to drop after the run (a PostgreSQL database). */
  cleanUp?: () => Promise<void>;
}

interface ProbeResult {
  closed: boolean;
  code?: number;
  reason?: string;
}

/**
 * Two stock y-websocket clients join; one changes its presence (as an editor does
 * when a caret appears). The other relays that state back, as the stock provider
 * always does. Does the server close it?
 */
async function probeAwarenessEcho(url: string, docName: string, Polyfill: typeof globalThis.WebSocket): Promise<ProbeResult> {
  const result: ProbeResult = { closed: false };
  const clients = [0, 1].map(() => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill: Polyfill, disableBc: true });
    provider.on("connection-close", (e: { code?: number; reason?: string } | null) => {
      if (e && e.code !== 1000 && e.code !== 1005) Object.assign(result, { closed: true, code: e.code, reason: e.reason });
    });
    return { doc, provider };
  });
  try {
    await waitFor(() => clients.every((c) => c.provider.synced), "probe clients to sync", 15_000);
    await sleep(200);
    clients[0].provider.awareness.setLocalStateField("user", { name: "probe" });
    await waitFor(() => result.closed, "", 2_000).catch(() => undefined);
    return result;
  } finally {
    for (const c of clients) {
      c.provider.destroy();
      c.doc.destroy();
    }
  }
}

function yWebsocketClient(
  url: string,
  docName: string,
  /** The WebSocket class to use, given this client's Yjs client id. */
  polyfill: (ownId: () => number) => typeof globalThis.WebSocket,
): BenchClient {
  const doc = new Y.Doc();
  const WebSocketPolyfill = polyfill(() => doc.clientID);
  const provider = new WebsocketProvider(url, docName, doc, { WebSocketPolyfill, disableBc: true });
  const c: BenchClient = {
    doc,
    synced: () => provider.synced,
    drops: 0,
    destroy() {
      provider.destroy();
      doc.destroy();
    },
  };
  provider.on("status", ({ status }: { status: string }) => {
    if (status === "disconnected") c.drops++;
  });
  return c;
}

function hocuspocusClient(url: string, docName: string): BenchClient {
  const doc = new Y.Doc();
  const socket = new HocuspocusProviderWebsocket({ url, WebSocketPolyfill: WebSocket });
  const provider = new HocuspocusProvider({ websocketProvider: socket, name: docName, document: doc });
  provider.attach();
  const c: BenchClient = {
    doc,
    synced: () => provider.isSynced,
    drops: 0,
    destroy() {
      provider.destroy();
      socket.destroy();
      doc.destroy();
    },
  };
  provider.on("disconnect", () => c.drops++);
  return c;
}

async function setUp(kind: Kind): Promise<Target> {
  if (kind === "samsyn-pg" || kind === "samsyn-2n") return setUpPostgres(kind);
  const child = await startServer(kind);
  const ws = `ws://${HOST}:${child.port}`;
  const one = { child, children: [child], nodeOf: () => 0 };
  if (kind === "samsyn") return { kind, ...one, ...(await samsynClients(child)) };
  const docName = "plan:bench";
  if (kind === "hocuspocus") return { kind, ...one, docName, connect: () => hocuspocusClient(ws, docName) };
  return { kind, ...one, docName, connect: () => yWebsocketClient(ws, docName, () => WebSocket as unknown as typeof globalThis.WebSocket) };
}

/** Samsyn's clients: a member of Skaraborg signs in; every client uses that session, as tabs would. */
async function samsynClients(child: ServerChild, nodes: ServerChild[] = [child]) {
  const cookie = await login(child.base, "ledamot@samsyn.test");
  const plans = await getJson<{ docName: string; year: number }[]>(child.base, "/api/v1/councils/skaraborg/plans", cookie);
  if (!plans.length) throw new Error("the seeded Skaraborg council has no plan");
  const docName = plans[0].docName;
  const probe = await probeAwarenessEcho(`ws://${HOST}:${child.port}/yjs`, docName, cookieWebSocket(cookie, child.base));
  const shim = SHIM === "1" || (SHIM !== "0" && probe.closed);
  // Sessions are database rows: the cookie from node A signs in on node B too (one SESSION_SECRET).
  const polyfill = (node: ServerChild) =>
    shim ? (ownId: () => number) => awarenessShimWebSocket(cookie, node.base, ownId) : () => cookieWebSocket(cookie, node.base);
  const nodeOf = (i: number) => (i === 0 ? 0 : i % nodes.length);
  return {
    docName,
    probe,
    shim,
    nodeOf,
    connect: (i: number) => {
      const node = nodes[nodeOf(i)];
      return yWebsocketClient(`ws://${HOST}:${node.port}/yjs`, docName, polyfill(node));
    },
  };
}

/** Samsyn on a fresh PostgreSQL database: one node, or two sharing it and a Redis. */
async function setUpPostgres(kind: "samsyn-pg" | "samsyn-2n"): Promise<Target> {
  const redisUrl = testRedisUrl();
  if (!testDatabaseUrl() || (kind === "samsyn-2n" && !redisUrl)) throw new Error(`${kind} needs PostgreSQL and Redis: run \`bash scripts/engines.sh\` first`);
  const database = await createTestDatabase("samsyn_bench");
  const redisPrefix = `samsyn-bench:${database.name}:`;
  const node = (i: number) => ({
    options: { databaseUrl: database.url, seed: i === 0, ...(kind === "samsyn-2n" ? { redisUrl, redisPrefix, nodeId: `bench-${"ab"[i]}` } : {}) },
  });
  const children: ServerChild[] = [];
  try {
    children.push(await startServer("samsyn", node(0)));
    if (kind === "samsyn-2n") children.push(await startServer("samsyn", node(1)));
    const clients = await samsynClients(children[0], children);
    return {
      kind,
      child: children[0],
      children,
      ...clients,
      cleanUp: async () => {
        await Promise.all(children.map((c) => c.close().catch(() => undefined)));
        await database.drop();
      },
    };
  } catch (err) {
    await Promise.all(children.map((c) => c.close().catch(() => undefined)));
    await database.drop();
    throw err;
  }
}

interface RunResult {
  kind: Kind;
  /** With several nodes: p50/p99 of the observers on each node. */
  perNode: { p50: number; p99: number }[];
  round: number;
  p50: number;
  p99: number;
  max: number;
  /** Server CPU µs (user+system) per edit over the measured phase. */
  cpuPerEdit: number;
  /** Share of one core the server used during the measured phase. */
  serverCpuPct: number;
  /** Share of one core this (client) process used during the measured phase. */
  clientCpuPct: number;
  /** p99 event-loop delay of this (client) process during the measured phase, ms. */
  clientLoopP99: number;
  missing: number;
  drops: number;
  mismatches: number;
  connectMs: number;
}

const CHARS = "abcdefghijklmnopqrstuvwxyz";

async function runOne(t: Target, round: number): Promise<RunResult> {
  const textKey = `bench-round-${round}`;
  const t0 = performance.now();
  const clients = Array.from({ length: CLIENTS }, (_, i) => t.connect(i));
  try {
    await waitFor(() => clients.every((c) => c.synced()), `${CLIENTS} clients to sync with ${t.kind}`, 30_000);
    const connectMs = performance.now() - t0;
    await sleep(300); // let the burst of presence (awareness) messages on join settle

    const typer = clients[0];
    const observers = clients.slice(1);
    const total = WARMUP + EDITS;
    const sentAt = new Float64Array(total);
    const seenAt = observers.map(() => new Float64Array(total).fill(NaN));
    const seen = observers.map(() => 0);
    observers.forEach((o, k) => {
      const text = o.doc.getText(textKey);
      o.doc.on("update", () => {
        const now = performance.now();
        const len = Math.min(text.length, total);
        const at = seenAt[k];
        for (let i = seen[k]; i < len; i++) at[i] = now;
        if (len > seen[k]) seen[k] = len;
      });
    });
    const text = typer.doc.getText(textKey);
    const allSeen = (n: number) => seen.every((s) => s >= n);

    const type = async (from: number, to: number) => {
      const start = performance.now() + 5;
      for (let i = from; i < to; i++) {
        const wait = start + (i - from) * INTERVAL_MS - performance.now();
        if (wait > 0) await sleep(wait);
        sentAt[i] = performance.now();
        text.insert(i, CHARS[i % CHARS.length]);
      }
    };

    // Warm-up (not measured): JIT, socket buffers, the room's first writes.
    await type(0, WARMUP);
    await waitFor(() => allSeen(WARMUP), "warm-up edits to arrive", 15_000);

    const drops0 = clients.reduce((n, c) => n + c.drops, 0);
    const loop = monitorEventLoopDelay({ resolution: 5 });
    const usage = async () => (await Promise.all(t.children.map((c) => c.usage()))).map((u) => u.cpu);
    const server0 = await usage();
    const client0 = process.cpuUsage();
    const wall0 = performance.now();
    loop.enable();
    if (PROFILE_DIR) await t.child.request("profileStart");

    await type(WARMUP, total);
    let missing = 0;
    await waitFor(() => allSeen(total), "measured edits to arrive", 15_000).catch(() => {
      missing = seen.reduce((n, s) => n + (total - s), 0);
    });
    await sleep(DRAIN_MS);

    loop.disable();
    const server1 = await usage();
    if (PROFILE_DIR) {
      const file = path.join(PROFILE_DIR, `${t.kind}-round${round + 1}.cpuprofile`);
      console.log(`  CPU profile of the measured phase: ${await t.child.request<string>("profileStop", { file })}`);
    }
    const client1 = process.cpuUsage(client0);
    const wallUs = (performance.now() - wall0) * 1000;
    const drops = clients.reduce((n, c) => n + c.drops, 0) - drops0;

    const lat = new Float64Array(EDITS * observers.length);
    let n = 0;
    for (let k = 0; k < observers.length; k++) {
      for (let i = WARMUP; i < total; i++) {
        const v = seenAt[k][i] - sentAt[i];
        if (Number.isFinite(v)) lat[n++] = v;
      }
    }
    const sorted = lat.subarray(0, n).sort();
    if (DEBUG) debugWorst(t.kind, round, sentAt, seenAt);
    const expected = text.toString();
    const mismatches = observers.filter((o) => o.doc.getText(textKey).toString() !== expected).length;
    const serverUs = server0.reduce((n, u, i) => n + cpuMicros(u, server1[i]), 0);
    const perNode = t.children.map((_, node) => {
      const mine = observers.flatMap((_, k) => (t.nodeOf(k + 1) === node ? [k] : []));
      const l: number[] = [];
      for (const k of mine) for (let i = WARMUP; i < total; i++) if (Number.isFinite(seenAt[k][i] - sentAt[i])) l.push(seenAt[k][i] - sentAt[i]);
      const sortedNode = Float64Array.from(l).sort();
      return { p50: percentile(sortedNode, 50), p99: percentile(sortedNode, 99) };
    });
    return {
      kind: t.kind,
      perNode,
      round,
      p50: percentile(sorted, 50),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1] ?? NaN,
      cpuPerEdit: serverUs / EDITS,
      serverCpuPct: (100 * serverUs) / wallUs,
      clientCpuPct: (100 * (client1.user + client1.system)) / wallUs,
      clientLoopP99: loop.percentile(99) / 1e6,
      missing,
      drops,
      mismatches,
      connectMs,
    };
  } finally {
    for (const c of clients) c.destroy();
    await sleep(300); // let the server see the closes before the next run starts
  }
}

/** BENCH_DEBUG=1: the slowest edits, with the spread across observers (all slow = server or typist side). */
function debugWorst(kind: Kind, round: number, sentAt: Float64Array, seenAt: Float64Array[]) {
  const rows = [];
  for (let i = WARMUP; i < sentAt.length; i++) {
    const l = seenAt.map((a) => a[i] - sentAt[i]).sort((a, b) => a - b);
    rows.push({ i, min: l[0], med: l[l.length >> 1], max: l[l.length - 1], gapBefore: sentAt[i] - sentAt[i - 1] });
  }
  rows.sort((a, b) => b.max - a.max);
  console.log(
    `  [debug ${kind} r${round + 1}] worst edits: ` +
      rows
        .slice(0, 8)
        .map((r) => `#${r.i} min ${f1(r.min)} med ${f1(r.med)} max ${f1(r.max)} (gap ${f1(r.gapBefore)})`)
        .join("; "),
  );
}

const f1 = (x: number) => (Number.isFinite(x) ? x.toFixed(1) : "n/a");
const f2 = (x: number) => (Number.isFinite(x) ? x.toFixed(2) : "n/a");

async function main() {
  const began = performance.now();
  process.setMaxListeners(CLIENTS * 2 + 20); // y-websocket adds a process 'exit' listener per provider
  console.log(
    `Collaboration benchmark: ${CLIENTS} clients in one document (1 typist, ${CLIENTS - 1} observers), ` +
      `${EDITS} measured edits at ${RATE}/s after ${WARMUP} warm-up edits, ${ROUNDS} rounds × ${SERVERS.length} servers (interleaved).`,
  );
  console.log(`Node ${process.version}, ${(await import("node:os")).cpus().length} CPUs; every socket on ${HOST}.\n`);

  const kinds = SERVERS;
  const targets = new Map<Kind, Target>();
  const watchdog = setTimeout(() => {
    console.error(`\nbench:collab took longer than ${WATCHDOG_MS / 1000} s; giving up.`);
    for (const t of targets.values()) for (const c of t.children) c.proc.kill("SIGKILL");
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();

  if (PROFILE_DIR) fs.mkdirSync(PROFILE_DIR, { recursive: true });
  try {
    // One at a time: the PostgreSQL nodes migrate and seed on start, and the machine has few cores.
    const started: PromiseSettledResult<Target>[] = [];
    for (const k of kinds) started.push(...(await Promise.allSettled([setUp(k)])));
    for (const s of started) if (s.status === "fulfilled") targets.set(s.value.kind, s.value);
    const failed = started.find((s): s is PromiseRejectedResult => s.status === "rejected");
    if (failed) throw failed.reason;
    const samsyn = targets.get("samsyn");
    const stats0 = samsyn && (await samsyn.child.request<SamsynStats>("stats"));
    if (samsyn) {
      console.log(
        `Samsyn document ${samsyn.docName}, database ${String(samsyn.child.info.dbFile)} (journal_mode=${String(
          samsyn.child.info.journalMode,
        )})`,
      );
      if (samsyn.probe?.closed) {
        console.log(
          `!! BUG in server/collab: Samsyn closed a stock y-websocket client (code ${samsyn.probe.code} "${samsyn.probe.reason}") for relaying ` +
            `a peer's awareness state, which the stock provider always does; y-websocket 3 never reconnects after a 44xx close.`,
        );
      } else {
        console.log(`Awareness probe: Samsyn accepts a stock y-websocket client relaying a peer's presence (no close).`);
      }
      console.log(
        samsyn.shim
          ? `   Samsyn's bench clients therefore strip peers' entries from the awareness messages they send (same number of messages; ` +
              `emulates the server ignoring foreign entries). BENCH_AWARENESS_SHIM=0 runs the stock client and shows the failure.`
          : `   Samsyn's bench clients are the stock y-websocket provider, unmodified.`,
      );
    }
    console.log(`Started in ${((performance.now() - began) / 1000).toFixed(1)} s.\n`);

    const results: RunResult[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      const order = kinds.map((_, i) => kinds[(i + round) % kinds.length]);
      for (const kind of order) {
        const r = await runOne(targets.get(kind)!, round);
        results.push(r);
        console.log(
          `round ${round + 1} ${LABEL[kind].padEnd(20)} p50 ${f1(r.p50).padStart(6)} ms  p99 ${f1(r.p99).padStart(6)} ms  ` +
            `max ${f1(r.max).padStart(6)} ms  server CPU ${f1(r.cpuPerEdit).padStart(6)} µs/edit (${f1(r.serverCpuPct)}% of a core)  ` +
            `client CPU ${f1(r.clientCpuPct)}%  client loop p99 ${f1(r.clientLoopP99)} ms  connect ${f1(r.connectMs)} ms` +
            (r.perNode.length > 1 ? `  per node: ${r.perNode.map((n, i) => `${"AB"[i]} p50 ${f1(n.p50)} p99 ${f1(n.p99)}`).join(", ")}` : "") +
            (r.missing || r.drops || r.mismatches ? `  !! missing ${r.missing} drops ${r.drops} mismatches ${r.mismatches}` : ""),
        );
      }
    }

    const stats1 = samsyn && (await samsyn.child.request<SamsynStats>("stats"));
    const med = (kind: Kind, key: keyof RunResult) => median(results.filter((r) => r.kind === kind).map((r) => r[key] as number));
    const medNode = (kind: Kind, node: number, key: "p50" | "p99") => median(results.filter((r) => r.kind === kind).map((r) => r.perNode[node]?.[key] ?? NaN));
    const rows = kinds.map((k) => [
      LABEL[k],
      f1(med(k, "p50")),
      f1(med(k, "p99")),
      f1(med(k, "max")),
      f1(med(k, "cpuPerEdit")),
      f1(med(k, "serverCpuPct")),
    ]);
    for (const k of kinds) {
      const nodes = targets.get(k)!.children.length;
      for (let node = 0; node < nodes && nodes > 1; node++)
        rows.push([`  observers on node ${"AB"[node]}${node === 0 ? " (typist's)" : ""}`, f1(medNode(k, node, "p50")), f1(medNode(k, node, "p99")), "", "", ""]);
    }
    const ratio = (peer: Kind): string[] => {
      const r = (key: keyof RunResult) => f2(med("samsyn", key) / med(peer, key));
      return [`Samsyn / ${LABEL[peer]}`, `${r("p50")}×`, `${r("p99")}×`, `${r("max")}×`, `${r("cpuPerEdit")}×`, `${r("serverCpuPct")}×`];
    };
    console.log(
      `\nMedian across ${ROUNDS} rounds (latency = typist's local insert → observer's doc update; ${EDITS} edits × ${
        CLIENTS - 1
      } observers per round):\n`,
    );
    console.log(
      table(
        ["server", "p50 ms", "p99 ms", "max ms", "CPU µs/edit", "CPU % core"],
        [...rows, ...(kinds.includes("samsyn") ? kinds.filter((k) => k !== "samsyn").map(ratio) : [])],
      ),
    );
    if (samsyn?.shim)
      console.log(
        `\n(Samsyn clients: awareness shim stripped ${shimCounters.strippedEntries} relayed entries in ${shimCounters.messages} messages.)`,
      );
    const bad = results.filter((r) => r.missing || r.drops || r.mismatches);
    console.log(
      bad.length
        ? `\n!! ${bad.length} run(s) lost edits, dropped sockets or ended with a different text (see the per-round lines).`
        : `\nEvery observer saw every edit, no socket dropped, and every observer's text matched the typist's.`,
    );
    if (samsyn && stats0 && stats1) {
      const appended = stats1.collab.appended - stats0.collab.appended;
      const expected = ROUNDS * (WARMUP + EDITS);
      console.log(
        `Samsyn persistence: ${appended} updates appended to SQLite during the bench (expected ${expected}: one per edit); ` +
          `update log ids now reach ${stats1.maxUpdateId} (was ${stats0.maxUpdateId}); ${stats1.logRows} rows in yjs_updates after compaction ` +
          `(compactEvery 500); database + WAL ${(stats1.dbBytes / 1024).toFixed(0)} KiB; dropped writes ${
            stats1.collab.droppedWrites
          }, bad messages ${stats1.collab.badMessages}.`,
      );
      if (appended !== expected) console.log(`!! Samsyn appended ${appended} updates, expected ${expected}.`);
    }
    console.log(`\nTotal time ${((performance.now() - began) / 1000).toFixed(0)} s.`);
  } finally {
    await Promise.all([...targets.values()].map((t) => (t.cleanUp ? t.cleanUp() : t.child.close()).catch(() => undefined)));
  }
}

interface SamsynStats {
  collab: { appended: number; droppedWrites: number; badMessages: number; rooms: number };
  logRows: number;
  maxUpdateId: number;
  dbBytes: number;
}

main().then(
  () => process.exit(0),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
