// The agenda: items in order with their clock times; members propose, the leader
// accepts, declines, edits, reorders (buttons: keyboard-usable), deletes and records
// decisions. Each item's editing opens on demand (a disclosure), not as a standing
// form; a form that succeeded is empty again (STYLE.md "The screen").
import { Form } from "@remix-run/react";
import { ArrowDown, ArrowUp, Pencil, Trash2 } from "lucide-react";
import { useEffect, useRef, useState, type ReactNode } from "react";
import { AGENDA_KINDS } from "../../db/schema";
import type { AgendaItemView } from "../../server/domain/agenda";
import { ErrorSummary, Field, type Errors } from "~/components/forms";
import { ItemAttachments, type AttachmentRow } from "~/components/AttachmentsSection";
import { ConfirmSubmit } from "~/components/ConfirmDialog";
import { formatMeetingTime, formatTime, useT } from "~/i18n";

export interface PlanLinkOption {
  value: string;
  label: string;
  /** An action's page under /councils/<slug>/ (areas have none). */
  path?: string;
}

type Failure = { intent?: string; errors: Errors; values: Record<string, string> };

interface Props {
  items: AgendaItemView[];
  /** May change the agenda now (the meeting's manager, in a phase that allows it). */
  canManage: boolean;
  /** May add (manager) or propose (member) an item now. */
  canPropose: boolean;
  /** The meeting has started: adding is still possible for its manager, but not the page's main task. */
  addOnDemand?: boolean;
  planLinks: PlanLinkOption[];
  /** The last refused agenda form (addAgenda, editAgenda). */
  failed?: Failure;
  /** The last successful agenda answer (a new object per success): forms start empty again. */
  succeeded?: { intent?: string };
  /** When the meeting ends: its manager is warned when the agenda runs past it. */
  meetingEndsAt?: string | null;
  /** The meeting's documents: each item lists its own. */
  attachments?: AttachmentRow[];
}

function ItemButton({
  intent,
  itemId,
  label,
  children,
  extra,
  className,
}: {
  intent: string;
  itemId: string;
  label: string;
  children?: ReactNode;
  extra?: Record<string, string>;
  className?: string;
}) {
  return (
    <Form method="post" className="inline-form">
      <input type="hidden" name="intent" value={intent} />
      <input type="hidden" name="itemId" value={itemId} />
      {Object.entries(extra ?? {}).map(([k, v]) => (
        <input key={k} type="hidden" name={k} value={v} />
      ))}
      <button type="submit" className={className ?? "button--secondary button--small"} aria-label={children ? label : undefined}>
        {children ?? label}
      </button>
    </Form>
  );
}

/** The fields of an agenda item, for adding and for editing one. */
function AgendaFields({ prefix, errors, values, planLinks }: { prefix: string; errors: Errors; values: Record<string, string>; planLinks: PlanLinkOption[] }) {
  const t = useT();
  return (
    <>
      <Field name="title" idPrefix={prefix} label={t("agenda.itemTitle")} errors={errors}>
        {(a) => <input {...a} type="text" defaultValue={values.title ?? ""} />}
      </Field>
      <div className="row-form">
        <Field name="kind" idPrefix={prefix} label={t("agenda.kind")} errors={errors}>
          {(a) => (
            <select {...a} defaultValue={values.kind ?? "discussion"}>
              {AGENDA_KINDS.map((k) => (
                <option key={k} value={k}>
                  {t(`agenda.kind.${k}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="minutes" idPrefix={prefix} label={t("agenda.minutes")} errors={errors}>
          {(a) => <input {...a} type="number" min={1} max={480} defaultValue={values.minutes ?? "15"} />}
        </Field>
      </div>
      <Field name="presenter" idPrefix={prefix} label={t("agenda.presenter")} errors={errors} optional>
        {(a) => <input {...a} type="text" defaultValue={values.presenter ?? ""} />}
      </Field>
      <Field name="planLink" idPrefix={prefix} label={t("agenda.planLink")} errors={errors} optional>
        {(a) => (
          <select {...a} defaultValue={values.planLink ?? ""}>
            <option value="">{t("agenda.noLink")}</option>
            {planLinks.map((p) => (
              <option key={p.value} value={p.value}>
                {p.label}
              </option>
            ))}
          </select>
        )}
      </Field>
    </>
  );
}

const linkOf = (i: AgendaItemView) => (i.planActionId ? `action:${i.planActionId}` : i.planAreaId ? `area:${i.planAreaId}` : "");

/** "Ändra": one item's edit form, its moves and its deletion, opened on request. */
function ItemMenu({
  item,
  planLinks,
  failed,
  moves,
}: {
  item: AgendaItemView;
  planLinks: PlanLinkOption[];
  failed?: Failure;
  moves: { up: boolean; down: boolean };
}) {
  const t = useT();
  const prefix = `item-${item.id}-`;
  const mine = failed?.intent === "editAgenda" && failed.values.itemId === item.id ? failed : undefined;
  const values = mine?.values ?? { title: item.title, kind: item.kind, minutes: String(item.minutes), presenter: item.presenter, planLink: linkOf(item) };
  const labels = { title: t("agenda.itemTitle"), kind: t("agenda.kind"), presenter: t("agenda.presenter"), minutes: t("agenda.minutes"), planLink: t("agenda.planLink") };
  return (
    <details className="item-menu" open={!!mine}>
      <summary aria-label={t("agenda.itemMenuLabel", { title: item.title })}>
        <Pencil aria-hidden="true" size={16} /> {t("agenda.itemMenu")}
      </summary>
      <div className="item-menu__body">
        {mine ? <ErrorSummary errors={mine.errors} labels={labels} idPrefix={prefix} /> : null}
        <Form method="post" noValidate aria-label={t("agenda.editItem", { title: item.title })}>
          <input type="hidden" name="intent" value="editAgenda" />
          <input type="hidden" name="itemId" value={item.id} />
          <AgendaFields prefix={prefix} errors={mine?.errors} values={values} planLinks={planLinks} />
          <button type="submit">{t("agenda.saveItem")}</button>
        </Form>
        <div className="item-toolbar">
          {moves.up ? (
            <ItemButton intent="moveAgenda" itemId={item.id} extra={{ direction: "up" }} label={t("plan.moveUp", { title: item.title })}>
              <ArrowUp aria-hidden="true" size={16} /> {t("agenda.moveUp")}
            </ItemButton>
          ) : null}
          {moves.down ? (
            <ItemButton intent="moveAgenda" itemId={item.id} extra={{ direction: "down" }} label={t("plan.moveDown", { title: item.title })}>
              <ArrowDown aria-hidden="true" size={16} /> {t("agenda.moveDown")}
            </ItemButton>
          ) : null}
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="deleteAgenda" />
            <input type="hidden" name="itemId" value={item.id} />
            <ConfirmSubmit
              className="button--secondary button--small button--danger-text"
              label={t("plan.delete", { title: item.title })}
              confirm={{ title: t("planEditor.deleteTitle", { title: item.title }), body: t("confirm.deleteAgendaBody"), confirm: t("agenda.delete") }}
            >
              <Trash2 aria-hidden="true" size={16} /> {t("agenda.delete")}
            </ConfirmSubmit>
          </Form>
        </div>
      </div>
    </details>
  );
}

export function AgendaSection({ items, canManage, canPropose, addOnDemand, planLinks, failed, succeeded, meetingEndsAt, attachments = [] }: Props) {
  const t = useT();
  const filesOf = (itemId: string) => attachments.filter((a) => a.agendaItemId === itemId);
  // A fresh form after every success: uncontrolled fields otherwise keep what was typed
  // (and a second click would add the same item again). Keyed remounts also close the
  // item menus that were open.
  const [generation, setGeneration] = useState(0);
  const lastDone = useRef<string | undefined>(undefined);
  useEffect(() => {
    if (!succeeded) return;
    lastDone.current = succeeded.intent;
    setGeneration((g) => g + 1);
  }, [succeeded]);
  useEffect(() => {
    // After adding an item the person goes on with the next one: the empty title field.
    if (generation && (lastDone.current === "addAgenda" || lastDone.current === "proposeAgenda")) document.getElementById("agenda-title")?.focus();
  }, [generation]);
  const accepted = items.filter((i) => i.status === "accepted");
  const proposed = items.filter((i) => i.status === "proposed");
  const linkOf_ = (i: AgendaItemView) => planLinks.find((p) => p.value === linkOf(i));
  const linkLabel = (i: AgendaItemView) => linkOf_(i)?.label;
  const clock = (i: AgendaItemView) => {
    if (!i.startsAt || !i.endsAt) return "";
    const f = formatMeetingTime(t.locale, i.startsAt, i.endsAt);
    return `${f.start}–${f.end}`;
  };
  // The accepted items' clock times run past the meeting's end: said to its manager (never colour alone).
  const agendaEnd = accepted.at(-1)?.endsAt;
  const overBy = canManage && agendaEnd && meetingEndsAt && agendaEnd > meetingEndsAt ? Math.round((Date.parse(agendaEnd) - Date.parse(meetingEndsAt)) / 60_000) : 0;
  const addErrors = failed?.intent === "addAgenda" ? failed.errors : undefined;
  const v = failed?.intent === "addAgenda" ? failed.values : {};
  const labels = { title: t("agenda.itemTitle"), kind: t("agenda.kind"), presenter: t("agenda.presenter"), minutes: t("agenda.minutes"), planLink: t("agenda.planLink") };
  const addForm = (
    <>
      <ErrorSummary errors={addErrors} labels={labels} idPrefix="agenda-" />
      <Form method="post" noValidate aria-labelledby="agenda-add-h" key={`add-${generation}`}>
        <input type="hidden" name="intent" value="addAgenda" />
        <AgendaFields prefix="agenda-" errors={addErrors} values={v} planLinks={planLinks} />
        <button type="submit">{canManage ? t("agenda.addSubmit") : t("agenda.proposeSubmit")}</button>
      </Form>
    </>
  );
  return (
    <section aria-labelledby="agenda-h" className="agenda">
      <h2 id="agenda-h">{t("agenda.title")}</h2>
      {overBy > 0 && agendaEnd && meetingEndsAt ? (
        <p className="notice notice--warning agenda-overrun" role="note">
          <strong>{t("agenda.overrunLabel")}</strong> {t("agenda.overrun", { end: formatTime(t.locale, agendaEnd), meetingEnd: formatTime(t.locale, meetingEndsAt), minutes: overBy })}
        </p>
      ) : null}
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
                    {linkOf_(i)?.path ? (
                      // From /councils/<slug>/meetings/<id>: one level up is the council.
                      <a href={`../${linkOf_(i)!.path}`}>{t("agenda.linked", { label: linkLabel(i)! })}</a>
                    ) : (
                      <span className="muted">{t("agenda.linked", { label: linkLabel(i)! })}</span>
                    )}
                  </>
                ) : null}
              </p>
              <ItemAttachments files={filesOf(i.id)} />
              {i.decision ? (
                <p className="agenda-decision">
                  <strong>{t("agenda.decision")}:</strong> {i.decision}
                </p>
              ) : null}
              {canManage ? (
                <div className="item-toolbar">
                  <ItemMenu key={`${i.id}-${generation}`} item={i} planLinks={planLinks} failed={failed} moves={{ up: n > 0, down: n < accepted.length - 1 }} />
                  {i.kind === "decision" ? (
                    <details key={`d-${i.id}-${generation}`}>
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
                <ItemAttachments files={filesOf(i.id)} />
                {canManage ? (
                  <div className="item-toolbar">
                    <ItemButton intent="acceptAgenda" itemId={i.id} label={t("agenda.accept", { title: i.title })} className="button--small" />
                    <ItemButton intent="declineAgenda" itemId={i.id} label={t("agenda.decline", { title: i.title })} />
                    <ItemMenu key={`${i.id}-${generation}`} item={i} planLinks={planLinks} failed={failed} moves={{ up: false, down: false }} />
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {canPropose ? (
        addOnDemand ? (
          <details className="agenda-add" open={!!addErrors} key={`add-d-${generation}`}>
            <summary>
              <span id="agenda-add-h">{canManage ? t("agenda.add") : t("agenda.propose")}</span>
            </summary>
            {addForm}
          </details>
        ) : (
          <>
            <h3 id="agenda-add-h">{canManage ? t("agenda.add") : t("agenda.propose")}</h3>
            {addForm}
          </>
        )
      ) : null}
    </section>
  );
}
