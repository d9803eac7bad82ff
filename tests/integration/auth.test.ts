// Signing in and out over real HTTP: cookies, the generic failure message, the
// lockout, server-side logout, tampered cookies, redirects and the language switch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookiesFrom, get, login, postForm } from "../helpers/http";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";

const GENERIC_FAILURE = "Fel e-postadress eller lösenord.";
const LOCKED_SV = /För många misslyckade försök\. Försök igen om \d+ minuter\./;

/** The raw Set-Cookie header for one cookie name (attributes included). */
function setCookieFor(headers: Headers, name: string): string {
  const found = headers.getSetCookie().find((c) => c.startsWith(`${name}=`));
  if (!found) throw new Error(`no Set-Cookie for ${name}; got ${JSON.stringify(headers.getSetCookie())}`);
  return found;
}

const sessionCount = async (s: TestServer) =>
  Number((await s.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("auth", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  describe("POST /login", () => {
    it("signs in: 302 to / with an HttpOnly, SameSite=Lax session cookie and a session row", async () => {
      const before = await sessionCount(s);
      const res = await postForm(s.url, "/login", { email: "ledamot@samsyn.test", password: DEMO_PASSWORD });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
      const raw = setCookieFor(res.headers, "samsyn_session");
      expect(raw).toMatch(/;\s*HttpOnly/i);
      expect(raw).toMatch(/;\s*SameSite=Lax/i);
      expect(raw).toMatch(/;\s*Path=\//i);
      // The cookie value is "<token>.<signature>", never a bare user id.
      const value = decodeURIComponent(raw.split(";")[0].slice("samsyn_session=".length));
      expect(value).toMatch(/^[^.]+\.[A-Za-z0-9_-]+$/);
      expect(await sessionCount(s)).toBe(before + 1);

      const me = await get(s.url, "/api/v1/me", cookiesFrom(res.headers));
      expect(me.status).toBe(200);
      expect(JSON.parse(me.text).email).toBe("ledamot@samsyn.test");
    });

    it("accepts the e-mail address in any case and with surrounding spaces", async () => {
      const res = await postForm(s.url, "/login", { email: "  LEDAMOT@Samsyn.TEST ", password: DEMO_PASSWORD });
      expect(res.status).toBe(302);
      expect(cookiesFrom(res.headers)).toContain("samsyn_session=");
    });

    it("gives the same generic message and status for a wrong password and an unknown address", async () => {
      const before = await sessionCount(s);
      const wrongPassword = await postForm(s.url, "/login", { email: "observator@samsyn.test", password: "not-the-password" });
      const unknownEmail = await postForm(s.url, "/login", { email: "nobody@samsyn.test", password: "not-the-password" });
      for (const res of [wrongPassword, unknownEmail]) {
        expect(res.status).toBeGreaterThanOrEqual(400);
        expect(res.status).toBeLessThan(500);
        expect(res.text).toContain(GENERIC_FAILURE);
        expect(res.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);
      }
      expect(wrongPassword.status).toBe(unknownEmail.status);
      // The password is never echoed back into the page.
      expect(wrongPassword.text).not.toContain("not-the-password");
      // The typed address is kept in the field.
      expect(unknownEmail.text).toContain('value="nobody@samsyn.test"');
      expect(await sessionCount(s)).toBe(before);
    });

    it("refuses a missing e-mail address with 400 and a Swedish message", async () => {
      const res = await postForm(s.url, "/login", { email: "", password: DEMO_PASSWORD });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Fyll i fältet.");
      expect(res.text).toContain('aria-invalid="true"');
    });

    it("refuses a field that is absent altogether with 400", async () => {
      const res = await postForm(s.url, "/login", { password: DEMO_PASSWORD });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Fyll i fältet.");
    });

    it("refuses a malformed e-mail address with 400 and a Swedish message", async () => {
      const res = await postForm(s.url, "/login", { email: "inte-en-adress", password: DEMO_PASSWORD });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Ange en giltig e-postadress");
      expect(res.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);
    });

    it("refuses a missing password with 400", async () => {
      const res = await postForm(s.url, "/login", { email: "ledamot@samsyn.test", password: "" });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Fyll i fältet.");
    });
  });

  describe("lockout", () => {
    let fresh: TestServer;
    beforeAll(async () => {
      fresh = await startTestServer();
    });
    afterAll(() => fresh?.close());

    it("locks an address after 5 failures, even against the right password, and leaves other addresses alone", async () => {
      const email = "processledare@samsyn.test";
      for (let i = 1; i <= 5; i++) {
        const res = await postForm(fresh.url, "/login", { email, password: `wrong-${i}` });
        expect(res.status, `failure ${i}`).toBe(401);
        expect(res.text).toContain(GENERIC_FAILURE);
      }
      const row = await fresh.db
        .selectFrom("login_throttle")
        .selectAll()
        .where("key", "=", `email:${email}`)
        .executeTakeFirstOrThrow();
      expect(row.failures).toBe(5);
      expect(row.locked_until).not.toBeNull();
      expect(Date.parse(row.locked_until!)).toBeGreaterThan(Date.now());

      const sixth = await postForm(fresh.url, "/login", { email, password: DEMO_PASSWORD });
      expect(sixth.status).toBe(429);
      expect(sixth.text).toMatch(LOCKED_SV);
      expect(Number(sixth.headers.get("retry-after"))).toBeGreaterThan(0);
      expect(sixth.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);

      // The lock follows the address, whatever its case.
      const upper = await postForm(fresh.url, "/login", { email: email.toUpperCase(), password: DEMO_PASSWORD });
      expect(upper.status).toBe(429);

      // Someone else, from the same client address, can still sign in.
      const other = await postForm(fresh.url, "/login", { email: "ledamot@samsyn.test", password: DEMO_PASSWORD });
      expect(other.status).toBe(302);
      expect(cookiesFrom(other.headers)).toContain("samsyn_session=");
    });

    it("clears the failure count after a successful sign-in", async () => {
      const email = "observator@samsyn.test";
      for (let i = 0; i < 4; i++) {
        expect((await postForm(fresh.url, "/login", { email, password: "wrong" })).status).toBe(401);
      }
      await login(fresh.url, email);
      const row = await fresh.db.selectFrom("login_throttle").selectAll().where("key", "=", `email:${email}`).executeTakeFirst();
      expect(row).toBeUndefined();
      // A further failure starts from one again: not locked.
      expect((await postForm(fresh.url, "/login", { email, password: "wrong" })).status).toBe(401);
      expect((await postForm(fresh.url, "/login", { email, password: DEMO_PASSWORD })).status).toBe(302);
    });
  });

  describe("sessions", () => {
    it("POST /logout ends the session on the server: the old cookie no longer works", async () => {
      const cookie = await login(s.url, "johan.nilsson@samsyn.test");
      expect((await get(s.url, "/api/v1/me", cookie)).status).toBe(200);
      const before = await sessionCount(s);

      const out = await postForm(s.url, "/logout", {}, cookie);
      expect(out.status).toBe(302);
      expect(out.headers.get("location")).toBe("/login");
      const cleared = setCookieFor(out.headers, "samsyn_session");
      expect(cleared).toMatch(/Max-Age=0/i);
      expect(await sessionCount(s)).toBe(before - 1);

      // Replaying the old cookie (as a thief would) is refused.
      const me = await get(s.url, "/api/v1/me", cookie);
      expect(me.status).toBe(401);
      expect(JSON.parse(me.text)).toMatchObject({ error: "unauthorized" });
      const home = await get(s.url, "/", cookie);
      expect(home.status).toBe(302);
      expect(home.headers.get("location")).toBe("/login?redirectTo=%2F");
    });

    it("GET /logout changes nothing and goes home", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const res = await get(s.url, "/logout", cookie);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
      expect((await get(s.url, "/api/v1/me", cookie)).status).toBe(200);
    });

    it("treats a cookie with a tampered signature as signed out", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const value = decodeURIComponent(cookie.slice("samsyn_session=".length));
      const dot = value.lastIndexOf(".");
      const token = value.slice(0, dot);
      const sig = value.slice(dot + 1);
      const flipped = (sig[0] === "A" ? "B" : "A") + sig.slice(1);
      const variants = [
        `samsyn_session=${encodeURIComponent(`${token}.${flipped}`)}`, // signature altered
        `samsyn_session=${encodeURIComponent(token)}`, // signature removed
        `samsyn_session=${encodeURIComponent(`${token.slice(0, -1)}${token.endsWith("A") ? "B" : "A"}.${sig}`)}`, // token altered
      ];
      for (const bad of variants) {
        const me = await get(s.url, "/api/v1/me", bad);
        expect(me.status, bad).toBe(401);
        const home = await get(s.url, "/", bad);
        expect(home.status, bad).toBe(302);
        expect(home.headers.get("location")).toBe("/login?redirectTo=%2F");
        // The stale cookie is cleared on the way to the login page.
        expect(setCookieFor(home.headers, "samsyn_session")).toMatch(/Max-Age=0/i);
      }
      // The genuine cookie still works.
      expect((await get(s.url, "/api/v1/me", cookie)).status).toBe(200);
    });

    it("does not accept a session signed with another secret", async () => {
      const other = await startTestServer({ sessionSecret: "another-secret-another-secret-another-secret-42" });
      try {
        const foreign = await login(other.url, "ledamot@samsyn.test");
        expect((await get(s.url, "/api/v1/me", foreign)).status).toBe(401);
      } finally {
        await other.close();
      }
    });

    it("does not accept an expired session", async () => {
      const cookie = await login(s.url, "observator@samsyn.test");
      const user = await s.db.selectFrom("users").select("id").where("email", "=", "observator@samsyn.test").executeTakeFirstOrThrow();
      await s.db
        .updateTable("sessions")
        .set({ expires_at: new Date(Date.now() - 1000).toISOString() })
        .where("user_id", "=", user.id)
        .execute();
      expect((await get(s.url, "/api/v1/me", cookie)).status).toBe(401);
    });
  });

  describe("redirects", () => {
    it("sends a signed-out visitor of a protected page to /login with redirectTo", async () => {
      const res = await get(s.url, "/councils/skaraborg?tab=plan");
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe(`/login?redirectTo=${encodeURIComponent("/councils/skaraborg?tab=plan")}`);
      const home = await get(s.url, "/");
      expect(home.status).toBe(302);
      expect(home.headers.get("location")).toBe("/login?redirectTo=%2F");
    });

    it("carries redirectTo through the login form and honours a same-site path", async () => {
      const page = await get(s.url, `/login?redirectTo=${encodeURIComponent("/councils/skaraborg")}`);
      expect(page.status).toBe(200);
      expect(page.text).toMatch(/name="redirectTo" value="\/councils\/skaraborg"/);

      const res = await postForm(s.url, "/login", {
        email: "ledamot@samsyn.test",
        password: DEMO_PASSWORD,
        redirectTo: "/councils/skaraborg",
      });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/councils/skaraborg");
      const council = await get(s.url, "/councils/skaraborg", cookiesFrom(res.headers));
      expect(council.status).toBe(200);
    });

    it.each(["//evil.example", "https://evil.example", "/\\evil.example", "javascript:alert(1)", "evil.example"])(
      "refuses an open redirect to %s and falls back to /",
      async (target) => {
        const res = await postForm(s.url, "/login", { email: "ledamot@samsyn.test", password: DEMO_PASSWORD, redirectTo: target });
        expect(res.status).toBe(302);
        expect(res.headers.get("location")).toBe("/");
        // The login page itself does not carry the foreign target into its form.
        const page = await get(s.url, `/login?redirectTo=${encodeURIComponent(target)}`);
        expect(page.text).toContain('name="redirectTo" value="/"');
      },
    );

    it("sends an already signed-in visitor of /login onward", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const res = await get(s.url, "/login?redirectTo=%2Fcouncils%2Fskaraborg", cookie);
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/councils/skaraborg");
      const evil = await get(s.url, "/login?redirectTo=%2F%2Fevil.example", cookie);
      expect(evil.headers.get("location")).toBe("/");
    });
  });

  describe("language", () => {
    it("POST /language lang=en sets the cookie, and pages render in English", async () => {
      const sv = await get(s.url, "/login");
      expect(sv.text).toContain('<html lang="sv"');

      const res = await postForm(s.url, "/language", { lang: "en", redirectTo: "/login" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/login");
      const raw = setCookieFor(res.headers, "samsyn_lang");
      expect(raw.split(";")[0]).toBe("samsyn_lang=en");
      expect(raw).toMatch(/;\s*Path=\//i);
      expect(raw).toMatch(/;\s*SameSite=Lax/i);

      const lang = cookiesFrom(res.headers);
      const en = await get(s.url, "/login", lang);
      expect(en.status).toBe(200);
      expect(en.text).toContain('<html lang="en"');
      expect(en.text).toContain("Sign in to reach your competence councils.");
      expect(en.text).not.toContain("Logga in för att komma till dina kompetensråd.");

      // Form errors follow the language too.
      const failed = await postForm(s.url, "/login", { email: "nobody@samsyn.test", password: "x" }, lang);
      expect(failed.text).toContain("Wrong email address or password.");

      // And a signed-in page, with both cookies.
      const session = await login(s.url, "ledamot@samsyn.test");
      const home = await get(s.url, "/", `${session}; ${lang}`);
      expect(home.status).toBe(200);
      expect(home.text).toContain('<html lang="en"');
    });

    it("switches back to Swedish and refuses an unknown language", async () => {
      const back = await postForm(s.url, "/language", { lang: "sv", redirectTo: "/login" }, "samsyn_lang=en");
      expect(back.status).toBe(302);
      expect(setCookieFor(back.headers, "samsyn_lang").split(";")[0]).toBe("samsyn_lang=sv");
      const page = await get(s.url, "/login", cookiesFrom(back.headers));
      expect(page.text).toContain('<html lang="sv"');

      const bad = await postForm(s.url, "/language", { lang: "de", redirectTo: "/login" });
      expect(bad.status).toBe(400);
      expect(bad.headers.get("content-type")).toContain("text/html");
      expect(bad.text).toContain("<h1>Felaktig förfrågan</h1>");
      expect(bad.text).toContain("Okänt värde.");
      expect(bad.headers.getSetCookie().some((c) => c.startsWith("samsyn_lang="))).toBe(false);
    });

    it("does not turn the language switch into an open redirect", async () => {
      const res = await postForm(s.url, "/language", { lang: "en", redirectTo: "//evil.example/x" });
      expect(res.status).toBe(302);
      expect(res.headers.get("location")).toBe("/");
    });
  });
});
