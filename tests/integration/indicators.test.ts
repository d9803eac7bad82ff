// Indicators with targets and measured values (issue #17) through real HTTP and the
// stock y-websocket client: the demo's indicators and values in the API, an indicator
// added live in the plan document and projected, values reported with a follow-up
// report and alone (rights, validation in Swedish, history across plan years), and
// schema 1 documents upgraded by the server.
import { DateTime } from "luxon";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { allActions, newIndicator, type IndicatorJson, type YAction } from "../../server/domain/plan-doc";
import { upgradePlanDocuments } from "../../server/domain/plan-upgrade";
import { planDocName } from "../../server/domain/plans";
import { decode } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";
import { connect, synced, waitFor } from "../helpers/yjs";

/** An indicator as the plan API gives it: the document's fields and the measured values. */
type ApiIndicator = IndicatorJson & { values: { date: string; value: number; comment: string }[] };
interface ApiAction {
  id: string;
  title: string;
  indicators: ApiIndicator[];
}

describe("indicators", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const today = DateTime.now().setZone("Europe/Stockholm");
  const year = today.year;
  const planApi = async (who = "member") => {
    const res = await get(s.url, `/api/v1/councils/skaraborg/plans/${year}`, cookies[who]);
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text) as { areas: { goals: { actions: ApiAction[] }[] }[] };
    return body.areas.flatMap((a) => a.goals.flatMap((g) => g.actions));
  };
  const actionNamed = async (title: string, who = "member") => (await planApi(who)).find((a) => a.title === title)!;
  const planId = async () => (await s.db.selectFrom("plans as p").innerJoin("councils as c", "c.id", "p.council_id").select("p.id").where("c.slug", "=", "skaraborg").where("p.year", "=", year).executeTakeFirstOrThrow()).id;

  beforeAll(async () => {
    s = await startTestServer({}, { collab: { projectionDelayMs: 50 } });
    for (const [who, email] of [
      ["leader", "processledare@samsyn.test"],
      ["member", "ledamot@samsyn.test"],
      ["owner", "ahmed.hassan@samsyn.test"],
      ["observer", "observator@samsyn.test"],
    ]) cookies[who] = await login(s.url, email);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("gives each action its indicators with targets and values in the API, values across plan years oldest first", async () => {
    const places = await actionNamed("Utöka platserna på undersköterskeutbildningen");
    expect(places.indicators.map((i) => i.name)).toEqual(["Platser på undersköterskeutbildningen", "Avbrott under utbildningen"]);
    const [seats, dropouts] = places.indicators;
    expect(seats).toMatchObject({ unit: "platser", baseline: 40, baselineDate: `${year - 1}-12-31`, target: 60, targetDate: `${year}-12-31`, direction: "higher" });
    expect(Object.keys(seats).sort()).toEqual(["baseline", "baselineDate", "direction", "id", "name", "target", "targetDate", "unit", "values"]);
    // 36 was reported in last year's plan on the same (carried-over) indicator.
    expect(seats.values.map((v) => v.value)).toEqual([36, 42, 44]);
    expect(seats.values.map((v) => v.date)).toEqual([...seats.values.map((v) => v.date)].sort());
    expect(Object.keys(seats.values[0]).sort()).toEqual(["comment", "date", "value"]);
    expect(dropouts).toMatchObject({ direction: "lower", baseline: 22, target: 12 });
    // An observer reads the same.
    expect((await actionNamed("Utöka platserna på undersköterskeutbildningen", "observer")).indicators[0].values).toHaveLength(3);
  });

  it("shows each indicator against its target on the dashboard: a table with the suggested status, a chart with its values as a table", async () => {
    const res = await get(s.url, `/councils/skaraborg/plans/${year}/dashboard`, cookies.observer);
    expect(res.status).toBe(200);
    const html = decode(res.text);
    expect(html).toContain(`<h2 id="indicators">Indikatorer mot mål</h2>`);
    // The row: baseline 40, latest 44, target 60, a fifth of the way, late in the year: delayed, as the action is.
    const row = html.match(/<td class="text">Platser på undersköterskeutbildningen<\/td>([\s\S]*?)<\/tr>/)![1];
    expect(row).toContain("<td>40 platser</td>");
    expect(row).toMatch(/<td>44 platser \(\d+ \p{L}+ \d{4}\)<\/td>/u);
    expect(row).toContain("<td>60 platser</td><td>20 %</td>");
    expect(row).toContain("Försenad");
    // The chart: named, its figures in words, and the same values in a table.
    expect(html).toMatch(/<figure class="chart indicator-chart"[^>]*><figcaption[^>]*>Platser på undersköterskeutbildningen/);
    expect(html).toMatch(/role="img" aria-label="Platser på undersköterskeutbildningen: utgångsvärde 40 platser, mål 60 platser, 3 uppmätta värden, senast 44 platser den /);
    expect(html).toContain("<summary>Visa värdena som tabell</summary>");
    // An indicator without values has no chart, but its row.
    expect(html).toContain(`<td class="text">Anställningar inom sex månader efter en träff</td>`);
    // Last year's dashboard stays last year's: only the value measured then.
    const last = decode((await get(s.url, `/councils/skaraborg/plans/${year - 1}/dashboard`, cookies.observer)).text);
    expect(last).toMatch(/aria-label="Platser på undersköterskeutbildningen: utgångsvärde 40 platser, mål 60 platser, 1 uppmätta värden, senast 36 platser/);
  });

  it("takes an indicator added in the live plan document into the projection; an observer's indicator is never stored", async () => {
    const id = await planId();
    const member = connect(s.url, planDocName(id), cookies.member);
    const observer = connect(s.url, planDocName(id), cookies.observer);
    try {
      await Promise.all([synced(member), synced(observer)]);
      const actionIn = (doc: Y.Doc) => [...allActions(doc)].find((a) => String((a.get("title") as Y.Text).toString()) === "Mentorprogram för utrikes födda ingenjörer") as YAction;
      const list = (doc: Y.Doc) => actionIn(doc).get("indicators") as Y.Array<Y.Map<unknown>>;
      member.doc.transact(() => list(member.doc).push([newIndicator({ name: "Ingenjörer med mentor", unit: "personer", baseline: 0, target: 15, baselineDate: `${year}-01-01`, targetDate: `${year}-12-31` })]));
      // Typing in the name, one character at a time, as the editor does.
      const name = list(member.doc).get(0).get("name") as Y.Text;
      for (const ch of " i Skövde") member.doc.transact(() => name.insert(name.length, ch));
      observer.doc.transact(() => list(observer.doc).push([newIndicator({ name: "Observatörens indikator" })]));
      await waitFor(() => list(observer.doc).toArray().some((m) => (m.get("name") as Y.Text).toString() === "Ingenjörer med mentor i Skövde"), "the member's indicator at the observer");
      let action: ApiAction | undefined;
      await expect.poll(async () => (action = await actionNamed("Mentorprogram för utrikes födda ingenjörer")).indicators.map((i) => i.name), { timeout: 10_000 }).toEqual(["Ingenjörer med mentor i Skövde"]);
      expect(action!.indicators[0]).toMatchObject({ unit: "personer", baseline: 0, target: 15, values: [] });
      // The member's own document never got the observer's indicator.
      expect(list(member.doc).toArray().map((m) => (m.get("name") as Y.Text).toString())).toEqual(["Ingenjörer med mentor i Skövde"]);
    } finally {
      member.destroy();
      observer.destroy();
    }
  });

  it("stores values reported with a follow-up report and alone, for the responsible person, and refuses others and bad input in Swedish", async () => {
    const action = await actionNamed("Utöka platserna på undersköterskeutbildningen");
    const [seats, dropouts] = action.indicators;
    const path = `/councils/skaraborg/plans/${year}/actions/${action.id}`;
    const day = today.minus({ days: 1 }).toISODate()!;
    const report = { intent: "report", status: "at_risk", progress: "55", comment: "Regionen beslutade om fler platser.", measuredOn: day, [`value-${seats.id}`]: "47,5", [`value-${dropouts.id}`]: "" };

    // Not theirs: a member who is not responsible, an observer.
    expect((await postForm(s.url, path, report, cookies.member)).status).toBe(403);
    expect((await postForm(s.url, path, report, cookies.observer)).status).toBe(403);

    // Bad number, future date: 400, the message in Swedish, nothing stored.
    const bad = await postForm(s.url, path, { ...report, [`value-${seats.id}`]: "47 platser" }, cookies.owner);
    expect(bad.status).toBe(400);
    expect(decode(bad.text)).toContain("Ange ett tal, till exempel 12 eller 12,5.");
    const future = await postForm(s.url, path, { ...report, measuredOn: today.plus({ days: 2 }).toISODate()! }, cookies.owner);
    expect(future.status).toBe(400);
    expect(decode(future.text)).toContain("Datumet kan inte vara senare än i dag.");
    expect((await actionNamed(action.title)).indicators[0].values).toHaveLength(3);

    // The owner's report: status and progress change, the value is stored with the report's comment.
    expect((await postForm(s.url, path, report, cookies.owner)).status).toBe(200);
    const after = await actionNamed(action.title);
    expect(after.indicators[0].values.at(-1)).toEqual({ date: day, value: 47.5, comment: "Regionen beslutade om fler platser." });
    expect(after.indicators[1].values).toHaveLength(2);
    const followup = await s.db.selectFrom("followups").select("id").where("action_id", "=", action.id).where("comment", "=", "Regionen beslutade om fler platser.").executeTakeFirstOrThrow();
    expect(await s.db.selectFrom("indicator_values").select("followup_id").where("indicator_id", "=", seats.id).where("value", "=", 47.5).executeTakeFirstOrThrow()).toEqual({ followup_id: followup.id });

    // Alone: no status change, the value's own comment; at least one value needed.
    const none = await postForm(s.url, path, { intent: "values", measuredOn: day, valueComment: "" }, cookies.owner);
    expect(none.status).toBe(400);
    expect(decode(none.text)).toContain("Ange minst ett värde.");
    const alone = await postForm(s.url, path, { intent: "values", measuredOn: day, [`value-${dropouts.id}`]: "15", valueComment: "Mätt av skolan." }, cookies.owner);
    expect(alone.status).toBe(200);
    expect((await actionNamed(action.title)).indicators[1].values.at(-1)).toEqual({ date: day, value: 15, comment: "Mätt av skolan." });
    // The leader may report on any action.
    expect((await postForm(s.url, path, { intent: "values", measuredOn: day, [`value-${seats.id}`]: "48" }, cookies.leader)).status).toBe(200);

    // The page shows the latest value, how far it has come and the history as a table.
    const page = decode((await get(s.url, path, cookies.observer)).text);
    expect(page).toContain("48 platser");
    expect(page).toMatch(/40 % av vägen från utgångsvärde till mål/);
    expect(page).toContain("<caption>Uppmätta värden: Platser på undersköterskeutbildningen</caption>");
    expect(page).not.toContain("Rapportera bara indikatorvärden");
    const feed = await s.db.selectFrom("activity").select("kind").where("kind", "=", "indicator_values_reported").execute();
    expect(feed.length).toBe(2);
  });

  it("exports the values as CSV and imports them again: a round trip adds nothing, new rows are previewed then stored whole, bad rows refuse the file", async () => {
    const csvPath = `/api/v1/councils/skaraborg/plans/${year}/indicators.csv`;
    const exported = await get(s.url, csvPath, cookies.leader);
    expect(exported.status).toBe(200);
    expect(exported.headers.get("content-type")).toContain("text/csv");
    const [header, ...rows] = exported.text.replace(/^\uFEFF/, "").trim().split("\r\n");
    expect(header).toBe("area;action_id;action;indicator_id;indicator;unit;baseline;baseline_date;target;target_date;direction;date;value;comment");
    const cols = header.split(";");
    const cell = (row: string, name: string) => row.split(";")[cols.indexOf(name)];
    // Every value of the plan year is a row; 47,5 is written the Swedish way.
    expect(rows.some((r) => cell(r, "indicator") === "Platser på undersköterskeutbildningen" && cell(r, "value") === "47,5")).toBe(true);
    // An indicator without values is listed once, empty, ready to fill in.
    const empty = rows.filter((r) => cell(r, "indicator") === "Ingenjörer med mentor i Skövde");
    expect(empty.map((r) => [cell(r, "date"), cell(r, "value"), cell(r, "target")])).toEqual([["", "", "15"]]);

    const dashboard = `/councils/skaraborg/plans/${year}/dashboard`;
    const upload = (csv: string, cookie: string, intent = "preview") => {
      const form = new FormData();
      form.set("intent", intent);
      if (intent === "apply") form.set("csv", csv);
      else form.set("file", new Blob([csv], { type: "text/csv" }), "indikatorer.csv");
      return fetch(s.url + dashboard, { method: "POST", body: form, headers: { cookie, origin: s.url }, redirect: "manual" });
    };
    const count = async () => Number((await s.db.selectFrom("indicator_values").select((e) => e.fn.countAll<number>().as("n")).executeTakeFirstOrThrow()).n);
    const before = await count();

    // The file as exported: nothing new.
    const same = await upload(exported.text, cookies.leader);
    expect(same.status).toBe(200);
    expect(decode(await same.text())).toContain("0 nya indikatorvärden");

    // Two new measurements in a spreadsheet's edit, one with a formula-looking comment.
    const day = today.minus({ days: 3 }).toISODate()!;
    const withValue = (row: string, value: string, comment: string) => {
      const f = row.split(";");
      f[cols.indexOf("date")] = day;
      f[cols.indexOf("value")] = value;
      f[cols.indexOf("comment")] = comment;
      return f.join(";");
    };
    const seatsRow = rows.find((r) => cell(r, "indicator") === "Platser på undersköterskeutbildningen")!;
    const firmsRow = rows.find((r) => cell(r, "indicator") === "Kartlagda företag")!;
    const edited = [header, ...rows, withValue(seatsRow, "51", "Nya platser i Mariestad."), withValue(firmsRow, "22", "'=SUM(A1)")].join("\r\n");

    // A bad row (unknown indicator, a word as value) refuses the whole file.
    const bad = [edited, withValue(seatsRow.replace(cell(seatsRow, "indicator_id"), "okänd"), "3", ""), withValue(firmsRow, "tjugo", "")].join("\r\n");
    const refused = await upload(bad, cookies.leader);
    expect(refused.status).toBe(400);
    const refusedText = decode(await refused.text());
    expect(refusedText).toContain("Indikatorn okänd finns inte i planen.");
    expect(refusedText).toContain("Värdet måste vara ett tal, inte ”tjugo”.");
    expect(await count()).toBe(before);
    expect((await upload(bad, cookies.leader, "apply")).status).toBe(400);
    expect(await count()).toBe(before);

    // A member may not import.
    expect((await upload(edited, cookies.member)).status).toBe(403);

    const preview = await upload(edited, cookies.leader);
    expect(preview.status).toBe(200);
    const previewText = decode(await preview.text());
    expect(previewText).toContain("2 nya indikatorvärden");
    expect(previewText).toContain("Utöka platserna på undersköterskeutbildningen › Platser på undersköterskeutbildningen: 51 platser den");
    expect(await count()).toBe(before);
    expect((await upload(edited, cookies.leader, "apply")).status).toBe(200);
    expect(await count()).toBe(before + 2);
    const firms = (await planApi("leader")).flatMap((a) => a.indicators).find((i) => i.name === "Kartlagda företag")!;
    expect(firms.values.at(-1)).toEqual({ date: day, value: 22, comment: "=SUM(A1)" });
    // Applying the same file again adds nothing.
    expect((await upload(edited, cookies.leader, "apply")).status).toBe(200);
    expect(await count()).toBe(before + 2);
    // The export neutralises the comment against formulas.
    const again = (await get(s.url, csvPath, cookies.leader)).text;
    expect(again).toContain(";'=SUM(A1)");
  });

  it("upgrades a schema 1 plan document once: its indicator lines become indicators everyone sees", async () => {
    const id = await planId();
    const name = planDocName(id);
    // Turn one action back into schema 1 (its indicators a text of lines), as documents written before were.
    const { result: actionId } = await s.server.collab.applyServerChange(name, (doc) => {
      const action = [...allActions(doc)].find((a) => (a.get("title") as Y.Text).toString() === "Mentorprogram för utrikes födda ingenjörer")!;
      const t = new Y.Text();
      t.insert(0, "Antal mentorer\nAntal matchningar");
      action.set("indicators", t);
      doc.getMap("meta").set("schemaVersion", 1);
      return String(action.get("id"));
    });
    await s.db.updateTable("plans").set({ schema_version: 1 }).where("id", "=", id).execute();
    // Even before the upgrade, the lines read as indicators.
    await expect.poll(async () => (await actionNamed("Mentorprogram för utrikes födda ingenjörer")).indicators.map((i) => i.id)).toEqual([`${actionId}-i1`, `${actionId}-i2`]);

    expect(await upgradePlanDocuments(s.db, s.server.collab)).toBe(1);
    expect(await upgradePlanDocuments(s.db, s.server.collab)).toBe(0);
    const client = connect(s.url, name, cookies.member);
    try {
      await synced(client);
      const action = [...allActions(client.doc)].find((a) => String(a.get("id")) === actionId)!;
      const list = action.get("indicators");
      expect(list).toBeInstanceOf(Y.Array);
      expect((list as Y.Array<Y.Map<unknown>>).toArray().map((m) => [m.get("id"), (m.get("name") as Y.Text).toString()])).toEqual([
        [`${actionId}-i1`, "Antal mentorer"],
        [`${actionId}-i2`, "Antal matchningar"],
      ]);
      expect(client.doc.getMap("meta").get("schemaVersion")).toBe(2);
    } finally {
      client.destroy();
    }
    expect((await s.db.selectFrom("plans").select("schema_version").where("id", "=", id).executeTakeFirstOrThrow()).schema_version).toBe(2);
  });
});
