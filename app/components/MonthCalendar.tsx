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

const stockholmDate = (iso: string) => new Intl.DateTimeFormat("sv-SE", { timeZone: "Europe/Stockholm", year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date(iso));

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
  const title = new Intl.DateTimeFormat(tag, { month: "long", year: "numeric", timeZone: "UTC" }).format(first);
  const weekdays = Array.from({ length: 7 }, (_, i) => new Intl.DateTimeFormat(tag, { weekday: "short", timeZone: "UTC" }).format(new Date(Date.UTC(2024, 0, 1 + i, 12))));
  const shift = (delta: number) => {
    const d = new Date(Date.UTC(y, m - 1 + delta, 1));
    return `${d.getUTCFullYear()}-${String(d.getUTCMonth() + 1).padStart(2, "0")}`;
  };
  const byDay = (day: number) => {
    const key = `${month}-${String(day).padStart(2, "0")}`;
    return meetings.filter((x) => stockholmDate(x.startsAt) === key);
  };
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
