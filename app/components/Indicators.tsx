// An action's indicators on its page: each with baseline and target, the latest
// value and how far it has come, its measured values as a table; and the fields
// that report new values (with a follow-up report or alone). Plain HTML and forms:
// everything works without JavaScript.
import type { ActionStatus } from "../../server/domain/plan-doc";
import type { IndicatorWithValues, IndicatorStanding } from "../../server/domain/indicators";
import { Field, type Errors } from "~/components/forms";
import { ScrollTable } from "~/components/ScrollTable";
import { StatusBadge } from "~/components/StatusBadge";
import { useT } from "~/i18n";

type T = ReturnType<typeof useT>;

/** A value with its unit: "44 platser", "17 %". */
export function withUnit(t: T, v: number | null, unit: string): string {
  if (v === null) return "–";
  return unit ? `${t.number(v)} ${unit}` : t.number(v);
}

/** "62 % av vägen från utgångsvärde till mål", or nothing when it cannot be said. */
export function reachedText(t: T, s: IndicatorStanding): string | null {
  return s.reached === null ? null : t("indicator.reached", { percent: t.number(Math.round(s.reached * 100)) });
}

export function IndicatorFacts({ indicators, suggestion, status }: { indicators: IndicatorWithValues[]; suggestion: IndicatorStanding["suggestion"]; status: ActionStatus }) {
  const t = useT();
  return (
    <section aria-labelledby="indicators-h">
      <h2 id="indicators-h">{t("indicator.heading")}</h2>
      <p>
        {suggestion ? (
          <>
            {t("indicator.suggested")}: <StatusBadge status={suggestion} />
            {suggestion !== status ? (
              <>
                {" "}
                <span className="muted">
                  ({t("indicator.currentStatus")}: {t(`status.${status}`)})
                </span>
              </>
            ) : null}
          </>
        ) : (
          <span className="muted">{t("indicator.noSuggestion")}</span>
        )}
      </p>
      {indicators.map((i) => {
        const reached = reachedText(t, i.standing);
        return (
          <section key={i.id} aria-labelledby={`ind-${i.id}`} className="indicator">
            <h3 id={`ind-${i.id}`}>{i.name || t("indicator.untitled")}</h3>
            <dl className="plan-facts">
              <dt>{t("indicator.baseline")}</dt>
              <dd>
                {withUnit(t, i.baseline, i.unit)}
                {i.baselineDate ? ` (${t.date(i.baselineDate)})` : ""}
              </dd>
              <dt>{t("indicator.target")}</dt>
              <dd>
                {withUnit(t, i.target, i.unit)}
                {i.targetDate ? ` (${t.date(i.targetDate)})` : ""}
              </dd>
              <dt>{t("indicator.direction")}</dt>
              <dd>{t(`indicator.direction.${i.direction}`)}</dd>
              <dt>{t("indicator.latest")}</dt>
              <dd>
                {i.standing.latest ? `${withUnit(t, i.standing.latest.value, i.unit)} (${t.date(i.standing.latest.date)})` : "–"}
                {reached ? ` – ${reached}` : ""}
              </dd>
            </dl>
            {i.values.length ? (
              <ScrollTable label={t("indicator.valuesOf", { name: i.name || t("indicator.untitled") })} hint={t("scrollTable.hint")}>
                <table className="area-table values-table">
                  <caption>{t("indicator.valuesOf", { name: i.name || t("indicator.untitled") })}</caption>
                  <thead>
                    <tr>
                      <th scope="col">{t("indicator.date")}</th>
                      <th scope="col">{t("indicator.value")}</th>
                      <th scope="col">{t("indicator.comment")}</th>
                      <th scope="col">{t("indicator.by")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {[...i.values].reverse().map((v) => (
                      <tr key={v.id}>
                        <td>{t.date(v.date)}</td>
                        <td>{withUnit(t, v.value, i.unit)}</td>
                        <td>{v.comment || "–"}</td>
                        <td>{v.by ? t.person(v.by) : "–"}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </ScrollTable>
            ) : (
              <p className="muted">{t("indicator.noValues")}</p>
            )}
          </section>
        );
      })}
    </section>
  );
}

/** The date and one optional value per indicator; `values` refills a refused form. */
export function IndicatorValueFields({ indicators, errors, today, idPrefix = "", values }: { indicators: IndicatorWithValues[]; errors: Errors; today: string; idPrefix?: string; values?: Record<string, string> }) {
  const t = useT();
  return (
    <fieldset className="indicator-values">
      <legend>{t("indicator.report")}</legend>
      <p className="hint">{t("indicator.reportHint")}</p>
      <Field name="measuredOn" idPrefix={idPrefix} label={t("indicator.measuredOn")} errors={errors}>
        {(a) => <input {...a} type="date" max={today} defaultValue={values?.measuredOn ?? today} />}
      </Field>
      {indicators.map((i) => (
        <Field key={i.id} name={`value-${i.id}`} idPrefix={idPrefix} label={i.unit ? t("indicator.valueFor", { name: i.name || t("indicator.untitled"), unit: i.unit }) : i.name || t("indicator.untitled")} errors={errors} optional>
          {(a) => <input {...a} type="text" inputMode="decimal" autoComplete="off" defaultValue={values?.[`value-${i.id}`] ?? ""} />}
        </Field>
      ))}
    </fieldset>
  );
}
