// The council workspace layout (issue #13, app/routes/councils.$slug.tsx): every council
// page, as a process leader, a member and an observer, carries the council's navigation
// landmark with exactly the sections that role may see, the current one marked with
// aria-current="page", and breadcrumbs (an ordered list) ending at this page.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login } from "../helpers/http";
import { decode, textOf } from "../helpers/html";
import { startTestServer, type TestServer } from "../helpers/server";

const PEOPLE = {
  leader: "processledare@samsyn.test",
  member: "ledamot@samsyn.test",
  observer: "observator@samsyn.test",
} as const;
type Role = keyof typeof PEOPLE;

const ALL = ["Översikt", "Möten", "Handlingsplan", "Uppföljning", "Arbetsgrupper", "Uttalanden och förslag", "Ledamöter", "Händelser"];
const SECTIONS: Record<Role, string[]> = {
  leader: ALL,
  member: ALL.filter((s) => s !== "Ledamöter"),
  observer: ALL.filter((s) => s !== "Ledamöter"),
};

/** The one <nav> with this aria-label, or null. */
const navHtml = (html: string, label: string) => {
  const all = [...html.matchAll(new RegExp(`<nav aria-label="${label}"[\\s\\S]*?</nav>`, "g"))];
  expect(all.length, `one nav "${label}"`).toBeLessThanOrEqual(1);
  return all[0]?.[0] ?? null;
};
/** The council navigation's links: their text and whether they are marked current. */
const navLinks = (html: string) => {
  const nav = navHtml(html, "Rådets sidor");
  if (!nav) return null;
  return [...nav.matchAll(/<a ([^>]*)>([\s\S]*?)<\/a>/g)].map((m) => ({
    text: textOf(m[2]),
    current: /aria-current="page"/.test(m[1]),
    href: decode(m[1].match(/href="([^"]*)"/)?.[1] ?? ""),
  }));
};
const crumbs = (html: string) => {
  const nav = navHtml(html, "Brödsmulor");
  if (!nav) return null;
  expect(nav).toMatch(/^<nav [^>]*><ol>/);
  return [...nav.matchAll(/<li>([\s\S]*?)<\/li>/g)].map((m) => ({ text: textOf(m[1]), current: /aria-current="page"/.test(m[1]) }));
};

describe("council workspace navigation", () => {
  let s: TestServer;
  const cookies = {} as Record<Role, string>;
  const pages: { path: string; section: string; crumbs: string[]; leaderOnly?: boolean }[] = [];

  beforeAll(async () => {
    s = await startTestServer();
    for (const r of Object.keys(PEOPLE) as Role[]) cookies[r] = await login(s.url, PEOPLE[r]);
    const council = await s.db.selectFrom("councils").select(["id", "name"]).where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    const plan = await s.db.selectFrom("plans").select(["id", "year"]).where("council_id", "=", council.id).orderBy("year", "desc").executeTakeFirstOrThrow();
    const action = await s.db.selectFrom("plan_actions").select(["id", "title"]).where("plan_id", "=", plan.id).where("title", "!=", "").executeTakeFirstOrThrow();
    // A convened meeting: a draft has no minutes page (404), and the seed's row order is not a rule.
    const meeting = await s.db.selectFrom("meetings").select(["id", "title"]).where("council_id", "=", council.id).where("group_id", "is", null).where("status", "=", "convened").orderBy("starts_at").executeTakeFirstOrThrow();
    const group = await s.db.selectFrom("working_groups").select(["id", "name"]).where("council_id", "=", council.id).executeTakeFirstOrThrow();
    const statement = await s.db.selectFrom("statements").select(["id", "title"]).where("council_id", "=", council.id).where("status", "!=", "draft").executeTakeFirstOrThrow();
    const b = "/councils/skaraborg";
    const c = ["Mina råd", council.name];
    pages.push(
      { path: b, section: "Översikt", crumbs: c },
      { path: `${b}/meetings`, section: "Möten", crumbs: [...c, "Möten"] },
      { path: `${b}/meetings/${meeting.id}`, section: "Möten", crumbs: [...c, "Möten", meeting.title] },
      { path: `${b}/plans/${plan.year}`, section: "Handlingsplan", crumbs: [...c, "Handlingsplan"] },
      { path: `${b}/plans/compare`, section: "Handlingsplan", crumbs: [...c, "Handlingsplan", "Jämför"] },
      { path: `${b}/plans/${plan.year}/dashboard`, section: "Uppföljning", crumbs: [...c, "Uppföljning"] },
      { path: `${b}/plans/${plan.year}/actions/${action.id}`, section: "Uppföljning", crumbs: [...c, "Uppföljning", action.title] },
      { path: `${b}/groups`, section: "Arbetsgrupper", crumbs: [...c, "Arbetsgrupper"] },
      { path: `${b}/groups/${group.id}`, section: "Arbetsgrupper", crumbs: [...c, "Arbetsgrupper", group.name] },
      { path: `${b}/statements`, section: "Uttalanden och förslag", crumbs: [...c, "Uttalanden och förslag"] },
      { path: `${b}/statements/${statement.id}`, section: "Uttalanden och förslag", crumbs: [...c, "Uttalanden och förslag", statement.title] },
      { path: `${b}/members`, section: "Ledamöter", crumbs: [...c, "Ledamöter"], leaderOnly: true },
      { path: `${b}/activity`, section: "Händelser", crumbs: [...c, "Händelser"] },
      { path: `${b}/audit`, section: "Händelser", crumbs: [...c, "Händelser", "Logg över ändringar"], leaderOnly: true },
    );
    // Minutes: a leader may open any meeting's minutes page.
    pages.push({ path: `${b}/meetings/${meeting.id}/minutes`, section: "Möten", crumbs: [...c, "Möten", meeting.title, "Protokoll"], leaderOnly: true });
  });
  afterAll(() => s.close());

  for (const role of Object.keys(PEOPLE) as Role[]) {
    it(`as ${role}: each council page has the nav with the role's sections, the current one marked, and breadcrumbs`, async () => {
      let checked = 0;
      for (const p of pages) {
        if (p.leaderOnly && role !== "leader") continue;
        const res = await get(s.url, p.path, cookies[role]);
        expect(res.status, p.path).toBe(200);
        const links = navLinks(res.text);
        expect(links, p.path).not.toBeNull();
        expect(links!.map((l) => l.text), p.path).toEqual(SECTIONS[role]);
        expect(links!.filter((l) => l.current).map((l) => l.text), p.path).toEqual([p.section]);
        const trail = crumbs(res.text);
        expect(trail?.map((x) => x.text), p.path).toEqual(p.crumbs);
        expect(trail!.map((x) => x.current), p.path).toEqual(p.crumbs.map((_, i) => i === p.crumbs.length - 1));
        checked++;
      }
      expect(checked).toBeGreaterThanOrEqual(role === "leader" ? 15 : 12);
    });
  }

  it("a page the role may not open shows no council navigation (the error page replaces the layout)", async () => {
    const res = await get(s.url, "/councils/skaraborg/members", cookies.member);
    expect(res.status).toBe(403);
    expect(navLinks(res.text)).toBeNull();
  });

  it("the plan links follow the plan year being viewed", async () => {
    const res = await get(s.url, "/councils/skaraborg", cookies.member);
    const plan = navLinks(res.text)!.find((l) => l.text === "Handlingsplan")!;
    expect(plan.href).toMatch(/^\/councils\/skaraborg\/plans\/\d{4}$/);
  });
});
