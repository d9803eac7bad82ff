// The words and formats a PDF is written with, in one language (the council's:
// Swedish). Built by the caller from app/i18n (app/utils/pdf.server.ts), so the
// PDFs take every text from the dictionaries (docs/decisions/021).
import type { MessageKey } from "../../app/i18n/keys";

export interface PdfTexts {
  /** BCP 47 language of the document (the catalog's /Lang). */
  lang: string;
  t(key: MessageKey, vars?: Record<string, string | number | null | undefined>): string;
  /** A date or an instant as a date in Stockholm. */
  date(value: string): string;
  /** The clock time of an instant in Stockholm. */
  time(iso: string): string;
  /** A meeting's date and times in Stockholm, with the zone. */
  when(startUtc: string, endUtc: string): string;
  /** A person's name (an anonymised person's marker in words). */
  person(name: string | null | undefined): string;
}
