// WAL checkpoints off the event loop (issue #14, docs/decisions/043-wal-checkpoints-off-the-loop.md).
//
// A checkpoint copies the WAL's pages into the database file and fsyncs it: 5–7 ms
// on the benchmark machine for the ≈ 200 appends of a typing burst. Run on the
// server's own connection (SQLite's automatic checkpoint, or our own PASSIVE one),
// it blocks the event loop, and every update that arrives meanwhile waits: those
// stalls made Samsyn's p99 typing latency. Here a worker thread with a connection
// of its own runs PASSIVE checkpoints. PASSIVE never waits for anyone and never
// blocks a writer: the server's appends go on into the WAL while the worker
// copies, and WAL mode lets the two connections share the file.
//
// When: every CHECKPOINT_AFTER_WRITES appends of the update store (walWritten),
// and on a slow timer for everything else. Not more often: once the WAL is fully
// copied, the next commit starts it over and syncs its new header, on the
// writer's thread (3–5 ms, SQLite's own rule); the fewer restarts, the fewer of
// those. The server's connection keeps an automatic checkpoint as a backstop, at
// a far higher threshold, so the WAL stays bounded even if the worker stopped.
import { createRequire } from "node:module";
import { Worker } from "node:worker_threads";
import { sqliteHandle, type Db } from ".";
import { log } from "../server/log";

/** The worker checkpoints after this many appends (about 3 WAL pages each)... */
export const CHECKPOINT_AFTER_WRITES = 300;
/** ...and this often whatever was written (a no-op when the WAL has nothing new). */
export const CHECKPOINT_EVERY_MS = 5000;
/** The server connection's automatic checkpoint while the worker runs, in pages (≈ 40 MB). */
export const BACKSTOP_PAGES = 10_000;
/** SQLite's default threshold, restored when the worker stops. */
const DEFAULT_AUTOCHECKPOINT_PAGES = 1000;

// Plain JavaScript: a worker loads no TypeScript, neither under tsx nor under
// vitest. It answers every checkpoint with SQLite's result row, or the error.
const WORKER_SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const Database = require(workerData.driver);
const db = new Database(workerData.file, { fileMustExist: true });
// Another checkpoint (the backstop) in progress: skip this turn rather than wait.
db.pragma("busy_timeout = 0");
const checkpoint = () => {
  try {
    const [row] = db.pragma("wal_checkpoint(PASSIVE)");
    return { ok: true, ...row };
  } catch (err) {
    return { ok: false, err: String(err) };
  }
};
const timer = setInterval(() => {
  const r = checkpoint();
  if (!r.ok) parentPort.postMessage(r);
}, workerData.everyMs);
parentPort.on("message", (msg) => {
  if (msg.type === "checkpoint") {
    const r = checkpoint();
    // Asked by a test (an id), it answers; asked by the store, only a failure is told.
    if (msg.id !== undefined || !r.ok) parentPort.postMessage({ id: msg.id, ...r });
    return;
  }
  if (msg.type === "ping") return parentPort.postMessage({ id: msg.id, ok: true });
  if (msg.type === "close") {
    clearInterval(timer);
    db.close();
    parentPort.close();
  }
});
`;

export interface CheckpointResult {
  ok: boolean;
  /** Frames in the WAL, and how many of them are now in the database file. */
  log?: number;
  checkpointed?: number;
  busy?: number;
  err?: string;
}

/** The running checkpointer of each Db (see walWritten). */
const running = new WeakMap<Db, { written: number; request(): void }>();

/**
 * `db` took a write (the update store's append, on the hot path): every
 * CHECKPOINT_AFTER_WRITES of them, the worker is asked to checkpoint. A counter
 * and a message; nothing waits. A no-op without a running checkpointer.
 */
export function walWritten(db: Db): void {
  const c = running.get(db);
  if (c && ++c.written >= CHECKPOINT_AFTER_WRITES) {
    c.written = 0;
    c.request();
  }
}

export interface WalCheckpointer {
  /** Checkpoint now (tests); resolves with SQLite's answer. */
  checkpoint(): Promise<CheckpointResult>;
  /** Resolves once the worker has done everything asked of it so far (tests). */
  settled(): Promise<void>;
  /** Stop the worker and restore the connection's automatic checkpoint. */
  close(): Promise<void>;
}

/**
 * Start checkpointing `db`'s SQLite file in a worker thread. Undefined for
 * PostgreSQL and in-memory databases (nothing to checkpoint), and for a Db that
 * `openDb` did not make.
 */
export function startWalCheckpointer(db: Db, everyMs = CHECKPOINT_EVERY_MS): WalCheckpointer | undefined {
  const sqlite = sqliteHandle(db);
  if (!sqlite || sqlite.memory || sqlite.pragma("journal_mode", { simple: true }) !== "wal") return undefined;
  const driver = createRequire(import.meta.url).resolve("better-sqlite3");
  const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { file: sqlite.name, driver, everyMs } });
  // Never the reason a process stays alive.
  worker.unref();
  const waiting = new Map<number, (r: CheckpointResult) => void>();
  let nextId = 1;
  let failures = 0;
  worker.on("message", ({ id, ...r }: CheckpointResult & { id?: number }) => {
    if (id !== undefined) waiting.get(id)?.(r);
    waiting.delete(id ?? 0);
    if (!r.ok && failures++ % 100 === 0) log.warn("WAL checkpoint in the worker failed; the automatic one remains", { err: r.err });
  });
  const stopped = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
  worker.on("error", (err) => log.error("the WAL checkpoint worker stopped; SQLite's automatic checkpoint takes over", { err: String(err) }));
  let exited = false;
  void stopped.then(() => {
    exited = true;
    running.delete(db);
    if (sqlite.open) sqlite.pragma(`wal_autocheckpoint = ${DEFAULT_AUTOCHECKPOINT_PAGES}`);
    for (const w of waiting.values()) w({ ok: false, err: "stopped" });
    waiting.clear();
  });
  sqlite.pragma(`wal_autocheckpoint = ${BACKSTOP_PAGES}`);
  running.set(db, { written: 0, request: () => worker.postMessage({ type: "checkpoint" }) });
  let closing: Promise<void> | undefined;
  // The worker handles its messages in order: an answer means everything before it is done.
  const ask = (type: "checkpoint" | "ping"): Promise<CheckpointResult> => {
    if (exited || closing) return Promise.resolve({ ok: false, err: "stopped" });
    const id = nextId++;
    return new Promise((resolve) => {
      waiting.set(id, resolve);
      worker.postMessage({ type, id });
    });
  };
  return {
    checkpoint: () => ask("checkpoint"),
    settled: () => ask("ping").then(() => undefined),
    close() {
      closing ??= (async () => {
        running.delete(db);
        worker.postMessage({ type: "close" });
        const timeout = setTimeout(() => void worker.terminate(), 2000);
        await stopped;
        clearTimeout(timeout);
      })();
      return closing;
    },
  };
}
