import * as cookie from "cookie";
import { LANG_COOKIE, type Locale } from "~/i18n";

/** The UI language: the person's choice (cookie), else Swedish. */
export function getLocale(request: Request): Locale {
  const v = cookie.parse(request.headers.get("Cookie") ?? "")[LANG_COOKIE];
  return v === "en" ? "en" : "sv";
}

export function serializeLocale(locale: Locale): string {
  return cookie.serialize(LANG_COOKIE, locale, { path: "/", sameSite: "lax", maxAge: 365 * 24 * 3600, httpOnly: true });
}
