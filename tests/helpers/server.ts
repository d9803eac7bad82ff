// A real Samsyn server on an ephemeral port, over a fresh copy of the seeded
// base database. One per test file (or per test that needs a clean slate).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { inject } from "vitest";
import { openDb, type Db } from "../../db";
import type { Config } from "../../server/config";
import { createServer, type SamsynServer, type ServerOptions } from "../../server/index";
import { setLogLevel } from "../../server/log";

export const DEMO_PASSWORD = "samsyn-demo";

export interface TestServer {
  url: string;
  port: number;
  db: Db;
  server: SamsynServer;
  dbFile: string;
  close(): Promise<void>;
}

let buildPromise: Promise<ServerBuild> | undefined;
const loadBuild = () => {
  const file = path.resolve("build/server/index.js");
  if (!fs.existsSync(file)) throw new Error("No Remix build: run `npm run build` first (`npm test` does it for you).");
  return (buildPromise ??= import(pathToFileURL(file).href) as Promise<ServerBuild>);
};

export async function startTestServer(
  overrides: Partial<Config> = {},
  options: Pick<ServerOptions, "collab"> = {},
): Promise<TestServer> {
  setLogLevel("silent");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-test-"));
  const dbFile = path.join(dir, "samsyn.db");
  fs.copyFileSync(inject("baseDbPath"), dbFile);
  const db = openDb(`file:${dbFile}`);
  const config: Config = {
    mode: "production",
    host: "127.0.0.1",
    port: 0,
    dataDir: dir,
    databaseUrl: `file:${dbFile}`,
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
  const server = createServer({ config, db, build: await loadBuild(), ...options });
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
