// Shared by the benchmarks (parent side): starting a server child process and
// talking to it over IPC, signing in, small timing and statistics helpers.
// Everything talks to 127.0.0.1 only.
import { fork, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import type { ServerBuild } from "@remix-run/node";
import type { Config } from "../server/config";
import * as decoding from "lib0/decoding";
import * as encoding from "lib0/encoding";
import WebSocket from "ws";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
export const HOST = "127.0.0.1";
export const DEMO_PASSWORD = "samsyn-demo";

export type ServerKind = "samsyn" | "hocuspocus" | "ywebsocket";

export interface Usage {
  cpu: NodeJS.CpuUsage;
  mem: NodeJS.MemoryUsage;
}

/** What a server child answers to a request (see bench/servers/*.ts). */
export interface ServerChild {
  kind: ServerKind;
  port: number;
  /** http://127.0.0.1:<port> */
  base: string;
  info: Record<string, unknown>;
  proc: ChildProcess;
  request<T = unknown>(cmd: string, args?: unknown, timeoutMs?: number): Promise<T>;
  usage(): Promise<Usage>;
  close(): Promise<void>;
}

interface Reply {
  id: number;
  ok: boolean;
  result?: unknown;
  error?: string;
}

/**
 * Fork bench/servers/<kind>.ts (through tsx), wait for it to report its port.
 * `env` reaches the child as environment variables (BENCH_OPTS carries JSON options).
 * `root` is the checkout to run it from (default this one): another checkout, with its
 * own node_modules and build, runs its own code whole (bench:pages, BENCH_BASELINE_CHECKOUT).
 */
export function startServer(
  kind: ServerKind,
  opts: { options?: unknown; exposeGc?: boolean; startTimeoutMs?: number; root?: string } = {},
): Promise<ServerChild> {
  const root = opts.root ?? ROOT;
  const file = path.join(root, "bench", "servers", `${kind}.ts`);
  const proc = fork(file, [], {
    cwd: root,
    execArgv: ["--import", "tsx", ...(opts.exposeGc ? ["--expose-gc"] : [])],
    stdio: ["ignore", "inherit", "inherit", "ipc"],
    env: { ...process.env, BENCH_OPTS: JSON.stringify(opts.options ?? {}), NODE_ENV: "production" },
  });
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void; timer: NodeJS.Timeout }>();
  const failAll = (err: Error) => {
    for (const p of pending.values()) {
      clearTimeout(p.timer);
      p.reject(err);
    }
    pending.clear();
  };
  proc.on("message", (m: unknown) => {
    const r = m as Reply;
    if (typeof r?.id !== "number") return;
    const p = pending.get(r.id);
    if (!p) return;
    pending.delete(r.id);
    clearTimeout(p.timer);
    if (r.ok) p.resolve(r.result);
    else p.reject(new Error(`${kind}: ${r.error}`));
  });
  proc.on("exit", (code, signal) => failAll(new Error(`${kind} server exited (code ${code}, signal ${signal})`)));

  const request = <T>(cmd: string, args?: unknown, timeoutMs = 60_000) =>
    new Promise<T>((resolve, reject) => {
      if (!proc.connected) return reject(new Error(`${kind} server is gone`));
      const id = nextId++;
      const timer = setTimeout(() => {
        pending.delete(id);
        reject(new Error(`${kind}: request ${cmd} timed out`));
      }, timeoutMs);
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      proc.send({ id, cmd, args });
    });

  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      proc.kill("SIGKILL");
      reject(new Error(`${kind} server did not start in time`));
    }, opts.startTimeoutMs ?? 120_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`${kind} server exited during start-up (code ${code})`));
    };
    proc.once("exit", onExit);
    const onReady = (m: unknown) => {
      const msg = m as { ready?: boolean; port?: number; info?: Record<string, unknown> };
      if (!msg?.ready || typeof msg.port !== "number") return;
      clearTimeout(timer);
      proc.off("message", onReady);
      proc.off("exit", onExit);
      const port = msg.port;
      resolve({
        kind,
        port,
        base: `http://${HOST}:${port}`,
        info: msg.info ?? {},
        proc,
        request,
        usage: () => request<Usage>("usage"),
        async close() {
          if (proc.exitCode !== null || proc.signalCode !== null) return;
          const exited = new Promise<void>((r) => proc.once("exit", () => r()));
          await request("close", undefined, 20_000).catch(() => undefined);
          const killer = setTimeout(() => proc.kill("SIGKILL"), 5_000);
          await exited;
          clearTimeout(killer);
        },
      });
    };
    proc.on("message", onReady);
  });
}

/** Sign in through POST /login (same-origin form post) and return the session cookie. */
export async function login(base: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await fetch(base + "/login", {
    method: "POST",
    redirect: "manual",
    headers: { "content-type": "application/x-www-form-urlencoded", origin: base },
    body: new URLSearchParams({ email, password }).toString(),
  });
  await res.text();
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
  if (res.status !== 302 || !cookie.includes("samsyn_session=")) throw new Error(`login as ${email} failed: HTTP ${res.status}`);
  return cookie;
}

export async function getJson<T>(base: string, path: string, cookie: string): Promise<T> {
  const res = await fetch(base + path, { headers: { cookie } });
  if (!res.ok) throw new Error(`GET ${path}: HTTP ${res.status}`);
  return (await res.json()) as T;
}

/** A WebSocket class for client libraries: sends the cookie and the server's own Origin, as a browser would. */
export function cookieWebSocket(cookie: string | undefined, origin: string) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), origin } });
    }
  } as unknown as typeof globalThis.WebSocket;
}

const MSG_AWARENESS = 1;
/** Awareness entries the shim below has stripped (see awarenessShimWebSocket). */
export const shimCounters = { messages: 0, strippedEntries: 0 };

/**
 * Like cookieWebSocket, but outgoing y-websocket awareness messages keep only the
 * entries of this client's own Yjs client id (`ownId()`); the others are stripped
 * (the message itself is still sent, possibly with zero entries, so the server
 * handles as many messages as without the shim).
 *
 * Why: the stock y-websocket provider re-broadcasts every awareness change it sees,
 * including peers' states it has just received and its own 'timeout' removals of
 * peers. Samsyn's /yjs endpoint closes a connection (4400) that sends an entry for
 * a client id owned by another connection, and y-websocket 3 never reconnects after
 * a 44xx close. The bench uses this shim for Samsyn only while that is so (it probes
 * first); it emulates the server dropping foreign entries instead of closing.
 */
export function awarenessShimWebSocket(cookie: string | undefined, origin: string, ownId: () => number) {
  return class extends WebSocket {
    constructor(url: string, protocols?: string | string[]) {
      super(url, protocols, { headers: { ...(cookie ? { cookie } : {}), origin } });
    }
    override send(data: unknown, ...rest: unknown[]) {
      if (data instanceof Uint8Array && data[0] === MSG_AWARENESS) data = ownAwarenessOnly(data, ownId());
      return (super.send as (...a: unknown[]) => void)(data, ...rest);
    }
  } as unknown as typeof globalThis.WebSocket;
}

function ownAwarenessOnly(msg: Uint8Array, own: number): Uint8Array {
  const d = decoding.createDecoder(msg);
  decoding.readVarUint(d); // message type
  const inner = decoding.createDecoder(decoding.readVarUint8Array(d));
  const n = decoding.readVarUint(inner);
  const keep: { id: number; clock: number; state: string }[] = [];
  for (let i = 0; i < n; i++) {
    const e = { id: decoding.readVarUint(inner), clock: decoding.readVarUint(inner), state: decoding.readVarString(inner) };
    if (e.id === own) keep.push(e);
  }
  if (keep.length === n) return msg;
  shimCounters.messages++;
  shimCounters.strippedEntries += n - keep.length;
  const update = encoding.createEncoder();
  encoding.writeVarUint(update, keep.length);
  for (const e of keep) {
    encoding.writeVarUint(update, e.id);
    encoding.writeVarUint(update, e.clock);
    encoding.writeVarString(update, e.state);
  }
  const enc = encoding.createEncoder();
  encoding.writeVarUint(enc, MSG_AWARENESS);
  encoding.writeVarUint8Array(enc, encoding.toUint8Array(update));
  return encoding.toUint8Array(enc);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

export function waitFor(predicate: () => boolean, what: string, timeoutMs = 10_000, everyMs = 5): Promise<void> {
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const tick = () => {
      if (predicate()) return resolve();
      if (Date.now() - started > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(tick, everyMs);
    };
    tick();
  });
}

/** Nearest-rank percentile of an ascending-sorted array. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length - 1, Math.max(0, rank - 1))];
}

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  if (s.length === 0) return NaN;
  const mid = Math.floor(s.length / 2);
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export const cpuMicros = (a: NodeJS.CpuUsage, b: NodeJS.CpuUsage) => b.user - a.user + (b.system - a.system);

export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(1);

export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
  return [line(cells[0]), widths.map((w) => "-".repeat(w)).join("  "), ...cells.slice(1).map(line)].join("\n");
}

// ---- child side (bench/servers/*.ts) ----

export type Handler = (args: unknown) => unknown | Promise<unknown>;

/**
 * Answer the parent's IPC requests. Every child answers `usage` (process.cpuUsage()
 * and memoryUsage()), `gc` (full collections, then memoryUsage; needs --expose-gc)
 * and `close`; `extra` adds server-specific commands. Exits when the parent goes.
 */
export function serveIpc(port: number, info: Record<string, unknown>, extra: Record<string, Handler>, close: () => Promise<void>) {
  if (!process.send) throw new Error("bench servers run as child processes (forked by bench/collab.ts or bench/memory.ts)");
  let closing = false;
  let profiler: import("node:inspector").Session | undefined;
  const shutdown = async () => {
    if (closing) return;
    closing = true;
    const force = setTimeout(() => process.exit(0), 10_000);
    force.unref();
    try {
      await close();
    } catch (err) {
      console.error("bench server: close failed", err);
    }
  };
  const handlers: Record<string, Handler> = {
    usage: () => ({ cpu: process.cpuUsage(), mem: process.memoryUsage() }),
    gc: async () => {
      const gc = (globalThis as { gc?: () => void }).gc;
      if (!gc) throw new Error("no global.gc: start the child with --expose-gc");
      // Several full collections with turns of the event loop in between, so
      // weak callbacks and finalizers (ws, FinalizationRegistry) run too.
      for (let i = 0; i < 4; i++) {
        gc();
        await new Promise((r) => setImmediate(r));
        await new Promise((r) => setTimeout(r, 20));
      }
      return process.memoryUsage();
    },
    close: async () => {
      await shutdown();
      return true;
    },
    // CPU profile of a chosen window (bench/collab.ts: the measured phase, with BENCH_PROFILE_DIR).
    profileStart: async () => {
      const { Session } = await import("node:inspector");
      profiler ??= new Session();
      profiler.connect();
      const post = (method: string, params?: object) =>
        new Promise<unknown>((res, rej) => profiler!.post(method, params, (err, r) => (err ? rej(err) : res(r))));
      await post("Profiler.enable");
      await post("Profiler.setSamplingInterval", { interval: 250 });
      await post("Profiler.start");
      return true;
    },
    profileStop: async (args) => {
      if (!profiler) throw new Error("profileStart first");
      const s = profiler;
      const { profile } = await new Promise<{ profile: object }>((res, rej) =>
        s.post("Profiler.stop", (err, r) => (err ? rej(err) : res(r as { profile: object }))),
      );
      s.disconnect();
      const file = String((args as { file: string }).file);
      (await import("node:fs")).writeFileSync(file, JSON.stringify(profile));
      return file;
    },
    ...extra,
  };
  process.on("message", async (m: unknown) => {
    const { id, cmd, args } = m as { id: number; cmd: string; args?: unknown };
    const h = handlers[cmd];
    try {
      if (!h) throw new Error(`unknown command ${cmd}`);
      const result = await h(args);
      // After `close`, leave once the answer is on its way.
      process.send!({ id, ok: true, result }, undefined, {}, () => cmd === "close" && process.exit(0));
    } catch (err) {
      process.send!({ id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  });
  process.on("disconnect", () => void shutdown().finally(() => process.exit(0)));
  process.send({ ready: true, port, info });
}

export const benchOptions = <T>(): Partial<T> => JSON.parse(process.env.BENCH_OPTS || "{}") as Partial<T>;

/**
 * Load the Remix build; another process may be rebuilding it, so wait for it a while.
 * `dir` (relative to the project) loads another build, e.g. a copy of an older one
 * to compare side by side (bench:pages, BENCH_BASELINE_BUILD).
 */
export async function loadBuild(dir = "build"): Promise<ServerBuild> {
  const file = path.join(ROOT, dir, "server", "index.js");
  for (let i = 0; ; i++) {
    if (fs.existsSync(file)) {
      try {
        return (await import(pathToFileURL(file).href)) as ServerBuild;
      } catch (err) {
        if (i >= 60) throw err;
      }
    } else if (i >= 60) {
      throw new Error("No Remix build in build/: run `npx remix vite:build` first.");
    }
    await sleep(1000);
  }
}

/** The Samsyn server's configuration in a benchmark: production mode, a temporary data folder, no timers, mail to its outbox. */
export function benchConfig(dir: string, dbFile: string): Config {
  return {
    mode: "production",
    host: HOST,
    port: 0,
    dataDir: dir,
    databaseUrl: `file:${dbFile}`,
    sessionSecret: "bench-secret-bench-secret-bench-secret-0123456789",
    seedDemo: false,
    publicUrl: null,
    trustProxy: false,
    secureCookies: false,
    logLevel: "warn",
    mail: { smtpUrl: null, from: "Samsyn <bench@samsyn.invalid>", outboxDir: path.join(dir, "outbox") },
    digestHour: 7,
    jobsIntervalMs: 0,
  };
}

/** GET over a keep-alive agent with the session cookie, as a browser asks for a page; the whole body. */
export function get(agent: http.Agent, port: number, urlPath: string, cookie: string): Promise<{ status: number; bytes: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get({ host: HOST, port, path: urlPath, agent, headers: { cookie, accept: "text/html,*/*" }, timeout: 30_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        const body = Buffer.concat(chunks);
        resolve({ status: res.statusCode ?? 0, bytes: body.length, body });
      });
      res.on("error", reject);
    });
    req.on("timeout", () => req.destroy(new Error(`GET ${urlPath} timed out`)));
    req.on("error", reject);
  });
}
