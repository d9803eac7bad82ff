import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { get, login } from "../helpers/http";
import { startTestServer, type TestServer } from "../helpers/server";

describe("smoke", () => {
  let s: TestServer;
  beforeAll(async () => {
    s = await startTestServer();
  });
  afterAll(() => s.close());

  it("is healthy and serves the login page", async () => {
    expect((await get(s.url, "/healthz")).text).toBe('{"ok":true,"db":"ok"}');
    const page = await get(s.url, "/login");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="sv"');
    expect(page.text).toContain("Logga in");
  });

  it("serves the built files: the favicon and a fingerprinted asset, cached", async () => {
    const icon = await get(s.url, "/favicon.svg");
    expect(icon.status).toBe(200);
    expect(icon.headers.get("content-type")).toMatch(/^image\/svg\+xml/);
    const login = await get(s.url, "/login");
    const asset = /\/assets\/[\w.-]+\.js/.exec(login.text)![0];
    const js = await get(s.url, asset);
    expect(js.status).toBe(200);
    expect(js.headers.get("cache-control")).toContain("immutable");
    // A path that is no file falls through to the app (its 404 page).
    expect((await get(s.url, "/favicon.svg/x")).status).toBe(404);
  });

  it("signs a member in and shows their council", async () => {
    const cookie = await login(s.url, "ledamot@samsyn.test");
    const home = await get(s.url, "/", cookie);
    expect(home.status).toBe(200);
    expect(home.text).toContain("Kompetensråd Skaraborg");
    expect(home.text).not.toContain("Kompetensråd Fyrbodal");
  });
});
