import { useFetcher } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { Field, formText, type Errors, type FormMessage } from "~/components/forms";
import { MeetingTime } from "~/components/MeetingTime";
import { isMessageKey, useT } from "~/i18n";

const KINDS = ["none", "weekly", "monthlyWeekday", "monthlyDate"] as const;
const WEEKDAYS = [1, 2, 3, 4, 5, 6, 7] as const;
const NTHS = [
  ["1", "series.nth.1"],
  ["2", "series.nth.2"],
  ["3", "series.nth.3"],
  ["4", "series.nth.4"],
  ["-1", "series.nth.last"],
] as const;

/** The names of the fields "Upprepa" adds to the form (for the error summary's links). */
export const SERIES_FIELDS = ["repeat", "interval", "weekday", "nth", "monthDay", "ends", "count", "until"] as const;

interface Preview {
  dates: { date: string; startsAt: string; endsAt: string }[];
  error: { field: string; message: string } | null;
}

/**
 * "Upprepa" in the new-meeting form (decision 042): a disclosure with the rule. Every
 * field works without JavaScript (the server plans the series when the form is
 * posted and sends it back with errors); with JavaScript a preview lists the dates
 * the server would make, asked of `previewUrl` as the form changes. Fields a kind does
 * not use are hidden with CSS :has and ignored by the server.
 */
export function SeriesFields({ values, errors, previewUrl }: { values: Record<string, string>; errors: Errors; previewUrl: string }) {
  const t = useT();
  const ref = useRef<HTMLDetailsElement>(null);
  const fetcher = useFetcher<Preview>();
  const repeat = values.repeat && values.repeat !== "none" ? values.repeat : "none";
  const ends = values.ends === "until" ? "until" : "count";
  const failed = SERIES_FIELDS.some((f) => errors?.[f]);
  // The preview needs JavaScript: without it the section would only ever say "fill in".
  const [live, setLive] = useState(false);

  useEffect(() => {
    const form = ref.current?.closest("form");
    if (!form) return;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const ask = () => {
      clearTimeout(timer);
      timer = setTimeout(() => {
        const data = new FormData(form);
        if (!data.get("repeat") || data.get("repeat") === "none") return;
        const query = new URLSearchParams();
        for (const [k, v] of data.entries()) if (typeof v === "string" && k !== "description") query.set(k, v);
        fetcher.load(`${previewUrl}?${query}`);
      }, 300);
    };
    setLive(true);
    form.addEventListener("input", ask);
    form.addEventListener("change", ask);
    ask();
    return () => {
      clearTimeout(timer);
      form.removeEventListener("input", ask);
      form.removeEventListener("change", ask);
    };
    // fetcher.load is stable enough for this: the listener is set once per form.
  }, [previewUrl]); // eslint-disable-line react-hooks/exhaustive-deps

  const groupError = (name: string) => {
    const e = errors?.[name];
    return e ? (
      <p className="error-message" id={`${name}-error`}>
        {formText(t, e)}
      </p>
    ) : null;
  };
  const preview = fetcher.data;
  const previewError: FormMessage | null = preview?.error && isMessageKey(preview.error.message) ? preview.error.message : null;

  return (
    <details className="series-fields" ref={ref} open={repeat !== "none" || failed || undefined}>
      <summary>{t("series.repeat")}</summary>
      <p className="hint" id="series-hint">
        {t("series.hint")}
      </p>
      <fieldset className={errors?.repeat ? "field field--error series-fields__group" : "field series-fields__group"} aria-describedby={errors?.repeat ? "repeat-error" : undefined}>
        <legend>{t("series.kind")}</legend>
        {groupError("repeat")}
        {KINDS.map((k, i) => (
          <div className="radio-row" key={k}>
            <input type="radio" id={i === 0 ? "repeat" : `repeat-${k}`} name="repeat" value={k} defaultChecked={repeat === k} />{" "}
            <label htmlFor={i === 0 ? "repeat" : `repeat-${k}`}>{t(`series.kind.${k}`)}</label>
          </div>
        ))}
      </fieldset>
      <div className="series-fields__rule">
        <Field name="interval" label={t("series.interval")} hint={t("series.intervalHint")} errors={errors}>
          {(a) => <input {...a} type="number" inputMode="numeric" min={1} max={12} className="input--short" defaultValue={values.interval ?? "1"} />}
        </Field>
        <div className="row-form">
          <div className="series-fields__nth">
            <Field name="nth" label={t("series.nth")} errors={errors}>
              {(a) => (
                <select {...a} defaultValue={values.nth ?? "1"}>
                  {NTHS.map(([v, key]) => (
                    <option key={v} value={v}>
                      {t(key)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="series-fields__weekday">
            <Field name="weekday" label={t("series.weekday")} errors={errors}>
              {(a) => (
                <select {...a} defaultValue={values.weekday ?? "2"}>
                  {WEEKDAYS.map((d) => (
                    <option key={d} value={String(d)}>
                      {t(`series.weekday.${d}`)}
                    </option>
                  ))}
                </select>
              )}
            </Field>
          </div>
          <div className="series-fields__monthday">
            <Field name="monthDay" label={t("series.monthDay")} errors={errors}>
              {(a) => <input {...a} type="number" inputMode="numeric" min={1} max={28} className="input--short" defaultValue={values.monthDay ?? ""} />}
            </Field>
          </div>
        </div>
        <fieldset className={errors?.ends ? "field field--error series-fields__group" : "field series-fields__group"} aria-describedby="ends-hint">
          <legend>{t("series.ends")}</legend>
          <p className="hint" id="ends-hint">
            {t("series.limit")}
          </p>
          {groupError("ends")}
          <div className="radio-row">
            <input type="radio" id="ends" name="ends" value="count" defaultChecked={ends === "count"} /> <label htmlFor="ends">{t("series.endsCount")}</label>
          </div>
          <div className="radio-row">
            <input type="radio" id="ends-until" name="ends" value="until" defaultChecked={ends === "until"} /> <label htmlFor="ends-until">{t("series.endsUntil")}</label>
          </div>
          <div className="row-form">
            <div className="series-fields__count">
              <Field name="count" label={t("series.count")} errors={errors}>
                {(a) => <input {...a} type="number" inputMode="numeric" min={2} max={24} className="input--short" defaultValue={values.count ?? "6"} />}
              </Field>
            </div>
            <div className="series-fields__until">
              <Field name="until" label={t("series.until")} errors={errors}>
                {(a) => <input {...a} type="date" defaultValue={values.until ?? ""} />}
              </Field>
            </div>
          </div>
        </fieldset>
        <div className="checkbox-row">
          <input type="checkbox" id="convene" name="convene" value="1" defaultChecked={values.convene === "1"} aria-describedby="convene-hint" /> <label htmlFor="convene">{t("series.convene")}</label>
          <p className="hint" id="convene-hint">
            {t("series.conveneHint")}
          </p>
        </div>
        {live ? (
          <section className="series-preview" aria-labelledby="series-preview-h" aria-live="polite">
            <h3 id="series-preview-h">{t("series.preview")}</h3>
            {previewError ? (
              <p className="error-message">{formText(t, previewError)}</p>
            ) : preview?.dates.length ? (
              <>
                <p className="muted">{t("series.previewCount", { n: preview.dates.length })}</p>
                <ol>
                  {preview.dates.map((d) => (
                    <li key={d.date}>
                      <MeetingTime startsAt={d.startsAt} endsAt={d.endsAt} />
                    </li>
                  ))}
                </ol>
              </>
            ) : (
              <p className="muted">{t("series.previewEmpty")}</p>
            )}
          </section>
        ) : null}
      </div>
    </details>
  );
}
