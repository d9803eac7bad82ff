// The demo site for the look-and-measure tools (screenshots, page weight,
// Lighthouse): a real Samsyn server on 127.0.0.1 and an ephemeral port, over a
// fresh copy of a migrated and demo-seeded SQLite file in a temporary folder
// (as tests/helpers/global-setup.ts and server.ts do, without vitest), plus the
// list of main pages with the ids they need, found in that database.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import { migrateToLatest, openDb, type Db } from "../../db";
import { seedDemo } from "../../db/seed";
import type { Config } from "../../server/config";
import { createServer } from "../../server/index";
import { setLogLevel } from "../../server/log";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const DEMO_PASSWORD = "samsyn-demo";
export { CHROMIUM_PATH, launchBrowser } from "./chromium";
export const COUNCIL = "skaraborg";

/** The demo roles, by the short name used in folder names. */
export const ROLES = {
  admin: "admin@samsyn.test",
  processledare: "processledare@samsyn.test",
  ledamot: "ledamot@samsyn.test",
  observator: "observator@samsyn.test",
} as const;
export type Role = keyof typeof ROLES;

export interface DemoSite {
  url: string;
  db: Db;
  close(): Promise<void>;
}

/**
 * Migrates and seeds a base file, copies it, and serves the copy with the real Remix build
 * (`buildDir`, default `build/`: another folder serves an older build side by side).
 */
export async function startDemoSite(buildDir = "build"): Promise<DemoSite> {
  const buildFile = path.join(ROOT, buildDir, "server/index.js");
  if (!fs.existsSync(buildFile)) throw new Error("No Remix build in build/: run `npm run build` first.");
  setLogLevel("silent");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-site-"));
  const base = path.join(dir, "base.db");
  const seeded = openDb(`file:${base}`);
  await migrateToLatest(seeded);
  await seedDemo(seeded);
  await seeded.destroy();
  // Fold the WAL into the main file so one file copy is the whole database.
  const Sqlite = (await import("better-sqlite3")).default;
  const raw = new Sqlite(base);
  raw.pragma("wal_checkpoint(TRUNCATE)");
  raw.pragma("journal_mode = DELETE");
  raw.close();
  const dbFile = path.join(dir, "samsyn.db");
  fs.copyFileSync(base, dbFile);
  const db = openDb(`file:${dbFile}`);
  const config: Config = {
    mode: "production",
    host: "127.0.0.1",
    port: 0,
    dataDir: dir,
    databaseUrl: `file:${dbFile}`,
    sessionSecret: "site-secret-site-secret-site-secret-0123456789",
    seedDemo: false,
    publicUrl: null,
    trustProxy: false,
    secureCookies: false,
    logLevel: "silent",
    mail: { smtpUrl: null, from: "Samsyn <noreply@samsyn.test>", outboxDir: path.join(dir, "outbox") },
    digestHour: 7,
    jobsIntervalMs: 0,
  };
  const build = (await import(pathToFileURL(buildFile).href)) as ServerBuild;
  const server = createServer({ config, db, build, clientDir: path.join(ROOT, buildDir, "client") });
  const port = await server.listen(0, "127.0.0.1");
  return {
    url: `http://127.0.0.1:${port}`,
    db,
    async close() {
      await server.close();
      await db.destroy();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Signs in through POST /login (a same-origin form post) and returns the session cookie's value. */
export async function login(base: string, email: string): Promise<{ name: string; value: string }> {
  const res = await fetch(base + "/login", {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email, password: DEMO_PASSWORD }).toString(),
  });
  await res.text();
  const session = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .find((c) => c.startsWith("samsyn_session="));
  if (res.status !== 302 || !session) throw new Error(`login as ${email} failed: HTTP ${res.status}`);
  const eq = session.indexOf("=");
  return { name: session.slice(0, eq), value: session.slice(eq + 1) };
}


export interface MainPage {
  /** File-name-safe short name, e.g. `meeting-held`. */
  name: string;
  path: string;
}

/**
 * The main pages of the Skaraborg demo council, with real ids from the seeded
 * database: one meeting page per state the seed has (draft, time poll, upcoming,
 * held, cancelled), the active plan and its pages, one statement, one group.
 * Pages a role may not open answer 403/404; the callers note that and move on.
 */
export async function mainPages(db: Db): Promise<MainPage[]> {
  const council = await db.selectFrom("councils").select("id").where("slug", "=", COUNCIL).executeTakeFirstOrThrow();
  const c = `/councils/${COUNCIL}`;
  const plans = await db.selectFrom("plans").select(["id", "year", "status"]).where("council_id", "=", council.id).orderBy("year").execute();
  const plan = plans.find((p) => p.status !== "adopted") ?? plans.at(-1);
  const action = plan
    ? await db.selectFrom("plan_actions").select("id").where("plan_id", "=", plan.id).orderBy("area_id").orderBy("position").executeTakeFirst()
    : undefined;

  const meetings = await db.selectFrom("meetings").select(["id", "status", "starts_at"]).where("council_id", "=", council.id).orderBy("starts_at").execute();
  const polled = new Set((await db.selectFrom("polls").select("meeting_id").execute()).map((p) => p.meeting_id));
  const withMinutes = new Set((await db.selectFrom("minutes").select("meeting_id").execute()).map((m) => m.meeting_id));
  const now = new Date().toISOString();
  const state = (m: (typeof meetings)[number]) =>
    m.status === "cancelled" ? "cancelled" : m.status === "draft" ? (polled.has(m.id) ? "poll" : "draft") : (m.starts_at ?? "") > now ? "upcoming" : "held";
  const byState = new Map<string, string>();
  for (const m of meetings) {
    const s = state(m);
    // The held meeting with minutes if there is one (the latest), else the first of each state.
    if (s === "held" ? withMinutes.has(m.id) || !byState.has(s) : !byState.has(s)) byState.set(s, m.id);
  }
  const held = byState.get("held");

  // An action with indicators and values (the demo's nursing places), for its page's indicator section.
  const measured = plan
    ? await db.selectFrom("plan_indicators").select("action_id").where("plan_id", "=", plan.id).where("name", "=", "Platser på undersköterskeutbildningen").executeTakeFirst()
    : undefined;
  const statement = await db.selectFrom("statements").select("id").where("council_id", "=", council.id).orderBy("created_at").executeTakeFirst();
  const group = await db.selectFrom("working_groups").select("id").where("council_id", "=", council.id).orderBy("created_at").executeTakeFirst();

  const pages: MainPage[] = [
    { name: "home", path: "/" },
    { name: "council", path: c },
    { name: "meetings", path: `${c}/meetings` },
    ...["draft", "poll", "upcoming", "held", "cancelled"].flatMap((s) => (byState.has(s) ? [{ name: `meeting-${s}`, path: `${c}/meetings/${byState.get(s)}` }] : [])),
    ...(held && withMinutes.has(held) ? [{ name: "minutes", path: `${c}/meetings/${held}/minutes` }] : []),
    ...(plan
      ? [
          { name: "plan", path: `${c}/plans/${plan.year}` },
          { name: "dashboard", path: `${c}/plans/${plan.year}/dashboard` },
          { name: "compare", path: `${c}/plans/compare` },
          ...(action ? [{ name: "action", path: `${c}/plans/${plan.year}/actions/${action.id}` }] : []),
          ...(measured ? [{ name: "action-indicators", path: `${c}/plans/${plan.year}/actions/${measured.action_id}` }] : []),
          { name: "report", path: `${c}/plans/${plan.year}/report` },
          { name: "year", path: `${c}/year/${plan.year}` },
        ]
      : []),
    { name: "search", path: `${c}/search?q=validering` },
    { name: "decisions", path: `${c}/decisions` },
    { name: "statements", path: `${c}/statements` },
    ...(statement ? [{ name: "statement", path: `${c}/statements/${statement.id}` }] : []),
    { name: "groups", path: `${c}/groups` },
    ...(group ? [{ name: "group", path: `${c}/groups/${group.id}` }] : []),
    { name: "members", path: `${c}/members` },
    { name: "activity", path: `${c}/activity` },
    { name: "audit", path: `${c}/audit` },
    { name: "settings", path: "/settings" },
    { name: "notifications", path: "/notifications" },
    { name: "admin", path: "/admin" },
    { name: "admin-people", path: "/admin/people" },
    { name: "admin-audit", path: "/admin/audit" },
  ];
  return pages;
}

/** A plain-text table (first column left-aligned, the rest right-aligned). */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}
