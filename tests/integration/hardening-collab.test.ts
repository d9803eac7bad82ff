// Issue #12, the live-document items: server-side changes refuse frozen documents
// (3), rights are re-resolved on every event that changes them (4), a document's
// size and a connection's write rate are capped (7), and malformed awareness is bad
// input (11). Real server, stock y-websocket clients and raw WebSockets.
import WebSocket from "ws";
import * as encoding from "lib0/encoding";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DomainError } from "../../server/domain/errors";
import { planDocName } from "../../server/domain/plans";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

const paragraph = (s: string) => {
  const p = new Y.XmlElement("paragraph");
  const t = new Y.XmlText();
  t.insert(0, s);
  p.insert(0, [t]);
  return p;
};
const minutesText = (d: Y.Doc) => d.getXmlFragment("content").toString();

describe("hardening: live documents", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const users: Record<string, string> = {};
  const clients: Client[] = [];
  let councilId: string;

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of ["processledare", "ledamot", "observator"]) {
      c[who] = await login(s.url, `${who}@samsyn.test`);
      users[who] = (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;
    }
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  const storedUpdates = async (docName: string) =>
    Number((await s.db.selectFrom("yjs_updates").select((eb) => eb.fn.countAll<number>().as("n")).where("doc_name", "=", docName).executeTakeFirstOrThrow()).n);

  it("item 4: the minutes of a meeting cancelled while an editor is connected take no more writes from it", async () => {
    // An upcoming convened meeting (a held one can no longer be cancelled: meetingPhase, decision 026).
    const meeting = await s.db
      .selectFrom("meetings")
      .select(["id"])
      .where("council_id", "=", councilId)
      .where("status", "=", "convened")
      .where("group_id", "is", null)
      .where("starts_at", ">", new Date().toISOString())
      .where("title", "!=", "Rådsmöte: revidering av handlingsplanen") // item 3 writes that one's minutes
      .orderBy("starts_at")
      .executeTakeFirstOrThrow();
    const docName = `minutes:${meeting.id}`;
    const editor = connect(s.url, docName, c.ledamot);
    clients.push(editor);
    await synced(editor);
    editor.doc.getXmlFragment("content").push([paragraph("Före inställningen.")]);
    await waitFor(() => s.server.collab.stats().appended > 0, "the first edit to be stored");
    await s.server.collab.flush();
    const before = await storedUpdates(docName);
    expect(before).toBeGreaterThan(0);

    const res = await postForm(s.url, `/councils/skaraborg/meetings/${meeting.id}`, { intent: "cancel", reason: "Flyttas till nästa månad" }, c.processledare);
    expect(res.status).toBeLessThan(400);
    const dropped = s.server.collab.stats().droppedWrites;
    await new Promise((r) => setTimeout(r, 100)); // the event re-resolves the open connections
    editor.doc.getXmlFragment("content").push([paragraph("EFTER INSTÄLLNINGEN")]);
    await waitFor(() => s.server.collab.stats().droppedWrites > dropped, "the write after the cancel to be dropped");
    await s.server.collab.flush();
    expect(await storedUpdates(docName)).toBe(before);
    const state = new Y.Doc();
    Y.applyUpdate(state, await s.server.collab.currentState(docName));
    expect(minutesText(state)).toContain("Före inställningen.");
    expect(minutesText(state)).not.toContain("EFTER INSTÄLLNINGEN");
  });

  it("item 3: an action item is not turned into an action of an adopted plan; a report on it is refused too", async () => {
    const year = new Date().getFullYear();
    const plan = await s.db.selectFrom("plans").select(["id", "status"]).where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow();
    const goal = await s.db.selectFrom("plan_goals").select("id").where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
    const meeting = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
    const path = `/councils/skaraborg/meetings/${meeting.id}/minutes`;
    await s.db.updateTable("minutes").set({ status: "draft" }).where("meeting_id", "=", meeting.id).execute();
    expect((await postForm(s.url, path, { intent: "actionItem", what: "Åtgärd efter fastställandet", ownerUserId: users.ledamot }, c.ledamot)).status).toBe(200);
    const item = await s.db.selectFrom("action_items").selectAll().where("what", "=", "Åtgärd efter fastställandet").executeTakeFirstOrThrow();

    // The leader adopts this year's plan.
    const adopt = await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "adopt", decisionItemId: "" }, c.processledare);
    expect(adopt.status).toBeLessThan(400);
    expect((await s.db.selectFrom("plans").select("status").where("id", "=", plan.id).executeTakeFirstOrThrow()).status).toBe("adopted");
    const updatesBefore = await storedUpdates(planDocName(plan.id));
    const actionsBefore = await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).execute();

    const conv = await postForm(s.url, path, { intent: "toPlan", itemId: item.id, goalId: goal.id }, c.processledare);
    expect(conv.status).toBe(409);
    expect(conv.text).toContain("Planen är redan fastställd.");
    expect((await s.db.selectFrom("action_items").select("plan_action_id").where("id", "=", item.id).executeTakeFirstOrThrow()).plan_action_id).toBeNull();

    const action = actionsBefore[0];
    const report = await postForm(s.url, `/councils/skaraborg/plans/${year}/actions/${action.id}`, { status: "done", progress: "100", comment: "Klart" }, c.processledare);
    expect(report.status).toBe(409);

    // Any server-side change, whoever calls it, is refused by the same rule.
    await expect(s.server.collab.applyServerChange(planDocName(plan.id), (doc) => doc.getMap("meta").set("hack", 1))).rejects.toBeInstanceOf(DomainError);

    await s.server.collab.flush();
    expect(await storedUpdates(planDocName(plan.id))).toBe(updatesBefore);
    expect((await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).execute()).length).toBe(actionsBefore.length);
    expect(await s.db.selectFrom("followups").select("id").where("plan_id", "=", plan.id).where("comment", "=", "Klart").execute()).toEqual([]);
  });

  it("item 11: an awareness frame with invalid UTF-8 is bad input (4400), not a server error", async () => {
    const plans = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", c.ledamot)).text) as { docName: string }[];
    const ws = new WebSocket(`${s.url.replace(/^http/, "ws")}/yjs/${plans[0].docName}`, { headers: { cookie: c.ledamot, origin: s.url } });
    const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
    await new Promise((r) => ws.once("message", r)); // the server's sync step 1: the room is ready
    const inner = encoding.createEncoder();
    encoding.writeVarUint(inner, 1); // one entry
    encoding.writeVarUint(inner, 4242); // client id
    encoding.writeVarUint(inner, 1); // clock
    encoding.writeVarUint8Array(inner, new Uint8Array([0x22, 0xff, 0xfe, 0x22])); // a "string" that is not UTF-8
    const frame = encoding.createEncoder();
    encoding.writeVarUint(frame, 1); // awareness
    encoding.writeVarUint8Array(frame, encoding.toUint8Array(inner));
    ws.send(encoding.toUint8Array(frame));
    expect(await closed).toEqual({ code: 4400, reason: "Malformed message" });
  });
});

describe("hardening: a document's size and a connection's write rate are capped (item 7)", () => {
  let s: TestServer;
  let cookie: string;
  let docName: string;
  const clients: Client[] = [];

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20, maxDocBytes: 400 * 1024, writeRate: { bytesPerSecond: 50 * 1024, burstBytes: 300 * 1024 } } });
    cookie = await login(s.url, "ledamot@samsyn.test");
    const meeting = await s.db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: kompetensbehovsanalysen").executeTakeFirstOrThrow();
    docName = `minutes:${meeting.id}`;
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  const storedBytes = async () => {
    const rows = await s.db.selectFrom("yjs_updates").select("update").where("doc_name", "=", docName).execute();
    const snap = await s.db.selectFrom("yjs_snapshots").select("state").where("doc_name", "=", docName).executeTakeFirst();
    return rows.reduce((n, r) => n + r.update.length, snap?.state.length ?? 0);
  };

  const closeCodes = (cl: Client) => {
    const codes: number[] = [];
    cl.provider.on("connection-close", (e: { code: number } | null) => e && codes.push(e.code));
    return codes;
  };

  it("a burst of large writes closes the connection with 4429 and stores no more than the burst allows", async () => {
    const writer = connect(s.url, docName, cookie);
    clients.push(writer);
    const codes = closeCodes(writer);
    await synced(writer);
    const start = await storedBytes();
    // Ten 100 KB paragraphs at once: 1 MB against a 300 KB burst.
    for (let i = 0; i < 10; i++) writer.doc.getXmlFragment("content").push([paragraph(String(i).repeat(100 * 1024))]);
    await waitFor(() => codes.includes(4429), "the connection to be closed for writing too fast");
    writer.provider.disconnect();
    await s.server.collab.flush();
    expect((await storedBytes()) - start).toBeLessThanOrEqual(300 * 1024 + 4096);
  });

  it("a document at its size limit refuses more with 4413", async () => {
    const writer = connect(s.url, docName, cookie);
    clients.push(writer);
    const codes = closeCodes(writer);
    await synced(writer);
    // Slowly enough for the rate, until the 400 KB document is full.
    for (let i = 0; i < 12 && !codes.includes(4413); i++) {
      writer.doc.getXmlFragment("content").push([paragraph("x".repeat(40 * 1024))]);
      await new Promise((r) => setTimeout(r, 900));
    }
    await waitFor(() => codes.includes(4413), "the connection to be closed for a full document");
    writer.provider.disconnect();
    await s.server.collab.flush();
    expect(await storedBytes()).toBeLessThanOrEqual(400 * 1024);
  });
});
