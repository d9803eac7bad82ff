// `npm start` builds only when the build is missing or stale (scripts/build-if-stale.mjs),
// run for real against a scratch project whose `npm run build` only leaves a mark.
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { afterEach, describe, expect, it } from "vitest";

const SCRIPT = path.resolve("scripts/build-if-stale.mjs");

describe("build-if-stale", () => {
  let dir: string;
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  const scratch = () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-build-if-stale-"));
    const build = "node -e \"const fs=require('fs');fs.mkdirSync('build/server',{recursive:true});fs.mkdirSync('build/client/assets',{recursive:true});fs.writeFileSync('build/server/index.js','');fs.appendFileSync('builds.log','x')\"";
    fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ name: "scratch", private: true, scripts: { build } }));
    fs.mkdirSync(path.join(dir, "app/routes"), { recursive: true });
    fs.writeFileSync(path.join(dir, "app/routes/_index.tsx"), "export default 1;\n");
    fs.mkdirSync(path.join(dir, "server/domain"), { recursive: true });
    fs.writeFileSync(path.join(dir, "server/domain/x.ts"), "export const x = 1;\n");
  };
  const run = (...args: string[]) => spawnSync(process.execPath, [SCRIPT, ...args], { cwd: dir, env: { ...process.env, BUILD_IF_STALE_ROOT: dir }, encoding: "utf8" });
  const builds = () => (fs.existsSync(path.join(dir, "builds.log")) ? fs.readFileSync(path.join(dir, "builds.log"), "utf8").length : 0);

  it("builds when there is no build, then not again until a source changes", { timeout: 120_000 }, () => {
    scratch();
    expect(run("--check").status).toBe(1);
    expect(run().status).toBe(0);
    expect(builds()).toBe(1);
    expect(run("--check").status).toBe(0);
    expect(run().status).toBe(0);
    expect(builds()).toBe(1); // a restart with nothing changed does not build

    // Same mtime or not: what counts is the content.
    fs.writeFileSync(path.join(dir, "server/domain/x.ts"), "export const x = 2;\n");
    expect(run("--check").status).toBe(1);
    expect(run().status).toBe(0);
    expect(builds()).toBe(2);

    fs.writeFileSync(path.join(dir, "app/routes/new.tsx"), "export default 2;\n");
    expect(run().status).toBe(0);
    expect(builds()).toBe(3);

    // A build that was removed is made again.
    fs.rmSync(path.join(dir, "build/server"), { recursive: true });
    expect(run().status).toBe(0);
    expect(builds()).toBe(4);
    expect(run().status).toBe(0);
    expect(builds()).toBe(4);
  });
});
