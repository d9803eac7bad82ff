// Reading our PDFs back in tests: the text of each page and the structure roles as
// pdf.js reads them, and the catalog's accessibility entries as pdf-lib reads them.
import { PDFBool, PDFDict, PDFDocument as PdfLib, PDFName, PDFString } from "pdf-lib";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";

/** The text of each page and the page count, as pdf.js reads them. */
export async function readPdf(bytes: Buffer): Promise<{ pages: string[]; structRoles: Set<string> }> {
  const pdf = await getDocument({ data: new Uint8Array(bytes), verbosity: 0, isEvalSupported: false, useSystemFonts: false }).promise;
  const pages: string[] = [];
  const structRoles = new Set<string>();
  const walk = (n: { role?: string; children?: unknown[] } | null) => {
    if (!n) return;
    if (n.role) structRoles.add(n.role);
    for (const c of n.children ?? []) walk(c as typeof n);
  };
  for (let i = 1; i <= pdf.numPages; i++) {
    const page = await pdf.getPage(i);
    const content = await page.getTextContent();
    pages.push(content.items.map((it) => ("str" in it ? it.str : "")).join(" ").replace(/\s+/g, " "));
    walk((await page.getStructTree()) as never);
  }
  await pdf.destroy();
  return { pages, structRoles };
}

/** The catalog's accessibility entries, read with pdf-lib. */
export async function catalogOf(bytes: Buffer) {
  const doc = await PdfLib.load(bytes, { updateMetadata: false });
  const markInfo = doc.catalog.lookup(PDFName.of("MarkInfo"), PDFDict);
  const lang = doc.catalog.lookup(PDFName.of("Lang"));
  return {
    marked: markInfo.lookup(PDFName.of("Marked")) === PDFBool.True,
    structTreeRoot: doc.catalog.has(PDFName.of("StructTreeRoot")),
    lang: lang instanceof PDFString ? lang.decodeText() : String(lang),
    title: doc.getTitle(),
    displayDocTitle: doc.catalog.lookup(PDFName.of("ViewerPreferences"), PDFDict).lookup(PDFName.of("DisplayDocTitle")) === PDFBool.True,
  };
}

