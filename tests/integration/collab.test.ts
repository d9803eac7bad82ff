import WebSocket from "ws";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf, newAction, planToJson } from "../../server/domain/plan-doc";
import { get, login } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { syncUpdateMessage } from "../../server/collab/messages";
import { closeOf, connect, synced, waitFor, type Client } from "../helpers/yjs";

describe("live plan over y-websocket", () => {
  let s: TestServer;
  let docName: string;
  let fyrbodalDoc: string;
  const cookies: Record<string, string> = {};
  const clients: Client[] = [];
  const open = (who: string, name = docName) => {
    const c = connect(s.url, name, cookies[who]);
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20, unloadAfterMs: 50 } });
    for (const who of ["ledamot", "processledare", "observator", "ledamot.fyrbodal"]) {
      cookies[who] = await login(s.url, `${who}@samsyn.test`);
    }
    const plans = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", cookies.ledamot)).text);
    docName = plans[0].docName;
    fyrbodalDoc = JSON.parse((await get(s.url, "/api/v1/councils/fyrbodal/plans", cookies["ledamot.fyrbodal"])).text)[0].docName;
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await s.close();
  });

  const firstTitle = (d: Y.Doc) => (actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0).get("title") as Y.Text);

  it("two members converge on the seeded plan and see each other's edits", async () => {
    const a = open("ledamot");
    const b = open("processledare");
    await Promise.all([synced(a), synced(b)]);
    expect(planToJson(a.doc).areas.length).toBeGreaterThanOrEqual(3);
    firstTitle(a.doc).insert(0, "Live: ");
    await waitFor(() => firstTitle(b.doc).toString().startsWith("Live: "), "b sees a's edit");
    actionsOf(goalsOf(areasOf(b.doc).get(1)).get(0)).push([newAction({ title: "Ny åtgärd från ledaren" })]);
    await waitFor(() => JSON.stringify(planToJson(a.doc)).includes("Ny åtgärd från ledaren"), "a sees b's new action");
    expect(planToJson(a.doc)).toEqual(planToJson(b.doc));
  });

  it("keeps the relational projection current for the API", async () => {
    await s.server.collab.flush();
    const plan = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans/" + new Date().getFullYear(), cookies.ledamot)).text);
    expect(plan.areas[0].goals[0].actions[0].title.startsWith("Live: ")).toBe(true);
    expect(JSON.stringify(plan)).toContain("Ny åtgärd från ledaren");
  });

  it("a watcher gets an edit as the store holds it: the stored bytes, in one update frame, at every watcher", async () => {
    const writer = open("ledamot");
    await synced(writer);
    // Two plain sockets watch: what they receive is compared byte for byte.
    const watchers = [cookies.processledare, cookies.observator].map((cookie) => {
      const ws = new WebSocket(`${s.url.replace(/^http/, "ws")}/yjs/${docName}`, { headers: { cookie, origin: s.url } });
      const frames: Uint8Array[] = [];
      ws.on("message", (data: Buffer) => frames.push(new Uint8Array(data)));
      return { ws, frames };
    });
    await waitFor(() => watchers.every((w) => w.frames.length > 0), "both watchers to get the server's sync step 1");
    let sent: Uint8Array | undefined;
    const onUpdate = (u: Uint8Array) => (sent ??= u);
    writer.doc.on("update", onUpdate);
    firstTitle(writer.doc).insert(0, "Ordagrant ");
    writer.doc.off("update", onUpdate);
    expect(sent).toBeDefined();
    const expected = syncUpdateMessage(sent!);
    const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((x, i) => x === b[i]);
    await waitFor(() => watchers.every((w) => w.frames.some((f) => same(f, expected))), "both watchers to receive the writer's update as it was written");
    const stored = await s.db.selectFrom("yjs_updates").select("update").where("doc_name", "=", docName).orderBy("id", "desc").limit(1).executeTakeFirstOrThrow();
    expect(same(new Uint8Array(stored.update), sent!)).toBe(true);
    for (const w of watchers) w.ws.close();
  });

  it("drops an observer's writes: they never reach storage or other clients", async () => {
    const member = open("ledamot");
    const observer = open("observator");
    await Promise.all([synced(member), synced(observer)]);
    const before = s.server.collab.stats().droppedWrites;
    const storedBefore = await s.db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    firstTitle(observer.doc).insert(0, "OBSERVER WAS HERE ");
    await waitFor(() => s.server.collab.stats().droppedWrites > before, "the drop to be counted");
    // A member's later edit arrives, so any earlier observer edit would have too.
    // (The observer's own local insert may sort before or after it: check containment.)
    firstTitle(member.doc).insert(0, "MEMBER-EDIT ");
    await waitFor(() => firstTitle(observer.doc).toString().includes("MEMBER-EDIT "), "observer receives member edit");
    const other = open("processledare");
    await synced(other);
    expect(firstTitle(other.doc).toString()).not.toContain("OBSERVER WAS HERE");
    const storedAfter = await s.db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(storedAfter.n)).toBe(Number(storedBefore.n) + 1); // only the member's edit
  });

  it("refuses anonymous, other-council and unknown documents with a reason", async () => {
    expect(await closeOf(s.url, `/yjs/${docName}`)).toEqual({ code: 4401, reason: "Not signed in" });
    expect(await closeOf(s.url, `/yjs/${fyrbodalDoc}`, cookies.ledamot)).toEqual({ code: 4404, reason: "Unknown document" });
    expect(await closeOf(s.url, `/yjs/plan:00000000-0000-0000-0000-000000000000`, cookies.ledamot)).toEqual({
      code: 4404,
      reason: "Unknown document",
    });
    expect(await closeOf(s.url, `/yjs/nonsense`, cookies.ledamot)).toEqual({ code: 4400, reason: "Malformed document name" });
  });

  it("an oversized frame (over 1 MiB) closes only its own socket, and nothing is stored", async () => {
    const before = await s.db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(s.url.replace("http", "ws") + `/yjs/${docName}`, { headers: { cookie: cookies.ledamot, origin: s.url } });
      ws.on("open", () => ws.send(Buffer.alloc(1024 * 1024 + 1, 7)));
      ws.on("close", (c) => resolve(c));
      ws.on("error", () => undefined);
    });
    expect(code).toBe(1009);
    const after = await s.db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow();
    expect(Number(after.n)).toBe(Number(before.n));
    const ok = await login(s.url, "ledamot@samsyn.test");
    expect((await get(s.url, "/healthz", ok)).status).toBe(200);
  });

  it("a garbage frame closes only its own socket", async () => {
    const healthy = open("ledamot");
    await synced(healthy);
    const code = await new Promise<number>((resolve) => {
      const ws = new WebSocket(s.url.replace("http", "ws") + `/yjs/${docName}`, { headers: { cookie: cookies.ledamot, origin: s.url } });
      ws.on("open", () => ws.send(Buffer.from([0, 2, 0xff, 0xff, 0xff, 0xff, 0x0f, 1, 2, 3])));
      ws.on("close", (c) => resolve(c));
    });
    expect(code).toBe(4400);
    firstTitle(healthy.doc).insert(0, "still alive ");
    const peer = open("processledare");
    await synced(peer);
    await waitFor(() => firstTitle(peer.doc).toString().startsWith("still alive "), "the healthy client still works");
  });
});

describe("presence (awareness)", () => {
  let s: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await s.close();
  });

  it("a late joiner syncs and sees everyone's presence although the stock client relays others' states", async () => {
    const member = await login(s.url, "ledamot@samsyn.test");
    const leader = await login(s.url, "processledare@samsyn.test");
    const observer = await login(s.url, "observator@samsyn.test");
    const docName = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", member)).text)[0].docName;
    const a = connect(s.url, docName, member);
    clients.push(a);
    a.provider.awareness.setLocalStateField("user", { name: "Anders" });
    await synced(a);
    const b = connect(s.url, docName, leader);
    clients.push(b);
    b.provider.awareness.setLocalStateField("user", { name: "Karin" });
    await synced(b);
    const c = connect(s.url, docName, observer);
    clients.push(c);
    c.provider.awareness.setLocalStateField("user", { name: "Eva" });
    await synced(c);
    const names = (cl: Client) =>
      [...cl.provider.awareness.getStates().values()].map((st) => (st as { user?: { name: string } }).user?.name).filter(Boolean).sort();
    await waitFor(() => names(a).length === 3 && names(b).length === 3 && names(c).length === 3, "everyone sees everyone");
    // Presence carries each person's own signed-in name, whatever the client announced
    // (a client sees its own state as it set it; a newcomer sees what the server relays).
    const d = connect(s.url, docName, leader);
    clients.push(d);
    await synced(d);
    await waitFor(() => names(d).length === 3, "the newcomer sees everyone");
    const realNames = await Promise.all([member, leader, observer].map(async (ck) => JSON.parse((await get(s.url, "/api/v1/me", ck)).text).name as string));
    expect(names(d)).toEqual([...realNames].sort());
    // Nobody was disconnected for relaying.
    expect([a, b, c].every((cl) => cl.provider.wsconnected)).toBe(true);
  });

  it("a connection cannot overwrite another person's presence", async () => {
    const member = await login(s.url, "ledamot@samsyn.test");
    const docName = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", member)).text)[0].docName;
    const victim = connect(s.url, docName, member);
    clients.push(victim);
    victim.provider.awareness.setLocalStateField("user", { name: "Äkta", color: "#123456" });
    await synced(victim);
    const attacker = connect(s.url, docName, await login(s.url, "maria.andersson@samsyn.test"));
    clients.push(attacker);
    await synced(attacker);
    await waitFor(() => attacker.provider.awareness.getStates().has(victim.doc.clientID), "attacker sees the victim");
    // Forge a newer state for the victim's client id and send it raw.
    const { encodeAwarenessUpdate, Awareness } = await import("y-protocols/awareness");
    const forged = new Awareness(new Y.Doc({ gc: true }));
    forged.clientID = victim.doc.clientID;
    forged.setLocalState({ user: { name: "Förfalskad" } });
    forged.setLocalState({ user: { name: "Förfalskad" } });
    for (let i = 0; i < 10; i++) forged.setLocalState({ user: { name: "Förfalskad" }, i });
    const enc = await import("lib0/encoding");
    const e = enc.createEncoder();
    enc.writeVarUint(e, 1);
    enc.writeVarUint8Array(e, encodeAwarenessUpdate(forged, [victim.doc.clientID]));
    attacker.provider.ws!.send(enc.toUint8Array(e));
    const observer = connect(s.url, docName, await login(s.url, "observator@samsyn.test"));
    clients.push(observer);
    await synced(observer);
    await waitFor(() => observer.provider.awareness.getStates().has(victim.doc.clientID), "observer sees the victim");
    const seen = observer.provider.awareness.getStates().get(victim.doc.clientID) as { user: { name: string; color: string } };
    expect(seen.user.name).toBe(JSON.parse((await get(s.url, "/api/v1/me", member)).text).name);
    expect(seen.user.color).toBe("#123456");
    forged.destroy();
  });

  it("presence is bound to the signed-in person: an observer cannot appear as someone else", async () => {
    const leader = await login(s.url, "processledare@samsyn.test");
    const observer = await login(s.url, "observator@samsyn.test");
    const me = JSON.parse((await get(s.url, "/api/v1/me", observer)).text) as { id: string; name: string };
    const leaderMe = JSON.parse((await get(s.url, "/api/v1/me", leader)).text) as { id: string; name: string };
    const docName = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", leader)).text)[0].docName;
    const spoofer = connect(s.url, docName, observer);
    clients.push(spoofer);
    await synced(spoofer);
    // The observer announces itself as the process leader (id and name), with extra fields.
    spoofer.provider.awareness.setLocalState({ user: { id: leaderMe.id, name: leaderMe.name, color: "#abcdef" }, field: "title" });
    const watcher = connect(s.url, docName, leader);
    clients.push(watcher);
    await synced(watcher);
    await waitFor(() => watcher.provider.awareness.getStates().has(spoofer.doc.clientID), "watcher sees the spoofer");
    const seen = watcher.provider.awareness.getStates().get(spoofer.doc.clientID) as { user: { id: string; name: string; color: string }; field: string };
    expect(seen.user).toEqual({ id: me.id, name: me.name, color: "#abcdef" });
    expect(seen.field).toBe("title");
  });
});
