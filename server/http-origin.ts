import type { IncomingMessage } from "node:http";

/** The origin this server is reached at: PUBLIC_URL if set, else the Host header. */
export function expectedOrigin(req: IncomingMessage, publicUrl: string | null, secure: boolean): string | null {
  if (publicUrl) return new URL(publicUrl).origin;
  const host = req.headers.host;
  if (!host) return null;
  return `${secure ? "https" : "http"}://${host}`;
}

/**
 * Cross-site requests are refused: a present Origin must be our own, and a browser's
 * Sec-Fetch-Site must not say cross-site. Clients that send neither (curl, server-to-server)
 * carry no ambient browser cookies of a victim, so they pass.
 */
export function isSameOrigin(req: IncomingMessage, publicUrl: string | null, secure: boolean): boolean {
  const origin = req.headers.origin;
  if (origin && origin !== "null") return origin === expectedOrigin(req, publicUrl, secure);
  if (origin === "null") return false;
  return req.headers["sec-fetch-site"] !== "cross-site";
}
