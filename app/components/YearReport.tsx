// The year-end report as a printable page (issue #17): rendered on the server only
// (app/utils/year-report.server.tsx) like the dashboard's summaries, so the charts'
// code never reaches the browser. No hooks, no inline styles.
import type { YearReportData } from "../../server/domain/year-report";
import { formatDate, formatNumber, personName, translate, type Locale, type MessageKey } from "~/i18n";
import { IndicatorChart } from "~/components/IndicatorCharts";
import { ScrollTable } from "~/components/ScrollTable";
import { StatusLabel } from "~/components/StatusBadge";

export function YearReportBody({ locale, base, data }: { locale: Locale; base: string; data: YearReportData }) {
  const t = (key: MessageKey, vars?: Record<string, string | number>) => translate(locale, key, vars);
  const status = (s: YearReportData["areas"][number]["actions"][number]["status"]) => <StatusLabel status={s} label={t(`status.${s}`)} />;
  const num = (v: number | null, unit: string) => (v === null ? "–" : unit ? `${formatNumber(locale, v)} ${unit}` : formatNumber(locale, v));
  return (
    <>
      <p>{t("report.asOf", { date: formatDate(locale, data.asOf), actions: data.total.actions, progress: data.total.progress })}</p>
      {data.adoption ? <p>{t("report.adopted", { date: formatDate(locale, data.adoption.adoptedAt), decision: data.adoption.decision ?? "" })}</p> : null}
      <ul className="report-counts">
        {(["not_started", "on_track", "at_risk", "delayed", "done", "cancelled"] as const)
          .filter((s) => data.total.counts[s])
          .map((s) => (
            <li key={s}>
              {status(s)} {data.total.counts[s]}
            </li>
          ))}
      </ul>
      {data.areas.map((a) => (
        <section key={a.id} aria-labelledby={`report-area-${a.id}`} className="report-area">
          <h2 id={`report-area-${a.id}`}>{a.title || t("plan.untitled")}</h2>
          <p>{t("report.areaSummary", { actions: a.summary.actions, progress: a.summary.progress, overdue: a.summary.overdue })}</p>
          {a.actions.map((x) => (
            <section key={x.id} aria-labelledby={`report-action-${x.id}`} className="report-action">
              <h3 id={`report-action-${x.id}`}>
                <a href={`${base}/plans/${data.year}/actions/${x.id}`}>{x.title || t("plan.untitled")}</a>
              </h3>
              <p>
                {status(x.status)} {`${x.progress} %`}
                {x.owner || x.org ? ` – ${[x.owner ? personName(locale, x.owner) : "", x.org].filter(Boolean).join(", ")}` : ""}
                {x.dueDate ? ` – ${t("plan.due", { date: formatDate(locale, x.dueDate) })}` : ""}
              </p>
              {x.indicators ? (
                <>
                  <ScrollTable label={t("report.indicatorsOf", { title: x.title || t("plan.untitled") })} hint={t("scrollTable.hint")}>
                    <table className="area-table">
                      <caption>{t("report.indicatorsOf", { title: x.title || t("plan.untitled") })}</caption>
                      <thead>
                        <tr>
                          <th scope="col">{t("indicator.name")}</th>
                          <th scope="col">{t("indicator.baseline")}</th>
                          <th scope="col">{t("indicator.latest")}</th>
                          <th scope="col">{t("indicator.target")}</th>
                          <th scope="col">{t("indicator.reachedShort")}</th>
                        </tr>
                      </thead>
                      <tbody>
                        {x.indicators.indicators.map((i) => (
                          <tr key={i.id}>
                            <th scope="row">{i.name || t("indicator.untitled")}</th>
                            <td>{num(i.baseline, i.unit)}</td>
                            <td>{i.standing.latest ? `${num(i.standing.latest.value, i.unit)} (${formatDate(locale, i.standing.latest.date)})` : "–"}</td>
                            <td>{num(i.target, i.unit)}</td>
                            <td>{i.standing.reached === null ? "–" : `${formatNumber(locale, Math.round(i.standing.reached * 100))} %`}</td>
                          </tr>
                        ))}
                      </tbody>
                    </table>
                  </ScrollTable>
                  {x.indicators.indicators
                    .filter((i) => i.values.length)
                    .map((i) => (
                      <IndicatorChart key={i.id} locale={locale} indicator={i} action={x.title || t("plan.untitled")} />
                    ))}
                </>
              ) : null}
            </section>
          ))}
        </section>
      ))}
      <section aria-labelledby="report-decisions">
        <h2 id="report-decisions">{t("report.decisions")}</h2>
        {data.decisions.length ? (
          <ul>
            {data.decisions.map((d, i) => (
              <li key={i}>
                <a href={`${base}/meetings/${d.meetingId}`}>{t("report.decision", { date: formatDate(locale, d.date), meeting: d.meeting, paragraph: d.paragraph, title: d.title })}</a>
                {`: ${d.decision} `}
                <span className="muted">({t("decisions.action", { title: d.action || t("plan.untitled") })})</span>
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("report.noDecisions")}</p>
        )}
      </section>
      <section aria-labelledby="report-carried">
        <h2 id="report-carried">{data.carried.nextYear ? t("report.carried", { year: data.carried.nextYear }) : t("report.toCarry")}</h2>
        {data.carried.actions.length ? (
          <ul>
            {data.carried.actions.map((a) => (
              <li key={a.id}>
                <a href={`${base}/plans/${data.carried.nextYear ?? data.year}/actions/${a.id}`}>{a.title || t("plan.untitled")}</a> {status(a.status)}
              </li>
            ))}
          </ul>
        ) : (
          <p>{t("report.noneCarried")}</p>
        )}
      </section>
    </>
  );
}
