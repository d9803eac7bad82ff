// The council's whole activity feed, newest first, paged with `?before=`; live.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listActivity } from "../../server/domain/activity";
import { ActivityList } from "~/components/ActivityList";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.activity", { council: data.council.name }) : pageTitle(matches)];

const PAGE = 50;
const query = z.object({ before: z.string().datetime().optional().catch(undefined) });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "council:view");
  const { before } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const items = await listActivity(context.db, council.id, membership.role, { limit: PAGE, before });
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    items,
    next: items.length === PAGE ? items[items.length - 1].created : null,
  };
}

export default function ActivityPage() {
  const { council, items, next } = useLoaderData<typeof loader>();
  const t = useT();
  useCouncilLive(council.id);
  return (
    <div className="page">
      <h1>{t("activity.title")}</h1>
      <ActivityList items={items} councilSlug={council.slug} />
      {next ? (
        <p>
          <Link to={`?before=${encodeURIComponent(next)}`}>{t("activity.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}
