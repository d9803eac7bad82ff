// Yearly revision: carry-over, adoption that freezes (every channel), comparison.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf, planToJson } from "../../server/domain/plan-doc";
import { textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

describe("yearly revision", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const clients: Client[] = [];
  const year = new Date().getFullYear();
  let councilId: string;
  const plan = (y: number) => s.db.selectFrom("plans").selectAll().where("council_id", "=", councilId).where("year", "=", y).executeTakeFirst();
  const actionsOfPlan = async (id: string) => s.db.selectFrom("plan_actions").select(["id", "title", "status"]).where("plan_id", "=", id).execute();

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of ["processledare", "ledamot", "observator"]) c[who] = await login(s.url, `${who}@samsyn.test`);
    councilId = (await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  it("opens next year's plan: unfinished actions carried over with their ids, done and cancelled left behind", async () => {
    expect((await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, c.ledamot)).status).toBe(403);
    const res = await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, c.processledare);
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toBe(`/councils/skaraborg/plans/${year + 1}`);
    const current = (await plan(year))!;
    const next = (await plan(year + 1))!;
    expect(next.status).toBe("revision");
    expect(next.copied_from).toBe(current.id);
    const before = await actionsOfPlan(current.id);
    const after = await actionsOfPlan(next.id);
    const unfinished = before.filter((a) => a.status !== "done" && a.status !== "cancelled");
    expect(after.map((a) => a.id).sort()).toEqual(unfinished.map((a) => a.id).sort());
    expect(after.length).toBeLessThan(before.length);
    expect((await postForm(s.url, `/councils/skaraborg/plans/${year}`, { intent: "openRevision" }, c.processledare)).status).toBe(409);
    // A carried-over action keeps its follow-up history from this year's plan.
    const carried = after.find((a) => a.title === "Branschvisa rekryteringsträffar för industrin")!;
    const page = await get(s.url, `/councils/skaraborg/plans/${year + 1}/actions/${carried.id}`, c.observator);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Två av fyra träffar genomförda, 38 deltagare.");
    // The new plan is live and editable for members.
    const m = connect(s.url, `plan:${next.id}`, c.ledamot);
    clients.push(m);
    await synced(m);
    expect((m.doc.getMap("meta").get("year") as number)).toBe(year + 1);
    expect(planToJson(m.doc).areas.flatMap((a) => a.goals.flatMap((g) => g.actions)).length).toBe(unfinished.length);
  });

  it("adopting freezes the plan: a Yjs write does not land and the stored revision never changes", async () => {
    const next = (await plan(year + 1))!;
    const writer = connect(s.url, `plan:${next.id}`, c.ledamot);
    const reader = connect(s.url, `plan:${next.id}`, c.processledare);
    clients.push(writer, reader);
    await Promise.all([synced(writer), synced(reader)]);
    const title = (d: Y.Doc) => actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0).get("title") as Y.Text;

    expect((await postForm(s.url, `/councils/skaraborg/plans/${year + 1}`, { intent: "adopt" }, c.ledamot)).status).toBe(403);
    const adopt = await postForm(s.url, `/councils/skaraborg/plans/${year + 1}`, { intent: "adopt" }, c.processledare);
    expect(adopt.status).toBe(200);
    const rev = await s.db.selectFrom("plan_revisions").selectAll().where("plan_id", "=", next.id).executeTakeFirstOrThrow();
    const bytes = Buffer.from(rev.state).toString("base64");
    expect((await plan(year + 1))!.status).toBe("adopted");

    const dropped = s.server.collab.stats().droppedWrites;
    title(writer.doc).insert(0, "EFTER FASTSTÄLLANDE ");
    await waitFor(() => s.server.collab.stats().droppedWrites > dropped, "the write to be dropped");
    const fresh = connect(s.url, `plan:${next.id}`, c.observator);
    clients.push(fresh);
    await synced(fresh);
    expect(title(fresh.doc).toString()).not.toContain("EFTER FASTSTÄLLANDE");
    expect(title(reader.doc).toString()).not.toContain("EFTER FASTSTÄLLANDE");

    // Adopting again is refused, and the database itself refuses to rewrite a revision.
    expect((await postForm(s.url, `/councils/skaraborg/plans/${year + 1}`, { intent: "adopt" }, c.processledare)).status).toBe(409);
    await expect(s.db.updateTable("plan_revisions").set({ decision: "x" }).where("plan_id", "=", next.id).execute()).rejects.toThrow(/immutable/);
    await expect(s.db.deleteFrom("plan_revisions").where("plan_id", "=", next.id).execute()).rejects.toThrow(/immutable/);
    const again = await s.db.selectFrom("plan_revisions").selectAll().where("plan_id", "=", next.id).executeTakeFirstOrThrow();
    expect(Buffer.from(again.state).toString("base64")).toBe(bytes);

    const api = JSON.parse((await get(s.url, `/api/v1/councils/skaraborg/plans/${year + 1}`, c.observator)).text);
    expect(api.status).toBe("adopted");
    expect(api.adoption).toMatchObject({ adoptedBy: "Karin Lindqvist" });
  });

  it("last year's demo plan is adopted with its decision, and the comparison shows what changed", async () => {
    const api = JSON.parse((await get(s.url, `/api/v1/councils/skaraborg/plans/${year - 1}`, c.observator)).text);
    expect(api.adoption).toMatchObject({ adoptedBy: "Karin Lindqvist", decision: `Rådet fastställde handlingsplanen för ${year - 1}.` });
    const page = await get(s.url, `/councils/skaraborg/plans/compare?from=${year - 1}&to=${year}`, c.observator);
    expect(page.status).toBe(200);
    const text = textOf(page.text.slice(page.text.indexOf("<main")));
    const section = (from: string, to: string) => text.slice(text.indexOf(from), text.indexOf(to));
    expect(section("Nya åtgärder", "Avslutade åtgärder")).toContain("Mentorprogram för utrikes födda ingenjörer");
    // Done last year and left behind by the revision: finished, not removed.
    expect(section("Avslutade åtgärder", "Borttagna åtgärder")).toMatch(/Jobbmässa för industrin i Skövde \(.+\) – ✓ Klar/);
    expect(section("Borttagna åtgärder", "Statusförändringar")).not.toContain("Jobbmässa för industrin i Skövde");
    // Changes read as sentences in Swedish; the demo's dates moved only with the year, so no date is a change.
    const changed = section("Ändrade åtgärder", "\u0000");
    expect(changed).toMatch(/Genomfört ändrades från \d+ % till \d+ %\./);
    expect(changed).not.toMatch(/datum ändrades/i);
    // Names and words, never ids or codes.
    expect(text).not.toMatch(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/);
    expect(text).not.toMatch(/\b(not_started|on_track|at_risk|delayed|done|cancelled)\b/);
    expect((await get(s.url, `/councils/skaraborg/plans/compare?from=${year - 1}&to=${year}`, await login(s.url, "ledamot.fyrbodal@samsyn.test"))).status).toBe(404);
  });
});
