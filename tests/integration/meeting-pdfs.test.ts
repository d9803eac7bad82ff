// The two PDFs of a meeting (issue #15) over real HTTP against a real server, read
// back with an independent reader (pdfjs-dist) and the catalog with pdf-lib: the
// approved minutes (title, § numbers, decisions, approvers with their dates, the
// SHA-256 of the approved text on the last page), tagged for accessibility; the
// draft only for those who write the meeting's minutes, marked on every page; the
// meeting book with an uploaded two-page PDF's pages after its agenda item; and
// 404 wherever the meeting or its minutes are not the person's to read.
import { createHash } from "node:crypto";
import PDFKit from "pdfkit";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { formatDate } from "../../app/i18n";
import { get, login, postForm } from "../helpers/http";
import { catalogOf, readPdf } from "../helpers/pdf";
import { PDFDocument as PdfLib } from "pdf-lib";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const GROUP_MEMBER = "sara.ek@samsyn.test";
const COUNCIL = "skaraborg";

const APPROVED = "Rådsmöte: uppföljning av handlingsplanen";
const UPCOMING = "Rådsmöte: revidering av handlingsplanen";
const GROUP_MEETING = "Gruppmöte: validering inom industrin";

/** A plain two-page PDF, as an uploaded document would be. */
function twoPagePdf(): Promise<Buffer> {
  const doc = new PDFKit({ size: "A4" });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.text("Bilagesida ETT om validering");
  doc.addPage().text("Bilagesida TVA om validering");
  doc.end();
  return done;
}

describe("meeting PDFs", () => {
  let s: TestServer;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const meetingId = async (title: string) => (await s.db.selectFrom("meetings").select("id").where("title", "=", title).executeTakeFirstOrThrow()).id;
  const fetchPdf = async (email: string, path: string) => {
    const res = await fetch(`${s.url}${path}`, { redirect: "manual", headers: { cookie: await cookieFor(email) } });
    return { status: res.status, type: res.headers.get("content-type"), bytes: Buffer.from(await res.arrayBuffer()) };
  };
  const path = (id: string, pdf: "minutes.pdf" | "book.pdf", slug = COUNCIL) => `/councils/${slug}/meetings/${id}/${pdf}`;

  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(async () => {
    await s?.close();
  });

  it("approved minutes: council, title, time, attendance, § paragraphs with decisions, approvers with dates and the approved text's SHA-256 on the last page", async () => {
    const id = await meetingId(APPROVED);
    // Observers read approved minutes: the PDF too.
    const res = await fetchPdf(OBSERVER, path(id, "minutes.pdf"));
    expect(res.status).toBe(200);
    expect(res.type).toBe("application/pdf");
    const { pages } = await readPdf(res.bytes);
    const all = pages.join(" ");
    expect(all).toContain(`Protokoll: ${APPROVED}`);
    expect(all).toContain("Kompetensråd Skaraborg");
    expect(all).toContain("Plats: Skaraborgs Kommunalförbund, Skövde");
    expect(all).toMatch(/Tid: \w+dag \d+ \w+ \d{4}, 09:00–12:00 CES?T/);
    // Attendance by organisation, in a table.
    expect(all).toContain("Högskolan i Skövde Maria Andersson Närvarande");
    expect(all).toContain("IF Metall Skaraborg Per Holm Frånvarande");
    // The paragraphs as the decision register numbers them, with their decisions.
    expect(all).toContain("§ 1 Mötet öppnas, val av justerare");
    expect(all).toContain("Beslut: Maria Andersson valdes att justera protokollet.");
    expect(all).toContain("§ 2 Omvärldsbevakning: industrins omställning");
    expect(all).toContain("§ 4 Gemensamt uttalande om yrkesvux");
    expect(all).toContain("Beslut: Rådet ställer sig bakom uttalandet om fler yrkesvux-platser.");
    const register = await (await fetch(`${s.url}/api/v1/councils/${COUNCIL}/decisions`, { headers: { cookie: await cookieFor(OBSERVER) } })).json();
    for (const d of (register as { meetingId: string; paragraph: number; title: string }[]).filter((d) => d.meetingId === id)) expect(all).toContain(`§ ${d.paragraph} ${d.title}`);
    // The text itself.
    expect(all).toContain("Johan Nilsson redogjorde för industrins omställning i Skaraborg");
    // The approver with the date of the approval.
    const approver = await s.db
      .selectFrom("minutes_approvers as a")
      .innerJoin("users as u", "u.id", "a.user_id")
      .select(["u.name", "a.decided_at"])
      .where("a.meeting_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(all).toContain(`${approver.name}: justerade ${formatDate("sv", approver.decided_at!)}`);
    // The checksum of the approved text, on the last page.
    const row = await s.db.selectFrom("minutes").select(["frozen_text", "status"]).where("meeting_id", "=", id).executeTakeFirstOrThrow();
    expect(row.status).toBe("approved");
    const sum = createHash("sha256").update(row.frozen_text!, "utf8").digest("hex");
    const last = pages.at(-1)!.replace(/\s/g, "");
    expect(last).toContain(`Kontrollsumma(SHA-256)fördenjusteradetexten:${sum}`);
    expect(all).not.toContain("UTKAST");
  });

  it("the minutes PDF is tagged: /MarkInfo Marked, a structure tree with headings, a table with header cells and lists, /Lang sv, the title shown", async () => {
    const res = await fetchPdf(LEADER, path(await meetingId(APPROVED), "minutes.pdf"));
    const catalog = await catalogOf(res.bytes);
    expect(catalog).toEqual({ marked: true, structTreeRoot: true, lang: "sv-SE", title: `Protokoll: ${APPROVED}`, displayDocTitle: true });
    const { structRoles } = await readPdf(res.bytes);
    for (const role of ["Document", "H1", "H2", "P", "Table", "TR", "TH", "TD", "L", "LI"]) expect(structRoles, role).toContain(role);
    // The font is embedded (subset of DejaVu Sans): Swedish letters and § read back as written.
    expect((await readPdf(res.bytes)).pages.join(" ")).toContain("§ 3 Uppföljning av handlingsplanen");
  });

  it("before approval: those who write the minutes get a draft marked on every page; an observer and a member who does not write this meeting's minutes get 404", async () => {
    const id = await meetingId(UPCOMING);
    const draft = await fetchPdf(MEMBER, path(id, "minutes.pdf"));
    expect(draft.status).toBe(200);
    const { pages } = await readPdf(draft.bytes);
    expect(pages.length).toBeGreaterThan(0);
    for (const p of pages) expect(p).toContain("UTKAST – ej justerat");
    expect(pages.join(" ")).toContain("Utkast: protokollet är inte justerat.");
    expect(pages.join(" ")).toContain("§ 4 Beslut om att öppna revideringen");
    expect(pages.at(-1)).toContain("Ingen kontrollsumma: texten är inte stängd.");
    expect((await fetchPdf(OBSERVER, path(id, "minutes.pdf"))).status).toBe(404);

    // A working group's meeting: its members write the minutes; a council member outside the group does not.
    const group = await meetingId(GROUP_MEETING);
    const mine = await fetchPdf(GROUP_MEMBER, path(group, "minutes.pdf"));
    expect(mine.status).toBe(200);
    expect((await readPdf(mine.bytes)).pages.every((p) => p.includes("UTKAST"))).toBe(true);
    expect((await fetchPdf(MEMBER, path(group, "minutes.pdf"))).status).toBe(404);
    expect((await fetchPdf(OBSERVER, path(group, "minutes.pdf"))).status).toBe(404);
  });

  it("the meeting book: cover, agenda with clock times, each item followed by its PDF documents' pages; other documents by name; tagged", async () => {
    const id = await meetingId(UPCOMING);
    const before = await fetchPdf(OBSERVER, path(id, "book.pdf"));
    expect(before.status).toBe(200);
    const without = await readPdf(before.bytes);

    const item = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", id).where("title", "=", "Förslag till prioriterade områden nästa år").executeTakeFirstOrThrow();
    const upload = async (name: string, bytes: Buffer, type: string) => {
      const form = new FormData();
      form.append("agendaItemId", item.id);
      form.append("file", new Blob([new Uint8Array(bytes)], { type }), name);
      const res = await fetch(`${s.url}/councils/${COUNCIL}/meetings/${id}/attachments`, {
        method: "POST",
        headers: { origin: s.url, cookie: await cookieFor(LEADER), accept: "application/json" },
        body: form,
      });
      expect(res.status).toBe(201);
    };
    await upload("Underlag validering.pdf", await twoPagePdf(), "application/pdf");
    await upload("Anteckningar.txt", Buffer.from("Några anteckningar inför mötet.\n"), "text/plain");
    // A file that starts as a PDF (so the upload takes it) but holds no page.
    await upload("Trasig.pdf", Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n%%EOF\n"), "application/pdf");
    // A well-formed PDF without pages: nothing to put in the book either.
    await upload("Tom.pdf", Buffer.from(await (await PdfLib.create()).save({ addDefaultPage: false })), "application/pdf");

    const res = await fetchPdf(OBSERVER, path(id, "book.pdf"));
    expect(res.status).toBe(200);
    const { pages, structRoles } = await readPdf(res.bytes);
    expect(pages.length).toBe(without.pages.length + 2);
    const cover = pages[0];
    expect(cover).toContain(`Möteshandlingar: ${UPCOMING}`);
    expect(cover).toContain("Plats: Skaraborgs Kommunalförbund, Skövde");
    expect(cover).toContain("Videomöte: https://video.example.se/skaraborg-radsmote");
    expect(cover).toMatch(/Kallade .*Karin Lindqvist, Skaraborgs Kommunalförbund/);
    expect(cover).not.toContain("Observatör");
    // The agenda with clock times (09:00 start, 5 + 45 minutes before the third item).
    expect(pages.join(" ")).toContain("09:50–10:50 3. Förslag till prioriterade områden nästa år");
    // The item's page, then the document's two pages right after it.
    const at = pages.findIndex((p) => p.includes("3. Förslag till prioriterade områden nästa år") && p.includes("Handlingar"));
    expect(at).toBeGreaterThan(0);
    expect(pages[at]).toContain("Underlag validering.pdf – följer efter denna sida (2 s.)");
    expect(pages[at]).toContain("Anteckningar.txt (text/plain) – finns i Samsyn, ingår inte i PDF:en");
    expect(pages[at]).toContain("Trasig.pdf – PDF-filen kunde inte läggas in (skyddad eller skadad); den finns i Samsyn");
    expect(pages[at]).toContain("Tom.pdf – PDF-filen kunde inte läggas in");
    expect(pages[at + 1]).toContain("Bilagesida ETT om validering");
    expect(pages[at + 2]).toContain("Bilagesida TVA om validering");
    expect(pages[at + 3]).toContain("4. Beslut om att öppna revideringen");
    // Page numbers count the documents' pages.
    expect(pages[at + 3]).toContain(`Sida ${at + 4} av ${pages.length}`);
    // The book's own pages keep their tags through the merge.
    const catalog = await catalogOf(res.bytes);
    expect(catalog).toMatchObject({ marked: true, structTreeRoot: true, lang: "sv-SE", title: `Möteshandlingar: ${UPCOMING}` });
    for (const role of ["H1", "H2", "Table", "TH", "L"]) expect(structRoles, role).toContain(role);
  });

  it("the meeting page and the minutes page link to the PDFs the person gets", async () => {
    const page = async (email: string, p: string) => (await get(s.url, p, await cookieFor(email))).text;
    const approved = await meetingId(APPROVED);
    const held = await meetingId("Rådsmöte: kompetensbehovsanalysen"); // held, minutes still a draft
    for (const p of [`/councils/${COUNCIL}/meetings/${approved}`, `/councils/${COUNCIL}/meetings/${approved}/minutes`]) {
      const html = await page(OBSERVER, p);
      // Downloads (the `download` attribute), as the calendar file.
      expect(html).toContain(`href="${path(approved, "minutes.pdf")}" download="">Protokollet som PDF</a>`);
      expect(html).toContain(`href="${path(approved, "book.pdf")}" download="">Möteshandlingarna som PDF</a>`);
    }
    for (const p of [`/councils/${COUNCIL}/meetings/${held}`, `/councils/${COUNCIL}/meetings/${held}/minutes`]) {
      expect(await page(MEMBER, p)).toContain(`href="${path(held, "minutes.pdf")}" download="">Protokollsutkastet som PDF</a>`);
      const observer = await page(OBSERVER, p);
      expect(observer).not.toContain("minutes.pdf");
      expect(observer).toContain(`href="${path(held, "book.pdf")}"`);
    }
    // In English too.
    const en = await get(s.url, `/councils/${COUNCIL}/meetings/${approved}`, `${await cookieFor(OBSERVER)}; samsyn_lang=en`);
    expect(en.text).toContain(">The minutes as PDF</a>");
  });

  it("404 for another council's meeting, a draft meeting's book for those who do not prepare it, and a draft meeting's minutes", async () => {
    const other = await s.db
      .selectFrom("meetings as m")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select("m.id")
      .where("c.slug", "=", "fyrbodal")
      .executeTakeFirstOrThrow();
    expect((await fetchPdf(LEADER, path(other.id, "minutes.pdf"))).status).toBe(404);
    expect((await fetchPdf(LEADER, path(other.id, "book.pdf"))).status).toBe(404);
    // Approved minutes of a Skaraborg meeting are not there under another council's address.
    expect((await fetchPdf(LEADER, path(await meetingId(APPROVED), "minutes.pdf", "fyrbodal"))).status).toBe(404);

    // A draft meeting, made by the leader through the form.
    const created = await postForm(
      s.url,
      `/councils/${COUNCIL}/meetings`,
      { intent: "create", title: "Utkast till möte", date: "2099-03-10", startTime: "13:00", endTime: "15:00", location: "Skövde", videoUrl: "", description: "" },
      await cookieFor(LEADER),
    );
    expect(created.status).toBe(302);
    const draft = await s.db.selectFrom("meetings").select(["id", "status"]).where("title", "=", "Utkast till möte").executeTakeFirstOrThrow();
    expect(draft.status).toBe("draft");
    expect((await fetchPdf(LEADER, path(draft.id, "book.pdf"))).status).toBe(200);
    expect((await fetchPdf(MEMBER, path(draft.id, "book.pdf"))).status).toBe(404);
    expect((await fetchPdf(OBSERVER, path(draft.id, "book.pdf"))).status).toBe(404);
    // A draft meeting has no minutes yet, for anyone.
    expect((await fetchPdf(LEADER, path(draft.id, "minutes.pdf"))).status).toBe(404);
  });

  it("closing freezes the text the PDF prints, with its checksum still marked as a draft; approving removes the mark and dates the approval", async () => {
    // The held meeting whose draft the links test above reads: this one comes last.
    const id = await meetingId("Rådsmöte: kompetensbehovsanalysen");
    const minutesPage = `/councils/${COUNCIL}/meetings/${id}/minutes`;
    const leader = await cookieFor(LEADER);
    const userId = async (email: string) => (await s.db.selectFrom("users").select("id").where("email", "=", email).executeTakeFirstOrThrow()).id;
    const [leaderId, memberId] = [await userId(LEADER), await userId(MEMBER)];
    // Opening the minutes seeds the text from the agenda; then attendance, an approver, close.
    expect((await get(s.url, minutesPage, leader)).status).toBe(200);
    expect((await postForm(s.url, minutesPage, { intent: "attendance", [`present-${leaderId}`]: "on", [`present-${memberId}`]: "on" }, leader)).status).toBe(200);
    expect((await postForm(s.url, minutesPage, { intent: "approvers", approver1: memberId }, leader)).status).toBe(200);
    expect((await postForm(s.url, minutesPage, { intent: "close" }, leader)).status).toBe(200);
    const frozen = (await s.db.selectFrom("minutes").select("frozen_text").where("meeting_id", "=", id).executeTakeFirstOrThrow()).frozen_text!;
    expect(frozen).toContain("Rådsmöte: kompetensbehovsanalysen");
    const sum = createHash("sha256").update(frozen, "utf8").digest("hex");

    const closed = await readPdf((await fetchPdf(MEMBER, path(id, "minutes.pdf"))).bytes);
    for (const p of closed.pages) expect(p).toContain("UTKAST – ej justerat");
    expect(closed.pages.join(" ")).toContain("Utkast: protokollet är stängt och väntar på justering.");
    expect(closed.pages.join(" ")).toContain("Närvaro Skaraborgs Kommunalförbund Karin Lindqvist Närvarande");
    expect(closed.pages.at(-1)!.replace(/\s/g, "")).toContain(`stängdatexten,ännuintejusterad:${sum}`);
    expect((await fetchPdf(OBSERVER, path(id, "minutes.pdf"))).status).toBe(404);

    expect((await postForm(s.url, minutesPage, { intent: "decide", decision: "approve" }, await cookieFor(MEMBER))).status).toBe(200);
    const decided = await s.db.selectFrom("minutes_approvers").select("decided_at").where("meeting_id", "=", id).executeTakeFirstOrThrow();
    const approved = await readPdf((await fetchPdf(OBSERVER, path(id, "minutes.pdf"))).bytes);
    const all = approved.pages.join(" ");
    expect(all).not.toContain("UTKAST");
    expect(all).toContain(`Protokollet är justerat ${formatDate("sv", decided.decided_at!)}.`);
    expect(all).toContain(`Anders Johansson: justerade ${formatDate("sv", decided.decided_at!)}`);
    expect(approved.pages.at(-1)!.replace(/\s/g, "")).toContain(`fördenjusteradetexten:${sum}`);
  });
});
