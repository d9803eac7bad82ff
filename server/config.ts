// Configuration comes from the environment, validated once at start-up.
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { randomBytes } from "node:crypto";
import { z } from "zod";

const bool = (def: boolean) =>
  z
    .enum(["0", "1", "true", "false", "yes", "no", ""])
    .optional()
    .transform((v) => (v === undefined || v === "" ? def : v === "1" || v === "true" || v === "yes"));

const EnvSchema = z.object({
  NODE_ENV: z.enum(["development", "production", "test"]).default("production"),
  HOST: z.string().default("0.0.0.0"),
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  DATA_DIR: z.string().default("./data"),
  // PostgreSQL (postgres://…) or a SQLite file (file:<path>, a bare path): db/index.ts openDb.
  DATABASE_URL: z
    .string()
    .refine(
      (u) => (/^postgres(ql)?:\/\//.test(u) ? URL.canParse(u) : u !== "" && u !== "file:" && !/^[a-z][a-z0-9+.-]*:\/\//i.test(u)),
      "DATABASE_URL must be postgres://user:password@host:port/database, or a SQLite file: file:./data/samsyn.db",
    )
    .optional(),
  // Cross-node fan-out (issue #14); none: one node.
  REDIS_URL: z
    .string()
    .refine((u) => /^rediss?:\/\//.test(u) && URL.canParse(u), "REDIS_URL must start with redis:// or rediss://")
    .optional(),
  // Prefix of every Redis key and channel: several installations (or test runs) may share one Redis.
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]{1,64}$/, "REDIS_PREFIX must be 1–64 letters, digits, ':', '_' or '-'")
    .default("samsyn:"),
  // This process's name among several nodes (logs, leases, bus messages); default host name and pid.
  NODE_ID: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,64}$/, "NODE_ID must be 1–64 letters, digits, '.', '_' or '-'")
    .optional(),
  SESSION_SECRET: z.string().min(32, "SESSION_SECRET must be at least 32 characters").optional(),
  SAMSYN_DEMO: bool(true),
  PUBLIC_URL: z.string().url().optional(),
  TRUST_PROXY: bool(false),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  // E-mail: with no SMTP_URL, mails are written to OUTBOX_DIR (default <DATA_DIR>/outbox).
  SMTP_URL: z.string().regex(/^smtps?:\/\//, "SMTP_URL must start with smtp:// or smtps://").optional(),
  MAIL_FROM: z.string().min(3).default("Samsyn <noreply@samsyn.invalid>"),
  OUTBOX_DIR: z.string().optional(),
  DIGEST_HOUR: z.coerce.number().int().min(0).max(23).default(7),
  JOBS_INTERVAL_SECONDS: z.coerce.number().int().min(0).default(60),
  // Meeting documents (issue #15): a folder (default <DATA_DIR>/files), or an
  // S3-compatible bucket when FILES_S3_BUCKET is set (credentials: the AWS SDK's usual
  // AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY, a profile or an instance role).
  FILES_DIR: z.string().optional(),
  FILES_S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/, "FILES_S3_BUCKET must be an S3 bucket name: 3–63 lower-case letters, digits, '.' or '-'")
    .optional(),
  FILES_S3_ENDPOINT: z
    .string()
    .refine((u) => /^https?:\/\//.test(u) && URL.canParse(u), "FILES_S3_ENDPOINT must be an http:// or https:// URL")
    .optional(),
  FILES_S3_REGION: z.string().regex(/^[a-z0-9-]{2,32}$/, "FILES_S3_REGION must be a region name such as eu-north-1").default("us-east-1"),
  // Limits, said in the UI: per file and per meeting, in megabytes.
  FILES_MAX_MB: z.coerce.number().positive().max(1024).default(20),
  FILES_MEETING_MAX_MB: z.coerce.number().positive().max(10240).default(100),
  // Single sign-on with OpenID Connect (issue #16, decision 046): all four or none.
  OIDC_ISSUER: z.string().url("OIDC_ISSUER must be the provider's issuer URL, e.g. https://login.example.se").optional(),
  OIDC_CLIENT_ID: z.string().min(1).optional(),
  OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  OIDC_NAME: z.string().min(1).max(80).optional(),
}).superRefine((e, ctx) => {
  const oidc = (["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME"] as const).filter((k) => e[k] !== undefined);
  if (oidc.length > 0 && oidc.length < 4) {
    for (const k of ["OIDC_ISSUER", "OIDC_CLIENT_ID", "OIDC_CLIENT_SECRET", "OIDC_NAME"] as const) {
      if (e[k] === undefined) ctx.addIssue({ code: "custom", path: [k], message: "must be set with the other OIDC_* variables (all four, or none)" });
    }
  }
  // Several nodes (issue #14): each would otherwise make up a secret of its own, and
  // a session signed by one node would be refused by the next.
  if (e.REDIS_URL && !e.SESSION_SECRET) {
    ctx.addIssue({
      code: "custom",
      path: ["SESSION_SECRET"],
      message: "required with REDIS_URL (several nodes): set the same secret of at least 32 characters on every node",
    });
  }
  if (e.FILES_S3_ENDPOINT && !e.FILES_S3_BUCKET) {
    ctx.addIssue({ code: "custom", path: ["FILES_S3_BUCKET"], message: "required with FILES_S3_ENDPOINT: the bucket the files go to" });
  }
  if (e.FILES_MEETING_MAX_MB < e.FILES_MAX_MB) {
    ctx.addIssue({ code: "custom", path: ["FILES_MEETING_MAX_MB"], message: "must be at least FILES_MAX_MB (one file must fit a meeting)" });
  }
});

export interface Config {
  mode: "development" | "production" | "test";
  host: string;
  port: number;
  dataDir: string;
  databaseUrl: string;
  /** Redis for cross-node fan-out; absent or null: one node, nothing leaves the process. */
  redisUrl?: string | null;
  /** Prefix of every Redis key and channel (REDIS_PREFIX). */
  redisPrefix?: string;
  /** This process's name among several nodes (NODE_ID). */
  nodeId?: string;
  sessionSecret: string;
  seedDemo: boolean;
  publicUrl: string | null;
  trustProxy: boolean;
  secureCookies: boolean;
  logLevel: "debug" | "info" | "warn" | "error" | "silent";
  mail: MailConfig;
  /** Stockholm hour at which daily digests go out. */
  digestHour: number;
  /** How often time-driven notifications and e-mail retries run; 0 turns the timer off (tests). */
  jobsIntervalMs: number;
  /** Meeting documents: where they are kept and how large they may be; absent: defaultFilesConfig(dataDir). */
  files?: FilesConfig;
  /** Sign-in through an OpenID Connect provider; null: passwords only. */
  oidc?: OidcConfig | null;
}

export interface OidcConfig {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** The provider's name on the login button ("Logga in med <name>"). */
  name: string;
}

export interface FilesConfig {
  /** The folder of the local store (FILES_DIR, default <DATA_DIR>/files); uploads are spooled under it too. */
  dir: string;
  /** An S3-compatible bucket instead of the folder. */
  s3: { bucket: string; endpoint: string | null; region: string; credentials?: { accessKeyId: string; secretAccessKey: string } } | null;
  /** Bytes per file. */
  maxFileBytes: number;
  /** Bytes per meeting, all its files together. */
  maxMeetingBytes: number;
}

const MB = 1024 * 1024;

/** The defaults: a folder under the data folder, 20 MB a file, 100 MB a meeting. */
export function defaultFilesConfig(dataDir: string): FilesConfig {
  return { dir: path.join(dataDir, "files"), s3: null, maxFileBytes: 20 * MB, maxMeetingBytes: 100 * MB };
}

export interface MailConfig {
  smtpUrl: string | null;
  from: string;
  outboxDir: string;
}

/** Parse the environment; throws one readable error listing every bad variable. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const parsed = EnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid configuration:\n${lines.join("\n")}`);
  }
  const e = parsed.data;
  const dataDir = path.resolve(e.DATA_DIR);
  return {
    mode: e.NODE_ENV,
    host: e.HOST,
    port: e.PORT,
    dataDir,
    databaseUrl: e.DATABASE_URL ?? `file:${path.join(dataDir, "samsyn.db")}`,
    redisUrl: e.REDIS_URL ?? null,
    redisPrefix: e.REDIS_PREFIX,
    nodeId: e.NODE_ID ?? defaultNodeId(),
    sessionSecret: e.SESSION_SECRET ?? persistentSecret(dataDir),
    seedDemo: e.SAMSYN_DEMO,
    publicUrl: e.PUBLIC_URL?.replace(/\/$/, "") ?? null,
    trustProxy: e.TRUST_PROXY,
    secureCookies: e.PUBLIC_URL?.startsWith("https://") ?? false,
    logLevel: e.LOG_LEVEL,
    mail: { smtpUrl: e.SMTP_URL ?? null, from: e.MAIL_FROM, outboxDir: path.resolve(e.OUTBOX_DIR ?? path.join(dataDir, "outbox")) },
    digestHour: e.DIGEST_HOUR,
    jobsIntervalMs: e.JOBS_INTERVAL_SECONDS * 1000,
    oidc: e.OIDC_ISSUER && e.OIDC_CLIENT_ID && e.OIDC_CLIENT_SECRET && e.OIDC_NAME ? { issuer: e.OIDC_ISSUER, clientId: e.OIDC_CLIENT_ID, clientSecret: e.OIDC_CLIENT_SECRET, name: e.OIDC_NAME } : null,
    files: {
      dir: path.resolve(e.FILES_DIR ?? path.join(dataDir, "files")),
      s3: e.FILES_S3_BUCKET ? { bucket: e.FILES_S3_BUCKET, endpoint: e.FILES_S3_ENDPOINT ?? null, region: e.FILES_S3_REGION } : null,
      maxFileBytes: Math.round(e.FILES_MAX_MB * MB),
      maxMeetingBytes: Math.round(e.FILES_MEETING_MAX_MB * MB),
    },
  };
}

/** A name unique among the nodes of one installation: host name and process id. */
export function defaultNodeId(): string {
  return `${os.hostname()}-${process.pid}`.replace(/[^A-Za-z0-9._-]/g, "_").slice(0, 64);
}

/** With no SESSION_SECRET, generate one once and keep it, so sessions survive restarts. */
function persistentSecret(dataDir: string): string {
  const file = path.join(dataDir, "session-secret");
  try {
    const s = fs.readFileSync(file, "utf8").trim();
    if (s.length >= 32) return s;
  } catch {
    // not there yet
  }
  fs.mkdirSync(dataDir, { recursive: true });
  const secret = randomBytes(48).toString("base64url");
  fs.writeFileSync(file, secret + "\n", { mode: 0o600 });
  return secret;
}
