// A month grid of meetings (Monday first, Swedish practice), as a table with
// a caption and day headers, so screen readers can navigate it.
import { Link } from "@remix-run/react";
import { useT } from "~/i18n";

export interface CalendarMeeting {
  id: string;
  title: string;
  startsAt: string;
  status: string;
}

// One formatter for the module: building an Intl.DateTimeFormat costs ~50–150 µs, using one ~1 µs.
const stockholmDay = new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" });
const formats = new Map<string, Intl.DateTimeFormat>();
const format = (tag: string, options: Intl.DateTimeFormatOptions) => {
  const key = tag + JSON.stringify(options);
  let f = formats.get(key);
  if (!f) formats.set(key, (f = new Intl.DateTimeFormat(tag, options)));
  return f;
};

export function MonthCalendar({ month, meetings, basePath }: { month: string; meetings: CalendarMeeting[]; basePath: string }) {
  const t = useT();
  const [y, m] = month.split("-").map(Number);
  const first = new Date(Date.UTC(y, m - 1, 1, 12));
  const days = new Date(Date.UTC(y, m, 0, 12)).getUTCDate();
  const lead = (first.getUTCDay() + 6) % 7; // Monday = 0
  const cells: (number | null)[] = [...Array(lead).fill(null), ...Array.from({ length: days }, (_, i) => i + 1)];
  while (cells.length % 7) cells.push(null);
  const weeks = Array.from({ length: cells.length / 7 }, (_, i) => cells.slice(i * 7, i * 7 + 7));
  const tag = t.locale === "sv" ? "sv-SE" : "en-GB";
  const title = format(tag, { month: "long", year: "numeric", timeZone: "UTC" }).format(first);
  const weekday = format(tag, { weekday: "short", timeZone: "UTC" });
  const weekdays = Array.from({ length: 7 }, (_, i) => weekday.format(new Date(Date.UTC(2024, 0, 1 + i, 12))));
  const shift = (delta: number) => {
    const d = new Date(Date.UTC(y, m - 1 + delta, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  };
  // The meetings of each Stockholm calendar day, computed once per render.
  const onDay = new Map<string, CalendarMeeting[]>();
  for (const x of meetings) {
    const key = stockholmDay.format(new Date(x.startsAt));
    onDay.set(key, [...(onDay.get(key) ?? []), x]);
  }
  const byDay = (day: number) => onDay.get(`${month}-${String(day).padStart(2, "0")}`) ?? [];
  return (
    <div className="month">
      <div className="month__nav">
        <Link to={`${basePath}?month=${shift(-1)}`}>← {t("calendar.prev")}</Link>
        <Link to={`${basePath}?month=${shift(1)}`}>{t("calendar.next")} →</Link>
      </div>
      <table className="month__grid">
        <caption>{title}</caption>
        <thead>
          <tr>
            {weekdays.map((w) => (
              <th key={w} scope="col">
                {w}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {weeks.map((week, i) => (
            <tr key={i}>
              {week.map((day, j) => (
                <td key={j} className={day ? undefined : "month__empty"}>
                  {day ? (
                    <>
                      <span className="month__day">{day}</span>
                      {byDay(day).map((x) => (
                        <Link key={x.id} to={`${basePath}/${x.id}`} className={`month__meeting month__meeting--${x.status}`}>
                          {x.title}
                          {x.status === "cancelled" ? ` (${t("meetings.status.cancelled")})` : ""}
                        </Link>
                      ))}
                    </>
                  ) : null}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
