import { formatMeetingTime, useT } from "~/i18n";

/** "fredag 30 oktober 2026, 09:00–12:00 CET": the zone is always shown. */
export function MeetingTime({ startsAt, endsAt }: { startsAt: string; endsAt: string }) {
  const t = useT();
  const f = formatMeetingTime(t.locale, startsAt, endsAt);
  return (
    <time dateTime={startsAt}>
      {t("meetings.when", f)} <span className="muted">({t("meetings.tz")})</span>
    </time>
  );
}
