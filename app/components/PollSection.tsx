// The time poll on a draft meeting: the leader proposes slots; members answer
// yes / if need be / no per slot; everyone sees the tally and who has not answered.
import { Form } from "@remix-run/react";
import { POLL_ANSWERS } from "../../db/schema";
import type { PollView } from "../../server/domain/polls";
import { ErrorSummary, formText, type Errors } from "~/components/forms";
import { MeetingTime } from "~/components/MeetingTime";
import { formatMeetingTime, useT } from "~/i18n";

const ROWS = [0, 1, 2, 3, 4];

interface Props {
  poll: PollView | null;
  canManage: boolean;
  canAnswer: boolean;
  me: string;
  failed?: { intent?: string; errors: Errors; values: Record<string, string> };
}

export function PollSection({ poll, canManage, canAnswer, me, failed }: Props) {
  const t = useT();
  if (!poll) {
    return canManage ? <CreatePoll failed={failed?.intent === "createPoll" ? failed : undefined} /> : null;
  }
  const deadline = formatMeetingTime(t.locale, poll.deadline, poll.deadline);
  const slotLabel = (s: PollView["slots"][number]) => {
    const f = formatMeetingTime(t.locale, s.startsAt, s.endsAt);
    return t("meetings.when", f);
  };
  return (
    <section aria-labelledby="poll-h" className="poll">
      <h2 id="poll-h">{t("poll.title")}</h2>
      <p>
        {poll.status === "open" ? t("poll.deadline", { date: `${deadline.date} ${deadline.start}` }) : t("poll.closed")}{" "}
        <span className="muted">({t("meetings.tz")})</span>
      </p>
      {failed?.intent === "chooseSlot" ? <ErrorSummary errors={failed.errors} labels={{}} /> : null}
      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("poll.tally")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("poll.slot")}</th>
              <th scope="col">{t("poll.answer.yes")}</th>
              <th scope="col">{t("poll.answer.if_need_be")}</th>
              <th scope="col">{t("poll.answer.no")}</th>
              {canManage && poll.status === "open" ? <th scope="col">{t("members.actions")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {poll.slots.map((s) => (
              <tr key={s.id} className={poll.chosenSlotId === s.id ? "poll-chosen" : undefined}>
                <th scope="row">
                  <MeetingTime startsAt={s.startsAt} endsAt={s.endsAt} />
                  {poll.chosenSlotId === s.id ? <strong> · {t("poll.chosenLabel")}</strong> : null}
                </th>
                {POLL_ANSWERS.map((a) => (
                  <td key={a}>
                    <span className="poll-count">{s.tally[a]}</span>
                    {s.answers.filter((x) => x.answer === a).length ? (
                      <span className="muted"> ({s.answers.filter((x) => x.answer === a).map((x) => x.name).join(", ")})</span>
                    ) : null}
                  </td>
                ))}
                {canManage && poll.status === "open" ? (
                  <td>
                    <Form method="post">
                      <input type="hidden" name="intent" value="chooseSlot" />
                      <input type="hidden" name="slotId" value={s.id} />
                      {failed?.intent === "chooseSlot" && failed.values.slotId === s.id ? (
                        <p>
                          <input type="checkbox" id={`confirm-${s.id}`} name="confirmAllNo" value="on" />{" "}
                          <label htmlFor={`confirm-${s.id}`}>{t("poll.confirmAllNo")}</label>
                        </p>
                      ) : null}
                      <button type="submit" className="button--small">
                        {t("poll.choose", { slot: slotLabel(s) })}
                      </button>
                    </Form>
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
      {poll.status === "open" ? (
        <p>
          <strong>{t("poll.notAnswered")}:</strong> {poll.notAnswered.length ? poll.notAnswered.map((p) => t.person(p.name)).join(", ") : t("poll.everyone")}
        </p>
      ) : null}
      {canAnswer ? (
        <Form method="post" className="poll-answer">
          <input type="hidden" name="intent" value="answerPoll" />
          <h3>{t("poll.yourAnswers")}</h3>
          {failed?.intent === "answerPoll" ? <ErrorSummary errors={failed.errors} labels={{}} /> : null}
          {poll.slots.map((s) => {
            const mine = s.answers.find((a) => a.userId === me)?.answer;
            return (
              <fieldset key={s.id}>
                <legend>{slotLabel(s)}</legend>
                {POLL_ANSWERS.map((a) => (
                  <span key={a} className="poll-option">
                    <input type="radio" id={`answer-${s.id}-${a}`} name={`answer-${s.id}`} value={a} defaultChecked={mine === a} />{" "}
                    <label htmlFor={`answer-${s.id}-${a}`}>{t(`poll.answer.${a}`)}</label>
                  </span>
                ))}
              </fieldset>
            );
          })}
          <button type="submit">{t("poll.save")}</button>
        </Form>
      ) : null}
    </section>
  );
}

function CreatePoll({ failed }: { failed?: { errors: Errors; values: Record<string, string> } }) {
  const t = useT();
  const v = failed?.values ?? {};
  const labels: Record<string, string> = { deadlineDate: t("poll.deadlineDate") };
  for (const i of ROWS) {
    labels[`slot${i}Date`] = t("poll.slotN", { n: i + 1 });
    labels[`slot${i}End`] = t("poll.slotN", { n: i + 1 });
  }
  const err = (name: string) => failed?.errors?.[name];
  return (
    <section aria-labelledby="newpoll-h" className="poll">
      <h2 id="newpoll-h">{t("poll.create")}</h2>
      <p>{t("poll.intro")}</p>
      <ErrorSummary errors={failed?.errors} labels={labels} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="createPoll" />
        {ROWS.map((i) => (
          <fieldset key={i} className={err(`slot${i}Date`) || err(`slot${i}End`) ? "field--error" : undefined}>
            <legend>{t("poll.slotN", { n: i + 1 })}</legend>
            {err(`slot${i}Date`) || err(`slot${i}End`) ? <p className="error-message">{formText(t, err(`slot${i}Date`) ?? err(`slot${i}End`)!)}</p> : null}
            <div className="row-form">
              <span>
                <label htmlFor={`slot${i}Date`}>{t("meetings.date")}</label>
                <input id={`slot${i}Date`} name={`slot${i}Date`} type="date" defaultValue={v[`slot${i}Date`] ?? ""} />
              </span>
              <span>
                <label htmlFor={`slot${i}Start`}>{t("meetings.startTime")}</label>
                <input id={`slot${i}Start`} name={`slot${i}Start`} type="time" defaultValue={v[`slot${i}Start`] ?? ""} />
              </span>
              <span>
                <label htmlFor={`slot${i}End`}>{t("meetings.endTime")}</label>
                <input id={`slot${i}End`} name={`slot${i}End`} type="time" defaultValue={v[`slot${i}End`] ?? ""} />
              </span>
            </div>
          </fieldset>
        ))}
        <fieldset className={err("deadlineDate") ? "field--error" : undefined}>
          <legend>{t("poll.deadlineLegend")}</legend>
          {err("deadlineDate") ? <p className="error-message">{formText(t, err("deadlineDate")!)}</p> : null}
          <div className="row-form">
            <span>
              <label htmlFor="deadlineDate">{t("poll.deadlineDate")}</label>
              <input id="deadlineDate" name="deadlineDate" type="date" defaultValue={v.deadlineDate ?? ""} />
            </span>
            <span>
              <label htmlFor="deadlineTime">{t("poll.deadlineTime")}</label>
              <input id="deadlineTime" name="deadlineTime" type="time" defaultValue={v.deadlineTime ?? "23:59"} />
            </span>
          </div>
        </fieldset>
        <p className="hint">{t("meetings.timeHint")}</p>
        <button type="submit">{t("poll.open")}</button>
      </Form>
    </section>
  );
}
