// The meeting book (issue #15): a cover sheet (council, meeting, time, place,
// invitees), the agenda with clock times, then each agenda item followed by the
// pages of its PDF documents; other documents are listed by name. The book's own
// pages are written tagged (tagged.ts); the documents' pages are copied in with
// pdf-lib after them. Those copied pages are not part of the structure tree (their
// own tags, if any, stay behind in their file): each is announced by name and page
// count in the tagged text before it. docs/decisions/041-meeting-pdfs.md
import { PDFDocument, PDFName } from "pdf-lib";
import type { BookDocument, MeetingBookData } from "../domain/meeting-pdfs";
import { TaggedPdf } from "./tagged";
import type { PdfTexts } from "./texts";

const KIND = { information: "agenda.kind.information", discussion: "agenda.kind.discussion", decision: "agenda.kind.decision" } as const;

/** A document's PDF, loaded, or why it is not in the book. */
type Loaded = { doc: PDFDocument; pages: number } | { missing: "notPdf" | "unreadable" };

async function loadDocument(d: BookDocument, read: (key: string) => Promise<Buffer | null>): Promise<Loaded> {
  if (d.type !== "application/pdf") return { missing: "notPdf" };
  const bytes = await read(d.storageKey);
  if (!bytes) return { missing: "unreadable" };
  try {
    // An encrypted file is refused (its pages could not be copied as they are).
    const doc = await PDFDocument.load(bytes, { updateMetadata: false });
    const pages = doc.getPageCount();
    // A file that parses but has no pages has nothing to show either.
    return pages > 0 ? { doc, pages } : { missing: "unreadable" };
  } catch {
    return { missing: "unreadable" };
  }
}

export async function meetingBookPdf(d: MeetingBookData, x: PdfTexts, read: (key: string) => Promise<Buffer | null>): Promise<Buffer> {
  const { t } = x;
  const loaded = new Map<string, Loaded>();
  for (const doc of [...d.items.flatMap((i) => i.documents), ...d.documents]) loaded.set(doc.id, await loadDocument(doc, read));

  const title = t("pdf.book.title", { title: d.title });
  const pdf = new TaggedPdf({ title, author: d.council, subject: d.council, lang: x.lang, pageLabel: (n, total) => t("pdf.page", { n, total }) });

  // Cover sheet.
  pdf.h1(title);
  pdf.p(d.council, { bold: true });
  pdf.p(t("pdf.when", { when: d.startsAt && d.endsAt ? x.when(d.startsAt, d.endsAt) : t("pdf.timeNotSet") }));
  if (d.location) pdf.p(t("pdf.where", { place: d.location }));
  if (d.videoUrl) pdf.p(t("pdf.video", { url: d.videoUrl }));
  if (d.description) pdf.p(d.description);
  pdf.h2(t("pdf.book.invitees"));
  if (d.invitees.length) pdf.list(d.invitees.map((p) => `${x.person(p.name)}, ${p.organisation}`));
  else pdf.p(t("pdf.book.noInvitees"));

  pdf.h2(t("pdf.book.agenda"));
  if (d.items.length) {
    pdf.table(
      [t("pdf.book.time"), t("pdf.book.item"), t("pdf.book.presenter")],
      d.items.map((i) => [i.startsAt && i.endsAt ? `${x.time(i.startsAt)}–${x.time(i.endsAt)}` : "", t("pdf.book.itemHeading", { n: i.n, title: i.title }), i.presenter]),
      [80, "*", 130],
    );
  } else {
    pdf.p(t("minutes.noAgenda"));
  }

  // Where documents' pages go: after the book's page `after` (zero-based), in order.
  const inserts: { after: number; docs: { doc: PDFDocument; pages: number }[] }[] = [];
  const section = (heading: string, facts: string[], docs: BookDocument[]) => {
    pdf.newPage();
    pdf.h2(heading);
    for (const f of facts) pdf.p(f);
    pdf.h3(t("pdf.book.documents"));
    if (!docs.length) pdf.p(t("pdf.book.noDocuments"));
    pdf.list(
      docs.map((doc) => {
        const l = loaded.get(doc.id)!;
        if ("doc" in l) return t("pdf.book.attached", { name: doc.name, pages: l.pages });
        return l.missing === "notPdf" ? t("pdf.book.notAttached", { name: doc.name, type: doc.type }) : t("pdf.book.unreadable", { name: doc.name });
      }),
    );
    const withPages = docs.flatMap((doc) => {
      const l = loaded.get(doc.id)!;
      return "doc" in l ? [l] : [];
    });
    if (withPages.length) inserts.push({ after: pdf.pageIndex, docs: withPages });
  };
  for (const i of d.items) {
    const facts = [
      i.startsAt && i.endsAt ? `${x.time(i.startsAt)}–${x.time(i.endsAt)} · ${t(KIND[i.kind])}` : t(KIND[i.kind]),
      ...(i.presenter ? [t("pdf.book.presenterIs", { name: i.presenter })] : []),
    ];
    section(t("pdf.book.itemHeading", { n: i.n, title: i.title }), facts, i.documents);
  }
  if (d.documents.length) section(t("pdf.book.meetingDocuments"), [], d.documents);

  // Page numbers count the documents' pages too.
  const added = inserts.reduce((n, g) => n + g.docs.reduce((m, doc) => m + doc.pages, 0), 0);
  const own = pdf.pageIndex + 1;
  const numberOf = (i: number) => i + 1 + inserts.filter((g) => g.after < i).reduce((n, g) => n + g.docs.reduce((m, doc) => m + doc.pages, 0), 0);
  const bytes = await pdf.finish({ numberOf, total: own + added });
  if (!inserts.length) return bytes;

  // Keep the book's catalog (structure tree, /Lang, /MarkInfo, title) as written: load without touching its metadata.
  const book = await PDFDocument.load(bytes, { updateMetadata: false });
  // From the last insertion point back, so the earlier points keep their index.
  for (const g of [...inserts].reverse()) {
    let at = g.after + 1;
    for (const { doc } of g.docs) {
      for (const page of await book.copyPages(doc, doc.getPageIndices())) {
        // The page's marked content belonged to its own file's structure tree, which is not copied.
        page.node.delete(PDFName.of("StructParents"));
        book.insertPage(at++, page);
      }
    }
  }
  return Buffer.from(await book.save());
}
