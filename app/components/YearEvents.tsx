// The council's own yearly events on the annual wheel (issue #17), listed for
// everyone; the leader adds, changes (in a disclosure) and removes them (asked first). Plain forms: they
// work without JavaScript. server/domain/year-wheel.ts keeps the rules.
import { Form } from "@remix-run/react";
import type { YearEventView } from "../../server/domain/year-wheel";
import { ConfirmSubmit } from "~/components/ConfirmDialog";
import { ErrorSummary, Field, type Errors } from "~/components/forms";
import { useActionResult } from "~/components/useActionResult";
import { useT, type MessageKey } from "~/i18n";

type Result = { ok: true; intent: "saveEvent" | "deleteEvent" } | { ok: false; intent?: string; id?: string; errors: Errors; values?: Record<string, string> } | undefined;

function EventFields({ idPrefix, errors, values }: { idPrefix: string; errors: Errors; values: { title?: string; month?: string; day?: string } }) {
  const t = useT();
  return (
    <>
      <Field name="title" idPrefix={idPrefix} label={t("year.events.titleLabel")} errors={errors}>
        {(a) => <input {...a} type="text" maxLength={120} required defaultValue={values.title ?? ""} />}
      </Field>
      <Field name="month" idPrefix={idPrefix} label={t("year.events.month")} errors={errors}>
        {(a) => (
          <select {...a} defaultValue={values.month ?? "1"}>
            {Array.from({ length: 12 }, (_, i) => (
              <option key={i} value={String(i + 1)}>
                {t(`year.month.${i + 1}` as MessageKey)}
              </option>
            ))}
          </select>
        )}
      </Field>
      <Field name="day" idPrefix={idPrefix} label={t("year.events.day")} hint={t("year.events.dayHint")} errors={errors}>
        {(a) => <input {...a} type="number" inputMode="numeric" min={1} max={31} required defaultValue={values.day ?? "1"} className="input--short" />}
      </Field>
    </>
  );
}

export function YearEvents({ events, canManage }: { events: YearEventView[]; canManage: boolean }) {
  const t = useT();
  const result = useActionResult() as Result;
  const failed = result && !result.ok && result.intent === "saveEvent" ? result : undefined;
  const addErrors = failed && !failed.id ? failed.errors : undefined;
  const labels = { title: t("year.events.titleLabel"), month: t("year.events.month"), day: t("year.events.day") };
  return (
    <section aria-labelledby="year-events-h" className="year-events">
      <h2 id="year-events-h">{t("year.events.title")}</h2>
      {canManage ? <p>{t("year.events.intro")}</p> : null}
      <div aria-live="polite">
        {result?.ok ? <p className="notice">{t(result.intent === "saveEvent" ? "year.events.saved" : "year.events.deleted")}</p> : null}
      </div>
      {result && !result.ok && result.intent === "deleteEvent" ? <ErrorSummary errors={result.errors} labels={{}} /> : null}
      {events.length === 0 ? (
        <p>{t("year.events.none")}</p>
      ) : (
        <ul className="year-events__list">
          {events.map((e) => {
            const editErrors = failed?.id === e.id ? failed.errors : undefined;
            return (
              <li key={e.id}>
                <strong>{e.title}</strong>, {t("year.events.every", { day: String(e.day), month: t(`year.month.${e.month}` as MessageKey).toLowerCase() })}
                {canManage ? (
                  <>
                <details open={!!editErrors}>
                  <summary>{t("year.events.edit", { title: e.title })}</summary>
                  <ErrorSummary errors={editErrors} labels={labels} idPrefix={`ev-${e.id}-`} />
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="saveEvent" />
                    <input type="hidden" name="id" value={e.id} />
                    <EventFields idPrefix={`ev-${e.id}-`} errors={editErrors} values={editErrors ? (failed?.values ?? {}) : { title: e.title, month: String(e.month), day: String(e.day) }} />
                    <button type="submit">{t("year.events.save")}</button>
                  </Form>
                </details>
                <Form method="post" className="inline-form">
                  <input type="hidden" name="intent" value="deleteEvent" />
                  <input type="hidden" name="id" value={e.id} />
                  <ConfirmSubmit
                    className="button--secondary"
                    label={t("year.events.delete", { title: e.title })}
                    confirm={{ title: t("year.events.confirmDelete", { title: e.title }), body: t("year.events.confirmDeleteBody"), confirm: t("year.events.deleteShort") }}
                  >
                    {t("year.events.deleteShort")}
                  </ConfirmSubmit>
                </Form>
                  </>
                ) : null}
              </li>
            );
          })}
        </ul>
      )}
      {canManage ? (
        <>
      <h3 id="year-events-add-h">{t("year.events.add")}</h3>
      <ErrorSummary errors={addErrors} labels={labels} idPrefix="ev-new-" />
      <Form method="post" noValidate aria-labelledby="year-events-add-h" key={result?.ok ? `done-${events.length}` : "open"}>
        <input type="hidden" name="intent" value="saveEvent" />
        <EventFields idPrefix="ev-new-" errors={addErrors} values={addErrors ? (failed?.values ?? {}) : {}} />
        <button type="submit">{t("year.events.save")}</button>
      </Form>
        </>
      ) : null}
    </section>
  );
}
