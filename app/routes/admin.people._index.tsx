// Site admin: everyone with an account, and the way to remove a person from the
// installation (anonymisation, on the person's own page).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { searchPeople } from "../../server/domain/users";
import { ScrollTable } from "~/components/ScrollTable";
import { pageTitle, useT } from "~/i18n";
import { requireSiteAdmin } from "~/utils/auth.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.adminPeople")];

const query = z.object({ q: z.string().max(200).optional().catch(undefined) });

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSiteAdmin(request, context);
  const { q } = query.parse(Object.fromEntries(new URL(request.url).searchParams));
  return { q: q ?? "", people: await searchPeople(context.db, q) };
}

export default function AdminPeople() {
  const { q, people } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page page--wide">
      <p>
        <Link to="/admin">← {t("nav.admin")}</Link>
      </p>
      <h1>{t("admin.people.title")}</h1>
      <p>{t("admin.people.intro")}</p>
      <Form method="get" role="search" className="row-form">
        <label htmlFor="q">{t("admin.people.search")}</label> <input id="q" name="q" type="search" defaultValue={q} />{" "}
        <button type="submit">{t("admin.people.searchButton")}</button>
      </Form>
      <ScrollTable label={t("admin.people.title")} hint={t("scrollTable.hint")}>
        <table>
          <caption className="visually-hidden">{t("admin.people.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.name")}</th>
              <th scope="col">{t("members.email")}</th>
              <th scope="col">{t("admin.people.councils")}</th>
              <th scope="col">
                <span className="visually-hidden">{t("admin.people.actions")}</span>
              </th>
            </tr>
          </thead>
          <tbody>
            {people.map((p) => (
              <tr key={p.id}>
                <td>
                  {p.name}
                  {p.is_site_admin ? ` (${t("nav.admin")})` : null}
                </td>
                <td>{p.email}</td>
                <td>{Number(p.councils)}</td>
                <td>
                  <Link to={`/admin/people/${p.id}`}>
                    {t("admin.people.remove")}
                    <span className="visually-hidden">: {p.name}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </ScrollTable>
    </div>
  );
}
