import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import * as Y from "yjs";
import { afterEach, describe, expect, inject, it } from "vitest";
import { actionsOf, areasOf, goalsOf, newAction, planToJson } from "../../server/domain/plan-doc";
import { get, login, postForm } from "../helpers/http";
import { startServerProcess, type ServerProcess } from "../helpers/process";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const titleOf = (d: Y.Doc, area: number, goal = 0, action = 0) =>
  actionsOf(goalsOf(areasOf(d).get(area)).get(goal)).get(action).get("title") as Y.Text;

describe("nothing is lost", () => {
  const clients: Client[] = [];
  let proc: ServerProcess | undefined;
  let server: TestServer | undefined;
  afterEach(async () => {
    for (const c of clients.splice(0)) c.destroy();
    await proc?.stop().catch(() => undefined);
    proc = undefined;
    await server?.close();
    server = undefined;
  });

  it("after kill -9 and a restart, every update a client had received is there", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-crash-"));
    const dbFile = path.join(dir, "samsyn.db");
    fs.copyFileSync(inject("baseDbPath"), dbFile);
    const env = { DATA_DIR: dir, DATABASE_URL: `file:${dbFile}`, SESSION_SECRET: "crash-test-secret-crash-test-secret-1234" };
    proc = await startServerProcess(env);
    const cookie = await login(proc.url, "ledamot@samsyn.test");
    const leader = await login(proc.url, "processledare@samsyn.test");
    const docName = JSON.parse((await get(proc.url, "/api/v1/councils/skaraborg/plans", cookie)).text)[0].docName;

    const writer = connect(proc.url, docName, cookie);
    const watcher = connect(proc.url, docName, leader);
    clients.push(writer, watcher);
    await Promise.all([synced(writer), synced(watcher)]);
    // Many small edits, as typing produces them.
    for (let i = 0; i < 200; i++) titleOf(writer.doc, 0).insert(0, String(i % 10));
    actionsOf(goalsOf(areasOf(writer.doc).get(2)).get(0)).push([newAction({ title: "Tillagd före kraschen" })]);
    const expected = () => JSON.stringify(planToJson(writer.doc));
    await waitFor(() => JSON.stringify(planToJson(watcher.doc)) === expected(), "the watcher to receive every edit");
    const seen = JSON.stringify(planToJson(watcher.doc));

    await proc.kill9();
    for (const c of clients.splice(0)) c.destroy();
    proc = await startServerProcess(env);
    const fresh = connect(proc.url, docName, await login(proc.url, "observator@samsyn.test"));
    clients.push(fresh);
    await synced(fresh);
    expect(JSON.stringify(planToJson(fresh.doc))).toBe(seen);
  }, 90_000);

  it("edits made offline merge on reconnect, with concurrent edits from others", async () => {
    server = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    const cookie = await login(server.url, "ledamot@samsyn.test");
    const leader = await login(server.url, "processledare@samsyn.test");
    const docName = JSON.parse((await get(server.url, "/api/v1/councils/skaraborg/plans", cookie)).text)[0].docName;
    const a = connect(server.url, docName, cookie);
    const b = connect(server.url, docName, leader);
    clients.push(a, b);
    await Promise.all([synced(a), synced(b)]);

    a.provider.disconnect();
    await waitFor(() => !a.provider.wsconnected, "a offline");
    titleOf(a.doc, 1).insert(0, "[offline] ");
    actionsOf(goalsOf(areasOf(a.doc).get(0)).get(0)).push([newAction({ title: "Skrivet offline" })]);
    titleOf(b.doc, 2).insert(0, "[online] ");
    await new Promise((r) => setTimeout(r, 100));
    expect(titleOf(b.doc, 1).toString()).not.toContain("[offline]");

    a.provider.connect();
    await waitFor(() => titleOf(b.doc, 1).toString().startsWith("[offline] "), "b receives a's offline edit");
    await waitFor(() => titleOf(a.doc, 2).toString().startsWith("[online] "), "a receives b's concurrent edit");
    expect(planToJson(a.doc)).toEqual(planToJson(b.doc));
    await server.server.collab.flush();
    const plan = JSON.parse((await get(server.url, `/api/v1/councils/skaraborg/plans/${new Date().getFullYear()}`, cookie)).text);
    expect(JSON.stringify(plan)).toContain("Skrivet offline");
  });

  it("a member turned observer stops writing at once; a removed member is disconnected", async () => {
    server = await startTestServer();
    const member = await login(server.url, "ledamot@samsyn.test");
    const leader = await login(server.url, "processledare@samsyn.test");
    const docName = JSON.parse((await get(server.url, "/api/v1/councils/skaraborg/plans", member)).text)[0].docName;
    const m = connect(server.url, docName, member);
    const l = connect(server.url, docName, leader);
    clients.push(m, l);
    await Promise.all([synced(m), synced(l)]);
    const row = await server.db
      .selectFrom("memberships as ms")
      .innerJoin("users as u", "u.id", "ms.user_id")
      .select("ms.id")
      .where("u.email", "=", "ledamot@samsyn.test")
      .executeTakeFirstOrThrow();

    const res = await postForm(server.url, "/councils/skaraborg/members", { intent: "changeRole", membershipId: row.id, role: "observer" }, leader);
    expect(res.status).toBe(200);
    const dropped = server.server.collab.stats().droppedWrites;
    titleOf(m.doc, 0).insert(0, "NOW AN OBSERVER ");
    await waitFor(() => server!.server.collab.stats().droppedWrites > dropped, "the write to be dropped");
    expect(titleOf(l.doc, 0).toString()).not.toContain("NOW AN OBSERVER");

    const closed = new Promise<number>((resolve) =>
      m.provider.on("connection-close", (e: CloseEvent | null) => resolve((e as { code: number } | null)?.code ?? 0)),
    );
    await postForm(server.url, "/councils/skaraborg/members", { intent: "remove", membershipId: row.id }, leader);
    expect(await closed).toBe(4403);
  });

  it("a document with no connections is unloaded after the grace period and comes back intact", async () => {
    server = await startTestServer({}, { collab: { unloadAfterMs: 30 } });
    const cookie = await login(server.url, "ledamot@samsyn.test");
    const docName = JSON.parse((await get(server.url, "/api/v1/councils/skaraborg/plans", cookie)).text)[0].docName;
    const c = connect(server.url, docName, cookie);
    await synced(c);
    titleOf(c.doc, 0).insert(0, "before unload ");
    await waitFor(() => server!.server.collab.stats().appended > 0, "the edit to be stored");
    expect(server.server.collab.stats().rooms).toBe(1);
    c.destroy();
    await waitFor(() => server!.server.collab.stats().roomsUnloaded === 1 && server!.server.collab.stats().rooms === 0, "unload");
    // Unloading compacted the log into the snapshot.
    const pending = await server.db.selectFrom("yjs_updates").select("id").where("doc_name", "=", docName).execute();
    expect(pending).toEqual([]);
    const again = connect(server.url, docName, cookie);
    clients.push(again);
    await synced(again);
    expect(titleOf(again.doc, 0).toString().startsWith("before unload ")).toBe(true);
  });
});
