// Security properties seen from outside: cross-site refusal, body limits, malformed
// bodies, headers and CSP nonces, 404s, and the WebSocket upgrade paths.
import http from "node:http";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import WebSocket from "ws";
import { get, login, postForm } from "../helpers/http";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";

interface RawResult {
  status: number;
  headers: http.IncomingHttpHeaders;
  text: string;
}

/**
 * A request with exactly the headers given (fetch adds its own, e.g. Content-Length
 * and Sec-Fetch-*), optionally declaring a body it never sends.
 */
function raw(
  base: string,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer; sendBody?: boolean },
): Promise<RawResult> {
  const url = new URL(opts.path, base);
  return new Promise((resolve, reject) => {
    const req = http.request(
      { method: opts.method ?? "POST", host: url.hostname, port: url.port, path: url.pathname + url.search, headers: opts.headers, agent: false },
      (res) => {
        const chunks: Buffer[] = [];
        res.on("data", (c: Buffer) => chunks.push(c));
        res.on("end", () => {
          req.destroy();
          resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString("utf8") });
        });
        res.on("error", reject);
      },
    );
    req.on("error", reject);
    if (opts.sendBody === false) {
      req.flushHeaders();
      return;
    }
    req.end(opts.body);
  });
}

const count = async (s: TestServer, table: "sessions" | "login_throttle" | "audit_log") =>
  Number((await s.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

async function membershipOf(s: TestServer, email: string, slug = "skaraborg") {
  return s.db
    .selectFrom("memberships as m")
    .innerJoin("users as u", "u.id", "m.user_id")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .select(["m.id", "m.role", "m.valid_from", "m.valid_to"])
    .where("u.email", "=", email)
    .where("c.slug", "=", slug)
    .executeTakeFirstOrThrow();
}

type WsOutcome =
  | { kind: "open" }
  | { kind: "close"; code: number; reason: string }
  | { kind: "unexpected-response"; status: number }
  | { kind: "error"; message: string };

/** Connect with `ws` and report what happened first that settles it; fails after 5 s. */
function wsAttempt(url: string, headers: Record<string, string> = {}): Promise<{ outcome: WsOutcome; opened: boolean }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    let opened = false;
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error(`no outcome for ${url} within 5 s`));
    }, 5_000);
    const done = (outcome: WsOutcome) => {
      clearTimeout(timer);
      resolve({ outcome, opened });
    };
    ws.on("open", () => {
      opened = true; // a close follows for refused documents; the handshake itself may succeed
    });
    ws.on("close", (code, reason) => done({ kind: "close", code, reason: reason.toString() }));
    ws.on("unexpected-response", (_req, res) => {
      done({ kind: "unexpected-response", status: res.statusCode ?? 0 });
      res.resume();
      ws.terminate();
    });
    ws.on("error", (err) => {
      if (!opened) done({ kind: "error", message: err.message });
    });
  });
}

describe("security", () => {
  let s: TestServer;
  let wsBase: string;
  beforeAll(async () => {
    s = await startTestServer();
    wsBase = s.url.replace(/^http/, "ws");
  });
  afterAll(() => s?.close());

  describe("cross-site requests", () => {
    const CROSS_SITE = "Förfrågan avvisades eftersom den kom från en annan webbplats.";

    it("refuses a cross-site POST /login (Origin: https://evil.example) and creates no session", async () => {
      const [sessions, throttle] = [await count(s, "sessions"), await count(s, "login_throttle")];
      const res = await postForm(
        s.url,
        "/login",
        { email: "ledamot@samsyn.test", password: DEMO_PASSWORD },
        undefined,
        { origin: "https://evil.example" },
      );
      expect(res.status).toBe(403);
      expect(res.text).toBe(CROSS_SITE);
      expect(res.headers.getSetCookie()).toEqual([]);
      expect(await count(s, "sessions")).toBe(sessions);
      expect(await count(s, "login_throttle")).toBe(throttle);
    });

    it("refuses a cross-site POST to a council action and writes nothing; the same post from our origin works", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const before = await membershipOf(s, "sara.ek@samsyn.test");
      expect(before.role).toBe("member");
      const audits = await count(s, "audit_log");
      const form = { intent: "changeRole", membershipId: before.id, role: "observer", validFrom: "", validTo: "" };

      for (const headers of [
        { origin: "https://evil.example" },
        { origin: "http://127.0.0.1.evil.example" },
        { origin: "null" },
        { origin: s.url.replace("http://", "https://") }, // same host, other scheme
      ]) {
        const res = await postForm(s.url, "/councils/skaraborg/members", form, leader, headers);
        expect(res.status, JSON.stringify(headers)).toBe(403);
        expect(res.text).toBe(CROSS_SITE);
      }
      expect((await membershipOf(s, "sara.ek@samsyn.test")).role).toBe("member");
      expect(await count(s, "audit_log")).toBe(audits);

      // Positive control: the identical form from our own origin is accepted and recorded.
      const ok = await postForm(s.url, "/councils/skaraborg/members", form, leader);
      expect(ok.status).toBe(200);
      expect((await membershipOf(s, "sara.ek@samsyn.test")).role).toBe("observer");
      expect(await count(s, "audit_log")).toBe(audits + 1);
    });

    it("refuses Sec-Fetch-Site: cross-site when there is no Origin header", async () => {
      const sessions = await count(s, "sessions");
      const body = new URLSearchParams({ email: "ledamot@samsyn.test", password: DEMO_PASSWORD }).toString();
      const headers = { "content-type": "application/x-www-form-urlencoded", "content-length": String(Buffer.byteLength(body)) };
      const res = await raw(s.url, { path: "/login", headers: { ...headers, "sec-fetch-site": "cross-site" }, body });
      expect(res.status).toBe(403);
      expect(res.text).toBe(CROSS_SITE);
      expect(res.headers["set-cookie"]).toBeUndefined();
      expect(await count(s, "sessions")).toBe(sessions);

      // Control: the same request marked same-origin (or with no fetch metadata, like curl) is let through.
      const same = await raw(s.url, { path: "/login", headers: { ...headers, "sec-fetch-site": "same-origin" }, body });
      expect(same.status).toBe(302);
      const plain = await raw(s.url, { path: "/login", headers, body });
      expect(plain.status).toBe(302);
      expect(await count(s, "sessions")).toBe(sessions + 2);
    });

    it("answers the refusal in English for an English reader", async () => {
      const res = await postForm(s.url, "/logout", {}, "samsyn_lang=en", { origin: "https://evil.example" });
      expect(res.status).toBe(403);
      expect(res.text).toBe("Request refused: it came from another site.");
    });

    it("a cross-site POST /logout does not end the session", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const res = await postForm(s.url, "/logout", {}, cookie, { origin: "https://evil.example" });
      expect(res.status).toBe(403);
      expect((await get(s.url, "/api/v1/me", cookie)).status).toBe(200);
    });
  });

  describe("request bodies", () => {
    it("refuses a body declared larger than 512 KiB with 413 and a message, before reading it", async () => {
      const sessions = await count(s, "sessions");
      const res = await raw(s.url, {
        path: "/login",
        headers: {
          "content-type": "application/x-www-form-urlencoded",
          "content-length": String(512 * 1024 + 1),
          origin: s.url,
        },
        sendBody: false,
      });
      expect(res.status).toBe(413);
      expect(res.headers["content-type"]).toMatch(/^text\/plain/);
      expect(res.text).toBe("Förfrågan är för stor.");
      expect(await count(s, "sessions")).toBe(sessions);
    });

    it("refuses a real oversized form post with 413", async () => {
      const res = await raw(s.url, {
        path: "/login",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: s.url, "content-length": String(600 * 1024) },
        body: Buffer.alloc(600 * 1024, "a"),
      });
      expect(res.status).toBe(413);
      expect(res.text).toBe("Förfrågan är för stor.");
    });

    it("accepts a body of exactly 512 KiB as far as the size check goes", async () => {
      const filler = "x".repeat(512 * 1024 - "email=&password=&pad=".length);
      const body = `email=&password=&pad=${filler}`;
      expect(Buffer.byteLength(body)).toBe(512 * 1024);
      const res = await raw(s.url, {
        path: "/login",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: s.url, "content-length": String(Buffer.byteLength(body)) },
        body,
      });
      // Through the limit, and refused by validation instead.
      expect(res.status).toBe(400);
      expect(res.text).toContain("Fyll i fältet.");
    });

    it("refuses a chunked body without a length with 411", async () => {
      const res = await raw(s.url, {
        path: "/login",
        headers: { "content-type": "application/x-www-form-urlencoded", origin: s.url, "transfer-encoding": "chunked" },
        body: "email=a%40b.se&password=x",
      });
      expect(res.status).toBe(411);
      expect(res.text).toBe("Förfrågan saknar längduppgift.");
    });

    it("answers a malformed multipart body with 400 and a message, not 500", async () => {
      const body = "--XYZ\r\nthis is not a part header\r\n\r\ngarbage without a closing boundary";
      const res = await raw(s.url, {
        path: "/login",
        headers: {
          "content-type": "multipart/form-data; boundary=XYZ",
          "content-length": String(Buffer.byteLength(body)),
          origin: s.url,
        },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.headers["content-type"]).toMatch(/^text\/html/);
      expect(res.text).toContain("Formuläret kunde inte läsas. Försök igen.");
    });

    it("answers a multipart body with no boundary, and one with a file, with 400", async () => {
      const noBoundary = await raw(s.url, {
        path: "/login",
        headers: { "content-type": "multipart/form-data", "content-length": "5", origin: s.url },
        body: "hello",
      });
      expect(noBoundary.status).toBe(400);
      expect(noBoundary.text).toContain("Formuläret kunde inte läsas.");

      const fd = new FormData();
      fd.set("email", "ledamot@samsyn.test");
      fd.set("password", new Blob(["samsyn-demo"]), "password.txt");
      const withFile = await fetch(`${s.url}/login`, { method: "POST", body: fd, redirect: "manual", headers: { origin: s.url } });
      expect(withFile.status).toBe(400);
      expect(await withFile.text()).toContain("Formuläret kunde inte läsas.");
    });

    it("answers a malformed multipart body to a council action with 400 and changes nothing", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const audits = await count(s, "audit_log");
      const body = "--B\r\nContent-Disposition: form-data; name=\"intent\"\r\n\r\nremove";
      const res = await raw(s.url, {
        path: "/councils/skaraborg/members",
        headers: {
          "content-type": "multipart/form-data; boundary=B",
          "content-length": String(Buffer.byteLength(body)),
          origin: s.url,
          cookie: leader,
        },
        body,
      });
      expect(res.status).toBe(400);
      expect(res.text).toContain("Formuläret kunde inte läsas.");
      expect(await count(s, "audit_log")).toBe(audits);
    });
  });

  describe("headers and pages", () => {
    const cspOf = (headers: Headers) => {
      const csp = headers.get("content-security-policy");
      if (!csp) throw new Error("no Content-Security-Policy header");
      return Object.fromEntries(
        csp
          .split(";")
          .map((d) => d.trim().split(/\s+/))
          .filter((p) => p[0])
          .map(([name, ...values]) => [name, values]),
      ) as Record<string, string[]>;
    };

    it("sends the security headers, with a per-request nonce and no 'unsafe-inline' scripts", async () => {
      const a = await get(s.url, "/login");
      const b = await get(s.url, "/login");
      expect(a.status).toBe(200);
      const csp = cspOf(a.headers);
      const nonces = csp["script-src"].filter((v) => v.startsWith("'nonce-"));
      expect(nonces).toHaveLength(1);
      expect(nonces[0]).toMatch(/^'nonce-[A-Za-z0-9+/]{22}==?'$/);
      expect(csp["script-src"]).toContain("'self'");
      expect(csp["script-src"]).not.toContain("'unsafe-inline'");
      expect(csp["script-src"]).not.toContain("'unsafe-eval'");
      expect(csp["default-src"]).toEqual(["'self'"]);
      expect(csp["frame-ancestors"]).toEqual(["'none'"]);
      expect(csp["object-src"]).toEqual(["'none'"]);
      expect(csp["form-action"]).toEqual(["'self'"]);
      expect(csp["base-uri"]).toEqual(["'self'"]);
      // A fresh nonce each time.
      expect(cspOf(b.headers)["script-src"]).not.toEqual(csp["script-src"]);

      expect(a.headers.get("x-content-type-options")).toBe("nosniff");
      expect(a.headers.get("x-frame-options")).toBe("SAMEORIGIN");
      // No referrer (which may carry an invite token) is sent to other sites.
      expect(["no-referrer", "same-origin"]).toContain(a.headers.get("referrer-policy"));
      expect(a.headers.get("x-powered-by")).toBeNull();
    });

    it("puts the header's nonce on every inline script of a rendered page", async () => {
      const cookie = await login(s.url, "processledare@samsyn.test");
      for (const [path, c] of [
        ["/login", undefined],
        ["/", cookie],
        ["/councils/skaraborg", cookie],
        ["/councils/skaraborg/members", cookie],
        ["/no-such-page", undefined],
      ] as const) {
        const page = await get(s.url, path, c);
        expect(page.headers.get("content-type"), path).toMatch(/^text\/html/);
        const nonce = /'nonce-([^']+)'/.exec(page.headers.get("content-security-policy") ?? "")?.[1];
        expect(nonce, path).toBeTruthy();
        const scripts = [...page.text.matchAll(/<script\b([^>]*)>/gi)].map((m) => m[1]);
        const inline = scripts.filter((attrs) => !/\ssrc=/i.test(attrs));
        expect(inline.length, `${path}: inline scripts`).toBeGreaterThan(0);
        for (const attrs of inline) {
          expect(attrs, `${path}: <script${attrs}>`).toContain(`nonce="${nonce}"`);
        }
      }
    });

    it("serves a real 404 page for an unknown route, in the reader's language", async () => {
      const res = await get(s.url, "/this/does/not/exist");
      expect(res.status).toBe(404);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.text).toContain('<html lang="sv"');
      expect(res.text).toContain("Sidan finns inte");
      expect(res.text).toContain("Kontrollera adressen, eller gå till dina råd.");

      const en = await get(s.url, "/this/does/not/exist", "samsyn_lang=en");
      expect(en.status).toBe(404);
      expect(en.text).toContain("Page not found");

      const post = await postForm(s.url, "/this/does/not/exist", { a: "b" });
      expect(post.status).toBe(404);
    });

    it("answers 404, not 403, for a council the person is not in", async () => {
      const cookie = await login(s.url, "ledamot.fyrbodal@samsyn.test");
      const other = await get(s.url, "/councils/skaraborg", cookie);
      const missing = await get(s.url, "/councils/no-such-council", cookie);
      expect(other.status).toBe(404);
      expect(missing.status).toBe(404);
      expect(other.text).toContain("Sidan finns inte");
    });

    it("refuses a council action by a member who may not manage members, and writes nothing", async () => {
      const member = await login(s.url, "ledamot@samsyn.test");
      const target = await membershipOf(s, "per.holm@samsyn.test");
      const audits = await count(s, "audit_log");
      const res = await postForm(
        s.url,
        "/councils/skaraborg/members",
        { intent: "remove", membershipId: target.id },
        member,
      );
      expect(res.status).toBe(403);
      expect((await membershipOf(s, "per.holm@samsyn.test")).id).toBe(target.id);
      expect(await count(s, "audit_log")).toBe(audits);
    });
  });

  describe("WebSocket upgrades", () => {
    it("refuses an upgrade on an unknown path with 404 and never opens", async () => {
      const { outcome, opened } = await wsAttempt(`${wsBase}/not-a-socket`, { origin: s.url });
      expect(opened).toBe(false);
      expect(outcome).toEqual({ kind: "unexpected-response", status: 404 });
    });

    it("refuses an upgrade on an unknown path even with a valid session", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const { outcome, opened } = await wsAttempt(`${wsBase}/api/v1/me`, { cookie, origin: s.url });
      expect(opened).toBe(false);
      expect(outcome).toEqual({ kind: "unexpected-response", status: 404 });
    });

    it("closes /yjs/plan:xyz with 4401 without a session cookie", async () => {
      const { outcome } = await wsAttempt(`${wsBase}/yjs/plan:xyz`, { origin: s.url });
      expect(outcome).toMatchObject({ kind: "close", code: 4401 });
    });

    it("closes /yjs/plan:xyz with 4401 for a tampered cookie", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const { outcome } = await wsAttempt(`${wsBase}/yjs/plan:xyz`, { origin: s.url, cookie: `${cookie}x` });
      expect(outcome).toMatchObject({ kind: "close", code: 4401 });
    });

    it("closes /yjs/plan:xyz with 4404 (unknown document) for a signed-in person", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const { outcome } = await wsAttempt(`${wsBase}/yjs/plan:xyz`, { origin: s.url, cookie });
      expect(outcome).toEqual({ kind: "close", code: 4404, reason: "Unknown document" });
    });

    it("closes a malformed Yjs document name with 4400", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const { outcome } = await wsAttempt(`${wsBase}/yjs/${encodeURIComponent("../../etc/passwd")}`, { origin: s.url, cookie });
      expect(outcome).toMatchObject({ kind: "close", code: 4400 });
    });

    it("refuses a cross-site Yjs upgrade with 403 before any handshake", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const { outcome, opened } = await wsAttempt(`${wsBase}/yjs/plan:xyz`, { origin: "https://evil.example", cookie });
      expect(opened).toBe(false);
      expect(outcome).toEqual({ kind: "unexpected-response", status: 403 });
    });
  });
});
