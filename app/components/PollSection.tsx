// The time poll on a draft meeting (decision 027), in three steps:
// 1. the leader proposes slots with a picker (date + start per row, one meeting length);
// 2. people answer in the grid itself (people × slots; one's own row is editable);
// 3. the leader chooses a slot (the meeting gets its time, the poll closes), then
//    convenes the meeting as a separate, confirmed step that shows who is called.
// Every step is a plain form: it works without JavaScript. Confirmations are
// <details> disclosures, so they need none either.
import { Form, Link, useSearchParams } from "@remix-run/react";
import { CalendarCheck, Check, CircleHelp, Plus, Send, Trash2, X } from "lucide-react";
import { useEffect, useRef, useState } from "react";
import { POLL_ANSWERS, type PollAnswer } from "../../db/schema";
import type { PollView } from "../../server/domain/polls";
import { POLL_DURATIONS, POLL_MAX_SLOTS } from "../../server/domain/poll-rules";
import { ErrorSummary, Field, formText, type Errors } from "~/components/forms";
import { MeetingTime } from "~/components/MeetingTime";
import { formatMeetingTime, useT } from "~/i18n";

/** Rows the picker shows without JavaScript (more with "Lägg till tid", up to POLL_MAX_SLOTS). */
const DEFAULT_ROWS = 3;

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
  const chosen = poll.slots.find((s) => s.id === poll.chosenSlotId);
  return (
    <section aria-labelledby="poll-h" className="poll">
      <h2 id="poll-h">{t("poll.title")}</h2>
      <p>
        {poll.status === "open" ? t("poll.deadline", { date: `${deadline.date} ${deadline.start}` }) : t("poll.closed")}{" "}
        <span className="muted">({t("meetings.tz")})</span>
      </p>
      {/* A refused choice when the choose step is not shown (the meeting was cancelled meanwhile). */}
      {failed?.intent === "chooseSlot" && !(canManage && poll.status === "open") ? <ErrorSummary errors={failed.errors} labels={{}} /> : null}
      <PollGrid poll={poll} canAnswer={canAnswer} me={me} failed={failed?.intent === "answerPoll" ? failed : undefined} />
      {poll.status === "open" ? (
        <p>
          <strong>{t("poll.notAnswered")}:</strong> {poll.notAnswered.length ? poll.notAnswered.map((p) => t.person(p.name)).join(", ") : t("poll.everyone")}
        </p>
      ) : null}
      {canManage && poll.status === "open" ? <ChooseSlot poll={poll} failed={failed?.intent === "chooseSlot" ? failed : undefined} /> : null}
      {canManage && poll.status === "closed" && chosen ? <Convene slot={chosen} conveneTo={poll.conveneTo.filter((p) => p.userId !== me)} /> : null}
    </section>
  );
}

const ANSWER_ICON = { yes: Check, if_need_be: CircleHelp, no: X } as const;

/** An answer as word + icon (+ colour): never colour alone. */
function AnswerMark({ answer }: { answer: PollAnswer | undefined }) {
  const t = useT();
  if (!answer) return <span className="muted">{t("poll.noAnswer")}</span>;
  const Icon = ANSWER_ICON[answer];
  return (
    <span className={`poll-mark poll-mark--${answer}`}>
      <Icon aria-hidden="true" size={16} /> {t(`poll.answer.${answer}`)}
    </span>
  );
}

/**
 * People × slots. Everyone the poll asks has a row (and anyone else who answered);
 * the reader's own row holds radio groups when they may answer, one per slot, whose
 * legend names the slot. The footer sums the answers per slot.
 */
function PollGrid({ poll, canAnswer, me, failed }: { poll: PollView; canAnswer: boolean; me: string; failed?: { errors: Errors } }) {
  const t = useT();
  const names = new Map(poll.asked.map((p) => [p.userId, p.name]));
  for (const s of poll.slots) for (const a of s.answers) if (!names.has(a.userId)) names.set(a.userId, a.name);
  const editable = canAnswer;
  if (editable && !names.has(me)) names.set(me, "");
  // The reader's own row first: it is where they act.
  const people = [...names].sort(([a, an], [b, bn]) => (a === me ? -1 : b === me ? 1 : an.localeCompare(bn, t.locale)));
  const answerOf = (slot: PollView["slots"][number], userId: string) => slot.answers.find((a) => a.userId === userId)?.answer;
  const slotText = (s: PollView["slots"][number]) => t("meetings.when", formatMeetingTime(t.locale, s.startsAt, s.endsAt));
  const table = (
    <div className="table-wrap poll-grid-wrap" role="region" aria-labelledby="poll-grid-caption" tabIndex={0}>
      <table className="poll-grid">
        <caption id="poll-grid-caption">{editable ? t("poll.gridCaptionAnswer") : t("poll.gridCaption")}</caption>
        <thead>
          <tr>
            <th scope="col">{t("poll.person")}</th>
            {poll.slots.map((s) => (
              <th scope="col" key={s.id} className={poll.chosenSlotId === s.id ? "poll-chosen" : undefined}>
                <SlotHeading startsAt={s.startsAt} endsAt={s.endsAt} />
                {poll.chosenSlotId === s.id ? (
                  <span className="poll-chosen-label">
                    <CalendarCheck aria-hidden="true" size={16} /> {t("poll.chosenLabel")}
                  </span>
                ) : null}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {people.map(([userId, name]) => (
            <tr key={userId} className={userId === me ? "poll-me" : undefined}>
              <th scope="row">{userId === me ? t("poll.you") : t.person(name)}</th>
              {poll.slots.map((s) =>
                userId === me && editable ? (
                  <td key={s.id}>
                    <fieldset className="poll-choice">
                      <legend className="visually-hidden">{t("poll.yourAnswerFor", { slot: slotText(s) })}</legend>
                      {POLL_ANSWERS.map((a) => {
                        const Icon = ANSWER_ICON[a];
                        return (
                          <label key={a} className={`poll-option poll-mark--${a}`}>
                            <input type="radio" name={`answer-${s.id}`} value={a} defaultChecked={answerOf(s, me) === a} /> <Icon aria-hidden="true" size={16} /> {t(`poll.answer.${a}`)}
                          </label>
                        );
                      })}
                    </fieldset>
                  </td>
                ) : (
                  <td key={s.id}>
                    <AnswerMark answer={answerOf(s, userId)} />
                  </td>
                ),
              )}
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t("poll.total")}</th>
            {poll.slots.map((s) => (
              <td key={s.id} className="poll-tally">
                {POLL_ANSWERS.map((a) => (
                  <span key={a}>
                    {t(`poll.answer.${a}`)}: <span className="poll-count">{s.tally[a]}</span>
                  </span>
                ))}
              </td>
            ))}
          </tr>
        </tfoot>
      </table>
    </div>
  );
  if (!editable) return table;
  return (
    <Form method="post" className="poll-answer" preventScrollReset>
      <input type="hidden" name="intent" value="answerPoll" />
      <ErrorSummary errors={failed?.errors} labels={{}} idPrefix="answer-" />
      <p className="hint">{t("poll.answerHint")}</p>
      {table}
      <p className="hint poll-scroll-hint">{t("poll.scrollHint")}</p>
      <button type="submit">{t("poll.save")}</button>
    </Form>
  );
}

const dayFormats = new Map<string, Intl.DateTimeFormat>();
/** "tis 3 mars" (in Stockholm): short enough for a column heading; the full date is in the legend and the choose list. */
function shortDay(locale: string, utc: string): string {
  let f = dayFormats.get(locale);
  if (!f) {
    f = new Intl.DateTimeFormat(locale === "sv" ? "sv-SE" : "en-GB", { weekday: "short", day: "numeric", month: "short", timeZone: "Europe/Stockholm" });
    dayFormats.set(locale, f);
  }
  return f.format(new Date(utc));
}

/** "tis 3 mars" over "09:00–11:00 CET". */
function SlotHeading({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  const t = useT();
  const f = formatMeetingTime(t.locale, startsAt, endsAt);
  return (
    <time dateTime={startsAt} className="poll-slot-heading">
      <span>{shortDay(t.locale, startsAt)}</span> <span>{`${f.start}–${f.end}`}</span>
    </time>
  );
}

/** Step 3a: the leader chooses a slot, confirmed in a disclosure. The meeting is not convened yet. */
function ChooseSlot({ poll, failed }: { poll: PollView; failed?: { errors: Errors; values: Record<string, string> } }) {
  const t = useT();
  return (
    <section aria-labelledby="choose-h" className="poll-step">
      <h3 id="choose-h">{t("poll.chooseHeading")}</h3>
      <p>{t("poll.chooseIntro")}</p>
      {failed ? <ErrorSummary errors={failed.errors} labels={{}} /> : null}
      <ul className="poll-choose-list">
        {poll.slots.map((s) => {
          const allNo = s.answers.length > 0 && s.answers.every((a) => a.answer === "no");
          const askedAgain = failed?.values.slotId === s.id;
          const slot = t("meetings.when", formatMeetingTime(t.locale, s.startsAt, s.endsAt));
          return (
            <li key={s.id}>
              <p>
                <strong>
                  <MeetingTime startsAt={s.startsAt} endsAt={s.endsAt} />
                </strong>
                <br />
                <span className="muted">{t("poll.tallyLine", { yes: s.tally.yes, maybe: s.tally.if_need_be, no: s.tally.no })}</span>
              </p>
              <details className="poll-confirm" open={askedAgain || undefined}>
                <summary>{t("poll.chooseThis", { slot })}</summary>
                <Form method="post" preventScrollReset>
                  <input type="hidden" name="intent" value="chooseSlot" />
                  <input type="hidden" name="slotId" value={s.id} />
                  <p>{t("poll.chooseConfirmText", { slot })}</p>
                  {allNo || askedAgain ? (
                    <p className="poll-all-no">
                      <input type="checkbox" id={`confirm-${s.id}`} name="confirmAllNo" value="on" /> <label htmlFor={`confirm-${s.id}`}>{t("poll.confirmAllNo")}</label>
                    </p>
                  ) : null}
                  <button type="submit">
                    <CalendarCheck aria-hidden="true" size={18} /> {t("poll.chooseConfirm", { slot })}
                  </button>
                </Form>
              </details>
            </li>
          );
        })}
      </ul>
    </section>
  );
}

/** Step 3b: convene at the chosen time, after seeing who will be called. */
function Convene({ slot, conveneTo }: { slot: PollView["slots"][number]; conveneTo: { userId: string; name: string }[] }) {
  const t = useT();
  return (
    <section aria-labelledby="convene-h" className="poll-step notice notice--info">
      <h3 id="convene-h">{t("poll.conveneHeading")}</h3>
      <p>
        {t("poll.chosenTime")} <MeetingTime startsAt={slot.startsAt} endsAt={slot.endsAt} />. {t("poll.notConvenedYet")}
      </p>
      <details className="poll-confirm">
        <summary>{t("meetings.convene")}</summary>
        <p>{t("poll.conveneWho", { count: conveneTo.length })}</p>
        {conveneTo.length ? (
          <ul className="poll-convene-list">
            {conveneTo.map((p) => (
              <li key={p.userId}>{t.person(p.name)}</li>
            ))}
          </ul>
        ) : null}
        <Form method="post">
          <input type="hidden" name="intent" value="convene" />
          <button type="submit">
            <Send aria-hidden="true" size={18} /> {t("poll.conveneConfirm")}
          </button>
        </Form>
      </details>
    </section>
  );
}

function useHydrated() {
  const [hydrated, setHydrated] = useState(false);
  useEffect(() => setHydrated(true), []);
  return hydrated;
}

/**
 * Step 1: the slot picker. A row is a date and a start time; one meeting length
 * serves every row. Without JavaScript it shows three rows and "Lägg till tid" is a
 * link that shows one more (?tider=4); with it, rows are added and removed in place.
 */
function CreatePoll({ failed }: { failed?: { errors: Errors; values: Record<string, string> } }) {
  const t = useT();
  const v = failed?.values ?? {};
  const [params] = useSearchParams();
  const hydrated = useHydrated();
  const asked = Number(params.get("tider"));
  const filled = Object.keys(v).reduce((n, k) => {
    const m = /^slot(\d+)(Date|Start|End)$/.exec(k);
    return m && v[k] ? Math.max(n, Number(m[1]) + 1) : n;
  }, 0);
  const initial = Math.min(POLL_MAX_SLOTS, Math.max(DEFAULT_ROWS, filled, Number.isInteger(asked) ? asked : 0));
  // Stable keys, so that removing a row keeps what was typed in the others (names follow the position).
  const [rows, setRows] = useState(() => Array.from({ length: initial }, (_, i) => i));
  const nextKey = useRef(initial);
  const focusRow = useRef<number | null>(null);
  useEffect(() => {
    if (focusRow.current === null) return;
    document.getElementById(`slot${focusRow.current}Date`)?.focus();
    focusRow.current = null;
  }, [rows]);
  const labels: Record<string, string> = { deadlineDate: t("poll.deadlineDate"), duration: t("poll.duration") };
  for (let i = 0; i < POLL_MAX_SLOTS; i++) labels[`slot${i}Date`] = t("poll.slotN", { n: i + 1 });
  const err = (name: string) => failed?.errors?.[name];
  const add = () => {
    if (rows.length >= POLL_MAX_SLOTS) return;
    focusRow.current = rows.length;
    setRows([...rows, nextKey.current++]);
  };
  const remove = (index: number) => {
    focusRow.current = Math.max(0, index - 1);
    setRows(rows.filter((_, i) => i !== index));
  };
  return (
    <section aria-labelledby="newpoll-h" className="poll">
      <h2 id="newpoll-h">{t("poll.create")}</h2>
      <p>{t("poll.intro")}</p>
      <ErrorSummary errors={failed?.errors} labels={labels} />
      <Form method="post" noValidate preventScrollReset>
        <input type="hidden" name="intent" value="createPoll" />
        <Field name="duration" label={t("poll.duration")} errors={failed?.errors}>
          {(a) => (
            <select {...a} defaultValue={v.duration ?? "120"}>
              {POLL_DURATIONS.map((d) => (
                <option key={d} value={d}>
                  {[d >= 60 ? t("poll.hours", { n: Math.floor(d / 60) }) : "", d % 60 ? t("poll.minutes", { n: d % 60 }) : ""].filter(Boolean).join(" ")}
                </option>
              ))}
            </select>
          )}
        </Field>
        <fieldset className="poll-slots">
          <legend>{t("poll.slotsLegend")}</legend>
          <p className="hint">{t("meetings.timeHint")}</p>
          <ol className="poll-slot-rows">
            {rows.map((key, i) => (
              <li key={key} className={err(`slot${i}Date`) ? "poll-slot-row field--error" : "poll-slot-row"}>
                <fieldset>
                  <legend>{t("poll.slotN", { n: i + 1 })}</legend>
                  {err(`slot${i}Date`) ? (
                    <p className="error-message" id={`slot${i}-error`}>
                      {formText(t, err(`slot${i}Date`)!)}
                    </p>
                  ) : null}
                  <div className="row-form">
                    <span className="field">
                      <label htmlFor={`slot${i}Date`}>{t("meetings.date")}</label>
                      <input
                        id={`slot${i}Date`}
                        name={`slot${i}Date`}
                        type="date"
                        defaultValue={v[`slot${i}Date`] ?? ""}
                        aria-describedby={err(`slot${i}Date`) ? `slot${i}-error` : undefined}
                        aria-invalid={err(`slot${i}Date`) ? true : undefined}
                      />
                    </span>
                    <span className="field">
                      <label htmlFor={`slot${i}Start`}>{t("meetings.startTime")}</label>
                      <input id={`slot${i}Start`} name={`slot${i}Start`} type="time" defaultValue={v[`slot${i}Start`] ?? ""} />
                    </span>
                    {hydrated && rows.length > 1 ? (
                      <button type="button" className="button--secondary button--small" onClick={() => remove(i)}>
                        <Trash2 aria-hidden="true" size={16} /> {t("poll.removeSlot")}
                        <span className="visually-hidden"> {t("poll.slotN", { n: i + 1 })}</span>
                      </button>
                    ) : null}
                  </div>
                </fieldset>
              </li>
            ))}
          </ol>
          {rows.length < POLL_MAX_SLOTS ? (
            <p>
              <Link
                to={`?tider=${rows.length + 1}#newpoll-h`}
                preventScrollReset
                onClick={(e) => {
                  e.preventDefault();
                  add();
                }}
              >
                <Plus aria-hidden="true" size={16} /> {t("poll.addSlot")}
              </Link>
            </p>
          ) : (
            <p className="hint">{t("poll.maxSlots", { max: POLL_MAX_SLOTS })}</p>
          )}
        </fieldset>
        <fieldset className={err("deadlineDate") ? "field--error" : undefined}>
          <legend>{t("poll.deadlineLegend")}</legend>
          {err("deadlineDate") ? (
            <p className="error-message" id="deadlineDate-error">
              {formText(t, err("deadlineDate")!)}
            </p>
          ) : null}
          <div className="row-form">
            <span className="field">
              <label htmlFor="deadlineDate">{t("poll.deadlineDate")}</label>
              <input id="deadlineDate" name="deadlineDate" type="date" defaultValue={v.deadlineDate ?? ""} aria-describedby={err("deadlineDate") ? "deadlineDate-error" : undefined} />
            </span>
            <span className="field">
              <label htmlFor="deadlineTime">{t("poll.deadlineTime")}</label>
              <input id="deadlineTime" name="deadlineTime" type="time" defaultValue={v.deadlineTime ?? "23:59"} />
            </span>
          </div>
        </fieldset>
        <button type="submit">{t("poll.open")}</button>
      </Form>
    </section>
  );
}
