// Follow-up reports and their history, through real HTTP and a real y-websocket client.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf, type AreaJson } from "../../server/domain/plan-doc";
import { createPlan, writeProjection } from "../../server/domain/plans";
import { stockholmToday } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

/** The action table of a dashboard page: its rows' action ids, in order. */
const tableActions = (html: string) => {
  const start = html.indexOf('class="action-table"');
  if (start < 0) return null;
  const table = html.slice(start, html.indexOf("</table>", start));
  return [...table.matchAll(/\/actions\/([A-Za-z0-9-]+)"/g)].map((m) => m[1]);
};
/** The <tr> of an action in the action table. */
const rowHtml = (html: string, actionId: string) => {
  const at = html.indexOf(`/actions/${actionId}"`, html.indexOf('class="action-table"'));
  return at < 0 ? "" : html.slice(html.lastIndexOf("<tr", at), html.indexOf("</tr>", at));
};

describe("follow-up", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const ids: Record<string, string> = {};
  const clients: Client[] = [];
  const year = new Date().getFullYear();
  let planId: string;
  const base = `/councils/skaraborg/plans/${year}`;
  const actionByTitle = async (title: string) =>
    s.db.selectFrom("plan_actions").selectAll().where("plan_id", "=", planId).where("title", "=", title).executeTakeFirstOrThrow();
  /** A member changes an action's status and progress in the live plan editor (a real y-websocket client). */
  const editInLivePlan = async (actionId: string, status: string, progress: number) => {
    const editor = connect(s.url, `plan:${planId}`, c.ledamot);
    clients.push(editor);
    await synced(editor);
    const target = areasOf(editor.doc)
      .toArray()
      .flatMap((a) => goalsOf(a).toArray())
      .flatMap((g) => actionsOf(g).toArray())
      .find((a) => a.get("id") === actionId)!;
    editor.doc.transact(() => {
      target.set("status", status);
      target.set("progress", progress);
    });
  };

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 20 } });
    for (const who of ["processledare", "ledamot", "observator", "maria.andersson"]) {
      c[who] = await login(s.url, `${who}@samsyn.test`);
      ids[who] = (await s.db.selectFrom("users").select("id").where("email", "=", `${who}@samsyn.test`).executeTakeFirstOrThrow()).id;
    }
    planId = (await s.db.selectFrom("plans as p").innerJoin("councils as k", "k.id", "p.council_id").select("p.id").where("k.slug", "=", "skaraborg").where("p.year", "=", year).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    for (const cl of clients) cl.destroy();
    await s.close();
  });

  it("the responsible member reports: the live plan changes and the report is kept with its comment", async () => {
    const action = await actionByTitle("Branschvisa rekryteringsträffar för industrin");
    expect(action.responsible_user_id).toBe(ids.ledamot);
    const watcher = connect(s.url, `plan:${planId}`, c.processledare);
    clients.push(watcher);
    await synced(watcher);
    const res = await postForm(s.url, `${base}/actions/${action.id}`, { status: "at_risk", progress: "55", comment: "Två träffar flyttade till nästa kvartal." }, c.ledamot);
    expect(res.status).toBe(200);
    const find = (d: Y.Doc) =>
      areasOf(d)
        .toArray()
        .flatMap((a) => goalsOf(a).toArray())
        .flatMap((g) => actionsOf(g).toArray())
        .find((a) => a.get("id") === action.id)!;
    await waitFor(() => find(watcher.doc).get("status") === "at_risk", "the live plan to show the new status");
    expect(find(watcher.doc).get("progress")).toBe(55);
    // The newest row is this report (the demo data has earlier reports on the same action).
    const history = await s.db.selectFrom("followups").selectAll().where("action_id", "=", action.id).orderBy("reported_at", "desc").execute();
    expect(history[0]).toMatchObject({ source: "report", reported_by: ids.ledamot, old_status: "on_track", new_status: "at_risk", old_progress: 50, new_progress: 55, comment: "Två träffar flyttade till nästa kvartal." });
    const api = JSON.parse((await get(s.url, `/api/v1/councils/skaraborg/plans/${year}`, c.observator)).text);
    const projected = api.areas.flatMap((a: { goals: { actions: { id: string; status: string }[] }[] }) => a.goals.flatMap((g) => g.actions)).find((a: { id: string }) => a.id === action.id);
    expect(projected.status).toBe("at_risk");
  });

  it("who may report: the responsible person and the leader; not another member, not an observer", async () => {
    const notMine = await actionByTitle("Ansökan om nya YH-utbildningar inom automation"); // Maria's
    const before = await s.db.selectFrom("followups").select("id").execute();
    expect((await postForm(s.url, `${base}/actions/${notMine.id}`, { status: "done", progress: "100" }, c.ledamot)).status).toBe(403);
    expect((await postForm(s.url, `${base}/actions/${notMine.id}`, { status: "done", progress: "100" }, c.observator)).status).toBe(403);
    expect((await s.db.selectFrom("followups").select("id").execute()).length).toBe(before.length);
    expect((await postForm(s.url, `${base}/actions/${notMine.id}`, { status: "done", progress: "100", comment: "Beviljad." }, c.processledare)).status).toBe(200);
    expect((await postForm(s.url, `${base}/actions/${notMine.id}`, { status: "done", progress: "100" }, c["maria.andersson"])).status).toBe(200);
    const page = await get(s.url, `${base}/actions/${notMine.id}`, c.observator);
    expect(page.status).toBe(200);
    expect(page.text).toContain("Beviljad.");
    expect(page.text).not.toContain("Spara uppföljningen"); // no form for observers
  });

  it("refuses bad reports with a message and unknown actions with 404", async () => {
    const action = await actionByTitle("Branschvisa rekryteringsträffar för industrin");
    const big = await postForm(s.url, `${base}/actions/${action.id}`, { status: "on_track", progress: "150" }, c.ledamot);
    expect(big.status).toBe(400);
    expect(big.text).toContain("Ange hur mycket som är genomfört, 0–100.");
    expect((await postForm(s.url, `${base}/actions/${action.id}`, { status: "finished", progress: "10" }, c.ledamot)).status).toBe(400);
    expect((await postForm(s.url, `${base}/actions/00000000-no-such`, { status: "done", progress: "1" }, c.processledare)).status).toBe(404);
  });

  it("a status changed in the live editor lands in the history with who changed it", async () => {
    const action = await actionByTitle("Mentorprogram för utrikes födda ingenjörer");
    await editInLivePlan(action.id, "on_track", 10);
    await new Promise<void>((resolve, reject) => {
      const started = Date.now();
      const tick = async () => {
        const rows = await s.db.selectFrom("followups").selectAll().where("action_id", "=", action.id).execute();
        if (rows.length) {
          try {
            expect(rows[0]).toMatchObject({ source: "editor", reported_by: ids.ledamot, old_status: "not_started", new_status: "on_track", old_progress: 0, new_progress: 10 });
            resolve();
          } catch (e) {
            reject(e);
          }
        } else if (Date.now() - started > 5000) reject(new Error("no history row"));
        else setTimeout(tick, 20);
      };
      void tick();
    });
  });

  it("the dashboard filters, lists overdue actions, and exports CSV with a BOM", async () => {
    const all = await get(s.url, `${base}/dashboard`, c.observator);
    expect(all.status).toBe(200);
    const done = await get(s.url, `${base}/dashboard?status=done`, c.observator);
    const doneIds = (await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", planId).where("status", "=", "done").execute()).map((r) => r.id);
    expect(tableActions(done.text)?.sort()).toEqual(doneIds.sort());
    const doneTable = done.text.slice(done.text.indexOf('class="action-table"'), done.text.indexOf("</table>", done.text.indexOf('class="action-table"')));
    expect(doneTable).not.toContain("Enligt plan</span>");
    expect(doneTable).toContain("Klar</span>");
    const csv = await get(s.url, `/api/v1/councils/skaraborg/plans/${year}/followups.csv`, c.observator);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    // fetch's text() drops a BOM, so look at the bytes.
    const raw = new Uint8Array(await (await fetch(s.url + `/api/v1/councils/skaraborg/plans/${year}/followups.csv`, { headers: { cookie: c.observator } })).arrayBuffer());
    expect([...raw.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const lines = csv.text.trim().split("\r\n");
    expect(lines[0]).toBe("area;action_id;action;status;progress;responsible_org;responsible_person;due_date;overdue;last_followup");
    const count = (await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", planId).execute()).length;
    expect(lines.length - 1).toBe(count);
    expect(csv.text).toContain("Strategisk påverkan och omvärldsbevakning");
    expect((await get(s.url, `/api/v1/councils/skaraborg/plans/${year}/followups.csv`)).status).toBe(401);
  });

  it("the dashboard and its CSV are cached per plan version, yet show a report at once", async () => {
    const action = await actionByTitle("Branschvisa rekryteringsträffar för industrin");
    const page = () => get(s.url, `${base}/dashboard`, c.observator);
    const csvLine = async () =>
      (await get(s.url, `/api/v1/councils/skaraborg/plans/${year}/followups.csv`, c.observator)).text.split("\r\n").find((l) => l.includes(action.id)) ?? "";
    // Twice, so the second answer comes from the cache.
    await page();
    const before = await page();
    expect(rowHtml(before.text, action.id)).not.toContain("status--delayed");
    await csvLine();
    expect(await csvLine()).not.toContain(";delayed;");
    const comment = `Cachen ska släppa (${Date.now()}).`;
    const seq = async () => (await s.db.selectFrom("plans").select("report_seq").where("id", "=", planId).executeTakeFirstOrThrow()).report_seq;
    const seqBefore = await seq();
    expect((await postForm(s.url, `${base}/actions/${action.id}`, { status: "delayed", progress: "61", comment }, c.ledamot)).status).toBe(200);
    // The version the cache follows is moved by the database itself, for any writer.
    expect(await seq()).toBe(seqBefore + 1);
    const after = await page();
    const row = rowHtml(after.text, action.id);
    expect(row).toContain("status--delayed");
    expect(row).toContain("61 %");
    expect(after.text).toContain(comment);
    expect(await csvLine()).toContain(`;${action.id};`);
    expect(await csvLine()).toMatch(/;delayed;61;/);
    // A status changed in the live editor reaches the dashboard through the projection.
    await editInLivePlan(action.id, "on_track", 64);
    let last = "";
    for (const started = Date.now(); Date.now() - started < 5000; await new Promise((r) => setTimeout(r, 20))) {
      last = rowHtml((await page()).text, action.id);
      if (last.includes("status--on_track") && last.includes("64 %")) break;
    }
    expect(last, "the dashboard shows the editor's change").toContain("status--on_track");
    expect(last).toContain("64 %");
    expect(await csvLine()).toMatch(/;on_track;64;/);
  });
});

describe("follow-up dashboard of a large plan", () => {
  let s: TestServer;
  let cookie: string;
  const year = new Date().getFullYear() + 7;
  const base = `/councils/skaraborg/plans/${year}/dashboard`;
  const today = stockholmToday();
  const past = `${Number(today.slice(0, 4)) - 1}-03-15`;
  const STATUSES = ["not_started", "on_track", "at_risk", "delayed", "done", "cancelled"] as const;
  // 3 areas × 2 goals × 12 actions = 72 actions (more than the 50 a small plan shows at once).
  const areas: AreaJson[] = Array.from({ length: 3 }, (_, a) => ({
    id: `area-${a}`,
    title: `Område ${a + 1}`,
    description: "",
    goals: Array.from({ length: 2 }, (_, g) => ({
      id: `goal-${a}-${g}`,
      title: `Mål ${a + 1}.${g + 1}`,
      actions: Array.from({ length: 12 }, (_, x) => {
        const i = a * 24 + g * 12 + x;
        const status = STATUSES[i % STATUSES.length];
        return {
          id: `action-${i}`,
          title: `Åtgärd ${i + 1}`,
          description: "",
          responsibleOrg: i % 2 ? "Högskolan i Skövde" : "Skövde kommun",
          responsibleUserId: null,
          startDate: null,
          // Every third action was due last year: overdue unless done or cancelled.
          dueDate: i % 3 === 0 ? past : `${year}-12-01`,
          status,
          progress: status === "done" ? 100 : (i * 7) % 100,
          indicators: [],
        };
      }),
    })),
  }));
  const all = areas.flatMap((a) => a.goals.flatMap((g) => g.actions.map((x) => ({ ...x, areaId: a.id }))));
  const overdue = all.filter((x) => x.dueDate === past && x.status !== "done" && x.status !== "cancelled");

  beforeAll(async () => {
    s = await startTestServer();
    cookie = await login(s.url, "observator@samsyn.test");
    const council = await s.db.selectFrom("councils").select("id").where("slug", "=", "skaraborg").executeTakeFirstOrThrow();
    const plan = await createPlan({ db: s.db, events: s.server.bus }, { councilId: council.id, year, title: `Handlingsplan ${year}`, actorId: null });
    await writeProjection(s.db, plan.id, { areas });
  });
  afterAll(() => s.close());

  it("opens on per-area summaries and the overdue actions, not on 72 table rows", async () => {
    const res = await get(s.url, base, cookie);
    expect(res.status).toBe(200);
    expect(tableActions(res.text)).toBeNull();
    expect(res.text).toContain("Planen har 72 åtgärder.");
    expect(res.text).toContain(`72 åtgärder, i snitt`);
    // Område 1: 24 actions, four of each status; its row links to its actions.
    const row = res.text.slice(res.text.indexOf(`?area=area-0#actions`), res.text.indexOf("</tr>", res.text.indexOf(`?area=area-0#actions`)));
    expect(row).toContain("Område 1");
    expect([...row.matchAll(/<td>(\d+)<\/td>/g)].map((m) => Number(m[1]))).toEqual([24, 4, 4, 4, 4, 4, 4, overdue.filter((x) => x.areaId === "area-0").length]);
    expect(res.text).toContain(`Försenade mot slutdatum (${overdue.length})`);
    expect(res.text).toContain(`Visa alla ${overdue.length} försenade åtgärder`);
  });

  it("shows an area's actions, the overdue ones, or all of them, on request", async () => {
    const area = await get(s.url, `${base}?area=area-1`, cookie);
    expect(tableActions(area.text)).toEqual(all.filter((x) => x.areaId === "area-1").map((x) => x.id));
    const late = await get(s.url, `${base}?overdue=1`, cookie);
    expect(tableActions(late.text)?.sort()).toEqual(overdue.map((x) => x.id).sort());
    const every = await get(s.url, `${base}?all=1`, cookie);
    expect(tableActions(every.text)).toEqual(all.map((x) => x.id));
    const csv = await get(s.url, `/api/v1/councils/skaraborg/plans/${year}/followups.csv`, cookie);
    expect(csv.text.trim().split("\r\n").length - 1).toBe(72);
  });

  it("reuses a rendered view only for the same language and filter, and sends the same summaries to a client-side navigation", async () => {
    // Each view twice, so the second answer is the reused HTML.
    for (let round = 0; round < 2; round++) {
      const sv = await get(s.url, base, cookie);
      expect(sv.text).toContain("Prioriterade områden");
      expect(sv.text).not.toContain("Priority areas");
      const en = await get(s.url, base, `${cookie}; samsyn_lang=en`);
      expect(en.text).toContain("Priority areas");
      expect(en.text).toContain("The plan has 72 actions.");
      expect(en.text).not.toContain("Prioriterade områden");
      expect(tableActions(sv.text)).toBeNull();
      const area = await get(s.url, `${base}?area=area-2`, cookie);
      expect(tableActions(area.text)).toEqual(all.filter((x) => x.areaId === "area-2").map((x) => x.id));
      const other = await get(s.url, `${base}?area=area-0`, cookie);
      expect(tableActions(other.text)).toEqual(all.filter((x) => x.areaId === "area-0").map((x) => x.id));
    }
    // The page carries its summaries once: as markup, not again in the loader data.
    const page = await get(s.url, `${base}?area=area-2`, cookie);
    expect(page.text.split('class="area-table"').length - 1).toBe(1);
    expect(page.text.split("/actions/action-50").length - 1).toBe(1);
    // What a client-side navigation fetches carries the same summaries, as data.
    const data = await get(s.url, `${base}.data?area=area-2`, cookie);
    expect(data.status).toBe(200);
    expect(data.text).toContain("area-table");
    for (const x of all.filter((a) => a.areaId === "area-2")) expect(data.text).toContain(`/actions/${x.id}`);
    expect(data.text).not.toContain("/actions/action-0");
  });
});

describe("follow-up by CSV (leader)", () => {
  let s: TestServer;
  const c: Record<string, string> = {};
  const year = new Date().getFullYear();
  const path = `/councils/skaraborg/plans/${year}/dashboard`;
  beforeAll(async () => {
    s = await startTestServer();
    for (const who of ["processledare", "ledamot"]) c[who] = await login(s.url, `${who}@samsyn.test`);
  });
  afterAll(() => s.close());

  const upload = (csv: string, cookie: string, intent = "preview") => {
    const form = new FormData();
    form.set("intent", intent);
    if (intent === "apply") form.set("csv", csv);
    else form.set("file", new Blob([csv], { type: "text/csv" }), "uppfoljning.csv");
    return fetch(s.url + path, { method: "POST", body: form, headers: { cookie, origin: s.url }, redirect: "manual" });
  };

  it("exports, edits and re-imports: preview first, nothing applied while any row is wrong, then all at once", async () => {
    const exported = await (await fetch(s.url + `/api/v1/councils/skaraborg/plans/${year}/followups.csv`, { headers: { cookie: c.processledare } })).text();
    const [header, ...rows] = exported.trim().split("\r\n");
    const cols = header.split(";");
    const idx = (name: string) => cols.indexOf(name);
    const edit = (line: string, status: string, progress: string) => {
      const f = line.split(";");
      f[idx("status")] = status;
      f[idx("progress")] = progress;
      return f.join(";");
    };
    const changed = [edit(rows[0], "done", "100"), edit(rows[1], "delayed", "15"), ...rows.slice(2)];
    const bad = [edit(rows[0], "done", "100"), edit(rows[1], "finished", "15"), edit(rows[2], "on_track", "120"), ...rows.slice(3)];

    const before = await s.db.selectFrom("followups").select("id").execute();
    const refused = await upload([header, ...bad].join("\r\n"), c.processledare);
    expect(refused.status).toBe(400);
    const refusedText = await refused.text();
    expect(refusedText).toContain("Rad 3");
    expect(refusedText).toContain("Okänd status ”finished”.");
    expect(refusedText).toContain("Rad 4");
    const appliedAnyway = await upload([header, ...bad].join("\r\n"), c.processledare, "apply");
    expect(appliedAnyway.status).toBe(400);
    expect((await s.db.selectFrom("followups").select("id").execute()).length).toBe(before.length);

    const preview = await upload([header, ...changed].join("\r\n"), c.processledare);
    expect(preview.status).toBe(200);
    expect(await preview.text()).toContain("2 åtgärder ändras");
    expect((await s.db.selectFrom("followups").select("id").execute()).length).toBe(before.length); // a preview changes nothing

    expect((await upload([header, ...changed].join("\r\n"), c.ledamot, "apply")).status).toBe(403);
    const applied = await upload([header, ...changed].join("\r\n"), c.processledare, "apply");
    expect(applied.status).toBe(200);
    const firstId = rows[0].split(";")[idx("action_id")];
    const secondId = rows[1].split(";")[idx("action_id")];
    const after = await s.db.selectFrom("plan_actions").select(["id", "status", "progress"]).where("id", "in", [firstId, secondId]).execute();
    expect(Object.fromEntries(after.map((a) => [a.id, [a.status, a.progress]]))).toEqual({ [firstId]: ["done", 100], [secondId]: ["delayed", 15] });
    expect((await s.db.selectFrom("followups").select("id").execute()).length).toBe(before.length + 2);
    // The dashboard shows the imported statuses at once (its cache follows the plan's version).
    const dash = await get(s.url, path, c.processledare);
    expect(rowHtml(dash.text, firstId)).toContain("status--done");
    expect(rowHtml(dash.text, secondId)).toContain("status--delayed");
  });
});

describe("the dashboard's version counter (migration 0013)", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("starts at the number of reports and moves on every insert, update and delete of a plan's follow-ups, and on no other plan", async () => {
    const plans = await s.db.selectFrom("plans").select(["id", "report_seq", "council_id"]).execute();
    for (const p of plans) {
      const n = await s.db.selectFrom("followups").select((e) => e.fn.countAll<number>().as("n")).where("plan_id", "=", p.id).executeTakeFirstOrThrow();
      // Every indicator value written in the council moves each of its plans (migration 0032).
      const v = await s.db.selectFrom("indicator_values").select((e) => e.fn.countAll<number>().as("n")).where("council_id", "=", p.council_id).executeTakeFirstOrThrow();
      expect(p.report_seq, "seeded reports and indicator values are counted").toBe(Number(n.n) + Number(v.n));
    }
    const [mine, other] = plans;
    const seq = async (id: string) => (await s.db.selectFrom("plans").select("report_seq").where("id", "=", id).executeTakeFirstOrThrow()).report_seq;
    const otherBefore = await seq(other.id);
    const start = await seq(mine.id);
    await s.db
      .insertInto("followups")
      .values({ id: "seq-test", plan_id: mine.id, action_id: "x", reported_at: new Date().toISOString(), reported_by: null, source: "report", old_status: null, new_status: "on_track", old_progress: null, new_progress: 10, comment: "" })
      .execute();
    expect(await seq(mine.id)).toBe(start + 1);
    await s.db.updateTable("followups").set({ comment: "ändrad" }).where("id", "=", "seq-test").execute();
    expect(await seq(mine.id)).toBe(start + 2);
    await s.db.deleteFrom("followups").where("id", "=", "seq-test").execute();
    expect(await seq(mine.id)).toBe(start + 3);
    expect(await seq(other.id)).toBe(otherBefore);
  });

  it("moves every plan of a council on a write of its indicator values (a value may be read by any year's dashboard), and no other council's", async () => {
    const plans = await s.db.selectFrom("plans").select(["id", "report_seq", "council_id"]).execute();
    const mine = plans[0];
    const before = new Map(plans.map((p) => [p.id, p.report_seq]));
    await s.db
      .insertInto("indicator_values")
      .values({ id: "seq-value", council_id: mine.council_id, plan_id: mine.id, action_id: "x", indicator_id: "i", measured_on: "2026-01-01", value: 1, comment: "", reported_by: null, reported_at: new Date().toISOString(), followup_id: null })
      .execute();
    await s.db.deleteFrom("indicator_values").where("id", "=", "seq-value").execute();
    for (const p of await s.db.selectFrom("plans").select(["id", "report_seq", "council_id"]).execute()) {
      expect(p.report_seq).toBe(before.get(p.id)! + (p.council_id === mine.council_id ? 2 : 0));
    }
  });
});
