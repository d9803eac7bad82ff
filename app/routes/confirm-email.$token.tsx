// The link sent to a new e-mail address (issue #16): the page asks to confirm the
// change, and the address changes when the person confirms (a POST: mail scanners
// that open links do not change anyone's address). Used once, valid for a day; once
// confirmed, the link's page says so.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { confirmEmailChange, emailChangeState } from "../../server/domain/account";
import { DomainError } from "../../server/domain/errors";
import { ErrorSummary } from "~/components/forms";
import { useActionResult } from "~/components/useActionResult";
import { pageTitle, useT } from "~/i18n";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.confirmEmail")];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const link = await emailChangeState(context.db, params.token ?? "");
  return data({ link }, { status: link.state === "invalid" ? 410 : 200 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const token = params.token ?? "";
  const here = new URL(request.url).pathname;
  const link = await emailChangeState(context.db, token);
  // Confirmed already (a second click): the page says so.
  if (link.state === "done") throw redirect(here);
  try {
    await confirmEmailChange(context.db, token);
  } catch (err) {
    if (err instanceof DomainError) return data({ ok: false as const, errors: { _form: err.code } }, { status: err.status });
    throw err;
  }
  throw redirect(here);
}

export default function ConfirmEmail() {
  const { link } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("confirmEmail.title")}</h1>
      {link.state === "done" ? (
        <>
          <p className="notice" role="status">
            {t("confirmEmail.done", { email: link.newEmail })}
          </p>
          <p>
            <Link to="/">{t("nav.home")}</Link>
          </p>
        </>
      ) : link.state === "pending" ? (
        <>
          <ErrorSummary errors={result && !result.ok ? result.errors : undefined} labels={{}} />
          <p>{t("confirmEmail.intro", { name: link.name, email: link.newEmail })}</p>
          <Form method="post">
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t("confirmEmail.submit")}
            </button>
          </Form>
        </>
      ) : (
        <p>{t("confirmEmail.invalid")}</p>
      )}
    </div>
  );
}
