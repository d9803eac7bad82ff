// The council workspace's chrome: its name, the sections the person may see, and
// breadcrumbs back up (issue #13, docs/decisions/024-design-system.md). Plain links,
// rendered on the server: it works without JavaScript and the keyboard needs nothing more.
import { Link } from "@remix-run/react";
import { CalendarDays, ChartColumn, ClipboardList, Contact, History, House, MessageSquareText, UsersRound, type LucideIcon } from "lucide-react";
import { useT, type MessageKey } from "~/i18n";

export const COUNCIL_SECTIONS = ["overview", "meetings", "plan", "followup", "groups", "statements", "members", "activity"] as const;
export type CouncilSection = (typeof COUNCIL_SECTIONS)[number];

const ICONS: Record<CouncilSection, LucideIcon> = {
  overview: House,
  meetings: CalendarDays,
  plan: ClipboardList,
  followup: ChartColumn,
  groups: UsersRound,
  statements: MessageSquareText,
  members: Contact,
  activity: History,
};

/** Where each section lives under /councils/:slug. */
export function sectionPath(section: CouncilSection, base: string, planYear: number | null): string {
  switch (section) {
    case "overview":
      return base;
    case "plan":
      return `${base}/plans/${planYear}`;
    case "followup":
      return `${base}/plans/${planYear}/dashboard`;
    default:
      return `${base}/${section}`;
  }
}

/** The section a path under /councils/:slug belongs to. */
export function sectionOf(rest: string): CouncilSection {
  const [first, , third] = rest.split("/").filter(Boolean);
  switch (first) {
    case undefined:
      return "overview";
    case "plans":
      return third === "dashboard" || third === "actions" ? "followup" : "plan";
    case "audit":
      return "activity";
    case "agenda-templates":
    case "decisions":
    case "settings":
      return "meetings";
    case "meetings":
    case "groups":
    case "statements":
    case "members":
    case "activity":
      return first;
    default:
      return "overview";
  }
}

export function CouncilNav({ sections, current, base, planYear }: { sections: CouncilSection[]; current: CouncilSection; base: string; planYear: number | null }) {
  const t = useT();
  return (
    <nav aria-label={t("councilNav.label")} className="council-nav">
      <ul>
        {sections.map((s) => {
          const Icon = ICONS[s];
          return (
            <li key={s}>
              <Link to={sectionPath(s, base, planYear)} aria-current={s === current ? "page" : undefined}>
                <Icon aria-hidden="true" focusable="false" size={18} />
                <span>{t(`councilNav.${s}`)}</span>
              </Link>
            </li>
          );
        })}
      </ul>
    </nav>
  );
}

/** One step of the breadcrumbs: a message key or a text (a meeting's title), and where it leads. */
export interface Crumb {
  key?: MessageKey;
  text?: string;
  to?: string;
}

/** The last crumb is this page: no link, `aria-current="page"` (the Designsystemet breadcrumbs pattern). */
export function Breadcrumbs({ crumbs }: { crumbs: Crumb[] }) {
  const t = useT();
  return (
    <nav aria-label={t("breadcrumbs.label")} className="ds-breadcrumbs breadcrumbs">
      <ol>
        {crumbs.map((c, i) => {
          const label = c.key ? t(c.key) : (c.text ?? "");
          const last = i === crumbs.length - 1;
          return (
            <li key={i}>
              {last || !c.to ? (
                <span aria-current={last ? "page" : undefined}>{label}</span>
              ) : (
                <Link to={c.to} className="ds-link">
                  {label}
                </Link>
              )}
            </li>
          );
        })}
      </ol>
    </nav>
  );
}
