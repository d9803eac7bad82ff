// E-mail for notifications, both ways it can leave: with no SMTP settings every
// mail is written to the outbox folder; with SMTP_URL it goes to a real SMTP
// server process (smtp-server from npm) started here. Immediate mails follow the
// person's choice per kind; the daily digest groups by council, newest first,
// goes out once a day after DIGEST_HOUR and is never sent empty. A mail that
// cannot be delivered stays pending and goes out when the server is back.
import { spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const JOHAN = "johan.nilsson@samsyn.test"; // Skaraborg member and Fyrbodal observer
const FYRBODAL_LEADER = "fyrbodal.processledare@samsyn.test";

const day = (offset: number) => DateTime.now().setZone(ZONE).plus({ days: offset }).toISODate()!;
/** A Stockholm wall-clock time `days` from today, as a Date. */
const stockholmAt = (days: number, hour: number, minute = 0) =>
  DateTime.now().setZone(ZONE).startOf("day").plus({ days }).set({ hour, minute }).toJSDate();

async function waitUntil<T>(what: string, fn: () => Promise<T | undefined | false> | T | undefined | false, timeoutMs = 10_000): Promise<T> {
  const end = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Mail {
  to: string;
  subject: string;
  text: string;
}

async function outbox(dir: string): Promise<Mail[]> {
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
  return Promise.all(
    files.map(async (f) => {
      const m = await simpleParser(fs.readFileSync(path.join(dir, f)));
      return { to: m.to && !Array.isArray(m.to) ? m.to.text : "", subject: m.subject ?? "", text: m.text ?? "" };
    }),
  );
}

/**
 * This file tests delivery itself (who chose what), so everyone starts with meeting
 * notices in the app only; the default, a notice by e-mail for everyone, is
 * meeting-notice.test.ts's.
 */
async function meetingNoticesInApp(s: TestServer) {
  const users = await s.db.selectFrom("users").select("id").execute();
  const kinds = ["meeting_convened", "meeting_moved", "meeting_cancelled"] as const;
  await s.db
    .insertInto("notification_prefs")
    .values(users.flatMap((u) => kinds.map((kind) => ({ user_id: u.id, kind, delivery: "inapp" as const }))))
    .onConflict((oc) => oc.columns(["user_id", "kind"]).doUpdateSet({ delivery: "inapp" }))
    .execute();
}

/** Helpers shared by both transports: sign in, set preferences, convene a meeting. */
function councilOps(get: () => TestServer) {
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(get().url, email));
    return cookies.get(email)!;
  };
  return {
    async prefer(email: string, prefs: Record<string, string>) {
      const fields = Object.fromEntries(Object.entries(prefs).map(([k, v]) => [`pref.${k}`, v]));
      expect((await postForm(get().url, "/settings/notifications", fields, await cookieFor(email))).status).toBe(200);
    },
    async convene(title: string, offsetDays: number, slug = "skaraborg", leader = LEADER): Promise<string> {
      const s = get();
      const created = await postForm(
        s.url,
        `/councils/${slug}/meetings`,
        { intent: "create", title, date: day(offsetDays), startTime: "10:00", endTime: "12:00", location: "Skövde", videoUrl: "", description: "" },
        await cookieFor(leader),
      );
      expect(created.status).toBe(302);
      const id = created.headers.get("location")!.split("/").pop()!;
      expect((await postForm(s.url, `/councils/${slug}/meetings/${id}`, { intent: "convene" }, await cookieFor(leader))).status).toBe(200);
      return id;
    },
  };
}

describe("e-mail without SMTP: the outbox folder", { timeout: 60_000 }, () => {
  let s: TestServer;
  let dir: string;
  const ops = councilOps(() => s);

  beforeAll(async () => {
    s = await startTestServer();
    await meetingNoticesInApp(s);
    dir = path.join(path.dirname(s.dbFile), "outbox");
  });
  afterAll(async () => s?.close());

  it("writes an immediate mail for each person who chose it, and none for anyone else", async () => {
    await ops.prefer(MEMBER, { meeting_convened: "immediate" });
    const id = await ops.convene("Postmöte 1", 20);
    const mails = await waitUntil("the outbox mail", async () => {
      const all = await outbox(dir);
      return all.length ? all : undefined;
    });
    // Give a wrongly sent second mail the chance to show up.
    await s.server.jobs.flushMail();
    expect(await outbox(dir)).toHaveLength(1);
    expect(mails[0].to).toBe(MEMBER);
    expect(mails[0].subject).toMatch(/^Samsyn: Kallelse: Postmöte 1$/);
    expect(mails[0].text).toContain(`http://localhost:${s.port}/councils/skaraborg/meetings/${id}`);
    expect(mails[0].text).toContain(`http://localhost:${s.port}/settings`);
    const row = await s.db
      .selectFrom("notifications as n")
      .innerJoin("users as u", "u.id", "n.user_id")
      .select(["n.email_state", "n.emailed_at"])
      .where("u.email", "=", MEMBER)
      .where("n.params_json", "like", "%Postmöte 1%")
      .executeTakeFirstOrThrow();
    expect(row.email_state).toBe("sent");
    expect(row.emailed_at).not.toBeNull();
    // Everyone else got theirs in-app only.
    const others = await s.db.selectFrom("notifications").select("email_state").where("params_json", "like", "%Postmöte 1%").execute();
    expect(others.filter((o) => o.email_state === "none").length).toBe(others.length - 1);
  });

  it("digest: grouped by council (newest first), after the digest hour, once a day, never empty", async () => {
    await ops.prefer(JOHAN, { meeting_convened: "digest", meeting_cancelled: "digest" });
    const johans = async () => (await outbox(dir)).filter((m) => m.to === JOHAN);
    await ops.convene("Digestmöte S1", 21);
    await new Promise((r) => setTimeout(r, 5));
    await ops.convene("Digestmöte F1", 22, "fyrbodal", FYRBODAL_LEADER);
    await new Promise((r) => setTimeout(r, 5));
    await ops.convene("Digestmöte S2", 23);
    await s.server.jobs.flushMail();
    expect(await johans()).toEqual([]); // digests wait for the morning

    await s.server.jobs.run(stockholmAt(1, 6, 30)); // before 07:00
    expect(await johans()).toEqual([]);
    await s.server.jobs.run(stockholmAt(1, 7, 5));
    const after = await johans();
    expect(after.length).toBe(1);
    const digest = after[0];
    expect(digest.subject).toMatch(/^Samsyn: sammanfattning \d+ \w+ \d{4}$/);
    expect(digest.text).toContain("3 nya meddelanden sedan förra sammanfattningen.");
    const t = digest.text;
    const [skaraborg, fyrbodal] = [t.indexOf("Kompetensråd Skaraborg\n"), t.indexOf("Kompetensråd Fyrbodal\n")];
    expect(skaraborg).toBeGreaterThan(-1);
    expect(fyrbodal).toBeGreaterThan(skaraborg); // Skaraborg has the newest
    const [s1, s2, f1] = ["Digestmöte S1", "Digestmöte S2", "Digestmöte F1"].map((x) => t.indexOf(x));
    expect(s2).toBeGreaterThan(skaraborg);
    expect(s1).toBeGreaterThan(s2); // newest first within a council
    expect(s1).toBeLessThan(fyrbodal);
    expect(f1).toBeGreaterThan(fyrbodal);

    // The same day again, and the next day with nothing new: no mail.
    await s.server.jobs.run(stockholmAt(1, 9, 0));
    await s.server.jobs.run(stockholmAt(2, 7, 5));
    expect((await johans()).length).toBe(1);
    const left = await s.db.selectFrom("notifications").select("id").where("email_state", "=", "digest").execute();
    expect(left).toEqual([]);
  });
});

describe("e-mail through SMTP (a real SMTP server process)", { timeout: 90_000 }, () => {
  let s: TestServer;
  let sink: { child: ChildProcess; port: number; received: { envelopeTo: string[]; to: string; subject: string; text: string }[] };
  const ops = councilOps(() => s);

  function startSink(port = 0): Promise<typeof sink> {
    const child = spawn(process.execPath, [path.resolve("tests/helpers/smtp-sink.mjs"), String(port)], { stdio: ["ignore", "pipe", "inherit"] });
    const received: typeof sink.received = [];
    return new Promise((resolve, reject) => {
      let buf = "";
      const timer = setTimeout(() => reject(new Error("SMTP sink did not start")), 15_000);
      child.stdout!.on("data", (chunk: Buffer) => {
        buf += chunk.toString();
        let nl;
        while ((nl = buf.indexOf("\n")) >= 0) {
          const line = buf.slice(0, nl);
          buf = buf.slice(nl + 1);
          const m = /^listening (\d+)$/.exec(line);
          if (m) {
            clearTimeout(timer);
            resolve({ child, port: Number(m[1]), received });
          } else if (line.trim()) received.push(JSON.parse(line));
        }
      });
    });
  }
  const stopSink = () =>
    new Promise<void>((resolve) => {
      if (sink.child.exitCode !== null) return resolve();
      sink.child.once("exit", () => resolve());
      sink.child.kill("SIGKILL");
    });

  beforeAll(async () => {
    sink = await startSink();
    s = await startTestServer({ mail: { smtpUrl: `smtp://127.0.0.1:${sink.port}`, from: "Samsyn <noreply@samsyn.test>", outboxDir: "/nonexistent/never-used" } });
    await meetingNoticesInApp(s);
  });
  afterAll(async () => {
    await s?.close();
    if (sink) await stopSink();
  });

  it("delivers an immediate mail to the SMTP server, and nothing to the outbox", async () => {
    await ops.prefer(MEMBER, { meeting_convened: "immediate" });
    const id = await ops.convene("SMTP-möte 1", 20);
    const mail = await waitUntil("the SMTP delivery", () => sink.received.find((m) => m.subject.includes("SMTP-möte 1")));
    expect(mail.envelopeTo).toEqual([MEMBER]);
    expect(mail.to).toBe(MEMBER);
    expect(mail.subject).toMatch(/^Samsyn: Kallelse: SMTP-möte 1$/);
    expect(mail.text).toContain(`/councils/skaraborg/meetings/${id}`);
    expect(fs.existsSync("/nonexistent/never-used")).toBe(false);
  });

  it("a mail that cannot be delivered stays pending and goes out when the SMTP server is back", async () => {
    const port = sink.port;
    await stopSink();
    await ops.convene("SMTP-möte 2", 21);
    const row = () =>
      s.db
        .selectFrom("notifications as n")
        .innerJoin("users as u", "u.id", "n.user_id")
        .select(["n.email_state", "n.email_attempts"])
        .where("u.email", "=", MEMBER)
        .where("n.params_json", "like", "%SMTP-möte 2%")
        .executeTakeFirstOrThrow();
    await waitUntil("a failed attempt", async () => (await row()).email_attempts >= 1, 20_000);
    expect((await row()).email_state).toBe("pending");

    sink = await startSink(port);
    await s.server.jobs.flushMail();
    await waitUntil("the late delivery", () => sink.received.find((m) => m.subject.includes("SMTP-möte 2")));
    expect((await row()).email_state).toBe("sent");
  });
});
