// An action's timeline (issue #17, traceability) through real HTTP: the plan years it
// was in and their adoption, the decision that concerns it (and the register's link
// back), an action carried over by a revision, an action that came from a meeting's
// action item (hidden from an observer until the minutes are approved), follow-up
// reports and indicator values; an earlier year's page stops at its year's end.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

describe("an action's timeline", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const year = DateTime.now().setZone("Europe/Stockholm").year;
  /** The timeline's steps as text, oldest first. */
  const steps = async (who: string, path: string) => {
    const res = await get(s.url, path, cookies[who]);
    expect(res.status).toBe(200);
    const list = decode(res.text).match(/<ol class="timeline">([\s\S]*?)<\/ol>/)?.[1] ?? "";
    return [...list.matchAll(/<li class="timeline__step[^"]*">([\s\S]*?)<\/li>/g)].map((m) => ({ text: textOf(m[1]), href: m[1].match(/href="([^"]+)"/)?.[1] ?? "" }));
  };
  const actionId = async (title: string, y = year) =>
    (
      await s.db
        .selectFrom("plan_actions as x")
        .innerJoin("plans as p", "p.id", "x.plan_id")
        .innerJoin("councils as c", "c.id", "p.council_id")
        .select("x.id")
        .where("c.slug", "=", "skaraborg")
        .where("p.year", "=", y)
        .where("x.title", "=", title)
        .executeTakeFirstOrThrow()
    ).id;

  beforeAll(async () => {
    s = await startTestServer();
    for (const [who, email] of [
      ["leader", "processledare@samsyn.test"],
      ["member", "ledamot@samsyn.test"],
      ["observer", "observator@samsyn.test"],
    ]) cookies[who] = await login(s.url, email);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("shows the plan years, the adoption and the decision about the action, each linked; the register links the decision back", async () => {
    const id = await actionId("Gemensamt uttalande om yrkesvux-platser i Skaraborg");
    const list = await steps("observer", `/councils/skaraborg/plans/${year}/actions/${id}`);
    const texts = list.map((x) => x.text);
    const at = (re: RegExp) => texts.findIndex((x) => re.test(x));
    expect(at(new RegExp(`Med i handlingsplanen ${year - 1}$`))).toBeGreaterThanOrEqual(0);
    expect(at(new RegExp(`Handlingsplanen ${year - 1} fastställdes$`))).toBeGreaterThan(at(new RegExp(`Med i handlingsplanen ${year - 1}$`)));
    const decision = list.find((x) => /Beslut på ”.*”, § \d+ Gemensamt uttalande om yrkesvux: Rådet ställer sig bakom uttalandet om fler yrkesvux-platser\./.test(x.text))!;
    expect(decision.href).toMatch(/^\/councils\/skaraborg\/meetings\/[\w-]+$/);
    // Oldest first: every step's date is at or after the one before.
    const dates = decode((await get(s.url, `/councils/skaraborg/plans/${year}/actions/${id}`, cookies.observer)).text).match(/<ol class="timeline">[\s\S]*?<\/ol>/)![0];
    const times = [...dates.matchAll(/<time dateTime="([^"]+)"/g)].map((m) => m[1]);
    expect(times).toEqual([...times].sort());
    // The register links the decision to the action.
    const register = decode((await get(s.url, `/councils/skaraborg/decisions?year=${DateTime.fromISO(times[0]).year}`, cookies.observer)).text);
    const anyYear = register.includes(`/actions/${id}`) ? register : decode((await get(s.url, `/councils/skaraborg/decisions`, cookies.observer)).text);
    expect(anyYear).toContain(`Rör åtgärden ”Gemensamt uttalande om yrkesvux-platser i Skaraborg”`);
    expect(anyYear).toMatch(new RegExp(`href="/councils/skaraborg/plans/\\d{4}/actions/${id}"`));
  });

  it("an action from a meeting's action item: its origin is shown to an observer only once the minutes are approved", async () => {
    const meeting = await s.db
      .selectFrom("agenda_items as i")
      .innerJoin("meetings as m", "m.id", "i.meeting_id")
      .select(["m.id", "m.title"])
      .where("i.title", "=", "Gemensamt uttalande om yrkesvux")
      .executeTakeFirstOrThrow();
    const path = `/councils/skaraborg/meetings/${meeting.id}/minutes`;
    await s.db.updateTable("minutes").set({ status: "draft" }).where("meeting_id", "=", meeting.id).execute();
    expect((await postForm(s.url, path, { intent: "actionItem", what: "Kartlägg yrkesvux-platser per kommun" }, cookies.leader)).status).toBe(200);
    const item = await s.db.selectFrom("action_items").select("id").where("what", "=", "Kartlägg yrkesvux-platser per kommun").executeTakeFirstOrThrow();
    const plan = await s.db.selectFrom("plans as p").innerJoin("councils as c", "c.id", "p.council_id").select("p.id").where("c.slug", "=", "skaraborg").where("p.year", "=", year).executeTakeFirstOrThrow();
    const goal = await s.db.selectFrom("plan_goals").select("id").where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
    expect((await postForm(s.url, path, { intent: "toPlan", itemId: item.id, goalId: goal.id }, cookies.leader)).status).toBe(200);
    const { plan_action_id: id } = await s.db.selectFrom("action_items").select("plan_action_id").where("id", "=", item.id).executeTakeFirstOrThrow();
    const page = `/councils/skaraborg/plans/${year}/actions/${id}`;
    const origin = `Kom från en åtgärdspunkt på mötet ”${meeting.title}”: Kartlägg yrkesvux-platser per kommun`;
    expect((await steps("member", page)).map((x) => x.text)).toContainEqual(expect.stringContaining(origin));
    expect((await steps("observer", page)).map((x) => x.text).join("\n")).not.toContain("Kom från en åtgärdspunkt");
    await s.db.updateTable("minutes").set({ status: "approved" }).where("meeting_id", "=", meeting.id).execute();
    const seen = (await steps("observer", page)).find((x) => x.text.includes(origin))!;
    expect(seen.href).toBe(`/councils/skaraborg/meetings/${meeting.id}`);
  });

  it("a carried-over action shows the revision that carried it, its reports and values; the earlier year's page stops at that year", async () => {
    const title = "Utöka platserna på undersköterskeutbildningen";
    const id = await actionId(title);
    const page = `/councils/skaraborg/plans/${year}/actions/${id}`;
    const dropouts = await s.db.selectFrom("plan_indicators as i").innerJoin("plans as p", "p.id", "i.plan_id").select("i.id").where("i.action_id", "=", id).where("p.year", "=", year).where("i.name", "=", "Avbrott under utbildningen").executeTakeFirstOrThrow();
    const day = DateTime.now().setZone("Europe/Stockholm").toISODate()!;
    expect((await postForm(s.url, page, { intent: "report", status: "at_risk", progress: "60", comment: "Fler platser beslutade.", measuredOn: day, [`value-${dropouts.id}`]: "14" }, cookies.leader)).status).toBe(200);
    const now = (await steps("member", page)).map((x) => x.text);
    expect(now).toContainEqual(expect.stringMatching(/Uppföljning rapporterad av Karin Lindqvist: Försenad → Risk för försening, 40 % → 60 % – ”Fler platser beslutade\.”$/));
    expect(now).toContainEqual(expect.stringMatching(/Indikatorvärde för Avbrott under utbildningen: 14 %, mätt .* av Karin Lindqvist – ”Fler platser beslutade\.”$/));
    // The seeded reports of the year are there too.
    expect(now).toContainEqual(expect.stringContaining("”Regionens beslut om finansiering dröjer.”"));

    expect((await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, cookies.leader)).status).toBeLessThan(400);
    const next = (await steps("member", `/councils/skaraborg/plans/${year + 1}/actions/${id}`)).map((x) => x.text);
    expect(next).toContainEqual(expect.stringMatching(new RegExp(`Fördes över till handlingsplanen ${year + 1}$`)));
    expect(next).toContainEqual(expect.stringMatching(new RegExp(`Med i handlingsplanen ${year}$`)));
    // This year's page shows this year as it is: nothing of next year's plan.
    expect((await steps("member", page)).map((x) => x.text).join("\n")).not.toContain(`handlingsplanen ${year + 1}`);
  });
});
