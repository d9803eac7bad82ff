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
export function formatDate(locale: Locale, value: string): string {
  const d = value.length === 10 ? new Date(`${value}T12:00:00Z`) : new Date(value);
  return new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", {
    dateStyle: "long",
    timeZone: "Europe/Stockholm",
  }).format(d);
}

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? "sv";
}

export function useT() {
  const locale = useLocale();
  return Object.assign(
    (key: MessageKey | string, vars?: Record<string, string | number | null | undefined>) => translate(locale, key, vars),
    { locale, date: (v: string) => formatDate(locale, v) },
  );
}

/** Date and time of a UTC instant in Stockholm, with the zone name (CET/CEST) shown. */
export function formatMeetingTime(locale: Locale, startUtc: string, endUtc: string) {
  const tag = locale === "sv" ? "sv-SE" : "en-GB";
  const tz = "Europe/Stockholm";
  const s = new Date(startUtc);
  const e = new Date(endUtc);
  return {
    date: new Intl.DateTimeFormat(tag, { dateStyle: "full", timeZone: tz }).format(s),
    start: new Intl.DateTimeFormat(tag, { timeStyle: "short", timeZone: tz }).format(s),
    end: new Intl.DateTimeFormat(tag, { hour: "2-digit", minute: "2-digit", timeZone: tz, timeZoneName: "short" }).format(e),
  };
}
