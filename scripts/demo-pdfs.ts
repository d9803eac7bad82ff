// npm run demo:pdfs -- <folder> (e.g. npm run demo:pdfs -- /tmp/samsyn-pdfs) — the seeded demo's approved minutes and its
// meeting book as PDFs (issue #15), fetched through the real server (the Remix
// build: `npm run build` first) over a fresh seeded demo database, as the process
// leader. The demo has no documents: a two-page sample PDF is uploaded to one
// agenda item first (through the upload form's endpoint), so the book shows a
// document's pages after its item. Prints how long each PDF took (the first
// request, then the median of five more). Nothing here is committed.
import fs from "node:fs";
import path from "node:path";
import PDFDocument from "pdfkit";
import { COUNCIL, login, ROLES, startDemoSite } from "./lib/demo-site";

const MEETING = "Rådsmöte: uppföljning av handlingsplanen";

/** A plain two-page PDF standing in for a real document (a report, a proposal). */
function samplePdf(): Promise<Buffer> {
  const doc = new PDFDocument({ size: "A4", info: { Title: "Underlag: uppföljning" } });
  const chunks: Buffer[] = [];
  doc.on("data", (c: Buffer) => chunks.push(c));
  const done = new Promise<Buffer>((resolve) => doc.on("end", () => resolve(Buffer.concat(chunks))));
  doc.fontSize(20).text("Underlag: uppföljning av handlingsplanen");
  doc.moveDown().fontSize(12).text("Exempelhandling som demo:pdfs laddar upp, sida 1 av 2.");
  doc.addPage().fontSize(12).text("Exempelhandling, sida 2 av 2.");
  doc.end();
  return done;
}

async function timed(url: string, cookie: string): Promise<{ bytes: Buffer; ms: number }> {
  const t0 = performance.now();
  const res = await fetch(url, { headers: { cookie } });
  const bytes = Buffer.from(await res.arrayBuffer());
  const ms = performance.now() - t0;
  if (res.status !== 200) throw new Error(`${url}: HTTP ${res.status}`);
  return { bytes, ms };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function main() {
  const out = process.argv[2];
  if (!out) {
    console.error("usage: npm run demo:pdfs -- <folder>");
    process.exit(2);
  }
  fs.mkdirSync(out, { recursive: true });
  const site = await startDemoSite();
  try {
    const { name, value } = await login(site.url, ROLES.processledare);
    const cookie = `${name}=${value}`;
    const meeting = await site.db.selectFrom("meetings").select("id").where("title", "=", MEETING).executeTakeFirstOrThrow();
    const item = await site.db.selectFrom("agenda_items").select("id").where("meeting_id", "=", meeting.id).where("title", "=", "Uppföljning av handlingsplanen").executeTakeFirstOrThrow();
    const base = `${site.url}/councils/${COUNCIL}/meetings/${meeting.id}`;

    const form = new FormData();
    form.set("agendaItemId", item.id);
    form.set("file", new Blob([new Uint8Array(await samplePdf())], { type: "application/pdf" }), "underlag-uppfoljning.pdf");
    const up = await fetch(`${base}/attachments`, { method: "POST", body: form, headers: { cookie, origin: site.url, accept: "application/json" } });
    if (up.status !== 201) throw new Error(`upload: HTTP ${up.status} ${await up.text()}`);

    for (const [file, pdf] of [
      ["protokoll.pdf", "minutes.pdf"],
      ["moteshandlingar.pdf", "book.pdf"],
    ] as const) {
      const first = await timed(`${base}/${pdf}`, cookie);
      const runs: number[] = [];
      for (let i = 0; i < 5; i++) runs.push((await timed(`${base}/${pdf}`, cookie)).ms);
      fs.writeFileSync(path.join(out, file), first.bytes);
      console.log(`${path.join(out, file)}: ${first.bytes.length} bytes; first request ${first.ms.toFixed(0)} ms, then median ${median(runs).toFixed(0)} ms (min ${Math.min(...runs).toFixed(0)}, max ${Math.max(...runs).toFixed(0)})`);
    }
  } finally {
    await site.close();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
