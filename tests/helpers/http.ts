// HTTP helpers that behave like a browser without JavaScript: plain form posts,
// redirects not followed, cookies carried by hand.
import { DEMO_PASSWORD } from "./server";

export interface FetchResult {
  status: number;
  headers: Headers;
  text: string;
}

/** The `name=value` part of each Set-Cookie header, joined for a Cookie header. */
export function cookiesFrom(headers: Headers): string {
  return headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

export async function get(base: string, path: string, cookie?: string, headers: Record<string, string> = {}): Promise<FetchResult> {
  const res = await fetch(base + path, { redirect: "manual", headers: { ...(cookie ? { cookie } : {}), ...headers } });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** A same-origin form post (Origin set as a browser would). */
export async function postForm(
  base: string,
  path: string,
  fields: Record<string, string>,
  cookie?: string,
  headers: Record<string, string> = {},
): Promise<FetchResult> {
  const res = await fetch(base + path, {
    method: "POST",
    redirect: "manual",
    headers: {
      "content-type": "application/x-www-form-urlencoded",
      origin: base,
      ...(cookie ? { cookie } : {}),
      ...headers,
    },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: res.status, headers: res.headers, text: await res.text() };
}

/** Sign in through POST /login and return the session cookie. */
export async function login(base: string, email: string, password = DEMO_PASSWORD): Promise<string> {
  const res = await postForm(base, "/login", { email, password });
  if (res.status !== 302) throw new Error(`login as ${email} failed: ${res.status}`);
  const cookie = cookiesFrom(res.headers);
  if (!cookie.includes("samsyn_session=")) throw new Error("login set no session cookie");
  return cookie;
}
