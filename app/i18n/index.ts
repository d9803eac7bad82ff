import { useRouteLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { sv } from "./sv";
import type { Role } from "../../db/schema";
import type { ActionStatus } from "../../server/domain/plan-doc";
import { isFormerMember } from "../../server/domain/former-member";
import type { MessageKey } from "./keys";

export type { MessageKey };
export type Locale = "sv" | "en";
export const LOCALES: Locale[] = ["sv", "en"];
export const LANG_COOKIE = "samsyn_lang";

// Swedish (the default, and the source of the keys) is always here. Other
// languages are registered: on the server at start (dictionaries.server.ts),
// in the browser loaded on demand before hydration (entry.client.tsx), so a page
// downloads one dictionary (≈ 43 KB) rather than all of them.
type Dictionary = Record<MessageKey, string>;
const DICTS: Partial<Record<Locale, Dictionary>> = { sv };

export function registerDictionary(locale: Locale, dict: Dictionary): void {
  DICTS[locale] = dict;
}

export const hasDictionary = (locale: Locale): boolean => DICTS[locale] !== undefined;

/** Fetches a language's dictionary (its own chunk in the browser) and registers it. */
export async function loadDictionary(locale: Locale): Promise<void> {
  if (hasDictionary(locale)) return;
  if (locale === "en") registerDictionary("en", (await import("./en")).en);
}

/**
 * The page's language can change without a new document (signing in as a person
 * whose chosen language is English): load its dictionary then, and render again.
 * Until it is here, texts fall back to Swedish.
 */
export function useDictionary(locale: Locale): void {
  const [, setLoaded] = useState<Locale | null>(null);
  useEffect(() => {
    if (hasDictionary(locale)) return;
    let live = true;
    loadDictionary(locale).then(
      () => live && setLoaded(locale),
      (error) => console.warn("dictionary failed to load", locale, error),
    );
    return () => {
      live = false;
    };
  }, [locale]);
}

export const isMessageKey = (k: string): k is MessageKey => Object.hasOwn(sv, k);

/** A key that arrived as data (an error response, a stored code): itself if the dictionary has it, else the fallback. */
export const asMessageKey = (k: unknown, fallback: MessageKey): MessageKey => (typeof k === "string" && isMessageKey(k) ? k : fallback);

export function translate(locale: Locale, key: MessageKey, vars?: Record<string, string | number | null | undefined>): string {
  const dict = DICTS[locale] ?? sv;
  const template = dict[key] ?? key;
  if (!vars) return template;
  // A person's name in a sentence ("{actor} opened ...") may be an anonymised person's marker.
  return template.replace(/\{(\w+)\}/g, (_, name: string) => personName(locale, vars[name] ?? ""));
}

/**
 * A person's name as a reader sees it: an anonymised person's stored marker
 * becomes "person.former" in the reader's language; anything else is itself.
 */
export function personName(locale: Locale, name: string | number | null | undefined): string {
  if (name === null || name === undefined) return "";
  return isFormerMember(name) ? (DICTS[locale] ?? sv)["person.former"] : String(name);
}

// Codes that arrive as data (stored statuses and roles) → their dictionary keys.
// A typed map, so a new status or role without words fails `tsc`; an unknown code
// (old data) reads as "unknown", never as the raw code.
const STATUS_KEY = {
  not_started: "status.not_started",
  on_track: "status.on_track",
  at_risk: "status.at_risk",
  delayed: "status.delayed",
  done: "status.done",
  cancelled: "status.cancelled",
} as const satisfies Record<ActionStatus, MessageKey>;
const ROLE_KEY = {
  process_leader: "role.process_leader",
  member: "role.member",
  adjunct: "role.adjunct",
  observer: "role.observer",
} as const satisfies Record<Role, MessageKey>;
export const statusKey = (s: string): MessageKey => (Object.hasOwn(STATUS_KEY, s) ? STATUS_KEY[s as ActionStatus] : "code.unknown");
export const roleKey = (r: string): MessageKey => (Object.hasOwn(ROLE_KEY, r) ? ROLE_KEY[r as Role] : "code.unknown");

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

const numberFormats = new Map<string, Intl.NumberFormat>();
/** A number in the reader's style: "1 234,5" in Swedish, "1,234.5" in English. */
export function formatNumber(locale: Locale, value: number, options: Intl.NumberFormatOptions = {}): string {
  const key = `${locale}|${JSON.stringify(options)}`;
  let f = numberFormats.get(key);
  if (!f) numberFormats.set(key, (f = new Intl.NumberFormat(locale === "sv" ? "sv-SE" : "en-GB", { maximumFractionDigits: 6, ...options })));
  return f.format(value);
}

/** The clock time of an instant in Stockholm, e.g. "10:15". */
export function formatTime(locale: Locale, iso: string): string {
  return formatter(locale, { timeStyle: "short", timeZone: "Europe/Stockholm" }).format(new Date(iso));
}

/** An instant as date and time in Stockholm, e.g. "25 nov. 2026 10:15". */
export function formatDateTime(locale: Locale, iso: string): string {
  return formatter(locale, { dateStyle: "medium", timeStyle: "short", timeZone: "Europe/Stockholm" }).format(new Date(iso));
}

/**
 * A page's <title> in the reader's language: `meta` runs outside React, so the
 * locale comes from the root loader's data among the route matches (app/root.tsx).
 * Without a key (an error page, no data) the title is the app's name alone.
 */
export function pageTitle(
  matches: readonly { id: string; data?: unknown }[],
  key?: MessageKey,
  vars?: Record<string, string | number | null | undefined>,
): { title: string } {
  const root = matches.find((m) => m.id === "root")?.data as { locale?: unknown } | undefined;
  const locale: Locale = root?.locale === "en" ? "en" : "sv";
  const app = translate(locale, "app.name");
  return { title: key ? `${translate(locale, key, vars)} – ${app}` : app };
}

export function useLocale(): Locale {
  const data = useRouteLoaderData<{ locale: Locale }>("root");
  return data?.locale ?? "sv";
}

/** The translator for the page's language: one function per language, so it can sit in memo and effect dependencies. */
export function useT() {
  const locale = useLocale();
  return useMemo(
    () =>
      Object.assign((key: MessageKey, vars?: Record<string, string | number | null | undefined>) => translate(locale, key, vars), {
        locale,
        date: (v: string) => formatDate(locale, v),
        dateTime: (v: string) => formatDateTime(locale, v),
        number: (v: number, options?: Intl.NumberFormatOptions) => formatNumber(locale, v, options),
        /** A person's name, an anonymised person's in the reader's language. */
        person: (name: string | null | undefined) => personName(locale, name),
      }),
    [locale],
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
