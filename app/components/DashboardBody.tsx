// The follow-up dashboard's summaries (priority areas, overdue actions, the action
// table, changes since the last meeting) as plain markup. The server renders these
// once per plan version, locale and view, and every request reuses the HTML
// (app/utils/dashboard.server.tsx, docs/decisions/013-dashboard-fragments.md), so
// they take no hooks and link with plain <a href>: the page works the same with
// or without JavaScript.
import { ACTION_STATUSES, type ActionStatus } from "../../server/domain/plan-doc";
import { translate, type Locale, type MessageKey } from "~/i18n";
import type { ActionIndicators, MonthPoint } from "../../server/domain/followups";
import { MonthlyChart, StatusByAreaChart, StatusPatterns } from "~/components/DashboardCharts";
import { ScrollTable } from "~/components/ScrollTable";
import { DashboardIndicators } from "~/components/IndicatorCharts";
import { StatusLabel } from "~/components/StatusBadge";
import type { DisplayChange, DisplayOverdue, DisplayRow } from "~/utils/dashboard.server";

export interface DashboardFilter {
  area: string;
  status: string;
  org: string;
  overdue: boolean;
}

export interface AreaSummary {
  id: string;
  title: string;
  actions: number;
  counts: number[];
  overdue: number;
  progress: number;
}

export interface DashboardTotal {
  actions: number;
  counts: Record<ActionStatus, number>;
  overdue: number;
  progress: number;
}

export interface ActionTable {
  rows: DisplayRow[];
  page: number;
  pages: number;
  from: number;
  count: number;
}


/** The dashboard with the current filter, some parameters changed (an empty value removes one). */
export function dashboardHref(here: string, filter: DashboardFilter, change: Record<string, string>): string {
  const f: Record<string, string> = { area: filter.area, status: filter.status, org: filter.org, overdue: filter.overdue ? "1" : "", ...change };
  const q = new URLSearchParams(Object.entries(f).filter(([, v]) => v)).toString();
  return q ? `${here}?${q}` : here;
}


export function DashboardSummaries(props: {
  locale: Locale;
  base: string;
  filter: DashboardFilter;
  total: DashboardTotal;
  areas: AreaSummary[];
  overdue: DisplayOverdue[];
  overdueCount: number;
  table: ActionTable | null;
  /** The plan year month by month (server/domain/followups.ts monthlyHistory). */
  months: MonthPoint[];
  /** The indicators shown (all, or a large plan's chosen area's) and how many more the plan has. */
  indicators: { items: ActionIndicators[]; hidden: number };
}) {
  const { locale, base, filter, total, areas, overdue, overdueCount, table, months, indicators } = props;
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const here = `${base}/dashboard`;
  const href = (change: Record<string, string>) => dashboardHref(here, filter, change);
  const label = Object.fromEntries(ACTION_STATUSES.map((s) => [s, t(`status.${s}`)])) as Record<ActionStatus, string>;
  // "12 Enligt plan, 3 Risk för försening": the statuses that occur, in words, for a chart's summary.
  const inWords = (counts: Record<ActionStatus, number>) =>
    ACTION_STATUSES.filter((s) => counts[s])
      .map((s) => `${counts[s]} ${label[s]}`)
      .join(", ") || t("chart.noActions");
  const countsOf = (a: AreaSummary) => Object.fromEntries(ACTION_STATUSES.map((s, i) => [s, a.counts[i]])) as Record<ActionStatus, number>;
  const monthName = (m: string, style: "long" | "short") =>
    new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", { month: style, timeZone: "UTC" }).format(new Date(`${m}-15T12:00:00Z`)).replace(/\.$/, "");
  const lastMonth = months.at(-1);
  const areaSummary = t("chart.areasSummary", { areas: areas.length }) + " " + areas.map((a) => `${a.title || t("plan.untitled")}: ${inWords(countsOf(a))}.`).join(" ");
  const monthsSummary = lastMonth
    ? t("chart.monthsSummary", {
        from: monthName(months[0].month, "long"),
        to: monthName(lastMonth.month, "long"),
        counts: inWords(lastMonth.counts),
        progress: lastMonth.progress,
        reports: months.reduce((n, m) => n + m.reports, 0),
      })
    : "";
  return (
    <>
      <StatusPatterns />
      <h2>{t("followup.areas")}</h2>
      <StatusByAreaChart
        id="chart-areas"
        caption={t("chart.areasCaption")}
        summary={areaSummary}
        areas={areas.map((a) => ({ id: a.id, title: a.title || t("plan.untitled"), actions: a.actions, counts: countsOf(a) }))}
        labels={label}
        table={null}
      />
      <ScrollTable label={t("followup.areasCaption")} hint={t("scrollTable.hint")}>
        <table className="area-table">
          <caption className="visually-hidden">{t("followup.areasCaption")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("plan.area")}</th>
              <th scope="col" className="num">
                {t("followup.actions")}
              </th>
              {ACTION_STATUSES.map((s) => (
                <th key={s} scope="col" className="num">
                  <StatusLabel status={s} label={label[s]} />
                </th>
              ))}
              <th scope="col" className="num">
                {t("followup.overdueCol")}
              </th>
              <th scope="col">{t("plan.progress")}</th>
            </tr>
          </thead>
          <tbody>
            {areas.map((a) => (
              <tr key={a.id} aria-current={a.id === filter.area ? "true" : undefined}>
                <th scope="row">
                  <a href={`${here}?area=${encodeURIComponent(a.id)}#actions`}>{a.title || t("plan.untitled")}</a>
                </th>
                <td>{a.actions}</td>
                {a.counts.map((n, i) => (
                  <td key={i}>{n}</td>
                ))}
                <td>{a.overdue}</td>
                <td>
                  {`${a.progress} %`}
                  <progress max={100} value={a.progress} aria-hidden="true" />
                </td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t("followup.wholePlan")}</th>
              <td>{total.actions}</td>
              {ACTION_STATUSES.map((s) => (
                <td key={s}>{total.counts[s]}</td>
              ))}
              <td>{total.overdue}</td>
              <td>
                {`${total.progress} %`}
                <progress max={100} value={total.progress} aria-hidden="true" />
              </td>
            </tr>
          </tfoot>
        </table>
      </ScrollTable>

      <h2>{t("chart.monthsTitle")}</h2>
      {lastMonth ? (
        <MonthlyChart
          id="chart-months"
          caption={t("chart.monthsCaption")}
          summary={monthsSummary}
          months={months.map((m) => ({ month: m.month, label: monthName(m.month, "short"), counts: m.counts, progress: m.progress }))}
          labels={label}
          table={
            <details className="chart__table">
              <summary>{t("chart.showTable")}</summary>
              <ScrollTable label={t("chart.monthsCaption")} hint={t("scrollTable.hint")}>
                <table className="area-table month-table">
                  <caption className="visually-hidden">{t("chart.monthsCaption")}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("chart.month")}</th>
                      <th scope="col" className="num">
                        {t("chart.reports")}
                      </th>
                      {ACTION_STATUSES.map((s) => (
                        <th key={s} scope="col" className="num">
                          <StatusLabel status={s} label={label[s]} />
                        </th>
                      ))}
                      <th scope="col" className="num">
                        {t("chart.meanProgress")}
                      </th>
                    </tr>
                  </thead>
                  <tbody>
                    {months.map((m) => (
                      <tr key={m.month}>
                        <th scope="row">{monthName(m.month, "long")}</th>
                        <td>{m.reports}</td>
                        {ACTION_STATUSES.map((s) => (
                          <td key={s}>{m.counts[s]}</td>
                        ))}
                        <td>{`${m.progress} %`}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            </details>
          }
        />
      ) : (
        <p>{t("chart.notStarted")}</p>
      )}

      <DashboardIndicators locale={locale} base={base} items={indicators.items} hidden={indicators.hidden} />

      <h2>{t("followup.overdue", { count: overdueCount })}</h2>
      {overdue.length ? (
        <>
          {overdueCount > overdue.length ? <p>{t("followup.overdueFirst", { shown: overdue.length })}</p> : null}
          <ul>
            {overdue.map((r) => (
              <li key={r.actionId}>
                <a href={`${base}/actions/${r.actionId}`}>{r.title}</a>
                {` – ${r.text} `}
                <span className="muted">({r.areaTitle})</span>
              </li>
            ))}
          </ul>
          {overdueCount > overdue.length && !filter.overdue ? (
            <p className="no-print">
              <a href={`${href({ overdue: "1" })}#actions`}>{t("followup.showAllOverdue", { count: overdueCount })}</a>
            </p>
          ) : null}
        </>
      ) : (
        <p>{t("followup.noneOverdue")}</p>
      )}

      <h2 id="actions">{t("followup.actions")}</h2>
      {table ? (
        <>
          {table.pages > 1 ? (
            <>
              <p>{t("followup.showing", { from: table.from + 1, to: table.from + table.rows.length, count: table.count })}</p>
              <nav aria-label={t("followup.pages")} className="row-form no-print">
                {Array.from({ length: table.pages }, (_, i) => i + 1).map((n) =>
                  n === table.page ? (
                    <span key={n} aria-current="page">
                      <strong>{n}</strong>
                    </span>
                  ) : (
                    <a key={n} href={`${href({ page: String(n) })}#actions`} aria-label={t("followup.page", { n })}>
                      {n}
                    </a>
                  ),
                )}
                <a href={`${href({ all: "1" })}#actions`}>{t("followup.showAll", { count: table.count })}</a>
              </nav>
            </>
          ) : null}
          <ScrollTable label={t("followup.actions")} hint={t("scrollTable.hint")}>
            <table className="action-table">
              <caption className="visually-hidden">{t("followup.actions")}</caption>
              <thead>
                <tr>
                  <th scope="col">{t("plan.action")}</th>
                  <th scope="col">{t("plan.status")}</th>
                  <th scope="col">{t("plan.progress")}</th>
                  <th scope="col">{t("plan.responsibleUser")}</th>
                  <th scope="col">{t("plan.dueDate")}</th>
                  <th scope="col">{t("followup.last")}</th>
                </tr>
              </thead>
              <tbody>
                {table.rows.map((r) => (
                  <tr key={r.actionId}>
                    <td>
                      <a href={`${base}/actions/${r.actionId}`}>{r.title}</a>
                      <br />
                      <span className="muted">{r.areaTitle}</span>
                    </td>
                    <td>
                      <StatusLabel status={r.status} label={label[r.status]} />
                    </td>
                    <td>{`${r.progress} %`}</td>
                    <td>
                      {r.owner}
                      <br />
                      <span className="muted">{r.org}</span>
                    </td>
                    <td>
                      {r.due}
                      {r.overdue ? <strong className="overdue"> {t("followup.isOverdue")}</strong> : null}
                    </td>
                    <td>{r.last}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </ScrollTable>
        </>
      ) : (
        <p>
          {t("followup.pickArea", { count: total.actions })}{" "}
          <a className="no-print" href={`${href({ all: "1" })}#actions`}>
            {t("followup.showAll", { count: total.actions })}
          </a>
        </p>
      )}
    </>
  );
}

export function DashboardChanges(props: {
  locale: Locale;
  here: string;
  filter: DashboardFilter;
  lastMeeting: { title: string } | null;
  changed: DisplayChange[];
  moreChanges: boolean;
}) {
  const { locale, here, filter, lastMeeting, changed, moreChanges } = props;
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  return (
    <>
      <h2>{lastMeeting ? t("followup.changedSince", { title: lastMeeting.title }) : t("followup.changed")}</h2>
      {changed.length ? (
        <>
          <ul>
            {changed.map((h) => (
              <li key={h.id}>
                {`${h.when}: `}
                <strong>{h.title}</strong>
                {` – ${h.text}`}
              </li>
            ))}
          </ul>
          {moreChanges ? (
            <p className="no-print">
              <a href={dashboardHref(here, filter, { changes: "all" })}>{t("followup.allChanges")}</a>
            </p>
          ) : null}
        </>
      ) : (
        <p>{t("followup.noChanges")}</p>
      )}
    </>
  );
}
