import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useRef } from "react";
import { listMembers } from "../../server/domain/councils";
import {
  addActionItem,
  closeMinutes,
  decideMinutes,
  deleteActionItem,
  convertActionItem,
  minutesDocName,
  readMinutes,
  recordMinutesDecision,
  seedMinutesTemplate,
  setApprovers,
  setAttendance,
  updateActionItem,
} from "../../server/domain/minutes";
import { readsMinutesPdf } from "../../server/domain/meeting-pdfs";
import { addGuest, removeGuest, removeSubstitute, setSubstitute, type MeetingAttendance } from "../../server/domain/attendance";
import { can } from "../../server/domain/permissions";
import { findPlan, goalOptions } from "../../server/domain/plans";
import {
  actionItemEditSchema,
  actionItemRefSchema,
  actionItemSchema,
  approversSchema,
  attendanceSchema,
  decideMinutesSchema,
  decisionSchema,
  guestRefSchema,
  guestSchema,
  substituteRefSchema,
  substituteSchema,
  toPlanSchema,
} from "../../server/domain/schemas";
import { AttendanceSection } from "~/components/AttendanceSection";
import { ErrorSummary, Field } from "~/components/forms";
import { LiveMinutes } from "~/components/LiveMinutes";
import { MeetingTime } from "~/components/MeetingTime";
import { ServerHtml } from "~/components/ServerHtml";
import { useCouncilLive } from "~/components/useCouncilLive";
import { stockholmYear } from "../../server/domain/time";
import { formatDate, pageTitle, personName, translate, useT, type MessageKey } from "~/i18n";
import { forbidden, notFound, requireMeeting } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = {
  crumbs: (d, base) => {
    const { meeting } = d as { meeting: { id: string; title: string } };
    return [{ text: meeting.title, to: `${base}/meetings/${meeting.id}` }, { key: "minutes.title" }];
  },
};

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.minutes", { meeting: data.meeting.title }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user, meeting, rights } = await requireMeeting(request, context, params.slug, params.id, "view");
  // A draft meeting has no minutes yet: the same answer as for a meeting the person does not see.
  if (meeting.status === "draft") throw notFound();
  // Observers read minutes once they are approved (justerade), never before: text,
  // attendance, decisions and action items alike (server/domain/publication.ts).
  // A working group's minutes are written by its members (and the leaders).
  const canEditText = rights.editMinutes;
  // New minutes start from the agenda (once per document; the minutes are written in Swedish, the council's language).
  if (canEditText && meeting.status !== "cancelled") {
    await seedMinutesTemplate(context.db, context.collab, meeting, {
      meeting: (title, startsAt) => translate("sv", "minutes.template.meeting", { title, date: formatDate("sv", startsAt) }),
      attendees: (a) => attendanceLine(a),
      item: (n, title) => translate("sv", "minutes.template.item", { n, title }),
    });
  }
  const { published, minutes, frozenHtml, attendance, recorded, agenda, actionItems } = await readMinutes(context.db, meeting, membership);
  const plan = await findPlan(context.db, council.id, stockholmYear(meeting.starts_at));
  const canConvert = can(membership, "plan:edit") && !!plan;
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    meeting: { id: meeting.id, title: meeting.title, startsAt: meeting.starts_at, endsAt: meeting.ends_at, status: meeting.status },
    docName: minutesDocName(meeting.id),
    me: { id: user.id, name: user.name },
    published,
    // The frozen text goes out once, as HTML with its structure; a page request gets it through the server render only (ServerHtml).
    minutes: { ...minutes, frozenText: undefined, frozen: minutes.frozenText !== null },
    frozenHtml: context.documentRequest && frozenHtml !== null ? (Object.assign(context.serverHtml, { minutesText: frozenHtml }), null) : frozenHtml,
    canEditText: canEditText && minutes.status === "draft" && meeting.status !== "cancelled",
    canManage: rights.manage,
    canConvert,
    // A named approver who may no longer approve (their role changed) is replaced by the leader, even on closed minutes.
    replaceApprovers: rights.manage && minutes.status === "closed" && minutes.approvers.some((a) => !a.eligible),
    isPendingApprover: minutes.status === "closed" && minutes.approvers.some((a) => a.userId === user.id && a.status === "pending"),
    attendance: attendance.map(({ canApprove: _c, ...a }) => a),
    // Who may be named approver (justerare): attended and may write the minutes (eligibleApprovers).
    approvable: attendance.filter((a) => a.canApprove).map((a) => a.userId),
    recorded,
    agenda,
    actionItems,
    // The PDFs (issue #15): the minutes by their own rule (readsMinutesPdf), the book for whoever sees the meeting.
    pdfs: {
      minutes: readsMinutesPdf(membership, rights.editMinutes, minutes.status) ? { url: `/councils/${council.slug}/meetings/${meeting.id}/minutes.pdf`, draft: minutes.status !== "approved" } : null,
      book: `/councils/${council.slug}/meetings/${meeting.id}/book.pdf`,
    },
    members: published ? (await listMembers(context.db, council.id)).filter((m) => m.active).map((m) => ({ id: m.userId, name: m.name })) : [],
    goals: canConvert && plan ? await goalOptions(context.db, plan.id) : [],
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const values = await readForm(request);
  const needed =
    values.intent === "decide"
      ? "view"
      : values.intent === "actionItem" || values.intent === "editActionItem" || values.intent === "deleteActionItem"
        ? "editMinutes"
        : values.intent === "toPlan"
          ? "plan:edit"
          : "manage";
  // A working group's meeting: its convener manages the minutes, its members write them (requireMeeting);
  // turning an action item into a plan action is a council right.
  const { council, user, membership, meeting } = await requireMeeting(request, context, params.slug, params.id, needed === "plan:edit" ? "view" : needed);
  if (meeting.status === "draft") throw notFound();
  if (needed === "plan:edit" && !can(membership, "plan:edit")) throw forbidden();
  const deps = { db: context.db, events: context.events };
  const ids = { councilId: council.id, meetingId: meeting.id };
  try {
    switch (values.intent) {
      case "attendance": {
        const parsed = validate(attendanceSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        // Older forms (and scripts) send a checkbox per person present.
        const present = Object.keys(values).filter((k) => k.startsWith("present-") && values[k] === "on").map((k) => k.slice("present-".length));
        await setAttendance(deps, { ...ids, actorId: user.id, statuses: parsed.data, present });
        return { ok: true as const, intent: "attendance" };
      }
      case "substitute": {
        const parsed = validate(substituteSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const v = parsed.data;
        await setSubstitute(deps, { ...ids, actorId: user.id, forUserId: v.forUserId, substituteUserId: v.substituteUserId, name: v.substituteName, organisation: v.substituteOrganisation });
        return { ok: true as const, intent: "substitute" };
      }
      case "removeSubstitute": {
        const parsed = validate(substituteRefSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await removeSubstitute(deps, { ...ids, actorId: user.id, substituteId: parsed.data.substituteId });
        return { ok: true as const, intent: "removeSubstitute" };
      }
      case "guest": {
        const parsed = validate(guestSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await addGuest(deps, { ...ids, actorId: user.id, name: parsed.data.guestName, organisation: parsed.data.guestOrganisation, role: parsed.data.guestRole });
        return { ok: true as const, intent: "guest" };
      }
      case "removeGuest": {
        const parsed = validate(guestRefSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await removeGuest(deps, { ...ids, actorId: user.id, guestId: parsed.data.guestId });
        return { ok: true as const, intent: "removeGuest" };
      }
      case "approvers": {
        const parsed = validate(approversSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await setApprovers(deps, { ...ids, userIds: parsed.data, actorId: user.id });
        return { ok: true as const, intent: "approvers" };
      }
      case "close": {
        const state = await context.collab.currentState(minutesDocName(meeting.id));
        await closeMinutes(deps, { ...ids, actorId: user.id, currentState: state });
        return { ok: true as const, intent: "close" };
      }
      case "decide": {
        const parsed = validate(decideMinutesSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await decideMinutes(deps, { ...ids, userId: user.id, approve: parsed.data.decision === "approve", comment: parsed.data.comment });
        return { ok: true as const, intent: "decide" };
      }
      case "actionItem": {
        const parsed = validate(actionItemSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await addActionItem(deps, { ...ids, ...parsed.data });
        return { ok: true as const, intent: "actionItem" };
      }
      case "editActionItem": {
        const parsed = validate(actionItemEditSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await updateActionItem(deps, { ...ids, ...parsed.data });
        return { ok: true as const, intent: "editActionItem" };
      }
      case "deleteActionItem": {
        const parsed = validate(actionItemRefSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await deleteActionItem(deps, { ...ids, itemId: parsed.data.itemId });
        return { ok: true as const, intent: "deleteActionItem" };
      }
      case "decision": {
        const parsed = validate(decisionSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await recordMinutesDecision(deps, { ...ids, itemId: parsed.data.itemId, decision: parsed.data.decision, actorId: user.id });
        return { ok: true as const, intent: "decision" };
      }
      case "toPlan": {
        const parsed = validate(toPlanSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await convertActionItem(deps, context.collab, { ...ids, itemId: parsed.data.itemId, goalId: parsed.data.goalId });
        return { ok: true as const, intent: "toPlan" };
      }
      default:
        return formError("error.unknownIntent", values.intent);
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

// What each successful intent says (a typed map: a missing text fails tsc).
const DONE_KEY = {
  attendance: "minutes.done.attendance",
  substitute: "minutes.done.substitute",
  removeSubstitute: "minutes.done.substituteRemoved",
  guest: "minutes.done.guest",
  removeGuest: "minutes.done.guestRemoved",
  approvers: "minutes.done.approvers",
  close: "minutes.done.close",
  decide: "minutes.done.decide",
  actionItem: "minutes.done.actionItem",
  editActionItem: "minutes.done.actionItemSaved",
  deleteActionItem: "minutes.done.actionItemDeleted",
  decision: "minutes.done.decision",
  toPlan: "minutes.done.toPlan",
} as const satisfies Record<string, MessageKey>;

export default function MinutesPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  useCouncilLive(d.council.id);
  const failed = result && !result.ok ? result : undefined;
  const done = result?.ok ? result.intent : undefined;
  const doneCount = useSuccessCount(result);
  // Only those who may approve are offered: they attended (present, or as a substitute) and may write the minutes (not observers).
  const attendees = d.recorded.organisations.flatMap((o) =>
    o.people.flatMap((p) => (p.userId && (p.status === "present" || p.status === "substitute") && d.approvable.includes(p.userId) ? [{ id: p.userId, name: p.name }] : [])),
  );
  return (
    <div className="page minutes-page">
      <h1>
        {t("minutes.title")}: {d.meeting.title}
      </h1>
      <p>
        {d.council.name} · <MeetingTime startsAt={d.meeting.startsAt} endsAt={d.meeting.endsAt} />
      </p>
      <p className={`minutes-status minutes-status--${d.minutes.status}`}>
        <strong>{t(`minutes.status.${d.minutes.status}`)}</strong>
      </p>
      <ul className="minutes-pdfs no-print">
        {d.pdfs.minutes ? (
          <li>
            <a href={d.pdfs.minutes.url} download>{d.pdfs.minutes.draft ? t("pdf.link.minutesDraft") : t("pdf.link.minutes")}</a>
          </li>
        ) : null}
        <li>
          <a href={d.pdfs.book} download>{t("pdf.link.book")}</a>
        </li>
      </ul>
      <div aria-live="polite" className="no-print">
        {done && Object.hasOwn(DONE_KEY, done) ? <p className="notice">{t(DONE_KEY[done as keyof typeof DONE_KEY])}</p> : null}
      </div>
      <ErrorSummary
        errors={failed?.errors}
        // The edit and decision forms prefix their field ids with the item's id: the summary links to the right one.
        idPrefix={failed?.intent === "editActionItem" ? `ai-${failed.values?.itemId}-` : failed?.intent === "decision" ? `decision-${failed.values?.itemId}-` : ""}
        labels={{
          what: t("minutes.what"),
          comment: t("minutes.comment"),
          approver1: t("minutes.approver1"),
          decision: t("minutes.recordDecision"),
          dueDate: t("plan.dueDate"),
          forUserId: t("attendance.forMember"),
          substituteUserId: t("attendance.substitutePerson"),
          substituteName: t("attendance.substituteName"),
          guestName: t("attendance.guestName"),
          guestOrganisation: t("attendance.guestOrganisation"),
          guestRole: t("attendance.guestRole"),
        }} />

      {!d.published ? (
        <p className="notice notice--info">{t("minutes.notPublished")}</p>
      ) : (
        <>
          <AttendanceSection
            recorded={d.recorded}
            rows={d.attendance}
            people={d.members}
            canEdit={d.canManage && d.minutes.status === "draft"}
            failed={failed}
            formKey={doneCount}
          />

          <section aria-labelledby="text-h">
            <h2 id="text-h">{t("minutes.text")}</h2>
            {d.minutes.status === "draft" && d.canEditText ? (
              <LiveMinutes docName={d.docName} me={d.me} editable />
            ) : d.minutes.frozen ? (
              <ServerHtml name="minutesText" html={d.frozenHtml} className="minutes-text rich-text-view" />
            ) : (
              <LiveMinutes docName={d.docName} me={d.me} editable={false} />
            )}
          </section>

          <section aria-labelledby="dec-h">
            <h2 id="dec-h">{t("minutes.agendaDecisions")}</h2>
            {d.agenda.length === 0 ? <p>{t("minutes.noAgenda")}</p> : null}
            <ol className="minutes-agenda">
              {d.agenda.map((i) => (
                <li key={i.id}>
                  <strong>{t("minutes.template.item", { n: i.paragraph, title: i.title })}</strong>
                  <p className="minutes-agenda__decision">{i.decision ?? <span className="muted">{t("minutes.noDecisionYet")}</span>}</p>
                  {d.canManage && d.minutes.status === "draft" ? (
                    <details className="no-print" open={failed?.intent === "decision" && failed.values?.itemId === i.id}>
                      <summary>
                        {t("minutes.recordDecision")}
                        <span className="visually-hidden"> – {i.title}</span>
                      </summary>
                      <Form method="post" noValidate key={`${i.id}-${doneCount}`}>
                        <input type="hidden" name="intent" value="decision" />
                        <input type="hidden" name="itemId" value={i.id} />
                        <Field
                          name="decision"
                          idPrefix={`decision-${i.id}-`}
                          label={t("minutes.decisionFor", { title: i.title })}
                          errors={failed?.intent === "decision" && failed.values?.itemId === i.id ? failed.errors : undefined}
                          optional
                        >
                          {(a) => <textarea {...a} rows={3} defaultValue={i.decision ?? ""} />}
                        </Field>
                        <button type="submit">{t("minutes.saveDecision")}</button>
                      </Form>
                    </details>
                  ) : null}
                </li>
              ))}
            </ol>
          </section>

          <section aria-labelledby="ai-h">
            <h2 id="ai-h">{t("minutes.actionItems")}</h2>
            {d.actionItems.length === 0 ? <p>{t("minutes.noActionItems")}</p> : null}
            <ul className="action-items">
              {d.actionItems.map((i) => {
                const editable = d.canEditText && !i.planActionId;
                const editFailed = failed?.intent === "editActionItem" && failed.values?.itemId === i.id;
                return (
                  <li key={i.id}>
                    {i.what}
                    {i.ownerName ? ` – ${t.person(i.ownerName)}` : ""}
                    {i.dueDate ? ` – ${t("plan.due", { date: t.date(i.dueDate) })}` : ""}
                    {i.planActionId ? <span className="muted"> ({t("minutes.inPlan")})</span> : null}
                    {editable ? (
                      <div className="row-form no-print">
                        <details open={editFailed}>
                          <summary>
                            {t("minutes.editActionItem")}
                            <span className="visually-hidden"> – {i.what}</span>
                          </summary>
                          <Form method="post" noValidate key={`${i.id}-${doneCount}`}>
                            <input type="hidden" name="intent" value="editActionItem" />
                            <input type="hidden" name="itemId" value={i.id} />
                            <Field name="what" idPrefix={`ai-${i.id}-`} label={t("minutes.what")} errors={editFailed ? failed.errors : undefined}>
                              {(a) => <input {...a} type="text" defaultValue={editFailed ? failed.values.what : i.what} />}
                            </Field>
                            <div className="row-form">
                              <Field name="ownerUserId" idPrefix={`ai-${i.id}-`} label={t("minutes.owner")} errors={editFailed ? failed.errors : undefined} optional>
                                {(a) => (
                                  <select {...a} defaultValue={i.ownerUserId ?? ""}>
                                    <option value="">{t("plan.nobody")}</option>
                                    {d.members.map((m) => (
                                      <option key={m.id} value={m.id}>
                                        {t.person(m.name)}
                                      </option>
                                    ))}
                                  </select>
                                )}
                              </Field>
                              <Field name="dueDate" idPrefix={`ai-${i.id}-`} label={t("plan.dueDate")} errors={editFailed ? failed.errors : undefined} optional>
                                {(a) => <input {...a} type="date" defaultValue={i.dueDate ?? ""} />}
                              </Field>
                            </div>
                            <button type="submit">{t("minutes.saveActionItem")}</button>
                          </Form>
                        </details>
                        <Form method="post">
                          <input type="hidden" name="intent" value="deleteActionItem" />
                          <input type="hidden" name="itemId" value={i.id} />
                          <button type="submit" className="button--small button--secondary">
                            {t("minutes.deleteActionItem")}
                            <span className="visually-hidden"> – {i.what}</span>
                          </button>
                        </Form>
                      </div>
                    ) : null}
                    {d.canConvert && !i.planActionId && d.goals.length ? (
                      <Form method="post" className="row-form no-print">
                        <input type="hidden" name="intent" value="toPlan" />
                        <input type="hidden" name="itemId" value={i.id} />
                        <label htmlFor={`goal-${i.id}`} className="visually-hidden">
                          {t("minutes.chooseGoal", { what: i.what })}
                        </label>
                        <select id={`goal-${i.id}`} name="goalId">
                          {d.goals.map((g) => (
                            <option key={g.id} value={g.id}>
                              {g.label}
                            </option>
                          ))}
                        </select>
                        <button type="submit" className="button--small">
                          {t("minutes.toPlan", { what: i.what })}
                        </button>
                      </Form>
                    ) : null}
                  </li>
                );
              })}
            </ul>
            {d.canEditText ? (
              <Form method="post" noValidate className="no-print" key={`new-${doneCount}`}>
                <input type="hidden" name="intent" value="actionItem" />
                <h3>{t("minutes.addActionItem")}</h3>
                <Field name="what" label={t("minutes.what")} errors={failed?.intent === "actionItem" ? failed.errors : undefined}>
                  {(a) => <input {...a} type="text" defaultValue={failed?.intent === "actionItem" ? failed.values?.what : undefined} />}
                </Field>
                <div className="row-form">
                  <Field name="ownerUserId" label={t("minutes.owner")} errors={undefined} optional>
                    {(a) => (
                      <select {...a} defaultValue="">
                        <option value="">{t("plan.nobody")}</option>
                        {d.members.map((m) => (
                          <option key={m.id} value={m.id}>
                            {t.person(m.name)}
                          </option>
                        ))}
                      </select>
                    )}
                  </Field>
                  <Field name="dueDate" label={t("plan.dueDate")} errors={failed?.intent === "actionItem" ? failed.errors : undefined} optional>
                    {(a) => <input {...a} type="date" />}
                  </Field>
                </div>
                <button type="submit">{t("minutes.addActionItemSubmit")}</button>
              </Form>
            ) : null}
          </section>

          <section aria-labelledby="just-h">
            <h2 id="just-h">{t("minutes.approval")}</h2>
            {d.minutes.approvers.length === 0 ? <p>{t("minutes.noApprovers")}</p> : null}
            <ul>
              {d.minutes.approvers.map((a) => (
                <li key={a.userId}>
                  {t.person(a.name)}: {t(`minutes.approver.${a.status}`)}
                  {a.eligible ? "" : ` (${t("minutes.approverNotEligible")})`}
                  {a.decidedAt ? ` (${t.date(a.decidedAt)})` : ""}
                  {a.comment ? ` – ”${a.comment}”` : ""}
                </li>
              ))}
            </ul>
            {d.canManage && (d.minutes.status === "draft" || d.replaceApprovers) ? (
              <div className="no-print">
                {attendees.length ? (
                  <Form method="post" className="row-form">
                    <input type="hidden" name="intent" value="approvers" />
                    {(["approver1", "approver2"] as const).map((f) => (
                      <span key={f}>
                        <label htmlFor={f}>{t(`minutes.${f}`)}</label>
                        <select id={f} name={f} defaultValue={d.minutes.approvers[f === "approver1" ? 0 : 1]?.userId ?? ""}>
                          <option value="">{t("plan.nobody")}</option>
                          {attendees.map((p) => (
                            <option key={p.id} value={p.id}>
                              {t.person(p.name)}
                            </option>
                          ))}
                        </select>
                      </span>
                    ))}
                    <button type="submit">{t("minutes.nameApprovers")}</button>
                  </Form>
                ) : (
                  <p>{t("minutes.attendanceFirst")}</p>
                )}
                {d.minutes.approvers.length && d.minutes.status === "draft" ? (
                  <Form method="post">
                    <input type="hidden" name="intent" value="close" />
                    <button type="submit">{t("minutes.close")}</button>
                  </Form>
                ) : null}
              </div>
            ) : null}
            {d.isPendingApprover ? (
              <Form method="post" className="no-print" noValidate>
                <input type="hidden" name="intent" value="decide" />
                <Field name="comment" label={t("minutes.comment")} errors={failed?.intent === "decide" ? failed.errors : undefined} optional>
                  {(a) => <textarea {...a} />}
                </Field>
                <div className="row-form">
                  <button type="submit" name="decision" value="approve">
                    {t("minutes.approve")}
                  </button>
                  <button type="submit" name="decision" value="return" className="button--secondary">
                    {t("minutes.return")}
                  </button>
                </div>
              </Form>
            ) : null}
          </section>
          <p className="no-print muted">{t("minutes.print")}</p>
        </>
      )}
    </div>
  );
}

/** How many submissions of this page have succeeded: forms keyed on it start empty again after a success. */
function useSuccessCount(result: unknown): number {
  const seen = useRef<unknown>(undefined);
  const count = useRef(0);
  if (result !== seen.current) {
    seen.current = result;
    if (result && (result as { ok?: boolean }).ok) count.current++;
  }
  return count.current;
}

/**
 * The template's attendance line, in Swedish (the minutes' language): present and
 * substitutes, förhinder, guests. Those simply absent are left out of the free text
 * (the record lists them): a closed text is never anonymised, so it names no more people than it needs.
 */
function attendanceLine(a: MeetingAttendance): string {
  const people = a.organisations.flatMap((o) => o.people);
  const names = (status: string) => people.filter((p) => p.status === status).map((p) => personName("sv", p.name)).join(", ");
  const attending = people
    .filter((p) => p.status === "present" || p.status === "substitute")
    .map((p) => (p.substituteFor ? translate("sv", "minutes.template.substitute", { name: p.name, member: p.substituteFor.name }) : personName("sv", p.name)));
  const parts = [translate("sv", "minutes.template.attendees", { names: attending.join(", ") })];
  if (names("excused")) parts.push(translate("sv", "minutes.template.excused", { names: names("excused") }));
  if (a.guests.length) {
    parts.push(translate("sv", "minutes.template.guests", { names: a.guests.map((g) => translate("sv", "attendance.guestLine", { name: g.name, organisation: g.organisation })).join("; ") }));
  }
  return parts.join(". ");
}
