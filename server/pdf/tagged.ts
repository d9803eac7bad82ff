// A small writer of accessible (tagged) PDFs over pdfkit, for the meeting's
// minutes and book (issue #15, docs/decisions/041-meeting-pdfs.md): every piece of
// text is marked content inside a structure element (H1, H2, P, L/LI, Table/TR/
// TH/TD under one Document element), the catalog says /Lang and /MarkInfo
// Marked, the viewer shows the document's title, and page furniture (the draft
// mark, page numbers) is an Artifact that assistive technology skips.
// The font is DejaVu Sans from the dejavu-fonts-ttf package (embedded and
// subset, so Swedish letters and § print everywhere), never a system path.
import { createRequire } from "node:module";
import fs from "node:fs";
import PDFDocument from "pdfkit";

const require = createRequire(import.meta.url);
const fontFile = (name: string) => require.resolve(`dejavu-fonts-ttf/ttf/${name}`);

// fontkit (pdfkit's own font engine, no types of its own): parsing a font costs ~40 ms, so
// each is parsed once per process and shared; pdfkit makes its subset per document.
const fontkit = require("fontkit") as { create(buffer: Uint8Array): object };
let fonts: { regular: object; bold: object } | undefined;
const loadFonts = () =>
  (fonts ??= { regular: fontkit.create(fs.readFileSync(fontFile("DejaVuSans.ttf"))), bold: fontkit.create(fs.readFileSync(fontFile("DejaVuSans-Bold.ttf"))) });

const MARGIN = 56;
const SIZE = { h1: 18, h2: 13, h3: 11.5, body: 10.5, small: 8.5 } as const;

export interface TaggedPdfOptions {
  title: string;
  author?: string;
  subject?: string;
  /** BCP 47, the catalog's /Lang. */
  lang: string;
  /** Printed at the top of every page as an artifact (e.g. "UTKAST"). */
  mark?: string;
  /** Page numbers at the foot of every page: "Sida {n} av {total}". The offset shifts pages added later (the book's attachments). */
  pageLabel?: (n: number, total: number) => string;
}

export type TableCell = string;

/** One document being written. Blocks are added in reading order; `finish()` gives the bytes. */
export class TaggedPdf {
  readonly doc: PDFKit.PDFDocument;
  private readonly root: PDFKit.PDFStructureElement;
  private readonly chunks: Buffer[] = [];
  private readonly done: Promise<Buffer>;

  constructor(private readonly opts: TaggedPdfOptions) {
    const f = loadFonts();
    this.doc = new PDFDocument({
      size: "A4",
      margins: { top: MARGIN + 8, bottom: MARGIN, left: MARGIN, right: MARGIN },
      pdfVersion: "1.7",
      tagged: true,
      lang: opts.lang,
      displayTitle: true,
      bufferPages: true,
      // pdfkit reads every key it is given: no undefined values.
      info: { Title: opts.title, Creator: "Samsyn", ...(opts.author ? { Author: opts.author } : {}), ...(opts.subject ? { Subject: opts.subject } : {}) },
    } as PDFKit.PDFDocumentOptions);
    this.doc.on("data", (c: Buffer) => this.chunks.push(c));
    this.done = new Promise((resolve, reject) => {
      this.doc.on("end", () => resolve(Buffer.concat(this.chunks)));
      this.doc.on("error", reject);
    });
    // pdfkit 0.20 takes a parsed fontkit font (its types still say a path or bytes).
    this.doc.registerFont("body", f.regular as Buffer);
    this.doc.registerFont("bold", f.bold as Buffer);
    this.doc.font("body").fontSize(SIZE.body);
    this.root = this.doc.struct("Document");
    this.doc.addStructure(this.root);
  }

  /** The width text runs in. */
  private get width() {
    return this.doc.page.width - this.doc.page.margins.left - this.doc.page.margins.right;
  }

  private block(type: string, font: "body" | "bold", size: number, text: string, after: number, opts: PDFKit.Mixins.TextOptions = {}) {
    const doc = this.doc;
    doc.x = doc.page.margins.left;
    // Text is always written inside its structure element's marked content.
    this.root.add(doc.struct(type, {}, () => doc.font(font).fontSize(size).text(text, { width: this.width, ...opts })));
    doc.moveDown(after);
    doc.font("body").fontSize(SIZE.body);
  }

  h1(text: string) {
    this.block("H1", "bold", SIZE.h1, text, 0.4);
  }

  h2(text: string) {
    // A heading is not left alone at the foot of a page.
    if (this.doc.y > this.doc.page.height - this.doc.page.margins.bottom - 80) this.newPage();
    this.doc.moveDown(0.3);
    this.block("H2", "bold", SIZE.h2, text, 0.3);
  }

  h3(text: string) {
    if (this.doc.y > this.doc.page.height - this.doc.page.margins.bottom - 60) this.newPage();
    this.block("H3", "bold", SIZE.h3, text, 0.2);
  }

  p(text: string, opts: { small?: boolean; bold?: boolean } = {}) {
    this.block("P", opts.bold ? "bold" : "body", opts.small ? SIZE.small : SIZE.body, text, 0.5);
  }

  /** A list (L > LI > Lbl + LBody); items may be one level deep lists of their own. */
  list(items: (string | string[])[], numbered = false) {
    if (!items.length) return;
    const doc = this.doc;
    doc.x = doc.page.margins.left;
    const l = doc.struct("L");
    this.root.add(l);
    doc.font("body").fontSize(SIZE.body);
    doc.list(items, { structParent: l, listType: numbered ? "numbered" : "bullet", width: this.width - 20, bulletRadius: 2, textIndent: 14 } as PDFKit.Mixins.TextOptions);
    l.end();
    doc.moveDown(0.5);
  }

  /** A table whose first row is column headers (TH, scope Column). */
  table(header: TableCell[], rows: TableCell[][], widths?: (number | string)[]) {
    const doc = this.doc;
    doc.x = doc.page.margins.left;
    doc.font("body").fontSize(SIZE.body);
    const th = header.map((text) => ({ text, type: "TH", scope: "column", font: { src: "bold" }, backgroundColor: "#eeeeee" }));
    doc.table({
      structParent: this.root,
      position: { x: doc.page.margins.left },
      maxWidth: this.width,
      columnStyles: widths,
      defaultStyle: { padding: 4, border: 0.5, borderColor: "#888888" },
      data: [th, ...rows],
    } as unknown as PDFKit.Mixins.TableOptionsWithData);
    doc.x = doc.page.margins.left;
    doc.moveDown(0.8);
  }

  /**
   * A drawing (a chart) as a Figure with its alternative text: `draw` paints inside
   * `box` (the text width, `height` points tall) on the current page.
   */
  figure(alt: string, height: number, draw: (doc: PDFKit.PDFDocument, box: { x: number; y: number; width: number; height: number }) => void) {
    const doc = this.doc;
    if (doc.y + height + 16 > doc.page.height - doc.page.margins.bottom) this.newPage();
    const box = { x: doc.page.margins.left + 8, y: doc.y + 6, width: this.width - 16, height };
    this.root.add(doc.struct("Figure", { alt } as PDFKit.Mixins.StructureElementOptions, () => draw(doc, box)));
    doc.x = doc.page.margins.left;
    doc.y = box.y + height + 12;
  }

  newPage() {
    this.doc.addPage();
  }

  /** Zero-based index of the page being written. */
  get pageIndex(): number {
    const r = this.doc.bufferedPageRange();
    return r.start + r.count - 1;
  }

  /**
   * Page furniture on every page, as artifacts: the mark at the top, the page
   * number at the foot. `numberOf(i)` maps a page of this document to its number in
   * the final one (pages inserted later shift them), `total` counts those too.
   */
  private furniture(numberOf: (i: number) => number, total: number) {
    const doc = this.doc;
    const r = doc.bufferedPageRange();
    for (let i = r.start; i < r.start + r.count; i++) {
      doc.switchToPage(i);
      const { left, right } = doc.page.margins;
      const width = doc.page.width - left - right;
      // Written outside the margins: no new page may follow from them.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      if (this.opts.mark) {
        doc.markContent("Artifact", { type: "Pagination" } as PDFKit.Mixins.MarkingOptions);
        doc.font("bold").fontSize(SIZE.small).fillColor("#a40000").text(this.opts.mark, left, MARGIN / 2, { width, align: "right", lineBreak: false });
        doc.fillColor("black");
        doc.endMarkedContent();
      }
      if (this.opts.pageLabel) {
        doc.markContent("Artifact", { type: "Pagination" } as PDFKit.Mixins.MarkingOptions);
        doc.font("body").fontSize(SIZE.small).text(this.opts.pageLabel(numberOf(i), total), left, doc.page.height - MARGIN / 2 - SIZE.small, { width, align: "center", lineBreak: false });
        doc.endMarkedContent();
      }
      doc.page.margins.bottom = bottom;
    }
  }

  /** The PDF's bytes. `layout` says where this document's pages end up when pages are added after it (the book). */
  async finish(layout?: { numberOf: (i: number) => number; total: number }): Promise<Buffer> {
    const count = this.doc.bufferedPageRange().count;
    this.furniture(layout?.numberOf ?? ((i) => i + 1), layout?.total ?? count);
    this.root.end();
    this.doc.end();
    return this.done;
  }
}
