// Issue #12, code health: routes parse input, check rights and call the domain.
// No database query and no live-document edit is written in app/ (they live in
// server/domain, where one rule serves every route, API and job).
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

function files(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    return e.isDirectory() ? files(p) : /\.(ts|tsx)$/.test(e.name) ? [p] : [];
  });
}

describe("app/ stays thin", () => {
  const sources = files(path.resolve("app")).map((f) => ({ file: path.relative(process.cwd(), f), text: fs.readFileSync(f, "utf8") }));

  it("finds the route modules it checks", () => {
    expect(sources.filter((s) => s.file.startsWith(path.join("app", "routes"))).length).toBeGreaterThan(30);
  });

  it("has no database queries", () => {
    const found = sources.filter((s) => /\.(selectFrom|updateTable|insertInto|deleteFrom|replaceInto)\(|\.transaction\(\)/.test(s.text)).map((s) => s.file);
    expect(found).toEqual([]);
  });

  it("makes no server-side live-document edits", () => {
    const found = sources.filter((s) => /applyServerChange/.test(s.text)).map((s) => s.file);
    expect(found).toEqual([]);
  });
});
