// Entry point: `npm start` (built app) and `npm run dev` (Vite middleware, HMR).
import path from "node:path";
import { pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { migrateToLatest, openDb, redactDatabaseUrl } from "../db";
import { DEMO_LOGINS, DEMO_PASSWORD, seedDemoOnce } from "../db/seed";
import { loadConfig } from "./config";
import { createServer } from "./index";
import { log, setLogLevel } from "./log";

const dev = process.argv.includes("--dev");
if (dev) process.env.NODE_ENV ??= "development";

async function main() {
  const config = loadConfig(process.env);
  setLogLevel(config.logLevel);
  const db = openDb(config.databaseUrl);
  // Several nodes may start at once: kysely's Migrator holds a PostgreSQL advisory
  // lock while it migrates, and the seed takes one of its own (docs/decisions/037).
  await migrateToLatest(db);
  if (config.seedDemo && (await seedDemoOnce(db))) {
    log.info("seeded the demo installation");
    console.log(
      `\nDemo logins (password "${DEMO_PASSWORD}"):\n` + DEMO_LOGINS.map((l) => `  ${l.email.padEnd(32)} ${l.what}`).join("\n") + "\n",
    );
  }

  let build: ServerBuild | (() => Promise<ServerBuild>);
  let devMiddleware;
  if (dev) {
    const vite = await import("vite");
    const viteServer = await vite.createServer({ server: { middlewareMode: true }, appType: "custom" });
    build = () => viteServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>;
    devMiddleware = viteServer.middlewares;
  } else {
    build = (await import(pathToFileURL(path.resolve("build/server/index.js")).href)) as ServerBuild;
  }

  const server = createServer({ config, db, build, devMiddleware });
  const port = await server.listen();
  log.info("Samsyn is listening", { url: `http://localhost:${port}`, database: redactDatabaseUrl(config.databaseUrl) });

  let stopping = false;
  const shutdown = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info("shutting down", { signal });
    try {
      await server.close();
      await db.destroy();
    } finally {
      process.exit(0);
    }
  };
  process.on("SIGINT", () => void shutdown("SIGINT"));
  process.on("SIGTERM", () => void shutdown("SIGTERM"));
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
