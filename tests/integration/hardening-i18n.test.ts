// Issue #12, item 14: every text a person reads comes from the dictionaries, in
// their language and in Stockholm time. Over a real server and plain HTTP:
// page titles follow the language cookie; an anonymised person is named in the
// reader's language; the audit log and the plan comparison show words, not
// codes, ISO instants or ids.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en";
import { sv } from "../../app/i18n/sv";
import { ACTION_STATUSES } from "../../server/domain/plan-doc";
import { ZONE } from "../../server/domain/time";
import { ROLES, PERSPECTIVES } from "../../db/schema";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

const ADMIN = "admin@samsyn.test";
const LEADER = "processledare@samsyn.test";
const AHMED = { email: "ahmed.hassan@samsyn.test", name: "Ahmed Hassan" };

const UUID = /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/i;
const ISO_INSTANT = /\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/;
const titleOf = (html: string) => (html.match(/<title>([^<]*)<\/title>/)?.[1] ?? "").replace(/&amp;/g, "&");

describe("i18n hardening (issue 12, item 14)", { timeout: 120_000 }, () => {
  let s: TestServer;
  const year = DateTime.now().setZone(ZONE).year;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
  /** A page as a reader in one language sees it. */
  const page = async (path: string, email: string | null, lang: "sv" | "en") => {
    const session = email ? await cookieFor(email) : "";
    const res = await get(s.url, path, [session, `samsyn_lang=${lang}`].filter(Boolean).join("; "));
    expect(res.status, `${lang} ${path}`).toBe(200);
    return res.text;
  };

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => s?.close());

  it("every <title> is in the reader's language", async () => {
    const council = await s.db.selectFrom("councils").select(["id", "name"]).where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    const meeting = await s.db.selectFrom("meetings").select(["id", "title"]).where("council_id", "=", council.id).where("group_id", "is", null).where("starts_at", "is not", null).orderBy("starts_at").executeTakeFirstOrThrow();
    const plan = await s.db.selectFrom("plans").select(["id", "title"]).where("council_id", "=", council.id).where("year", "=", year).executeTakeFirstOrThrow();
    const action = await s.db.selectFrom("plan_actions").select(["id", "title"]).where("plan_id", "=", plan.id).executeTakeFirstOrThrow();
    const statement = await s.db.selectFrom("statements").select(["id", "title"]).where("council_id", "=", council.id).executeTakeFirstOrThrow();
    const leader = await cookieFor(LEADER);
    const groupId = await createGroup(leader, council.id, "Titelgruppen");
    const invited = await postForm(s.url, "/councils/skaraborg/members", { intent: "invite", email: "titel.test@example.se", role: "member", organisation: "Skövde kommun", perspective: "education" }, leader);
    expect(invited.status).toBe(200);
    const token = invited.text.match(/\/invite\/([A-Za-z0-9_-]+)/)?.[1];
    expect(token).toBeTruthy();
    const person = await userId("per.holm@samsyn.test");
    const c = council.name;
    const cases: [path: string, who: string | null, sv: string, en: string][] = [
      ["/login", null, "Logga in", "Sign in"],
      [`/invite/${token}`, null, "Inbjudan", "Invitation"],
      ["/", LEADER, "Mina råd", "My councils"],
      ["/notifications", LEADER, "Meddelanden", "Notifications"],
      ["/settings", LEADER, "Inställningar", "Settings"],
      ["/settings/notifications", LEADER, "Aviseringar", "Notification settings"],
      ["/admin", ADMIN, "Administration", "Administration"],
      ["/admin/audit", ADMIN, "Logg – Administration", "Log – Administration"],
      ["/admin/people", ADMIN, "Personer – Administration", "People – Administration"],
      [`/admin/people/${person}`, ADMIN, "Ta bort person – Administration", "Remove person – Administration"],
      ["/councils/skaraborg", LEADER, c, c],
      ["/councils/skaraborg/activity", LEADER, `Händelser – ${c}`, `Activity – ${c}`],
      ["/councils/skaraborg/audit", LEADER, `Logg – ${c}`, `Log – ${c}`],
      ["/councils/skaraborg/groups", LEADER, `Arbetsgrupper – ${c}`, `Working groups – ${c}`],
      [`/councils/skaraborg/groups/${groupId}`, LEADER, `Titelgruppen – ${c}`, `Titelgruppen – ${c}`],
      ["/councils/skaraborg/meetings", LEADER, `Möten – ${c}`, `Meetings – ${c}`],
      [`/councils/skaraborg/meetings/${meeting.id}`, LEADER, meeting.title, meeting.title],
      [`/councils/skaraborg/meetings/${meeting.id}/minutes`, LEADER, `Protokoll: ${meeting.title}`, `Minutes: ${meeting.title}`],
      ["/councils/skaraborg/members", LEADER, `Ledamöter – ${c}`, `Members – ${c}`],
      [`/councils/skaraborg/plans/${year}`, LEADER, `${plan.title} – ${c}`, `${plan.title} – ${c}`],
      [`/councils/skaraborg/plans/${year}/actions/${action.id}`, LEADER, action.title, action.title],
      [`/councils/skaraborg/plans/${year}/dashboard`, LEADER, `Uppföljning ${year} – ${c}`, `Follow-up ${year} – ${c}`],
      ["/councils/skaraborg/plans/compare", LEADER, "Jämför handlingsplaner", "Compare action plans"],
      ["/councils/skaraborg/statements", LEADER, `Uttalanden och förslag – ${c}`, `Statements and proposals – ${c}`],
      [`/councils/skaraborg/statements/${statement.id}`, LEADER, statement.title, statement.title],
    ];
    for (const [path, who, svTitle, enTitle] of cases) {
      expect(titleOf(await page(path, who, "sv")), `sv ${path}`).toBe(`${svTitle} – Samsyn`);
      expect(titleOf(await page(path, who, "en")), `en ${path}`).toBe(`${enTitle} – Samsyn`);
    }
  });

  it("an anonymised person is named in the reader's language, never as the stored 'Former member' in Swedish", async () => {
    const ahmed = await cookieFor(AHMED.email);
    const ahmedId = await userId(AHMED.email);
    const councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
    // His traces: an RSVP, a follow-up report on the action he owns, a working group he convenes.
    const meeting = await s.db.selectFrom("meetings").select("id").where("council_id", "=", councilId).where("status", "=", "convened").where("starts_at", ">", new Date().toISOString()).orderBy("starts_at").executeTakeFirstOrThrow();
    const mPath = `/councils/skaraborg/meetings/${meeting.id}`;
    expect((await postForm(s.url, mPath, { intent: "rsvp", response: "attending", note: "" }, ahmed)).status).toBe(200);
    const plan = await s.db.selectFrom("plans").select("id").where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow();
    const owned = await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).where("responsible_user_id", "=", ahmedId).executeTakeFirstOrThrow();
    const actionPath = `/councils/skaraborg/plans/${year}/actions/${owned.id}`;
    expect((await postForm(s.url, actionPath, { status: "at_risk", progress: "40", comment: "Lärare saknas." }, ahmed)).status).toBe(200);
    await createGroup(await cookieFor(LEADER), councilId, "Ahmeds grupp", ahmedId);

    expect((await postForm(s.url, `/admin/people/${ahmedId}`, { confirm: "yes" }, await cookieFor(ADMIN))).status).toBe(302);

    const pages: [string, string][] = [
      [actionPath, LEADER],
      [`/councils/skaraborg/plans/${year}`, LEADER],
      [`/councils/skaraborg/plans/${year}/dashboard`, LEADER],
      [mPath, LEADER],
      ["/councils/skaraborg/activity", LEADER],
      ["/councils/skaraborg/audit", LEADER],
      ["/admin/audit", ADMIN],
    ];
    for (const [path, who] of pages) {
      const text = textOf(await page(path, who, "sv"));
      expect.soft(text, path).not.toContain("Former member");
      expect.soft(text, path).not.toContain(AHMED.name);
    }
    // Where his report is listed, each language names him in its own words.
    const actionSv = textOf(await page(actionPath, LEADER, "sv"));
    expect(actionSv).toContain("Tidigare medlem");
    const actionEn = textOf(await page(actionPath, LEADER, "en"));
    expect(actionEn).toContain("Former member");
    expect(actionEn).not.toContain("Tidigare medlem");
    // The audit log names him in words too, as the subject of his removal.
    expect(textOf(await page("/admin/audit", ADMIN, "sv"))).toContain("Tidigare medlem");
  });

  it("the audit log and the plan comparison show words: no codes, no ISO instants, no ids", async () => {
    const leader = await cookieFor(LEADER);
    // Entries with roles, perspectives, dates, instants and ids in their before/after.
    const per = await s.db.selectFrom("memberships as m").innerJoin("users as u", "u.id", "m.user_id").select("m.id").where("u.email", "=", "per.holm@samsyn.test").executeTakeFirstOrThrow();
    expect((await postForm(s.url, "/councils/skaraborg/members", { intent: "changeRole", membershipId: per.id, role: "observer" }, leader)).status).toBe(200);
    // The comparison has a status move and a changed responsible person and due date to show.
    const plan = await s.db.selectFrom("plans as p").innerJoin("councils as c", "c.id", "p.council_id").select("p.id").where("c.slug", "=", "skaraborg").where("p.year", "=", year).executeTakeFirstOrThrow();
    const carried = await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).where("status", "!=", "at_risk").executeTakeFirstOrThrow();
    expect((await postForm(s.url, `/councils/skaraborg/plans/${year}/actions/${carried.id}`, { status: "at_risk", progress: "35", comment: "" }, leader)).status).toBe(200);

    const actions = (await s.db.selectFrom("audit_log").select("action").distinct().execute()).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(["group.created", "membership.role_changed", "invitation.created", "plan.adopted", "user.anonymised"]));
    // Codes a person must never read: audit actions, statuses, roles, perspectives.
    const codes = [...actions, ...ACTION_STATUSES.filter((x) => x !== "done"), ...ROLES.filter((x) => x !== "member" && x !== "observer"), ...PERSPECTIVES.filter((x) => x.includes("_"))];
    const codePattern = new RegExp(`(^|[^\\w.@-])(${codes.map((x) => x.replace(/\./g, "\\.")).join("|")})(?![\\w@-])`);

    const compare = await page(`/councils/skaraborg/plans/compare?from=${year - 1}&to=${year}`, LEADER, "en");
    const compareText = textOf(compare);
    expect(compareText).toContain(en["revision.actionsChanged"]);
    expect(compareText).toMatch(new RegExp(en["status.at_risk"]));
    for (const [path, who] of [
      ["/councils/skaraborg/audit", LEADER],
      ["/admin/audit", ADMIN],
      [`/councils/skaraborg/plans/compare?from=${year - 1}&to=${year}`, LEADER],
    ] as const) {
      for (const lang of ["sv", "en"] as const) {
        const text = textOf(await page(path, who, lang));
        expect.soft(text, `${lang} ${path}`).not.toMatch(codePattern);
        expect.soft(text, `${lang} ${path}`).not.toMatch(ISO_INSTANT);
        expect.soft(text, `${lang} ${path}`).not.toMatch(UUID);
      }
    }
    // The words are there instead, e.g. the group's creation and a role in English.
    const auditEn = textOf(await page("/councils/skaraborg/audit", LEADER, "en"));
    expect(auditEn).toContain(en["audit.action.group.created"]);
    expect(auditEn).toContain(`${en["audit.field.role"]}: ${en["role.observer"]}`);
  });

  it("dates of instants are Stockholm dates, not the UTC day", async () => {
    // Adopted at 00:30 in Stockholm on 10 March, which is still 9 March in UTC.
    const adopted = await s.db.selectFrom("statements").select("id").where("status", "=", "adopted").executeTakeFirstOrThrow();
    await s.db.updateTable("statements").set({ adopted_at: `${year}-03-09T23:30:00.000Z` }).where("id", "=", adopted.id).execute();
    for (const path of ["/councils/skaraborg/statements", `/councils/skaraborg/statements/${adopted.id}`]) {
      const text = textOf(await page(path, LEADER, "sv"));
      expect(text, path).toContain(`10 mars ${year}`);
      expect(text, path).not.toContain(`9 mars ${year}`);
    }
  });

  /** A working group through the form; the convener defaults to the first active member. */
  async function createGroup(cookie: string, councilId: string, name: string, convenerId?: string): Promise<string> {
    const plan = await s.db.selectFrom("plans").select("id").where("council_id", "=", councilId).where("year", "=", year).executeTakeFirstOrThrow();
    const area = await s.db.selectFrom("plan_areas").select("id").where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
    const convener =
      convenerId ?? (await s.db.selectFrom("memberships").select("user_id").where("council_id", "=", councilId).where("role", "=", "member").executeTakeFirstOrThrow()).user_id;
    const res = await postForm(s.url, "/councils/skaraborg/groups", { name, description: "", convenerId: convener, [`area-${area.id}`]: "on" }, cookie);
    expect(res.status, res.text.slice(0, 300)).toBeLessThan(400);
    return (await s.db.selectFrom("working_groups").select("id").where("name", "=", name).executeTakeFirstOrThrow()).id;
  }
});
