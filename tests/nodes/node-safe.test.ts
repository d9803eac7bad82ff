// Background work runs once across nodes, and starting is safe with several nodes
// (issue #14, docs/decisions/037-background-work-across-nodes.md). Two (or three)
// real servers share one fresh PostgreSQL database and one Redis
// (tests/helpers/server.ts startTestCluster); each writes its mail to its own outbox
// folder, and the tests count the mails in all of them.
import { spawn } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import os from "node:os";
import path from "node:path";
import { DateTime } from "luxon";
import { simpleParser } from "mailparser";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { migrateToLatest, openDb, type Db } from "../../db";
import { LOCK } from "../../db/locks";
import { seedDemoOnce } from "../../db/seed";
import { claimDigestDay } from "../../server/jobs";
import { LEASE_MS } from "../../server/mail/delivery";
import { notify } from "../../server/domain/notifications";
import { ZONE } from "../../server/domain/time";
import { createTestDatabase, dropDatabase, testRedisUrl } from "../helpers/pg";
import { startTestCluster, startTestServer, type TestCluster, type TestServer } from "../helpers/server";

const MEMBER = "ledamot@samsyn.test";

/** A Stockholm wall-clock time `days` from today, as a Date. */
const stockholmAt = (days: number, hour: number, minute = 0) =>
  DateTime.now().setZone(ZONE).startOf("day").plus({ days }).set({ hour, minute }).toJSDate();

interface Mail {
  to: string;
  subject: string;
  node: string;
}

/** Every mail every node wrote to its outbox folder. */
async function outboxes(nodes: TestServer[]): Promise<Mail[]> {
  const out: Mail[] = [];
  for (const n of nodes) {
    const dir = path.join(path.dirname(n.dbFile), "outbox");
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir).filter((f) => f.endsWith(".eml"))) {
      const m = await simpleParser(fs.readFileSync(path.join(dir, f)));
      out.push({ to: m.to && !Array.isArray(m.to) ? m.to.text : "", subject: m.subject ?? "", node: n.url });
    }
  }
  return out;
}

/** One "meeting cancelled" notification per person (title `marker`), set to `state`. */
async function notifyAll(db: Db, marker: string, userIds: string[], state: "pending" | "digest", createdAt = new Date()): Promise<void> {
  const council = await db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
  await notify(db, { kind: "meeting_cancelled", councilId: council.id, recipients: userIds, params: { title: marker }, path: "meetings" }, createdAt);
  await db.updateTable("notifications").set({ email_state: state }).where("params_json", "like", `%"${marker}"%`).execute();
}

const userId = async (db: Db, email: string) => (await db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;

/** Hold the jobs lock from a connection of our own, as a node in the middle of a run would. */
async function holdJobsLock(databaseUrl: string): Promise<{ release(): Promise<void> }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  await client.query("begin");
  await client.query("select pg_advisory_xact_lock($1)", [LOCK.jobs]);
  return {
    async release() {
      await client.query("commit");
      await client.end();
    },
  };
}

describe("background work across two nodes on PostgreSQL", { timeout: 90_000 }, () => {
  let c: TestCluster;
  let a: TestServer;
  let b: TestServer;
  let people: { id: string; email: string }[];

  beforeAll(async () => {
    c = await startTestCluster(2);
    [a, b] = c.nodes;
    people = (await a.db.selectFrom("users").select(["id", "email"]).where("email", "is not", null).where("anonymised_at", "is", null).orderBy("email").execute()).map(
      (p) => ({ id: p.id, email: p.email! }),
    );
  });
  afterAll(async () => c?.close());

  it("two nodes running jobs at the same moment mail each notification once and one digest per person a day", async () => {
    await notifyAll(a.db, "NS-imm", people.map((p) => p.id), "pending");
    await notifyAll(a.db, "NS-dig", people.map((p) => p.id), "digest", stockholmAt(0, 12));
    // Both nodes' timers fire at 07:05 tomorrow, while both also flush immediate mail.
    const at = stockholmAt(1, 7, 5);
    // Everyone with a digest waiting (the seed may have some too) and an address.
    const digestUsers = await a.db
      .selectFrom("notifications as n")
      .innerJoin("users as u", "u.id", "n.user_id")
      .select("u.email")
      .distinct()
      .where("n.email_state", "=", "digest")
      .where("n.created_at", "<=", at.toISOString())
      .where("u.email", "is not", null)
      .where("u.anonymised_at", "is", null)
      .execute();
    expect(digestUsers.length).toBe(people.length);

    await Promise.all([a.server.jobs.run(at), b.server.jobs.run(at), a.server.jobs.flushMail(), b.server.jobs.flushMail()]);
    // Later the same day: a new digest notification waits for tomorrow's digest.
    await notifyAll(b.db, "NS-dig-later", [people[0].id], "digest", stockholmAt(1, 7, 6));
    await Promise.all([a.server.jobs.run(stockholmAt(1, 7, 10)), b.server.jobs.run(stockholmAt(1, 9, 0))]);

    const mails = await outboxes(c.nodes);
    const immediate = mails.filter((m) => m.subject.includes("NS-imm"));
    expect(immediate.map((m) => m.to).sort()).toEqual(people.map((p) => p.email).sort());
    const digests = mails.filter((m) => m.subject.startsWith("Samsyn: sammanfattning") || m.subject.startsWith("Samsyn: daily digest"));
    const perPerson = new Map<string, number>();
    for (const d of digests) perPerson.set(d.to, (perPerson.get(d.to) ?? 0) + 1);
    expect([...perPerson.values()].every((n) => n === 1), JSON.stringify([...perPerson])).toBe(true);
    expect([...perPerson.keys()].sort()).toEqual(digestUsers.map((u) => u.email).sort());
    const waiting = await a.db.selectFrom("notifications").select("id").where("email_state", "=", "digest").where("params_json", "like", '%"NS-dig-later"%').execute();
    expect(waiting).toHaveLength(1);
  });

  it("a day's digest is claimed by exactly one node, before anything is sent", async () => {
    for (let i = 10; i < 20; i++) {
      const day = DateTime.now().setZone(ZONE).plus({ days: i }).toISODate()!;
      const claims = await Promise.all([claimDigestDay(a.db, day), claimDigestDay(b.db, day), claimDigestDay(a.db, day), claimDigestDay(b.db, day)]);
      expect(claims.filter(Boolean), day).toHaveLength(1);
    }
  });

  it("a timed run does nothing while another node holds the jobs lock", async () => {
    const lock = await holdJobsLock(c.databaseUrl);
    await notifyAll(a.db, "NS-locked", [people[0].id], "pending");
    let results;
    try {
      results = await Promise.all([a.server.jobs.run(), b.server.jobs.run()]);
    } finally {
      await lock.release();
    }
    expect(results).toEqual([
      { notified: 0, mailed: 0, digests: 0 },
      { notified: 0, mailed: 0, digests: 0 },
    ]);
    expect((await outboxes(c.nodes)).filter((m) => m.subject.includes("NS-locked"))).toEqual([]);
    // The lock is free again: the next run does the work.
    expect((await b.server.jobs.run()).mailed).toBeGreaterThanOrEqual(1);
    expect((await outboxes(c.nodes)).filter((m) => m.subject.includes("NS-locked"))).toHaveLength(1);
  });

  it("a node that starts gives back its own and stale claims, never another live node's", async () => {
    const member = await userId(a.db, MEMBER);
    const claim = async (marker: string, by: string, ageMs: number) => {
      await notifyAll(a.db, marker, [member], "pending");
      await a.db
        .updateTable("notifications")
        .set({ email_state: "sending", claimed_by: by, claimed_at: new Date(Date.now() - ageMs).toISOString() })
        .where("params_json", "like", `%"${marker}"%`)
        .execute();
    };
    await claim("NS-live", "node-b", 1000); // node-b is sending it right now
    await claim("NS-stale", "node-gone", LEASE_MS + 60_000); // a node that died mid-send
    await claim("NS-own", "node-c", 1000); // node-c's previous life, killed mid-send

    const nodeC = await c.addNode("node-c");
    await nodeC.server.jobs.flushMail();
    const state = async (marker: string) =>
      a.db.selectFrom("notifications").select(["email_state", "claimed_by"]).where("params_json", "like", `%"${marker}"%`).executeTakeFirstOrThrow();
    expect(await state("NS-live")).toEqual({ email_state: "sending", claimed_by: "node-b" });
    expect(await state("NS-stale")).toEqual({ email_state: "sent", claimed_by: null });
    expect(await state("NS-own")).toEqual({ email_state: "sent", claimed_by: null });
    const mails = await outboxes(c.nodes);
    expect(mails.filter((m) => m.subject.includes("NS-live"))).toEqual([]);
    expect(mails.filter((m) => m.subject.includes("NS-stale")).map((m) => m.to)).toEqual([MEMBER]);
    expect(mails.filter((m) => m.subject.includes("NS-own")).map((m) => m.to)).toEqual([MEMBER]);

    // A node that dies while the others keep running: the next timed run re-sends its stale claim.
    await claim("NS-dead", "node-gone", LEASE_MS + 60_000);
    await Promise.all([a.server.jobs.run(), b.server.jobs.run()]);
    expect((await outboxes(c.nodes)).filter((m) => m.subject.includes("NS-dead")).map((m) => m.to)).toEqual([MEMBER]);
    expect(await state("NS-live")).toEqual({ email_state: "sending", claimed_by: "node-b" });
  });

  it("/healthz reports the database; 503 when it is down", async () => {
    for (const n of c.nodes) {
      const res = await fetch(`${n.url}/healthz`);
      expect(res.status).toBe(200);
      expect(await res.json()).toMatchObject({ ok: true, db: "ok" });
    }
    await dropDatabase(new URL(c.databaseUrl).pathname.slice(1));
    const res = await fetch(`${a.url}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, db: "down" });
  });
});

describe("/healthz with Redis", { timeout: 60_000 }, () => {
  const servers: TestServer[] = [];
  const clients: Redis[] = [];
  afterAll(async () => {
    await Promise.allSettled(servers.map((s) => s.close()));
    clients.forEach((r) => r.disconnect());
  });
  const serve = async (redis: () => Promise<unknown>) => {
    const s = await startTestServer({}, { database: "postgres", health: { redis } });
    servers.push(s);
    const started = Date.now();
    const res = await fetch(`${s.url}/healthz`);
    return { status: res.status, body: await res.json(), ms: Date.now() - started };
  };

  it("reports Redis ok, down (refused) and down (no answer in time)", async () => {
    const up = new Redis(testRedisUrl()!, { lazyConnect: true });
    clients.push(up);
    expect(await serve(() => up.ping())).toMatchObject({ status: 200, body: { ok: true, db: "ok", redis: "ok" } });

    // A port nothing listens on: the connection is refused.
    const port = await new Promise<number>((resolve) => {
      const srv = net.createServer().listen(0, "127.0.0.1", () => {
        const p = (srv.address() as net.AddressInfo).port;
        srv.close(() => resolve(p));
      });
    });
    const refused = new Redis({ host: "127.0.0.1", port, lazyConnect: true, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    refused.on("error", () => {});
    clients.push(refused);
    expect(await serve(() => refused.connect().then(() => refused.ping()))).toMatchObject({ status: 503, body: { ok: false, db: "ok", redis: "down" } });

    const hung = await serve(() => new Promise(() => {}));
    expect(hung).toMatchObject({ status: 503, body: { ok: false, db: "ok", redis: "down" } });
    expect(hung.ms).toBeLessThan(5000);
  });
});

describe("first start on an empty PostgreSQL database", { timeout: 120_000 }, () => {
  it("two nodes migrating and seeding at once seed it once", async () => {
    const t = await createTestDatabase(inject("pgRunPrefix"));
    const dbs = [openDb(t.url), openDb(t.url)];
    try {
      const seeded = await Promise.all(
        dbs.map(async (db) => {
          await migrateToLatest(db);
          return seedDemoOnce(db);
        }),
      );
      expect(seeded.sort()).toEqual([false, true]);
      const councils = await dbs[0].selectFrom("councils").select("slug").orderBy("slug").execute();
      expect(councils.map((r) => r.slug)).toEqual(["fyrbodal", "skaraborg"]);
    } finally {
      await Promise.all(dbs.map((db) => db.destroy()));
      await t.drop();
    }
  });
});

describe("SESSION_SECRET with several nodes", { timeout: 60_000 }, () => {
  it("a node with REDIS_URL and no SESSION_SECRET refuses to start, saying why", async () => {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SAMSYN_DEMO: "0" };
    delete env.SESSION_SECRET;
    env.REDIS_URL = testRedisUrl()!;
    env.DATA_DIR = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-nosecret-"));
    const child = spawn(process.execPath, ["--import", "tsx", path.resolve("server/main.ts")], { env, stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    const exited = new Promise<number | null>((resolve) => child.once("exit", (c) => resolve(c)));
    // A server that starts anyway is stopped as soon as it says so.
    const onData = (d: Buffer) => {
      out += d.toString();
      if (/Samsyn is listening/.test(out)) child.kill("SIGTERM");
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    const code = await exited;
    expect(code).toBe(1);
    expect(out).toMatch(/SESSION_SECRET: required with REDIS_URL/);
    expect(out).not.toMatch(/listening/);
    expect(fs.existsSync(path.join(env.DATA_DIR, "session-secret"))).toBe(false);
    fs.rmSync(env.DATA_DIR, { recursive: true, force: true });
  });
});
