// Joint statements (gemensamma uttalanden) and action proposals (åtgärdsförslag):
// drafted as a live text (Yjs `statement:<id>`, the same server and rights as minutes),
// discussed in comments, and decided by the council, either in a decision poll
// (agree / abstain / disagree / block, a closing time, an optional quorum) or by
// a decision recorded at a meeting. The adopted text is frozen and published to
// observers; an adopted proposal's actions can be put into a plan.
// docs/decisions/012-statements.md
import * as Y from "yjs";
import type { Db } from "../../db";
import type { PollOutcome, Statement, StatementKind, Vote } from "../../db/schema";
import { recordActivity } from "./activity";
import { recordAudit } from "./audit";
import type { Deps, DocOps } from "./deps";
import { DomainError } from "./errors";
import { forShare, forUpdate } from "./locks";
import { newId } from "./ids";
import { councilAudience, notify, publishCouncilLife } from "./notifications";
import { addActionsToGoal, xmlToText } from "./plan-doc";
import { findPlan, planDocName } from "./plans";
import { nowIso } from "./time";

import { statementDocName } from "./doc-names";
export { statementDocName };
const path = (id: string) => `statements/${id}`;

async function requireStatement(db: Db, councilId: string, id: string): Promise<Statement> {
  const s = await db.selectFrom("statements").selectAll().where("id", "=", id).where("council_id", "=", councilId).executeTakeFirst();
  if (!s) throw new DomainError("error.statementNotFound", 404);
  return s;
}

export async function getStatement(db: Db, councilId: string, id: string): Promise<Statement | undefined> {
  return db.selectFrom("statements").selectAll().where("id", "=", id).where("council_id", "=", councilId).executeTakeFirst();
}

/** Newest first. Drafts, polls under way and withdrawn texts only for those who may draft. */
export async function listStatements(db: Db, councilId: string, opts: { includeUnpublished: boolean }) {
  let q = db
    .selectFrom("statements as s")
    .leftJoin("users as u", "u.id", "s.created_by")
    .select(["s.id", "s.kind", "s.title", "s.status", "s.created_at", "s.adopted_at", "u.name as author"])
    .where("s.council_id", "=", councilId);
  if (!opts.includeUnpublished) q = q.where("s.status", "=", "adopted");
  return q.orderBy("s.created_at", "desc").execute();
}

export async function createStatement({ db, events }: Deps, input: { councilId: string; kind: StatementKind; title: string; actorId: string }, now = new Date()): Promise<string> {
  const id = newId();
  await db.transaction().execute(async (trx) => {
    await trx
      .insertInto("statements")
      .values({
        id,
        council_id: input.councilId,
        kind: input.kind,
        title: input.title,
        status: "draft",
        created_by: input.actorId,
        created_at: nowIso(now),
        adopted_at: null,
        adopted_by: null,
        decided_via: null,
        meeting_id: null,
        decision_text: null,
        frozen_text: null,
        frozen_state: null,
        converted_plan_id: null,
        converted_at: null,
      })
      .execute();
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "statement_drafted", params: { title: input.title, kind: input.kind }, path: path(id), audience: "contributors" }, now);
  });
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: id });
  publishCouncilLife(events, input.councilId, [], true);
  return id;
}

// ---- comments ----

export async function addComment({ db, events }: Deps, input: { councilId: string; statementId: string; userId: string; body: string }, now = new Date()) {
  const s = await requireStatement(db, input.councilId, input.statementId);
  if (s.status === "adopted" || s.status === "withdrawn") throw new DomainError("error.statementClosed", 409);
  await db.insertInto("statement_comments").values({ id: newId(), statement_id: s.id, user_id: input.userId, body: input.body, created_at: nowIso(now) }).execute();
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
}

export async function listComments(db: Db, statementId: string) {
  return db
    .selectFrom("statement_comments as c")
    .leftJoin("users as u", "u.id", "c.user_id")
    .select(["c.id", "c.body", "c.created_at", "u.name as author"])
    .where("c.statement_id", "=", statementId)
    .orderBy("c.created_at")
    .execute();
}

// ---- proposed actions (proposals only, while a draft) ----

export async function addProposalAction(
  { db, events }: Deps,
  input: { councilId: string; statementId: string; title: string; responsibleOrg: string; dueDate: string | null },
) {
  const s = await requireStatement(db, input.councilId, input.statementId);
  if (s.kind !== "proposal") throw new DomainError("error.notProposal", 400);
  if (s.status !== "draft") throw new DomainError("error.statementLocked", 409);
  const last = await db.selectFrom("proposal_actions").select((eb) => eb.fn.max("position").as("p")).where("statement_id", "=", s.id).executeTakeFirst();
  await db
    .insertInto("proposal_actions")
    .values({ id: newId(), statement_id: s.id, position: Number(last?.p ?? -1) + 1, title: input.title, responsible_org: input.responsibleOrg, due_date: input.dueDate, plan_action_id: null })
    .execute();
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
}

export async function removeProposalAction({ db, events }: Deps, input: { councilId: string; statementId: string; actionId: string }) {
  const s = await requireStatement(db, input.councilId, input.statementId);
  if (s.status !== "draft") throw new DomainError("error.statementLocked", 409);
  const res = await db.deleteFrom("proposal_actions").where("id", "=", input.actionId).where("statement_id", "=", s.id).executeTakeFirst();
  if (Number(res.numDeletedRows) !== 1) throw new DomainError("error.unknown", 404);
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
}

export async function listProposalActions(db: Db, statementId: string) {
  return db.selectFrom("proposal_actions").selectAll().where("statement_id", "=", statementId).orderBy("position").execute();
}

// ---- decision polls ----

export interface Tally {
  agree: number;
  abstain: number;
  disagree: number;
  block: number;
  total: number;
}

/**
 * The outcome of a closed poll. Below the quorum nothing is decided; any block
 * stops adoption (a block is a veto: "I cannot live with this"); otherwise it is
 * adopted when more agree than disagree.
 */
export function pollOutcome(t: Tally, quorum: number | null): PollOutcome {
  if (quorum !== null && t.total < quorum) return "no_quorum";
  if (t.block > 0) return "blocked";
  return t.agree > t.disagree ? "adopted" : "rejected";
}

export async function tally(db: Db, pollId: string): Promise<Tally> {
  const votes = await db.selectFrom("decision_votes").select("vote").where("poll_id", "=", pollId).execute();
  const t: Tally = { agree: 0, abstain: 0, disagree: 0, block: 0, total: votes.length };
  for (const v of votes) t[v.vote]++;
  return t;
}

export async function currentPoll(db: Db, statementId: string) {
  return db.selectFrom("decision_polls").selectAll().where("statement_id", "=", statementId).orderBy("created_at", "desc").executeTakeFirst();
}

export async function listVotes(db: Db, pollId: string) {
  return db
    .selectFrom("decision_votes as v")
    .innerJoin("users as u", "u.id", "v.user_id")
    .select(["v.user_id as userId", "u.name", "v.vote", "v.reason", "v.updated_at as updatedAt"])
    .where("v.poll_id", "=", pollId)
    .orderBy("u.name")
    .execute();
}

/** Open a decision poll: the text is locked (no more edits) until the poll closes. */
export async function openDecisionPoll(
  { db, events }: Deps,
  input: { councilId: string; statementId: string; actorId: string; closesAt: string; quorum: number | null },
  now = new Date(),
) {
  const s = await requireStatement(db, input.councilId, input.statementId);
  if (s.status !== "draft") throw new DomainError("error.statementLocked", 409);
  if (input.closesAt <= nowIso(now)) throw new DomainError("error.closesInPast", 400, "closesDate");
  const notified = await db.transaction().execute(async (trx) => {
    const moved = await trx.updateTable("statements").set({ status: "deciding" }).where("id", "=", s.id).where("status", "=", "draft").executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) throw new DomainError("error.statementLocked", 409);
    await trx
      .insertInto("decision_polls")
      .values({ id: newId(), statement_id: s.id, created_by: input.actorId, created_at: nowIso(now), closes_at: input.closesAt, quorum: input.quorum, status: "open", outcome: null, closed_at: null })
      .execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "statement.poll_opened", subject: s.id, after: { closesAt: input.closesAt, quorum: input.quorum } }, now);
    const params = { title: s.title, closesAt: input.closesAt };
    await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "decision_opened", params, path: path(s.id), audience: "contributors" }, now);
    const voters = await councilAudience(trx, input.councilId, "statement:vote", { except: input.actorId });
    return notify(trx, { kind: "decision_opened", councilId: input.councilId, recipients: voters, params, path: path(s.id) }, now);
  });
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
  publishCouncilLife(events, input.councilId, notified, true);
}

export async function castVote(
  { db, events }: Deps,
  input: { councilId: string; statementId: string; userId: string; vote: Vote; reason: string },
  now = new Date(),
) {
  const s = await requireStatement(db, input.councilId, input.statementId);
  // A block stops the decision, so the others deserve to know why.
  if (input.vote === "block" && !input.reason) throw new DomainError("error.blockReason", 400, "reason");
  await db.transaction().execute(async (trx) => {
    // The poll's row is kept as it is until the vote is in (locks.ts): votes run side by side,
    // and closing the poll (an update of that row) waits for them, so it tallies every vote it accepted.
    const poll = await forShare(trx, trx.selectFrom("decision_polls").selectAll().where("statement_id", "=", s.id).orderBy("created_at", "desc").limit(1)).executeTakeFirst();
    if (s.status !== "deciding" || !poll || poll.status !== "open" || poll.closes_at <= nowIso(now)) throw new DomainError("error.pollClosed", 409);
    await trx
      .insertInto("decision_votes")
      .values({ poll_id: poll.id, user_id: input.userId, vote: input.vote, reason: input.reason, updated_at: nowIso(now) })
      .onConflict((oc) => oc.columns(["poll_id", "user_id"]).doUpdateSet({ vote: input.vote, reason: input.reason, updated_at: nowIso(now) }))
      .execute();
  });
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
}

/**
 * Close the open poll (the leader early, or the jobs at its closing time) and
 * act on the outcome: adopted → frozen and published; otherwise back to draft.
 */
export async function closeDecisionPoll(
  deps: Deps,
  docs: Pick<DocOps, "freeze">,
  input: { councilId: string; statementId: string; actorId: string | null },
  now = new Date(),
): Promise<PollOutcome> {
  const { db, events } = deps;
  const s = await requireStatement(db, input.councilId, input.statementId);
  const poll = await currentPoll(db, s.id);
  if (s.status !== "deciding" || !poll || poll.status !== "open") throw new DomainError("error.pollClosed", 409);
  // Hold the poll's row, then tally and close it in the same transaction: holding it waits for
  // votes still being cast (castVote keeps the row as it is), and no vote is accepted after.
  const outcome = await db.transaction().execute(async (trx) => {
    const open = await forUpdate(trx, trx.selectFrom("decision_polls").select("id").where("id", "=", poll.id).where("status", "=", "open")).executeTakeFirst();
    if (!open) throw new DomainError("error.pollClosed", 409);
    const outcome = pollOutcome(await tally(trx, poll.id), poll.quorum);
    await trx.updateTable("decision_polls").set({ status: "closed", outcome, closed_at: nowIso(now) }).where("id", "=", poll.id).execute();
    return outcome;
  });
  if (outcome === "adopted") {
    await adopt(deps, docs, s, { actorId: input.actorId ?? poll.created_by, via: "poll", meetingId: null, decisionText: null }, now);
  } else {
    await db.transaction().execute(async (trx) => {
      await trx.updateTable("statements").set({ status: "draft" }).where("id", "=", s.id).execute();
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "statement.poll_closed", subject: s.id, after: { outcome } }, now);
      await recordActivity(trx, { councilId: input.councilId, actorId: input.actorId, kind: "decision_not_adopted", params: { title: s.title, outcome }, path: path(s.id), audience: "contributors" }, now);
    });
    events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
    publishCouncilLife(events, input.councilId, [], true);
  }
  return outcome;
}

/**
 * Adopted by a decision recorded in a meeting's minutes: an agenda item of a
 * meeting that has been held, with its decision (beslut) written down.
 */
export async function adoptByAgendaDecision(
  deps: Deps,
  docs: Pick<DocOps, "freeze">,
  input: { councilId: string; statementId: string; actorId: string; agendaItemId: string },
  now = new Date(),
) {
  const item = await deps.db
    .selectFrom("agenda_items as i")
    .innerJoin("meetings as m", "m.id", "i.meeting_id")
    .select(["m.id as meetingId", "i.decision"])
    .where("i.id", "=", input.agendaItemId)
    .where("m.council_id", "=", input.councilId)
    .executeTakeFirst();
  if (!item) throw new DomainError("error.agendaItemNotFound", 400, "agendaItemId");
  if (!item.decision) throw new DomainError("error.noDecisionRecorded", 400, "agendaItemId");
  await adoptAtMeeting(deps, docs, { councilId: input.councilId, statementId: input.statementId, actorId: input.actorId, meetingId: item.meetingId, decisionText: item.decision }, now);
}

/** Adopted at a meeting: the decision (beslut) is recorded with the meeting it was taken at. */
export async function adoptAtMeeting(
  deps: Deps,
  docs: Pick<DocOps, "freeze">,
  input: { councilId: string; statementId: string; actorId: string; meetingId: string; decisionText: string },
  now = new Date(),
) {
  const s = await requireStatement(deps.db, input.councilId, input.statementId);
  if (s.status !== "draft" && s.status !== "deciding") throw new DomainError("error.statementClosed", 409);
  const meeting = await deps.db.selectFrom("meetings").select(["id", "status", "starts_at"]).where("id", "=", input.meetingId).where("council_id", "=", input.councilId).executeTakeFirst();
  if (!meeting || meeting.status !== "convened") throw new DomainError("error.meetingNotConvened", 400, "meetingId");
  if (!meeting.starts_at || meeting.starts_at > nowIso(now)) throw new DomainError("error.meetingNotHeld", 400, "meetingId");
  // A poll still open is superseded by the meeting's decision.
  await deps.db.updateTable("decision_polls").set({ status: "closed", closed_at: nowIso(now) }).where("statement_id", "=", s.id).where("status", "=", "open").execute();
  await adopt(deps, docs, s, { actorId: input.actorId, via: "meeting", meetingId: meeting.id, decisionText: input.decisionText }, now);
}

async function adopt(
  { db, events }: Deps,
  docs: Pick<DocOps, "freeze">,
  s: Statement,
  how: { actorId: string | null; via: "poll" | "meeting"; meetingId: string | null; decisionText: string | null },
  now: Date,
) {
  let notified: string[] = [];
  // Frozen through the live document's queue: nothing can land between the state we keep and the lock.
  await docs.freeze(statementDocName(s.id), null, async (state, trx) => {
    const doc = new Y.Doc();
    Y.applyUpdate(doc, state);
    const text = xmlToText(doc.getXmlFragment("content"));
    doc.destroy();
    await trx
      .updateTable("statements")
      .set({ status: "adopted", adopted_at: nowIso(now), adopted_by: how.actorId, decided_via: how.via, meeting_id: how.meetingId, decision_text: how.decisionText, frozen_text: text, frozen_state: state })
      .where("id", "=", s.id)
      .execute();
    await recordAudit(trx, { councilId: s.council_id, actorId: how.actorId, action: "statement.adopted", subject: s.id, after: { title: s.title, via: how.via, meetingId: how.meetingId, decision: how.decisionText } }, now);
    const params = { title: s.title, kind: s.kind };
    await recordActivity(trx, { councilId: s.council_id, actorId: how.actorId, kind: "statement_adopted", params, path: path(s.id), audience: "council" }, now);
    const everyone = await councilAudience(trx, s.council_id, "council:view", { except: how.actorId });
    notified = await notify(trx, { kind: "statement_adopted", councilId: s.council_id, recipients: everyone, params, path: path(s.id) }, now);
  });
  events.publish({ type: "statement.changed", councilId: s.council_id, statementId: s.id });
  publishCouncilLife(events, s.council_id, notified, true);
}

export async function withdrawStatement({ db, events }: Deps, input: { councilId: string; statementId: string; actorId: string }, now = new Date()) {
  const s = await requireStatement(db, input.councilId, input.statementId);
  if (s.status === "adopted" || s.status === "withdrawn") throw new DomainError("error.statementClosed", 409);
  await db.transaction().execute(async (trx) => {
    await trx.updateTable("statements").set({ status: "withdrawn" }).where("id", "=", s.id).execute();
    await trx.updateTable("decision_polls").set({ status: "closed", closed_at: nowIso(now) }).where("statement_id", "=", s.id).where("status", "=", "open").execute();
    await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "statement.withdrawn", subject: s.id }, now);
  });
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
}

/** Polls past their closing time are closed (by the background jobs). */
export async function closeDuePolls(deps: Deps, docs: Pick<DocOps, "freeze">, now = new Date()): Promise<number> {
  const due = await deps.db
    .selectFrom("decision_polls as p")
    .innerJoin("statements as s", "s.id", "p.statement_id")
    .select(["s.id", "s.council_id"])
    .where("p.status", "=", "open")
    .where("p.closes_at", "<=", nowIso(now))
    .execute();
  let closed = 0;
  for (const d of due) {
    try {
      await closeDecisionPoll(deps, docs, { councilId: d.council_id, statementId: d.id, actorId: null }, now);
      closed++;
    } catch (err) {
      if (!(err instanceof DomainError)) throw err; // closed meanwhile by the leader
    }
  }
  return closed;
}

// ---- an adopted proposal becomes plan actions ----

/** Put every proposed action into the plan for `year`, under one goal, as a server-side Yjs change. */
export async function convertProposal(
  { db, events }: Deps,
  docs: Pick<DocOps, "applyServerChange">,
  input: { councilId: string; statementId: string; actorId: string; year: number; goalId: string },
  now = new Date(),
): Promise<number> {
  const s = await requireStatement(db, input.councilId, input.statementId);
  if (s.kind !== "proposal") throw new DomainError("error.notProposal", 400);
  if (s.status !== "adopted") throw new DomainError("error.notAdopted", 409);
  if (s.converted_at) throw new DomainError("error.alreadyConverted", 409);
  const plan = await findPlan(db, input.councilId, input.year);
  if (!plan) throw new DomainError("error.planNotFound", 404, "year");
  if (plan.status === "adopted") throw new DomainError("error.planAdopted", 409, "year");
  const actions = await listProposalActions(db, s.id);
  if (!actions.length) throw new DomainError("error.noProposedActions", 400);
  const ids = actions.map(() => newId());
  await docs.applyServerChange(
    planDocName(plan.id),
    (doc) => {
      const added = actions.map((a, i) => ({ id: ids[i], title: a.title, responsibleOrg: a.responsible_org, dueDate: a.due_date }));
      if (!addActionsToGoal(doc, input.goalId, added)) throw new DomainError("error.goal", 400, "goalId");
    },
    async (trx) => {
      // Claimed in the same transaction as the plan change: a second conversion finds it taken.
      const claimed = await trx.updateTable("statements").set({ converted_plan_id: plan.id, converted_at: nowIso(now) }).where("id", "=", s.id).where("converted_at", "is", null).executeTakeFirst();
      if (Number(claimed.numUpdatedRows) !== 1) throw new DomainError("error.alreadyConverted", 409);
      for (const [i, a] of actions.entries()) await trx.updateTable("proposal_actions").set({ plan_action_id: ids[i] }).where("id", "=", a.id).execute();
      await recordAudit(trx, { councilId: input.councilId, actorId: input.actorId, action: "statement.converted", subject: s.id, after: { year: input.year, actions: actions.length } }, now);
    },
  );
  events.publish({ type: "statement.changed", councilId: input.councilId, statementId: s.id });
  return actions.length;
}
