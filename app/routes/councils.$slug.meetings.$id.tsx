import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { CalendarCheck, CalendarClock, CalendarX, CheckCircle2, Clock, FilePen, Pencil, Vote } from "lucide-react";
import { RSVP_RESPONSES } from "../../db/schema";
import { cancelMeeting, conveneMeeting, listRsvps, meetingAllows, meetingPhase, setRsvp, updateMeeting, type MeetingPhase } from "../../server/domain/meetings";
import { getGroup } from "../../server/domain/groups";
import { cancelRest, changeUpcoming, seriesContext } from "../../server/domain/meeting-series";
import { ATTACHMENT_TYPES, attachmentDoing, listAttachments } from "../../server/domain/attachments";
import { addAgendaItem, deleteAgendaItem, listAgenda, moveAgendaItem, recordDecision, setAgendaItemStatus, updateAgendaItem } from "../../server/domain/agenda";
import { readsMinutesPdf } from "../../server/domain/meeting-pdfs";
import { minutesStatus } from "../../server/domain/publication";
import { answerPoll, chooseSlot, createPoll, getPoll } from "../../server/domain/polls";
import { planLinkOptions } from "../../server/domain/plans";
import {
  agendaItemRefSchema,
  agendaItemSchema,
  answerPollSchema,
  cancelMeetingSchema,
  chooseSlotSchema,
  createPollSchema,
  decisionSchema,
  meetingSchema,
  rsvpSchema,
  seriesCancelSchema,
  seriesChangeSchema,
} from "../../server/domain/schemas";
import { AgendaSection } from "~/components/AgendaSection";
import { AttachmentsSection, type AttachmentRow } from "~/components/AttachmentsSection";
import { attachmentLimitVars, attachmentUrl } from "~/utils/attachments.server";
import { isMessageKey } from "~/i18n";
import { DialogDismiss, DisclosureDialog } from "~/components/DisclosureDialog";
import { PollSection } from "~/components/PollSection";
import { stockholmParts, stockholmYear } from "../../server/domain/time";
import { ErrorSummary, Field } from "~/components/forms";
import { MeetingForm } from "~/components/MeetingForm";
import { MeetingTime } from "~/components/MeetingTime";
import { SeriesRule } from "~/components/SeriesRule";
import { useCouncilLive } from "~/components/useCouncilLive";
import { formatMeetingTime, pageTitle, useT } from "~/i18n";
import { requireMeeting } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (d) => [{ text: (d as { meeting: { title: string } }).meeting.title }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.meeting", { meeting: data.meeting.title }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Drafts do not exist for those who cannot manage the meeting, unless a time poll asks them (requireMeeting).
  const { council, membership, user, meeting, rights } = await requireMeeting(request, context, params.slug, params.id, "view");
  // A working group's meeting is managed by its convener too, and answered by its members.
  const canManage = rights.manage;
  const poll = await getPoll(context.db, meeting.id, council.id);
  const group = meeting.group_id ? await getGroup(context.db, council.id, meeting.group_id) : undefined;
  const rsvps = await listRsvps(context.db, meeting.id);
  // The one rule of what the meeting offers now (server/domain/meetings.ts); the actions ask the same.
  const phase = meetingPhase(meeting, new Date(), { poll: !!poll });
  const allows = meetingAllows(phase);
  const start = stockholmParts(meeting.starts_at);
  const end = stockholmParts(meeting.ends_at);
  // A meeting of a series: where it stands, its neighbours (drafts only for those who manage them).
  const series = await seriesContext(context.db, meeting, { includeDrafts: canManage });
  const agenda = await listAgenda(context.db, meeting, membership);
  // Documents: who may change which follows one rule (attachmentDoing) and the phase's (meetingAllows).
  const actor = { userId: user.id, manage: rights.manage, propose: rights.propose };
  const itemById = new Map(agenda.map((i) => [i.id, i]));
  const itemFacts = (id: string | null) => {
    const i = id ? itemById.get(id) : undefined;
    return i ? { proposed_by: i.proposedById, status: i.status } : null;
  };
  const allowedNow = (doing: ReturnType<typeof attachmentDoing>) => !!doing && allows[doing];
  const files = await listAttachments(context.db, meeting.id);
  const attachments: AttachmentRow[] = files.map((f) => ({
    id: f.id,
    name: f.name,
    size: f.size,
    typeLabel: ATTACHMENT_TYPES[f.type] ?? f.type,
    url: attachmentUrl(council.slug, { meeting_id: meeting.id, id: f.id }),
    agendaItemId: f.agendaItemId,
    itemTitle: f.agendaItemId ? (itemById.get(f.agendaItemId)?.title ?? null) : null,
    uploadedBy: f.uploadedBy,
    canChange: allowedNow(attachmentDoing(actor, itemFacts(f.agendaItemId), { uploaded_by: f.uploadedById })),
  }));
  const attachTargets = [
    ...(allowedNow(attachmentDoing(actor, null)) ? [{ id: null, title: "" }] : []),
    ...agenda.filter((i) => i.status !== "declined" && allowedNow(attachmentDoing(actor, itemFacts(i.id)))).map((i) => ({ id: i.id, title: i.title })),
  ];
  const q = new URL(request.url).searchParams;
  const errorKey = q.get("attachmentError") ?? "";
  const limitVars = attachmentLimitVars(context.files);
  const attachmentOutcome =
    q.get("attachmentDone") || errorKey
      ? {
          done: q.get("attachmentDone") ?? undefined,
          error: errorKey.startsWith("error.") && isMessageKey(errorKey) ? { key: errorKey, vars: limitVars } : undefined,
          intent: q.get("attachmentIntent") ?? undefined,
          attachmentId: q.get("attachmentId") ?? undefined,
        }
      : null;
  const minutesNow = phase === "ongoing" || phase === "held" ? await minutesStatus(context.db, meeting.id) : null;
  const pdfBase = `/councils/${council.slug}/meetings/${meeting.id}`;
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    meeting: {
      id: meeting.id,
      title: meeting.title,
      location: meeting.location,
      videoUrl: meeting.video_url,
      description: meeting.description,
      startsAt: meeting.starts_at,
      endsAt: meeting.ends_at,
      status: meeting.status,
      cancelReason: meeting.cancel_reason,
      group: group ? { id: group.id, name: group.name } : null,
    },
    series,
    formValues: {
      title: meeting.title,
      date: start.date,
      startTime: start.time,
      endTime: end.time,
      location: meeting.location,
      videoUrl: meeting.video_url ?? "",
      description: meeting.description,
    },
    phase,
    canManage,
    can: {
      // A meeting with a time poll is convened from the poll, after a time is chosen (PollSection).
      convene: canManage && allows.convene && !poll,
      edit: canManage && allows.edit,
      move: canManage && allows.move,
      cancel: canManage && allows.cancel,
      editAgenda: canManage && allows.editAgenda,
      // The series-wide actions reach the occurrences still to come, from any of its meetings.
      series: canManage && !!series && series.upcoming > 0,
    },
    minutesStatus: minutesNow,
    // The meeting's PDFs (issue #15): the book for whoever sees the meeting (its documents' rule), the
    // minutes once the meeting has begun, for those the minutes' own rule gives them to (readsMinutesPdf).
    pdfs: {
      book: `${pdfBase}/book.pdf`,
      minutes: minutesNow && readsMinutesPdf(membership, rights.editMinutes, minutesNow) ? { url: `${pdfBase}/minutes.pdf`, draft: minutesNow !== "approved" } : null,
    },
    canWriteMinutes: rights.editMinutes,
    // Decisions are part of the minutes: shown once those are published to this person.
    agenda,
    attachments,
    attachTargets,
    attachmentOutcome,
    fileLimits: { ...limitVars, usedBytes: files.reduce((n, f) => n + f.size, 0) },
    canPropose: rights.propose && (canManage ? allows.editAgenda : allows.propose),
    planLinks: await planLinkOptions(context.db, council.id, stockholmYear(meeting.starts_at)),
    poll,
    canAnswerPoll: rights.respond && poll?.status === "open" && poll.deadline > new Date().toISOString(),
    me: user.id,
    canRespond: rights.respond && allows.rsvp,
    myRsvp: rsvps.find((r) => r.userId === user.id) ?? null,
    rsvps,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const values = await readForm(request);
  // Members propose agenda items (the action makes theirs proposals); everything else but answers is the leader's.
  const needed = values.intent === "rsvp" || values.intent === "answerPoll" ? "respond" : values.intent === "addAgenda" ? "propose" : "manage";
  // The same guard as the loader: 404 for a meeting the person does not see (a draft), 403 for a right they lack.
  const { council, user, meeting, rights } = await requireMeeting(request, context, params.slug, params.id, needed);
  const deps = { db: context.db, events: context.events };
  const ids = { councilId: council.id, meetingId: meeting.id, actorId: user.id };
  try {
    switch (values.intent) {
      case "update": {
        // Editing a past meeting's text is fine; moving it into the past is not.
        const allowPast = !!meeting.starts_at && values.date === stockholmParts(meeting.starts_at).date && meeting.starts_at < new Date().toISOString();
        // A draft without a time (a time poll will decide it) may be edited without inventing one.
        const parsed = validate(meetingSchema({ allowPast, allowNoTime: meeting.status === "draft" && !meeting.starts_at }), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await updateMeeting(deps, { ...parsed.data, ...ids });
        return { ok: true as const, intent: "update" };
      }
      case "convene":
        await conveneMeeting(deps, ids);
        return { ok: true as const, intent: "convene" };
      case "cancel": {
        const parsed = validate(cancelMeetingSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await cancelMeeting(deps, { ...ids, reason: parsed.data.reason });
        return { ok: true as const, intent: "cancel" };
      }
      case "seriesUpdate":
      case "seriesCancel": {
        if (!meeting.series_id) return formError("error.notInSeries", values.intent, 409);
        const series = { councilId: council.id, seriesId: meeting.series_id, actorId: user.id };
        if (values.intent === "seriesUpdate") {
          const parsed = validate(seriesChangeSchema, values);
          if (!parsed.ok) return data(parsed, { status: 400 });
          const n = await changeUpcoming(deps, { ...series, ...parsed.data });
          return { ok: true as const, intent: "seriesUpdate", n };
        }
        const parsed = validate(seriesCancelSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const n = await cancelRest(deps, { ...series, reason: parsed.data.reason });
        return { ok: true as const, intent: "seriesCancel", n };
      }
      case "rsvp": {
        const parsed = validate(rsvpSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await setRsvp(deps, { councilId: council.id, meetingId: meeting.id, userId: user.id, ...parsed.data });
        return { ok: true as const, intent: "rsvp" };
      }
      case "createPoll": {
        const parsed = validate(createPollSchema(), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await createPoll(deps, { ...ids, ...parsed.data });
        return { ok: true as const, intent: "createPoll" };
      }
      case "answerPoll": {
        const parsed = validate(answerPollSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await answerPoll(deps, { councilId: council.id, meetingId: meeting.id, userId: user.id, answers: parsed.data });
        return { ok: true as const, intent: "answerPoll" };
      }
      case "chooseSlot": {
        const parsed = validate(chooseSlotSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const res = await chooseSlot(deps, { ...ids, ...parsed.data });
        if (res.needsConfirmation) return data({ ok: false as const, intent: "chooseSlot", errors: { _form: "poll.allNoWarning" as const }, values: { slotId: parsed.data.slotId } }, { status: 409 });
        return { ok: true as const, intent: "chooseSlot" };
      }
      case "addAgenda":
      case "editAgenda": {
        // Editing names its item too (a UUID of this meeting's, checked by the domain).
        const ref = values.intent === "editAgenda" ? validate(agendaItemRefSchema, values) : undefined;
        if (ref && !ref.ok) return data(ref, { status: 400 });
        const parsed = validate(agendaItemSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const link = parsed.data.planLink;
        const options = await planLinkOptions(context.db, council.id, stockholmYear(meeting.starts_at));
        if (link && !options.some((o) => o.value === link)) return data({ ok: false as const, intent: values.intent, errors: { planLink: "error.unknown" as const }, values }, { status: 400 });
        const fields = {
          title: parsed.data.title,
          kind: parsed.data.kind,
          presenter: parsed.data.presenter,
          minutes: parsed.data.minutes,
          planAreaId: link.startsWith("area:") ? link.slice(5) : null,
          planActionId: link.startsWith("action:") ? link.slice(7) : null,
        };
        if (ref) {
          await updateAgendaItem(deps, { councilId: council.id, meetingId: meeting.id, itemId: ref.data.itemId, ...fields });
          return { ok: true as const, intent: "editAgenda" };
        }
        const asProposal = !rights.manage;
        await addAgendaItem(deps, { ...ids, ...fields, asProposal });
        return { ok: true as const, intent: asProposal ? "proposeAgenda" : "addAgenda" };
      }
      case "acceptAgenda":
      case "declineAgenda":
      case "moveAgenda":
      case "deleteAgenda": {
        const parsed = validate(agendaItemRefSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const ref = { councilId: council.id, meetingId: meeting.id, itemId: parsed.data.itemId };
        if (values.intent === "moveAgenda") await moveAgendaItem(deps, { ...ref, direction: parsed.data.direction ?? "up" });
        else if (values.intent === "deleteAgenda") await deleteAgendaItem(deps, ref);
        else await setAgendaItemStatus(deps, { ...ref, actorId: user.id, status: values.intent === "acceptAgenda" ? "accepted" : "declined" });
        return { ok: true as const, intent: values.intent === "deleteAgenda" ? "deleteAgenda" : "agenda" };
      }
      case "decision": {
        const parsed = validate(decisionSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await recordDecision(deps, { councilId: council.id, meetingId: meeting.id, itemId: parsed.data.itemId, decision: parsed.data.decision, actorId: user.id });
        return { ok: true as const, intent: "agenda" };
      }
      default:
        return formError("error.unknownIntent", values.intent);
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

/** Word + icon (+ colour in CSS) for each phase: never colour alone. */
const PHASE_ICON: Record<MeetingPhase, typeof Clock> = {
  draft: FilePen,
  poll: Vote,
  upcoming: CalendarClock,
  ongoing: Clock,
  held: CalendarCheck,
  cancelled: CalendarX,
};

const AGENDA_INTENTS = ["addAgenda", "proposeAgenda", "editAgenda", "deleteAgenda", "agenda"];

export default function MeetingPage() {
  const {
    council,
    meeting,
    series,
    formValues,
    phase,
    can,
    canManage,
    canRespond,
    myRsvp,
    rsvps,
    poll,
    canAnswerPoll,
    me,
    agenda,
    canPropose,
    planLinks,
    minutesStatus,
    canWriteMinutes,
    pdfs,
    attachments,
    attachTargets,
    attachmentOutcome,
    fileLimits,
  } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const [search] = useSearchParams();
  useCouncilLive(council.id);
  const failed = result && !result.ok ? result : undefined;
  const done = result && result.ok ? result.intent : undefined;
  // A refusal is shown in its form when that form is on the page (not once the meeting is cancelled).
  const shownInItsForm =
    (failed?.intent === "rsvp" && canRespond) ||
    (failed?.intent === "addAgenda" && canPropose) ||
    // An edit's refusal shows in that item's form, if the item is on the page (else at the top: "Punkten finns inte.").
    (failed?.intent === "editAgenda" && can.editAgenda && agenda.some((i) => i.id === (failed.values as Record<string, string>).itemId && i.status !== "declined")) ||
    (failed?.intent === "answerPoll" && canAnswerPoll) ||
    (failed?.intent === "update" && can.edit) ||
    (failed?.intent === "cancel" && can.cancel) ||
    ((failed?.intent === "seriesUpdate" || failed?.intent === "seriesCancel") && can.series);
  // The no-JavaScript path to a dialog (?dialog=edit), unless that form just succeeded.
  const dialogOpen = (id: string, intent: string) => failed?.intent === intent || (search.get("dialog") === id && done !== intent);
  const PhaseIcon = PHASE_ICON[phase];
  const editTitle = can.move ? t("meetings.edit") : t("meetingPage.editDetails");
  const minutesPath = `/councils/${council.slug}/meetings/${meeting.id}/minutes`;
  return (
    <div className="page meeting-page">
      {meeting.group ? (
        <p>
          <Link to={`/councils/${council.slug}/groups/${meeting.group.id}`}>← {meeting.group.name}</Link>
        </p>
      ) : null}
      <h1>{meeting.title}</h1>

      <section className={`meeting-summary meeting-summary--${phase}`} aria-label={t("meetingPage.summary")}>
        <p className={`meeting-phase meeting-phase--${phase}`}>
          <PhaseIcon aria-hidden="true" size={20} /> <strong>{t(`meetingPage.phase.${phase}`)}</strong>
          <span className="visually-hidden">. </span>
          <span className="meeting-phase__hint">{t(`meetingPage.hint.${phase}`)}</span>
        </p>
        {meeting.status === "cancelled" ? <p className="notice notice--warning">{t("meetings.cancelledBecause", { reason: meeting.cancelReason ?? "" })}</p> : null}
        <dl className="plan-facts meeting-facts">
          <dt>{t("meetingPage.when")}</dt>
          <dd>
            <MeetingTime startsAt={meeting.startsAt} endsAt={meeting.endsAt} />
          </dd>
          {meeting.location ? (
            <>
              <dt>{t("meetings.location")}</dt>
              <dd>{meeting.location}</dd>
            </>
          ) : null}
          {meeting.videoUrl ? (
            <>
              <dt>{t("meetings.video")}</dt>
              <dd className="meeting-facts__url">
                <a href={meeting.videoUrl} rel="noreferrer noopener">
                  {meeting.videoUrl}
                </a>
              </dd>
            </>
          ) : null}
          {meeting.group ? (
            <>
              <dt>{t("groups.meetingOf")}</dt>
              <dd>
                <Link to={`/councils/${council.slug}/groups/${meeting.group.id}`}>{meeting.group.name}</Link>
              </dd>
            </>
          ) : null}
          {series ? (
            <>
              <dt>{t("series.partOf")}</dt>
              <dd>
                {series.title}
                {series.rule ? (
                  <>
                    {" – "}
                    <SeriesRule rule={series.rule} />
                  </>
                ) : null}
                {`, ${t("series.position", { position: series.position, total: series.total })}`}
                {series.previous || series.next ? (
                  <ul className="series-nav" aria-label={t("series.neighbours")}>
                    {series.previous ? (
                      <li>
                        <Link to={`/councils/${council.slug}/meetings/${series.previous.id}`} rel="prev">
                          ← {t("series.previous")}: <SeriesDate startsAt={series.previous.startsAt} />
                        </Link>
                      </li>
                    ) : null}
                    {series.next ? (
                      <li>
                        <Link to={`/councils/${council.slug}/meetings/${series.next.id}`} rel="next">
                          {t("series.next")}: <SeriesDate startsAt={series.next.startsAt} /> →
                        </Link>
                      </li>
                    ) : null}
                  </ul>
                ) : null}
              </dd>
            </>
          ) : null}
          {minutesStatus ? (
            <>
              <dt>{t("minutes.link")}</dt>
              <dd>
                <Link to={minutesPath}>{t(`minutes.status.${minutesStatus}`)}</Link>
              </dd>
            </>
          ) : null}
        </dl>

        {/* What this person can do now: the page's tasks, each one step away. */}
        <ul className="meeting-todo" aria-label={t("meetingPage.todo")}>
          {canRespond ? (
            <li>
              <a href="#rsvp-h">{myRsvp ? t("meetingPage.todo.rsvpGiven", { answer: t(`meetings.rsvp.${myRsvp.response}`) }) : t("meetingPage.todo.rsvp")}</a>
            </li>
          ) : null}
          {canAnswerPoll ? (
            <li>
              <a href="#poll-h">{t("meetingPage.todo.poll")}</a>
            </li>
          ) : null}
          {canPropose && !canManage ? (
            <li>
              <a href="#agenda-add-h">{t("meetingPage.todo.propose")}</a>
            </li>
          ) : null}
          {minutesStatus ? (
            <li>
              <Link to={minutesPath}>{canWriteMinutes && minutesStatus === "draft" ? t("meetingPage.todo.writeMinutes") : t("meetingPage.todo.readMinutes")}</Link>
            </li>
          ) : null}
          {meeting.status !== "draft" && phase !== "cancelled" ? (
            <li>
              <a href={`/councils/${council.slug}/meetings/${meeting.id}/calendar.ics`} download>
                {t("meetings.ics")}
              </a>
            </li>
          ) : null}
          {pdfs.minutes ? (
            <li>
              <a href={pdfs.minutes.url} download>{pdfs.minutes.draft ? t("pdf.link.minutesDraft") : t("pdf.link.minutes")}</a>
            </li>
          ) : null}
          <li>
            <a href={pdfs.book} download>{t("pdf.link.book")}</a>
          </li>
          {meeting.status !== "draft" && !minutesStatus ? (
            <li>
              <Link to={minutesPath}>{t("minutes.link")}</Link>
            </li>
          ) : null}
        </ul>

        {can.convene || can.edit || can.cancel || can.series ? (
          <div className="meeting-actions">
            {can.convene ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="intent" value="convene" />
                <button type="submit">{t("meetings.convene")}</button>
              </Form>
            ) : null}
            {can.edit ? (
              <DisclosureDialog
                id="edit"
                title={editTitle}
                opener={
                  <>
                    <Pencil aria-hidden="true" size={16} /> {editTitle}
                  </>
                }
                open={dialogOpen("edit", "update")}
                done={done === "update" ? result : undefined}
              >
                {can.move ? null : <p className="hint">{t("meetingPage.timeFixed")}</p>}
                <MeetingForm
                  intent="update"
                  submit={t("meetings.save")}
                  errors={failed?.intent === "update" ? failed.errors : undefined}
                  values={failed?.intent === "update" ? failed.values : formValues}
                  fixedTime={!can.move}
                />
              </DisclosureDialog>
            ) : null}
            {can.cancel ? (
              <DisclosureDialog
                id="cancel"
                title={t("meetingPage.cancelTitle")}
                openerClassName="button button--secondary button--danger-text"
                opener={
                  <>
                    <CalendarX aria-hidden="true" size={16} /> {t("meetings.cancel")}
                  </>
                }
                open={dialogOpen("cancel", "cancel")}
              >
                <p>{t("meetingPage.cancelConfirm")}</p>
                <ErrorSummary errors={failed?.intent === "cancel" ? failed.errors : undefined} labels={{ reason: t("meetings.cancelReason") }} />
                <Form method="post" noValidate>
                  <input type="hidden" name="intent" value="cancel" />
                  <Field name="reason" label={t("meetings.cancelReason")} errors={failed?.intent === "cancel" ? failed.errors : undefined}>
                    {(a) => <textarea {...a} />}
                  </Field>
                  <div className="dialog-buttons">
                    <button type="submit" className="button--danger">
                      {t("meetingPage.cancelSubmit")}
                    </button>
                    <DialogDismiss>{t("meetingPage.keep")}</DialogDismiss>
                  </div>
                </Form>
              </DisclosureDialog>
            ) : null}
            {can.series && series ? (
              <>
                <DisclosureDialog
                  id="series-change"
                  title={t("series.changeUpcomingTitle")}
                  openerClassName="button button--secondary"
                  opener={
                    <>
                      <CalendarClock aria-hidden="true" size={16} /> {t("series.changeUpcoming")}
                    </>
                  }
                  open={dialogOpen("series-change", "seriesUpdate")}
                >
                  <p>{t("series.changeUpcomingHint", { n: series.upcoming })}</p>
                  <ErrorSummary
                    errors={failed?.intent === "seriesUpdate" ? failed.errors : undefined}
                    idPrefix="series-"
                    labels={{ startTime: t("meetings.startTime"), endTime: t("meetings.endTime"), location: t("meetings.location"), videoUrl: t("meetings.videoUrl") }}
                  />
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="seriesUpdate" />
                    {(() => {
                      const errors = failed?.intent === "seriesUpdate" ? failed.errors : undefined;
                      const v = (failed?.intent === "seriesUpdate" ? failed.values : formValues) as Record<string, string>;
                      return (
                        <>
                          <div className="row-form">
                            <Field name="startTime" idPrefix="series-" label={t("meetings.startTime")} errors={errors}>
                              {(a) => <input {...a} type="time" defaultValue={v.startTime ?? ""} />}
                            </Field>
                            <Field name="endTime" idPrefix="series-" label={t("meetings.endTime")} errors={errors}>
                              {(a) => <input {...a} type="time" defaultValue={v.endTime ?? ""} />}
                            </Field>
                          </div>
                          <Field name="location" idPrefix="series-" label={t("meetings.location")} errors={errors} optional>
                            {(a) => <input {...a} type="text" defaultValue={v.location ?? ""} />}
                          </Field>
                          <Field name="videoUrl" idPrefix="series-" label={t("meetings.videoUrl")} errors={errors} optional>
                            {(a) => <input {...a} type="url" defaultValue={v.videoUrl ?? ""} />}
                          </Field>
                        </>
                      );
                    })()}
                    <div className="dialog-buttons">
                      <button type="submit">{t("series.changeSubmit")}</button>
                      <DialogDismiss>{t("meetingPage.keep")}</DialogDismiss>
                    </div>
                  </Form>
                </DisclosureDialog>
                <DisclosureDialog
                  id="series-cancel"
                  title={t("series.cancelRest")}
                  openerClassName="button button--secondary button--danger-text"
                  opener={
                    <>
                      <CalendarX aria-hidden="true" size={16} /> {t("series.cancelRest")}
                    </>
                  }
                  open={dialogOpen("series-cancel", "seriesCancel")}
                >
                  <p>{t("series.cancelRestHint", { n: series.upcoming })}</p>
                  <ErrorSummary errors={failed?.intent === "seriesCancel" ? failed.errors : undefined} idPrefix="series-" labels={{ reason: t("meetings.cancelReason") }} />
                  <Form method="post" noValidate>
                    <input type="hidden" name="intent" value="seriesCancel" />
                    <Field name="reason" idPrefix="series-" label={t("meetings.cancelReason")} errors={failed?.intent === "seriesCancel" ? failed.errors : undefined}>
                      {(a) => <textarea {...a} />}
                    </Field>
                    <div className="dialog-buttons">
                      <button type="submit" className="button--danger">
                        {t("series.cancelRestSubmit")}
                      </button>
                      <DialogDismiss>{t("meetingPage.keep")}</DialogDismiss>
                    </div>
                  </Form>
                </DisclosureDialog>
              </>
            ) : null}
          </div>
        ) : null}
      </section>

      <div aria-live="polite">
        {done === "convene" ? <p className="notice">{t("meetings.convened")}</p> : null}
        {done === "update" ? <p className="notice">{t("meetings.saved")}</p> : null}
        {done === "cancel" ? <p className="notice">{t("meetings.cancelled")}</p> : null}
        {done === "seriesUpdate" ? <p className="notice">{t("series.changed", { n: (result as { n?: number }).n ?? 0 })}</p> : null}
        {done === "seriesCancel" ? <p className="notice">{t("series.cancelledRest", { n: (result as { n?: number }).n ?? 0 })}</p> : null}
        {done === "rsvp" ? <p className="notice">{t("meetings.rsvpSaved")}</p> : null}
        {done === "createPoll" ? <p className="notice">{t("poll.created")}</p> : null}
        {done === "answerPoll" ? <p className="notice">{t("poll.answered")}</p> : null}
        {done === "chooseSlot" ? <p className="notice">{t("poll.chosen")}</p> : null}
        {done === "addAgenda" || done === "agenda" ? <p className="notice">{t("agenda.added")}</p> : null}
        {done === "editAgenda" ? <p className="notice">{t("agenda.saved")}</p> : null}
        {done === "deleteAgenda" ? <p className="notice">{t("agenda.deleted")}</p> : null}
        {done === "proposeAgenda" ? <p className="notice">{t("agenda.proposedDone")}</p> : null}
      </div>
      {failed && !(shownInItsForm || ["createPoll", "chooseSlot"].includes(failed.intent ?? "")) ? <ErrorSummary errors={failed.errors} labels={{}} /> : null}

      {meeting.description ? <p className="plan-text--multi">{meeting.description}</p> : null}

      {poll || (canManage && meeting.status === "draft") ? (
        <PollSection
          poll={poll ?? null}
          canManage={canManage && meeting.status === "draft"}
          canAnswer={!!canAnswerPoll}
          me={me}
          failed={failed && ["createPoll", "chooseSlot", "answerPoll"].includes(failed.intent ?? "") ? failed : undefined}
        />
      ) : null}

      {canRespond ? (
        <section aria-labelledby="rsvp-h">
          <h2 id="rsvp-h">{t("meetings.rsvp")}</h2>
          <ErrorSummary errors={failed?.intent === "rsvp" ? failed.errors : undefined} labels={{ note: t("meetings.rsvpNote") }} />
          <Form method="post">
            <input type="hidden" name="intent" value="rsvp" />
            <fieldset>
              <legend className="visually-hidden">{t("meetings.rsvp")}</legend>
              {RSVP_RESPONSES.map((r) => (
                <div key={r}>
                  <input type="radio" id={`rsvp-${r}`} name="response" value={r} defaultChecked={myRsvp?.response === r} />{" "}
                  <label htmlFor={`rsvp-${r}`}>{t(`meetings.rsvp.${r}`)}</label>
                </div>
              ))}
            </fieldset>
            <Field name="note" label={t("meetings.rsvpNote")} errors={failed?.intent === "rsvp" ? failed.errors : undefined} optional>
              {(a) => <input {...a} type="text" defaultValue={myRsvp?.note ?? ""} />}
            </Field>
            <button type="submit">{t("meetings.rsvpSave")}</button>
          </Form>
        </section>
      ) : null}

      <AgendaSection
        items={agenda}
        canManage={can.editAgenda}
        canPropose={canPropose}
        addOnDemand={phase === "ongoing" || phase === "held"}
        planLinks={planLinks}
        failed={failed?.intent === "addAgenda" || failed?.intent === "editAgenda" ? failed : undefined}
        succeeded={result && result.ok && AGENDA_INTENTS.includes(result.intent) ? result : undefined}
        meetingEndsAt={meeting.endsAt}
        attachments={attachments}
      />

      <AttachmentsSection
        action={`/councils/${council.slug}/meetings/${meeting.id}/attachments`}
        files={attachments}
        targets={attachTargets}
        limits={fileLimits}
        outcome={attachmentOutcome}
      />

      {meeting.status !== "draft" ? (
        <section aria-labelledby="responses-h">
          <h2 id="responses-h">{t("meetings.responses")}</h2>
          {rsvps.length === 0 ? (
            <p>{t("meetings.noResponses")}</p>
          ) : (
            <ul>
              {rsvps.map((r) => (
                <li key={r.userId}>
                  {t.person(r.name)}: {t(`meetings.rsvp.${r.response}`)}
                  {r.note ? ` – ${r.note}` : ""}
                </li>
              ))}
            </ul>
          )}
        </section>
      ) : null}
    </div>
  );
}

/** A neighbouring meeting's date in the series navigation ("tisdag 12 januari 2027"). */
function SeriesDate({ startsAt }: { startsAt: string | null }) {
  const t = useT();
  if (!startsAt) return <>{t("meetings.noTimeYet")}</>;
  return <time dateTime={startsAt}>{formatMeetingTime(t.locale, startsAt, startsAt).date}</time>;
}
