import { afterEach, describe, expect, it } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { SqliteDocStore } from "../../server/collab/store";

const bytes = (updates: Uint8Array[]) => updates.map((u) => [...u]);

describe("SqliteDocStore fast append", () => {
  let db: Db | undefined;
  afterEach(async () => {
    await db?.destroy();
    db = undefined;
  });

  it("appends synchronously, in log order, and the update loads back", async () => {
    db = openDb(":memory:");
    await migrateToLatest(db);
    const store = new SqliteDocStore(db);
    const a = store.appendNow("doc:x", new Uint8Array([1, 2]), null);
    const b = store.appendNow("doc:x", new Uint8Array([3]), null);
    expect(typeof a).toBe("number");
    expect(b).toBe(a! + 1);
    const loaded = await store.load("doc:x");
    expect(bytes(loaded.updates)).toEqual([[1, 2], [3]]);
    expect(loaded.lastUpdateId).toBe(b);
  });

  it("declines while a kysely transaction is open, so an update never joins (or rolls back with) someone else's", async () => {
    db = openDb(":memory:");
    await migrateToLatest(db);
    const store = new SqliteDocStore(db);
    let during: number | undefined = -1;
    await db
      .transaction()
      .execute(async (trx) => {
        await trx.insertInto("yjs_updates").values({ doc_name: "doc:y", update: new Uint8Array([9]), user_id: null, created_at: "x" }).execute();
        await new Promise((r) => setTimeout(r, 1)); // another turn of the event loop inside the transaction
        during = store.appendNow("doc:y", new Uint8Array([1]), null);
        throw new Error("roll back");
      })
      .catch(() => undefined);
    expect(during).toBeUndefined();
    expect(store.appendNow("doc:y", new Uint8Array([2]), null)).toBeTypeOf("number");
    expect(bytes((await store.load("doc:y")).updates)).toEqual([[2]]);
  });
});
