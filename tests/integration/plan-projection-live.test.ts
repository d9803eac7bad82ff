// While people type in a plan, its relational projection (dashboard, API, CSV)
// waits for a pause, and is written at least every `projectionMaxDelayMs` while
// the typing goes on (decision 053): a real server, a real y-websocket client
// typing into an action's title, the projection read from the database.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf } from "../../server/domain/plan-doc";
import { get, login } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, type Client } from "../helpers/yjs";

const QUIET_MS = 150;
const MAX_MS = 700;

describe("the plan projection while people type", () => {
  let s: TestServer;
  let planId: string;
  let writer: Client;

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: QUIET_MS, projectionMaxDelayMs: MAX_MS } });
    const cookie = await login(s.url, "ledamot@samsyn.test");
    const plan = JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/plans", cookie)).text)[0];
    planId = plan.id ?? plan.docName.replace(/^plan:/, "");
    writer = connect(s.url, plan.docName, cookie);
    await synced(writer);
  });
  afterAll(async () => {
    writer?.destroy();
    await s?.close();
  });

  const title = () => actionsOf(goalsOf(areasOf(writer.doc).get(0)).get(0)).get(0).get("title") as Y.Text;
  const actionId = () => actionsOf(goalsOf(areasOf(writer.doc).get(0)).get(0)).get(0).get("id") as string;
  const projected = async () =>
    (await s.db.selectFrom("plan_actions").select("title").where("plan_id", "=", planId).where("id", "=", actionId()).executeTakeFirstOrThrow()).title;

  it("waits for a pause, writes at least every max delay while the typing goes on, and has the last keystroke after the pause", async () => {
    const typingMs = 2400;
    const seen: { at: number; title: string }[] = [];
    let last = await projected();
    const started = Date.now();
    let typed = 0;
    // A keystroke every 40 ms (well inside the quiet period), the projection read every 20 ms.
    const typing = setInterval(() => {
      title().insert(title().length, "x");
      typed++;
    }, 40);
    while (Date.now() - started < typingMs) {
      await new Promise((r) => setTimeout(r, 20));
      const now = await projected();
      if (now !== last) seen.push({ at: Date.now() - started, title: (last = now) });
    }
    clearInterval(typing);
    const final = title().toString();
    // Each write during the typing came from the max delay, not from a pause: a few of
    // them, not one per quiet period (a throttle at QUIET_MS would write about 16).
    expect(seen.length, JSON.stringify(seen.map((x) => x.at))).toBeGreaterThanOrEqual(2);
    expect(seen.length, JSON.stringify(seen.map((x) => x.at))).toBeLessThanOrEqual(Math.ceil(typingMs / MAX_MS) + 1);
    expect(seen[0].at).toBeLessThan(MAX_MS + 600);
    expect(typed).toBeGreaterThan(30);
    // After the pause, the projection has every keystroke.
    const pauseStarted = Date.now();
    let got = await projected();
    while (got !== final && Date.now() - pauseStarted < 5000) {
      await new Promise((r) => setTimeout(r, 20));
      got = await projected();
    }
    expect(got).toBe(final);
  });
});
