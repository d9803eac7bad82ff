// The year-end report (issue #17) through real HTTP: the printable page and the PDF
// parsed back (pdf.js for the text and the structure, pdf-lib for the catalog): per
// area each action's status and progress, indicators against their targets with a
// chart as a tagged Figure, the year's decision on the plan, what is left to carry
// and, once the revision is opened, what was carried over. An observer reads it.
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decode, textOf } from "../helpers/html";
import { get, login, postForm } from "../helpers/http";
import { catalogOf, readPdf } from "../helpers/pdf";
import { startTestServer, type TestServer } from "../helpers/server";

describe("the year-end report", { timeout: 60_000 }, () => {
  let s: TestServer;
  const cookies: Record<string, string> = {};
  const year = DateTime.now().setZone("Europe/Stockholm").year;
  const base = `/councils/skaraborg/plans/${year}`;
  const pdf = async (who: string, y = year) => {
    const res = await fetch(`${s.url}/councils/skaraborg/plans/${y}/report.pdf`, { headers: { cookie: cookies[who] } });
    return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
  };

  beforeAll(async () => {
    s = await startTestServer();
    for (const [who, email] of [
      ["leader", "processledare@samsyn.test"],
      ["observer", "observator@samsyn.test"],
      ["fyrbodal", "ledamot.fyrbodal@samsyn.test"],
    ]) cookies[who] = await login(s.url, email);
  });
  afterAll(async () => {
    await s?.close();
  });

  it("the printable page: areas, actions, indicators against targets with charts, the year's decisions, what is left to carry", async () => {
    const res = await get(s.url, `${base}/report`, cookies.observer);
    expect(res.status).toBe(200);
    const html = decode(res.text);
    const text = textOf(html);
    expect(html).toContain(`<h1>Årsrapport ${year}</h1>`);
    expect(html).toContain(`href="${base}/report.pdf"`);
    expect(html).toMatch(/<h2 id="report-area-[^"]+">Matchning och omställning på arbetsmarknaden<\/h2>/);
    expect(html).toContain("<caption>Indikatorer för Utöka platserna på undersköterskeutbildningen</caption>");
    expect(html).toMatch(/role="img" aria-label="Platser på undersköterskeutbildningen: utgångsvärde 40 platser, mål 60 platser/);
    expect(text).toContain("Rådet ställer sig bakom uttalandet om fler yrkesvux-platser.");
    expect(html).toContain("Ej avslutade åtgärder (förs över vid revideringen)");
    // A finished action is not left to carry.
    const toCarry = html.slice(html.indexOf('id="report-carried"'));
    expect(toCarry).toContain("Validering av yrkeskompetens inom svets och CNC");
    expect(toCarry).not.toContain("Kartlägga bristyrken inom industri och vård");
    // Another council's member does not see it.
    expect((await get(s.url, `${base}/report`, cookies.fyrbodal)).status).toBe(404);
  });

  it("the PDF holds the same, tagged: headings, tables, figures with their text, /Lang sv-SE, the title shown", async () => {
    const res = await pdf("observer");
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/pdf");
    const { pages, structRoles } = await readPdf(res.bytes);
    const all = pages.join(" ");
    expect(all).toContain(`Årsrapport ${year}: Kompetensråd Skaraborg`);
    expect(all).toContain("Matchning och omställning på arbetsmarknaden");
    expect(all).toContain("Indikatorer för Utöka platserna på undersköterskeutbildningen");
    expect(all).toContain("Platser på undersköterskeutbildningen");
    expect(all).toContain("Rådet ställer sig bakom uttalandet om fler yrkesvux-platser.");
    expect(all).toContain("Ej avslutade åtgärder (förs över vid revideringen)");
    expect(pages.at(-1)).toMatch(new RegExp(`Sida ${pages.length} av ${pages.length}`));
    for (const role of ["Document", "H1", "H2", "H3", "P", "Table", "TH", "TD", "L", "LI", "Figure"]) expect(structRoles, role).toContain(role);
    const catalog = await catalogOf(res.bytes);
    expect(catalog).toMatchObject({ marked: true, structTreeRoot: true, lang: "sv-SE", displayDocTitle: true });
    expect(catalog.title).toBe(`Årsrapport ${year}: Kompetensråd Skaraborg`);
    expect((await pdf("fyrbodal")).status).toBe(404);
  });

  it("once next year's plan is opened, it lists what was carried over into it", async () => {
    expect((await postForm(s.url, base, { intent: "openRevision" }, cookies.leader)).status).toBeLessThan(400);
    const html = decode((await get(s.url, `${base}/report`, cookies.observer)).text);
    expect(html).toContain(`Förs över till handlingsplanen ${year + 1}`);
    expect(html).toMatch(new RegExp(`href="/councils/skaraborg/plans/${year + 1}/actions/[^"]+">Validering av yrkeskompetens inom svets och CNC`));
    const { pages } = await readPdf((await pdf("observer")).bytes);
    expect(pages.join(" ")).toContain(`Förs över till handlingsplanen ${year + 1}`);
  });
});
