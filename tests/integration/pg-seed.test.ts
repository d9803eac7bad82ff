// The demo seed runs on PostgreSQL and a real server over it answers the main pages
// and the JSON API for each demo role (issue #14: a first smoke test of the domain on
// PostgreSQL; the whole integration suite on PostgreSQL is a later step). The server
// gets its own copy of the run's seeded template (tests/helpers/pg.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf } from "../../db";
import { listCouncilsForUser, listMembers } from "../../server/domain/councils";
import { unreadCount } from "../../server/domain/notifications";
import { listMeetings } from "../../server/domain/meetings";
import { get, login } from "../helpers/http";
import { noPostgresReason } from "../helpers/pg";
import { startTestServer, type TestServer } from "../helpers/server";

describe.skipIf(noPostgresReason)(`demo seed on PostgreSQL${noPostgresReason ? ` (skipped: ${noPostgresReason})` : ""}`, () => {
  let s: TestServer;
  let year: number;

  beforeAll(async () => {
    s = await startTestServer({}, { database: "postgres" });
    const plan = await s.db
      .selectFrom("plans")
      .innerJoin("councils", "councils.id", "plans.council_id")
      .select("plans.year")
      .where("councils.slug", "=", "skaraborg")
      .where("plans.status", "=", "active")
      .orderBy("plans.year", "desc")
      .executeTakeFirstOrThrow();
    year = plan.year;
  });
  afterAll(() => s?.close());

  it("seeded the demo councils, people, plans, meetings and statements", async () => {
    expect(dialectOf(s.db)).toBe("postgres");
    const count = async (t: "users" | "councils" | "plans" | "plan_actions" | "meetings" | "statements" | "followups" | "yjs_snapshots") =>
      (await s.db.selectFrom(t).select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n;
    expect(await count("councils")).toBe(2);
    for (const t of ["users", "plans", "plan_actions", "meetings", "statements", "followups", "yjs_snapshots"] as const) {
      expect(await count(t), t).toBeGreaterThan(0);
    }
  });

  it("answers domain reads: councils, members, meetings, unread notifications", async () => {
    const leader = await s.db.selectFrom("users").select("id").where("email", "=", "processledare@samsyn.test").executeTakeFirstOrThrow();
    const councils = await listCouncilsForUser(s.db, leader.id);
    expect(councils.map((c) => c.slug)).toContain("skaraborg");
    const skaraborg = councils.find((c) => c.slug === "skaraborg")!;
    expect((await listMembers(s.db, skaraborg.id)).length).toBeGreaterThan(3);
    expect((await listMeetings(s.db, skaraborg.id, { includeDrafts: true })).length).toBeGreaterThan(0);
    expect(typeof (await unreadCount(s.db, leader.id))).toBe("number");
  });

  const pages = (y: number) => [
    "/",
    "/councils/skaraborg",
    "/councils/skaraborg/members",
    "/councils/skaraborg/meetings",
    `/councils/skaraborg/plans/${y}`,
    `/councils/skaraborg/plans/${y}/dashboard`,
    "/councils/skaraborg/statements",
    "/councils/skaraborg/groups",
    "/councils/skaraborg/activity",
    "/notifications",
    "/settings",
    "/settings/notifications",
    "/api/v1/me",
    "/api/v1/councils",
    "/api/v1/councils/skaraborg/plans",
    `/api/v1/councils/skaraborg/plans/${y}`,
    "/api/v1/councils/skaraborg/meetings",
    "/api/v1/me/notifications",
  ];

  /** Status of each page for `email`, on a server. */
  async function crawl(server: TestServer, email: string, paths: string[]): Promise<Record<string, number>> {
    const cookie = await login(server.url, email);
    const out: Record<string, number> = {};
    for (const p of paths) out[p] = (await get(server.url, p, cookie)).status;
    return out;
  }

  it("serves the main pages and the API as SQLite does, to each demo role", async () => {
    const lite = await startTestServer({}, { database: "sqlite" });
    try {
      const leaderPages = [...pages(year), "/councils/skaraborg/audit", `/api/v1/councils/skaraborg/plans/${year}/followups.csv`];
      const leader = await crawl(s, "processledare@samsyn.test", leaderPages);
      expect(Object.entries(leader).filter(([, status]) => status !== 200)).toEqual([]);
      expect(leader).toEqual(await crawl(lite, "processledare@samsyn.test", leaderPages));
      const adminPages = ["/admin", "/admin/people", "/admin/people?q=karin", "/admin/audit", "/api/v1/me/export"];
      const admin = await crawl(s, "admin@samsyn.test", adminPages);
      expect(Object.entries(admin).filter(([, status]) => status !== 200)).toEqual([]);
      for (const email of ["ledamot@samsyn.test", "observator@samsyn.test", "ledamot.fyrbodal@samsyn.test"]) {
        expect(await crawl(s, email, pages(year)), email).toEqual(await crawl(lite, email, pages(year)));
      }
    } finally {
      await lite.close();
    }
  });

  it("finds people by name in the admin search", async () => {
    const cookie = await login(s.url, "admin@samsyn.test");
    const search = await get(s.url, "/admin/people?q=lindqvist", cookie);
    expect(search.status).toBe(200);
    expect(search.text).toContain("Karin Lindqvist");
  });
});
