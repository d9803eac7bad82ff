// The plan's relational projection is written as a difference from the rows there
// (writeProjection in server/domain/plans.ts): whatever the edits (renames, moves
// between goals and areas, deletions, new items, duplicated ids), the rows after
// each write are exactly the plan's JSON, on SQLite and (second pass) PostgreSQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { docStoreFor, loadDoc } from "../../server/collab/store";
import { planDocName } from "../../server/domain/doc-names";
import { planToJson, type PlanJson } from "../../server/domain/plan-doc";
import { projectionRows, writeProjection, writeProjectionRows, type WrittenProjection } from "../../server/domain/plans";
import { startTestServer, type TestServer } from "../helpers/server";
import { rng } from "../helpers/random";

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

  /** One random edit of the JSON: renames, follow-up, moves, deletions, new and copied items. */
  function edit(r: () => number, n: { next: number }): number {
    const pick = <T,>(xs: T[]) => xs[Math.floor(r() * xs.length)];
    const allGoals = () => json.areas.flatMap((a) => a.goals);
    {
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
      else if (kind === 4) goal.actions.unshift({ ...goal.actions[0], id: `ny-${++n.next}`, title: `Ny åtgärd ${n.next}` } as (typeof goal.actions)[number]);
      else if (kind === 5) json.areas.reverse();
      else if (kind === 6 && json.areas.length > 1 && r() < 0.3) json.areas.splice(Math.floor(r() * json.areas.length), 1);
      else if (kind === 7 && goal.actions.length) goal.actions.push({ ...goal.actions[0] }); // a copied item: same id twice
      return kind;
    }
  }

  it("matches the JSON after every one of 60 random edits", async () => {
    expect(json.areas.length).toBeGreaterThan(1);
    const r = rng(14);
    const n = { next: 0 };
    for (let step = 0; step < 60; step++) {
      const kind = edit(r, n);
      await writeProjection(s.db, planId, json);
      expect(await rows(), `step ${step}, edit ${kind}`).toEqual(expected(json));
    }
  });

  // A live room diffs against the rows it wrote last (decision 053) instead of reading
  // them back: only while the plan's row says nobody wrote since. Other writers come
  // in between here (a server-side change with its own sequence number, a revision's
  // write without one); a stale copy would leave deleted rows missing or write a
  // duplicate id, and the rows would not match.
  it("diffs against its last write only while nobody else wrote since", async () => {
    const r = rng(53);
    const n = { next: 100 };
    let seq = 1_000_000;
    let mine: WrittenProjection | undefined;
    const writers: Record<string, number> = { room: 0, "other with seq": 0, "other without seq": 0, "room, nothing new": 0 };
    for (let step = 0; step < 80; step++) {
      const kind = edit(r, n);
      const who = r();
      if (who < 0.6) {
        const at = ++seq;
        const rowsNow = projectionRows(planId, json);
        const wrote = await writeProjectionRows(s.db, planId, rowsNow, new Date(), undefined, at, mine);
        mine = wrote ? { seq: at, rows: wrote } : undefined;
        writers.room++;
        if (r() < 0.3) {
          // A second write of the same state from the copy: nothing to change, nothing breaks.
          const again = ++seq;
          const wrote2 = await writeProjectionRows(s.db, planId, rowsNow, new Date(), undefined, again, mine);
          mine = wrote2 ? { seq: again, rows: wrote2 } : undefined;
          writers["room, nothing new"]++;
        }
      } else if (who < 0.8) {
        await writeProjection(s.db, planId, json, new Date(), undefined, ++seq);
        writers["other with seq"]++;
      } else {
        await writeProjection(s.db, planId, json);
        writers["other without seq"]++;
      }
      expect(await rows(), `step ${step}, edit ${kind}`).toEqual(expected(json));
    }
    for (const [w, count] of Object.entries(writers)) expect(count, w).toBeGreaterThan(3);
  });

  it("a write from an older state than the one there is skipped, and says so", async () => {
    const at = 2_000_000;
    expect(await writeProjection(s.db, planId, json, new Date(), undefined, at)).not.toBeNull();
    const before = await rows();
    const older = structuredClone(json);
    older.areas[0].title += " (äldre)";
    expect(await writeProjection(s.db, planId, older, new Date(), undefined, at - 1)).toBeNull();
    expect(await rows()).toEqual(before);
  });
});
