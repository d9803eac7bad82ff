import * as cookie from "cookie";
import type { Db } from "../../db";
import { setUserLocale } from "../../server/domain/users";
import { LANG_COOKIE, type Locale } from "~/i18n";

/** The language this browser was switched to (its cookie), if it ever was. */
function browserChoice(request: Request): Locale | null {
  const v = cookie.parse(request.headers.get("Cookie") ?? "")[LANG_COOKIE];
  return v === "en" || v === "sv" ? v : null;
}

/** The UI language: the person's choice (cookie), else Swedish. */
export function getLocale(request: Request): Locale {
  return browserChoice(request) ?? "sv";
}

/**
 * Signing in: a language chosen in this browser is the latest choice and becomes
 * the person's (their e-mails follow it); a browser that never chose gets the
 * person's earlier choice back. Returns the cookie to set, if any.
 */
export async function localeOnSignIn(request: Request, db: Db, user: { id: string; locale: string }): Promise<string | null> {
  const chosen = browserChoice(request);
  if (chosen) {
    if (chosen !== user.locale) await setUserLocale(db, user.id, chosen);
    return null;
  }
  return user.locale === "en" ? serializeLocale("en") : null;
}

export function serializeLocale(locale: Locale): string {
  return cookie.serialize(LANG_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600, httpOnly: true });
}
