// `npm test` needs Debian's Chromium for the browser tests. If it is missing and
// we are root (CI, a fresh dev machine), install it with apt-get; otherwise say how.
import { execSync } from "node:child_process";
import fs from "node:fs";

const path = process.env.CHROMIUM_PATH || "/usr/bin/chromium";
if (fs.existsSync(path)) process.exit(0);

const isRoot = typeof process.getuid === "function" && process.getuid() === 0;
if (!isRoot) {
  console.error(`Chromium not found at ${path}. Install it with: sudo apt-get install -y chromium`);
  process.exit(1);
}
console.log("Installing Debian's chromium for the browser tests (apt-get)…");
execSync("apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium", { stdio: "inherit" });
if (!fs.existsSync(path)) {
  console.error(`apt-get finished but ${path} is still missing.`);
  process.exit(1);
}
