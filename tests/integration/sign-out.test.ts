// Signing out closes that session's live connections at once (socket.io and the
// Yjs endpoint), so a signed-out screen gets no more notifications or edits; the
// same person's other sessions stay connected. Removing a person closes all of theirs.
import { DateTime } from "luxon";
import WebSocket from "ws";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connectClient, type Client } from "../helpers/socket";

const MEMBER = "ledamot@samsyn.test";

/** A raw Yjs WebSocket; resolves with its close code and reason when the server closes it. */
function openYjs(base: string, docName: string, cookie: string): Promise<{ closed: Promise<{ code: number; reason: string }> }> {
  const ws = new WebSocket(`${base.replace(/^http/, "ws")}/yjs/${docName}`, { headers: { cookie, origin: base } });
  const closed = new Promise<{ code: number; reason: string }>((resolve) => ws.on("close", (code, reason) => resolve({ code, reason: reason.toString() })));
  return new Promise((resolve, reject) => {
    ws.once("message", () => resolve({ closed })); // the server's first sync step: connected and authorised
    ws.once("error", reject);
  });
}

describe("signing out", { timeout: 60_000 }, () => {
  let s: TestServer;
  const clients: Client[] = [];
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    clients.forEach((c) => c.close());
    await s?.close();
  });

  it("closes only that session's socket.io and Yjs connections", async () => {
    const [a, b] = [await login(s.url, MEMBER), await login(s.url, MEMBER)];
    const year = DateTime.now().setZone(ZONE).year;
    const plan = await s.db
      .selectFrom("plans as p")
      .innerJoin("councils as c", "c.id", "p.council_id")
      .select("p.id")
      .where("c.slug", "=", "skaraborg")
      .where("p.year", "=", year)
      .executeTakeFirstOrThrow();
    const [sa, sb] = [await connectClient(s.url, a), await connectClient(s.url, b)];
    clients.push(sa, sb);
    const [ya, yb] = [await openYjs(s.url, `plan:${plan.id}`, a), await openYjs(s.url, `plan:${plan.id}`, b)];
    const aDown = new Promise<string>((resolve) => sa.socket.once("disconnect", (reason) => resolve(reason)));

    expect((await postForm(s.url, "/logout", {}, a)).status).toBe(302);
    expect(await aDown).toBe("io server disconnect");
    expect(await ya.closed).toEqual({ code: 4401, reason: "Signed out" });
    // The other session is untouched.
    await new Promise((r) => setTimeout(r, 200));
    expect(sb.socket.connected).toBe(true);
    const stillOpen = await Promise.race([yb.closed.then(() => false), new Promise<boolean>((r) => setTimeout(() => r(true), 200))]);
    expect(stillOpen).toBe(true);
  });
});
