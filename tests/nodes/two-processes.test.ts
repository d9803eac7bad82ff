// Two app processes on two ports, sharing one PostgreSQL database and one Redis, as
// behind a load balancer (issue #14): the stock y-websocket and socket.io clients on
// both. The in-process suite (collab-nodes.test.ts) covers each guarantee in detail;
// this one checks the same paths through two real `server/main.ts` processes.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDb } from "../../db";
import { actionsOf, areasOf, goalsOf } from "../../server/domain/plan-doc";
import { get, login, postForm } from "../helpers/http";
import { testRedisUrl } from "../helpers/pg";
import { startServerProcess, type ServerProcess } from "../helpers/process";
import { startTestCluster, type TestCluster } from "../helpers/server";
import { connectClient, type Client as SocketClient } from "../helpers/socket";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const title = (d: Y.Doc, i = 0) => actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(i).get("title") as Y.Text;

describe("two app processes on one PostgreSQL database and one Redis", () => {
  let shared: TestCluster;
  let A: ServerProcess;
  let B: ServerProcess;
  const clients: Client[] = [];
  const sockets: SocketClient[] = [];
  const cookies: Record<string, string> = {};
  let docName: string;

  const node = (id: string) =>
    startServerProcess({
      DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), `samsyn-${id}-`)),
      DATABASE_URL: shared.databaseUrl,
      REDIS_URL: testRedisUrl()!,
      REDIS_PREFIX: shared.redisPrefix,
      NODE_ID: id,
      SESSION_SECRET: "two-processes-secret-two-processes-secret",
    });

  beforeAll(async () => {
    // The database and the Redis prefix only: both nodes are processes of their own.
    shared = await startTestCluster(0);
    [A, B] = await Promise.all([node("proc-a"), node("proc-b")]);
    for (const who of ["ledamot", "processledare", "observator", "sara.ek"]) cookies[who] = await login(A.url, `${who}@samsyn.test`);
    docName = JSON.parse((await get(B.url, "/api/v1/councils/skaraborg/plans", cookies.ledamot)).text)[0].docName;
  }, 180_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of sockets) s.close();
    await Promise.allSettled([A?.stop(), B?.stop()]);
    await shared?.close();
  });

  it("both answer /healthz with the database and Redis", async () => {
    for (const n of [A, B]) expect(JSON.parse((await get(n.url, "/healthz")).text)).toEqual({ ok: true, db: "ok", redis: "ok" });
  });

  it("an edit on A reaches B's client and back; observers' writes are refused on both", async () => {
    const a = connect(A.url, docName, cookies.ledamot);
    const b = connect(B.url, docName, cookies.processledare);
    const obsA = connect(A.url, docName, cookies.observator);
    const obsB = connect(B.url, docName, cookies.observator);
    clients.push(a, b, obsA, obsB);
    await Promise.all([a, b, obsA, obsB].map(synced));
    title(a.doc).insert(0, "från A ");
    await waitFor(() => title(b.doc).toString().startsWith("från A "), "B's client sees A's edit");
    title(b.doc).insert(0, "från B ");
    await waitFor(() => title(a.doc).toString().startsWith("från B "), "A's client sees B's edit");
    title(obsA.doc).insert(0, "OBS-A ");
    title(obsB.doc).insert(0, "OBS-B ");
    title(a.doc).insert(0, "sist ");
    await waitFor(() => title(b.doc).toString().startsWith("sist ") && title(obsB.doc).toString().includes("sist "), "the later edit everywhere");
    for (const c of [a, b]) expect(title(c.doc).toString()).not.toMatch(/OBS-/);
  });

  it("a role change made on A stops the person's writes on B; the socket on B hears of it once", async () => {
    const victim = connect(B.url, docName, cookies["sara.ek"]);
    const leader = connect(A.url, docName, cookies.processledare);
    clients.push(victim, leader);
    await Promise.all([synced(victim), synced(leader)]);
    const bell = await connectClient(B.url, cookies.ledamot);
    sockets.push(bell);
    const since = bell.mark();
    const db = openDb(shared.databaseUrl);
    const { id: membershipId } = await db
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select("m.id")
      .where("u.email", "=", "sara.ek@samsyn.test")
      .where("c.slug", "=", "skaraborg")
      .executeTakeFirstOrThrow()
      .finally(() => db.destroy());
    const res = await postForm(A.url, "/councils/skaraborg/members", { intent: "changeRole", membershipId, role: "observer", validFrom: "", validTo: "" }, cookies.processledare);
    expect(res.status).toBe(200);
    title(victim.doc).insert(0, "SOM OBSERVATÖR ");
    title(leader.doc).insert(0, "ledaren ");
    await waitFor(() => title(victim.doc).toString().includes("ledaren "), "the leader's edit reaches B");
    await new Promise((r) => setTimeout(r, 300));
    expect(title(leader.doc).toString()).not.toContain("SOM OBSERVATÖR");
    await bell.waitFor("council:members-changed", since);
    await new Promise((r) => setTimeout(r, 300));
    expect(bell.received("council:members-changed", since)).toHaveLength(1);
  });
});
