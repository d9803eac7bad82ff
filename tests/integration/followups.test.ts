// Follow-up reports and their history, through real HTTP and a real y-websocket client.
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { actionsOf, areasOf, goalsOf } from "../../server/domain/plan-doc";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor, type Client } from "../helpers/yjs";

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
    const editor = connect(s.url, `plan:${planId}`, c.ledamot);
    clients.push(editor);
    await synced(editor);
    const target = areasOf(editor.doc)
      .toArray()
      .flatMap((a) => goalsOf(a).toArray())
      .flatMap((g) => actionsOf(g).toArray())
      .find((a) => a.get("id") === action.id)!;
    editor.doc.transact(() => {
      target.set("status", "on_track");
      target.set("progress", 10);
    });
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
    const doneCount = (await s.db.selectFrom("plan_actions").select("id").where("plan_id", "=", planId).where("status", "=", "done").execute()).length;
    expect((done.text.match(/\/actions\/[A-Za-z0-9-]+"/g) ?? []).length).toBeGreaterThanOrEqual(doneCount);
    expect(done.text).not.toContain("Enligt plan</span>");
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
  });
});
