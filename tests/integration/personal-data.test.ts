// The audit log and personal data over a real server. Every audited action
// leaves an entry (who, when, what before and after) that the council's leader
// and the site admin can read and nobody can change through the app or SQL.
// A person downloads their data as JSON. A site admin removes a person:
// afterwards no table holds their name or e-mail, and every page that showed
// their work still opens.
import { sql } from "kysely";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dialectOf } from "../../db";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const ADMIN = "admin@samsyn.test";
const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const FYRBODAL_LEADER = "fyrbodal.processledare@samsyn.test";
/** The person removed in the last part: a member with reports, an owned action, answers and proposals. */
const AHMED = { email: "ahmed.hassan@samsyn.test", name: "Ahmed Hassan" };

describe("audit log and personal data", { timeout: 90_000 }, () => {
  let s: TestServer;
  let councilId: string;
  const year = DateTime.now().setZone(ZONE).year;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  const audits = (action: string) => s.db.selectFrom("audit_log").selectAll().where("action", "=", action).orderBy("created_at").execute();
  const day = (offset: number) => DateTime.now().setZone(ZONE).plus({ days: offset }).toISODate()!;

  beforeAll(async () => {
    s = await startTestServer();
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => s?.close());

  describe("audit log", () => {
    it("records role changes, invitations, removals, decisions, frozen texts, adoptions and exports with who, before and after", async () => {
      const leader = await cookieFor(LEADER);
      const leaderId = await userId(LEADER);
      // Role change: Per Holm member → observer.
      const per = await s.db.selectFrom("memberships as m").innerJoin("users as u", "u.id", "m.user_id").select("m.id").where("u.email", "=", "per.holm@samsyn.test").executeTakeFirstOrThrow();
      expect((await postForm(s.url, "/councils/skaraborg/members", { intent: "changeRole", membershipId: per.id, role: "observer" }, leader)).status).toBe(200);
      const [role] = await audits("membership.role_changed");
      expect(role).toMatchObject({ actor_id: leaderId, council_id: councilId, subject: await userId("per.holm@samsyn.test") });
      expect(JSON.parse(role.before_json!)).toMatchObject({ role: "member" });
      expect(JSON.parse(role.after_json!)).toMatchObject({ role: "observer" });
      // Invitation, and its revocation.
      const inv = await postForm(s.url, "/councils/skaraborg/members", { intent: "invite", email: "ny.person@example.se", role: "member", organisation: "Volvo Cars Skövde", perspective: "employer" }, leader);
      expect(inv.status).toBe(200);
      const [invited] = await audits("invitation.created");
      expect(invited).toMatchObject({ actor_id: leaderId, subject: "ny.person@example.se" });
      const invitation = await s.db.selectFrom("invitations").select("id").where("email", "=", "ny.person@example.se").executeTakeFirstOrThrow();
      expect((await postForm(s.url, "/councils/skaraborg/members", { intent: "revoke", invitationId: invitation.id }, leader)).status).toBe(200);
      expect(await audits("invitation.revoked")).toHaveLength(1);
      // Removal: Lena Svensson.
      const lena = await s.db.selectFrom("memberships as m").innerJoin("users as u", "u.id", "m.user_id").select("m.id").where("u.email", "=", "lena.svensson@samsyn.test").executeTakeFirstOrThrow();
      expect((await postForm(s.url, "/councils/skaraborg/members", { intent: "remove", membershipId: lena.id }, leader)).status).toBe(200);
      const [removed] = await audits("membership.removed");
      expect(JSON.parse(removed.before_json!)).toMatchObject({ role: "member", organisation: "Skaraborgs Sjukhus" });
      // A decision at a meeting, and the minutes frozen for approval.
      const created = await postForm(s.url, "/councils/skaraborg/meetings", { intent: "create", title: "Loggmöte", date: day(3), startTime: "09:00", endTime: "10:00", location: "Skövde", videoUrl: "", description: "" }, leader);
      const meetingId = created.headers.get("location")!.split("/").pop()!;
      const mPath = `/councils/skaraborg/meetings/${meetingId}`;
      expect((await postForm(s.url, mPath, { intent: "convene" }, leader)).status).toBe(200);
      expect((await postForm(s.url, mPath, { intent: "addAgenda", title: "Beslutspunkt", kind: "decision", minutes: "10", presenter: "", planLink: "" }, leader)).status).toBe(200);
      const item = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meetingId).executeTakeFirstOrThrow();
      expect((await postForm(s.url, mPath, { intent: "decision", itemId: item.id, decision: "Rådet beslutade att gå vidare." }, leader)).status).toBe(200);
      const [decision] = await audits("decision.recorded");
      expect(JSON.parse(decision.after_json!)).toEqual({ decision: "Rådet beslutade att gå vidare." });
      const maria = await userId("maria.andersson@samsyn.test");
      expect((await postForm(s.url, `${mPath}/minutes`, { intent: "attendance", [`present-${maria}`]: "on", [`present-${leaderId}`]: "on" }, leader)).status).toBe(200);
      expect((await postForm(s.url, `${mPath}/minutes`, { intent: "approvers", approver1: maria }, leader)).status).toBe(200);
      expect((await postForm(s.url, `${mPath}/minutes`, { intent: "close" }, leader)).status).toBe(200);
      expect(await audits("minutes.closed")).toHaveLength(1);
      // Adoption of next year's revision.
      expect((await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, leader)).status).toBe(302);
      expect((await postForm(s.url, `/councils/skaraborg/plans/${year + 1}`, { intent: "adopt" }, leader)).status).toBe(200);
      const adoptions = await audits("plan.adopted");
      expect(adoptions.at(-1)).toMatchObject({ actor_id: leaderId });
      expect(JSON.parse(adoptions.at(-1)!.after_json!)).toMatchObject({ year: year + 1 });
      // Exports: the follow-up CSV and a person's own data.
      expect((await get(s.url, `/api/v1/councils/skaraborg/plans/${year}/followups.csv`, await cookieFor(OBSERVER))).status).toBe(200);
      expect((await audits("followups.exported")).map((a) => a.actor_id)).toEqual([await userId(OBSERVER)]);
      expect((await get(s.url, "/api/v1/me/export", await cookieFor(MEMBER))).status).toBe(200);
      expect((await audits("personal_data.exported")).map((a) => a.actor_id)).toEqual([await userId(MEMBER)]);
    });

    it("the leader reads the council's log; members, observers and other councils cannot; the admin reads everything", async () => {
      const page = await get(s.url, "/councils/skaraborg/audit", await cookieFor(LEADER));
      expect(page.status).toBe(200);
      for (const label of ["Roll ändrades", "Inbjudan skickades", "Ledamot togs bort", "Beslut protokollfört", "Protokoll stängdes för justering", "Handlingsplan fastställdes", "Uppföljning exporterades"]) {
        expect(page.text).toContain(label);
      }
      expect(page.text).toContain("Per Holm"); // the subject, named
      expect((await get(s.url, "/councils/skaraborg/audit", await cookieFor(MEMBER))).status).toBe(403);
      expect((await get(s.url, "/councils/skaraborg/audit", await cookieFor(OBSERVER))).status).toBe(403);
      expect((await get(s.url, "/councils/skaraborg/audit", await cookieFor(FYRBODAL_LEADER))).status).toBe(404);
      expect((await get(s.url, "/admin/audit", await cookieFor(LEADER))).status).toBe(404);
      const all = await get(s.url, "/admin/audit", await cookieFor(ADMIN));
      expect(all.status).toBe(200);
      expect(all.text).toContain("Personuppgifter laddades ner");
      expect(all.text).toContain("Kompetensråd Skaraborg");
    });

    it("cannot be changed: no route writes it, and the database refuses updates and deletes", async () => {
      const count = async () => Number((await s.db.selectFrom("audit_log").select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
      const before = await count();
      const post = await postForm(s.url, "/councils/skaraborg/audit", { intent: "delete" }, await cookieFor(LEADER));
      expect(post.status).toBe(405);
      expect(post.text).toContain("Loggen kan bara läsas, aldrig ändras.");
      expect((await postForm(s.url, "/admin/audit", { intent: "delete" }, await cookieFor(ADMIN))).status).toBe(405);
      expect(await count()).toBe(before);
      const [one] = await audits("membership.role_changed");
      await expect(s.db.updateTable("audit_log").set({ action: "x" }).where("id", "=", one.id).execute()).rejects.toThrow(/append-only/);
      await expect(s.db.deleteFrom("audit_log").where("id", "=", one.id).execute()).rejects.toThrow(/append-only/);
      // A redaction may not smuggle in a change of who, what or when.
      await expect(
        s.db.updateTable("audit_log").set({ redacted_at: new Date().toISOString(), actor_id: null }).where("id", "=", one.id).execute(),
      ).rejects.toThrow(/append-only/);
      expect(await s.db.selectFrom("audit_log").selectAll().where("id", "=", one.id).executeTakeFirstOrThrow()).toEqual(one);
    });
  });

  describe("personal data", () => {
    it("a person downloads their data as JSON; 401 without a session", async () => {
      expect((await get(s.url, "/api/v1/me/export")).status).toBe(401);
      const res = await get(s.url, "/api/v1/me/export", await cookieFor(AHMED.email));
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="samsyn-mina-uppgifter-\d{4}-\d{2}-\d{2}\.json"$/);
      const data = JSON.parse(res.text);
      expect(data.person).toMatchObject({ email: AHMED.email, name: AHMED.name });
      expect(data.memberships).toEqual([expect.objectContaining({ slug: "skaraborg", role: "member", organisation: "Skövde kommun, vuxenutbildningen" })]);
      expect(data.followupReports.length).toBeGreaterThan(0);
      expect(data.followupReports[0]).toHaveProperty("comment");
      // The indicator values Ahmed reported (the demo's, on the nursing places).
      expect(data.indicatorValues).toContainEqual(expect.objectContaining({ action: "Utöka platserna på undersköterskeutbildningen", indicator: "Platser på undersköterskeutbildningen", value: 44 }));
      expect(data.planActionsResponsible.length).toBeGreaterThan(0);
      // Nobody else's data: the leader's e-mail appears nowhere in Ahmed's export.
      expect(res.text).not.toContain(LEADER);
    });

    it("removing a person leaves no trace of their name or e-mail in any table, and breaks no page", async () => {
      const ahmedId = await userId(AHMED.email);
      const ahmed = await cookieFor(AHMED.email);
      // Give him more history first: an RSVP note, a poll answer, an agenda proposal (its
      // notification to the leader names him), a follow-up report, and an invitation to another council.
      const meeting = await s.db.selectFrom("meetings").select("id").where("council_id", "=", councilId).where("status", "=", "convened").where("starts_at", ">", new Date().toISOString()).orderBy("starts_at").executeTakeFirstOrThrow();
      const mPath = `/councils/skaraborg/meetings/${meeting.id}`;
      expect((await postForm(s.url, mPath, { intent: "rsvp", response: "attending", note: "Kommer efter lunch" }, ahmed)).status).toBe(200);
      expect((await postForm(s.url, mPath, { intent: "addAgenda", title: "Ahmeds förslag om vuxenutbildning", kind: "discussion", minutes: "10", presenter: AHMED.name, planLink: "" }, ahmed)).status).toBe(200);
      const poll = await s.db.selectFrom("polls as p").innerJoin("meetings as m", "m.id", "p.meeting_id").select(["p.id", "m.id as meetingId"]).where("m.council_id", "=", councilId).where("p.status", "=", "open").executeTakeFirstOrThrow();
      const slots = await s.db.selectFrom("poll_slots").select("id").where("poll_id", "=", poll.id).execute();
      expect((await postForm(s.url, `/councils/skaraborg/meetings/${poll.meetingId}`, { intent: "answerPoll", ...Object.fromEntries(slots.map((x) => [`answer-${x.id}`, "yes"])) }, ahmed)).status).toBe(200);
      const plan = await s.db.selectFrom("plans").select("id").where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow();
      const owned = await s.db.selectFrom("plan_actions").select(["id", "title"]).where("plan_id", "=", plan.id).where("responsible_user_id", "=", ahmedId).executeTakeFirstOrThrow();
      const actionPath = `/councils/skaraborg/plans/${year}/actions/${owned.id}`;
      expect((await postForm(s.url, actionPath, { status: "on_track", progress: "55", comment: "Handledarna är på plats." }, ahmed)).status).toBe(200);
      expect((await postForm(s.url, "/councils/fyrbodal/members", { intent: "invite", email: AHMED.email, role: "observer", organisation: "Skövde kommun", perspective: "education" }, await cookieFor(FYRBODAL_LEADER))).status).toBe(200);
      // A wrong password attempt leaves a throttle row keyed by his address.
      await postForm(s.url, "/login", { email: AHMED.email, password: "fel-lösenord" });

      /** Every (table, column) whose text holds the name or the e-mail; BLOBs (Yjs states) are read as text too. */
      async function traces(): Promise<string[]> {
        // kysely's introspection lists the tables and columns on SQLite and PostgreSQL alike
        // (without its own migration tables); PostgreSQL's bytea is read as text by encode().
        const postgres = dialectOf(s.db) === "postgres";
        const found: string[] = [];
        for (const table of await s.db.introspection.getTables()) {
          for (const col of table.columns) {
            const text = postgres && col.dataType === "bytea" ? sql`encode(${sql.ref(col.name)}, 'escape')` : sql`cast(${sql.ref(col.name)} as text)`;
            const hit = await sql<{ n: number }>`select count(*) as n from ${sql.table(table.name)} where lower(${text}) like lower(${`%${AHMED.name}%`}) or lower(${text}) like lower(${`%${AHMED.email}%`})`.execute(s.db);
            if (Number(hit.rows[0].n) > 0) found.push(`${table.name}.${col.name}`);
          }
        }
        return found.sort();
      }
      // The dashboard (cached per plan version) names him as an owner before the removal.
      const dashboardPath = `/councils/skaraborg/plans/${year}/dashboard`;
      expect((await get(s.url, dashboardPath, await cookieFor(LEADER))).text).toContain(AHMED.name);
      // The scan finds him where he is now (so its silence later means something).
      const beforeRemoval = await traces();
      for (const place of ["users.name", "users.email", "invitations.email", "notifications.params_json", "audit_log.subject", "login_throttle.key", "agenda_items.presenter"]) {
        expect(beforeRemoval).toContain(place);
      }

      // The admin removes him: without confirming first (refused, nothing changes), then for real.
      const admin = await cookieFor(ADMIN);
      const unconfirmed = await postForm(s.url, `/admin/people/${ahmedId}`, {}, admin);
      expect(unconfirmed.status).toBe(400);
      expect(unconfirmed.text).toContain("Bekräfta att du förstår att detta inte går att ångra.");
      expect((await s.db.selectFrom("users").select("email").where("id", "=", ahmedId).executeTakeFirstOrThrow()).email).toBe(AHMED.email);
      expect((await postForm(s.url, `/admin/people/${ahmedId}`, { confirm: "yes" }, await cookieFor(LEADER))).status).toBe(404);
      const done = await postForm(s.url, `/admin/people/${ahmedId}`, { confirm: "yes" }, admin);
      expect(done.status).toBe(302);

      expect(await traces()).toEqual([]);
      const user = await s.db.selectFrom("users").selectAll().where("id", "=", ahmedId).executeTakeFirstOrThrow();
      expect(user).toMatchObject({ name: "Former member", email: null, password_hash: null });
      expect(user.anonymised_at).not.toBeNull();
      expect(await s.db.selectFrom("memberships").select("id").where("user_id", "=", ahmedId).execute()).toEqual([]);
      expect(await s.db.selectFrom("sessions").select("id").where("user_id", "=", ahmedId).execute()).toEqual([]);
      // History is intact: his reports, answers and RSVP stay, under "Former member".
      expect((await s.db.selectFrom("followups").select("id").where("reported_by", "=", ahmedId).execute()).length).toBeGreaterThan(1);
      expect((await s.db.selectFrom("poll_answers").select("slot_id").where("user_id", "=", ahmedId).execute()).length).toBe(slots.length);
      expect((await audits("user.anonymised")).map((a) => a.subject)).toEqual([ahmedId]);

      // He cannot sign in, and his old session is gone.
      expect((await postForm(s.url, "/login", { email: AHMED.email, password: "samsyn-demo" })).status).toBe(401);
      expect((await get(s.url, "/", ahmed)).status).toBe(302);
      // Every page that showed his work still opens, and shows "Former member" where it named him.
      const leader = await cookieFor(LEADER);
      const actionPage = await get(s.url, actionPath, leader);
      expect(actionPage.status).toBe(200);
      expect(actionPage.text).toContain("Former member");
      expect(actionPage.text).not.toContain(AHMED.name);
      for (const path of [`/councils/skaraborg/plans/${year}`, `/councils/skaraborg/plans/${year}/dashboard`, mPath, "/councils/skaraborg", "/councils/skaraborg/activity", "/councils/skaraborg/audit", "/councils/skaraborg/members", `/councils/skaraborg/plans/compare?from=${year - 1}&to=${year}`]) {
        const res = await get(s.url, path, leader);
        expect(res.status, path).toBe(200);
        expect(res.text, path).not.toContain(AHMED.email);
        expect(res.text, path).not.toContain(AHMED.name);
      }
      for (const path of ["/admin/people", "/admin/audit"]) expect((await get(s.url, path, admin)).status).toBe(200);
      expect((await get(s.url, `/api/v1/councils/skaraborg/plans/${year}`, leader)).status).toBe(200);
      // Removing him twice, or removing oneself, is refused with a message.
      expect((await postForm(s.url, `/admin/people/${ahmedId}`, { confirm: "yes" }, admin)).status).toBe(404);
      const self = await postForm(s.url, `/admin/people/${await userId(ADMIN)}`, { confirm: "yes" }, admin);
      expect(self.status).toBe(409);
      expect(self.text).toContain("Du kan inte ta bort dig själv.");
    });
  });
});
