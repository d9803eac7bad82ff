// The HTTP server: one process, one port. Reads as a list: middleware (each with
// why), the Remix handler, then socket.io and the Yjs endpoint on the same server,
// with one upgrade dispatcher that refuses any path nobody claims.
import { createServer as createHttpServer, type Server as HttpServer } from "node:http";
import { randomBytes } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import helmet from "helmet";
import { sql } from "kysely";
import { createRequestHandler } from "@remix-run/express";
import type { AppLoadContext, ServerBuild } from "@remix-run/node";
import type { Db } from "../db";
import { startWalCheckpointer } from "../db/wal-checkpointer";
import { defaultFilesConfig, defaultNodeId, type Config } from "./config";
import { initCollab, type Collab, type CollabOptions } from "./collab";
import "./context";
import "../app/i18n/dictionaries.server";
import { LocalEventBus } from "./domain/events";
import { isSameOrigin } from "./http-origin";
import { log } from "./log";
import { startJobs, type Jobs } from "./jobs";
import { upgradePlanDocuments } from "./domain/plan-upgrade";
import { createMailer, type Mailer } from "./mail";
import { accountMail, type AccountMail } from "./mail/account-mail";
import { createFileStore, sweepSpool } from "./files";
import { initRealtime } from "./realtime";
import { connectRedis } from "./redis";

export const MAX_BODY_BYTES = 512 * 1024;

/**
 * The one route that takes large bodies: a meeting's file upload (and its `.data`
 * twin). Its body may be one file's limit plus this much for the other fields and
 * the multipart framing; the route streams it to disk with the per-file limit
 * (app/routes/councils.$slug.meetings.$id_.attachments.ts), never into memory.
 */
const UPLOAD_PATH = /^\/councils\/[^/]+\/meetings\/[^/]+\/attachments(?:\.data)?$/;
export const UPLOAD_OVERHEAD_BYTES = 1024 * 1024;

export interface ServerOptions {
  config: Config;
  db: Db;
  /** The Remix server build, or a function that loads it (Vite dev). */
  build: ServerBuild | (() => Promise<ServerBuild>);
  /** Vite's dev middleware, in `npm run dev` only. */
  devMiddleware?: express.RequestHandler;
  clientDir?: string;
  /** Tuning for the Yjs endpoint (tests and benchmarks shorten the timers). */
  collab?: Pick<CollabOptions, "unloadAfterMs" | "compactEvery" | "projectionDelayMs" | "projectionMaxDelayMs" | "maxPayload" | "maxDocBytes" | "writeRate">;
  /** Where e-mail goes; by default SMTP_URL's server, or the outbox folder. */
  mailer?: Mailer;
  /** Extra checks for /healthz: `redis` pings the Redis the nodes share (resolves when it answers). */
  health?: { redis?: () => Promise<unknown> };
}

export interface SamsynServer {
  httpServer: HttpServer;
  /** Domain events (across nodes when REDIS_URL is set). */
  bus: LocalEventBus;
  collab: Collab;
  jobs: Jobs;
  /** A person's own e-mails, sent in the background (tests wait for `idle()`). */
  mail: AccountMail;
  listen(port?: number, host?: string): Promise<number>;
  close(): Promise<void>;
}

const REFUSED = {
  crossSite: { sv: "Förfrågan avvisades eftersom den kom från en annan webbplats.", en: "Request refused: it came from another site." },
  tooLarge: { sv: "Förfrågan är för stor.", en: "The request is too large." },
  lengthRequired: { sv: "Förfrågan saknar längduppgift.", en: "The request has no length." },
} as const;

const langOf = (req: Request): "sv" | "en" => (/(?:^|;\s*)samsyn_lang=en/.test(req.headers.cookie ?? "") ? "en" : "sv");

function refuse(res: Response, req: Request, status: number, msg: keyof typeof REFUSED) {
  res.status(status).type("text/plain; charset=utf-8").send(REFUSED[msg][langOf(req)]);
}

/** How long /healthz waits for the database or Redis before calling it down. */
export const HEALTH_TIMEOUT_MS = 2000;

/** "ok" if `check` resolves within HEALTH_TIMEOUT_MS, else "down". */
async function probe(check: () => Promise<unknown>): Promise<"ok" | "down"> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<"down">((resolve) => (timer = setTimeout(() => resolve("down"), HEALTH_TIMEOUT_MS)));
  try {
    return await Promise.race([Promise.resolve().then(check).then(() => "ok" as const, () => "down" as const), timeout]);
  } finally {
    clearTimeout(timer);
  }
}

export function createServer(opts: ServerOptions): SamsynServer {
  const { config, db } = opts;
  // Several nodes share events, live documents and socket.io rooms through Redis.
  const redis = config.redisUrl ? connectRedis(config.redisUrl, config.redisPrefix ?? "samsyn:", config.nodeId ?? defaultNodeId()) : undefined;
  const bus = redis?.bus ?? new LocalEventBus();
  const app = express();
  const httpServer = createHttpServer(app);
  const clientDir = opts.clientDir ?? path.resolve("build/client");
  const filesConfig = config.files ?? defaultFilesConfig(config.dataDir);
  const files = {
    store: createFileStore(filesConfig),
    maxFileBytes: filesConfig.maxFileBytes,
    maxMeetingBytes: filesConfig.maxMeetingBytes,
    spoolDir: path.join(filesConfig.dir, ".incoming"),
  };
  const mailer = opts.mailer ?? createMailer(config.mail);
  // A person's own e-mails (reset links, address confirmations, invitations): sent at once, not queued.
  const mail = accountMail(mailer);
  // Uploads a crashed process left half-spooled (an hour is far longer than any upload takes).
  void sweepSpool(files.spoolDir, 60 * 60 * 1000).then((n) => n && log.info("removed stale upload spool files", { count: n }));

  app.disable("x-powered-by");
  // Behind a reverse proxy, req.ip is the client's address (login throttling keys on it).
  app.set("trust proxy", config.trustProxy);

  // Health first: no cookies, no Remix, answers as soon as the database is migrated.
  // A load balancer takes a node out on 503: its database (and Redis, with several
  // nodes) must answer `select 1` / PING within HEALTH_TIMEOUT_MS.
  app.get("/healthz", async (_req, res) => {
    const redisPing = opts.health?.redis ?? redis?.ping;
    const [dbState, redisState] = await Promise.all([
      probe(() => sql`select 1`.execute(db)),
      redisPing ? probe(redisPing) : undefined,
    ]);
    const ok = dbState === "ok" && (redisState ?? "ok") === "ok";
    res
      .status(ok ? 200 : 503)
      .set("Cache-Control", "no-store")
      .json({ ok, db: dbState, ...(redisState ? { redis: redisState } : {}) });
  });

  // A fresh nonce per request: the only inline scripts allowed are Remix's own.
  app.use((_req, res, next) => {
    res.locals.cspNonce = randomBytes(16).toString("base64");
    next();
  });

  // Security headers. Vite's dev server injects inline scripts and its own socket,
  // so the CSP is enforced in production and test builds only.
  app.use(
    helmet({
      contentSecurityPolicy:
        config.mode === "development"
          ? false
          : {
              useDefaults: false,
              directives: {
                defaultSrc: ["'self'"],
                scriptSrc: ["'self'", (_req, res) => `'nonce-${(res as Response).locals.cspNonce}'`],
                styleSrc: ["'self'"],
                imgSrc: ["'self'", "data:"],
                fontSrc: ["'self'"],
                connectSrc: ["'self'"],
                // Signing out of a single sign-on session ends with a redirect to the provider.
                formAction: ["'self'", ...(config.oidc ? [new URL(config.oidc.issuer).origin] : [])],
                frameAncestors: ["'none'"],
                baseUri: ["'self'"],
                objectSrc: ["'none'"],
              },
            },
      strictTransportSecurity: config.secureCookies,
      // Not helmet's "no-referrer": under it a browser sends `Origin: null` with its own
      // same-origin form posts, and those posts (every form without JavaScript) are then
      // refused as cross-site, by us and by Remix. "same-origin" still sends no referrer
      // (so no invite token) to other sites.
      referrerPolicy: { policy: "same-origin" },
      crossOriginEmbedderPolicy: false,
    }),
  );

  // Cross-site form posts are refused on top of SameSite=Lax cookies.
  app.use((req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    if (!isSameOrigin(req, config.publicUrl, config.secureCookies)) return refuse(res, req, 403, "crossSite");
    next();
  });

  // Bodies are capped before Remix reads them; a stream without a length is refused
  // rather than read without bound. A file upload has a cap of its own (UPLOAD_PATH).
  const uploadCap = filesConfig.maxFileBytes + UPLOAD_OVERHEAD_BYTES;
  app.use((req, res, next) => {
    if (["GET", "HEAD", "OPTIONS"].includes(req.method)) return next();
    const len = req.headers["content-length"];
    if (len === undefined) {
      if (req.headers["transfer-encoding"]) return refuse(res, req, 411, "lengthRequired");
      return next();
    }
    if (Number(len) > (req.method === "POST" && UPLOAD_PATH.test(req.path) ? uploadCap : MAX_BODY_BYTES)) return refuse(res, req, 413, "tooLarge");
    next();
  });

  // Compression (Brotli, gzip or deflate, as the browser accepts): pages are large
  // (the plan page is ~1 MB of HTML) and compress ~10×. Brotli at quality 4, the
  // middleware's default, costs about what gzip does. Remix flushes after each chunk it
  // streams, and the middleware flushes the encoder then, so streamed pages still
  // stream; event streams are left alone. socket.io and WebSocket upgrades never pass
  // through Express. A response can opt out with `Cache-Control: no-transform`.
  app.use(
    compression({
      filter: (req, res) => !String(res.getHeader("Content-Type") ?? "").startsWith("text/event-stream") && compression.filter(req, res),
    }),
  );

  if (opts.devMiddleware) {
    app.use(opts.devMiddleware);
  } else {
    // Vite fingerprints its assets, so they can be cached forever
    // (`Cache-Control: public, max-age=31536000, immutable`).
    app.use("/assets", express.static(path.join(clientDir, "assets"), { immutable: true, maxAge: "1y" }));
    // The few files at the top of the build (favicon …), looked up once: a page
    // request then costs no file-system lookup for a file that is not there. Their
    // names are not fingerprinted, so they are cached for an hour only.
    const topFiles = new Set(fs.existsSync(clientDir) ? fs.readdirSync(clientDir).filter((f) => f !== "assets").map((f) => `/${f}`) : []);
    const serveTop = express.static(clientDir, { maxAge: "1h", index: false });
    app.use((req, res, next) => (topFiles.has(req.path) ? serveTop(req, res, next) : next()));
  }

  app.all(
    "*",
    createRequestHandler({
      build: opts.build,
      mode: config.mode,
      getLoadContext: (req, res): AppLoadContext => ({
        db,
        events: bus,
        collab,
        config: {
          sessionSecret: config.sessionSecret,
          secureCookies: config.secureCookies,
          publicUrl: config.publicUrl,
          mode: config.mode,
          oidc: config.oidc ?? null,
        },
        cspNonce: res.locals.cspNonce,
        clientIp: req.ip,
        documentRequest: req.method === "GET" && !req.path.endsWith(".data"),
        serverHtml: {},
        files,
        mail,
      }),
    }),
  );

  // Last resort: log, and answer without leaking internals.
  app.use((err: unknown, req: Request, res: Response, _next: NextFunction) => {
    log.error("unhandled request error", { path: req.path, err: err instanceof Error ? err.stack : String(err) });
    if (!res.headersSent) res.status(500).type("text/plain; charset=utf-8").send("Internal error");
  });

  const realtime = initRealtime(httpServer, {
    db,
    bus,
    sessionSecret: config.sessionSecret,
    publicUrl: config.publicUrl,
    secure: config.secureCookies,
    adapter: redis?.adapter,
  });
  // SQLite: WAL checkpoints in a worker thread, off the path of every request and update.
  const checkpointer = startWalCheckpointer(db);
  const collab = initCollab({
    db,
    bus,
    docBus: redis?.docBus,
    sessionSecret: config.sessionSecret,
    publicUrl: config.publicUrl,
    secure: config.secureCookies,
    ...opts.collab,
  });

  // Links in e-mails point at PUBLIC_URL, or at this server as it listens.
  let listeningPort = config.port;
  const jobs = startJobs({
    db,
    bus,
    docs: collab,
    mailer,
    config,
    baseUrl: () => config.publicUrl ?? `http://localhost:${listeningPort}`,
  });

  // One upgrade dispatcher: socket.io's engine claims /socket.io/ itself; /yjs/ is
  // ours; anything else is refused at once.
  httpServer.on("upgrade", (req, socket, head) => {
    const pathname = new URL(req.url ?? "/", "http://x").pathname;
    if (pathname.startsWith("/socket.io/")) return;
    if (pathname.startsWith("/yjs/")) {
      void collab.handleUpgrade(req, socket, head);
      return;
    }
    socket.end("HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n");
  });

  return {
    httpServer,
    bus,
    collab,
    jobs,
    mail,
    async listen(port = config.port, host = config.host) {
      // Another node's events reach this one before it takes a request.
      await redis?.bus.ready;
      // Plan documents of an earlier layout are upgraded before anyone opens one.
      const upgraded = await upgradePlanDocuments(db, collab, (planId, err) => log.error("could not upgrade a plan document", { planId, err: String(err) }));
      if (upgraded) log.info("upgraded plan documents to the current layout", { upgraded });
      return new Promise((resolve, reject) => {
        httpServer.once("error", reject);
        httpServer.listen(port, host, () => {
          httpServer.off("error", reject);
          const addr = httpServer.address();
          listeningPort = typeof addr === "object" && addr ? addr.port : port;
          resolve(listeningPort);
        });
      });
    },
    async close() {
      // Documents are flushed (persisted, projected) before the sockets go.
      await collab.close();
      await realtime.close(); // also closes the HTTP server
      httpServer.closeAllConnections();
      await mail.idle();
      await jobs.close();
      await redis?.close();
      await checkpointer?.close();
    },
  };
}
