// Site admin: remove one person from the installation. The account is
// anonymised (name → "Former member", e-mail and password erased) and every
// membership ends; plans, minutes and history stay intact and readable.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { anonymiseUser } from "../../server/domain/personal-data";
import { anonymiseSchema } from "../../server/domain/schemas";
import { getActivePerson } from "../../server/domain/users";
import { ErrorSummary, formText } from "~/components/forms";
import { pageTitle, useT } from "~/i18n";
import { notFound, requireSiteAdmin } from "~/utils/auth.server";
import { domainFailure, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.adminPerson")];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  await requireSiteAdmin(request, context);
  const found = await getActivePerson(context.db, params.id ?? "");
  if (!found) throw notFound();
  return found;
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const admin = await requireSiteAdmin(request, context);
  // As in the loader: someone already removed is not there to remove.
  if (!(await getActivePerson(context.db, params.id ?? ""))) throw notFound();
  const values = await readForm(request);
  const parsed = validate(anonymiseSchema, { ...values, userId: params.id ?? "" });
  if (!parsed.ok) return data(parsed, { status: 400 });
  try {
    await anonymiseUser({ db: context.db, events: context.events }, { userId: parsed.data.userId, actorId: admin.id });
  } catch (err) {
    return domainFailure(err, values);
  }
  throw redirect("/admin/people?removed=1");
}

export default function RemovePerson() {
  const { person, councils } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const errors = result && !result.ok ? result.errors : undefined;
  return (
    <div className="page">
      <p>
        <Link to="/admin/people">← {t("admin.people.title")}</Link>
      </p>
      <h1>{t("admin.anonymise.title", { name: person.name })}</h1>
      {errors ? <ErrorSummary errors={errors} labels={{ confirm: t("admin.anonymise.confirm") }} /> : null}
      <p>{t("admin.anonymise.intro")}</p>
      <ul>
        <li>{t("admin.anonymise.what1")}</li>
        <li>{t("admin.anonymise.what2")}</li>
        <li>{t("admin.anonymise.what3")}</li>
      </ul>
      {councils.length ? (
        <>
          <h2>{t("admin.anonymise.councils")}</h2>
          <ul>
            {councils.map((c) => (
              <li key={c.name}>
                {c.name} ({t(`role.${c.role}`)})
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <Form method="post">
        <p>
          <input type="checkbox" id="confirm" name="confirm" value="yes" aria-describedby={errors?.confirm ? "confirm-error" : undefined} />{" "}
          <label htmlFor="confirm">{t("admin.anonymise.confirm")}</label>
        </p>
        {errors?.confirm ? (
          <p id="confirm-error" className="error-message">
            {formText(t, errors.confirm)}
          </p>
        ) : null}
        <button type="submit" className="button--danger">
          {t("admin.anonymise.submit")}
        </button>
      </Form>
    </div>
  );
}
