// The council's audit log, for its process leaders: read-only, newest first.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listAudit } from "../../server/domain/audit";
import { AuditTable } from "~/components/AuditTable";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: () => [{ key: "breadcrumbs.audit" }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.audit", { council: data.council.name }) : pageTitle(matches)];

const PAGE = 100;
const query = z.object({ before: z.string().datetime().optional().catch(undefined) });

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "audit:view");
  const { before } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listAudit(context.db, { councilId: council.id, limit: PAGE, before });
  return { council: { slug: council.slug, name: council.name }, rows, next: rows.length === PAGE ? rows[rows.length - 1].at : null };
}

/** The log is append-only: nothing here writes to it, and every write is refused. */
export async function action() {
  throw data({ messageKey: "audit.readOnly" }, { status: 405, headers: { Allow: "GET" } });
}

export default function CouncilAudit() {
  const { council, rows, next } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page page--wide">
      <h1>{t("audit.title")}</h1>
      <p>{t("audit.intro")}</p>
      <AuditTable rows={rows} showCouncil={false} />
      {next ? (
        <p>
          <Link to={`?before=${encodeURIComponent(next)}`}>{t("audit.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}
