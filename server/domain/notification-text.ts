// The words of a notification, in the reader's language. Kept beside the domain
// (not in app/i18n) because e-mails and the JSON API render them on the server.
import { DateTime } from "luxon";
import type { NotificationKind } from "../../db/schema";
import { ZONE } from "./time";
import { isFormerMember } from "./former-member";

export type TextLocale = "sv" | "en";
type Params = Record<string, string | number | null | undefined>;

const when = (locale: TextLocale, iso: unknown): string => {
  if (typeof iso !== "string" || !iso) return "";
  const dt = iso.length === 10 ? DateTime.fromISO(iso, { zone: ZONE }) : DateTime.fromISO(iso, { zone: "utc" }).setZone(ZONE);
  if (!dt.isValid) return "";
  return iso.length === 10
    ? dt.setLocale(locale === "sv" ? "sv-SE" : "en-GB").toLocaleString(DateTime.DATE_FULL)
    : dt.setLocale(locale === "sv" ? "sv-SE" : "en-GB").toFormat(locale === "sv" ? "d MMMM yyyy 'kl.' HH:mm" : "d MMMM yyyy, HH:mm");
};

/** A working group's meeting says whose it is: " (Arbetsgrupp X)". */
const of = (p: Params) => (p.group ? ` (${p.group})` : "");

const TEXT: Record<NotificationKind, Record<TextLocale, (p: Params, l: TextLocale) => string>> = {
  meeting_convened: {
    sv: (p, l) => `Möte sammankallat: ${p.title}${of(p)}, ${when(l, p.startsAt)}`,
    en: (p, l) => `Meeting convened: ${p.title}${of(p)}, ${when(l, p.startsAt)}`,
  },
  meeting_moved: {
    sv: (p, l) => `Mötet ${p.title}${of(p)} är flyttat till ${when(l, p.startsAt)}`,
    en: (p, l) => `The meeting ${p.title}${of(p)} has moved to ${when(l, p.startsAt)}`,
  },
  meeting_cancelled: {
    sv: (p) => `Mötet ${p.title}${of(p)} är inställt${p.reason ? `: ${p.reason}` : ""}`,
    en: (p) => `The meeting ${p.title}${of(p)} is cancelled${p.reason ? `: ${p.reason}` : ""}`,
  },
  poll_opened: {
    sv: (p, l) => `Tidsomröstning för ${p.title}${of(p)}: svara senast ${when(l, p.deadline)}`,
    en: (p, l) => `Time poll for ${p.title}${of(p)}: answer by ${when(l, p.deadline)}`,
  },
  rsvp_reminder: {
    sv: (p, l) => `Påminnelse: svara om du kommer till ${p.title}${of(p)}, ${when(l, p.startsAt)}`,
    en: (p, l) => `Reminder: say whether you come to ${p.title}${of(p)}, ${when(l, p.startsAt)}`,
  },
  approval_reminder: {
    sv: (p) => `Påminnelse: protokollet från ${p.title}${of(p)} väntar på din justering`,
    en: (p) => `Reminder: the minutes of ${p.title}${of(p)} wait for your approval`,
  },
  poll_deadline: {
    sv: (p, l) => `Du har inte svarat på tidsomröstningen för ${p.title}${of(p)}. Den stänger ${when(l, p.deadline)}`,
    en: (p, l) => `You have not answered the time poll for ${p.title}${of(p)}. It closes ${when(l, p.deadline)}`,
  },
  agenda_proposed: {
    sv: (p) => `${p.by} föreslår en punkt till ${p.title}: ${p.item}`,
    en: (p) => `${p.by} proposes an item for ${p.title}: ${p.item}`,
  },
  minutes_approval: {
    sv: (p) => `Protokollet från ${p.title} väntar på din justering`,
    en: (p) => `The minutes of ${p.title} are waiting for your approval`,
  },
  action_assigned: {
    sv: (p) => `Du är ansvarig för åtgärden ${p.action} (handlingsplan ${p.year})`,
    en: (p) => `You are responsible for the action ${p.action} (action plan ${p.year})`,
  },
  action_overdue: {
    sv: (p, l) => `Åtgärden ${p.action} skulle vara klar ${when(l, p.due)}`,
    en: (p, l) => `The action ${p.action} was due ${when(l, p.due)}`,
  },
  followup_due: {
    sv: (p, l) => `Rapportera uppföljning före mötet ${p.title} ${when(l, p.startsAt)}: ${p.count} ${Number(p.count) === 1 ? "åtgärd" : "åtgärder"} utan rapport sedan förra mötet`,
    en: (p, l) => `Report follow-up before the meeting ${p.title} on ${when(l, p.startsAt)}: ${p.count} ${Number(p.count) === 1 ? "action" : "actions"} without a report since the last meeting`,
  },
  plan_adopted: {
    sv: (p) => `Handlingsplanen för ${p.year} är fastställd`,
    en: (p) => `The action plan for ${p.year} has been adopted`,
  },
  decision_opened: {
    sv: (p, l) => `Beslutsomröstning om ${p.title}: rösta senast ${when(l, p.closesAt)}`,
    en: (p, l) => `Decision poll on ${p.title}: vote by ${when(l, p.closesAt)}`,
  },
  decision_deadline: {
    sv: (p, l) => `Du har inte röstat om ${p.title}. Omröstningen stänger ${when(l, p.closesAt)}`,
    en: (p, l) => `You have not voted on ${p.title}. The poll closes ${when(l, p.closesAt)}`,
  },
  statement_adopted: {
    sv: (p) => `${p.kind === "proposal" ? "Åtgärdsförslaget" : "Uttalandet"} ${p.title} är antaget`,
    en: (p) => `The ${p.kind === "proposal" ? "action proposal" : "statement"} ${p.title} has been adopted`,
  },
};

/** An anonymised person's stored marker, in the reader's language (as app/i18n's "person.former"). */
const FORMER: Record<TextLocale, string> = { sv: "Tidigare medlem", en: "Former member" };

export function notificationText(locale: TextLocale, kind: NotificationKind, params: Params): string {
  const readable = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, isFormerMember(v) ? FORMER[locale] : v]));
  return TEXT[kind][locale](readable, locale);
}

/** Labels for the settings page and e-mails. */
export const KIND_LABEL: Record<NotificationKind, Record<TextLocale, string>> = {
  meeting_convened: { sv: "Möte sammankallat", en: "Meeting convened" },
  meeting_moved: { sv: "Möte flyttat", en: "Meeting moved" },
  meeting_cancelled: { sv: "Möte inställt", en: "Meeting cancelled" },
  poll_opened: { sv: "Tidsomröstning öppnad", en: "Time poll opened" },
  poll_deadline: { sv: "Tidsomröstning stänger snart", en: "Time poll closing soon" },
  agenda_proposed: { sv: "Förslag till dagordningen", en: "Agenda item proposed" },
  minutes_approval: { sv: "Protokoll att justera", en: "Minutes to approve" },
  action_assigned: { sv: "Åtgärd tilldelad dig", en: "Action assigned to you" },
  action_overdue: { sv: "Åtgärd försenad", en: "Action overdue" },
  followup_due: { sv: "Dags att rapportera uppföljning", en: "Follow-up due" },
  plan_adopted: { sv: "Handlingsplan fastställd", en: "Action plan adopted" },
  decision_opened: { sv: "Beslutsomröstning öppnad", en: "Decision poll opened" },
  decision_deadline: { sv: "Beslutsomröstning stänger snart", en: "Decision poll closing soon" },
  statement_adopted: { sv: "Uttalande eller förslag antaget", en: "Statement or proposal adopted" },
  rsvp_reminder: { sv: "Påminnelse: svara om du kommer", en: "Reminder: say whether you come" },
  approval_reminder: { sv: "Påminnelse: protokoll att justera", en: "Reminder: minutes to approve" },
};
