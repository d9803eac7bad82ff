import { inTransaction, type Db } from "../../db";
import type { AgendaTemplateItem, Meeting, MeetingSeries } from "../../db/schema";
import { recordAudit } from "./audit";
import type { Deps } from "./deps";
import { DomainError } from "./errors";
import { newId } from "./ids";
import { cancelMeeting, conveneMeeting, createMeeting, meetingPhase, updateMeeting } from "./meetings";
import { describeRule, planSeries, rruleText, type SeriesRule } from "./series-rule";
import { nowIso, stockholmParts, stockholmToUtc } from "./time";

// Meeting series (mötesserier, issue #15, docs/decisions/042-meeting-series.md). A
// series is a rule that made ordinary meetings: each occurrence is a `meetings` row
// with `series_id`, edited, moved, convened and cancelled on its own by the functions
// in meetings.ts. The series-wide actions ("ändra kommande", "ställ in resten") are
// those same functions run for each occurrence still to come, so notices, calendar
// SEQUENCE and events follow the one rule for a single meeting.

export interface SeriesText {
  title: string;
  location: string;
  videoUrl: string | null;
  description: string;
}

/**
 * Make a series and its meetings in one transaction: all or nothing. Each meeting gets
 * the template's agenda. `convene`: each is convened once made (the notices go out
 * per meeting, as when a leader convenes them one by one).
 */
export async function createMeetingSeries(
  deps: Deps,
  input: SeriesText & { councilId: string; actorId: string; groupId?: string | null; agenda?: AgendaTemplateItem[]; rule: SeriesRule; convene: boolean },
  now = new Date(),
): Promise<{ series: MeetingSeries; meetings: Meeting[] }> {
  // The form's schema already planned the rule; the domain asks again (one rule, and an API caller).
  const plan = planSeries(input.rule, now);
  if (!plan.ok) throw new DomainError(plan.message, 400, plan.field);
  const series: MeetingSeries = {
    id: newId(),
    council_id: input.councilId,
    group_id: input.groupId ?? null,
    title: input.title,
    rule: rruleText(input.rule),
    first_date: plan.occurrences[0].date,
    start_time: input.rule.startTime,
    end_time: input.rule.endTime,
    created_by: input.actorId,
    created_at: nowIso(now),
    updated_at: nowIso(now),
  };
  const meetings = await inTransaction(deps.db, async (trx) => {
    await trx.insertInto("meeting_series").values(series).execute();
    const made: Meeting[] = [];
    for (const o of plan.occurrences) {
      made.push(
        await createMeeting(
          { ...deps, db: trx },
          { ...input, startsAt: o.startsAt, endsAt: o.endsAt, seriesId: series.id, groupId: input.groupId ?? null },
          now,
        ),
      );
    }
    await recordAudit(trx, {
      councilId: input.councilId,
      actorId: input.actorId,
      action: "meeting_series.created",
      subject: series.id,
      after: { title: series.title, rule: series.rule, startTime: series.start_time, endTime: series.end_time, dates: plan.occurrences.map((o) => o.date) },
    }, now);
    return made;
  });
  if (input.convene) {
    for (const m of meetings) await conveneMeeting(deps, { councilId: input.councilId, meetingId: m.id, actorId: input.actorId }, now);
  }
  return { series, meetings };
}

export async function getSeries(db: Db, councilId: string, seriesId: string): Promise<MeetingSeries | undefined> {
  return db.selectFrom("meeting_series").selectAll().where("id", "=", seriesId).where("council_id", "=", councilId).executeTakeFirst();
}

/** The series' meetings, in time order. */
export function seriesMeetings(db: Db, councilId: string, seriesId: string): Promise<Meeting[]> {
  return db.selectFrom("meetings").selectAll().where("series_id", "=", seriesId).where("council_id", "=", councilId).orderBy("starts_at").orderBy("id").execute();
}

/** Occurrences the series actions change: not started, not cancelled (a draft or a convened meeting to come). */
const isUpcoming = (m: Meeting, now: Date) => {
  const phase = meetingPhase(m, now);
  return phase === "draft" || phase === "upcoming";
};

/**
 * Where a meeting stands in its series, for its page: the series, the rule in parts
 * (the page words it), its place, and the previous and next occurrence the person may
 * see (drafts only for those who manage them).
 */
export async function seriesContext(db: Db, meeting: Meeting, opts: { includeDrafts: boolean }, now = new Date()) {
  if (!meeting.series_id) return null;
  const series = await getSeries(db, meeting.council_id, meeting.series_id);
  if (!series) return null;
  const all = (await seriesMeetings(db, meeting.council_id, series.id)).filter((m) => m.id === meeting.id || opts.includeDrafts || m.status !== "draft");
  const at = all.findIndex((m) => m.id === meeting.id);
  const link = (m: Meeting | undefined) => (m ? { id: m.id, startsAt: m.starts_at, status: m.status } : null);
  return {
    id: series.id,
    title: series.title,
    rule: describeRule(series.rule),
    position: at + 1,
    total: all.length,
    previous: link(all[at - 1]),
    next: link(all[at + 1]),
    upcoming: all.filter((m) => isUpcoming(m, now)).length,
  };
}

/**
 * "Ändra kommande": a new time of day and place for every occurrence still to come
 * (each keeps its own date). Each is changed by updateMeeting, so a convened one's
 * invitees get the usual notice of a new time and their calendars an update. Every
 * date is checked first (a time that does not exist on one of them refuses the whole
 * change); then each meeting is changed in its own transaction. Returns how many.
 */
export async function changeUpcoming(
  deps: Deps,
  input: { councilId: string; seriesId: string; actorId: string; startTime: string; endTime: string; location: string; videoUrl: string | null },
  now = new Date(),
): Promise<number> {
  const series = await getSeries(deps.db, input.councilId, input.seriesId);
  if (!series) throw new DomainError("error.meetingNotFound", 404);
  const upcoming = (await seriesMeetings(deps.db, input.councilId, series.id)).filter((m) => isUpcoming(m, now));
  const planned = upcoming.map((m) => {
    const date = stockholmParts(m.starts_at).date;
    const startsAt = stockholmToUtc(date, input.startTime);
    const endsAt = stockholmToUtc(date, input.endTime);
    if (!startsAt) throw new DomainError("error.seriesTimeMissing", 400, "startTime");
    if (!endsAt) throw new DomainError("error.seriesTimeMissing", 400, "endTime");
    if (startsAt <= nowIso(now)) throw new DomainError("error.inPast", 400, "startTime");
    return { m, startsAt, endsAt };
  });
  if (!planned.length) throw new DomainError("error.seriesNothingUpcoming", 409);
  const changed: string[] = [];
  try {
    for (const { m, startsAt, endsAt } of planned) {
      await updateMeeting(
        deps,
        { councilId: input.councilId, meetingId: m.id, actorId: input.actorId, title: m.title, description: m.description, location: input.location, videoUrl: input.videoUrl, startsAt, endsAt },
        now,
      );
      changed.push(m.id);
    }
  } finally {
    // Audited with what was changed, also when a meeting refused midway (it started meanwhile).
    if (changed.length) {
      await inTransaction(deps.db, async (trx) => {
        await trx.updateTable("meeting_series").set({ start_time: input.startTime, end_time: input.endTime, updated_at: nowIso(now) }).where("id", "=", series.id).execute();
        await recordAudit(trx, {
          councilId: input.councilId,
          actorId: input.actorId,
          action: "meeting_series.changed",
          subject: series.id,
          before: { startTime: series.start_time, endTime: series.end_time },
          after: { startTime: input.startTime, endTime: input.endTime, location: input.location, videoUrl: input.videoUrl, meetings: changed },
        }, now);
      });
    }
  }
  return planned.length;
}

/**
 * "Ställ in resten av serien": cancel every occurrence still to come, each by
 * cancelMeeting (a convened one's invitees get the cancellation and their calendars
 * METHOD:CANCEL). Held and already cancelled meetings stay as they are. Returns how many.
 */
export async function cancelRest(deps: Deps, input: { councilId: string; seriesId: string; actorId: string; reason: string }, now = new Date()): Promise<number> {
  const series = await getSeries(deps.db, input.councilId, input.seriesId);
  if (!series) throw new DomainError("error.meetingNotFound", 404);
  const upcoming = (await seriesMeetings(deps.db, input.councilId, series.id)).filter((m) => isUpcoming(m, now));
  if (!upcoming.length) throw new DomainError("error.seriesNothingUpcoming", 409);
  const cancelled: string[] = [];
  try {
    for (const m of upcoming) {
      await cancelMeeting(deps, { councilId: input.councilId, meetingId: m.id, actorId: input.actorId, reason: input.reason }, now);
      cancelled.push(m.id);
    }
  } finally {
    if (cancelled.length) {
      await recordAudit(deps.db, { councilId: input.councilId, actorId: input.actorId, action: "meeting_series.cancelled", subject: series.id, after: { reason: input.reason, meetings: cancelled } }, now);
    }
  }
  return upcoming.length;
}
