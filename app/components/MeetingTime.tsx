import { formatMeetingTime, useT } from "~/i18n";

/**
 * "fredag 30 oktober 2026, 09:00–12:00 CET": the zone is always shown. A meeting whose
 * time a time poll has yet to decide has none: it says so instead.
 */
export function MeetingTime({ startsAt, endsAt }: { startsAt: string | null; endsAt: string | null }) {
  const t = useT();
  if (!startsAt || !endsAt) return <span>{t("meetings.noTimeYet")}</span>;
  const f = formatMeetingTime(t.locale, startsAt, endsAt);
  return (
    <time dateTime={startsAt}>
      {t("meetings.when", f)} <span className="muted">({t("meetings.tz")})</span>
    </time>
  );
}
