// kill -9 of one node of two (issue #14): nothing a client on the other node had
// received is lost, and the survivor takes the writer over. Node A is a real server
// process (`tsx server/main.ts`) on the cluster's PostgreSQL database and Redis;
// node B runs in this process.
import os from "node:os";
import fs from "node:fs";
import path from "node:path";
import * as Y from "yjs";
import { afterAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf, newAction, planToJson } from "../../server/domain/plan-doc";
import { get, login } from "../helpers/http";
import { testRedisUrl } from "../helpers/pg";
import { startServerProcess, type ServerProcess } from "../helpers/process";
import { startTestCluster, type TestCluster } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const titleOf = (d: Y.Doc, area: number) => actionsOf(goalsOf(areasOf(d).get(area)).get(0)).get(0).get("title") as Y.Text;

describe("a node killed with kill -9", () => {
  let cl: TestCluster | undefined;
  let proc: ServerProcess | undefined;
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await proc?.stop().catch(() => undefined);
    await cl?.close();
  });

  it("loses nothing a client on the other node had received", async () => {
    cl = await startTestCluster(1);
    const B = cl.nodes[0]!;
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-node-a-"));
    proc = await startServerProcess({
      DATA_DIR: dir,
      DATABASE_URL: cl.databaseUrl,
      REDIS_URL: testRedisUrl()!,
      REDIS_PREFIX: cl.redisPrefix,
      NODE_ID: "node-a-process",
      // The cluster's nodes sign sessions with this secret: one sign-in works on both.
      SESSION_SECRET: "test-secret-test-secret-test-secret-0123456789",
    });
    const writerCookie = await login(B.url, "ledamot@samsyn.test");
    const watcherCookie = await login(B.url, "processledare@samsyn.test");
    const docName = JSON.parse((await get(B.url, "/api/v1/councils/skaraborg/plans", writerCookie)).text)[0].docName;

    const writer = connect(proc.url, docName, writerCookie);
    const watcher = connect(B.url, docName, watcherCookie);
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    actionsOf(goalsOf(areasOf(writer.doc).get(2)).get(0)).push([newAction({ title: "Tillagd före kraschen" })]);
    await waitFor(() => JSON.stringify(planToJson(watcher.doc)).includes("Tillagd före kraschen"), "node B's client to follow node A");
    // Killed while the writer is still typing: updates are in flight at every stage.
    let typed = 0;
    const typing = setInterval(() => titleOf(writer.doc, 0).insert(0, String(typed++ % 10)), 2);
    await waitFor(() => titleOf(watcher.doc, 0).toString().length > 150, "B to receive a good part of the typing", 15_000);
    await proc.kill9();
    clearInterval(typing);
    proc = undefined;
    writer.destroy();
    await new Promise((r) => setTimeout(r, 300));
    const seen = Y.decodeStateVector(Y.encodeStateVector(watcher.doc));
    // Every update B's client had received is in the database (whatever A stored and
    // did not get to send may be there too).
    const fresh = connect(B.url, docName, await login(B.url, "observator@samsyn.test"));
    clients.push(fresh);
    await synced(fresh);
    const stored = Y.decodeStateVector(Y.encodeStateVector(fresh.doc));
    for (const [client, clock] of seen) expect(stored.get(client) ?? 0, `client ${client}`).toBeGreaterThanOrEqual(clock);
    expect(titleOf(fresh.doc, 0).toString().startsWith(titleOf(watcher.doc, 0).toString().slice(0, 50))).toBe(true);
    // The writer reconnects to the survivor and goes on.
    const again = connect(B.url, docName, writerCookie);
    clients.push(again);
    await synced(again);
    titleOf(again.doc, 1).insert(0, "efter kraschen ");
    await waitFor(() => titleOf(watcher.doc, 1).toString().startsWith("efter kraschen "), "the survivor takes the writer over");
  }, 120_000);
});
