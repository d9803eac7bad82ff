import SqliteDatabase from "better-sqlite3";
import { Kysely, sql, SqliteDialect } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { preparedQuery } from "../../db/prepared";

// Real SQLite databases with a table of their own.
type TestDb = { t: { id: number; kind: string; owner: string | null; n: number } };
const open = () => new Kysely<TestDb>({ dialect: new SqliteDialect({ database: new SqliteDatabase(":memory:") }) });
let db: Kysely<TestDb>;
let other: Kysely<TestDb>;
beforeAll(async () => {
  db = open();
  other = open();
  for (const d of [db, other]) await sql`create table t (id integer primary key, kind text not null, owner text, n integer not null)`.execute(d);
  await sql`insert into t (kind, owner, n) values ('a', 'x', 1), ('a', 'y', 2), ('b', 'x', 3), ('a', null, 4), ('b', null, 5)`.execute(db);
  await sql`insert into t (kind, owner, n) values ('a', 'x', 100)`.execute(other);
});
afterAll(async () => {
  await db.destroy();
  await other.destroy();
});

describe("preparedQuery", () => {
  let builds = 0;
  // A constant ('a') before, between and after the two arguments in the parameter list.
  const q = preparedQuery((d: Kysely<TestDb>, owner: string, min: number) => {
    builds++;
    return d.selectFrom("t").select("n").where("kind", "=", "a").where("owner", "=", owner).where("n", ">=", min).where("n", "<", 1000).orderBy("n");
  });

  it("gives the rows the plain query gives, for each set of values, building the query once per database", async () => {
    expect((await q.all(db, "x", 0)).map((r) => r.n)).toEqual([1]);
    expect((await q.all(db, "y", 0)).map((r) => r.n)).toEqual([2]);
    expect(await q.all(db, "y", 3)).toEqual([]);
    expect(await q.first(db, "x", 0)).toEqual({ n: 1 });
    expect(await q.first(db, "nobody", 0)).toBeUndefined();
    expect(builds).toBe(1);
    // Another database handle compiles its own and reads its own rows.
    expect((await q.all(other, "x", 0)).map((r) => r.n)).toEqual([100]);
    expect(builds).toBe(2);
  });

  it("takes null values and keeps is-null constants", async () => {
    const byKind = preparedQuery((d: Kysely<TestDb>, kind: string, owner: string | null) =>
      d
        .selectFrom("t")
        .select("n")
        .where("kind", "=", kind)
        .where((eb) => eb.or([eb("owner", "=", owner), eb("owner", "is", null)]))
        .orderBy("n"),
    );
    expect((await byKind.all(db, "b", "x")).map((r) => r.n)).toEqual([3, 5]);
    expect((await byKind.all(db, "a", "y")).map((r) => r.n)).toEqual([2, 4]);
    expect((await byKind.all(db, "a", null)).map((r) => r.n)).toEqual([4]);
  });

  it("refuses a query that puts an argument into the SQL text", async () => {
    const bad = preparedQuery((d: Kysely<TestDb>, column: string) => d.selectFrom("t").select(sql.raw<number>(column).as("n")));
    await expect(bad.all(db, "n")).rejects.toThrow(/SQL text/);
  });
});
