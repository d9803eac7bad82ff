// Signing in through the OpenID provider's button in a real browser (issue #16): the
// login page's "Logga in med …" leads to a real provider (`oidc-provider` on a
// loopback port), its login form is filled in, and the browser comes back signed in;
// signing out goes on to the provider. Axe-clean login page, no CSP violation.
import type { Browser, BrowserContext } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestProvider, type TestProvider } from "../helpers/oidc-provider";
import { startTestServer, type TestServer } from "../helpers/server";
import { expectCleanPages, expectNoAxeViolations, launchBrowser, openPage, type PageLog } from "./helpers";

describe("single sign-on in the browser", { timeout: 120_000 }, () => {
  let idp: TestProvider;
  let s: TestServer;
  let browser: Browser;
  const logs: PageLog[] = [];
  const contexts: BrowserContext[] = [];

  beforeAll(async () => {
    idp = await startTestProvider({ "vgr-2001": { email: "ledamot@samsyn.test", email_verified: true, name: "Anders Johansson" } });
    [s, browser] = await Promise.all([
      startTestServer({ oidc: { issuer: idp.issuer, clientId: idp.clientId, clientSecret: idp.clientSecret, name: "Västra Götalandsregionen" } }),
      launchBrowser(),
    ]);
    idp.registerClient(s.url);
  });
  afterAll(async () => {
    for (const c of contexts) await c.close().catch(() => {});
    await browser?.close();
    await s?.close();
    await idp?.close();
  });

  it("clicks 'Logga in med Västra Götalandsregionen', signs in at the provider and lands signed in", async () => {
    const context = await browser.newContext({ locale: "sv-SE" });
    contexts.push(context);
    const page = await openPage(context, logs);
    await page.goto(`${s.url}/councils/skaraborg`);
    await page.getByRole("heading", { level: 1, name: "Logga in" }).waitFor();
    await expectNoAxeViolations(page, "the login page with single sign-on");
    await page.getByRole("link", { name: "Logga in med Västra Götalandsregionen" }).click();
    await page.getByLabel("Användare").fill("vgr-2001");
    await page.getByRole("button", { name: "Logga in hos Test-IdP" }).click();
    await page.waitForURL(`${s.url}/councils/skaraborg`);
    await page.getByText("Inloggad som Anders Johansson").waitFor();

    await page.getByRole("button", { name: "Logga ut" }).click();
    await page.waitForURL((u) => u.origin === idp.issuer);
    expect(new URL(page.url()).pathname).toContain("/session/end");
    // The provider's own pages (its favicon, its logout page's web font) are not ours to check.
    const ours = logs.map((l) => ({ ...l, consoleErrors: l.consoleErrors.filter((e) => !e.includes(`[page ${idp.issuer}/`)) }));
    expectCleanPages(ours);
  });
});
