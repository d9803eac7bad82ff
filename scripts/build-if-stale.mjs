#!/usr/bin/env node
// `npm start` builds only when the build is missing or stale (issue #12, item 17):
// a restart with nothing changed starts at once instead of after a 25 s build.
//
// Stale means: the content hash of everything the Remix build is made from differs
// from the stamp written after the last build made here. Content, not mtimes, so a
// fresh clone, a `git checkout` or a copy with new mtimes does not rebuild needlessly,
// and an edit that keeps the mtime still does. A build made directly with
// `npm run build` writes no stamp, so the next `npm start` builds once more.
//
//   node scripts/build-if-stale.mjs           build if stale, then stamp
//   node scripts/build-if-stale.mjs --check   exit 0 when fresh, 1 when stale (no build)
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";

// The project root; a test points it at a scratch copy.
const root = process.env.BUILD_IF_STALE_ROOT ?? path.resolve(path.dirname(new URL(import.meta.url).pathname), "..");
const STAMP = path.join(root, "build", ".source-hash");
/** What the build is made from: the UI, the server code it imports, the database types, config, dependencies. */
const INPUTS = ["app", "server", "db", "public", "scripts/patches", "vite.config.ts", "tsconfig.json", "package.json", "package-lock.json"];
/** What a usable build has. */
const OUTPUTS = ["build/server/index.js", "build/client/assets"];

function files(rel) {
  const abs = path.join(root, rel);
  if (!fs.existsSync(abs)) return [];
  if (fs.statSync(abs).isFile()) return [rel];
  return fs
    .readdirSync(abs, { withFileTypes: true })
    .filter((d) => d.name !== "node_modules" && !d.name.startsWith("."))
    .flatMap((d) => files(path.join(rel, d.name)));
}

function sourceHash() {
  const hash = createHash("sha256");
  for (const rel of INPUTS.flatMap(files).sort()) {
    hash.update(`${rel.split(path.sep).join("/")}\0`);
    hash.update(fs.readFileSync(path.join(root, rel)));
    hash.update("\0");
  }
  return hash.digest("hex");
}

const current = sourceHash();
const built = OUTPUTS.every((p) => fs.existsSync(path.join(root, p)));
const stamped = fs.existsSync(STAMP) ? fs.readFileSync(STAMP, "utf8").trim() : null;
const fresh = built && stamped === current;

if (process.argv.includes("--check")) process.exit(fresh ? 0 : 1);

if (fresh) {
  console.log("Build is up to date (build/.source-hash); not rebuilding.");
} else {
  console.log(built ? "Sources changed since the last build: building." : "No build yet: building.");
  const res = spawnSync("npm", ["run", "build"], { cwd: root, stdio: "inherit", shell: process.platform === "win32" });
  if (res.status !== 0) process.exit(res.status ?? 1);
  // The hash of the sources as they were when the build started: an edit made during
  // the build makes the next start build again.
  fs.writeFileSync(STAMP, `${current}\n`);
}
