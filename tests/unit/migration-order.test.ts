// Migration numbers are handed out to work done in parallel, so one can land after a
// higher-numbered one has already run (0020_attachments after 0021_agenda_templates):
// the database migrates instead of refusing to start (db/index.ts migrateToLatest).
import SqliteDatabase from "better-sqlite3";
import { Kysely, Migrator, SqliteDialect } from "kysely";
import { describe, expect, it } from "vitest";
import { migrateToLatest, migrationsFor } from "../../db";

describe("migrations that land out of order", () => {
  it("a database that ran 0021 before 0020 existed gets 0020 next", async () => {
    const db = new Kysely<any>({ dialect: new SqliteDialect({ database: new SqliteDatabase(":memory:") }) });
    try {
      const without = Object.fromEntries(Object.entries(migrationsFor("sqlite")).filter(([name]) => name !== "0020_attachments"));
      const first = await new Migrator({ db, provider: { getMigrations: async () => without } }).migrateToLatest();
      expect(first.error).toBeUndefined();
      expect(first.results?.map((r) => r.migrationName)).toContain("0021_agenda_templates");
      await migrateToLatest(db);
      const ran = await db.selectFrom("kysely_migration").select("name").execute();
      expect(ran.map((r) => r.name)).toContain("0020_attachments");
      expect(await db.selectFrom("attachments").selectAll().execute()).toEqual([]);
    } finally {
      await db.destroy();
    }
  });
});
