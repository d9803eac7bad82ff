// One statement or action proposal: its live text while a draft, comments, the
// proposed actions, the decision poll (agree / abstain / disagree / block), the
// leader's tools (open and close the poll, record a meeting's decision, withdraw,
// put an adopted proposal's actions into a plan), and the frozen adopted text.
import { richTextStateToHtml } from "../../server/domain/rich-text-html";
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { VOTES } from "../../db/schema";
import { listRecordedDecisions } from "../../server/domain/agenda";
import { listHeldMeetings } from "../../server/domain/meetings";
import { openGoalOptions } from "../../server/domain/plans";
import { can, type CouncilAction } from "../../server/domain/permissions";
import { pollOutcome } from "../../server/domain/statements";
import {
  adoptAtMeetingSchema,
  adoptByDecisionSchema,
  commentSchema,
  convertProposalSchema,
  decisionPollSchema,
  proposalActionRefSchema,
  proposalActionSchema,
  voteSchema,
} from "../../server/domain/schemas";
import {
  addComment,
  addProposalAction,
  adoptAtMeeting,
  adoptByAgendaDecision,
  castVote,
  closeDecisionPoll,
  convertProposal,
  currentPoll,
  listComments,
  listProposalActions,
  listVotes,
  openDecisionPoll,
  removeProposalAction,
  statementDocName,
  tally,
  withdrawStatement,
} from "../../server/domain/statements";
import { ErrorSummary, Field } from "~/components/forms";
import { LiveMinutes } from "~/components/LiveMinutes";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireStatement } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (d) => [{ text: (d as { statement: { title: string } }).statement.title }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.statement", { statement: data.statement.title }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Observers see a statement once it is adopted (published), never before: 404 (requireStatement).
  const { council, membership, user, statement: s } = await requireStatement(request, context, params.slug, params.id);
  const canDraft = can(membership, "statement:draft");
  const poll = await currentPoll(context.db, s.id);
  const canDecide = can(membership, "statement:decide");
  const now = new Date();
  const deciding = canDecide && (s.status === "draft" || s.status === "deciding");
  const meetings = deciding ? await listHeldMeetings(context.db, council.id, now) : [];
  // Decisions recorded in the minutes of meetings held (agenda items with a decision), newest first.
  const decisions = deciding ? await listRecordedDecisions(context.db, council.id, membership, { heldBy: now.toISOString(), limit: 50 }) : [];
  const goals = canDecide && s.kind === "proposal" && s.status === "adopted" && !s.converted_at ? await openGoalOptions(context.db, council.id) : [];
  const t = poll ? await tally(context.db, poll.id) : null;
  const votes = poll && canDraft ? await listVotes(context.db, poll.id) : [];
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    me: { id: user.id, name: user.name },
    statement: {
      id: s.id,
      kind: s.kind,
      title: s.title,
      status: s.status,
      adoptedAt: s.adopted_at,
      decidedVia: s.decided_via,
      decisionText: s.decision_text,
      frozenText: s.frozen_text,
      // The adopted text with its structure, rendered safely on the server (rich-text-html.ts).
      frozenHtml: s.frozen_state ? richTextStateToHtml(s.frozen_state) : null,
      convertedAt: s.converted_at,
      meetingId: s.meeting_id,
    },
    docName: statementDocName(s.id),
    canDraft,
    canDecide,
    canVote: can(membership, "statement:vote"),
    comments: canDraft ? await listComments(context.db, s.id) : [],
    actions: s.kind === "proposal" ? await listProposalActions(context.db, s.id) : [],
    poll: poll && t ? { id: poll.id, status: poll.status, closesAt: poll.closes_at, quorum: poll.quorum, outcome: poll.outcome, tally: t, leading: pollOutcome(t, poll.quorum) } : null,
    votes,
    myVote: votes.find((v) => v.userId === user.id) ?? null,
    meetings,
    decisions,
    goals,
  };
}

const NEEDED: Record<string, CouncilAction> = {
  comment: "statement:draft",
  addAction: "statement:draft",
  removeAction: "statement:draft",
  vote: "statement:vote",
  openPoll: "statement:decide",
  closePoll: "statement:decide",
  adoptAtMeeting: "statement:decide",
  adoptByDecision: "statement:decide",
  withdraw: "statement:decide",
  convert: "statement:decide",
};

export async function action({ request, context, params }: ActionFunctionArgs) {
  const values = await readForm(request);
  const { council, user, statement: s } = await requireStatement(request, context, params.slug, params.id, NEEDED[values.intent] ?? "statement:decide");
  const deps = { db: context.db, events: context.events };
  const ids = { councilId: council.id, statementId: s.id };
  try {
    switch (values.intent) {
      case "comment": {
        const parsed = validate(commentSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await addComment(deps, { ...ids, userId: user.id, body: parsed.data.body });
        return { ok: true as const, intent: "comment" };
      }
      case "addAction": {
        const parsed = validate(proposalActionSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await addProposalAction(deps, { ...ids, ...parsed.data });
        return { ok: true as const, intent: "addAction" };
      }
      case "removeAction": {
        const parsed = validate(proposalActionRefSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await removeProposalAction(deps, { ...ids, actionId: parsed.data.actionId });
        return { ok: true as const, intent: "removeAction" };
      }
      case "openPoll": {
        const parsed = validate(decisionPollSchema(), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await openDecisionPoll(deps, { ...ids, actorId: user.id, ...parsed.data });
        return { ok: true as const, intent: "openPoll" };
      }
      case "vote": {
        const parsed = validate(voteSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await castVote(deps, { ...ids, userId: user.id, ...parsed.data });
        return { ok: true as const, intent: "vote" };
      }
      case "closePoll": {
        const outcome = await closeDecisionPoll(deps, context.collab, { ...ids, actorId: user.id });
        return { ok: true as const, intent: "closePoll", outcome };
      }
      case "adoptAtMeeting": {
        const parsed = validate(adoptAtMeetingSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await adoptAtMeeting(deps, context.collab, { ...ids, actorId: user.id, meetingId: parsed.data.meetingId, decisionText: parsed.data.decision });
        return { ok: true as const, intent: "adoptAtMeeting" };
      }
      case "adoptByDecision": {
        const parsed = validate(adoptByDecisionSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await adoptByAgendaDecision(deps, context.collab, { ...ids, actorId: user.id, agendaItemId: parsed.data.agendaItemId });
        return { ok: true as const, intent: "adoptByDecision" };
      }
      case "withdraw":
        await withdrawStatement(deps, { ...ids, actorId: user.id });
        return { ok: true as const, intent: "withdraw" };
      case "convert": {
        const parsed = validate(convertProposalSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const count = await convertProposal(deps, context.collab, { ...ids, actorId: user.id, ...parsed.data });
        return { ok: true as const, intent: "convert", count };
      }
      default:
        return formError("error.unknownIntent", values.intent);
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

export default function StatementPage() {
  const d = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  useCouncilLive(d.council.id);
  const s = d.statement;
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string) => (failed?.intent === intent ? failed.errors : undefined);
  const valuesFor = (intent: string): Record<string, string> => (failed?.intent === intent ? failed.values : {});
  const generalError = failed && !failed.intent ? failed.errors : undefined;
  return (
    <div className="page">
      <h1>{s.title}</h1>
      <p>
        <span className="badge">{t(`statements.kind.${s.kind}`)}</span>{" "}
        <span className={`badge statement-status statement-status--${s.status}`}>{t(`statements.status.${s.status}`)}</span>
      </p>
      <ErrorSummary errors={generalError} labels={{}} />
      <div aria-live="polite">
        {result?.ok && result.intent === "closePoll" && result.outcome ? <p className="notice">{t(`statements.outcome.${result.outcome}`)}</p> : null}
        {result?.ok && result.intent === "convert" ? <p className="notice">{t("statements.converted", { count: result.count })}</p> : null}
      </div>

      {s.status === "adopted" ? (
        <section aria-labelledby="text-h">
          <h2 id="text-h">{t("statements.adoptedText")}</h2>
          <p className="muted">
            {t("statements.adoptedOn", { date: t.date(s.adoptedAt!) })}
            {s.decidedVia === "meeting" && s.meetingId ? (
              <>
                {" · "}
                <Link to={`/councils/${d.council.slug}/meetings/${s.meetingId}`}>{t("statements.atMeeting")}</Link>
                {s.decisionText ? `: ${s.decisionText}` : null}
              </>
            ) : s.decidedVia === "poll" ? (
              ` · ${t("statements.byPoll")}`
            ) : null}
          </p>
          {s.frozenHtml !== null ? (
            <div className="prose frozen-text rich-text-view" dangerouslySetInnerHTML={{ __html: s.frozenHtml }} />
          ) : (
            <div className="prose frozen-text">
              {(s.frozenText ?? "").split(/\n\s*\n|\n/).filter((p) => p.trim()).map((p, i) => (
                <p key={i}>{p}</p>
              ))}
            </div>
          )}
        </section>
      ) : (
        <section aria-labelledby="text-h">
          <h2 id="text-h">{t("statements.text")}</h2>
          {s.status === "deciding" ? <p className="notice notice--info">{t("statements.lockedWhileDeciding")}</p> : null}
          <LiveMinutes docName={d.docName} me={d.me} editable={s.status === "draft" && d.canDraft} label={t("statements.text")} />
        </section>
      )}

      {s.kind === "proposal" ? (
        <section aria-labelledby="actions-h">
          <h2 id="actions-h">{t("statements.actions")}</h2>
          {d.actions.length === 0 ? <p>{t("statements.noActions")}</p> : null}
          <ul>
            {d.actions.map((a) => (
              <li key={a.id}>
                {a.title}
                {a.responsible_org ? `, ${a.responsible_org}` : null}
                {a.due_date ? ` (${t("statements.due", { date: t.date(a.due_date) })})` : null}
                {a.plan_action_id ? ` · ${t("statements.inPlan")}` : null}
                {s.status === "draft" && d.canDraft ? (
                  <Form method="post" className="inline-form">
                    <input type="hidden" name="intent" value="removeAction" />
                    <input type="hidden" name="actionId" value={a.id} />{" "}
                    <button type="submit" className="link-button">
                      {t("statements.removeAction")}
                      <span className="visually-hidden">: {a.title}</span>
                    </button>
                  </Form>
                ) : null}
              </li>
            ))}
          </ul>
          {s.status === "draft" && d.canDraft ? (
            <Form method="post">
              <input type="hidden" name="intent" value="addAction" />
              <ErrorSummary errors={errorsFor("addAction")} labels={{ title: t("statements.actionTitle") }} idPrefix="action-" />
              <Field name="title" idPrefix="action-" label={t("statements.actionTitle")} errors={errorsFor("addAction")}>
                {(p) => <input {...p} type="text" defaultValue={valuesFor("addAction").title} maxLength={300} />}
              </Field>
              <Field name="responsibleOrg" idPrefix="action-" label={t("statements.actionOrg")} errors={errorsFor("addAction")} optional>
                {(p) => <input {...p} type="text" defaultValue={valuesFor("addAction").responsibleOrg} maxLength={200} />}
              </Field>
              <Field name="dueDate" idPrefix="action-" label={t("statements.actionDue")} errors={errorsFor("addAction")} optional hint={t("statements.dateHint")}>
                {(p) => <input {...p} type="date" defaultValue={valuesFor("addAction").dueDate} />}
              </Field>
              <button type="submit">{t("statements.addAction")}</button>
            </Form>
          ) : null}
          {d.goals.length ? (
            <Form method="post">
              <input type="hidden" name="intent" value="convert" />
              <h3>{t("statements.convertTitle")}</h3>
              <ErrorSummary errors={errorsFor("convert")} labels={{ goalId: t("statements.goal") }} idPrefix="convert-" />
              <Field name="goalId" idPrefix="convert-" label={t("statements.goal")} errors={errorsFor("convert")}>
                {(p) => (
                  <select {...p} onChange={(e) => {
                    const year = e.currentTarget.selectedOptions[0]?.dataset.year;
                    const input = e.currentTarget.form?.elements.namedItem("year") as HTMLInputElement | null;
                    if (year && input) input.value = year;
                  }}>
                    {d.goals.map((g) => (
                      <option key={`${g.year}-${g.id}`} value={g.id} data-year={g.year}>
                        {g.year}: {g.areaTitle} – {g.title}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="year" idPrefix="convert-" label={t("statements.planYear")} errors={errorsFor("convert")}>
                {(p) => <input {...p} type="number" inputMode="numeric" defaultValue={d.goals[0].year} min={2000} max={2100} />}
              </Field>
              <button type="submit">{t("statements.convert")}</button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {d.poll && (s.status === "deciding" || d.poll.status === "closed") && s.status !== "withdrawn" ? (
        <section aria-labelledby="poll-h">
          <h2 id="poll-h">{t("statements.poll")}</h2>
          <p>
            {d.poll.status === "open" ? t("statements.pollCloses", { when: t.dateTime(d.poll.closesAt) }) : t("statements.pollClosed")}
            {d.poll.quorum ? ` · ${t("statements.quorumIs", { count: d.poll.quorum })}` : null}
            {d.poll.outcome ? ` · ${t(`statements.outcome.${d.poll.outcome}`)}` : null}
          </p>
          <table>
            <caption className="visually-hidden">{t("statements.tally")}</caption>
            <thead>
              <tr>
                {VOTES.map((v) => (
                  <th key={v} scope="col">
                    {t(`statements.vote.${v}`)}
                  </th>
                ))}
                <th scope="col">{t("statements.votesTotal")}</th>
              </tr>
            </thead>
            <tbody>
              <tr>
                {VOTES.map((v) => (
                  <td key={v}>{d.poll!.tally[v]}</td>
                ))}
                <td>{d.poll.tally.total}</td>
              </tr>
            </tbody>
          </table>
          {d.poll.status === "open" ? <p>{t("statements.leading", { outcome: t(`statements.outcome.${d.poll.leading}`) })}</p> : null}
          {d.votes.length ? (
            <ul>
              {d.votes.map((v) => (
                <li key={v.userId}>
                  {t.person(v.name)}: {t(`statements.vote.${v.vote}`)}
                  {v.reason ? ` – ${v.reason}` : null}
                </li>
              ))}
            </ul>
          ) : null}
          {d.poll.status === "open" && d.canVote ? (
            <Form method="post">
              <input type="hidden" name="intent" value="vote" />
              <ErrorSummary errors={errorsFor("vote")} labels={{ vote: t("statements.yourVote"), reason: t("statements.reason") }} idPrefix="vote-" />
              <fieldset>
                <legend>{t("statements.yourVote")}</legend>
                {VOTES.map((v) => (
                  <label key={v} className="prefs-option">
                    <input type="radio" name="vote" value={v} defaultChecked={(valuesFor("vote").vote ?? d.myVote?.vote) === v} /> {t(`statements.vote.${v}`)}
                  </label>
                ))}
              </fieldset>
              <Field name="reason" idPrefix="vote-" label={t("statements.reason")} hint={t("statements.reasonHint")} errors={errorsFor("vote")} optional>
                {(p) => <textarea {...p} rows={2} defaultValue={valuesFor("vote").reason ?? d.myVote?.reason ?? ""} maxLength={1000} />}
              </Field>
              <button type="submit">{d.myVote ? t("statements.changeVote") : t("statements.castVote")}</button>
            </Form>
          ) : null}
          {d.poll.status === "open" && d.canDecide ? (
            <Form method="post">
              <input type="hidden" name="intent" value="closePoll" />
              <button type="submit" className="button--secondary">
                {t("statements.closePoll")}
              </button>
            </Form>
          ) : null}
        </section>
      ) : null}

      {d.canDecide && s.status === "draft" ? (
        <section aria-labelledby="decide-h">
          <h2 id="decide-h">{t("statements.decideTitle")}</h2>
          <Form method="post">
            <input type="hidden" name="intent" value="openPoll" />
            <h3>{t("statements.openPoll")}</h3>
            <ErrorSummary errors={errorsFor("openPoll")} labels={{ closesDate: t("statements.closesDate"), closesTime: t("statements.closesTime"), quorum: t("statements.quorum") }} idPrefix="poll-" />
            <Field name="closesDate" idPrefix="poll-" label={t("statements.closesDate")} errors={errorsFor("openPoll")} hint={t("statements.dateHint")}>
              {(p) => <input {...p} type="date" defaultValue={valuesFor("openPoll").closesDate} />}
            </Field>
            <Field name="closesTime" idPrefix="poll-" label={t("statements.closesTime")} errors={errorsFor("openPoll")}>
              {(p) => <input {...p} type="time" defaultValue={valuesFor("openPoll").closesTime ?? "16:00"} />}
            </Field>
            <Field name="quorum" idPrefix="poll-" label={t("statements.quorum")} hint={t("statements.quorumHint")} errors={errorsFor("openPoll")} optional>
              {(p) => <input {...p} type="number" inputMode="numeric" min={1} defaultValue={valuesFor("openPoll").quorum} />}
            </Field>
            <button type="submit">{t("statements.openPollButton")}</button>
          </Form>
        </section>
      ) : null}

      {d.canDecide && (s.status === "draft" || s.status === "deciding") ? (
        <section aria-labelledby="meeting-h">
          <h2 id="meeting-h">{t("statements.adoptAtMeeting")}</h2>
          {d.decisions.length ? (
            <Form method="post">
              <input type="hidden" name="intent" value="adoptByDecision" />
              <h3>{t("statements.byRecordedDecision")}</h3>
              <ErrorSummary errors={errorsFor("adoptByDecision")} labels={{ agendaItemId: t("statements.recordedDecision") }} idPrefix="decision-" />
              <Field name="agendaItemId" idPrefix="decision-" label={t("statements.recordedDecision")} errors={errorsFor("adoptByDecision")}>
                {(p) => (
                  <select {...p} defaultValue={valuesFor("adoptByDecision").agendaItemId}>
                    {d.decisions.map((x) => (
                      <option key={x.id} value={x.id}>
                        {x.meetingTitle} ({t.date(x.startsAt)}), {x.title}: {x.decision}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <button type="submit">{t("statements.adoptButton")}</button>
            </Form>
          ) : null}
          <h3>{t("statements.byMeetingDecision")}</h3>
          {d.meetings.length === 0 ? (
            <p>{t("statements.noMeetings")}</p>
          ) : (
            <Form method="post">
              <input type="hidden" name="intent" value="adoptAtMeeting" />
              <ErrorSummary errors={errorsFor("adoptAtMeeting")} labels={{ meetingId: t("statements.meeting"), decision: t("statements.decision") }} idPrefix="adopt-" />
              <Field name="meetingId" idPrefix="adopt-" label={t("statements.meeting")} errors={errorsFor("adoptAtMeeting")}>
                {(p) => (
                  <select {...p} defaultValue={valuesFor("adoptAtMeeting").meetingId}>
                    {d.meetings.map((m) => (
                      <option key={m.id} value={m.id}>
                        {m.title} ({t.date(m.starts_at)})
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="decision" idPrefix="adopt-" label={t("statements.decision")} errors={errorsFor("adoptAtMeeting")}>
                {(p) => <textarea {...p} rows={2} defaultValue={valuesFor("adoptAtMeeting").decision ?? t("statements.decisionDefault")} maxLength={2000} />}
              </Field>
              <button type="submit">{t("statements.adoptButton")}</button>
            </Form>
          )}
          <Form method="post">
            <input type="hidden" name="intent" value="withdraw" />
            <button type="submit" className="button--secondary">
              {t("statements.withdraw")}
            </button>
          </Form>
        </section>
      ) : null}

      {d.canDraft && s.status !== "withdrawn" ? (
        <section aria-labelledby="comments-h">
          <h2 id="comments-h">{t("statements.comments")}</h2>
          {d.comments.length === 0 ? <p>{t("statements.noComments")}</p> : null}
          <ul className="activity-list">
            {d.comments.map((c) => (
              <li key={c.id}>
                <strong>{c.author ? t.person(c.author) : "–"}</strong> <span className="muted">{t.dateTime(c.created_at)}</span>
                <br />
                {c.body}
              </li>
            ))}
          </ul>
          {s.status !== "adopted" ? (
            <Form method="post">
              <input type="hidden" name="intent" value="comment" />
              <ErrorSummary errors={errorsFor("comment")} labels={{ body: t("statements.comment") }} idPrefix="comment-" />
              <Field name="body" idPrefix="comment-" label={t("statements.comment")} errors={errorsFor("comment")}>
                {(p) => <textarea {...p} rows={3} defaultValue={valuesFor("comment").body} maxLength={4000} />}
              </Field>
              <button type="submit">{t("statements.addComment")}</button>
            </Form>
          ) : null}
        </section>
      ) : null}
    </div>
  );
}
