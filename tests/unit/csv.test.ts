// The one CSV cell writer and reader (server/domain/csv.ts): formula-like cells are
// neutralised with a leading `'`, and reading takes exactly that `'` off again.
import { parse } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvCell, csvLine, readCsvCell } from "../../server/domain/csv";

const VALUES = [
  "",
  "plain",
  "=1+1",
  '=HYPERLINK("https://evil.example";"x")',
  "+SUM(1;2)",
  "-2+3",
  "@SUM(A1)",
  "\t=1+1",
  "\r=1+1",
  "'",
  "'abc",
  "'=1+1",
  "''=1+1",
  "-5",
  "+46",
  "3,5",
  "-",
  "a;b",
  'say "hi"',
  "two\nlines",
];

describe("csvCell / readCsvCell", () => {
  it("never writes a cell that starts as a formula, except a plain number", () => {
    for (const v of VALUES) {
      const [[cell]] = parse(csvLine([v, "end"]), { delimiter: ";" }) as string[][];
      const formula = /^[=+\-@\t\r]/.test(cell ?? "") && !/^[+-]?\d+(?:[.,]\d+)?$/.test(cell ?? "");
      expect(formula, JSON.stringify(v)).toBe(false);
    }
    expect(csvCell("=1+1")).toBe("'=1+1");
    expect(csvCell("-5")).toBe("-5");
    expect(csvCell("plain")).toBe("plain");
  });

  it("round-trips every value through a CSV parser", () => {
    const line = csvLine(VALUES);
    const [cells] = parse(line, { delimiter: ";" }) as string[][];
    expect(cells.map(readCsvCell)).toEqual(VALUES);
  });

  it("leaves a cell that was not neutralised alone when reading", () => {
    expect(readCsvCell("'abc")).toBe("'abc");
    expect(readCsvCell("abc")).toBe("abc");
    expect(readCsvCell("'=1")).toBe("=1");
  });
});
