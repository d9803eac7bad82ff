// The demo seed runs on PostgreSQL and a real server over it answers the main pages
// and the JSON API for each demo role (issue #14: a first smoke test of the domain on
// PostgreSQL; the whole integration suite on PostgreSQL is a later step). The server
// gets its own copy of the run's seeded template (tests/helpers/pg.ts).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf } from "../../db";
import { listCouncilsForUser, listMembers } from "../../server/domain/councils";
import { unreadCount } from "../../server/domain/notifications";
import { listMeetings } from "../../server/domain/meetings";
import { get, login, postForm } from "../helpers/http";
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
  /**
   * A round of everyday writes through the real routes; what each answered (status,
   * and where a redirect went by shape) and what the database then holds, comparable
   * across engines.
   */
  async function writes(server: TestServer): Promise<Record<string, string | number>> {
    const r: Record<string, string | number> = {};
    const leader = await login(server.url, "processledare@samsyn.test");
    const member = await login(server.url, "ledamot@samsyn.test");
    const shape = (loc: string | null) => (loc ?? "").replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, ":id");
    r.failedLogin = (await postForm(server.url, "/login", { email: "ledamot@samsyn.test", password: "fel-losenord" })).status;
    const throttle = await server.db.selectFrom("login_throttle").select("failures").where("key", "like", "%ledamot@samsyn.test%").execute();
    r.throttleRows = throttle.map((t) => t.failures).join(",");
    const created = await postForm(
      server.url,
      "/councils/skaraborg/meetings",
      { intent: "create", title: "Skrivrunda", date: new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10), startTime: "09:00", endTime: "10:00", location: "Skövde", videoUrl: "", description: "" },
      leader,
    );
    r.createMeeting = `${created.status} ${shape(created.headers.get("location"))}`;
    const meetingPath = created.headers.get("location")!;
    r.convene = (await postForm(server.url, meetingPath, { intent: "convene" }, leader)).status;
    r.addAgenda = (await postForm(server.url, meetingPath, { intent: "addAgenda", title: "Punkt", kind: "discussion", minutes: "15", presenter: "", planLink: "" }, leader)).status;
    r.addAgenda2 = (await postForm(server.url, meetingPath, { intent: "addAgenda", title: "Punkt två", kind: "decision", minutes: "10", presenter: "", planLink: "" }, leader)).status;
    const meetingId = meetingPath.split("/").pop()!;
    r.agendaPositions = (await server.db.selectFrom("agenda_items").select("position").where("meeting_id", "=", meetingId).orderBy("position").execute()).map((a) => a.position).join(",");
    const plan = await server.db.selectFrom("plans").innerJoin("councils", "councils.id", "plans.council_id").select(["plans.id", "plans.report_seq"]).where("councils.slug", "=", "skaraborg").where("plans.year", "=", year).executeTakeFirstOrThrow();
    const action = await server.db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).orderBy("position").orderBy("id").executeTakeFirstOrThrow();
    const report = await postForm(server.url, `/councils/skaraborg/plans/${year}/actions/${action.id}`, { status: "on_track", progress: "40", comment: "Skrivrunda" }, leader);
    r.report = report.status;
    const after = await server.db.selectFrom("plans").select("report_seq").where("id", "=", plan.id).executeTakeFirstOrThrow();
    r.reportSeqMoved = after.report_seq - plan.report_seq;
    const invite = await postForm(server.url, "/councils/skaraborg/members", { intent: "invite", email: "ny.person@example.se", role: "member", organisation: "Volvo Cars Skövde", perspective: "employer" }, leader);
    r.invite = invite.status;
    const statement = await postForm(server.url, "/councils/skaraborg/statements", { kind: "statement", title: "Utkast till uttalande" }, member);
    r.statement = `${statement.status} ${shape(statement.headers.get("location"))}`;
    r.readAll = (await postForm(server.url, "/notifications", { intent: "read-all" }, member)).status;
    r.unreadAfter = (await server.db.selectFrom("notifications").innerJoin("users", "users.id", "notifications.user_id").select((eb) => eb.fn.countAll<number>().as("n")).where("users.email", "=", "ledamot@samsyn.test").where("read_at", "is", null).executeTakeFirstOrThrow()).n;
    return r;
  }

  it("takes everyday writes (meeting, agenda, report, invitation, statement, login throttle) as SQLite does", async () => {
    const lite = await startTestServer({}, { database: "sqlite" });
    try {
      const onLite = await writes(lite);
      // The round is meaningful: it wrote on SQLite.
      expect(onLite.createMeeting).toMatch(/^302 \/councils\/skaraborg\/meetings\/:id$/);
      expect(onLite.agendaPositions).toBe("0,1");
      expect(onLite.reportSeqMoved).toBe(1);
      expect(onLite.readAll).toBe(200);
      expect(onLite.unreadAfter).toBe(0);
      expect(await writes(s)).toEqual(onLite);
    } finally {
      await lite.close();
    }
  });
});
