// The council workspace: every page under /councils/:slug renders inside this layout,
// which shows the council's name, its navigation (only the sections this person's role
// may see) and breadcrumbs back up (issue #13). Child routes add their own crumbs
// through `handle.crumbs` (see CouncilHandle). Resource routes (the .ics calendar) do
// not render it and Remix does not run this loader for them.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { Link, Outlet, useLoaderData, useLocation, useMatches, useParams } from "@remix-run/react";
import { can, type CouncilAction } from "../../server/domain/permissions";
import { currentPlanYear } from "../../server/domain/plans";
import { stockholmToday } from "../../server/domain/time";
import { Breadcrumbs, COUNCIL_SECTIONS, CouncilNav, sectionOf, sectionPath, type Crumb, type CouncilSection } from "~/components/CouncilNav";
import { requireCouncil } from "~/utils/auth.server";
import { CalendarRange, Search } from "lucide-react";
import { useT } from "~/i18n";

/** The right each section asks of its page's loader; a section's link shows only with it. */
const SECTION_RIGHT: Record<CouncilSection, CouncilAction> = {
  overview: "council:view",
  meetings: "meeting:view",
  plan: "plan:view",
  followup: "plan:view",
  groups: "council:view",
  statements: "council:view",
  members: "members:manage",
  activity: "council:view",
};

/** What a child route under /councils/:slug may export as `handle`: its own steps of the breadcrumbs. */
export interface CouncilHandle {
  crumbs: (data: unknown, base: string) => Crumb[];
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  // Kept cheap, it runs on every council page: the membership (the same guard every
  // child uses, so nobody sees a council's name the page itself would not show) and
  // one query for the plan years.
  const { council, membership } = await requireCouncil(request, context, params.slug, "council:view");
  const planYear = await currentPlanYear(context.db, council.id);
  const sections = COUNCIL_SECTIONS.filter((s) => can(membership, SECTION_RIGHT[s]) && ((s !== "plan" && s !== "followup") || planYear !== null));
  return { council: { slug: council.slug, name: council.name }, planYear, sections, thisYear: Number(stockholmToday().slice(0, 4)) };
}

export default function CouncilLayout() {
  const { council, planYear, sections, thisYear } = useLoaderData<typeof loader>();
  const { pathname } = useLocation();
  const params = useParams();
  const matches = useMatches();
  const t = useT();
  const base = `/councils/${council.slug}`;
  const current = sectionOf(pathname.split("/").slice(3).join("/"));
  // On a plan's pages the plan links stay on that plan's year.
  const year = /^\d{4}$/.test(params.year ?? "") ? Number(params.year) : planYear;

  const crumbs: Crumb[] = [{ key: "breadcrumbs.home", to: "/" }, { text: council.name, to: base }];
  if (current !== "overview") crumbs.push({ key: `councilNav.${current}`, to: sectionPath(current, base, year) });
  for (const m of matches) {
    const handle = m.handle as Partial<CouncilHandle> | undefined;
    if (handle?.crumbs && m.data) crumbs.push(...handle.crumbs(m.data, base));
  }

  return (
    <>
      <div className="council-bar">
        <div className="council-bar__inner">
          <div className="council-bar__top">
            <p className="council-bar__name">{council.name}</p>
            <span className="council-bar__links">
            <Link to={`${base}/year/${thisYear}`} className="council-bar__search">
              <CalendarRange aria-hidden="true" focusable="false" size={18} />
              <span>{t("year.link")}</span>
            </Link>
            <Link to={`${base}/search`} className="council-bar__search">
              <Search aria-hidden="true" focusable="false" size={18} />
              <span>{t("search.short")}</span>
            </Link>
            </span>
          </div>
          <CouncilNav sections={sections} current={current} base={base} planYear={year} />
        </div>
      </div>
      <div className="council-crumbs">
        <Breadcrumbs crumbs={crumbs} />
      </div>
      <Outlet />
    </>
  );
}
