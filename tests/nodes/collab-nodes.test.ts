// Two nodes on one PostgreSQL database and one Redis (issue #14): live documents
// keep every guarantee of one node. Real servers on ephemeral ports, the stock
// y-websocket and socket.io clients, real PostgreSQL and Redis (scripts/engines.sh).
import { sql } from "kysely";
import { Redis } from "ioredis";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docStoreFor, FrozenDocument, PgDocStore } from "../../server/collab/store";
import { nullSink } from "../../server/domain/events";
import { changeRole } from "../../server/domain/memberships";
import { actionsOf, areasOf, goalsOf, planToJson } from "../../server/domain/plan-doc";
import { get, login, postForm } from "../helpers/http";
import { testRedisUrl } from "../helpers/pg";
import { startTestCluster, type TestCluster, type TestServer } from "../helpers/server";
import { connectClient, type Client as SocketClient } from "../helpers/socket";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const title = (d: Y.Doc, i = 0) => actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(i).get("title") as Y.Text;

describe("live documents on two nodes (PostgreSQL + Redis)", () => {
  let cl: TestCluster;
  let A: TestServer;
  let B: TestServer;
  let docName: string;
  const cookies: Record<string, string> = {};
  const clients: Client[] = [];
  const sockets: SocketClient[] = [];
  const open = (node: TestServer, who: string, name = docName) => {
    const c = connect(node.url, name, cookies[who]);
    clients.push(c);
    return c;
  };
  const seqs = async (name: string) =>
    (await A.db.selectFrom("yjs_updates").select("seq").where("doc_name", "=", name).orderBy("seq").execute()).map((r) => Number(r.seq));
  const membershipOf = async (email: string) =>
    (
      await A.db
        .selectFrom("memberships as m")
        .innerJoin("users as u", "u.id", "m.user_id")
        .innerJoin("councils as c", "c.id", "m.council_id")
        .select("m.id")
        .where("u.email", "=", email)
        .where("c.slug", "=", "skaraborg")
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    cl = await startTestCluster(2, {}, { collab: { projectionDelayMs: 20, unloadAfterMs: 60_000 } });
    [A, B] = cl.nodes as [TestServer, TestServer];
    for (const who of ["ledamot", "processledare", "observator", "sara.ek"]) cookies[who] = await login(A.url, `${who}@samsyn.test`);
    const plans = JSON.parse((await get(A.url, "/api/v1/councils/skaraborg/plans", cookies.ledamot)).text);
    const current = plans.find((p: { status: string }) => p.status !== "adopted");
    docName = current.docName;
  }, 120_000);
  afterAll(async () => {
    for (const c of clients) c.destroy();
    for (const s of sockets) s.close();
    await cl?.close();
  });

  it("edits typed on both nodes converge, and each is stored once, numbered 1, 2, 3 … in commit order", async () => {
    const a = open(A, "ledamot");
    const b = open(B, "processledare");
    await Promise.all([synced(a), synced(b)]);
    const before = await seqs(docName);
    for (let i = 0; i < 30; i++) {
      title(a.doc).insert(0, `a${i} `);
      title(b.doc, 1).insert(0, `b${i} `);
    }
    await waitFor(() => title(b.doc).toString().startsWith("a29 ") && title(a.doc, 1).toString().startsWith("b29 "), "both nodes' edits on both sides");
    expect(planToJson(a.doc)).toEqual(planToJson(b.doc));
    await Promise.all([A.server.collab.flush(), B.server.collab.flush()]);
    const after = await seqs(docName);
    expect(after.length - before.length).toBe(60);
    // Gapless and in order: what one node's room refills by is exactly this numbering.
    expect(after).toEqual(after.map((_, i) => after[0]! + i));
    const counter = await A.db.selectFrom("yjs_docs").select("seq").where("doc_name", "=", docName).executeTakeFirstOrThrow();
    expect(Number(counter.seq)).toBe(after.at(-1));
    // What is stored is what both clients show.
    const stored = new Y.Doc();
    for (const u of (await docStoreFor(A.db).load(docName)).updates) Y.applyUpdate(stored, u);
    expect(planToJson(stored)).toEqual(planToJson(a.doc));
  });

  it("an observer connected to node B cannot write: dropped on B, never stored, never seen on A", async () => {
    const member = open(A, "ledamot");
    const observer = open(B, "observator");
    await Promise.all([synced(member), synced(observer)]);
    const before = await seqs(docName);
    const dropped = B.server.collab.stats().droppedWrites;
    title(observer.doc).insert(0, "OBSERVATÖR ");
    await waitFor(() => B.server.collab.stats().droppedWrites > dropped, "the write dropped on B");
    title(member.doc).insert(0, "efter ");
    await waitFor(() => title(observer.doc).toString().includes("efter "), "the member's later edit reaches B");
    expect(title(member.doc).toString()).not.toContain("OBSERVATÖR");
    expect((await seqs(docName)).length).toBe(before.length + 1);
  });

  it("an update B never got over Redis is refilled from the database when the next one shows the gap", async () => {
    const a = open(A, "ledamot");
    const b = open(B, "processledare");
    await Promise.all([synced(a), synced(b)]);
    // Stored, but published to nobody: as if its Redis message were lost.
    const lost = new Y.Doc();
    Y.applyUpdate(lost, Y.encodeStateAsUpdate(a.doc));
    const sv = Y.encodeStateVector(lost);
    title(lost).insert(0, "FÖRLORAT ");
    const seq = await new PgDocStore(A.db).append(docName, Y.encodeStateAsUpdate(lost, sv), null);
    expect(seq).toBeGreaterThan(0);
    title(a.doc).insert(0, "nästa ");
    await waitFor(() => title(b.doc).toString().includes("FÖRLORAT ") && title(b.doc).toString().includes("nästa "), "B refilled the lost update");
  });

  it("after B's Redis connection is cut, what was published meanwhile is refilled on reconnect", async () => {
    const a = open(A, "ledamot");
    const b = open(B, "processledare");
    await Promise.all([synced(a), synced(b)]);
    const admin = new Redis(testRedisUrl()!);
    try {
      const list = String(await admin.client("LIST"));
      const id = /id=(\d+) [^\n]*name=samsyn:node-b:sub\b/.exec(list)?.[1];
      expect(id, list).toBeDefined();
      await admin.client("KILL", "ID", id!);
      // One edit while B's subscription is down, and no later one to show a gap.
      title(a.doc).insert(0, "UNDER AVBROTTET ");
      await waitFor(() => title(b.doc).toString().includes("UNDER AVBROTTET "), "B caught up after reconnecting", 10_000);
    } finally {
      admin.disconnect();
    }
  });

  it("a member demoted on node A writes no more on node B, even if B never hears of it (the rights epoch)", async () => {
    const victim = open(B, "sara.ek");
    const leader = open(A, "processledare");
    await Promise.all([synced(victim), synced(leader)]);
    title(victim.doc).insert(0, "före ");
    await waitFor(() => title(leader.doc).toString().startsWith("före "), "the member's edit reaches A");
    const id = await membershipOf("sara.ek@samsyn.test");
    const councilId = (await A.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    const actorId = (await A.db.selectFrom("users").select("id").where("email", "=", "processledare@samsyn.test").executeTakeFirstOrThrow()).id;
    // No event published anywhere: only the database tells B.
    await changeRole({ db: A.db, events: nullSink }, { councilId, membershipId: id, role: "observer", validFrom: null, validTo: null, actorId });
    const before = await seqs(docName);
    const dropped = B.server.collab.stats().droppedWrites;
    title(victim.doc).insert(0, "SOM OBSERVATÖR ");
    await waitFor(() => B.server.collab.stats().droppedWrites > dropped, "B drops the write");
    expect(await seqs(docName)).toEqual(before);
    expect(title(leader.doc).toString()).not.toContain("SOM OBSERVATÖR");
    // And back: a member again writes again, through the same re-resolution.
    await changeRole({ db: A.db, events: nullSink }, { councilId, membershipId: id, role: "member", validFrom: null, validTo: null, actorId });
    victim.destroy();
    const again = open(B, "sara.ek");
    await synced(again);
    title(again.doc).insert(0, "åter ");
    await waitFor(() => title(leader.doc).toString().startsWith("åter "), "the member writes again");
  });

  it("adoption on node A freezes the document in the database: node B's writes are refused there", async () => {
    const b = open(B, "ledamot");
    await synced(b);
    const bell = await connectClient(B.url, cookies.ledamot);
    sockets.push(bell);
    const since = bell.mark();
    const year = new Date().getFullYear();
    const res = await postForm(A.url, `/councils/skaraborg/plans/${year}`, { intent: "adopt" }, cookies.processledare);
    expect(res.status, res.text.slice(0, 300)).toBe(200);
    // The notification written on A reaches the member's socket on B, once.
    const note = await bell.waitFor<{ text: string }>("notification:new", since);
    expect(note.text).toMatch(/fastställ/i);
    const before = await seqs(docName);
    const dropped = B.server.collab.stats().droppedWrites;
    title(b.doc).insert(0, "EFTER FASTSTÄLLANDE ");
    await waitFor(() => B.server.collab.stats().droppedWrites > dropped, "B drops the write");
    expect(await seqs(docName)).toEqual(before);
    // The database itself refuses, whichever node asks.
    await expect(new PgDocStore(B.db).append(docName, new Uint8Array([0, 0]), null)).rejects.toBeInstanceOf(FrozenDocument);
    const frozen = await A.db.selectFrom("yjs_docs").select("frozen_at").where("doc_name", "=", docName).executeTakeFirstOrThrow();
    expect(frozen.frozen_at).not.toBeNull();
    const rev = await A.db
      .selectFrom("plan_revisions as r")
      .innerJoin("plans as p", "p.id", "r.plan_id")
      .innerJoin("councils as c", "c.id", "p.council_id")
      .select("r.state")
      .where("c.slug", "=", "skaraborg")
      .where("p.year", "=", year)
      .executeTakeFirstOrThrow();
    const adopted = new Y.Doc();
    Y.applyUpdate(adopted, rev.state);
    expect(title(adopted).toString()).not.toContain("EFTER FASTSTÄLLANDE");
    expect(bell.received("notification:new", since)).toHaveLength(1);
  });

  it("socket.io: an event caused on node A reaches a person connected to node B, once", async () => {
    const watcher = await connectClient(B.url, cookies.ledamot);
    sockets.push(watcher);
    const since = watcher.mark();
    const id = await membershipOf("sara.ek@samsyn.test");
    for (const role of ["observer", "member"]) {
      const res = await postForm(A.url, "/councils/skaraborg/members", { intent: "changeRole", membershipId: id, role, validFrom: "", validTo: "" }, cookies.processledare);
      expect(res.status).toBe(200);
    }
    await watcher.waitFor("council:members-changed", since);
    await waitFor(() => watcher.received("council:members-changed", since).length >= 2, "both changes");
    // A node that also emitted another node's events would have sent each twice by now.
    await new Promise((r) => setTimeout(r, 300));
    expect(watcher.received("council:members-changed", since).length).toBe(2);
  });

  it("the two nodes hold one numbering even when both append at once to the same document", async () => {
    const name = `stress:${Date.now()}`;
    await sql`insert into yjs_snapshots (doc_name, state, last_update_id, updated_at) values (${name}, ${Y.encodeStateAsUpdate(new Y.Doc())}, 0, ${new Date().toISOString()})`.execute(A.db);
    const sa = new PgDocStore(A.db);
    const sb = new PgDocStore(B.db);
    const got = await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? sa : sb).append(name, new Uint8Array([0, 0]), null)));
    expect([...got].sort((x, y) => x - y)).toEqual(Array.from({ length: 40 }, (_, i) => i + 1));
    // Compaction folds exactly what it read; what comes after is kept.
    await sa.compact(name, new Uint8Array(), 25);
    expect(await sb.readSince(name, 0)).toHaveLength(1 + 15);
    expect((await sb.readSince(name, 30)).map((u) => u.seq)).toEqual([31, 32, 33, 34, 35, 36, 37, 38, 39, 40]);
    expect((await sb.readSince(name, 10))[0]).toMatchObject({ seq: 25, folded: true });
  });
});
