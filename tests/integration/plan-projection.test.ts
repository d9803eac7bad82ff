// The plan's relational projection is written as a difference from the rows there
// (writeProjection in server/domain/plans.ts): whatever the edits (renames, moves
// between goals and areas, deletions, new items, duplicated ids), the rows after
// each write are exactly the plan's JSON, on SQLite and (second pass) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docStoreFor, loadDoc } from "../../server/collab/store";
import { planDocName } from "../../server/domain/doc-names";
import { planToJson, type PlanJson } from "../../server/domain/plan-doc";
import { writeProjection } from "../../server/domain/plans";
import { startTestServer, type TestServer } from "../helpers/server";

/** A small deterministic random source (mulberry32), so a failure can be replayed. */
function rng(seed: number) {
  return () => {
    seed |= 0;
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** What the rows must be: the JSON flattened, first occurrence of an id winning. */
function expected(json: PlanJson) {
  const seen = new Set<string>();
  const first = (k: string) => (seen.has(k) ? false : (seen.add(k), true));
  const areas: unknown[] = [];
  const goals: unknown[] = [];
  const actions: unknown[] = [];
  json.areas.forEach((a, ai) => {
    if (!first(`a${a.id}`)) return;
    areas.push({ id: a.id, position: ai, title: a.title, description: a.description });
    a.goals.forEach((g, gi) => {
      if (!first(`g${g.id}`)) return;
      goals.push({ id: g.id, area_id: a.id, position: gi, title: g.title });
      g.actions.forEach((x, xi) => {
        if (!first(`x${x.id}`)) return;
        actions.push({ id: x.id, area_id: a.id, goal_id: g.id, position: xi, title: x.title, status: x.status, progress: x.progress, responsible_user_id: x.responsibleUserId, due_date: x.dueDate });
      });
    });
  });
  const byId = (a: unknown, b: unknown) => ((a as { id: string }).id < (b as { id: string }).id ? -1 : 1);
  return { areas: areas.sort(byId), goals: goals.sort(byId), actions: actions.sort(byId) };
}

describe("the plan projection written as a difference", () => {
  let s: TestServer;
  let planId: string;
  let json: PlanJson;

  beforeAll(async () => {
    s = await startTestServer();
    const council = await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    planId = (await s.db.selectFrom("plans").select("id").where("council_id", "=", council.id).orderBy("year", "desc").executeTakeFirstOrThrow()).id;
    json = planToJson(await loadDoc(docStoreFor(s.db), planDocName(planId)));
  });
  afterAll(() => s.close());

  async function rows() {
    const areas = await s.db.selectFrom("plan_areas").select(["id", "position", "title", "description"]).where("plan_id", "=", planId).orderBy("id").execute();
    const goals = await s.db.selectFrom("plan_goals").select(["id", "area_id", "position", "title"]).where("plan_id", "=", planId).orderBy("id").execute();
    const actions = await s.db
      .selectFrom("plan_actions")
      .select(["id", "area_id", "goal_id", "position", "title", "status", "progress", "responsible_user_id", "due_date"])
      .where("plan_id", "=", planId)
      .orderBy("id")
      .execute();
    return { areas, goals, actions };
  }

  it("matches the JSON after every one of 60 random edits", async () => {
    expect(json.areas.length).toBeGreaterThan(1);
    const r = rng(14);
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const allGoals = () => json.areas.flatMap((a) => a.goals);
    let n = 0;
    for (let step = 0; step < 60; step++) {
      const goal = pick(allGoals());
      const kind = Math.floor(r() * 8);
      if (kind === 0 && goal.actions.length) pick(goal.actions).title += " ändrad";
      else if (kind === 1 && goal.actions.length) {
        const x = pick(goal.actions);
        x.status = pick(["not_started", "on_track", "at_risk", "done", "delayed"] as const);
        x.progress = Math.floor(r() * 101);
      } else if (kind === 2 && goal.actions.length) {
        // Move an action to another goal (perhaps in another area).
        const [x] = goal.actions.splice(Math.floor(r() * goal.actions.length), 1);
        pick(allGoals()).actions.push(x);
      } else if (kind === 3 && goal.actions.length) goal.actions.splice(Math.floor(r() * goal.actions.length), 1);
      else if (kind === 4) goal.actions.unshift({ ...goal.actions[0], id: `ny-${++n}`, title: `Ny åtgärd ${n}` } as (typeof goal.actions)[number]);
      else if (kind === 5) json.areas.reverse();
      else if (kind === 6 && json.areas.length > 1 && r() < 0.3) json.areas.splice(Math.floor(r() * json.areas.length), 1);
      else if (kind === 7 && goal.actions.length) goal.actions.push({ ...goal.actions[0] }); // a copied item: same id twice
      await writeProjection(s.db, planId, json);
      expect(await rows(), `step ${step}, edit ${kind}`).toEqual(expected(json));
    }
  });
});
