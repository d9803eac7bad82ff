import fs from "node:fs";
import path from "node:path";
import SqliteDatabase from "better-sqlite3";
import {
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteDialect,
  sql,
  type Migration,
  type MigrationProvider,
  type SqliteDatabase as KyselySqlite,
} from "kysely";
import pg from "pg";
import type { Database } from "./schema";
import { dialectOf, type Dialect } from "./migrations/dialect";
import * as pgBaseline from "./migrations-pg/0016_pg_baseline";
import * as m0001 from "./migrations/0001_init";
import * as m0002 from "./migrations/0002_plans";
import * as m0003 from "./migrations/0003_meetings";
import * as m0004 from "./migrations/0004_polls";
import * as m0005 from "./migrations/0005_agenda";
import * as m0006 from "./migrations/0006_minutes";
import * as m0007 from "./migrations/0007_followups";
import * as m0008 from "./migrations/0008_revisions";
import * as m0009 from "./migrations/0009_followup_index";
import * as m0010 from "./migrations/0010_council_life";
import * as m0011 from "./migrations/0011_statements";
import * as m0012 from "./migrations/0012_working_groups";
import * as m0013 from "./migrations/0013_report_seq";
import * as m0014 from "./migrations/0014_unread_index";
import * as m0015 from "./migrations/0015_doc_names";
import * as m0016 from "./migrations/0016_meeting_time_optional";
import * as m0017 from "./migrations/0017_doc_seq";
import * as m0018 from "./migrations/0018_node_guards";
import * as m0019 from "./migrations/0019_mail_leases";
import * as m0020 from "./migrations/0020_attachments";
import * as m0021 from "./migrations/0021_agenda_templates";
import * as m0022 from "./migrations/0022_attendance_detail";
import * as m0023 from "./migrations/0023_meeting_series";
import * as m0024 from "./migrations/0024_doc_seq_partial";
import * as m0025 from "./migrations/0025_api_tokens";
import * as m0026 from "./migrations/0026_oidc_identities";
import * as m0027 from "./migrations/0027_account_tokens";
import * as m0028 from "./migrations/0028_invitation_name";
import * as m0029 from "./migrations/0029_search";
import * as m0030 from "./migrations/0030_year_events";
import * as m0031 from "./migrations/0031_calendar_year";
import * as m0032 from "./migrations/0032_indicators";

export type Db = Kysely<Database>;
export type { Dialect };
export { dialectOf };

/** The better-sqlite3 handle behind each Db that openDb made (see sqliteHandle). */
const handles = new WeakMap<Db, SqliteDatabase.Database>();

/**
 * The raw better-sqlite3 connection behind `db`, for hot paths that keep a statement
 * prepared once (server/collab/sqlite-store.ts). It is the same connection kysely uses, so
 * a caller must not write while `inTransaction` is true: the write would land inside
 * someone else's open transaction. Undefined for a Db that openDb did not make.
 */
export function sqliteHandle(db: Db): SqliteDatabase.Database | undefined {
  return handles.get(db);
}

/**
 * Run `fn` in a transaction: a new one, or the caller's when `db` already is one,
 * so a domain step can be composed into a larger all-or-nothing operation
 * (kysely has no nested transactions).
 */
export function inTransaction<T>(db: Db, fn: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? fn(db) : db.transaction().execute(fn);
}

/**
 * The SQLite migrations 0001–0016, frozen: a SQLite database runs these. Static
 * lists: a bundled server has no folder to scan. Names sort in order.
 */
const sqliteMigrations: Record<string, Migration> = {
  "0001_init": m0001,
  "0002_plans": m0002,
  "0003_meetings": m0003,
  "0004_polls": m0004,
  "0005_agenda": m0005,
  "0006_minutes": m0006,
  "0007_followups": m0007,
  "0008_revisions": m0008,
  "0009_followup_index": m0009,
  "0010_council_life": m0010,
  "0011_statements": m0011,
  "0012_working_groups": m0012,
  "0013_report_seq": m0013,
  "0014_unread_index": m0014,
  "0015_doc_names": m0015,
  "0016_meeting_time_optional": m0016,
};

/** PostgreSQL starts from one baseline with the schema of 0001–0016 (db/migrations-pg/). */
const postgresMigrations: Record<string, Migration> = {
  "0016_pg_baseline": pgBaseline,
};

/**
 * Migrations from 0017 on serve both engines: kysely's schema builder plus the
 * helpers in db/migrations/dialect.ts for what differs (triggers, blobs, identity).
 * Add new ones here, never to one engine's list (docs/decisions/034).
 */
const sharedMigrations: Record<string, Migration> = {
  "0017_doc_seq": m0017,
  "0018_node_guards": m0018,
  "0019_mail_leases": m0019,
  "0020_attachments": m0020,
  "0021_agenda_templates": m0021,
  "0022_attendance_detail": m0022,
  // Numbers are handed to work in parallel: one may land before a lower one (decision 039).
  "0023_meeting_series": m0023,
  "0024_doc_seq_partial": m0024,
  "0025_api_tokens": m0025,
  "0026_oidc_identities": m0026,
  "0027_account_tokens": m0027,
  "0028_invitation_name": m0028,
  "0029_search": m0029,
  "0030_year_events": m0030,
  "0031_calendar_year": m0031,
  "0032_indicators": m0032,
};

/** The migrations for `dialect`, in name order. */
export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return { ...(dialect === "postgres" ? postgresMigrations : sqliteMigrations), ...sharedMigrations };
}

class StaticMigrationProvider implements MigrationProvider {
  constructor(private readonly dialect: Dialect) {}
  async getMigrations() {
    return migrationsFor(this.dialect);
  }
}

/** Which engine a DATABASE_URL names: `postgres://`/`postgresql://`, or a SQLite file. */
export function dialectOfUrl(url: string): Dialect {
  return /^postgres(ql)?:\/\//.test(url) ? "postgres" : "sqlite";
}

/** Resolve a SQLite DATABASE_URL (`file:…`, a path, or `:memory:`) to a file path. */
export function sqlitePathFromUrl(url: string): string {
  if (dialectOfUrl(url) === "postgres") throw new Error("DATABASE_URL: a PostgreSQL URL is not a SQLite file");
  if (url === ":memory:") return url;
  const p = url.startsWith("file:") ? url.slice("file:".length) : url;
  if (!p) throw new Error("DATABASE_URL: empty file path");
  return path.resolve(p);
}

/** A DATABASE_URL with its password hidden, for logs. */
export function redactDatabaseUrl(url: string): string {
  return url.replace(/^(postgres(?:ql)?:\/\/[^:/@]*:)[^@]*@/, "$1***@");
}

/**
 * PostgreSQL type parsers for this pool only (pg's global registry stays untouched):
 * int8 (bigint identities, count(*), sum()) and numeric (avg()) come back as numbers,
 * as they do from SQLite; the domain code does arithmetic on them. An int8 beyond
 * 2^53 would lose digits: refused loudly rather than rounded.
 */
const pgTypes = {
  getTypeParser(oid: number, format?: "text" | "binary") {
    if (oid === pg.types.builtins.INT8) {
      return (v: string) => {
        const n = Number(v);
        if (!Number.isSafeInteger(n)) throw new Error(`int8 ${v} does not fit a JavaScript number`);
        return n;
      };
    }
    if (oid === pg.types.builtins.NUMERIC) return (v: string) => Number(v);
    return pg.types.getTypeParser(oid, format);
  },
} as pg.CustomTypesConfig;

/** Open PostgreSQL through a pool. The pool connects lazily: a bad URL fails at the first query. */
function openPostgres(url: string): Db {
  const pool = new pg.Pool({ connectionString: url, types: pgTypes, max: 10 });
  // An idle connection that the server closes (restart, failover, a dropped test
  // database) is an 'error' event on the pool; without a listener it would end the
  // process. The pool discards that connection and the next query opens a new one.
  pool.on("error", () => {});
  return new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
}

/**
 * Open the database a DATABASE_URL names: PostgreSQL for `postgres://…`, else a
 * SQLite file (the default; its path and pragmas below are unchanged).
 */
export function openDb(url: string): Db {
  if (dialectOfUrl(url) === "postgres") return openPostgres(url);
  const file = sqlitePathFromUrl(url);
  if (file !== ":memory:") fs.mkdirSync(path.dirname(file), { recursive: true });
  const sqlite = new SqliteDatabase(file);
  sqlite.pragma("journal_mode = WAL");
  sqlite.pragma("foreign_keys = ON");
  // WAL + NORMAL is durable across process crashes (kill -9); only an OS crash
  // can lose the last transactions. See docs/decisions/002-data.md.
  sqlite.pragma("synchronous = NORMAL");
  sqlite.pragma("busy_timeout = 5000");
  const db = new Kysely<Database>({ dialect: new SqliteDialect({ database: withStatementCache(sqlite) }) });
  handles.set(db, sqlite);
  return db;
}

/** Prepared statements kept per SQL text (the least recently used is dropped beyond this). */
const STATEMENT_CACHE_SIZE = 500;

/**
 * Kysely prepares every query afresh, and preparing costs more than running most
 * of ours: 30–100 µs against 20–60 µs on the benchmark machine, ≈0.3 ms of a
 * dashboard request's six statements (bench/README.md, bench:pages). The app's
 * queries are a fixed set of SQL texts with bound parameters, so each is prepared
 * once and reused. SQLite re-prepares a statement itself after a schema change.
 * Only kysely's statements are cached: code that prepares its own through
 * `sqliteHandle` keeps them to itself (it may change their modes). A cached
 * statement still iterating (a streamed query) is not shared: a busy one is
 * prepared afresh.
 */
function withStatementCache(sqlite: SqliteDatabase.Database): KyselySqlite {
  const cache = new Map<string, SqliteDatabase.Statement>();
  return {
    close: () => sqlite.close(),
    prepare(sql: string) {
      let stmt = cache.get(sql);
      if (stmt?.busy) return sqlite.prepare(sql);
      if (stmt) {
        cache.delete(sql); // the most recently used goes last
      } else {
        stmt = sqlite.prepare(sql);
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value!);
      }
      cache.set(sql, stmt);
      return stmt;
    },
  };
}

export async function migrateToLatest(db: Kysely<any>): Promise<void> {
  const dialect = dialectOf(db);
  if (dialect === "postgres") await requireByteOrderCollation(db);
  // Numbers are handed out to work done in parallel, so one may land after a higher
  // one has already run somewhere (0020_attachments after 0021_agenda_templates): it
  // runs then, instead of the database refusing to start. Shared migrations must
  // therefore not depend on a higher-numbered one (docs/decisions/039).
  const migrator = new Migrator({ db, provider: new StaticMigrationProvider(dialect), allowUnorderedMigrations: true });
  const { error, results } = await migrator.migrateToLatest();
  for (const r of results ?? []) {
    if (r.status === "Error") throw new Error(`migration ${r.migrationName} failed`, { cause: error });
  }
  if (error) throw error instanceof Error ? error : new Error(String(error));
}

/**
 * The domain compares and sorts ISO timestamps and ids as text, which is right only
 * in byte order (SQLite's BINARY collation). A PostgreSQL database with a language
 * collation (en_US, sv_SE…) would order them differently, so it is refused at start.
 */
async function requireByteOrderCollation(db: Kysely<any>): Promise<void> {
  const { rows } = await sql<{ datcollate: string }>`select datcollate from pg_database where datname = current_database()`.execute(db);
  const collation = rows[0]?.datcollate;
  if (collation !== "C" && collation !== "POSIX") {
    throw new Error(
      `DATABASE_URL: the PostgreSQL database uses collation ${collation}; Samsyn needs C. ` +
        `Create it with: CREATE DATABASE samsyn TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C' LC_CTYPE 'C.UTF-8'`,
    );
  }
}
