// The meeting PDFs' words and answers (issue #15): the texts in the council's
// language from the dictionaries, and the HTTP answer for a PDF of ours.
import { contentDisposition } from "../../server/domain/attachments";
import type { PdfTexts } from "../../server/pdf/texts";
import { formatDate, formatMeetingTime, formatTime, personName, translate, type Locale } from "~/i18n";

/** The PDFs are records of a Swedish council: written in Swedish, whoever downloads them (as the minutes' template). */
export function pdfTexts(locale: Locale = "sv"): PdfTexts {
  return {
    lang: locale === "sv" ? "sv-SE" : "en-GB",
    t: (key, vars) => translate(locale, key, vars),
    date: (v) => formatDate(locale, v),
    time: (v) => formatTime(locale, v),
    when: (s, e) => translate(locale, "meetings.when", formatMeetingTime(locale, s, e)),
    person: (n) => personName(locale, n),
  };
}

/** A file name from a title: letters (Swedish ones too), digits and dashes. */
export function pdfFileName(prefix: string, title: string, startsAt: string | null): string {
  const words = title
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, "-")
    .replace(/^-+|-+$/g, "")
    .slice(0, 60);
  return `${[prefix, words, startsAt?.slice(0, 10)].filter(Boolean).join("-")}.pdf`;
}

export function pdfResponse(bytes: Uint8Array, fileName: string): Response {
  return new Response(bytes as Uint8Array<ArrayBuffer>, {
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(bytes.byteLength),
      // Opened in the browser's viewer, saved under a readable name.
      "Content-Disposition": contentDisposition(fileName, "inline"),
      // For signed-in people with the right to it, made anew on each request: never in a shared cache.
      "Cache-Control": "private, no-store",
    },
  });
}
