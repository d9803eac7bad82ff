// PostgreSQL for tests: the server that scripts/engines.sh started (CI and `npm test`
// export TEST_DATABASE_URL; by hand, `bash scripts/engines.sh` once is enough: its
// URLs are read from the file it writes). Each test makes its own database and drops it.
import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";
import pg from "pg";

/** A URL from the environment, else from the file scripts/engines.sh writes. */
function engineUrl(variable: "TEST_DATABASE_URL" | "TEST_REDIS_URL"): string | undefined {
  if (process.env[variable]) return process.env[variable];
  const file = path.join(process.env.SAMSYN_ENGINES_DIR || "/tmp/samsyn-engines", "env");
  try {
    return new RegExp(`${variable}=(\\S+)`).exec(fs.readFileSync(file, "utf8"))?.[1];
  } catch {
    return undefined;
  }
}

/** The admin URL of the test PostgreSQL server, or undefined when none is running. */
export function testDatabaseUrl(): string | undefined {
  return engineUrl("TEST_DATABASE_URL");
}

/** The test Redis server's URL, or undefined when none is running. */
export function testRedisUrl(): string | undefined {
  return engineUrl("TEST_REDIS_URL");
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

// ---- A migrated, seeded template per vitest run, made on first use.
//
// The global setup (tests/helpers/global-setup.ts) gives each run a prefix; the first
// test that asks for a PostgreSQL server creates `<prefix>_tpl` (migrate + demo
// seed, ≈3 s) under an advisory lock, so parallel forks make it once; every test
// server then gets `CREATE DATABASE … TEMPLATE <prefix>_tpl` (a file copy, tens of
// ms). Runs that never ask pay nothing. The global teardown drops them all.

/** Template and per-test databases of one vitest run share this prefix. */
export function runPrefix(id: string): string {
  return `samsyn_run_${id}`;
}

const TEMPLATE_LOCK = 7_301_014; // any constant: serialises template creation across forks

let templateReady: Promise<string> | undefined;

/** The name of this run's seeded template database, creating it once. */
export function seededTemplate(prefix: string, seed: (url: string) => Promise<void>): Promise<string> {
  return (templateReady ??= (async () => {
    const name = `${prefix}_tpl`;
    const url = testDatabaseUrl();
    if (!url) throw new Error(noPostgresReason);
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      await client.query("select pg_advisory_lock($1)", [TEMPLATE_LOCK]);
      const exists = await client.query("select 1 from pg_database where datname = $1", [name]);
      if (exists.rowCount === 0) {
        const building = `${name}_building`;
        await client.query(`drop database if exists ${building} with (force)`);
        await client.query(`create database ${building} template template0 encoding 'UTF8' lc_collate 'C' lc_ctype 'C.UTF-8'`);
        await seed(withDatabase(url, building));
        // Renamed only when complete: a fork never clones a half-seeded template.
        await client.query(`alter database ${building} rename to ${name}`);
      }
      return name;
    } finally {
      await client.query("select pg_advisory_unlock($1)", [TEMPLATE_LOCK]).catch(() => undefined);
      await client.end();
    }
  })());
}

/** Drop every database of a run (teardown). */
export async function dropRunDatabases(prefix: string): Promise<void> {
  if (!testDatabaseUrl()) return;
  try {
    await admin(async (c) => {
      const pattern = `${prefix.replace(/_/g, "\\_")}\\_%`;
      const { rows } = await c.query<{ datname: string }>("select datname from pg_database where datname like $1", [pattern]);
      for (const r of rows) await c.query(`drop database if exists ${pg.escapeIdentifier(r.datname)} with (force)`);
    });
  } catch (err) {
    // No server to clean (engines stopped, or never started for a SQLite-only run): nothing was made there.
    if ((err as NodeJS.ErrnoException).code === "ECONNREFUSED") return;
    throw err;
  }
}
