// Issue #12 item 13: operations that change a live document AND relational rows are
// all-or-nothing across kill -9. The real server runs as a child process; a named
// crash point (server/crash-points.ts) makes it SIGKILL itself at each step of the
// operation in turn; after the crash, the database holds either everything or
// nothing, and the restarted server carries on from there (a retried conversion
// converts once).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, inject, it } from "vitest";
import * as Y from "yjs";
import { openDb, type Db } from "../../db";
import { docStoreFor, loadDoc } from "../../server/collab/store";
import { markTemplateDone, minutesDocName } from "../../server/domain/minutes";
import { allActions, planToJson } from "../../server/domain/plan-doc";
import { get, login, postForm } from "../helpers/http";
import { startServerProcess, type ServerProcess } from "../helpers/process";

const YEAR = new Date().getFullYear();
const SERVER_CHANGE_POINTS = ["serverChange.appended", "serverChange.beforeCommit", "serverChange.committed"] as const;
/** Whether the operation is expected to have happened when the process dies at this point. */
const committedAt = (point: string | null) => point === null || point === "serverChange.committed";

interface Outcome {
  /** Each part of the operation, applied or not: all must agree. */
  parts: Record<string, boolean>;
}

interface Scenario {
  name: string;
  points: readonly string[];
  /** Run before the server starts, on the database file (test set-up only). */
  prepare?(db: Db): Promise<void>;
  act(url: string, cookie: string, db: Db): Promise<void>;
  observe(db: Db): Promise<Outcome>;
  /** After the restart: a retry, where it makes sense, must not apply twice. */
  retry?(url: string, cookie: string, db: Db): Promise<void>;
}

async function planOf(db: Db, year = YEAR) {
  const council = await db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
  return db.selectFrom("plans").selectAll().where("council_id", "=", council.id).where("year", "=", year).executeTakeFirst();
}

async function docActions(db: Db, planId: string) {
  const doc = await loadDoc(docStoreFor(db), `plan:${planId}`);
  const actions = [...allActions(doc)].map((a) => ({ id: String(a.get("id")), title: String(a.get("title") ?? ""), status: String(a.get("status")), progress: Number(a.get("progress")) }));
  const json = planToJson(doc);
  doc.destroy();
  return { actions, json };
}

const REPORT_COMMENT = "Rapport i kraschtestet";
const ITEM = "Kraschtestets åtgärdspunkt";

const scenarios: Scenario[] = [
  {
    name: "follow-up report",
    points: SERVER_CHANGE_POINTS,
    async act(url, cookie, db) {
      const plan = (await planOf(db))!;
      const action = await db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
      await postForm(url, `/councils/skaraborg/plans/${YEAR}/actions/${action.id}`, { status: "delayed", progress: "37", comment: REPORT_COMMENT }, cookie);
    },
    async observe(db) {
      const plan = (await planOf(db))!;
      const { actions } = await docActions(db, plan.id);
      const first = await db.selectFrom("plan_actions").select(["id", "status", "progress"]).where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
      const inDoc = actions.find((a) => a.id === first.id)!;
      const report = await db.selectFrom("followups").select("id").where("comment", "=", REPORT_COMMENT).execute();
      const activity = await db.selectFrom("activity").select("id").where("kind", "=", "followup_reported").where("params_json", "like", "%37%").execute();
      return {
        parts: {
          document: inDoc.status === "delayed" && inDoc.progress === 37,
          projection: first.status === "delayed" && first.progress === 37,
          history: report.length === 1,
          activity: activity.length === 1,
        },
      };
    },
  },
  {
    name: "CSV import",
    points: SERVER_CHANGE_POINTS,
    async act(url, cookie) {
      const exported = (await get(url, `/api/v1/councils/skaraborg/plans/${YEAR}/followups.csv`, cookie)).text;
      const [header, ...rows] = exported.replace(/^\uFEFF/, "").trim().split("\r\n");
      const cols = header.split(";");
      const edited = rows.map((line) => {
        const f = line.split(";");
        f[cols.indexOf("status")] = "at_risk";
        f[cols.indexOf("progress")] = "42";
        return f.join(";");
      });
      const form = new FormData();
      form.set("intent", "apply");
      form.set("csv", [header, ...edited].join("\r\n"));
      await fetch(`${url}/councils/skaraborg/plans/${YEAR}/dashboard`, { method: "POST", body: form, headers: { cookie, origin: url }, redirect: "manual" });
    },
    async observe(db) {
      const plan = (await planOf(db))!;
      const { actions } = await docActions(db, plan.id);
      const rows = await db.selectFrom("plan_actions").select(["status", "progress"]).where("plan_id", "=", plan.id).execute();
      const history = await db.selectFrom("followups").select("id").where("plan_id", "=", plan.id).where("comment", "=", "CSV").execute();
      const changed = actions.filter((a) => a.status === "at_risk" && a.progress === 42).length;
      return {
        parts: {
          // All or nothing within each part too: a half-applied import counts as neither.
          documentAll: changed === actions.length,
          documentNone: changed !== 0 ? false : true,
          projection: rows.every((r) => r.status === "at_risk" && r.progress === 42),
          history: history.length === actions.length,
        },
      };
    },
  },
  {
    name: "action item → plan",
    points: SERVER_CHANGE_POINTS,
    async prepare(db) {
      const m = await db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
      await db.updateTable("minutes").set({ status: "draft" }).where("meeting_id", "=", m.id).execute();
      // The minutes were opened before (their agenda template is done): the page's
      // loader makes no server change of its own, so the crash point is the conversion's.
      const opened = new Y.Doc();
      markTemplateDone(opened);
      await db.insertInto("yjs_updates").values({ doc_name: minutesDocName(m.id), update: Y.encodeStateAsUpdate(opened), user_id: null, created_at: new Date().toISOString() }).execute();
    },
    async act(url, cookie, db) {
      const m = await db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
      const path = `/councils/skaraborg/meetings/${m.id}/minutes`;
      const added = await postForm(url, path, { intent: "actionItem", what: ITEM, ownerUserId: "" }, cookie);
      expect(added.status).toBe(200);
      await convert(url, cookie, db);
    },
    async observe(db) {
      const plan = (await planOf(db))!;
      const { actions } = await docActions(db, plan.id);
      const item = await db.selectFrom("action_items").select("plan_action_id").where("what", "=", ITEM).executeTakeFirstOrThrow();
      const inDoc = actions.filter((a) => a.title === ITEM).length;
      expect(inDoc).toBeLessThanOrEqual(1);
      return { parts: { document: inDoc === 1, marked: item.plan_action_id !== null } };
    },
    async retry(url, cookie, db) {
      const res = await convert(url, cookie, db);
      const marked = (await db.selectFrom("action_items").select("plan_action_id").where("what", "=", ITEM).executeTakeFirstOrThrow()).plan_action_id;
      expect([200, 409]).toContain(res.status);
      expect(marked).not.toBeNull();
      const plan = (await planOf(db))!;
      // Converted exactly once, whether the crash kept the first conversion or not.
      expect((await docActions(db, plan.id)).actions.filter((a) => a.title === ITEM)).toHaveLength(1);
    },
  },
  {
    name: "opening next year's revision",
    points: ["revision.beforeCommit"],
    async act(url, cookie) {
      await postForm(url, `/councils/skaraborg/plans/${YEAR}`, { intent: "openRevision" }, cookie);
    },
    async observe(db) {
      const plan = await planOf(db, YEAR + 1);
      if (!plan) return { parts: { plan: false } as Record<string, boolean> };
      const projected = await db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).execute();
      const snapshot = await db.selectFrom("yjs_snapshots").select("doc_name").where("doc_name", "=", `plan:${plan.id}`).executeTakeFirst();
      const audit = await db.selectFrom("audit_log").select("id").where("action", "=", "plan.revision_opened").where("subject", "=", plan.id).execute();
      return { parts: { plan: true, projection: projected.length > 0, document: !!snapshot, audit: audit.length === 1 } };
    },
  },
];

async function convert(url: string, cookie: string, db: Db) {
  const m = await db.selectFrom("meetings").select("id").where("title", "=", "Rådsmöte: revidering av handlingsplanen").executeTakeFirstOrThrow();
  const item = await db.selectFrom("action_items").select("id").where("what", "=", ITEM).executeTakeFirstOrThrow();
  const plan = (await planOf(db))!;
  const goal = await db.selectFrom("plan_goals").select("id").where("plan_id", "=", plan.id).orderBy("position").executeTakeFirstOrThrow();
  return postForm(url, `/councils/skaraborg/meetings/${m.id}/minutes`, { intent: "toPlan", itemId: item.id, goalId: goal.id }, cookie);
}

describe("all or nothing across kill -9 (item 13)", () => {
  let proc: ServerProcess | undefined;
  const dbs: Db[] = [];
  afterEach(async () => {
    await proc?.stop().catch(() => undefined);
    proc = undefined;
    for (const db of dbs.splice(0)) await db.destroy();
  });

  const cases = scenarios.flatMap((sc) => [null, ...sc.points].map((point) => [sc, point] as const));

  it.each(cases.map(([sc, point]) => [`${sc.name} @ ${point ?? "no crash"}`, sc, point] as const))("%s", async (_label, sc, point) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-atomic-"));
    const dbFile = path.join(dir, "samsyn.db");
    fs.copyFileSync(inject("baseDbPath"), dbFile);
    const env = { DATA_DIR: dir, DATABASE_URL: `file:${dbFile}`, SESSION_SECRET: "atomic-test-secret-atomic-test-secret-12", JOBS_INTERVAL_SECONDS: "0" };
    if (sc.prepare) {
      const setup = openDb(`file:${dbFile}`);
      await sc.prepare(setup);
      await setup.destroy();
    }

    proc = await startServerProcess(point ? { ...env, SAMSYN_CRASH_AT: point } : env);
    const cookie = await login(proc.url, "processledare@samsyn.test");
    const reader = openDb(`file:${dbFile}`);
    dbs.push(reader);
    await sc.act(proc.url, cookie, reader).catch((err: unknown) => {
      // The request dies with the process at a crash point.
      if (!point) throw err;
    });
    if (point) {
      // The process killed itself at the crash point: nothing else stopped it.
      expect(await proc.exited).toEqual({ code: null, signal: "SIGKILL" });
      proc = undefined;
    }
    const after = await sc.observe(reader);
    const wanted = committedAt(point);
    const expected = Object.fromEntries(Object.keys(after.parts).map((k) => [k, k === "documentNone" ? !wanted : wanted]));
    expect(after.parts).toEqual(expected);

    // The restarted server serves the plan with its projection matching the document.
    if (point) {
      proc = await startServerProcess(env);
      const fresh = await login(proc.url, "processledare@samsyn.test");
      const api = await get(proc.url, `/api/v1/councils/skaraborg/plans/${YEAR}`, fresh);
      expect(api.status).toBe(200);
      const plan = (await planOf(reader))!;
      const apiTitles = JSON.stringify((JSON.parse(api.text) as { areas: { goals: { actions: { id: string; status: string }[] }[] }[] }).areas.flatMap((a) => a.goals.flatMap((g) => g.actions.map((x) => [x.id, x.status]))));
      const docTitles = JSON.stringify((await docActions(reader, plan.id)).json.areas.flatMap((a) => a.goals.flatMap((g) => g.actions.map((x) => [x.id, x.status]))));
      expect(apiTitles).toBe(docTitles);
      if (sc.retry) await sc.retry(proc.url, fresh, reader);
    }
  }, 300_000);
});
