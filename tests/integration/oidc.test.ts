// Single sign-on (issue #16) against a real OpenID provider (`oidc-provider`, started
// here on a loopback port): a known person signs in; a person with an invitation
// joins; an unknown or unverified address is refused; a tampered state, a replayed
// callback and a cancelled sign-in get a clear page and no session; logout goes on to
// the provider. Without OIDC_* the route does not exist and the button is not shown.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { textOf } from "../helpers/html";
import { cookiesFrom, get, postForm } from "../helpers/http";
import { startTestProvider, throughProvider, type TestProvider } from "../helpers/oidc-provider";
import { startTestServer, type TestServer } from "../helpers/server";

describe("single sign-on with OpenID Connect", { timeout: 60_000 }, () => {
  let idp: TestProvider;
  let s: TestServer;

  beforeAll(async () => {
    idp = await startTestProvider({
      "vgr-1001": { email: "Ledamot@Samsyn.test", email_verified: true, name: "Anders Johansson" },
      "vgr-1002": { email: "okand.person@vgregion.se", email_verified: true, name: "Okänd Person" },
      "vgr-1003": { email: "observator@samsyn.test", email_verified: false, name: "Eva Berg" },
      "vgr-1004": { email: "nyanstalld@vgregion.se", email_verified: true, name: "Nyanställd Nilsson" },
    });
    s = await startTestServer({ oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: "Västra Götalandsregionen" } });
    idp.registerClient(s.url);
  });
  afterAll(async () => {
    await s?.close();
    await idp?.close();
  });

  /** Start at /auth/oidc, pass the provider as `login`, and return the callback URL with Samsyn's flow cookie. */
  async function toCallback(login: string, redirectTo = "/") {
    const start = await get(s.url, `/auth/oidc?redirectTo=${encodeURIComponent(redirectTo)}`);
    expect(start.status).toBe(302);
    const authUrl = new URL(start.headers.get("location")!);
    expect(authUrl.origin).toBe(idp.issuer);
    expect(authUrl.searchParams.get("code_challenge_method")).toBe("S256");
    expect(authUrl.searchParams.get("state")).toBeTruthy();
    expect(authUrl.searchParams.get("nonce")).toBeTruthy();
    const callback = await throughProvider(authUrl.href, idp.issuer, login);
    expect(callback.startsWith(`${s.url}/auth/oidc/callback?`)).toBe(true);
    return { callback, flowCookie: cookiesFrom(start.headers) };
  }
  const callbackPath = (url: string) => url.slice(s.url.length);
  const me = async (cookie: string) => get(s.url, "/api/v1/me", cookie);
  const count = async (table: "users" | "sessions" | "memberships" | "user_identities") =>
    Number((await s.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

  it("the login page offers 'Logga in med Västra Götalandsregionen' next to the password form", async () => {
    const page = textOf((await get(s.url, "/login")).text);
    expect(page).toContain("Logga in med Västra Götalandsregionen");
    expect(page).toContain("eller med e-post och lösenord");
  });

  it("a known person signs in through the provider, lands where they were going, and the subject is remembered", async () => {
    const { callback, flowCookie } = await toCallback("vgr-1001", "/councils/skaraborg");
    const res = await get(s.url, callbackPath(callback), flowCookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/councils/skaraborg");
    const session = cookiesFrom(res.headers);
    const who = await me(session);
    expect(who.status).toBe(200);
    expect(JSON.parse(who.text).email).toBe("ledamot@samsyn.test");
    const identity = await s.db.selectFrom("user_identities").selectAll().where("subject", "=", "vgr-1001").executeTakeFirstOrThrow();
    expect(identity.issuer).toBe(idp.issuer);
    const audit = await s.db.selectFrom("audit_log").selectAll().where("action", "=", "user.sso_linked").where("subject", "=", identity.user_id).execute();
    expect(audit).toHaveLength(1);

    // The same callback again (a replay, even with the flow cookie kept): refused, no new session.
    const sessions = await count("sessions");
    const replay = await get(s.url, callbackPath(callback), flowCookie);
    expect(replay.status).toBe(400);
    expect(textOf(replay.text)).toContain("Inloggningen kunde inte slutföras");
    expect(await count("sessions")).toBe(sessions);

    // The provider's address changes: the subject still reaches the same person; no second link.
    idp.accounts.get("vgr-1001")!.email = "anders.johansson@vgregion.se";
    const again = await toCallback("vgr-1001");
    const res2 = await get(s.url, callbackPath(again.callback), again.flowCookie);
    expect(res2.status).toBe(302);
    expect(JSON.parse((await me(cookiesFrom(res2.headers))).text).email).toBe("ledamot@samsyn.test");
    expect(await s.db.selectFrom("user_identities").select("id").where("subject", "=", "vgr-1001").execute()).toHaveLength(1);
  });

  it("an address Samsyn does not know is refused with a clear message, and no account is made", async () => {
    const users = await count("users");
    const { callback, flowCookie } = await toCallback("vgr-1002");
    const res = await get(s.url, callbackPath(callback), flowCookie);
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("Det finns inget konto för okand.person@vgregion.se i Samsyn. Be rådets processledare om en inbjudan.");
    expect(cookiesFrom(res.headers)).not.toContain("samsyn_session=");
    expect(await count("users")).toBe(users);
  });

  it("an address the provider has not verified is refused, even for a known person", async () => {
    const { callback, flowCookie } = await toCallback("vgr-1003");
    const res = await get(s.url, callbackPath(callback), flowCookie);
    expect(res.status).toBe(403);
    expect(textOf(res.text)).toContain("har inte bekräftat din e-postadress");
    expect(await s.db.selectFrom("user_identities").select("id").where("subject", "=", "vgr-1003").execute()).toEqual([]);
  });

  it("a person with a valid invitation joins the council by signing in", async () => {
    const leader = await postForm(s.url, "/login", { email: "processledare@samsyn.test", password: "samsyn-demo" });
    const invite = await postForm(
      s.url,
      "/councils/skaraborg/members",
      { intent: "invite", email: "nyanstalld@vgregion.se", role: "member", organisation: "Västra Götalandsregionen", perspective: "region" },
      cookiesFrom(leader.headers),
    );
    expect(invite.status).toBe(200);
    const { callback, flowCookie } = await toCallback("vgr-1004");
    const res = await get(s.url, callbackPath(callback), flowCookie);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe("/councils/skaraborg");
    const who = JSON.parse((await me(cookiesFrom(res.headers))).text);
    expect(who).toMatchObject({ name: "Nyanställd Nilsson", email: "nyanstalld@vgregion.se" });
    expect(who.councils).toEqual([{ slug: "skaraborg", name: "Kompetensråd Skaraborg", role: "member" }]);
    const inv = await s.db.selectFrom("invitations").select(["accepted_at"]).where("email", "=", "nyanstalld@vgregion.se").executeTakeFirstOrThrow();
    expect(inv.accepted_at).not.toBeNull();
    // No usable password came with it: signing in with any password fails.
    expect((await postForm(s.url, "/login", { email: "nyanstalld@vgregion.se", password: "!sso" })).status).toBe(401);
  });

  it("a tampered state, a missing flow cookie and a cancelled sign-in get 400 pages, never a session", async () => {
    const sessions = await count("sessions");
    const { callback, flowCookie } = await toCallback("vgr-1001");
    const tampered = new URL(callback);
    tampered.searchParams.set("state", "forged-state-value");
    const bad = await get(s.url, callbackPath(tampered.href), flowCookie);
    expect(bad.status).toBe(400);
    expect(textOf(bad.text)).toContain("Inloggningen kunde inte slutföras");
    const noCookie = await get(s.url, callbackPath(callback));
    expect(noCookie.status).toBe(400);
    const forgedCookie = await get(s.url, callbackPath(callback), flowCookie.replace(/samsyn_oidc_flow=([^.;]+)\.[^;]+/, "samsyn_oidc_flow=$1.AAAA"));
    expect(forgedCookie.status).toBe(400);
    const cancelled = await get(s.url, "/auth/oidc/callback?error=access_denied&state=x", flowCookie);
    expect(cancelled.status).toBe(400);
    expect(textOf(cancelled.text)).toContain("Inloggningen avbröts hos identitetsleverantören.");
    expect(await count("sessions")).toBe(sessions);
  });

  it("signing out ends the session here and sends the browser on to the provider's logout", async () => {
    idp.accounts.get("vgr-1001")!.email = "ledamot@samsyn.test";
    const { callback, flowCookie } = await toCallback("vgr-1001");
    const signedIn = await get(s.url, callbackPath(callback), flowCookie);
    const cookies = cookiesFrom(signedIn.headers);
    expect(cookies).toContain("samsyn_oidc_logout=");
    const out = await postForm(s.url, "/logout", {}, cookies);
    expect(out.status).toBe(302);
    const to = new URL(out.headers.get("location")!);
    expect(to.origin).toBe(idp.issuer);
    expect(to.searchParams.get("id_token_hint")).toBeTruthy();
    expect(to.searchParams.get("post_logout_redirect_uri")).toBe(`${s.url}/login`);
    expect((await me(cookies)).status).toBe(401);
  });
});

describe("without OIDC_* set", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("/auth/oidc is 404 and the login page has only the password form", async () => {
    expect((await get(s.url, "/auth/oidc")).status).toBe(404);
    expect((await get(s.url, "/auth/oidc/callback?code=x&state=y")).status).toBe(404);
    expect(textOf((await get(s.url, "/login")).text)).not.toContain("Logga in med");
  });
});
