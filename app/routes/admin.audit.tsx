// Site admin: the installation's whole audit log (every council, plus site-level
// entries such as anonymisations), read-only, newest first.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { listAudit } from "../../server/domain/audit";
import { AuditTable } from "~/components/AuditTable";
import { pageTitle, useT } from "~/i18n";
import { requireSiteAdmin } from "~/utils/auth.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.adminAudit")];

const PAGE = 100;
const query = z.object({ before: z.string().datetime().optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSiteAdmin(request, context);
  const { before } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  const rows = await listAudit(context.db, { limit: PAGE, before });
  return { rows, next: rows.length === PAGE ? rows[rows.length - 1].at : null };
}

/** The log is append-only: nothing here writes to it, and every write is refused. */
export async function action() {
  throw data({ messageKey: "audit.readOnly" }, { status: 405, headers: { Allow: "GET" } });
}

export default function AdminAudit() {
  const { rows, next } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page page--wide">
      <p>
        <Link to="/admin">← {t("nav.admin")}</Link>
      </p>
      <h1>{t("audit.title")}</h1>
      <p>{t("audit.intro")}</p>
      <AuditTable rows={rows} showCouncil />
      {next ? (
        <p>
          <Link to={`?before=${encodeURIComponent(next)}`}>{t("audit.older")}</Link>
        </p>
      ) : null}
    </div>
  );
}
