// Child process: a real Samsyn server (createServer from server/index.ts, the
// Remix build, the Yjs endpoint at /yjs/<docName>) over a fresh, migrated and
// seeded SQLite file in WAL mode in a temporary directory, on 127.0.0.1 and an
// ephemeral port. Every accepted Yjs update is appended to that file before it is
// fanned out (server/collab/room.ts).
//
// BENCH_OPTS (JSON): { collab?: {unloadAfterMs, compactEvery, projectionDelayMs},
//   plans?: number  — extra plans to create with createPlan (memory bench),
//   samplePeakMs?: number — sample memoryUsage() this often and keep the maxima,
//   build?: string — the Remix build folder, relative to the project (default "build"),
//   databaseUrl?: string — a PostgreSQL database instead of the SQLite file (bench:collab's
//     PostgreSQL and two-node modes); it is migrated, and seeded unless `seed: false`
//     (the second node of two shares the first one's database),
//   redisUrl?, redisPrefix?, nodeId? — several nodes: Redis fan-out under a prefix }
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { sql } from "kysely";
import { migrateToLatest, openDb } from "../../db";
import { seedDemo } from "../../db/seed";
import { resolvePlan, skaraborgPlan } from "../../db/seed-plans";
import { nullSink } from "../../server/domain/events";
import { createPlan, planDocName } from "../../server/domain/plans";
import { createServer, type ServerOptions } from "../../server/index";
import { setLogLevel } from "../../server/log";
import { benchConfig, benchOptions, HOST, loadBuild, ROOT, serveIpc, sleep } from "../lib";

const opts = benchOptions<{
  collab: ServerOptions["collab"];
  plans: number;
  samplePeakMs: number;
  build: string;
  databaseUrl: string;
  seed: boolean;
  redisUrl: string;
  redisPrefix: string;
  nodeId: string;
}>();
setLogLevel("warn");


const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-bench-"));
const dbFile = path.join(dir, "samsyn.db");
const databaseUrl = opts.databaseUrl ?? `file:${dbFile}`;
const db = openDb(databaseUrl);
await migrateToLatest(db);
if (opts.seed !== false) await seedDemo(db);

// Extra plans (memory bench): realistic content (the Skaraborg demo plan), one per
// year, in the Skaraborg council, created exactly as the app creates plans.
const created: string[] = [];
if (opts.plans) {
  const council = await db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
  const users = await db.selectFrom("users").select(["id", "email"]).execute();
  const byEmail = new Map(users.flatMap((u) => (u.email ? [[u.email, u.id] as const] : [])));
  for (let i = 0; i < opts.plans; i++) {
    const year = 3000 + i;
    const plan = await createPlan(
      { db, events: nullSink },
      { councilId: council.id, year, title: `Benchmark ${year}`, actorId: null, areas: resolvePlan(skaraborgPlan(), year, byEmail) },
    );
    created.push(planDocName(plan.id));
  }
}

const config = {
  ...benchConfig(dir, dbFile),
  databaseUrl,
  ...(opts.redisUrl ? { redisUrl: opts.redisUrl, redisPrefix: opts.redisPrefix, nodeId: opts.nodeId } : {}),
};
const server = createServer({ config, db, build: await loadBuild(opts.build), collab: opts.collab });
const port = await server.listen(0, HOST);

const peak = { rss: 0, heapUsed: 0, external: 0 };
const resetPeak = () => {
  const m = process.memoryUsage();
  peak.rss = m.rss;
  peak.heapUsed = m.heapUsed;
  peak.external = m.external;
};
if (opts.samplePeakMs) {
  resetPeak();
  setInterval(() => {
    const m = process.memoryUsage();
    peak.rss = Math.max(peak.rss, m.rss);
    peak.heapUsed = Math.max(peak.heapUsed, m.heapUsed);
    peak.external = Math.max(peak.external, m.external);
  }, opts.samplePeakMs).unref();
}

const journal = opts.databaseUrl ? { rows: [{ journal_mode: "postgresql" }] } : await sql<{ journal_mode: string }>`pragma journal_mode`.execute(db);

serveIpc(
  port,
  { dbFile, journalMode: journal.rows[0]?.journal_mode, docNames: created },
  {
    stats: async () => {
      const log = await db
        .selectFrom("yjs_updates")
        .select((eb) => [eb.fn.countAll<number>().as("rows"), eb.fn.max<number | null>("id").as("maxId")])
        .executeTakeFirstOrThrow();
      const snaps = await db
        .selectFrom("yjs_snapshots")
        .select((eb) => eb.fn.max<number | null>("last_update_id").as("maxUpto"))
        .executeTakeFirstOrThrow();
      return {
        collab: server.collab.stats(),
        logRows: Number(log.rows),
        maxUpdateId: Math.max(Number(log.maxId ?? 0), Number(snaps.maxUpto ?? 0)),
        dbBytes: opts.databaseUrl ? 0 : fs.statSync(dbFile).size + (fs.existsSync(dbFile + "-wal") ? fs.statSync(dbFile + "-wal").size : 0),
      };
    },
    peak: () => ({ ...peak }),
    resetPeak: () => {
      resetPeak();
      return { ...peak };
    },
  },
  async () => {
    await server.close();
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  },
);
