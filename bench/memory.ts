// Memory benchmark: does a Samsyn server give back the memory of documents it
// has unloaded?
//
//   npm run bench:memory        (or: node --expose-gc --import tsx bench/memory.ts)
//
// A Samsyn server runs in a child process (started with --expose-gc) over a fresh
// seeded SQLite file plus BENCH_DOCS (1,000) extra plans created with createPlan,
// each with the content of the Skaraborg demo plan, and `collab: { unloadAfterMs: 200 }`.
// All figures are the SERVER process's memoryUsage(). Steps:
//   1. cold baseline: full GCs, then heapUsed / RSS;
//   2. warm-up: 20 documents opened and closed (loads lazy code, JIT), wait for unload;
//      warm baseline after full GCs;
//   3. one y-websocket client per document, BENCH_BATCH (50) at a time, each batch
//      waiting for sync; all stay connected; peak = the maxima of a 50 ms sampler in
//      the server, plus a reading after full GCs with every document loaded;
//   4. every client destroyed; wait until collab.stats().rooms === 0; full GCs; measure.
//   Steps 3–4 run BENCH_CYCLES (2) times: growth from cycle to cycle would be a leak.
// Verdict: heapUsed after the last unload within 10% of the baseline.
import { performance } from "node:perf_hooks";
import { WebsocketProvider } from "y-websocket";
import * as Y from "yjs";
import { cookieWebSocket, HOST, login, mb, sleep, startServer, table, waitFor, type ServerChild } from "./lib";

const int = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : def;
};
const DOCS = int("BENCH_DOCS", 1000);
const BATCH = int("BENCH_BATCH", 50);
const CYCLES = int("BENCH_CYCLES", 2);
const WARM_DOCS = 20;
const UNLOAD_MS = 200;
const WATCHDOG_MS = int("BENCH_TIMEOUT_MS", 6 * 60_000);

type Mem = NodeJS.MemoryUsage;
interface CollabStats {
  collab: { rooms: number; roomsLoaded: number; roomsUnloaded: number; badMessages: number };
}

interface Client {
  provider: WebsocketProvider;
  doc: Y.Doc;
}

function connectAll(child: ServerChild, cookie: string, docNames: string[]): Client[] {
  const Polyfill = cookieWebSocket(cookie, child.base);
  return docNames.map((docName) => {
    const doc = new Y.Doc();
    const provider = new WebsocketProvider(`ws://${HOST}:${child.port}/yjs`, docName, doc, {
      WebSocketPolyfill: Polyfill,
      disableBc: true,
    });
    return { provider, doc };
  });
}

function destroyAll(clients: Client[]) {
  for (const c of clients) {
    c.provider.destroy();
    c.doc.destroy();
  }
  clients.length = 0;
}

async function waitForUnload(child: ServerChild, timeoutMs = 60_000): Promise<number> {
  const t0 = performance.now();
  for (;;) {
    const s = await child.request<CollabStats>("stats");
    if (s.collab.rooms === 0) return performance.now() - t0;
    if (performance.now() - t0 > timeoutMs) throw new Error(`${s.collab.rooms} rooms still loaded after ${timeoutMs} ms`);
    await sleep(50);
  }
}

async function main() {
  const began = performance.now();
  process.setMaxListeners(DOCS + 100); // y-websocket adds a process 'exit' listener per provider
  console.log(
    `Memory benchmark: ${DOCS} plan documents on one Samsyn server (child process), unloadAfterMs ${UNLOAD_MS}, clients in batches of ${BATCH}.`,
  );
  const child = await startServer("samsyn", {
    options: { plans: DOCS, collab: { unloadAfterMs: UNLOAD_MS }, samplePeakMs: 50 },
    exposeGc: true,
    startTimeoutMs: 300_000,
  });
  const watchdog = setTimeout(() => {
    console.error(`\nbench:memory took longer than ${WATCHDOG_MS / 1000} s; giving up.`);
    child.proc.kill("SIGKILL");
    process.exit(2);
  }, WATCHDOG_MS);
  watchdog.unref();
  const clients: Client[] = [];
  try {
    const docNames = child.info.docNames as string[];
    if (docNames.length !== DOCS) throw new Error(`the server created ${docNames.length} plans, expected ${DOCS}`);
    console.log(
      `Server ready in ${((performance.now() - began) / 1000).toFixed(1)} s (${DOCS} plans created with createPlan; database ${String(
        child.info.dbFile,
      )}).\n`,
    );
    const cookie = await login(child.base, "ledamot@samsyn.test");

    const cold = await child.request<Mem>("gc");

    // Warm-up: a few documents opened and unloaded, so lazily loaded code and JIT
    // output are part of the baseline rather than counted as retained documents.
    clients.push(...connectAll(child, cookie, docNames.slice(0, WARM_DOCS)));
    await waitFor(() => clients.every((c) => c.provider.synced), "warm-up clients to sync", 60_000, 10);
    destroyAll(clients);
    await waitForUnload(child);
    const warm = await child.request<Mem>("gc");

    const cycles: { connectMs: number; unloadMs: number; sampled: Mem; atPeak: Mem; atPeakGc: Mem; after: Mem }[] = [];
    for (let cycle = 1; cycle <= CYCLES; cycle++) {
      await child.request("resetPeak");
      const t0 = performance.now();
      for (let i = 0; i < DOCS; i += BATCH) {
        const batch = connectAll(child, cookie, docNames.slice(i, i + BATCH));
        clients.push(...batch);
        await waitFor(() => batch.every((c) => c.provider.synced), `batch ${i / BATCH + 1} to sync`, 60_000, 10);
      }
      const connectMs = performance.now() - t0;
      const loaded = await child.request<CollabStats>("stats");
      const atPeak = (await child.usage()).mem;
      const atPeakGc = await child.request<Mem>("gc");
      const sampled = await child.request<Mem>("peak");
      console.log(
        `cycle ${cycle}: ${clients.length} clients connected and synced in ${(connectMs / 1000).toFixed(1)} s; ${
          loaded.collab.rooms
        } rooms loaded in the server.`,
      );

      destroyAll(clients);
      const unloadMs = await waitForUnload(child);
      const after = await child.request<Mem>("gc");
      const st = await child.request<CollabStats>("stats");
      console.log(
        `cycle ${cycle}: all clients closed; every room unloaded ${(unloadMs / 1000).toFixed(1)} s later ` +
          `(rooms loaded ${st.collab.roomsLoaded}, unloaded ${st.collab.roomsUnloaded} so far, warm-up included).`,
      );
      cycles.push({ connectMs, unloadMs, sampled, atPeak, atPeakGc, after });
    }
    console.log("");
    const row = (label: string, m: Pick<Mem, "heapUsed" | "rss" | "external"> & Partial<Mem>) => [
      label,
      mb(m.heapUsed),
      m.heapTotal === undefined ? "" : mb(m.heapTotal),
      mb(m.external),
      mb(m.rss),
    ];
    console.log(
      table(
        ["server process (MiB)", "heapUsed", "heapTotal", "external", "RSS"],
        [
          row("cold baseline (after gc)", cold),
          row(`warm baseline (after gc, ${WARM_DOCS} docs opened+unloaded)`, warm),
          ...cycles.flatMap((c, i) => [
            row(`cycle ${i + 1}: peak (sampled every 50 ms)`, c.sampled),
            row(`cycle ${i + 1}: ${DOCS} docs loaded, before gc`, c.atPeak),
            row(`cycle ${i + 1}: ${DOCS} docs loaded, after gc`, c.atPeakGc),
            row(`cycle ${i + 1}: after unload (after gc)`, c.after),
          ]),
        ],
      ),
    );
    const pct = (a: number, b: number) => `${a >= b ? "+" : ""}${((100 * (a - b)) / b).toFixed(1)}%`;
    const { after } = cycles[cycles.length - 1];
    const perDoc = (cycles[0].atPeakGc.heapUsed - warm.heapUsed) / DOCS / 1024;
    console.log(`\nRetained heap per loaded document (with its one connection): ${perDoc.toFixed(0)} KiB.`);
    if (cycles.length > 1) {
      console.log(
        `heapUsed after unload, cycle by cycle: ${cycles
          .map((c) => mb(c.after.heapUsed))
          .join(" → ")} MiB (growth per cycle = a leak per load/unload).`,
      );
    }
    console.log(
      `heapUsed after the last unload vs cold baseline: ${pct(after.heapUsed, cold.heapUsed)}; vs warm baseline: ${pct(
        after.heapUsed,
        warm.heapUsed,
      )}.`,
    );
    console.log(
      `RSS after unload vs cold baseline: ${pct(after.rss, cold.rss)} (RSS rarely shrinks back: V8 and malloc keep freed pages).`,
    );
    const withinCold = Math.abs(after.heapUsed - cold.heapUsed) <= 0.1 * cold.heapUsed;
    const withinWarm = Math.abs(after.heapUsed - warm.heapUsed) <= 0.1 * warm.heapUsed;
    console.log(
      `\nheapUsed returned within 10% of baseline: ${withinCold ? "YES" : "NO"} (cold baseline), ${
        withinWarm ? "YES" : "NO"
      } (warm baseline).`,
    );
    console.log(`Total time ${((performance.now() - began) / 1000).toFixed(0)} s.`);
    if (!withinCold && !withinWarm) process.exitCode = 1;
  } finally {
    destroyAll(clients);
    await child.close();
  }
}

main().then(
  () => process.exit(process.exitCode ?? 0),
  (err) => {
    console.error(err instanceof Error ? err.stack : err);
    process.exit(1);
  },
);
