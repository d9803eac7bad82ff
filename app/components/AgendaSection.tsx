// The agenda: items in order with their clock times; members propose, the leader
// accepts, declines, reorders (buttons: keyboard-usable) and records decisions.
import { Form } from "@remix-run/react";
import { AGENDA_KINDS } from "../../db/schema";
import type { AgendaItemView } from "../../server/domain/agenda";
import { ErrorSummary, Field, type Errors } from "~/components/forms";
import { formatMeetingTime, useT } from "~/i18n";

export interface PlanLinkOption {
  value: string;
  label: string;
}

interface Props {
  items: AgendaItemView[];
  canManage: boolean;
  canPropose: boolean;
  planLinks: PlanLinkOption[];
  failed?: { intent?: string; errors: Errors; values: Record<string, string> };
}

function ItemButton({ intent, itemId, label, extra, className }: { intent: string; itemId: string; label: string; extra?: Record<string, string>; className?: string }) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="itemId" value={itemId} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className={className ?? "button--secondary button--small"}>
        {label}
      </button>
    </Form>
  );
}

export function AgendaSection({ items, canManage, canPropose, planLinks, failed }: Props) {
  const t = useT();
  const accepted = items.filter((i) => i.status === "accepted");
  const proposed = items.filter((i) => i.status === "proposed");
  const linkLabel = (i: AgendaItemView) => {
    const v = i.planActionId ? `action:${i.planActionId}` : i.planAreaId ? `area:${i.planAreaId}` : "";
    return planLinks.find((p) => p.value === v)?.label;
  };
  const clock = (i: AgendaItemView) => {
    if (!i.startsAt || !i.endsAt) return "";
    const f = formatMeetingTime(t.locale, i.startsAt, i.endsAt);
    return `${f.start}–${f.end}`;
  };
  const addErrors = failed?.intent === "addAgenda" ? failed.errors : undefined;
  const v = failed?.intent === "addAgenda" ? failed.values : {};
  const labels = { title: t("agenda.itemTitle"), kind: t("agenda.kind"), presenter: t("agenda.presenter"), minutes: t("agenda.minutes"), planLink: t("agenda.planLink") };
  return (
    <section aria-labelledby="agenda-h" className="agenda">
      <h2 id="agenda-h">{t("agenda.title")}</h2>
      {accepted.length === 0 ? (
        <p>{t("agenda.empty")}</p>
      ) : (
        <ol className="agenda-list">
          {accepted.map((i, n) => (
            <li key={i.id} className="agenda-item">
              <p>
                <span className="agenda-clock">{clock(i)}</span> <strong>{i.title}</strong>{" "}
                <span className="muted">
                  ({t(`agenda.kind.${i.kind}`)}, {t("agenda.minutesShort", { n: i.minutes })}
                  {i.presenter ? `, ${t.person(i.presenter)}` : ""})
                </span>
                {linkLabel(i) ? (
                  <>
                    <br />
                    <span className="muted">{t("agenda.linked", { label: linkLabel(i)! })}</span>
                  </>
                ) : null}
              </p>
              {i.decision ? (
                <p className="agenda-decision">
                  <strong>{t("agenda.decision")}:</strong> {i.decision}
                </p>
              ) : null}
              {canManage ? (
                <div className="item-toolbar">
                  {n > 0 ? <ItemButton intent="moveAgenda" itemId={i.id} extra={{ direction: "up" }} label={t("plan.moveUp", { title: i.title })} /> : null}
                  {n < accepted.length - 1 ? <ItemButton intent="moveAgenda" itemId={i.id} extra={{ direction: "down" }} label={t("plan.moveDown", { title: i.title })} /> : null}
                  <ItemButton intent="deleteAgenda" itemId={i.id} label={t("plan.delete", { title: i.title })} />
                  {i.kind === "decision" ? (
                    <details>
                      <summary>{t("agenda.recordDecision", { title: i.title })}</summary>
                      <Form method="post">
                        <input type="hidden" name="intent" value="decision" />
                        <input type="hidden" name="itemId" value={i.id} />
                        <label htmlFor={`decision-${i.id}`}>{t("agenda.decision")}</label>
                        <textarea id={`decision-${i.id}`} name="decision" defaultValue={i.decision ?? ""} />
                        <button type="submit">{t("agenda.saveDecision")}</button>
                      </Form>
                    </details>
                  ) : null}
                </div>
              ) : null}
            </li>
          ))}
        </ol>
      )}
      {proposed.length ? (
        <>
          <h3>{t("agenda.proposed")}</h3>
          <ul>
            {proposed.map((i) => (
              <li key={i.id}>
                <strong>{i.title}</strong>{" "}
                <span className="muted">
                  ({t(`agenda.kind.${i.kind}`)}, {t("agenda.minutesShort", { n: i.minutes })}
                  {i.proposedBy ? `, ${t("agenda.proposedBy", { name: i.proposedBy })}` : ""})
                </span>
                {canManage ? (
                  <div className="item-toolbar">
                    <ItemButton intent="acceptAgenda" itemId={i.id} label={t("agenda.accept", { title: i.title })} className="button--small" />
                    <ItemButton intent="declineAgenda" itemId={i.id} label={t("agenda.decline", { title: i.title })} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canPropose ? (
        <>
          <h3 id="agenda-add-h">{canManage ? t("agenda.add") : t("agenda.propose")}</h3>
          <ErrorSummary errors={addErrors} labels={labels} idPrefix="agenda-" />
          <Form method="post" noValidate aria-labelledby="agenda-add-h">
            <input type="hidden" name="intent" value="addAgenda" />
            <Field name="title" idPrefix="agenda-" label={labels.title} errors={addErrors}>
              {(a) => <input {...a} type="text" defaultValue={v.title ?? ""} />}
            </Field>
            <div className="row-form">
              <Field name="kind" idPrefix="agenda-" label={labels.kind} errors={addErrors}>
                {(a) => (
                  <select {...a} defaultValue={v.kind ?? "discussion"}>
                    {AGENDA_KINDS.map((k) => (
                      <option key={k} value={k}>
                        {t(`agenda.kind.${k}`)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="minutes" idPrefix="agenda-" label={labels.minutes} errors={addErrors}>
                {(a) => <input {...a} type="number" min={1} max={480} defaultValue={v.minutes ?? "15"} />}
              </Field>
            </div>
            <Field name="presenter" idPrefix="agenda-" label={labels.presenter} errors={addErrors} optional>
              {(a) => <input {...a} type="text" defaultValue={v.presenter ?? ""} />}
            </Field>
            <Field name="planLink" idPrefix="agenda-" label={labels.planLink} errors={addErrors} optional>
              {(a) => (
                <select {...a} defaultValue={v.planLink ?? ""}>
                  <option value="">{t("agenda.noLink")}</option>
                  {planLinks.map((p) => (
                    <option key={p.value} value={p.value}>
                      {p.label}
                    </option>
                  ))}
                </select>
              )}
            </Field>
            <button type="submit">{canManage ? t("agenda.addSubmit") : t("agenda.proposeSubmit")}</button>
          </Form>
        </>
      ) : null}
    </section>
  );
}
