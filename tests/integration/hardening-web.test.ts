// Issue #12, the web-facing items, through real HTTP against a real server:
// open redirects (10), CSV formula injection (9), control characters and strict
// numbers in forms (11), the login throttle under a concurrent burst (12), and
// HTTP compression and caching (16).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cookiesFrom, get, login, postForm } from "../helpers/http";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";

const sessionCount = async (s: TestServer) =>
  Number((await s.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("hardening (web)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s?.close());

  describe("item 10: redirects stay on our origin", () => {
    // Each value as the form field holds it (after form decoding).
    const NASTY = [
      "/%09/evil.example",
      "/\t/evil.example",
      "/\\evil.example",
      "/\\/evil.example",
      "//evil.example",
      "///evil.example",
      "/.//evil.example",
      "/..//evil.example",
      "https://evil.example",
      "/\n/evil.example",
      "/\r/evil.example",
      "/\r\n/evil.example",
      "/x\nSet-Cookie: a=b",
      " //evil.example",
      "\t//evil.example",
      "javascript:alert(1)",
      "/javascript:alert(1)",
    ];
    /** Where a browser goes with this Location header, resolved as a browser does. */
    const landsOn = (location: string | null) => new URL(location ?? "", s.url);
    const ours = () => new URL(s.url).origin;

    it.each(NASTY)("POST /login with redirectTo=%j lands on our origin, never 500", async (target) => {
      const before = await sessionCount(s);
      const res = await postForm(s.url, "/login", { email: "ledamot@samsyn.test", password: DEMO_PASSWORD, redirectTo: target });
      expect(res.status).toBe(302);
      const location = res.headers.get("location");
      expect(landsOn(location).origin).toBe(ours());
      expect(location).toMatch(/^\/(?![/\\])/);
      expect(location).not.toMatch(/[\u0000-\u001f\u007f]/);
      expect(await sessionCount(s)).toBe(before + 1);
    });

    it.each(NASTY)("POST /language with redirectTo=%j lands on our origin, never 500", async (target) => {
      const res = await postForm(s.url, "/language", { lang: "en", redirectTo: target });
      expect(res.status).toBe(302);
      expect(landsOn(res.headers.get("location")).origin).toBe(ours());
      expect(res.headers.get("location")).toMatch(/^\/(?![/\\])/);
    });

    it("a signed-in visitor of /login?redirectTo=… is sent onward on our origin only", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      for (const target of NASTY) {
        const res = await get(s.url, `/login?redirectTo=${encodeURIComponent(target)}`, cookie);
        expect(res.status, target).toBe(302);
        expect(landsOn(res.headers.get("location")).origin, target).toBe(ours());
      }
    });

    it("still honours a same-site path with its query and fragment", async () => {
      const res = await postForm(s.url, "/login", { email: "ledamot@samsyn.test", password: DEMO_PASSWORD, redirectTo: "/councils/skaraborg?tab=plan#x" });
      expect(res.headers.get("location")).toBe("/councils/skaraborg?tab=plan#x");
      const lang = await postForm(s.url, "/language", { lang: "sv", redirectTo: "/login" });
      expect(lang.headers.get("location")).toBe("/login");
      expect(cookiesFrom(lang.headers)).toContain("samsyn_lang=sv");
    });
  });
});
