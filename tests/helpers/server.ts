// A real Samsyn server on an ephemeral port, over a fresh copy of the seeded
// base database. One per test file (or per test that needs a clean slate).
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { inject } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { createTestDatabase, seededTemplate, testRedisUrl } from "./pg";
import type { Config } from "../../server/config";
import { createServer, type SamsynServer, type ServerOptions } from "../../server/index";
import { setLogLevel } from "../../server/log";

export const DEMO_PASSWORD = "samsyn-demo";

export interface TestServer {
  url: string;
  port: number;
  db: Db;
  server: SamsynServer;
  /**
   * The SQLite file. On PostgreSQL no such file exists, but its folder is still the
   * server's data folder (outbox, session secret), which tests find through it.
   */
  dbFile: string;
  close(): Promise<void>;
}

/**
 * Which engine test servers use: SQLite unless SAMSYN_TEST_DATABASE=postgres (then
 * each server gets its own copy of a seeded PostgreSQL template, tests/helpers/pg.ts).
 */
export type TestDatabaseKind = "sqlite" | "postgres";
const defaultDatabase = (): TestDatabaseKind => (process.env.SAMSYN_TEST_DATABASE === "postgres" ? "postgres" : "sqlite");

/** A fresh copy of the seeded demo database: a SQLite file, or a PostgreSQL database from the run's template. */
async function freshDatabase(kind: TestDatabaseKind, dir: string): Promise<{ url: string; dbFile: string; drop(): Promise<void> }> {
  if (kind === "postgres") {
    const prefix = inject("pgRunPrefix");
    const template = await seededTemplate(prefix, async (url) => {
      const { seedDemo } = await import("../../db/seed");
      const db = openDb(url);
      try {
        await migrateToLatest(db);
        await seedDemo(db);
      } finally {
        await db.destroy();
      }
    });
    const t = await createTestDatabase(prefix, { template });
    return { url: t.url, dbFile: path.join(dir, "samsyn.db"), drop: t.drop };
  }
  const dbFile = path.join(dir, "samsyn.db");
  fs.copyFileSync(inject("baseDbPath"), dbFile);
  return { url: `file:${dbFile}`, dbFile, drop: async () => {} };
}

let buildPromise: Promise<ServerBuild> | undefined;
const loadBuild = () => {
  const file = path.resolve("build/server/index.js");
  if (!fs.existsSync(file)) throw new Error("No Remix build: run `npm run build` first (`npm test` does it for you).");
  return (buildPromise ??= import(pathToFileURL(file).href) as Promise<ServerBuild>);
};

export async function startTestServer(
  overrides: Partial<Config> = {},
  options: Pick<ServerOptions, "collab" | "health"> & { database?: TestDatabaseKind } = {},
): Promise<TestServer> {
  setLogLevel("silent");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-test-"));
  const { database = defaultDatabase(), ...serverOptions } = options;
  const fresh = await freshDatabase(database, dir);
  const node = await startNode(fresh.url, fresh.dbFile, dir, overrides, serverOptions);
  return {
    ...node,
    async close() {
      await node.close();
      await fresh.drop();
    },
  };
}

/** One server over an existing database; closing it leaves the database alone and removes `dir`. */
async function startNode(
  databaseUrl: string,
  dbFile: string,
  dir: string,
  overrides: Partial<Config>,
  serverOptions: Pick<ServerOptions, "collab" | "health">,
): Promise<TestServer> {
  const db = openDb(databaseUrl);
  const config: Config = {
    mode: "production",
    host: "127.0.0.1",
    port: 0,
    dataDir: dir,
    databaseUrl,
    sessionSecret: "test-secret-test-secret-test-secret-0123456789",
    seedDemo: false,
    publicUrl: null,
    trustProxy: false,
    secureCookies: false,
    logLevel: "silent",
    mail: { smtpUrl: null, from: "Samsyn <noreply@samsyn.test>", outboxDir: path.join(dir, "outbox") },
    digestHour: 7,
    jobsIntervalMs: 0,
    ...overrides,
  };
  const server = createServer({ config, db, build: await loadBuild(), ...serverOptions });
  const port = await server.listen(0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    db,
    server,
    dbFile,
    async close() {
      await server.close();
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

export interface TestCluster {
  /** The nodes, each its own server, database pool and Redis connections, on its own port. */
  nodes: TestServer[];
  /** The shared PostgreSQL database. */
  databaseUrl: string;
  /** The Redis prefix this cluster's nodes share (unique per cluster: runs share one Redis). */
  redisPrefix: string;
  /** Start one more node on the cluster's database and Redis (a node joining, or one restarting under its NODE_ID). */
  addNode(nodeId: string, overrides?: Partial<Config>): Promise<TestServer>;
  close(): Promise<void>;
}

/**
 * Several nodes of one installation in this process: one fresh PostgreSQL database
 * (a copy of the seeded template) and one Redis (TEST_REDIS_URL, under a prefix of
 * the cluster's own), as several processes behind a load balancer would share them.
 * Each node has its own data folder and `nodeId` ("node-a", "node-b", …).
 */
export async function startTestCluster(
  count = 2,
  overrides: Partial<Config> = {},
  options: Pick<ServerOptions, "collab" | "health"> = {},
): Promise<TestCluster> {
  setLogLevel("silent");
  const redisUrl = testRedisUrl();
  if (!redisUrl) throw new Error("No Redis for a cluster: run `bash scripts/engines.sh` (npm test does it for you).");
  const first = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-cluster-"));
  const fresh = await freshDatabase("postgres", first);
  const redisPrefix = `samsyn-test:${randomBytes(6).toString("hex")}:`;
  const nodes: TestServer[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const dir = i === 0 ? first : fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-cluster-"));
      const nodeId = `node-${String.fromCharCode(97 + i)}`;
      nodes.push(await startNode(fresh.url, path.join(dir, "samsyn.db"), dir, { redisUrl, redisPrefix, nodeId, ...overrides }, options));
    }
  } catch (err) {
    await Promise.allSettled(nodes.map((n) => n.close()));
    await fresh.drop();
    throw err;
  }
  return {
    nodes,
    databaseUrl: fresh.url,
    redisPrefix,
    async addNode(nodeId, more = {}) {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-cluster-"));
      const node = await startNode(fresh.url, path.join(dir, "samsyn.db"), dir, { redisUrl, redisPrefix, nodeId, ...overrides, ...more }, options);
      nodes.push(node);
      return node;
    },
    async close() {
      await Promise.allSettled(nodes.map((n) => n.close()));
      await fresh.drop();
    },
  };
}
