// The PostgreSQL baseline (db/migrations-pg/0016_pg_baseline.ts) builds the schema
// the frozen SQLite migrations 0001–0016 build: both are migrated fresh, read back
// from each engine's catalogue and compared; the integrity triggers run on both and
// refuse with the same message (docs/decisions/034-postgresql-dialect-and-migrations.md).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf, migrateToLatest, migrationsFor, openDb, sqliteHandle, type Db } from "../../db";
import { addIdentity, blobType, dropTrigger, refuseTrigger } from "../../db/migrations/dialect";
import { loadConfig } from "../../server/config";
import { createTestDatabase, noPostgresReason, type TestDatabase } from "../helpers/pg";

interface Schema {
  tables: string[];
  /** table.column → "type null|not null default=…" */
  columns: Record<string, string>;
  /** table → primary key columns, in order */
  primaryKeys: Record<string, string>;
  /** "table(cols) unique where …", PK indexes left out; explicit indexes by name */
  indexes: string[];
  /** "table.col -> ref.col on delete …" */
  foreignKeys: string[];
  /** table → number of CHECK constraints */
  checks: Record<string, number>;
  /** "table: trigger" */
  triggers: string[];
}

// SQLite declares text/integer/blob; PostgreSQL's baseline adds bigint (64-bit ids,
// as SQLite's integer always is) and bytea.
const normType = (t: string) => ({ bigint: "integer", bytea: "blob", "character varying": "text" })[t.toLowerCase()] ?? t.toLowerCase();
const normDefault = (d: string | null) => (d == null ? "" : ` default=${d.replace(/::[a-z ]+/g, "").replace(/^\((.*)\)$/, "$1")}`);
const normWhere = (w: string | null | undefined) =>
  w ? ` where ${w.toLowerCase().replace(/::[a-z ]+/g, "").replace(/[()"]/g, "").replace(/\s+/g, " ").trim()}` : "";
const IGNORED = /^(kysely_|sqlite_)/;

function sqliteSchema(db: Db): Schema {
  const h = sqliteHandle(db)!;
  const s: Schema = { tables: [], columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [], checks: {}, triggers: [] };
  const masters = h.prepare("select type, name, tbl_name, sql from sqlite_master").all() as { type: string; name: string; tbl_name: string; sql: string | null }[];
  for (const t of masters.filter((m) => m.type === "table" && !IGNORED.test(m.name))) {
    s.tables.push(t.name);
    const cols = h.pragma(`table_info("${t.name}")`) as { name: string; type: string; notnull: number; dflt_value: string | null; pk: number }[];
    for (const c of cols) {
      // SQLite lets a non-integer PRIMARY KEY column hold NULL (a documented quirk,
      // never used); PostgreSQL's primary keys are NOT NULL. Both count as not null.
      const notNull = c.notnull === 1 || c.pk > 0;
      s.columns[`${t.name}.${c.name}`] = `${normType(c.type)} ${notNull ? "not null" : "null"}${normDefault(c.dflt_value)}`;
    }
    s.primaryKeys[t.name] = cols.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk).map((c) => c.name).join(",");
    const indexList = h.pragma(`index_list("${t.name}")`) as { name: string; unique: number; origin: string; partial: number }[];
    for (const ix of indexList) {
      if (ix.origin === "pk") continue;
      const cols = (h.pragma(`index_info("${ix.name}")`) as { name: string }[]).map((c) => c.name).join(",");
      const text = masters.find((m) => m.name === ix.name)?.sql ?? "";
      const where = ix.partial ? /\swhere\s(.*)$/is.exec(text)?.[1] : undefined;
      const name = ix.origin === "c" ? `${ix.name}: ` : "";
      s.indexes.push(`${name}${t.name}(${cols})${ix.unique ? " unique" : ""}${normWhere(where)}`);
    }
    for (const fk of h.pragma(`foreign_key_list("${t.name}")`) as { table: string; from: string; to: string; on_delete: string }[]) {
      s.foreignKeys.push(`${t.name}.${fk.from} -> ${fk.table}.${fk.to} on delete ${fk.on_delete.toLowerCase()}`);
    }
    s.checks[t.name] = (t.sql!.match(/\bcheck\s*\(/gi) ?? []).length;
  }
  for (const tr of masters.filter((m) => m.type === "trigger")) s.triggers.push(`${tr.tbl_name}: ${tr.name}`);
  return sorted(s);
}

async function postgresSchema(db: Db): Promise<Schema> {
  const s: Schema = { tables: [], columns: {}, primaryKeys: {}, indexes: [], foreignKeys: [], checks: {}, triggers: [] };
  const q = async <T>(text: string) => (await sql.raw(text).execute(db)).rows as T[];
  const tables = await q<{ table_name: string }>(
    `select table_name from information_schema.tables where table_schema = current_schema() and table_type = 'BASE TABLE'`,
  );
  s.tables = tables.map((t) => t.table_name).filter((n) => !IGNORED.test(n));
  const cols = await q<{ table_name: string; column_name: string; data_type: string; is_nullable: string; column_default: string | null }>(
    `select table_name, column_name, data_type, is_nullable, column_default from information_schema.columns where table_schema = current_schema()`,
  );
  for (const c of cols.filter((c) => s.tables.includes(c.table_name))) {
    s.columns[`${c.table_name}.${c.column_name}`] =
      `${normType(c.data_type)} ${c.is_nullable === "NO" ? "not null" : "null"}${normDefault(c.column_default)}`;
  }
  const pks = await q<{ table_name: string; column_name: string }>(
    `select tc.table_name, k.column_name from information_schema.table_constraints tc
     join information_schema.key_column_usage k on k.constraint_name = tc.constraint_name and k.table_schema = tc.table_schema
     where tc.table_schema = current_schema() and tc.constraint_type = 'PRIMARY KEY' order by tc.table_name, k.ordinal_position`,
  );
  for (const t of s.tables) s.primaryKeys[t] = pks.filter((p) => p.table_name === t).map((p) => p.column_name).join(",");
  const indexes = await q<{ name: string; table_name: string; is_unique: boolean; is_primary: boolean; pred: string | null; cols: string; from_constraint: boolean }>(
    `select i.relname as name, t.relname as table_name, ix.indisunique as is_unique, ix.indisprimary as is_primary,
       pg_get_expr(ix.indpred, ix.indrelid) as pred,
       (select string_agg(a.attname, ',' order by k.ord) from unnest(ix.indkey) with ordinality k(attnum, ord)
          join pg_attribute a on a.attrelid = t.oid and a.attnum = k.attnum) as cols,
       exists (select 1 from pg_constraint c where c.conindid = ix.indexrelid) as from_constraint
     from pg_index ix join pg_class i on i.oid = ix.indexrelid join pg_class t on t.oid = ix.indrelid
     join pg_namespace n on n.oid = t.relnamespace where n.nspname = current_schema()`,
  );
  for (const ix of indexes.filter((i) => s.tables.includes(i.table_name) && !i.is_primary)) {
    const name = ix.from_constraint ? "" : `${ix.name}: `;
    s.indexes.push(`${name}${ix.table_name}(${ix.cols})${ix.is_unique ? " unique" : ""}${normWhere(ix.pred)}`);
  }
  const fks = await q<{ table_name: string; col: string; ref: string; ref_col: string; del: string }>(
    `select t.relname as table_name, a.attname as col, rt.relname as ref, ra.attname as ref_col, c.confdeltype as del
     from pg_constraint c join pg_class t on t.oid = c.conrelid join pg_class rt on rt.oid = c.confrelid
     join pg_attribute a on a.attrelid = c.conrelid and a.attnum = c.conkey[1]
     join pg_attribute ra on ra.attrelid = c.confrelid and ra.attnum = c.confkey[1]
     join pg_namespace n on n.oid = t.relnamespace
     where c.contype = 'f' and n.nspname = current_schema()`,
  );
  const action: Record<string, string> = { a: "no action", r: "restrict", c: "cascade", n: "set null", d: "set default" };
  for (const f of fks) s.foreignKeys.push(`${f.table_name}.${f.col} -> ${f.ref}.${f.ref_col} on delete ${action[f.del]}`);
  const checks = await q<{ table_name: string; n: number }>(
    `select t.relname as table_name, count(*) as n from pg_constraint c join pg_class t on t.oid = c.conrelid
     join pg_namespace ns on ns.oid = t.relnamespace
     where c.contype = 'c' and ns.nspname = current_schema() group by t.relname`,
  );
  for (const t of s.tables) s.checks[t] = checks.find((c) => c.table_name === t)?.n ?? 0;
  const triggers = await q<{ trigger_name: string; event_object_table: string }>(
    `select distinct trigger_name, event_object_table from information_schema.triggers where trigger_schema = current_schema()`,
  );
  for (const tr of triggers) s.triggers.push(`${tr.event_object_table}: ${tr.trigger_name}`);
  return sorted(s);
}

function sorted(s: Schema): Schema {
  const byKey = <T>(r: Record<string, T>) => Object.fromEntries(Object.entries(r).sort(([a], [b]) => (a < b ? -1 : 1)));
  return {
    tables: [...s.tables].sort(),
    columns: byKey(s.columns),
    primaryKeys: byKey(s.primaryKeys),
    indexes: [...s.indexes].sort(),
    foreignKeys: [...s.foreignKeys].sort(),
    checks: byKey(s.checks),
    triggers: [...s.triggers].sort(),
  };
}

/** The error a statement fails with (its message), or "ok". */
async function outcome(p: Promise<unknown>): Promise<string> {
  try {
    await p;
    return "ok";
  } catch (err) {
    return (err as Error).message;
  }
}

/**
 * One script of writes against the integrity triggers, the same on both engines
 * through kysely; returns what each step did, so the two engines can be compared.
 */
async function exerciseTriggers(db: Db): Promise<Record<string, string | number>> {
  const r: Record<string, string | number> = {};
  const now = "2026-01-01T00:00:00.000Z";
  await db.insertInto("users").values({ id: "u1", email: "a@x.test", name: "A", password_hash: null, is_site_admin: 0, created_at: now, anonymised_at: null, locale: "sv" }).execute();
  await db.insertInto("councils").values({ id: "c1", slug: "c1", name: "C", sub_region: "S", mandate: "M", created_at: now, created_by: "u1" }).execute();
  await db
    .insertInto("audit_log")
    .values({ id: "a1", council_id: "c1", actor_id: "u1", action: "x.created", subject: "s", before_json: null, after_json: "{}", created_at: now, redacted_at: null })
    .execute();
  r.auditUpdate = await outcome(db.updateTable("audit_log").set({ subject: "changed" }).where("id", "=", "a1").execute());
  r.auditDelete = await outcome(db.deleteFrom("audit_log").where("id", "=", "a1").execute());
  // GDPR redaction: allowed once redacted_at is set, as long as who/what/when stay.
  r.auditRedact = await outcome(db.updateTable("audit_log").set({ subject: null, after_json: null, redacted_at: now }).where("id", "=", "a1").execute());
  r.auditRedactedActionChange = await outcome(db.updateTable("audit_log").set({ action: "other" }).where("id", "=", "a1").execute());
  r.auditRedactedActorToNull = await outcome(db.updateTable("audit_log").set({ actor_id: null }).where("id", "=", "a1").execute());

  await db.insertInto("plans").values({ id: "p1", council_id: "c1", year: 2026, status: "active", title: "P", created_at: now, created_by: "u1", projected_at: null }).execute();
  await db
    .insertInto("plan_revisions")
    .values({ plan_id: "p1", adopted_at: now, adopted_by: "u1", decision: null, meeting_id: null, state: Buffer.from([1, 2, 3]), projection_json: "{}" })
    .execute();
  r.revisionUpdate = await outcome(db.updateTable("plan_revisions").set({ decision: "d" }).where("plan_id", "=", "p1").execute());
  r.revisionDelete = await outcome(db.deleteFrom("plan_revisions").where("plan_id", "=", "p1").execute());
  const rev = await db.selectFrom("plan_revisions").select("state").where("plan_id", "=", "p1").executeTakeFirstOrThrow();
  r.revisionState = Buffer.from(rev.state).toString("hex");

  // The report counter moves with every write to followups (0013).
  const followup = { id: "f1", plan_id: "p1", action_id: "x", reported_at: now, reported_by: "u1", source: "report" as const, old_status: null, new_status: "ongoing", old_progress: null, new_progress: 10, comment: "" };
  await db.insertInto("followups").values(followup).execute();
  await db.updateTable("followups").set({ comment: "c" }).where("id", "=", "f1").execute();
  await db.deleteFrom("followups").where("id", "=", "f1").execute();
  r.reportSeq = (await db.selectFrom("plans").select("report_seq").where("id", "=", "p1").executeTakeFirstOrThrow()).report_seq;

  // Identity ids and counts come back as numbers on both engines.
  const ids = [];
  for (let i = 0; i < 2; i++) {
    const row = await db.insertInto("yjs_updates").values({ doc_name: "d", update: new Uint8Array([i]), user_id: null, created_at: now }).returning("id").executeTakeFirstOrThrow();
    ids.push(row.id);
  }
  r.updateIds = `${typeof ids[0]} ${ids[1] - ids[0]}`;
  const n = await db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
  r.count = `${typeof n.n} ${n.n}`;

  // Partial unique index: one convener per working group.
  await db.insertInto("users").values({ id: "u2", email: "b@x.test", name: "B", password_hash: null, is_site_admin: 0, created_at: now, anonymised_at: null, locale: "sv" }).execute();
  await db.insertInto("working_groups").values({ id: "g1", council_id: "c1", name: "G", description: "", created_at: now, created_by: "u1" }).execute();
  await db.insertInto("working_group_members").values({ group_id: "g1", user_id: "u1", role: "convener" }).execute();
  r.secondConvener = (await outcome(db.insertInto("working_group_members").values({ group_id: "g1", user_id: "u2", role: "convener" }).execute())) === "ok" ? "accepted" : "refused";
  return r;
}

describe.skipIf(noPostgresReason)(`PostgreSQL baseline${noPostgresReason ? ` (skipped: ${noPostgresReason})` : ""}`, () => {
  let dir: string;
  let lite: Db;
  let pgDb: TestDatabase;
  let post: Db;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-pg-schema-"));
    lite = openDb(`file:${path.join(dir, "s.db")}`);
    await migrateToLatest(lite);
    pgDb = await createTestDatabase("samsyn_schema");
    post = openDb(pgDb.url);
    await migrateToLatest(post);
  });

  afterAll(async () => {
    await lite?.destroy();
    await post?.destroy();
    await pgDb?.drop();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("opens PostgreSQL for a postgres:// URL and SQLite otherwise", () => {
    expect(dialectOf(post)).toBe("postgres");
    expect(dialectOf(lite)).toBe("sqlite");
  });

  /**
   * Full-text search is each engine's own (migration 0029, decision 049): SQLite keeps
   * the text in an FTS5 table (and its shadow tables), PostgreSQL in search_docs with
   * a generated tsvector and a GIN index. The rest of search_docs is shared.
   */
  const withoutSearchEngine = (x: Schema): Schema => ({
    ...x,
    tables: x.tables.filter((t) => !t.startsWith("search_fts")),
    columns: Object.fromEntries(Object.entries(x.columns).filter(([k]) => !k.startsWith("search_fts") && !["search_docs.title", "search_docs.body", "search_docs.tsv"].includes(k))),
    primaryKeys: Object.fromEntries(Object.entries(x.primaryKeys).filter(([k]) => !k.startsWith("search_fts"))),
    indexes: x.indexes.filter((i) => !i.startsWith("search_docs_tsv:") && !i.includes("search_fts")),
    checks: Object.fromEntries(Object.entries(x.checks).filter(([k]) => !k.startsWith("search_fts"))),
  });

  it("has the same tables, columns, keys, indexes, checks and triggers as the SQLite migrations", async () => {
    const a = withoutSearchEngine(sqliteSchema(lite));
    const b = withoutSearchEngine(await postgresSchema(post));
    expect(sqliteSchema(lite).tables).toContain("search_fts");
    expect((await postgresSchema(post)).columns["search_docs.tsv"]).toBeDefined();
    expect(a.tables.length).toBeGreaterThan(30);
    expect(b.tables).toEqual(a.tables);
    expect(b.columns).toEqual(a.columns);
    expect(b.primaryKeys).toEqual(a.primaryKeys);
    expect(b.indexes).toEqual(a.indexes);
    expect(b.foreignKeys).toEqual(a.foreignKeys);
    expect(b.checks).toEqual(a.checks);
    expect(b.triggers).toEqual(a.triggers);
    // Partial indexes made it across with their conditions.
    expect(b.indexes).toContain("notifications_unread: notifications(user_id,read_at) where read_at is null");
    expect(b.indexes).toContain("working_group_one_convener: working_group_members(group_id) unique where role = 'convener'");
    // A shared migration (0023): the series table and each meeting's link to it, alike on both.
    expect(b.foreignKeys).toContain("meetings.series_id -> meeting_series.id on delete set null");
    expect(b.indexes).toContain("meetings_series: meetings(series_id,starts_at)");
    // 0022: attendance's status replaces present (with its check), substitutes and guests, the council's numbering.
    expect(b.columns["attendance.status"]).toBe("text not null default='absent'");
    expect(b.columns["attendance.present"]).toBeUndefined();
    expect(b.checks.meeting_substitutes).toBe(1);
    expect(b.indexes).toContain("meeting_substitutes_for: meeting_substitutes(meeting_id,for_user_id) unique");
    expect(b.columns["councils.paragraph_numbering"]).toBe("text not null default='meeting'");
  });

  it("is migrated once: a second migrateToLatest is a no-op on both", async () => {
    await migrateToLatest(post);
    await migrateToLatest(lite);
    const names = await post.selectFrom("kysely_migration" as never).select("name" as never).execute();
    // The baseline, then the shared migrations from 0017 on.
    expect(names.map((n) => (n as { name: string }).name).sort()).toEqual(Object.keys(migrationsFor("postgres")).sort());
  });

  it("refuses edits of the audit log and of adopted revisions with the same messages on both", async () => {
    const a = await exerciseTriggers(lite);
    const b = await exerciseTriggers(post);
    expect(a.auditUpdate).toMatch(/append-only/);
    expect(a.auditDelete).toMatch(/append-only/);
    expect(a.auditRedact).toBe("ok");
    expect(a.auditRedactedActionChange).toMatch(/append-only/);
    expect(a.auditRedactedActorToNull).toMatch(/append-only/);
    expect(a.revisionUpdate).toMatch(/immutable/);
    expect(a.revisionDelete).toMatch(/immutable/);
    expect(a.revisionState).toBe("010203");
    expect(a.reportSeq).toBe(3);
    expect(a.updateIds).toBe("number 1");
    expect(a.count).toBe("number 2");
    expect(a.secondConvener).toBe("refused");
    expect(b).toEqual(a);
  });

  it("the helpers for shared migrations build the same table and trigger on both", async () => {
    // What a future 0017 migration would do: identity, bytes, a refusing trigger with a condition.
    const shared = async (db: Db) => {
      await addIdentity(db, db.schema.createTable("zz_helper"), "id")
        .addColumn("data", blobType(db), (c) => c.notNull())
        .addColumn("locked", "integer", (c) => c.notNull().defaultTo(0))
        .execute();
      await refuseTrigger(db, {
        name: "zz_helper_locked",
        table: "zz_helper",
        event: "update",
        message: "zz_helper rows are locked",
        when: { sqlite: "old.locked = 1", postgres: "old.locked = 1" },
      });
      await refuseTrigger(db, { name: "zz_helper_no_delete", table: "zz_helper", event: "delete", message: "zz_helper is append-only" });
      const t = db as unknown as Db & { insertInto(t: "zz_helper"): any; updateTable(t: "zz_helper"): any; deleteFrom(t: "zz_helper"): any };
      const a = await t.insertInto("zz_helper").values({ data: Buffer.from("a") }).returning("id").executeTakeFirstOrThrow();
      const b = await t.insertInto("zz_helper").values({ data: Buffer.from("b"), locked: 1 }).returning("id").executeTakeFirstOrThrow();
      const r = {
        ids: `${typeof a.id} ${b.id - a.id}`,
        openUpdate: await outcome(t.updateTable("zz_helper").set({ data: Buffer.from("c") }).where("id", "=", a.id).execute()),
        lockedUpdate: await outcome(t.updateTable("zz_helper").set({ data: Buffer.from("c") }).where("id", "=", b.id).execute()),
        delete: await outcome(t.deleteFrom("zz_helper").where("id", "=", a.id).execute()),
      };
      await dropTrigger(db, "zz_helper_locked", "zz_helper");
      r.lockedUpdate += ` / after drop: ${await outcome(t.updateTable("zz_helper").set({ locked: 0 }).where("id", "=", b.id).execute())}`;
      const cols = db === lite ? sqliteSchema(db).columns : (await postgresSchema(db)).columns;
      await db.schema.dropTable("zz_helper").execute();
      return { ...r, cols: Object.entries(cols).filter(([k]) => k.startsWith("zz_helper.")) };
    };
    const a = await shared(lite);
    expect(a.ids).toBe("number 1");
    expect(a.openUpdate).toBe("ok");
    expect(a.lockedUpdate).toBe("zz_helper rows are locked / after drop: ok");
    expect(a.delete).toBe("zz_helper is append-only");
    expect(await shared(post)).toEqual(a);
  });

  it("refuses a database whose collation would not order ISO timestamps and ids byte-wise", async () => {
    // C.UTF-8 is installed wherever PostgreSQL is (a language collation such as
    // sv_SE may not be); it is not PostgreSQL's byte-order "C", so it is refused.
    const other = await createTestDatabase("samsyn_collation", { collate: "C.UTF-8" });
    const db = openDb(other.url);
    try {
      await expect(migrateToLatest(db)).rejects.toThrow(/collation C\.UTF-8; Samsyn needs C/);
    } finally {
      await db.destroy();
      await other.drop();
    }
  });
});

describe("DATABASE_URL and REDIS_URL", () => {
  const base = { SESSION_SECRET: "s".repeat(40), DATA_DIR: os.tmpdir() };
  it("accepts PostgreSQL and SQLite database URLs and a Redis URL", () => {
    const c = loadConfig({ ...base, DATABASE_URL: "postgres://samsyn:pw@db.example:5432/samsyn", REDIS_URL: "redis://cache:6379" });
    expect(c.databaseUrl).toBe("postgres://samsyn:pw@db.example:5432/samsyn");
    expect(c.redisUrl).toBe("redis://cache:6379");
    expect(loadConfig({ ...base, DATABASE_URL: "file:./data/x.db" }).redisUrl).toBeNull();
    expect(loadConfig({ ...base, DATABASE_URL: "postgresql://h/samsyn" }).databaseUrl).toBe("postgresql://h/samsyn");
  });
  it("refuses other schemes with one readable error naming both variables", () => {
    expect(() => loadConfig({ ...base, DATABASE_URL: "mysql://h/db", REDIS_URL: "http://cache" })).toThrow(
      /DATABASE_URL must be postgres:\/\/[\s\S]*REDIS_URL must start with redis:\/\//,
    );
  });
});
