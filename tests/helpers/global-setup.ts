// Runs once per `vitest run`: migrates and seeds one base SQLite file that every test server copies (fast, isolated).
// For PostgreSQL it only names the run: its template is made on first use (tests/helpers/pg.ts).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDb } from "../../db";
import { seedDemo } from "../../db/seed";
import { dropRunDatabases, runPrefix } from "./pg";

declare module "vitest" {
  export interface ProvidedContext {
    baseDbPath: string;
    /** Prefix of this run's PostgreSQL databases (template and per-test copies). */
    pgRunPrefix: string;
  }
}

export default async function setup(project: TestProject) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-base-"));
  const file = path.join(dir, "base.db");
  const db = openDb(`file:${file}`);
  await migrateToLatest(db);
  await seedDemo(db);
  // Fold the WAL into the main file so one file copy is the whole database.
  await db.destroy();
  const Sqlite = (await import("better-sqlite3")).default;
  const raw = new Sqlite(file);
  raw.pragma("wal_checkpoint(TRUNCATE)");
  raw.pragma("journal_mode = DELETE");
  raw.close();
  project.provide("baseDbPath", file);
  const pgPrefix = runPrefix(`${process.pid}_${Date.now().toString(36)}`);
  project.provide("pgRunPrefix", pgPrefix);
  return async () => {
    fs.rmSync(dir, { recursive: true, force: true });
    await dropRunDatabases(pgPrefix);
  };
}
