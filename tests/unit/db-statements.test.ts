// openDb reuses kysely's prepared statements per SQL text (db/index.ts). Reuse must
// never change what a query returns: not with other parameters, not after a stream
// of the same SQL, and not after the schema changes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, describe, expect, it } from "vitest";
import { openDb } from "../../db";

describe("the statement cache", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-stmt-"));
  const db = openDb(`file:${path.join(dir, "t.db")}`);
  afterAll(async () => {
    await db.destroy();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it("binds each call's own parameters to a reused statement, before, during and after a stream of it", async () => {
    await sql`create table t (id integer primary key, name text)`.execute(db);
    for (let i = 1; i <= 5; i++) await sql`insert into t (id, name) values (${i}, ${`n${i}`})`.execute(db);
    const byId = async (id: number) => ((await (db as any).selectFrom("t").select("name").where("id", "=", id).executeTakeFirst()) as { name: string } | undefined)?.name;
    expect([await byId(1), await byId(4), await byId(9)]).toEqual(["n1", "n4", undefined]);
    // kysely holds SQLite's one connection for a whole stream, so no other query runs
    // inside it; the same SQL text streamed and then executed gives the same rows.
    const q = () => (db as any).selectFrom("t").select(["id"]).where("id", ">", 2).orderBy("id");
    const streamed: number[] = [];
    for await (const row of q().stream()) streamed.push(row.id);
    expect(streamed).toEqual([3, 4, 5]);
    expect((await q().execute()).map((r: { id: number }) => r.id)).toEqual([3, 4, 5]);
    expect(await byId(2)).toBe("n2");
  });

  it("sees a schema change in a statement prepared before it", async () => {
    const all = () => (db as any).selectFrom("t").selectAll().where("id", "=", 1).executeTakeFirst();
    expect(await all()).toEqual({ id: 1, name: "n1" });
    await sql`alter table t add column extra text default 'x'`.execute(db);
    expect(await all()).toEqual({ id: 1, name: "n1", extra: "x" });
  });
});
