// The JSON API: 401 JSON without a session, and each person's active councils and roles.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

interface Me {
  id: string;
  name: string;
  email: string;
  isSiteAdmin: boolean;
  councils: { slug: string; name: string; role: string }[];
}

interface CouncilEntry {
  slug: string;
  name: string;
  subRegion: string;
  role: string;
  validTo: string | null;
}

async function getJson<T>(s: TestServer, path: string, cookie?: string): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await get(s.url, path, cookie);
  expect(res.headers.get("content-type")).toMatch(/^application\/json/);
  return { status: res.status, body: JSON.parse(res.text) as T, headers: res.headers };
}

describe("api v1", () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const signIn = async (email: string) => (cookies[email] ??= await login(s.url, email));

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  it("GET /healthz answers 200 {\"ok\":true,\"db\":\"ok\"} without a session", async () => {
    const res = await get(s.url, "/healthz");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.text).toBe('{"ok":true,"db":"ok"}');
  });

  it.each(["/api/v1/me", "/api/v1/councils"])("%s without a session is 401 JSON, not a redirect", async (path) => {
    const res = await getJson<{ error: string; message: string }>(s, path);
    expect(res.status).toBe(401);
    expect(res.headers.get("location")).toBeNull();
    expect(res.body).toEqual({ error: "unauthorized", message: "Not signed in" });
  });

  it.each(["/api/v1/me", "/api/v1/councils"])("%s with a garbage cookie is 401 JSON", async (path) => {
    const res = await getJson<{ error: string }>(s, path, "samsyn_session=garbage.garbage");
    expect(res.status).toBe(401);
    expect(res.body.error).toBe("unauthorized");
  });

  it("GET /api/v1/me describes the signed-in person and their councils", async () => {
    const res = await getJson<Me>(s, "/api/v1/me", await signIn("ledamot@samsyn.test"));
    expect(res.status).toBe(200);
    const user = await s.db.selectFrom("users").select("id").where("email", "=", "ledamot@samsyn.test").executeTakeFirstOrThrow();
    expect(res.body).toEqual({
      id: user.id,
      name: "Anders Johansson",
      email: "ledamot@samsyn.test",
      isSiteAdmin: false,
      councils: [{ slug: "skaraborg", name: "Kompetensråd Skaraborg", role: "member" }],
    });
    // Nothing secret leaks.
    expect(JSON.stringify(res.body)).not.toMatch(/password|hash|argon/i);
  });

  it("the site admin is flagged as such and belongs to no council", async () => {
    const me = await getJson<Me>(s, "/api/v1/me", await signIn("admin@samsyn.test"));
    expect(me.status).toBe(200);
    expect(me.body.isSiteAdmin).toBe(true);
    expect(me.body.councils).toEqual([]);
    const councils = await getJson<CouncilEntry[]>(s, "/api/v1/councils", await signIn("admin@samsyn.test"));
    expect(councils.status).toBe(200);
    expect(councils.body).toEqual([]);
  });

  it("Johan sees both councils, with a different role in each", async () => {
    const cookie = await signIn("johan.nilsson@samsyn.test");
    const councils = await getJson<CouncilEntry[]>(s, "/api/v1/councils", cookie);
    expect(councils.status).toBe(200);
    expect(councils.body).toEqual([
      { slug: "fyrbodal", name: "Kompetensråd Fyrbodal", subRegion: "Fyrbodal", role: "observer", validTo: null },
      { slug: "skaraborg", name: "Kompetensråd Skaraborg", subRegion: "Skaraborg", role: "member", validTo: null },
    ]);
    const me = await getJson<Me>(s, "/api/v1/me", cookie);
    expect(me.body.councils).toEqual([
      { slug: "fyrbodal", name: "Kompetensråd Fyrbodal", role: "observer" },
      { slug: "skaraborg", name: "Kompetensråd Skaraborg", role: "member" },
    ]);
  });

  it.each([
    ["processledare@samsyn.test", "skaraborg", "process_leader"],
    ["observator@samsyn.test", "skaraborg", "observer"],
    ["ledamot.fyrbodal@samsyn.test", "fyrbodal", "member"],
  ])("%s sees only %s, as %s", async (email, slug, role) => {
    const res = await getJson<CouncilEntry[]>(s, "/api/v1/councils", await signIn(email));
    expect(res.status).toBe(200);
    expect(res.body.map((c) => [c.slug, c.role])).toEqual([[slug, role]]);
  });

  it("an adjunct whose period ended 20 days ago is not listed in that council", async () => {
    // The membership row is still there: it is the date that hides it.
    const row = await s.db
      .selectFrom("memberships as m")
      .innerJoin("users as u", "u.id", "m.user_id")
      .select(["m.role", "m.valid_to"])
      .where("u.email", "=", "oskar.dahl@samsyn.test")
      .executeTakeFirstOrThrow();
    expect(row.role).toBe("adjunct");
    expect(row.valid_to! < new Date().toISOString().slice(0, 10)).toBe(true);

    const cookie = await signIn("oskar.dahl@samsyn.test");
    const councils = await getJson<CouncilEntry[]>(s, "/api/v1/councils", cookie);
    expect(councils.status).toBe(200);
    expect(councils.body).toEqual([]);
    const me = await getJson<Me>(s, "/api/v1/me", cookie);
    expect(me.body.councils).toEqual([]);
    expect(me.body.name).toBe("Oskar Dahl");

    // And the council's pages agree: the period has ended.
    const page = await get(s.url, "/councils/skaraborg", cookie);
    expect(page.status).toBe(403);
    expect(page.text).toContain("Din adjungering i rådet har upphört.");
  });

  it("an adjunct within their period is listed, with the end date", async () => {
    const res = await getJson<CouncilEntry[]>(s, "/api/v1/councils", await signIn("ingrid.larsson@samsyn.test"));
    expect(res.status).toBe(200);
    expect(res.body).toHaveLength(1);
    expect(res.body[0]).toMatchObject({ slug: "skaraborg", role: "adjunct" });
    expect(res.body[0].validTo).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(res.body[0].validTo! > new Date().toISOString().slice(0, 10)).toBe(true);
  });

  it("reflects a membership change made in the database at the next request", async () => {
    const cookie = await signIn("ledamot.fyrbodal@samsyn.test");
    const user = await s.db.selectFrom("users").select("id").where("email", "=", "ledamot.fyrbodal@samsyn.test").executeTakeFirstOrThrow();
    await s.db.updateTable("memberships").set({ role: "observer" }).where("user_id", "=", user.id).execute();
    try {
      const res = await getJson<CouncilEntry[]>(s, "/api/v1/councils", cookie);
      expect(res.body.map((c) => [c.slug, c.role])).toEqual([["fyrbodal", "observer"]]);
    } finally {
      await s.db.updateTable("memberships").set({ role: "member" }).where("user_id", "=", user.id).execute();
    }
  });

  it("an unknown API path is 404", async () => {
    const res = await get(s.url, "/api/v1/nope", await signIn("ledamot@samsyn.test"));
    expect(res.status).toBe(404);
  });
});
