import { useRouteLoaderData } from "@remix-run/react";
import { en } from "./en";
import { sv } from "./sv";

export type Locale = "sv" | "en";
export type MessageKey = keyof typeof sv;
export const LOCALES: Locale[] = ["sv", "en"];
export const LANG_COOKIE = "samsyn_lang";

const DICTS: Record<Locale, Record<MessageKey, string>> = { sv, en };

export const isMessageKey = (k: string): k is MessageKey => k in sv;

export function translate(locale: Locale, key: MessageKey | string, vars?: Record<string, string | number | null | undefined>): string {
  const dict = DICTS[locale] ?? sv;
  const template = isMessageKey(key) ? dict[key] : key;
  if (!vars) return template;
  return template.replace(/\{(\w+)\}/g, (_, name: string) => String(vars[name] ?? ""));
}

/** sv-SE / en-GB formatting of a 'YYYY-MM-DD' date or an ISO instant, in Stockholm time. */
// Building an Intl.DateTimeFormat costs ~50 µs, using one ~1 µs: a page with a
// thousand dates reuses one formatter per locale and style (bench/README.md).
const formatters = new Map<string, Intl.DateTimeFormat>();
function formatter(locale: Locale, options: Intl.DateTimeFormatOptions): Intl.DateTimeFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = formatters.get(key);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", options);
    formatters.set(key, f);
  }
  return f;
}

export function formatDate(locale: Locale, value: string): string {
  const d = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return formatter(locale, { dateStyle: "long", timeZone: "Europe/Stockholm" }).format(d);
}

/** The clock time of an instant in Stockholm, e.g. "10:15". */
export function formatTime(locale: Locale, iso: string): string {
  return formatter(locale, { timeStyle: "short", timeZone: "Europe/Stockholm" }).format(new Date(iso));
}

/** An instant as date and time in Stockholm, e.g. "25 nov. 2026 10:15". */
export function formatDateTime(locale: Locale, iso: string): string {
  return formatter(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Stockholm" }).format(new Date(iso));
}

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? "sv";
}

export function useT() {
  const locale = useLocale();
  return Object.assign(
    (key: MessageKey | string, vars?: Record<string, string | number | null | undefined>) => translate(locale, key, vars),
    { locale, date: (v: string) => formatDate(locale, v), dateTime: (v: string) => formatDateTime(locale, v) },
  );
}

/** Date and time of a UTC instant in Stockholm, with the zone name (CET/CEST) shown. */
export function formatMeetingTime(locale: Locale, startUtc: string, endUtc: string) {
  const tz = "Europe/Stockholm";
  const s = new Date(startUtc);
  const e = new Date(endUtc);
  return {
    date: formatter(locale, { dateStyle: "full", timeZone: tz }).format(s),
    start: formatter(locale, { timeStyle: "short", timeZone: tz }).format(s),
    end: formatter(locale, { hour: "2-digit", minute: "2-digit", timeZone: tz, timeZoneName: "short" }).format(e),
  };
}
