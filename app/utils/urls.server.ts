import type { AppLoadContext } from "@remix-run/node";

/** Absolute link for sharing (invites): PUBLIC_URL if configured, else the request's origin. */
export function absoluteUrl(request: Request, context: AppLoadContext, path: string): string {
  const base = context.config.publicUrl ?? new URL(request.url).origin;
  return `${base}${path}`;
}
