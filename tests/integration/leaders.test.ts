// A site admin ends someone's role as process leader (they stay as a member, or
// leave the council), never leaving a council without a leader; nobody else can.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login, postForm } from "../helpers/http";
import { textOf } from "../helpers/html";
import { startTestServer, type TestServer } from "../helpers/server";

const ADMIN = "admin@samsyn.test";
const KARIN = "processledare@samsyn.test";
const JOHAN = "johan.nilsson@samsyn.test";

describe("process leaders stepping down", { timeout: 60_000 }, () => {
  let s: TestServer;
  let councilId: string;
  const ids: Record<string, string> = {};
  const role = async (email: string) =>
    (await s.db.selectFrom("memberships as m").innerJoin("users as u", "u.id", "m.user_id").select("m.role").where("u.email", "=", email).where("m.council_id", "=", councilId).executeTakeFirst())?.role ?? null;

  beforeAll(async () => {
    s = await startTestServer();
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    for (const e of [KARIN, JOHAN]) ids[e] = (await s.db.selectFrom("users").select("id").where("email", "=", e).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  it("refuses to take a council's only leader away; after a second is appointed, one becomes a member and one leaves", async () => {
    const admin = await login(s.url, ADMIN);
    const last = await postForm(s.url, "/admin", { intent: "stepDown", councilId, userId: ids[KARIN], to: "member" }, admin);
    expect(last.status).toBe(409);
    expect(textOf(last.text)).toContain("Rådet måste ha minst en processledare. Utse nästa först.");
    expect(await role(KARIN)).toBe("process_leader");

    expect((await postForm(s.url, "/admin", { intent: "appointLeader", councilId, email: JOHAN, organisation: "Västra Götalandsregionen", perspective: "region" }, admin)).status).toBe(200);
    expect(await role(JOHAN)).toBe("process_leader");
    // Only a site admin: Johan (now a leader) cannot make Karin step down.
    expect((await postForm(s.url, "/admin", { intent: "stepDown", councilId, userId: ids[KARIN], to: "member" }, await login(s.url, JOHAN))).status).toBe(404);

    expect((await postForm(s.url, "/admin", { intent: "stepDown", councilId, userId: ids[KARIN], to: "member" }, admin)).status).toBe(200);
    expect(await role(KARIN)).toBe("member");
    const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "membership.leader_stepped_down").executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ subject: ids[KARIN], council_id: councilId });
    // Karin is still in the council, but the leader's pages are gone at once.
    const karin = await login(s.url, KARIN);
    expect((await get(s.url, "/councils/skaraborg", karin)).status).toBe(200);
    expect((await get(s.url, "/councils/skaraborg/members", karin)).status).toBe(403);
    expect((await get(s.url, "/councils/skaraborg/audit", karin)).status).toBe(403);

    // Johan is now the only leader again: he cannot be removed.
    expect((await postForm(s.url, "/admin", { intent: "stepDown", councilId, userId: ids[JOHAN], to: "removed" }, admin)).status).toBe(409);
    expect((await postForm(s.url, "/admin", { intent: "appointLeader", councilId, email: KARIN, organisation: "Skaraborgs Kommunalförbund", perspective: "municipal_federation" }, admin)).status).toBe(200);
    expect((await postForm(s.url, "/admin", { intent: "stepDown", councilId, userId: ids[JOHAN], to: "removed" }, admin)).status).toBe(200);
    expect(await role(JOHAN)).toBeNull();
    const bad = await postForm(s.url, "/admin", { intent: "stepDown", councilId, userId: "nope", to: "member" }, admin);
    expect(bad.status).toBe(400);
  });
});
