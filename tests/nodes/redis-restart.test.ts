// Redis restarted while two people edit on two nodes (issue #14): Redis is only the
// fast path, so the nodes reconnect and converge, losing nothing. This test runs its
// own redis-server (the shared one serves other test files at the same time).
import { spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import * as Y from "yjs";
import { afterAll, describe, expect, it } from "vitest";
import { docStoreFor } from "../../server/collab/store";
import { actionsOf, areasOf, goalsOf, planToJson } from "../../server/domain/plan-doc";
import { get, login } from "../helpers/http";
import { startTestCluster, type TestCluster } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const titleOf = (d: Y.Doc, area: number) => actionsOf(goalsOf(areasOf(d).get(area)).get(0)).get(0).get("title") as Y.Text;

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const srv = net.createServer().listen(0, "127.0.0.1", () => {
      const port = (srv.address() as net.AddressInfo).port;
      srv.close(() => resolve(port));
    });
  });
}

/** A redis-server of this test's own, in the foreground (killed with the test). */
async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--bind", "127.0.0.1", "--port", String(port), "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "pipe"] });
  await new Promise<void>((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`redis-server did not start:\n${out}`)), 10_000);
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      if (/Ready to accept connections/.test(out)) {
        clearTimeout(timer);
        resolve();
      }
    });
  });
  return child;
}

describe("Redis restarted mid-edit", () => {
  let cl: TestCluster | undefined;
  let redis: ChildProcess | undefined;
  const clients: Client[] = [];
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await cl?.close();
    redis?.kill("SIGKILL");
  });

  it("both nodes reconnect and converge on what the database holds", async () => {
    const port = await freePort();
    redis = await startRedis(port);
    cl = await startTestCluster(2, { redisUrl: `redis://127.0.0.1:${port}` });
    const [A, B] = cl.nodes as [NonNullable<TestCluster["nodes"][0]>, NonNullable<TestCluster["nodes"][0]>];
    const member = await login(A.url, "ledamot@samsyn.test");
    const leader = await login(A.url, "processledare@samsyn.test");
    const docName = JSON.parse((await get(A.url, "/api/v1/councils/skaraborg/plans", member)).text)[0].docName;
    const a = connect(A.url, docName, member);
    const b = connect(B.url, docName, leader);
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);
    titleOf(a.doc, 0).insert(0, "före ");
    await waitFor(() => titleOf(b.doc, 0).toString().startsWith("före "), "B follows A");

    // Redis goes away while both type, and comes back on the same port.
    redis.kill("SIGKILL");
    await new Promise((r) => redis!.once("exit", r));
    for (let i = 0; i < 20; i++) {
      titleOf(a.doc, 0).insert(0, `a${i} `);
      titleOf(b.doc, 1).insert(0, `b${i} `);
      await new Promise((r) => setTimeout(r, 10));
    }
    redis = await startRedis(port);
    await waitFor(() => JSON.stringify(planToJson(a.doc)) === JSON.stringify(planToJson(b.doc)), "A and B converge after Redis is back", 20_000);
    expect(titleOf(b.doc, 0).toString().startsWith("a19 ")).toBe(true);
    expect(titleOf(a.doc, 1).toString().startsWith("b19 ")).toBe(true);
    // And it is all in the database.
    await Promise.all([A.server.collab.flush(), B.server.collab.flush()]);
    const stored = new Y.Doc();
    for (const u of (await docStoreFor(A.db).load(docName)).updates) Y.applyUpdate(stored, u);
    expect(planToJson(stored)).toEqual(planToJson(a.doc));
    // Live again both ways after the restart.
    titleOf(b.doc, 0).insert(0, "efter ");
    await waitFor(() => titleOf(a.doc, 0).toString().startsWith("efter "), "A follows B after the restart");
  }, 60_000);
});
