// Meeting documents (handlingar, issue #15) over real HTTP against a real server:
// uploads as a multipart form (as a browser without script sends it) and as JSON,
// the type read from the content (an .exe called .pdf is refused), the limits per
// file and per meeting, who may upload, change and read (the meeting's own rule:
// drafts only for those who prepare them, observers once convened), the download's
// headers, the API's shape, and personal data (the export names the uploads;
// anonymising keeps the file and drops the link to the person).
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { DateTime } from "luxon";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ZONE } from "../../server/domain/time";
import { get, login, postForm } from "../helpers/http";
import { textOf } from "../helpers/html";
import { startTestServer, type TestServer } from "../helpers/server";

const LEADER = "processledare@samsyn.test";
const MEMBER = "ledamot@samsyn.test";
const OBSERVER = "observator@samsyn.test";
const OTHER_COUNCIL = "ledamot.fyrbodal@samsyn.test";
const ADMIN = "admin@samsyn.test";

const KB = 1024;
const LIMITS = { maxFileBytes: 100 * KB, maxMeetingBytes: 250 * KB };

// Small files of each kind, made here: the magic numbers are what the server reads.
const pdf = (pad = 0) => Buffer.concat([Buffer.from("%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\n"), Buffer.alloc(pad, 0x20), Buffer.from("\n%%EOF\n")]);
const png = () =>
  Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    Buffer.from([0, 0, 0, 13]),
    Buffer.from("IHDR"),
    Buffer.from([0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4, 0x89]),
  ]);
// A Windows program: "MZ", a DOS header full of NULs, and the PE signature it points at.
const exe = () => {
  const b = Buffer.alloc(512, 0);
  b.write("MZ", 0, "latin1");
  b.writeUInt32LE(0x80, 0x3c);
  b.write("PE\0\0", 0x80, "latin1");
  return b;
};

/** A ZIP archive with its entries stored (not compressed): what Office and OpenDocument files are. */
function zip(entries: [string, string][]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, content] of entries) {
    const nameBytes = Buffer.from(name);
    const data = Buffer.from(content);
    const crc = zlib.crc32(data);
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(data.length, 22);
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt32LE(crc, 16);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(data.length, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    parts.push(local, nameBytes, data);
    central.push(dir, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const size = central.reduce((n, b) => n + b.length, 0);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(size, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, ...central, end]);
}
const docx = () =>
  zip([
    ["[Content_Types].xml", '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>'],
    ["word/document.xml", '<?xml version="1.0"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>'],
  ]);
const ods = () => zip([["mimetype", "application/vnd.oasis.opendocument.spreadsheet"], ["content.xml", "<office:document-content/>"]]);

const MSG = {
  forbidden: "Du får inte ändra handlingarna till det här mötet.",
  type: "Den sortens fil går inte att ladda upp.",
  tooLarge: "Filen är för stor. En fil får vara högst 0,1 MB.",
  full: "Mötets handlingar får vara högst 0,2 MB tillsammans.",
  missing: "Välj en fil.",
  typeEn: "That kind of file cannot be uploaded.",
};

describe("meeting documents (handlingar)", () => {
  let s: TestServer;
  let filesDir: string;
  const cookies = new Map<string, string>();
  const cookieFor = async (email: string) => {
    if (!cookies.has(email)) cookies.set(email, await login(s.url, email));
    return cookies.get(email)!;
  };
  const post = async (email: string, p: string, fields: Record<string, string>) => postForm(s.url, p, fields, await cookieFor(email));
  const day = (n: number) => DateTime.now().setZone(ZONE).plus({ days: n }).toISODate()!;

  /** A multipart post as a browser sends a form (or, with `json`, as an API client). */
  async function upload(
    email: string,
    meetingPath: string,
    file: { name: string; bytes: Buffer; type?: string } | null,
    fields: Record<string, string> = {},
    opts: { json?: boolean } = {},
  ) {
    const form = new FormData();
    for (const [k, v] of Object.entries(fields)) form.append(k, v);
    if (file) form.append("file", new Blob([new Uint8Array(file.bytes)], { type: file.type ?? "application/octet-stream" }), file.name);
    const res = await fetch(`${s.url}${meetingPath}/attachments`, {
      method: "POST",
      redirect: "manual",
      headers: { origin: s.url, cookie: await cookieFor(email), ...(opts.json ? { accept: "application/json" } : {}) },
      body: form,
    });
    const text = await res.text();
    return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) };
  }

  const rows = (meetingId: string) => s.db.selectFrom("attachments").selectAll().where("meeting_id", "=", meetingId).orderBy("created_at").execute();
  /** Every file the local store holds (the spool folder left out: it must be empty anyway). */
  const stored = () => {
    const out: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else out.push(path.relative(filesDir, p));
      }
    };
    if (fs.existsSync(filesDir)) walk(filesDir);
    return out.sort();
  };

  /** A new meeting `days` ahead (a draft unless convened), made through the forms. */
  const meeting = async (title: string, days: number, convene: boolean) => {
    const created = await post(LEADER, "/councils/skaraborg/meetings", { intent: "create", title, date: day(days), startTime: "09:00", endTime: "11:00", location: "Skövde", videoUrl: "", description: "" });
    expect(created.status).toBe(302);
    const p = created.headers.get("location")!;
    if (convene) expect((await post(LEADER, p, { intent: "convene" })).status).toBe(200);
    return { path: p, id: p.split("/").pop()! };
  };

  let convened: { path: string; id: string };
  let draft: { path: string; id: string };
  let itemId: string;

  beforeAll(async () => {
    filesDir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-files-"));
    s = await startTestServer({ files: { dir: filesDir, s3: null, ...LIMITS } });
    convened = await meeting("Rådsmöte med handlingar", 14, true);
    draft = await meeting("Utkast med handlingar", 21, false);
    expect((await post(LEADER, convened.path, { intent: "addAgenda", title: "Budget 2027", kind: "decision", minutes: "20", presenter: "", planLink: "" })).status).toBe(200);
    itemId = (await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", convened.id).executeTakeFirstOrThrow()).id;
  });
  afterAll(async () => {
    await s?.close();
    fs.rmSync(filesDir, { recursive: true, force: true });
  });

  it("a leader uploads with a plain form: redirected back to the meeting, which lists the file with its type, size and uploader", async () => {
    const res = await upload(LEADER, convened.path, { name: "Verksamhetsplan.pdf", bytes: pdf(3000), type: "application/pdf" });
    expect(res.status).toBe(303);
    expect(res.headers.get("location")).toBe(`${convened.path}?attachmentDone=added#handlingar`);
    const [row] = await rows(convened.id);
    expect(row).toMatchObject({ name: "Verksamhetsplan.pdf", type: "application/pdf", size: pdf(3000).length, agenda_item_id: null });
    expect(row.sha256).toMatch(/^[0-9a-f]{64}$/);
    expect(stored()).toEqual([path.join(...row.storage_key.split("/"))]);
    const page = await get(s.url, `${convened.path}?attachmentDone=added`, await cookieFor(LEADER));
    const text = textOf(page.text);
    expect(text).toContain("Handlingar");
    expect(text).toContain("Handlingen är uppladdad.");
    expect(text).toContain("Verksamhetsplan.pdf");
    expect(text).toContain("Typ: PDF · Storlek: 3 kB · Uppladdad av Karin Lindqvist");
    expect(page.text).toContain(`href="${convened.path}/attachments/${row.id}"`);
    // The limits are said at the form.
    expect(text).toContain("Högst 0,1 MB per fil och 0,2 MB för mötet");
  });

  it("an API client gets 201 JSON; a file for an agenda item is shown at that item", async () => {
    const res = await upload(LEADER, convened.path, { name: "Budgetförslag.png", bytes: png() }, { agendaItemId: itemId }, { json: true });
    expect(res.status).toBe(201);
    const body = res.json();
    expect(body).toEqual({ id: expect.any(String), name: "Budgetförslag.png", size: png().length, type: "image/png", agendaItemId: itemId, url: `${convened.path}/attachments/${body.id}` });
    const page = await get(s.url, convened.path, await cookieFor(MEMBER));
    const agenda = page.text.slice(page.text.indexOf('id="agenda-h"'), page.text.indexOf('id="handlingar-h"'));
    expect(agenda).toContain("Budgetförslag.png");
    expect(agenda).toContain(`href="${body.url}"`);
  });

  it("the download: the bytes, as an attachment with a safe name, the sniffed type and nosniff", async () => {
    const [row] = await rows(convened.id);
    const res = await fetch(`${s.url}${convened.path}/attachments/${row.id}`, { headers: { cookie: await cookieFor(OBSERVER) } });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    expect(res.headers.get("x-content-type-options")).toBe("nosniff");
    expect(res.headers.get("content-disposition")).toBe(`attachment; filename="Verksamhetsplan.pdf"; filename*=UTF-8''Verksamhetsplan.pdf`);
    expect(Buffer.from(await res.arrayBuffer()).equals(pdf(3000))).toBe(true);
    // A name with quotes, a path and non-ASCII letters: cleaned at upload, both forms in the header.
    const odd = await upload(LEADER, convened.path, { name: 'C:\\fakepath\\Årsrapport "slutlig".pdf', bytes: pdf() }, {}, { json: true });
    expect(odd.json().name).toBe("Årsrapport slutlig.pdf");
    const dl = await fetch(`${s.url}${odd.json().url}`, { headers: { cookie: await cookieFor(LEADER) } });
    expect(dl.headers.get("content-disposition")).toBe(`attachment; filename="_rsrapport slutlig.pdf"; filename*=UTF-8''%C3%85rsrapport%20slutlig.pdf`);
    await dl.arrayBuffer();
  });

  it("the type is read from the content: a program called .pdf is refused (415), in the person's language; nothing is kept", async () => {
    const before = stored();
    const count = (await rows(convened.id)).length;
    const res = await upload(LEADER, convened.path, { name: "Budget.pdf", bytes: exe(), type: "application/pdf" }, {}, { json: true });
    expect(res.status).toBe(415);
    expect(res.json()).toMatchObject({ error: "error.fileType", message: expect.stringContaining(MSG.type) });
    const en = await fetch(`${s.url}${convened.path}/attachments`, {
      method: "POST",
      headers: { origin: s.url, cookie: `${await cookieFor(LEADER)}; samsyn_lang=en`, accept: "application/json" },
      body: (() => {
        const f = new FormData();
        f.append("file", new Blob([new Uint8Array(exe())]), "Budget.pdf");
        return f;
      })(),
    });
    expect(en.status).toBe(415);
    expect((await en.json()).message).toContain(MSG.typeEn);
    // As a form: back to the page, which says why at the upload form.
    const form = await upload(LEADER, convened.path, { name: "Budget.pdf", bytes: exe() });
    expect(form.status).toBe(303);
    const back = form.headers.get("location")!;
    expect(back).toContain("attachmentError=error.fileType");
    expect(textOf((await get(s.url, back.replace(/#.*/, ""), await cookieFor(LEADER))).text)).toContain(MSG.type);
    // Text is text (CSV by its name), and an empty file input is asked for.
    const csv = await upload(LEADER, convened.path, { name: "Närvaro.csv", bytes: Buffer.from("Namn;Organisation\nÅsa;Högskolan\n") }, {}, { json: true });
    expect(csv.json()).toMatchObject({ type: "text/csv" });
    const none = await upload(LEADER, convened.path, null, {}, { json: true });
    expect(none.status).toBe(400);
    expect(none.json().message).toBe(MSG.missing);
    expect((await rows(convened.id)).length).toBe(count + 1);
    expect(stored().length).toBe(before.length + 1);
    expect(fs.readdirSync(path.join(filesDir, ".incoming"))).toEqual([]);
  });

  it("Office and OpenDocument files are recognised inside their ZIP; any other ZIP is refused", async () => {
    const word = await upload(LEADER, convened.path, { name: "Kallelse", bytes: docx() }, {}, { json: true });
    expect(word.status).toBe(201);
    // No extension sent: it gets its type's.
    expect(word.json()).toMatchObject({ name: "Kallelse.docx", type: "application/vnd.openxmlformats-officedocument.wordprocessingml.document" });
    const sheet = await upload(LEADER, convened.path, { name: "Budget.ods", bytes: ods() }, {}, { json: true });
    expect(sheet.json()).toMatchObject({ type: "application/vnd.oasis.opendocument.spreadsheet" });
    const archive = await upload(LEADER, convened.path, { name: "Allt.docx", bytes: zip([["readme.txt", "hej"]]) }, {}, { json: true });
    expect(archive.status).toBe(415);
    const page = textOf((await get(s.url, convened.path, await cookieFor(LEADER))).text);
    expect(page).toContain("Typ: DOCX");
    expect(page).toContain("Typ: ODS");
  });

  it("size limits: per file (413, said in the UI), and per meeting; a body past the route's cap is refused before it is read", async () => {
    const big = await upload(LEADER, draft.path, { name: "Stor.pdf", bytes: pdf(LIMITS.maxFileBytes) }, {}, { json: true });
    expect(big.status).toBe(413);
    expect(big.json().message).toBe(MSG.tooLarge);
    const form = await upload(LEADER, draft.path, { name: "Stor.pdf", bytes: pdf(LIMITS.maxFileBytes) });
    expect(form.status).toBe(303);
    expect(textOf((await get(s.url, form.headers.get("location")!.replace(/#.*/, ""), await cookieFor(LEADER))).text)).toContain(MSG.tooLarge);
    // Two files of 90 kB fit the meeting's 250 kB; a third does not.
    for (const n of [1, 2]) expect((await upload(LEADER, draft.path, { name: `Del ${n}.pdf`, bytes: pdf(90 * KB) }, {}, { json: true })).status).toBe(201);
    const third = await upload(LEADER, draft.path, { name: "Del 3.pdf", bytes: pdf(90 * KB) }, {}, { json: true });
    expect(third.status).toBe(413);
    expect(third.json().message).toContain(MSG.full);
    expect((await rows(draft.id)).length).toBe(2);
    // Past one file's limit plus the form's overhead (1 MB): refused by the body cap.
    const huge = await upload(LEADER, draft.path, { name: "Enorm.pdf", bytes: pdf(LIMITS.maxFileBytes + 1024 * KB + 1) }, {}, { json: true });
    expect(huge.status).toBe(413);
    expect(fs.readdirSync(path.join(filesDir, ".incoming"))).toEqual([]);
  });

  it("who may upload: a member is refused on the meeting (403) but attaches to their own proposal; an observer is refused; another council's member finds nothing", async () => {
    const refused = await upload(MEMBER, convened.path, { name: "Mitt.pdf", bytes: pdf() }, {}, { json: true });
    expect(refused.status).toBe(403);
    expect(refused.json().message).toBe(MSG.forbidden);
    // Nor at the leader's item.
    expect((await upload(MEMBER, convened.path, { name: "Mitt.pdf", bytes: pdf() }, { agendaItemId: itemId }, { json: true })).status).toBe(403);
    const asForm = await upload(MEMBER, convened.path, { name: "Mitt.pdf", bytes: pdf() });
    expect(asForm.headers.get("location")).toContain("attachmentError=error.attachmentForbidden");
    // Their own proposal: yes.
    expect((await post(MEMBER, convened.path, { intent: "addAgenda", title: "Praktikplatser", kind: "discussion", minutes: "10", presenter: "", planLink: "" })).status).toBe(200);
    const proposal = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", convened.id).where("title", "=", "Praktikplatser").executeTakeFirstOrThrow();
    const mine = await upload(MEMBER, convened.path, { name: "Underlag praktik.pdf", bytes: pdf() }, { agendaItemId: proposal.id }, { json: true });
    expect(mine.status).toBe(201);
    // The page offers the member an upload to that proposal only.
    const page = await get(s.url, convened.path, await cookieFor(MEMBER));
    const section = page.text.slice(page.text.indexOf('id="handlingar-h"'));
    const options = [...section.matchAll(/<option value="([^"]*)"[^>]*>([^<]*)<\/option>/g)].map((m) => [m[1], m[2]]);
    expect(options).toContainEqual([proposal.id, "Praktikplatser"]);
    expect(options.map((o) => o[0])).not.toContain(itemId);
    expect(options.map((o) => o[0])).not.toContain("");
    expect((await upload(OBSERVER, convened.path, { name: "Obs.pdf", bytes: pdf() }, {}, { json: true })).status).toBe(403);
    expect((await upload(OTHER_COUNCIL, convened.path, { name: "X.pdf", bytes: pdf() }, {}, { json: true })).status).toBe(404);
  });

  it("who may read: an observer reads a convened meeting's files; a draft's are 404 for them, page, file and API alike", async () => {
    const [draftFile] = await rows(draft.id);
    const [convenedFile] = await rows(convened.id);
    const observer = await cookieFor(OBSERVER);
    expect((await get(s.url, `${convened.path}/attachments/${convenedFile.id}`, observer)).status).toBe(200);
    expect((await get(s.url, draft.path, observer)).status).toBe(404);
    expect((await get(s.url, `${draft.path}/attachments/${draftFile.id}`, observer)).status).toBe(404);
    expect((await get(s.url, `/api/v1/councils/skaraborg/meetings/${draft.id}`, observer)).status).toBe(404);
    // A member does not prepare meetings either: the draft's file is not there for them.
    expect((await get(s.url, `${draft.path}/attachments/${draftFile.id}`, await cookieFor(MEMBER))).status).toBe(404);
    // A file id of another meeting, under this one: 404.
    expect((await get(s.url, `${convened.path}/attachments/${draftFile.id}`, await cookieFor(LEADER))).status).toBe(404);
    // Another council's member: 404.
    expect((await get(s.url, `${convened.path}/attachments/${convenedFile.id}`, await cookieFor(OTHER_COUNCIL))).status).toBe(404);
    // Signed out: to the login page.
    expect((await get(s.url, `${convened.path}/attachments/${convenedFile.id}`)).status).toBe(302);
  });

  it("the API: the meeting with its agenda and its attachments", async () => {
    const res = await get(s.url, `/api/v1/councils/skaraborg/meetings/${convened.id}`, await cookieFor(OBSERVER));
    expect(res.status).toBe(200);
    const body = JSON.parse(res.text);
    expect(body).toMatchObject({ id: convened.id, title: "Rådsmöte med handlingar", status: "convened" });
    expect(body.agenda.map((i: { title: string }) => i.title)).toEqual(["Budget 2027", "Praktikplatser"]);
    expect(body.agenda[0]).toMatchObject({ id: itemId, kind: "decision", status: "accepted", minutes: 20, start: expect.stringMatching(/T09:00:00\+0[12]:00$/) });
    const files = await rows(convened.id);
    expect(body.attachments).toEqual(
      files.map((f) => ({ id: f.id, name: f.name, size: f.size, type: f.type, agendaItemId: f.agenda_item_id, url: `${convened.path}/attachments/${f.id}` })),
    );
    expect(body).not.toHaveProperty("decisions");
    expect((await get(s.url, `/api/v1/councils/skaraborg/meetings/${convened.id}`)).status).toBe(401);
  });

  it("a working group's meeting: its convener attaches like a leader; a group member may not attach to the meeting", async () => {
    const group = await s.db.selectFrom("meetings").select("id").where("title", "=", "Gruppmöte: validering inom industrin").executeTakeFirstOrThrow();
    const p = `/councils/skaraborg/meetings/${group.id}`;
    const convener = await upload("maria.andersson@samsyn.test", p, { name: "Valideringsläget.pdf", bytes: pdf() }, {}, { json: true });
    expect(convener.status).toBe(201);
    expect((await upload("ahmed.hassan@samsyn.test", p, { name: "Mitt.pdf", bytes: pdf() }, {}, { json: true })).status).toBe(403);
    // The convener manages only their group's meetings, not the council's.
    expect((await upload("maria.andersson@samsyn.test", convened.path, { name: "Fel möte.pdf", bytes: pdf() }, {}, { json: true })).status).toBe(403);
  });

  it("the meeting's total holds when uploads race: of three at once, two fit", async () => {
    const race = await meeting("Möte med kapplöpning", 30, false);
    const results = await Promise.all([1, 2, 3].map((n) => upload(LEADER, race.path, { name: `Samtidig ${n}.pdf`, bytes: pdf(100 * KB - 100) }, {}, { json: true })));
    expect(results.map((r) => r.status).sort()).toEqual([201, 201, 413]);
    const kept = await rows(race.id);
    expect(kept.length).toBe(2);
    // The refused one left no bytes behind.
    expect(stored().filter((f) => f.startsWith(path.join("meetings", race.id)))).toHaveLength(2);
  });

  it("the API gives the decisions once the minutes are approved", async () => {
    const approved = await s.db
      .selectFrom("minutes as mi")
      .innerJoin("meetings as m", "m.id", "mi.meeting_id")
      .innerJoin("councils as c", "c.id", "m.council_id")
      .select("m.id")
      .where("mi.status", "=", "approved")
      .where("c.slug", "=", "skaraborg")
      .where((eb) => eb.exists(eb.selectFrom("agenda_items as a").select("a.id").whereRef("a.meeting_id", "=", "m.id").where("a.decision", "is not", null)))
      .executeTakeFirstOrThrow();
    const items = await s.db.selectFrom("agenda_items").select(["id", "title", "decision"]).where("meeting_id", "=", approved.id).where("decision", "is not", null).orderBy("position").execute();
    const body = JSON.parse((await get(s.url, `/api/v1/councils/skaraborg/meetings/${approved.id}`, await cookieFor(OBSERVER))).text);
    // Paragraphs are numbered per meeting (the council's default): § n is the item's place on the agenda.
    const agenda = await s.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", approved.id).where("status", "=", "accepted").orderBy("position").execute();
    const paragraph = (id: string) => agenda.findIndex((a) => a.id === id) + 1;
    expect(body.decisions).toEqual(items.map((i) => ({ agendaItemId: i.id, title: i.title, decision: i.decision, paragraph: paragraph(i.id) })));
    expect(body.decisions.map((d: { paragraph: number }) => d.paragraph)).toEqual([1, 4]);
    expect(body.attachments).toEqual([]);
  });

  it("rename, replace and delete: the leader's own, a member's on their own files only", async () => {
    const leader = await cookieFor(LEADER);
    const [first] = await rows(convened.id);
    // Rename as a form; a name without extension keeps the file's own.
    const renamed = await post(LEADER, `${convened.path}/attachments`, { intent: "rename", attachmentId: first.id, name: "Verksamhetsplan 2027" });
    expect(renamed.status).toBe(303);
    expect(renamed.headers.get("location")).toBe(`${convened.path}?attachmentDone=renamed#handlingar`);
    expect((await s.db.selectFrom("attachments").select("name").where("id", "=", first.id).executeTakeFirstOrThrow()).name).toBe("Verksamhetsplan 2027.pdf");
    const emptyName = await postForm(s.url, `${convened.path}/attachments`, { intent: "rename", attachmentId: first.id, name: "  " }, leader, { accept: "application/json" });
    expect(emptyName.status).toBe(400);
    // Replace with a new version: new content, new type, the old bytes gone from the store.
    const oldKey = first.storage_key;
    const replaced = await upload(LEADER, convened.path, { name: "Verksamhetsplan v2.png", bytes: png() }, { intent: "replace", attachmentId: first.id }, { json: true });
    expect(replaced.status).toBe(200);
    expect(replaced.json()).toMatchObject({ id: first.id, name: "Verksamhetsplan v2.png", type: "image/png", size: png().length });
    expect(stored()).not.toContain(path.join(...oldKey.split("/")));
    const dl = await fetch(`${s.url}${convened.path}/attachments/${first.id}`, { headers: { cookie: leader } });
    expect(Buffer.from(await dl.arrayBuffer()).equals(png())).toBe(true);
    // A member may not change the leader's file; they may rename their own.
    const memberFile = (await rows(convened.id)).find((r) => r.name === "Underlag praktik.pdf")!;
    const notTheirs = await postForm(s.url, `${convened.path}/attachments`, { intent: "delete", attachmentId: first.id }, await cookieFor(MEMBER), { accept: "application/json" });
    expect(notTheirs.status).toBe(403);
    const own = await postForm(s.url, `${convened.path}/attachments`, { intent: "rename", attachmentId: memberFile.id, name: "Praktik underlag.pdf" }, await cookieFor(MEMBER), { accept: "application/json" });
    expect(own.status).toBe(200);
    // Delete: gone from the page, the store and the download.
    const newKey = (await s.db.selectFrom("attachments").select("storage_key").where("id", "=", first.id).executeTakeFirstOrThrow()).storage_key;
    expect(stored()).toContain(path.join(...newKey.split("/")));
    const del = await upload(LEADER, convened.path, null, { intent: "delete", attachmentId: first.id });
    expect(del.status).toBe(303);
    expect(await s.db.selectFrom("attachments").select("id").where("id", "=", first.id).executeTakeFirst()).toBeUndefined();
    expect(stored()).not.toContain(path.join(...newKey.split("/")));
    expect((await get(s.url, `${convened.path}/attachments/${first.id}`, leader)).status).toBe(404);
    // The council's audit log keeps who replaced and deleted it.
    const audit = await s.db.selectFrom("audit_log").select(["action", "before_json", "after_json"]).where("subject", "=", convened.id).where("action", "like", "attachment.%").orderBy("created_at").execute();
    expect(audit.filter((a) => a.before_json?.includes(first.id)).map((a) => a.action)).toEqual(["attachment.replaced", "attachment.deleted"]);
    expect(JSON.parse(audit.find((a) => a.action === "attachment.deleted")!.before_json!)).toMatchObject({ name: "Verksamhetsplan v2.png", sha256: expect.stringMatching(/^[0-9a-f]{64}$/) });
    const again = await postForm(s.url, `${convened.path}/attachments`, { intent: "delete", attachmentId: first.id }, leader, { accept: "application/json" });
    expect(again.status).toBe(404);
    expect(JSON.parse(again.text).message).toBe("Handlingen finns inte.");
  });

  it("personal data: the export lists a person's uploads; anonymising keeps the file and drops the link to them", async () => {
    const member = await cookieFor(MEMBER);
    const exp = JSON.parse((await get(s.url, "/api/v1/me/export", member)).text);
    expect(exp.meetingDocuments).toEqual([
      expect.objectContaining({ council: "Kompetensråd Skaraborg", meeting: "Rådsmöte med handlingar", name: "Praktik underlag.pdf", type: "application/pdf" }),
    ]);
    const memberId = (await s.db.selectFrom("users").select("id").where("email", "=", MEMBER).executeTakeFirstOrThrow()).id;
    const file = (await rows(convened.id)).find((r) => r.uploaded_by === memberId)!;
    expect(textOf((await get(s.url, convened.path, await cookieFor(LEADER))).text)).toContain("Uppladdad av Anders Johansson");
    expect((await postForm(s.url, `/admin/people/${memberId}`, { confirm: "yes" }, await cookieFor(ADMIN))).status).toBe(302);
    const after = await s.db.selectFrom("attachments").selectAll().where("id", "=", file.id).executeTakeFirstOrThrow();
    expect(after).toMatchObject({ uploaded_by: null, name: file.name, storage_key: file.storage_key });
    const page = textOf((await get(s.url, convened.path, await cookieFor(LEADER))).text);
    expect(page).toContain("Praktik underlag.pdf");
    expect(page).not.toContain("Anders Johansson");
    expect((await get(s.url, `${convened.path}/attachments/${file.id}`, await cookieFor(LEADER))).status).toBe(200);
  });
});
