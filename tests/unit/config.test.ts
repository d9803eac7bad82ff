import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig } from "../../server/config";
import { readSessionToken, serializeSessionCookie } from "../../server/auth/session";

const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-cfg-"));

describe("configuration", () => {
  it("defaults to port 3000, a SQLite file under the data folder, and the demo seed", () => {
    const dir = tmp();
    const c = loadConfig({ DATA_DIR: dir });
    expect(c.port).toBe(3000);
    expect(c.databaseUrl).toBe(`file:${path.join(dir, "samsyn.db")}`);
    expect(c.seedDemo).toBe(true);
  });
  it("generates a session secret once and keeps it", () => {
    const dir = tmp();
    const a = loadConfig({ DATA_DIR: dir }).sessionSecret;
    const b = loadConfig({ DATA_DIR: dir }).sessionSecret;
    expect(a.length).toBeGreaterThanOrEqual(32);
    expect(b).toBe(a);
    expect(fs.readFileSync(path.join(dir, "session-secret"), "utf8").trim()).toBe(a);
  });
  it("lists every bad variable in one error", () => {
    expect(() => loadConfig({ PORT: "seventy", SESSION_SECRET: "short", SAMSYN_DEMO: "maybe" })).toThrow(
      /PORT[\s\S]*SESSION_SECRET[\s\S]*SAMSYN_DEMO/,
    );
  });
  it("with REDIS_URL (several nodes) a SESSION_SECRET is required: one made up per node would split the sessions", () => {
    const dir = tmp();
    expect(() => loadConfig({ DATA_DIR: dir, REDIS_URL: "redis://127.0.0.1:6379" })).toThrow(
      /Invalid configuration:\n {2}SESSION_SECRET: required with REDIS_URL/,
    );
    expect(fs.existsSync(path.join(dir, "session-secret"))).toBe(false);
    const secret = "s".repeat(40);
    const c = loadConfig({ DATA_DIR: dir, REDIS_URL: "redis://127.0.0.1:6379", SESSION_SECRET: secret });
    expect(c.sessionSecret).toBe(secret);
    expect(c.redisUrl).toBe("redis://127.0.0.1:6379");
  });
  it("SAMSYN_DEMO=0 turns the seed off", () => {
    expect(loadConfig({ DATA_DIR: tmp(), SAMSYN_DEMO: "0" }).seedDemo).toBe(false);
  });
  it("meeting documents: a folder under the data folder, 20 MB a file and 100 MB a meeting by default; an S3 bucket by FILES_S3_* (issue #15)", () => {
    const dir = tmp();
    expect(loadConfig({ DATA_DIR: dir }).files).toEqual({ dir: path.join(dir, "files"), s3: null, maxFileBytes: 20 * 1024 * 1024, maxMeetingBytes: 100 * 1024 * 1024 });
    const s3 = loadConfig({ DATA_DIR: dir, FILES_S3_BUCKET: "samsyn-files", FILES_S3_ENDPOINT: "https://s3.example.se", FILES_MAX_MB: "5", FILES_MEETING_MAX_MB: "50" }).files!;
    expect(s3).toMatchObject({ s3: { bucket: "samsyn-files", endpoint: "https://s3.example.se", region: "us-east-1" }, maxFileBytes: 5 * 1024 * 1024, maxMeetingBytes: 50 * 1024 * 1024 });
    expect(() => loadConfig({ DATA_DIR: dir, FILES_S3_ENDPOINT: "https://s3.example.se" })).toThrow(/FILES_S3_BUCKET: required with FILES_S3_ENDPOINT/);
    expect(() => loadConfig({ DATA_DIR: dir, FILES_S3_BUCKET: "Not_A_Bucket", FILES_S3_ENDPOINT: "s3.example.se" })).toThrow(/FILES_S3_BUCKET[\s\S]*FILES_S3_ENDPOINT/);
    expect(() => loadConfig({ DATA_DIR: dir, FILES_MAX_MB: "30", FILES_MEETING_MAX_MB: "10" })).toThrow(/FILES_MEETING_MAX_MB: must be at least FILES_MAX_MB/);
  });
});

describe("session cookie", () => {
  const cfg = { sessionSecret: "s".repeat(40), secureCookies: false };
  it("is HttpOnly, SameSite=Lax, and round-trips its token", () => {
    const header = serializeSessionCookie("tok123", cfg);
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(readSessionToken(header.split(";")[0], cfg.sessionSecret)).toBe("tok123");
  });
  it("refuses a token signed with another secret or tampered with", () => {
    const pair = serializeSessionCookie("tok123", cfg).split(";")[0];
    expect(readSessionToken(pair, "t".repeat(40))).toBeNull();
    expect(readSessionToken(pair.replace("tok123", "tok124"), cfg.sessionSecret)).toBeNull();
  });
});

describe("single sign-on configuration", () => {
  const base = { DATA_DIR: fs.mkdtempSync(path.join(os.tmpdir(), "samsyn-cfg-")), SESSION_SECRET: "s".repeat(40) };
  const all = { OIDC_ISSUER: "https://login.vgregion.se", OIDC_CLIENT_ID: "samsyn", OIDC_CLIENT_SECRET: "hemligt", OIDC_NAME: "Västra Götalandsregionen" };
  it("is off without OIDC_*, and on with all four", () => {
    expect(loadConfig(base).oidc).toBeNull();
    expect(loadConfig({ ...base, ...all }).oidc).toEqual({ issuer: "https://login.vgregion.se", clientId: "samsyn", clientSecret: "hemligt", name: "Västra Götalandsregionen" });
  });
  it("refuses some but not all of them, naming each one missing, and an issuer that is not a URL", () => {
    expect(() => loadConfig({ ...base, OIDC_ISSUER: all.OIDC_ISSUER, OIDC_NAME: all.OIDC_NAME })).toThrow(/OIDC_CLIENT_ID: must be set with the other OIDC_\* variables[\s\S]*OIDC_CLIENT_SECRET/);
    expect(() => loadConfig({ ...base, ...all, OIDC_ISSUER: "login.vgregion.se" })).toThrow(/OIDC_ISSUER: OIDC_ISSUER must be the provider's issuer URL/);
  });
});
