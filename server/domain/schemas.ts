// One zod schema per form. Messages are i18n keys (app/i18n), so the UI shows
// each error in the reader's language.
import { z } from "zod";
import { DELIVERIES, NOTIFICATION_KINDS, PERSPECTIVES, ROLES, STATEMENT_KINDS, VOTES } from "../../db/schema";
import { parseDecimal } from "./plan-doc";
import { LEADER_ASSIGNABLE_ROLES } from "./roles";
import { stockholmToday } from "./time";

// Text typed by a person: C0 control characters (NUL, BEL, ESC, …) and DEL have no
// business in it, and written raw they break ICS, CSV and terminals (issue #12, item
// 11). Multi-line fields (textareas) keep TAB, LF and CR; one-line fields keep none.
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;
const CONTROL_CHARS_MULTILINE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;

/**
 * The one string schema for every text field: control characters refused (checked
 * before trimming, so none hides at either end), then trimmed and length-checked.
 */
export const textField = (max: number, opts: { required?: boolean; multiline?: boolean } = {}) => {
  const control = opts.multiline ? CONTROL_CHARS_MULTILINE : CONTROL_CHARS;
  const base = z
    .string({ error: "error.required" })
    .refine((v) => !control.test(v), { error: "error.controlChars", abort: true })
    .trim()
    .max(max, { error: "error.tooLong" });
  return opts.required ? base.min(1, { error: "error.required" }) : base;
};

/** A required text field (one line unless `multiline`). */
const required = (max: number, opts: { multiline?: boolean } = {}) => textField(max, { ...opts, required: true });

/** An optional text field; absent is "". */
const optionalText = (max: number, opts: { multiline?: boolean } = {}) =>
  textField(max, opts)
    .optional()
    .transform((v) => v ?? "");

/**
 * A whole number typed in a form: decimal digits only (`/^\d+$/`), so "0x10", "1e1",
 * " 16" and "16.0" are refused rather than read by Number() as 16, 10 or 16.
 */
export const wholeNumber = (min: number, max: number, error: string) =>
  z
    .string({ error })
    .regex(/^\d+$/, { error })
    .transform(Number)
    .pipe(z.number().int({ error }).min(min, { error }).max(max, { error }));

export const emailField = z
  .string({ error: "error.required" })
  .trim()
  .toLowerCase()
  .min(1, { error: "error.required" })
  .max(254, { error: "error.tooLong" })
  .pipe(z.email({ error: "error.email" }));

const isoDate = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, { error: "error.date" })
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), {
    error: "error.date",
  });

const optionalDate = z
  .union([z.literal(""), isoDate])
  .optional()
  .transform((v) => (v ? v : null));

export const newPasswordField = z
  .string({ error: "error.required" })
  .min(10, { error: "error.passwordShort" })
  .max(200, { error: "error.tooLong" });

// Where redirects may go: resolved by the WHATWG URL parser, the same algorithm the
// browser will apply to our Location header. A string check is not enough: the parser
// drops TAB, CR and LF anywhere and treats `\` as `/`, so `/\t/evil.example` looks
// like a path to a regex and is `//evil.example` to a browser (issue #12, item 10).
const REDIRECT_BASE = "http://samsyn.invalid";

/**
 * A same-site path (with query and fragment) to redirect to, or `fallback`. Only a
 * string that starts with `/` and resolves to our own origin passes; what comes back is
 * the parser's serialisation, so it holds no control characters and is always a valid
 * header value.
 */
export const safeRedirect = (to: unknown, fallback = "/"): string => {
  if (typeof to !== "string" || !to.startsWith("/")) return fallback;
  let url: URL;
  try {
    url = new URL(to, REDIRECT_BASE);
  } catch {
    return fallback;
  }
  if (url.origin !== REDIRECT_BASE) return fallback;
  const path = url.pathname + url.search + url.hash;
  // `/.//evil.example` resolves to the path `//evil.example`, which a browser reads as a host.
  return path.startsWith("//") ? fallback : path;
};

/** A form's `redirectTo`, made safe while the form is parsed, before anything is saved. */
const redirectField = z
  .string()
  .max(2000)
  .optional()
  .catch(undefined)
  .transform((v) => safeRedirect(v));

export const loginSchema = z.object({
  email: emailField,
  password: z.string({ error: "error.required" }).min(1, { error: "error.required" }).max(1000, { error: "error.tooLong" }),
  redirectTo: redirectField,
});

export const SLUG_RE = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export const councilSchema = z.object({
  name: required(120),
  slug: z
    .string({ error: "error.required" })
    .trim()
    .toLowerCase()
    .min(2, { error: "error.slug" })
    .max(60, { error: "error.tooLong" })
    .regex(SLUG_RE, { error: "error.slug" })
    .refine((s) => !RESERVED_SLUGS.has(s), { error: "error.slugReserved" }),
  subRegion: required(120),
  mandate: optionalText(20_000, { multiline: true }),
});
const RESERVED_SLUGS = new Set(["new", "admin", "api", "settings"]);

const membershipFields = {
  organisation: required(200),
  perspective: z.enum(PERSPECTIVES, { error: "error.perspective" }),
};

/** Adjunct dates: both required, from ≤ to, and the period not already over. */
function checkAdjunctDates(
  v: { role: string; validFrom: string | null; validTo: string | null },
  ctx: z.RefinementCtx,
  today: string,
) {
  if (v.role !== "adjunct") return;
  if (!v.validFrom) ctx.addIssue({ code: "custom", path: ["validFrom"], message: "error.required" });
  if (!v.validTo) ctx.addIssue({ code: "custom", path: ["validTo"], message: "error.required" });
  if (v.validFrom && v.validTo && v.validTo < v.validFrom) {
    ctx.addIssue({ code: "custom", path: ["validTo"], message: "error.dateOrder" });
  } else if (v.validTo && v.validTo < today) {
    ctx.addIssue({ code: "custom", path: ["validTo"], message: "error.datePast" });
  }
}

export const inviteSchema = (today = stockholmToday()) =>
  z
    .object({
      email: emailField,
      name: optionalText(200),
      role: z.enum(LEADER_ASSIGNABLE_ROLES, { error: "error.role" }),
      validFrom: optionalDate,
      validTo: optionalDate,
      ...membershipFields,
    })
    .superRefine((v, ctx) => checkAdjunctDates(v, ctx, today))
    .transform((v) =>
      v.role === "adjunct" ? v : { ...v, validFrom: null, validTo: null },
    );

export const changeRoleSchema = (today = stockholmToday()) =>
  z
    .object({
      membershipId: z.string().uuid({ error: "error.unknown" }),
      role: z.enum(LEADER_ASSIGNABLE_ROLES, { error: "error.role" }),
      validFrom: optionalDate,
      validTo: optionalDate,
    })
    .superRefine((v, ctx) => checkAdjunctDates(v, ctx, today))
    .transform((v) => (v.role === "adjunct" ? v : { ...v, validFrom: null, validTo: null }));

/** A leader corrects a member's organisation and perspective (any member, the leader too). */
export const changeMemberDetailsSchema = z.object({
  membershipId: z.string().uuid({ error: "error.unknown" }),
  ...membershipFields,
});

export const removeMemberSchema = z.object({
  membershipId: z.string().uuid({ error: "error.unknown" }),
});

export const appointLeaderSchema = z.object({
  councilId: z.string().uuid({ error: "error.unknown" }),
  email: emailField,
  ...membershipFields,
});

export const stepDownSchema = z.object({
  councilId: z.string().uuid({ error: "error.unknown" }),
  userId: z.string().uuid({ error: "error.unknown" }),
  to: z.enum(["member", "removed"], { error: "error.unknown" }),
});

export const acceptInviteNewUserSchema = z
  .object({
    name: required(120),
    password: newPasswordField,
    passwordConfirm: z.string({ error: "error.required" }),
  })
  .superRefine((v, ctx) => {
    if (v.password !== v.passwordConfirm) {
      ctx.addIssue({ code: "custom", path: ["passwordConfirm"], message: "error.passwordMismatch" });
    }
  });

export const acceptInviteExistingUserSchema = z.object({
  password: z.string({ error: "error.required" }).min(1, { error: "error.required" }).max(1000, { error: "error.tooLong" }),
});

export const languageSchema = z.object({
  lang: z.enum(["sv", "en"], { error: "error.unknown" }),
  redirectTo: redirectField,
});

export { ROLES, PERSPECTIVES };

// ---- meetings ----
import { RSVP_RESPONSES } from "../../db/schema";
import { addMs, stockholmTimeProblem, stockholmToUtc } from "./time";

/** The message for a wall-clock time that is not one instant (the clock change nights). */
const timeMessage = (date: string, time: string) => (stockholmTimeProblem(date, time) === "twice" ? "error.timeTwice" : "error.timeNotExist");

const TIME = /^([01]\d|2[0-3]):[0-5]\d$/;
const optionalUrl = z
  .string()
  .trim()
  .max(500, { error: "error.tooLong" })
  .optional()
  .transform((v) => v || null)
  .refine((v) => v === null || /^https?:\/\/\S+$/i.test(v), { error: "error.url" });

/**
 * A meeting form: Stockholm date and times in, UTC instants out. Refuses a wall-clock
 * time that does not exist (DST gap), an end not after the start, and (unless
 * `allowPast`) a start in the past. With `allowNoTime`, a date and times left all
 * blank give a meeting without a time (null): a time poll will decide it
 * (docs/decisions/027-time-poll.md); one of them given asks for the others.
 */
export const meetingSchema = (opts: { now?: Date; allowPast?: boolean; allowNoTime?: boolean } = {}) => {
  const maybe = (field: z.ZodType<string>) => (opts.allowNoTime ? z.union([z.literal(""), field]).optional() : field);
  return z
    .object({
      title: required(200),
      date: maybe(isoDate),
      startTime: maybe(z.string({ error: "error.required" }).regex(TIME, { error: "error.time" })),
      endTime: maybe(z.string({ error: "error.required" }).regex(TIME, { error: "error.time" })),
      location: optionalText(200),
      videoUrl: optionalUrl,
      description: optionalText(5000, { multiline: true }),
    })
    .transform((v, ctx) => {
      const text = { title: v.title, location: v.location, videoUrl: v.videoUrl, description: v.description };
      if (!v.date && !v.startTime && !v.endTime) return { ...text, startsAt: null, endsAt: null };
      if (!v.date) ctx.addIssue({ code: "custom", path: ["date"], message: "error.date" });
      if (!v.startTime) ctx.addIssue({ code: "custom", path: ["startTime"], message: "error.required" });
      if (!v.endTime) ctx.addIssue({ code: "custom", path: ["endTime"], message: "error.required" });
      if (!v.date || !v.startTime || !v.endTime) return z.NEVER;
      const startsAt = stockholmToUtc(v.date, v.startTime);
      const endsAt = stockholmToUtc(v.date, v.endTime);
      if (!startsAt) ctx.addIssue({ code: "custom", path: ["startTime"], message: timeMessage(v.date, v.startTime) });
      if (!endsAt) ctx.addIssue({ code: "custom", path: ["endTime"], message: timeMessage(v.date, v.endTime) });
      if (!startsAt || !endsAt) return z.NEVER;
      if (endsAt <= startsAt) {
        ctx.addIssue({ code: "custom", path: ["endTime"], message: "error.endBeforeStart" });
        return z.NEVER;
      }
      if (!opts.allowPast && startsAt < (opts.now ?? new Date()).toISOString()) {
        ctx.addIssue({ code: "custom", path: ["date"], message: "error.inPast" });
        return z.NEVER;
      }
      return { ...text, startsAt: startsAt as string | null, endsAt: endsAt as string | null };
    });
};

export const rsvpSchema = z.object({
  response: z.enum(RSVP_RESPONSES, { error: "error.response" }),
  note: optionalText(500),
});

export const cancelMeetingSchema = z.object({ reason: required(1000, { multiline: true }) });

// ---- meeting series (decision 042) ----
import { SERIES_KINDS, SERIES_MAX_COUNT, SERIES_MAX_INTERVAL, SERIES_MAX_MONTH_DAY, type IsoWeekday, type SeriesNth, type SeriesRule } from "./series-rule";

/**
 * The "Upprepa" fields of a new meeting: no repeat (`repeat` blank or "none": null), or
 * the rule without its start (the meeting's date and times give that). Only the
 * fields the chosen kind uses are read; the others may hold anything a form left.
 * Whether the rule gives 2–24 meetings within two years at real Stockholm times is
 * planSeries' question (server/domain/series-rule.ts), asked after this.
 */
export const seriesRuleSchema = z
  .object({
    repeat: z.union([z.literal(""), z.literal("none"), z.enum(SERIES_KINDS)], { error: "error.seriesKind" }).optional(),
    interval: z.string().optional(),
    weekday: z.string().optional(),
    nth: z.string().optional(),
    monthDay: z.string().optional(),
    ends: z.string().optional(),
    count: z.string().optional(),
    until: z.string().optional(),
  })
  .transform((v, ctx): Omit<SeriesRule, "from" | "startTime" | "endTime"> | null => {
    if (!v.repeat || v.repeat === "none") return null;
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const num = (path: string, raw: string | undefined, min: number, max: number, message: string) => {
      const r = wholeNumber(min, max, message).safeParse(raw ?? "");
      if (!r.success) issue(path, message);
      return r.success ? r.data : undefined;
    };
    const interval = num("interval", v.interval, 1, SERIES_MAX_INTERVAL, "error.seriesInterval");
    const weekday = v.repeat === "monthlyDate" ? undefined : (num("weekday", v.weekday, 1, 7, "error.seriesWeekday") as IsoWeekday | undefined);
    let nth: SeriesNth | undefined;
    if (v.repeat === "monthlyWeekday") {
      if (["1", "2", "3", "4", "-1"].includes(v.nth ?? "")) nth = Number(v.nth) as SeriesNth;
      else issue("nth", "error.seriesNth");
    }
    const monthDay = v.repeat === "monthlyDate" ? num("monthDay", v.monthDay, 1, SERIES_MAX_MONTH_DAY, "error.seriesMonthDay") : undefined;
    let count: number | undefined;
    let until: string | undefined;
    if (v.ends === "until") {
      const r = isoDate.safeParse(v.until ?? "");
      if (r.success) until = r.data;
      else issue("until", "error.date");
    } else if (v.ends === "count") {
      count = num("count", v.count, 2, SERIES_MAX_COUNT, "error.seriesCount");
    } else issue("ends", "error.seriesEnds");
    if (!interval || (v.repeat !== "monthlyDate" && !weekday) || (v.repeat === "monthlyWeekday" && !nth) || (v.repeat === "monthlyDate" && !monthDay) || (!count && !until)) return z.NEVER;
    return { kind: v.repeat, interval, weekday, nth, monthDay, count, until };
  });

/** "Ändra kommande": a new time of day and place for the occurrences still to come. */
export const seriesChangeSchema = z
  .object({
    startTime: z.string({ error: "error.required" }).regex(TIME, { error: "error.time" }),
    endTime: z.string({ error: "error.required" }).regex(TIME, { error: "error.time" }),
    location: optionalText(200),
    videoUrl: optionalUrl,
  })
  .refine((v) => v.endTime > v.startTime, { path: ["endTime"], error: "error.endBeforeStart" });

/** "Ställ in resten av serien": the reason each cancellation carries. */
export const seriesCancelSchema = cancelMeetingSchema;

// ---- time polls ----
import { POLL_ANSWERS } from "../../db/schema";

import { POLL_DURATIONS, POLL_MAX_SLOTS } from "./poll-rules";
const DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * The slot picker (decision 027): rows `slot<i>Date` + `slot<i>Start`, and one meeting
 * length `duration` (minutes) for every row; a row may give `slot<i>End` instead
 * (API clients, older forms). Blank rows are ignored, at least one is needed, at most
 * POLL_MAX_SLOTS. Each slot must be a real Stockholm time, in the future, end after
 * start, and not the same as an earlier row. Plus an answer deadline in the future.
 */
export const createPollSchema = (now = new Date()) =>
  z.record(z.string(), z.string()).transform((v, ctx) => {
    const slots: { startsAt: string; endsAt: string }[] = [];
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    const rowsGiven = Object.keys(v)
      .map((k) => /^slot(\d{1,4})(Date|Start|End)$/.exec(k))
      .filter((m): m is RegExpExecArray => !!m && (v[m[0]] ?? "").trim() !== "")
      .map((m) => Number(m[1]));
    if (rowsGiven.some((i) => i >= POLL_MAX_SLOTS)) {
      issue("_form", "error.tooManySlots");
      return z.NEVER;
    }
    const durationText = (v.duration ?? "").trim();
    const duration = /^\d{1,4}$/.test(durationText) && (POLL_DURATIONS as readonly number[]).includes(Number(durationText)) ? Number(durationText) : null;
    if (durationText && duration === null) issue("duration", "error.duration");
    for (let i = 0; i < POLL_MAX_SLOTS; i++) {
      const date = (v[`slot${i}Date`] ?? "").trim();
      const start = (v[`slot${i}Start`] ?? "").trim();
      const end = (v[`slot${i}End`] ?? "").trim();
      if (!date && !start && !end) continue;
      if (!DATE.test(date) || !TIME.test(start) || (end && !TIME.test(end))) {
        issue(`slot${i}Date`, "error.slot");
        continue;
      }
      const s = stockholmToUtc(date, start);
      if (!s) {
        issue(`slot${i}Date`, timeMessage(date, start));
        continue;
      }
      let e: string | null;
      if (end) {
        e = stockholmToUtc(date, end);
        if (!e) {
          issue(`slot${i}Date`, timeMessage(date, end));
          continue;
        }
      } else if (duration !== null) {
        e = addMs(s, duration * 60_000);
      } else {
        if (!durationText) issue("duration", "error.required");
        continue;
      }
      if (e <= s) issue(`slot${i}Date`, "error.endBeforeStart");
      else if (s < now.toISOString()) issue(`slot${i}Date`, "error.inPast");
      else if (slots.some((x) => x.startsAt === s && x.endsAt === e)) issue(`slot${i}Date`, "error.slotDuplicate");
      else slots.push({ startsAt: s, endsAt: e });
    }
    const deadlineDate = (v.deadlineDate ?? "").trim();
    const deadlineTime = (v.deadlineTime ?? "").trim() || "23:59";
    const deadline = DATE.test(deadlineDate) && TIME.test(deadlineTime) ? stockholmToUtc(deadlineDate, deadlineTime) : null;
    if (!deadline) issue("deadlineDate", DATE.test(deadlineDate) && TIME.test(deadlineTime) ? timeMessage(deadlineDate, deadlineTime) : "error.date");
    else if (deadline < now.toISOString()) issue("deadlineDate", "error.deadlinePast");
    if (slots.length === 0 && !rowsGiven.length) issue("slot0Date", "error.slotRequired");
    if (!deadline || slots.length === 0) return z.NEVER;
    return { slots, deadline };
  });

/** Answers posted as `answer-<slotId>` = yes | if_need_be | no. */
export const answerPollSchema = z.record(z.string(), z.string()).transform((v, ctx) => {
  const answers: Record<string, (typeof POLL_ANSWERS)[number]> = {};
  for (const [k, val] of Object.entries(v)) {
    if (!k.startsWith("answer-")) continue;
    if (!(POLL_ANSWERS as readonly string[]).includes(val)) {
      ctx.addIssue({ code: "custom", path: ["_form"], message: "error.response" });
      return z.NEVER;
    }
    answers[k.slice("answer-".length)] = val as (typeof POLL_ANSWERS)[number];
  }
  return answers;
});

export const chooseSlotSchema = z.object({
  slotId: z.string().uuid({ error: "error.unknown" }),
  confirmAllNo: z
    .string()
    .optional()
    .transform((v) => v === "on" || v === "1" || v === "true"),
});

// ---- agenda ----
import { AGENDA_KINDS } from "../../db/schema";

export const agendaItemSchema = z.object({
  title: required(200),
  kind: z.enum(AGENDA_KINDS, { error: "error.kind" }),
  presenter: optionalText(120),
  minutes: wholeNumber(1, 480, "error.minutes"),
  planLink: z
    .string()
    .trim()
    .max(100, { error: "error.unknown" })
    .optional()
    .transform((v) => v ?? "")
    .refine((v) => v === "" || /^(area|action):[A-Za-z0-9-]{1,64}$/.test(v), { error: "error.unknown" }),
});

export const agendaItemRefSchema = z.object({
  itemId: z.string().uuid({ error: "error.unknown" }),
  direction: z.enum(["up", "down"], { error: "error.unknown" }).optional(),
});

export const decisionSchema = z.object({
  itemId: z.string().uuid({ error: "error.unknown" }),
  decision: optionalText(5000, { multiline: true }),
});

// ---- minutes ----
export const approversSchema = z
  .object({
    approver1: z.string().uuid({ error: "error.approverCount" }),
    approver2: z.union([z.literal(""), z.string().uuid({ error: "error.unknown" })]).optional(),
  })
  .transform((v) => [v.approver1, ...(v.approver2 ? [v.approver2] : [])]);

export const decideMinutesSchema = z.object({
  decision: z.enum(["approve", "return"], { error: "error.unknown" }),
  comment: optionalText(2000, { multiline: true }),
});

export const actionItemSchema = z.object({
  what: required(500),
  ownerUserId: z
    .union([z.literal(""), z.string().uuid({ error: "error.unknown" })])
    .optional()
    .transform((v) => v || null),
  dueDate: optionalDate,
});

export const actionItemEditSchema = actionItemSchema.extend({ itemId: z.string().uuid({ error: "error.unknown" }) });
export const actionItemRefSchema = z.object({ itemId: z.string().uuid({ error: "error.unknown" }) });

export const toPlanSchema = z.object({
  itemId: z.string().uuid({ error: "error.unknown" }),
  goalId: z.string().trim().min(1, { error: "error.goal" }).max(64).regex(/^[A-Za-z0-9-]+$/, { error: "error.goal" }),
});

// ---- follow-up ----
import { ACTION_STATUSES } from "./plan-doc";

/** A measured value typed in a form (parseDecimal's rule); empty is no value. */
export const optionalDecimal = z
  .string()
  .optional()
  .transform((v, ctx) => {
    const n = parseDecimal(v ?? "");
    if (n === undefined) ctx.addIssue({ code: "custom", message: "error.number" });
    return n ?? null;
  });

/** A measurement date: a real date, not after today (Stockholm). */
export const measuredOnField = isoDate.refine((d) => d <= stockholmToday(), { error: "error.dateInFuture" });

/**
 * Indicator values reported together (with a follow-up report or alone): one date,
 * one optional value per indicator (`value-<indicator id>`), and, alone, a comment.
 */
export const indicatorValuesSchema = (indicatorIds: readonly string[]) =>
  z.object({
    measuredOn: measuredOnField,
    valueComment: optionalText(2000, { multiline: true }),
    ...Object.fromEntries(indicatorIds.map((id) => [`value-${id}`, optionalDecimal])),
  }) as z.ZodType<{ measuredOn: string; valueComment: string } & Record<`value-${string}`, number | null>>;

export const followupSchema = z.object({
  status: z.enum(ACTION_STATUSES, { error: "error.status" }),
  progress: wholeNumber(0, 100, "error.progress"),
  comment: optionalText(2000, { multiline: true }),
});

// ---- notifications ----

export const notificationActionSchema = z.discriminatedUnion("intent", [
  z.object({ intent: z.literal("read"), id: z.string().uuid({ error: "error.unknown" }) }),
  z.object({ intent: z.literal("read-all") }),
]);

/** One field per kind (`pref.<kind>`); kinds not sent keep their choice. */
export const notificationPrefsSchema = z.object(
  Object.fromEntries(NOTIFICATION_KINDS.map((k) => [`pref.${k}`, z.enum(DELIVERIES, { error: "error.unknown" }).optional()])),
);

export const anonymiseSchema = z.object({
  userId: z.string().uuid({ error: "error.unknown" }),
  confirm: z.literal("yes", { error: "admin.anonymise.confirmRequired" }),
});

// ---- statements and proposals ----

export const statementSchema = z.object({
  kind: z.enum(STATEMENT_KINDS, { error: "error.statementKind" }),
  title: required(200),
});

export const commentSchema = z.object({ body: required(4000, { multiline: true }) });

export const proposalActionSchema = z.object({
  title: required(300),
  responsibleOrg: optionalText(200),
  dueDate: optionalDate,
});

export const proposalActionRefSchema = z.object({ actionId: z.string().uuid({ error: "error.unknown" }) });

/** Closing time as a Stockholm date and time; the quorum, if any, a whole number of votes. */
export const decisionPollSchema = (now = new Date()) =>
  z
    .object({
      closesDate: isoDate,
      closesTime: z.string().trim().regex(TIME, { error: "error.time" }),
      quorum: z
        .string()
        .trim()
        .optional()
        .transform((v, ctx) => {
          if (!v) return null;
          const n = Number(v);
          if (!/^\d{1,3}$/.test(v) || n < 1) {
            ctx.addIssue({ code: "custom", message: "error.quorum" });
            return z.NEVER;
          }
          return n;
        }),
    })
    .transform((v, ctx) => {
      const closesAt = stockholmToUtc(v.closesDate, v.closesTime);
      if (!closesAt) {
        ctx.addIssue({ code: "custom", path: ["closesTime"], message: timeMessage(v.closesDate, v.closesTime) });
        return z.NEVER;
      }
      if (closesAt <= now.toISOString()) {
        ctx.addIssue({ code: "custom", path: ["closesDate"], message: "error.closesInPast" });
        return z.NEVER;
      }
      return { closesAt, quorum: v.quorum };
    });

export const voteSchema = z.object({
  vote: z.enum(VOTES, { error: "error.vote" }),
  reason: optionalText(1000, { multiline: true }),
});

export const adoptAtMeetingSchema = z.object({
  meetingId: z.string().uuid({ error: "error.meetingRequired" }),
  decision: required(2000, { multiline: true }),
});

export const adoptByDecisionSchema = z.object({
  agendaItemId: z.string().uuid({ error: "error.decisionRequired" }),
});

export const convertProposalSchema = z.object({
  year: wholeNumber(2000, 2100, "error.unknown"),
  goalId: z.string().trim().min(1, { error: "error.goal" }).max(64),
});

// ---- working groups ----

const ID = /^[A-Za-z0-9-]{1,64}$/;

/**
 * The working-group form: name, description, convener, and one checkbox per
 * priority area (`area-<id>`) and per person (`member-<user id>`). Whether the
 * ids belong to the council is the domain's check (server/domain/groups.ts).
 */
export const groupSchema = z.record(z.string(), z.string()).transform((v, ctx) => {
  const name = required(120).safeParse(v.name ?? "");
  const description = optionalText(2000, { multiline: true }).safeParse(v.description ?? "");
  const convenerId = (v.convenerId ?? "").trim();
  const picked = (prefix: string) =>
    Object.entries(v)
      .filter(([k, val]) => k.startsWith(prefix) && val === "on")
      .map(([k]) => k.slice(prefix.length));
  const areaIds = picked("area-");
  const memberIds = picked("member-");
  if (!name.success) ctx.addIssue({ code: "custom", path: ["name"], message: name.error.issues[0]?.message ?? "error.required" });
  if (!description.success) ctx.addIssue({ code: "custom", path: ["description"], message: description.error.issues[0]?.message ?? "error.tooLong" });
  if (!areaIds.length) ctx.addIssue({ code: "custom", path: ["areas"], message: "error.groupAreaRequired" });
  else if (areaIds.some((id) => !ID.test(id))) ctx.addIssue({ code: "custom", path: ["areas"], message: "error.unknown" });
  if (!convenerId) ctx.addIssue({ code: "custom", path: ["convenerId"], message: "error.groupConvener" });
  else if (!ID.test(convenerId)) ctx.addIssue({ code: "custom", path: ["convenerId"], message: "error.unknown" });
  if (memberIds.some((id) => !ID.test(id))) ctx.addIssue({ code: "custom", path: ["members"], message: "error.unknown" });
  if (!name.success || !description.success || !areaIds.length || !convenerId) return z.NEVER;
  return { name: name.data, description: description.data, convenerId, areaIds, memberIds };
});

/**
 * An agenda template's items as typed in one text area: one item per line,
 * `title | minutes | kind` with minutes and kind optional (10 minutes, information);
 * kind in Swedish or English (information, diskussion/discussion, beslut/decision).
 */
export const TEMPLATE_KIND_WORDS: Record<string, (typeof AGENDA_KINDS)[number]> = {
  information: "information",
  info: "information",
  diskussion: "discussion",
  discussion: "discussion",
  beslut: "decision",
  decision: "decision",
};

export function parseTemplateItems(text: string): { title: string; kind: (typeof AGENDA_KINDS)[number]; minutes: number }[] | undefined {
  const items = [];
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (!line) continue;
    const [title = "", minutes = "", kind = ""] = line.split("|").map((p) => p.trim());
    const m = minutes === "" ? 10 : Number(minutes);
    const k = kind === "" ? "information" : TEMPLATE_KIND_WORDS[kind.toLowerCase()];
    if (!title || title.length > 200 || !Number.isInteger(m) || m < 1 || m > 480 || !k) return undefined;
    items.push({ title, kind: k, minutes: m });
  }
  return items.length && items.length <= 50 ? items : undefined;
}

export const agendaTemplateSchema = z.object({
  name: required(120),
  items: textField(12_000, { required: true, multiline: true })
    .refine((v) => parseTemplateItems(v) !== undefined, { error: "error.templateItems" })
    .transform((v) => parseTemplateItems(v)!),
});

// ---- attendance and paragraph numbering (issue #15) ----
import { ATTENDANCE_STATUSES, PARAGRAPH_NUMBERINGS } from "../../db/schema";

/** The attendance form: one `status-<user id>` radio group per expected person. */
export const attendanceSchema = z.record(z.string(), z.string()).transform((values, ctx) => {
  const statuses: Record<string, (typeof ATTENDANCE_STATUSES)[number]> = {};
  for (const [key, value] of Object.entries(values)) {
    if (!key.startsWith("status-")) continue;
    const userId = key.slice("status-".length);
    const status = ATTENDANCE_STATUSES.find((s) => s === value);
    if (!status || !z.string().uuid().safeParse(userId).success) {
      ctx.addIssue({ code: "custom", message: "error.unknown", path: [key] });
      return z.NEVER;
    }
    statuses[userId] = status;
  }
  return statuses;
});

/** A substitute: one of the council's people (substituteUserId), or a name (and organisation) typed in. */
export const substituteSchema = z
  .object({
    forUserId: z.string().min(1, { error: "error.required" }).uuid({ error: "error.unknown" }),
    substituteUserId: z.union([z.literal(""), z.string().uuid({ error: "error.unknown" })]).optional().transform((v) => v || null),
    substituteName: optionalText(120),
    substituteOrganisation: optionalText(200),
  })
  .superRefine((v, ctx) => {
    if (!v.substituteUserId && !v.substituteName) ctx.addIssue({ code: "custom", message: "error.required", path: ["substituteName"] });
  });

export const guestSchema = z.object({
  guestName: required(120),
  guestOrganisation: required(200),
  guestRole: optionalText(200),
});

export const substituteRefSchema = z.object({ substituteId: z.string().uuid({ error: "error.unknown" }) });
export const guestRefSchema = z.object({ guestId: z.string().uuid({ error: "error.unknown" }) });

export const paragraphNumberingSchema = z.object({ numbering: z.enum(PARAGRAPH_NUMBERINGS, { error: "error.unknown" }) });

// ---- a person's own account (issue #16) ----

/** The new password and its repetition must match. */
function samePasswords(v: { password: string; passwordConfirm: string }, ctx: z.RefinementCtx) {
  if (v.password !== v.passwordConfirm) ctx.addIssue({ code: "custom", path: ["passwordConfirm"], message: "error.passwordMismatch" });
}

export const forgotPasswordSchema = z.object({ email: emailField });

export const resetPasswordSchema = z.object({ password: newPasswordField, passwordConfirm: z.string({ error: "error.required" }) }).superRefine(samePasswords);

export const changePasswordSchema = z
  .object({
    currentPassword: z.string({ error: "error.required" }).min(1, { error: "error.required" }).max(1000, { error: "error.tooLong" }),
    password: newPasswordField,
    passwordConfirm: z.string({ error: "error.required" }),
  })
  .superRefine(samePasswords);

export const changeNameSchema = z.object({ name: required(120) });

export const changeEmailSchema = z.object({
  newEmail: emailField,
  emailPassword: z.string({ error: "error.required" }).min(1, { error: "error.required" }).max(1000, { error: "error.tooLong" }),
});

/** A new API token (docs/decisions/045): the person's label and how long it is valid (90 days unless chosen). */
export const createApiTokenSchema = z.object({
  tokenName: required(80),
  validity: z
    .enum(["30", "90", "365", "never"], { error: "apiTokens.validityInvalid" })
    .optional()
    .transform((v) => (v === "never" ? null : Number(v ?? "90")) as 30 | 90 | 365 | null),
});

export const revokeApiTokenSchema = z.object({ tokenId: z.string().uuid({ error: "apiTokens.notFound" }) });

/** A council's own yearly event on the annual wheel: a title and a day of the year. */
export const yearEventSchema = z.object({
  id: z.string().uuid({ error: "error.unknown" }).optional(),
  title: required(120),
  month: wholeNumber(1, 12, "year.error.month"),
  day: wholeNumber(1, 31, "year.error.day"),
});

export const yearEventIdSchema = z.object({ id: z.string().uuid({ error: "error.unknown" }) });
