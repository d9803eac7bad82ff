// Runs once per `vitest run`: migrates and seeds one base SQLite file that every test server copies (fast, isolated).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { migrateToLatest, openDb } from "../../db";
import { seedDemo } from "../../db/seed";

declare module "vitest" {
  export interface ProvidedContext {
    baseDbPath: string;
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
  return () => fs.rmSync(dir, { recursive: true, force: true });
}
