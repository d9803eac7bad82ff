// bench:append — the update store's append as typing paces it, with SQLite's own
// WAL checkpoints on the server's connection (default) and with them in a worker
// thread (db/wal-checkpointer.ts, docs/decisions/043). Each run: a fresh migrated,
// seeded database file, APPENDS appends of a 30-byte update to the seeded plan's
// document, PACE_MS apart, with some CPU work between them (as a fan-out would do)
// so SQLite's code and pages are not hot in the cache. Runs alternate the modes.
//
//   npm run bench:append          BENCH_ROUNDS=3 BENCH_APPENDS=1500 BENCH_PACE_MS=3
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { migrateToLatest, openDb, sqliteHandle } from "../db";
import { seedDemo } from "../db/seed";
import { startWalCheckpointer } from "../db/wal-checkpointer";
import { SqliteDocStore } from "../server/collab/sqlite-store";
import { setLogLevel } from "../server/log";
import { median, percentile, sleep, table } from "./lib";

const int = (name: string, def: number) => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? Math.floor(v) : def;
};
const ROUNDS = int("BENCH_ROUNDS", 3);
const APPENDS = int("BENCH_APPENDS", 1500);
const PACE_MS = int("BENCH_PACE_MS", 3);
setLogLevel("warn");

type Mode = "default" | "worker";
interface Run { p50: number; p99: number; max: number; over1ms: number }

async function runOnce(mode: Mode): Promise<Run> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-append-"));
  const db = openDb(`file:${path.join(dir, "samsyn.db")}`);
  try {
    await migrateToLatest(db);
    await seedDemo(db);
    const userId = (await db.selectFrom("users").select("id").executeTakeFirstOrThrow()).id;
    const doc = (await db.selectFrom("yjs_snapshots").select("doc_name").executeTakeFirstOrThrow()).doc_name;
    sqliteHandle(db)!.pragma("wal_checkpoint(TRUNCATE)"); // both modes start from an empty WAL
    const checkpointer = mode === "worker" ? startWalCheckpointer(db) : undefined;
    const store = new SqliteDocStore(db);
    const update = new Uint8Array(30).fill(7);
    const times: number[] = [];
    let sink = 0;
    for (let i = 0; i < APPENDS; i++) {
      await sleep(PACE_MS);
      for (let k = 0; k < 20_000; k++) sink += Math.sqrt(k);
      const t = process.hrtime.bigint();
      if (store.appendNow(doc, update, userId) === undefined) throw new Error("append declined");
      times.push(Number(process.hrtime.bigint() - t) / 1000);
    }
    if (sink < 0) console.log(sink);
    await checkpointer?.close();
    times.sort((a, b) => a - b);
    return { p50: percentile(times, 50), p99: percentile(times, 99), max: times.at(-1)!, over1ms: times.filter((t) => t > 1000).length };
  } finally {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const runs: Record<Mode, Run[]> = { default: [], worker: [] };
for (let r = 0; r < ROUNDS; r++) {
  const order: Mode[] = r % 2 ? ["worker", "default"] : ["default", "worker"];
  for (const mode of order) {
    const run = await runOnce(mode);
    runs[mode].push(run);
    console.log(`round ${r + 1} ${mode.padEnd(8)} p50 ${run.p50.toFixed(0)} µs  p99 ${run.p99.toFixed(0)} µs  max ${(run.max / 1000).toFixed(1)} ms  appends over 1 ms: ${run.over1ms}`);
  }
}
const row = (mode: Mode, label: string) => {
  const m = (f: (r: Run) => number) => median(runs[mode].map(f));
  return [label, m((r) => r.p50).toFixed(0), m((r) => r.p99).toFixed(0), (m((r) => r.max) / 1000).toFixed(1), m((r) => r.over1ms)];
};
console.log(`\nMedians across ${ROUNDS} rounds, ${APPENDS} appends ${PACE_MS} ms apart (load ${os.loadavg().map((l) => l.toFixed(1)).join(" ")}):\n`);
console.log(table(["checkpoints", "p50 µs", "p99 µs", "max ms", "appends > 1 ms"], [row("default", "on the connection (SQLite default)"), row("worker", "in a worker thread")]));
