import { Form } from "@remix-run/react";
import { ErrorSummary, Field, type Errors } from "~/components/forms";
import { useT } from "~/i18n";
import { SeriesFields } from "~/components/SeriesFields";

/**
 * Create / edit a meeting: Stockholm date and times, place, video link, description.
 * `fixedTime`: the meeting has started, so its time is kept as it is (sent unchanged).
 * `offerPoll`: a new meeting, either at a time the leader knows or without one for a
 * time poll to find (decision 027). The date and times hide (CSS :has) when the poll is
 * chosen; where :has is missing they stay visible and the server ignores them.
 */
export function MeetingForm({
  intent,
  submit,
  errors,
  values,
  fixedTime,
  offerPoll,
  templates,
  seriesPreview,
}: {
  intent: string;
  submit: string;
  errors: Errors;
  values: Record<string, string>;
  fixedTime?: boolean;
  offerPoll?: boolean;
  /** A new meeting: the council's agenda templates to start its agenda from. */
  templates?: { id: string; name: string }[];
  /** A new meeting: offer "Upprepa" (a series, decision 042), previewed from this URL. */
  seriesPreview?: string;
}) {
  const t = useT();
  const labels = {
    title: t("meetings.fieldTitle"),
    date: t("meetings.date"),
    startTime: t("meetings.startTime"),
    endTime: t("meetings.endTime"),
    location: t("meetings.location"),
    videoUrl: t("meetings.videoUrl"),
    description: t("meetings.description"),
    ...(seriesPreview
      ? {
          repeat: t("series.kind"),
          interval: t("series.interval"),
          weekday: t("series.weekday"),
          nth: t("series.nth"),
          monthDay: t("series.monthDay"),
          ends: t("series.ends"),
          count: t("series.count"),
          until: t("series.until"),
        }
      : {}),
  };
  const byPoll = values.timing === "poll";
  const timeFields = (
    <>
      <Field name="date" label={labels.date} errors={errors}>
        {(a) => <input {...a} type="date" defaultValue={values.date ?? ""} />}
      </Field>
      <div className="row-form">
        <Field name="startTime" label={labels.startTime} hint={t("meetings.timeHint")} errors={errors}>
          {(a) => <input {...a} type="time" defaultValue={values.startTime ?? ""} />}
        </Field>
        <Field name="endTime" label={labels.endTime} errors={errors}>
          {(a) => <input {...a} type="time" defaultValue={values.endTime ?? ""} />}
        </Field>
      </div>
    </>
  );
  return (
    <>
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate className={offerPoll ? "new-meeting" : undefined}>
        <input type="hidden" name="intent" value={intent} />
        <Field name="title" label={labels.title} errors={errors}>
          {(a) => <input {...a} type="text" defaultValue={values.title ?? ""} />}
        </Field>
        {fixedTime ? (
          <>
            <input type="hidden" name="date" value={values.date ?? ""} />
            <input type="hidden" name="startTime" value={values.startTime ?? ""} />
            <input type="hidden" name="endTime" value={values.endTime ?? ""} />
          </>
        ) : offerPoll ? (
          <>
            <fieldset className="field new-meeting__timing">
              <legend>{t("meetings.timing")}</legend>
              <div className="radio-row">
                <input type="radio" id="timing-fixed" name="timing" value="fixed" defaultChecked={!byPoll} /> <label htmlFor="timing-fixed">{t("meetings.timingFixed")}</label>
              </div>
              <div className="radio-row">
                <input type="radio" id="timing-poll" name="timing" value="poll" defaultChecked={byPoll} aria-describedby="timing-poll-hint" />{" "}
                <label htmlFor="timing-poll">{t("meetings.timingPoll")}</label>
                <p className="hint" id="timing-poll-hint">
                  {t("meetings.timingPollHint")}
                </p>
              </div>
            </fieldset>
            <div className="new-meeting__time">{timeFields}</div>
          </>
        ) : (
          timeFields
        )}
        <Field name="location" label={labels.location} errors={errors} optional>
          {(a) => <input {...a} type="text" defaultValue={values.location ?? ""} />}
        </Field>
        <Field name="videoUrl" label={labels.videoUrl} errors={errors} optional>
          {(a) => <input {...a} type="url" defaultValue={values.videoUrl ?? ""} />}
        </Field>
        <Field name="description" label={labels.description} errors={errors} optional>
          {(a) => <textarea {...a} defaultValue={values.description ?? ""} />}
        </Field>
        {templates ? (
          <Field name="template" label={t("meetings.template")} hint={t("meetings.templateHint")} errors={errors} optional>
            {(a) => (
              <select {...a} defaultValue={values.template ?? ""}>
                <option value="">{t("meetings.templateNone")}</option>
                {templates.map((tpl) => (
                  <option key={tpl.id} value={tpl.id}>
                    {tpl.name}
                  </option>
                ))}
              </select>
            )}
          </Field>
        ) : null}
        {seriesPreview ? <SeriesFields values={values} errors={errors} previewUrl={seriesPreview} /> : null}
        <button type="submit">{submit}</button>
      </Form>
    </>
  );
}
