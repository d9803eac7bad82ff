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
    expect((await get(s.url, "/healthz")).text).toBe('{"ok":true}');
    const page = await get(s.url, "/login");
    expect(page.status).toBe(200);
    expect(page.text).toContain('<html lang="sv"');
    expect(page.text).toContain("Logga in");
  });

  it("signs a member in and shows their council", async () => {
    const cookie = await login(s.url, "ledamot@samsyn.test");
    const home = await get(s.url, "/", cookie);
    expect(home.status).toBe(200);
    expect(home.text).toContain("Kompetensråd Skaraborg");
    expect(home.text).not.toContain("Kompetensråd Fyrbodal");
  });
});
