// What the follow-up dashboard shows, as display strings: computed once per cached
// plan version (server/domain/followups.ts cachedDashboard) and locale, so a request
// only slices ready rows. Fewer fields also means less loader data to serialise and
// fewer text nodes to render (bench/README.md, bench:followup).
import type { ChangedEntry, DashboardData, DashboardRow } from "../../server/domain/followups";
import { renderToStaticMarkup } from "react-dom/server";
import { DashboardChanges, DashboardSummaries } from "~/components/DashboardBody";
import { formatDate, personName, statusKey, translate, type Locale } from "~/i18n";

export interface DisplayRow {
  actionId: string;
  title: string;
  areaTitle: string;
  status: DashboardRow["status"];
  progress: number;
  owner: string;
  org: string;
  due: string;
  overdue: boolean;
  last: string;
}

export interface DisplayOverdue {
  actionId: string;
  title: string;
  /** "Klart senast 3 mars 2026 – Anna Berg" */
  text: string;
  areaTitle: string;
}

export interface DisplayChange {
  id: string;
  when: string;
  title: string;
  /** "Enligt plan → Risk för försening, 60 % (Anna Berg) – ”comment”" */
  text: string;
}

const rowsCache = new WeakMap<DashboardData, Partial<Record<Locale, Map<string, DisplayRow>>>>();
const overdueCache = new WeakMap<DashboardData, Partial<Record<Locale, Map<string, DisplayOverdue>>>>();
const changedCache = new WeakMap<ChangedEntry[], Partial<Record<Locale, DisplayChange[]>>>();

function memo<K extends object, V>(cache: WeakMap<K, Partial<Record<Locale, V>>>, key: K, locale: Locale, make: () => V): V {
  let byLocale = cache.get(key);
  if (!byLocale) cache.set(key, (byLocale = {}));
  return (byLocale[locale] ??= make());
}

const untitled = (locale: Locale, title: string) => title || translate(locale, "plan.untitled");

/** The table rows for these actions, formatted for the locale. */
export function displayRows(data: DashboardData, rows: DashboardRow[], locale: Locale): DisplayRow[] {
  const all = memo(rowsCache, data, locale, () => {
    const m = new Map<string, DisplayRow>();
    for (const r of data.rows) {
      m.set(r.actionId, {
        actionId: r.actionId,
        title: untitled(locale, r.title),
        areaTitle: r.areaTitle,
        status: r.status,
        progress: r.progress,
        owner: r.ownerName ? personName(locale, r.ownerName) : "–",
        org: r.responsibleOrg,
        due: r.dueDate ? formatDate(locale, r.dueDate) : "–",
        overdue: r.overdue,
        last: r.lastFollowup ? formatDate(locale, r.lastFollowup) : "–",
      });
    }
    return m;
  });
  return rows.map((r) => all.get(r.actionId)!);
}

/** Overdue actions as one line each. */
export function displayOverdue(data: DashboardData, rows: DashboardRow[], locale: Locale): DisplayOverdue[] {
  const all = memo(overdueCache, data, locale, () => {
    const m = new Map<string, DisplayOverdue>();
    for (const r of data.overdue) {
      const due = translate(locale, "plan.due", { date: formatDate(locale, r.dueDate!) });
      m.set(r.actionId, { actionId: r.actionId, title: untitled(locale, r.title), text: r.ownerName ? `${due} – ${personName(locale, r.ownerName)}` : due, areaTitle: r.areaTitle });
    }
    return m;
  });
  return rows.map((r) => all.get(r.actionId)!);
}

/** "Changed since the last meeting" as one line each. */
export function displayChanged(changed: ChangedEntry[], locale: Locale): DisplayChange[] {
  return memo(changedCache, changed, locale, () =>
    changed.map((h) => {
      const status = (s: string) => translate(locale, statusKey(s));
      const text =
        (h.oldStatus ? `${status(h.oldStatus)} → ` : "") +
        `${status(h.newStatus)}, ${h.newProgress} %` +
        (h.by ? ` (${personName(locale, h.by)})` : "") +
        (h.comment ? ` – ”${h.comment}”` : "");
      return { id: h.id, when: formatDate(locale, h.reportedAt), title: h.title, text };
    }),
  );
}

/**
 * What one dashboard view shows (one plan version, locale, filter and page), as HTML.
 * The summaries are the bulk of the page; rendering them with React took more CPU
 * than everything else in a request. They are rendered once per cached plan
 * version (the DashboardData object) and view, and reused as strings until the
 * version changes (docs/decisions/013-dashboard-fragments.md).
 */
export interface DashboardFragments {
  /** Priority areas, overdue actions and the action table. */
  summaries: string;
  /** "Changed since the last meeting". */
  changes: string;
}

/** Views kept per plan version; beyond this the oldest are dropped. */
const MAX_VIEWS = 64;
const fragmentCache = new WeakMap<DashboardData, Map<string, DashboardFragments>>();

export function dashboardFragments(data: DashboardData, view: string, render: () => DashboardFragments): DashboardFragments {
  let views = fragmentCache.get(data);
  if (!views) fragmentCache.set(data, (views = new Map()));
  let hit = views.get(view);
  if (!hit) {
    hit = render();
    views.set(view, hit);
    if (views.size > MAX_VIEWS) views.delete(views.keys().next().value!);
  }
  return hit;
}

export const renderSummaries = (props: Parameters<typeof DashboardSummaries>[0]) => renderToStaticMarkup(<DashboardSummaries {...props} />);
export const renderChanges = (props: Parameters<typeof DashboardChanges>[0]) => renderToStaticMarkup(<DashboardChanges {...props} />);
