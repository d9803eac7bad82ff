// Personal API tokens (issue #16, docs/decisions/045-api-tokens.md) through real HTTP:
// made in /settings and shown once (only the hash stored), accepted as
// `Authorization: Bearer …` on GET /api/v1/... with exactly the person's rights (another
// council 404, an observer no more than an observer, a removed member 404), refused
// when revoked, expired or malformed (401), and never anywhere else: not on a POST,
// not on a page, not for the personal-data export. Creating and revoking is audited.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApiToken } from "../../server/domain/api-tokens";
import { hashToken } from "../../server/domain/ids";
import { fieldError, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const LEADER = "processledare@samsyn.test";
const TOKEN = /samsyn_pat_[A-Za-z0-9_-]{43}/;
const YEAR = new Date().getFullYear();

describe("personal API tokens", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const cookieFor = async (email: string) => (cookies[email] ??= await login(s.url, email));
  const bearer = (token: string) => ({ authorization: `Bearer ${token}` });
  const withToken = (path: string, token: string) => get(s.url, path, undefined, bearer(token));
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;

  /** A token made through the settings form, as a browser without JavaScript would. */
  async function makeToken(email: string, tokenName: string, validity = "90") {
    const res = await postForm(s.url, "/settings", { intent: "createToken", tokenName, validity }, await cookieFor(email));
    expect(res.status).toBe(200);
    const token = TOKEN.exec(res.text)?.[0];
    expect(token).toBeTruthy();
    return { res, token: token! };
  }

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  let memberToken: string;

  it("a member makes a token in /settings: shown once to copy, only its hash stored, listed by name and prefix, audited", async () => {
    const { res, token } = await makeToken(MEMBER, "Regionens rapportverktyg");
    memberToken = token;
    expect(res.headers.get("cache-control")).toContain("no-store");
    expect(res.text).toMatch(new RegExp(`<input id="api-token-value"[^>]*class="copy-field"[^>]*value="${token}"`));
    expect(textOf(res.text)).toContain("Kopiera nyckeln nu: den visas bara en gång.");
    expect(textOf(res.text)).toContain("API-nyckeln ”Regionens rapportverktyg” är skapad.");

    const row = await s.db.selectFrom("api_tokens").selectAll().where("user_id", "=", await userId(MEMBER)).executeTakeFirstOrThrow();
    expect(row.token_hash).toBe(hashToken(token));
    expect(JSON.stringify(row)).not.toContain(token.slice("samsyn_pat_".length));
    expect(row.prefix).toBe(token.slice(11, 15));
    expect(row.name).toBe("Regionens rapportverktyg");
    // 90 days unless chosen otherwise.
    expect(Date.parse(row.expires_at!) - Date.parse(row.created_at)).toBe(90 * 24 * 3600 * 1000);
    expect(row.revoked_at).toBeNull();

    // The page again: listed, never shown.
    const page = await get(s.url, "/settings", await cookieFor(MEMBER));
    expect(page.status).toBe(200);
    expect(page.text).not.toContain(token);
    expect(page.text).not.toMatch(TOKEN);
    const text = textOf(page.text);
    expect(text).toContain("Regionens rapportverktyg");
    expect(text).toContain(`samsyn_pat_${row.prefix}…`);
    expect(text).toContain("Aldrig");

    const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "api_token.created").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: await userId(MEMBER), council_id: null });
    expect(JSON.parse(audit[0].after_json!)).toEqual({ name: "Regionens rapportverktyg", expiresAt: row.expires_at });
    expect(JSON.stringify(audit)).not.toContain(token);
  });

  it("the name is required and the validity one of the offered; a person holds at most 10 active tokens", async () => {
    const empty = await postForm(s.url, "/settings", { intent: "createToken", tokenName: " ", validity: "90" }, await cookieFor("sara.ek@samsyn.test"));
    expect(empty.status).toBe(400);
    expect(fieldError(empty.text, "tokenName")).toBe("Fyll i fältet.");
    const odd = await postForm(s.url, "/settings", { intent: "createToken", tokenName: "X", validity: "7" }, await cookieFor("sara.ek@samsyn.test"));
    expect(odd.status).toBe(400);
    expect(fieldError(odd.text, "validity")).toBe("Välj en giltighetstid.");

    for (let i = 1; i <= 10; i++) await makeToken("sara.ek@samsyn.test", `Nyckel ${i}`, i % 2 ? "30" : "never");
    const eleventh = await postForm(s.url, "/settings", { intent: "createToken", tokenName: "En för mycket", validity: "90" }, await cookieFor("sara.ek@samsyn.test"));
    expect(eleventh.status).toBe(409);
    expect(textOf(eleventh.text)).toContain("Du har redan 10 aktiva API-nycklar.");
    expect(eleventh.text).not.toMatch(TOKEN);
    const rows = await s.db.selectFrom("api_tokens").select(["expires_at"]).where("user_id", "=", await userId("sara.ek@samsyn.test")).execute();
    expect(rows).toHaveLength(10);
    expect(rows.filter((r) => r.expires_at === null)).toHaveLength(5);
  });

  it("GET /api/v1 with the token answers as with the person's session; last use noted at most once a minute", async () => {
    const session = await cookieFor(MEMBER);
    for (const path of ["/api/v1/me", "/api/v1/councils", `/api/v1/councils/skaraborg/plans/${YEAR}`, "/api/v1/councils/skaraborg/plans", "/api/v1/councils/skaraborg/meetings", "/api/v1/councils/skaraborg/decisions"]) {
      const viaToken = await withToken(path, memberToken);
      const viaSession = await get(s.url, path, session);
      expect(viaToken.status, path).toBe(200);
      expect(viaToken.headers.get("content-type")).toMatch(/^application\/json/);
      expect(JSON.parse(viaToken.text), path).toEqual(JSON.parse(viaSession.text));
    }
    // HEAD reads too.
    expect((await fetch(`${s.url}/api/v1/me`, { method: "HEAD", headers: bearer(memberToken) })).status).toBe(200);
    const csv = await withToken(`/api/v1/councils/skaraborg/plans/${YEAR}/followups.csv`, memberToken);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toMatch(/^text\/csv/);

    const used = await s.db.selectFrom("api_tokens").select("last_used_at").where("token_hash", "=", hashToken(memberToken)).executeTakeFirstOrThrow();
    expect(used.last_used_at).not.toBeNull();
    // Several requests within the minute: one write, the first.
    await withToken("/api/v1/me", memberToken);
    const again = await s.db.selectFrom("api_tokens").select("last_used_at").where("token_hash", "=", hashToken(memberToken)).executeTakeFirstOrThrow();
    expect(again.last_used_at).toBe(used.last_used_at);
    expect(textOf((await get(s.url, "/settings", session)).text)).not.toContain("Aldrig");
  });

  it("another council's API is 404 with the token, as with the session", async () => {
    for (const path of [`/api/v1/councils/fyrbodal/plans/${YEAR}`, "/api/v1/councils/fyrbodal/meetings", "/api/v1/councils/fyrbodal/decisions", "/api/v1/councils/no-such-council/plans"]) {
      const viaToken = await withToken(path, memberToken);
      expect(viaToken.status, path).toBe(404);
      expect(JSON.parse(viaToken.text)).toEqual({ error: "not_found", message: "Not found" });
      expect((await get(s.url, path, await cookieFor(MEMBER))).status, path).toBe(404);
    }
  });

  it("an observer's token sees what the observer sees: no draft meeting, no other council", async () => {
    const { token } = await makeToken(OBSERVER, "Observatörens skript");
    const date = new Date(Date.now() + 21 * 24 * 3600 * 1000).toISOString().slice(0, 10);
    const created = await postForm(
      s.url,
      "/councils/skaraborg/meetings",
      { intent: "create", title: "Utkast till rådsmöte", date, startTime: "09:00", endTime: "11:00", location: "Skövde", videoUrl: "", description: "" },
      await cookieFor(LEADER),
    );
    expect(created.status).toBe(302);
    const draftId = created.headers.get("location")!.split("/").pop()!;
    // The leader sees the draft; the observer does not, with a session or a token.
    expect((await get(s.url, `/api/v1/councils/skaraborg/meetings/${draftId}`, await cookieFor(LEADER))).status).toBe(200);
    expect((await get(s.url, `/api/v1/councils/skaraborg/meetings/${draftId}`, await cookieFor(OBSERVER))).status).toBe(404);
    expect((await withToken(`/api/v1/councils/skaraborg/meetings/${draftId}`, token)).status).toBe(404);
    const list = JSON.parse((await withToken("/api/v1/councils/skaraborg/meetings", token)).text) as { id: string }[];
    expect(list.map((m) => m.id)).not.toContain(draftId);
    expect(list).toEqual(JSON.parse((await get(s.url, "/api/v1/councils/skaraborg/meetings", await cookieFor(OBSERVER))).text));
    expect(JSON.parse((await withToken("/api/v1/me", token)).text).councils).toEqual([{ slug: "skaraborg", name: "Kompetensråd Skaraborg", role: "observer" }]);
    expect((await withToken(`/api/v1/councils/fyrbodal/plans/${YEAR}`, token)).status).toBe(404);
  });

  it("a malformed, unknown or garbage token is 401 with WWW-Authenticate, even beside a valid session cookie", async () => {
    const session = await cookieFor(MEMBER);
    const unknown = `samsyn_pat_${"A".repeat(43)}`;
    for (const authorization of ["Bearer garbage", "Bearer", "Bearer  ", `Bearer ${unknown}`, `Bearer ${memberToken}x`, `Bearer ${memberToken.slice(0, -1)}`, `bearer ${memberToken} extra`]) {
      for (const cookie of [undefined, session]) {
        const res = await get(s.url, "/api/v1/me", cookie, { authorization });
        expect(res.status, authorization).toBe(401);
        expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
        expect(JSON.parse(res.text)).toMatchObject({ error: "unauthorized" });
        expect(res.text).not.toContain("Anders");
      }
    }
    // The scheme is case-insensitive (RFC 7235).
    expect((await get(s.url, "/api/v1/me", undefined, { authorization: `bearer ${memberToken}` })).status).toBe(200);
    // Another scheme (a proxy's Basic) is not ours: the session decides, as before.
    expect((await get(s.url, "/api/v1/me", session, { authorization: "Basic dXNlcjpwYXNz" })).status).toBe(200);
    expect((await get(s.url, "/api/v1/me", undefined, { authorization: "Basic dXNlcjpwYXNz" })).status).toBe(401);
  });

  it("a token opens no page and authorises no form: redirected to login or 401, nothing changes", async () => {
    const me = await userId(MEMBER);
    for (const path of ["/settings", "/councils/skaraborg", `/councils/skaraborg/plans/${YEAR}`, "/"]) {
      const res = await withToken(path, memberToken);
      expect(res.status, path).toBe(302);
      expect(res.headers.get("location")).toMatch(/^\/login\?redirectTo=/);
    }
    const renamed = await postForm(s.url, "/settings", { intent: "name", name: "Token-Anders" }, undefined, bearer(memberToken));
    expect(renamed.status).toBe(302);
    expect(renamed.headers.get("location")).toMatch(/^\/login/);
    const made = await postForm(s.url, "/settings", { intent: "createToken", tokenName: "Via token", validity: "never" }, undefined, bearer(memberToken));
    expect(made.status).toBe(302);
    expect(made.text).not.toMatch(TOKEN);
    expect((await s.db.selectFrom("users").select("name").where("id", "=", me).executeTakeFirstOrThrow()).name).toBe("Anders Johansson");
    expect(await s.db.selectFrom("api_tokens").select("id").where("name", "=", "Via token").execute()).toEqual([]);
    // A JSON POST to an API-style action (attachments) is not a read: the token does not count.
    const meeting = await s.db.selectFrom("meetings").select("id").where("status", "!=", "draft").executeTakeFirstOrThrow();
    const upload = await fetch(`${s.url}/councils/skaraborg/meetings/${meeting.id}/attachments`, {
      method: "POST",
      redirect: "manual",
      headers: { ...bearer(memberToken), accept: "application/json", origin: s.url, "content-type": "application/x-www-form-urlencoded" },
      body: "intent=delete",
    });
    expect(upload.status).toBe(401);
    expect(await upload.json()).toEqual({ error: "unauthorized", message: "Not signed in" });
    // The personal-data export needs a session: a token is refused, clearly.
    const exported = await withToken("/api/v1/me/export", memberToken);
    expect(exported.status).toBe(403);
    expect(JSON.parse(exported.text)).toEqual({ error: "forbidden", message: "This endpoint needs a signed-in session; an API token cannot use it." });
    expect(exported.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope"');
  });

  it("an expired token is 401; one without an end date keeps working", async () => {
    const person = await userId("maria.andersson@samsyn.test");
    const longAgo = new Date(Date.now() - 31 * 24 * 3600 * 1000);
    const expired = await createApiToken(s.db, { userId: person, name: "Gammal", validDays: 30 }, longAgo);
    const forever = await createApiToken(s.db, { userId: person, name: "Utan slut", validDays: null }, longAgo);
    const res = await withToken("/api/v1/me", expired.token);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect((await withToken("/api/v1/me", forever.token)).status).toBe(200);
    // The list says it has expired; expired tokens do not count against the limit.
    const text = textOf((await get(s.url, "/settings", await cookieFor("maria.andersson@samsyn.test"))).text);
    expect(text).toMatch(/Gammal samsyn_pat_\S{4}… .* Gick ut /);
    expect(text).toContain("Ingen sista dag");
  });

  it("a revoked token is 401 at once; only its owner can revoke it; both audited", async () => {
    const { token } = await makeToken(MEMBER, "Tillfällig");
    expect((await withToken("/api/v1/me", token)).status).toBe(200);
    const row = await s.db.selectFrom("api_tokens").select("id").where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();
    // Someone else's token is not found for them, and keeps working.
    const foreign = await postForm(s.url, "/settings", { intent: "revokeToken", tokenId: row.id }, await cookieFor(OBSERVER));
    expect(foreign.status).toBe(404);
    expect(textOf(foreign.text)).toContain("Nyckeln finns inte eller är redan återkallad.");
    expect((await withToken("/api/v1/me", token)).status).toBe(200);

    const revoked = await postForm(s.url, "/settings", { intent: "revokeToken", tokenId: row.id }, await cookieFor(MEMBER));
    expect(revoked.status).toBe(200);
    expect(textOf(revoked.text)).toContain("API-nyckeln ”Tillfällig” är återkallad.");
    const res = await withToken(`/api/v1/councils/skaraborg/plans/${YEAR}`, token);
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe('Bearer error="invalid_token"');
    expect(JSON.parse(res.text).error).toBe("unauthorized");
    // Gone from the list; revoking twice is not found; the other token still works.
    expect(textOf((await get(s.url, "/settings", await cookieFor(MEMBER))).text)).not.toContain("Tillfällig");
    expect((await postForm(s.url, "/settings", { intent: "revokeToken", tokenId: row.id }, await cookieFor(MEMBER))).status).toBe(404);
    expect((await postForm(s.url, "/settings", { intent: "revokeToken", tokenId: "not-an-id" }, await cookieFor(MEMBER))).status).toBe(404);
    expect((await withToken("/api/v1/me", memberToken)).status).toBe(200);

    const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "api_token.revoked").execute();
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({ actor_id: await userId(MEMBER), subject: await userId(MEMBER) });
    expect(JSON.parse(audit[0].before_json!)).toEqual({ name: "Tillfällig" });
    // The installation's audit log reads them in words.
    const log = textOf((await get(s.url, "/admin/audit", await cookieFor("admin@samsyn.test"))).text);
    expect(log).toContain("API-nyckel skapad");
    expect(log).toContain("API-nyckel återkallad");
    expect(log).toContain("gäller till");
    expect(log).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}/);
  });

  it("removed from a council, the person's token is 404 there and still works in their other council", async () => {
    const JOHAN = "johan.nilsson@samsyn.test";
    const { token } = await makeToken(JOHAN, "Regionens rapportverktyg");
    expect((await withToken(`/api/v1/councils/skaraborg/plans/${YEAR}`, token)).status).toBe(200);
    expect((await withToken("/api/v1/councils/fyrbodal/meetings", token)).status).toBe(200);
    const membership = await s.db
      .selectFrom("memberships as m")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select("m.id")
      .where("c.slug", "=", "skaraborg")
      .where("m.user_id", "=", await userId(JOHAN))
      .executeTakeFirstOrThrow();
    expect((await postForm(s.url, "/councils/skaraborg/members", { intent: "remove", membershipId: membership.id }, await cookieFor(LEADER))).status).toBe(200);
    expect((await withToken(`/api/v1/councils/skaraborg/plans/${YEAR}`, token)).status).toBe(404);
    expect((await get(s.url, `/api/v1/councils/skaraborg/plans/${YEAR}`, await cookieFor(JOHAN))).status).toBe(404);
    expect((await withToken("/api/v1/councils/fyrbodal/meetings", token)).status).toBe(200);
  });

  it("the personal-data export lists the tokens by name and dates, never a hash; anonymising removes them", async () => {
    const PER = "per.holm@samsyn.test";
    const { token } = await makeToken(PER, "Mitt skript");
    const exported = await get(s.url, "/api/v1/me/export", await cookieFor(PER));
    expect(exported.status).toBe(200);
    const data = JSON.parse(exported.text) as { apiTokens: Record<string, unknown>[] };
    expect(data.apiTokens).toHaveLength(1);
    expect(data.apiTokens[0]).toMatchObject({ name: "Mitt skript", prefix: token.slice(11, 15), revokedAt: null });
    expect(Object.keys(data.apiTokens[0]).sort()).toEqual(["createdAt", "expiresAt", "lastUsedAt", "name", "prefix", "revokedAt"]);
    expect(exported.text).not.toContain(hashToken(token));
    expect(exported.text).not.toContain(token);

    const per = await userId(PER);
    expect((await postForm(s.url, `/admin/people/${per}`, { confirm: "yes" }, await cookieFor("admin@samsyn.test"))).status).toBe(302);
    expect(await s.db.selectFrom("api_tokens").select("id").where("user_id", "=", per).execute()).toEqual([]);
    expect((await withToken("/api/v1/me", token)).status).toBe(401);
  });
});
