// The dashboard's indicators against their targets (issue #17): a table of every
// indicator's baseline, latest value, target, share of the way and the status the
// figures suggest beside the action's own; and a trend chart per measured indicator
// with its values as a table. Drawn on the server like the other dashboard charts
// (docs/decisions/030-charts-and-tables.md, 050-indicators.md): SVG laid out in
// percent of the width (lines and marks, no paths), no hooks, no inline styles.
//
// Accessible: each chart is a <figure> named by its <figcaption>, its <svg> is
// role="img" with the figures in words, its values are in a table under it, and no
// meaning is colour alone: the baseline is a square, measured values are circles on
// a solid line, the target a dashed line with its value written out, and a legend
// names each in words.
import { scaleLinear } from "@visx/scale";
import type { ActionIndicators } from "../../server/domain/followups";
import type { IndicatorWithValues } from "../../server/domain/indicators";
import { formatDate, formatNumber, translate, type Locale, type MessageKey } from "~/i18n";
import { ScrollTable } from "~/components/ScrollTable";
import { StatusLabel } from "~/components/StatusBadge";

type Tr = (key: MessageKey, vars?: Record<string, string | number>) => string;

const HEIGHT = 150;
const TOP = 18;
const BOTTOM = 24;

const dayNumber = (d: string) => Date.UTC(Number(d.slice(0, 4)), Number(d.slice(5, 7)) - 1, Number(d.slice(8, 10))) / 86_400_000;

export function DashboardIndicators({ locale, base, items, hidden }: { locale: Locale; base: string; items: ActionIndicators[]; hidden: number }) {
  const t: Tr = (key, vars) => translate(locale, key, vars);
  const num = (v: number | null, unit: string) => (v === null ? "–" : unit ? `${formatNumber(locale, v)} ${unit}` : formatNumber(locale, v));
  const rows = items.flatMap((a) => a.indicators.map((i) => ({ a, i })));
  return (
    <>
      <h2 id="indicators">{t("dashboard.indicators")}</h2>
      {rows.length === 0 && hidden === 0 ? (
        <p>{t("dashboard.noIndicators")}</p>
      ) : (
        <>
          <p>{t("dashboard.indicatorsIntro")}</p>
          {rows.length ? (
            <ScrollTable label={t("dashboard.indicators")} hint={t("scrollTable.hint")}>
              <table className="area-table indicator-table">
                <caption className="visually-hidden">{t("dashboard.indicators")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("indicator.action")}</th>
                    <th scope="col">{t("indicator.name")}</th>
                    <th scope="col" className="num">
                      {t("indicator.baseline")}
                    </th>
                    <th scope="col" className="num">
                      {t("indicator.latest")}
                    </th>
                    <th scope="col" className="num">
                      {t("indicator.target")}
                    </th>
                    <th scope="col" className="num">
                      {t("indicator.reachedShort")}
                    </th>
                    <th scope="col">{t("indicator.suggested")}</th>
                    <th scope="col">{t("indicator.currentStatus")}</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map(({ a, i }, k) => (
                    <tr key={`${a.actionId}:${i.id}`}>
                      {k === 0 || rows[k - 1].a !== a ? (
                        <th scope="row" rowSpan={a.indicators.length}>
                          <a href={`${base}/actions/${a.actionId}`}>{a.title || t("plan.untitled")}</a>
                        </th>
                      ) : null}
                      <td className="text">{i.name || t("indicator.untitled")}</td>
                      <td>{num(i.baseline, i.unit)}</td>
                      <td>{i.standing.latest ? `${num(i.standing.latest.value, i.unit)} (${formatDate(locale, i.standing.latest.date)})` : "–"}</td>
                      <td>{num(i.target, i.unit)}</td>
                      <td>{i.standing.reached === null ? "–" : `${formatNumber(locale, Math.round(i.standing.reached * 100))} %`}</td>
                      <td>{i.standing.suggestion ? <StatusLabel status={i.standing.suggestion} label={t(`status.${i.standing.suggestion}`)} /> : "–"}</td>
                      {k === 0 || rows[k - 1].a !== a ? (
                        <td rowSpan={a.indicators.length}>
                          <StatusLabel status={a.status} label={t(`status.${a.status}`)} />
                        </td>
                      ) : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </ScrollTable>
          ) : null}
          {hidden ? <p>{t("dashboard.indicatorsHidden", { count: hidden })}</p> : null}
          {rows
            .filter(({ i }) => i.values.length)
            .map(({ a, i }) => (
              <IndicatorChart key={`${a.actionId}:${i.id}`} locale={locale} indicator={i} action={a.title || t("plan.untitled")} />
            ))}
        </>
      )}
    </>
  );
}

/** One indicator over time: baseline, measured values, the target line. */
export function IndicatorChart({ locale, indicator: i, action }: { locale: Locale; indicator: IndicatorWithValues; action: string }) {
  const t: Tr = (key, vars) => translate(locale, key, vars);
  const num = (v: number) => (i.unit ? `${formatNumber(locale, v)} ${i.unit}` : formatNumber(locale, v));
  const shortDate = (d: string) => new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", { month: "short", year: "numeric", timeZone: "UTC" }).format(new Date(`${d}T12:00:00Z`));
  const name = i.name || t("indicator.untitled");
  const latest = i.values[i.values.length - 1];
  const dates = [i.baselineDate, i.targetDate, ...i.values.map((v) => v.date)].filter((d): d is string => !!d).sort();
  const from = dates[0];
  const to = dates[dates.length - 1];
  const ys = [i.baseline, i.target, ...i.values.map((v) => v.value)].filter((v): v is number => v !== null);
  let lo = Math.min(...ys);
  let hi = Math.max(...ys);
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  const pad = (hi - lo) * 0.1;
  if (lo >= 0 && lo - pad < 0) lo = 0;
  else lo -= pad;
  hi += pad;
  const x = scaleLinear<number>({ domain: from === to ? [dayNumber(from) - 1, dayNumber(to) + 1] : [dayNumber(from), dayNumber(to)], range: [3, 97] });
  const y = scaleLinear<number>({ domain: [lo, hi], range: [HEIGHT - BOTTOM, TOP] });
  const px = (d: string) => `${x(dayNumber(d)).toFixed(2)}%`;
  const py = (v: number) => y(v).toFixed(1);
  const summary = t("indicator.chartLabel", {
    name,
    baseline: i.baseline === null ? "–" : num(i.baseline),
    target: i.target === null ? "–" : num(i.target),
    count: i.values.length,
    latest: num(latest.value),
    date: formatDate(locale, latest.date),
  });
  const points = [...(i.baseline !== null && i.baselineDate ? [{ date: i.baselineDate, value: i.baseline }] : []), ...i.values];
  const id = `indicator-chart-${i.id}`;
  return (
    <figure className="chart indicator-chart" aria-labelledby={`${id}-caption`}>
      <figcaption id={`${id}-caption`} className="chart__caption">
        {name} <span className="muted">({action})</span>
      </figcaption>
      <svg className="chart__svg" width="100%" height={HEIGHT} role="img" aria-label={summary}>
        <line className="chart-axis" x1="3%" x2="97%" y1={HEIGHT - BOTTOM} y2={HEIGHT - BOTTOM} />
        {i.target !== null ? (
          <>
            <line className="indicator-target" x1="3%" x2="97%" y1={py(i.target)} y2={py(i.target)} />
            <text className="chart-label chart-label--axis" x="97%" y={Number(py(i.target)) - 4} textAnchor="end">
              {`${t("indicator.target.line")} ${num(i.target)}`}
            </text>
          </>
        ) : null}
        {points.slice(1).map((p, k) => (
          <line key={k} className="indicator-line" x1={px(points[k].date)} y1={py(points[k].value)} x2={px(p.date)} y2={py(p.value)} />
        ))}
        {i.baseline !== null && i.baselineDate ? <rect className="indicator-baseline" x={px(i.baselineDate)} y={Number(py(i.baseline)) - 5} width="10" height="10" transform="translate(-5 0)" /> : null}
        {i.values.map((v) => (
          <circle key={v.id} className="indicator-point" cx={px(v.date)} cy={py(v.value)} r="5" />
        ))}
        <text className="chart-label chart-label--axis" x="3%" y={HEIGHT - 6}>
          {shortDate(from)}
        </text>
        <text className="chart-label chart-label--axis" x="97%" y={HEIGHT - 6} textAnchor="end">
          {shortDate(to)}
        </text>
      </svg>
      <ul className="chart-legend">
        <li>
          <svg width="12" height="12" aria-hidden="true" focusable="false">
            <rect className="indicator-baseline" x="1" y="1" width="10" height="10" />
          </svg>
          {t("indicator.baseline.point")}
        </li>
        <li>
          <svg width="12" height="12" aria-hidden="true" focusable="false">
            <circle className="indicator-point" cx="6" cy="6" r="5" />
          </svg>
          {t("indicator.values")}
        </li>
        <li>
          <svg width="24" height="12" aria-hidden="true" focusable="false">
            <line className="indicator-target" x1="0" x2="24" y1="6" y2="6" />
          </svg>
          {t("indicator.target.line")}
        </li>
      </ul>
      <details className="chart__table">
        <summary>{t("indicator.showTable")}</summary>
        <ScrollTable label={name} hint={t("scrollTable.hint")}>
          <table className="area-table values-table">
            <caption className="visually-hidden">{name}</caption>
            <thead>
              <tr>
                <th scope="col">{t("indicator.date")}</th>
                <th scope="col" className="num">
                  {t("indicator.value")}
                </th>
                <th scope="col">{t("indicator.comment")}</th>
              </tr>
            </thead>
            <tbody>
              {i.baseline !== null ? (
                <tr>
                  <th scope="row">{i.baselineDate ? formatDate(locale, i.baselineDate) : "–"}</th>
                  <td>{num(i.baseline)}</td>
                  <td>{t("indicator.baseline.point")}</td>
                </tr>
              ) : null}
              {i.values.map((v) => (
                <tr key={v.id}>
                  <th scope="row">{formatDate(locale, v.date)}</th>
                  <td>{num(v.value)}</td>
                  <td>{v.comment || "–"}</td>
                </tr>
              ))}
              {i.target !== null ? (
                <tr>
                  <th scope="row">{i.targetDate ? formatDate(locale, i.targetDate) : "–"}</th>
                  <td>{num(i.target)}</td>
                  <td>{t("indicator.target.line")}</td>
                </tr>
              ) : null}
            </tbody>
          </table>
        </ScrollTable>
      </details>
    </figure>
  );
}
