import { meetingSchema, seriesRuleSchema } from "../../server/domain/schemas";
import { planSeries, type Occurrence, type SeriesRule } from "../../server/domain/series-rule";
import { validate, type FieldErrors, type FormFailure } from "./forms.server";

/**
 * The new-meeting form (the council's and a working group's): the meeting's fields,
 * and, when "Upprepa" asks for it, a series rule planned with the meeting's date and
 * times as its start (decision 042). All refusals come back together, per field,
 * for the form to show without JavaScript. `offerPoll`: the form offers a time poll
 * (a meeting without a time), which a series cannot have.
 */
export function parseNewMeeting(values: Record<string, string>, opts: { offerPoll: boolean }, now = new Date()) {
  const byPoll = opts.offerPoll && values.timing === "poll";
  const meeting = validate(meetingSchema({ allowNoTime: byPoll, now }), byPoll ? { ...values, date: "", startTime: "", endTime: "" } : values);
  const repeat = validate(seriesRuleSchema, values);
  const errors: FieldErrors = { ...(meeting.ok ? {} : meeting.errors), ...(repeat.ok ? {} : repeat.errors) };
  const fail = (more: FieldErrors = {}): FormFailure => ({ ok: false, errors: { ...errors, ...more }, values: meeting.ok ? values : meeting.values, intent: values.intent });
  if (!meeting.ok || !repeat.ok) return fail();
  if (!repeat.data) return { ok: true as const, fields: meeting.data, byPoll, series: null };
  if (byPoll) return fail({ repeat: "error.seriesNeedsTime" });
  const rule: SeriesRule = { ...repeat.data, from: (values.date ?? "").trim(), startTime: values.startTime ?? "", endTime: values.endTime ?? "" };
  const plan = planSeries(rule, now);
  if (!plan.ok) return fail({ [plan.field]: plan.message });
  return { ok: true as const, fields: meeting.data, byPoll, series: { rule, convene: values.convene === "1", occurrences: plan.occurrences as Occurrence[] } };
}
