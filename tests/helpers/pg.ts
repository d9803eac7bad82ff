// PostgreSQL for tests: the server that scripts/engines.sh started (CI and `npm test`
// export TEST_DATABASE_URL; by hand, `bash scripts/engines.sh` once is enough: its
// URLs are read from the file it writes). Each test makes its own database and drops it.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

/** The admin URL of the test PostgreSQL server, or undefined when none is running. */
export function testDatabaseUrl(): string | undefined {
  if (process.env.TEST_DATABASE_URL) return process.env.TEST_DATABASE_URL;
  const file = path.join(process.env.SAMSYN_ENGINES_DIR || "/tmp/samsyn-engines", "env");
  try {
    return /TEST_DATABASE_URL=(\S+)/.exec(fs.readFileSync(file, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/** Why PostgreSQL tests cannot run here (for a visible skip), or undefined when they can. */
export const noPostgresReason = testDatabaseUrl()
  ? undefined
  : "no PostgreSQL: set TEST_DATABASE_URL or run `bash scripts/engines.sh` (CI and `npm test` do)";

/** The same server's URL with another database name. */
export function withDatabase(url: string, name: string): string {
  const u = new URL(url);
  u.pathname = `/${name}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const url = testDatabaseUrl();
  if (!url) throw new Error(noPostgresReason);
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export interface TestDatabase {
  name: string;
  url: string;
  drop(): Promise<void>;
}

/**
 * Create a uniquely named database (from `template`, or empty) with the collation
 * Samsyn needs (C: byte order, like SQLite). drop() ends its connections first.
 */
export async function createTestDatabase(
  prefix = "samsyn_test",
  opts: { template?: string; collate?: string } = {},
): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString("hex")}`;
  const collate = pg.escapeLiteral(opts.collate ?? "C");
  await admin((c) =>
    c.query(
      opts.template
        ? `create database ${name} template ${pg.escapeIdentifier(opts.template)}`
        : `create database ${name} template template0 encoding 'UTF8' lc_collate ${collate} lc_ctype 'C.UTF-8'`,
    ),
  );
  return {
    name,
    url: withDatabase(testDatabaseUrl()!, name),
    drop: () => dropDatabase(name),
  };
}

export async function dropDatabase(name: string): Promise<void> {
  await admin((c) => c.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`));
}
