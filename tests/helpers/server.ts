// A real Samsyn server on an ephemeral port, over a fresh copy of the seeded
// base database. One per test file (or per test that needs a clean slate).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { inject } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { createTestDatabase, seededTemplate } from "./pg";
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
  options: Pick<ServerOptions, "collab"> & { database?: TestDatabaseKind } = {},
): Promise<TestServer> {
  setLogLevel("silent");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-test-"));
  const { database = defaultDatabase(), ...serverOptions } = options;
  const fresh = await freshDatabase(database, dir);
  const dbFile = fresh.dbFile;
  const db = openDb(fresh.url);
  const config: Config = {
    mode: "production",
    host: "127.0.0.1",
    port: 0,
    dataDir: dir,
    databaseUrl: fresh.url,
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
      await fresh.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
