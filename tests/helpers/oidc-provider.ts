// A real OpenID provider for tests (`oidc-provider`, the certified implementation), on
// a loopback port over plain http: discovery, authorization code with PKCE, ID tokens,
// userinfo and RP-initiated logout. Its login page is a one-field form ("who are you");
// consent is given at once. The accounts are the test's.
import http from "node:http";
import type { AddressInfo } from "node:net";
import Provider from "oidc-provider";

export interface TestAccount {
  email: string;
  email_verified: boolean;
  name: string;
}

export interface TestProvider {
  issuer: string;
  clientId: string;
  clientSecret: string;
  /** Accounts by their id (the subject); tests may add more. */
  accounts: Map<string, TestAccount>;
  /** Tell the provider which client redirect URIs to accept (the Samsyn server's port is known after the provider's). */
  registerClient(samsynUrl: string): void;
  close(): Promise<void>;
}

export async function startTestProvider(accounts: Record<string, TestAccount>): Promise<TestProvider> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const issuer = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const clientId = "samsyn-test";
  const clientSecret = "samsyn-test-secret-0123456789-abcdefghij";
  const known = new Map(Object.entries(accounts));
  let provider: Provider | undefined;

  const page = (body: string) => `<!doctype html><html lang="sv"><head><meta charset="utf-8"><title>Test-IdP</title></head><body><main>${body}</main></body></html>`;

  server.on("request", async (req, res) => {
    try {
      if (!provider) {
        res.writeHead(503).end("not ready");
        return;
      }
      const m = /^\/interaction\/([^/?]+)(\/login)?/.exec(req.url ?? "");
      if (!m) return provider.callback()(req, res);
      const details = await provider.interactionDetails(req, res);
      if (details.prompt.name === "login") {
        if (req.method === "POST" && m[2]) {
          const body = await new Promise<string>((resolve) => {
            let b = "";
            req.on("data", (c) => (b += c));
            req.on("end", () => resolve(b));
          });
          const login = new URLSearchParams(body).get("login") ?? "";
          if (!known.has(login)) {
            res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(page(`<p>Okänd användare.</p>`));
            return;
          }
          await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
          return;
        }
        res.writeHead(200, { "content-type": "text/html; charset=utf-8" }).end(
          page(`<h1>Test-IdP</h1><form method="post" action="/interaction/${details.uid}/login"><label for="login">Användare</label><input id="login" name="login" autofocus><button type="submit">Logga in hos Test-IdP</button></form>`),
        );
        return;
      }
      // Consent: granted at once, for the scopes and claims asked for.
      const grant = new provider.Grant({ accountId: details.session!.accountId, clientId: details.params.client_id as string });
      grant.addOIDCScope("openid email profile");
      await provider.interactionFinished(req, res, { consent: { grantId: await grant.save() } }, { mergeWithLastSubmission: true });
    } catch (err) {
      res.writeHead(500).end(String(err));
    }
  });

  return {
    issuer,
    clientId,
    clientSecret,
    accounts: known,
    registerClient(samsynUrl: string) {
      provider = new Provider(issuer, {
        clients: [
          {
            client_id: clientId,
            client_secret: clientSecret,
            redirect_uris: [`${samsynUrl}/auth/oidc/callback`],
            post_logout_redirect_uris: [`${samsynUrl}/login`],
            grant_types: ["authorization_code"],
            response_types: ["code"],
          },
        ],
        async findAccount(_ctx, id) {
          const a = known.get(id);
          return a ? { accountId: id, claims: async () => ({ sub: id, ...a }) } : undefined;
        },
        claims: { openid: ["sub"], email: ["email", "email_verified"], profile: ["name"] },
        pkce: { required: () => true },
        features: { devInteractions: { enabled: false }, rpInitiatedLogout: { enabled: true } },
        interactions: { url: (_ctx, interaction) => `/interaction/${interaction.uid}` },
        cookies: { keys: ["samsyn-test-provider-cookie-key"] },
      });
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Drive the provider's side over HTTP as a browser would: follow its redirects with
 * its own cookies, sign in as `login` on its form, and return the URL it sends the
 * browser back to (Samsyn's callback, with code and state).
 */
export async function throughProvider(authUrl: string, issuer: string, login: string): Promise<string> {
  const jar = new Map<string, string>();
  let url = authUrl;
  let method = "GET";
  let body: string | undefined;
  for (let step = 0; step < 20; step++) {
    const res = await fetch(url, {
      method,
      redirect: "manual",
      headers: { cookie: [...jar].map(([k, v]) => `${k}=${v}`).join("; "), ...(body ? { "content-type": "application/x-www-form-urlencoded" } : {}) },
      body,
    });
    for (const c of res.headers.getSetCookie()) {
      const [pair] = c.split(";");
      const at = pair.indexOf("=");
      const name = pair.slice(0, at);
      const value = pair.slice(at + 1);
      if (!value || /expires=Thu, 01 Jan 1970/i.test(c)) jar.delete(name);
      else jar.set(name, value);
    }
    if (res.status >= 300 && res.status < 400) {
      const next = new URL(res.headers.get("location")!, url).href;
      if (!next.startsWith(issuer)) return next;
      [url, method, body] = [next, "GET", undefined];
      continue;
    }
    const html = await res.text();
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1];
    if (res.status !== 200 || !action) throw new Error(`the provider answered ${res.status}: ${html.slice(0, 300)}`);
    [url, method, body] = [new URL(action, url).href, "POST", new URLSearchParams({ login }).toString()];
  }
  throw new Error("the provider did not send the browser back");
}
