// The link from a "Glömt lösenord?" e-mail (issue #16): choose a new password. The
// link is used once and is valid for an hour (server/domain/account.ts); saving ends
// the person's other sessions and signs them in here. Opening the page does not use
// the link up (mail scanners open links), only saving does.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { createSession, serializeSessionCookie } from "../../server/auth/session";
import { resetLinkValid, resetPassword } from "../../server/domain/account";
import { DomainError } from "../../server/domain/errors";
import { resetPasswordSchema } from "../../server/domain/schemas";
import { ErrorSummary, Field } from "~/components/forms";
import { useActionResult } from "~/components/useActionResult";
import { pageTitle, useT } from "~/i18n";
import { readForm, validate } from "~/utils/forms.server";
import { localeOnSignIn } from "~/utils/locale.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.reset")];

export async function loader({ params, context }: LoaderFunctionArgs) {
  const valid = await resetLinkValid(context.db, params.token ?? "");
  return data({ valid }, { status: valid ? 200 : 410 });
}

export async function action({ request, params, context }: ActionFunctionArgs) {
  const values = await readForm(request);
  const parsed = validate(resetPasswordSchema, values);
  if (!parsed.ok) return data(parsed, { status: 400 });
  let user;
  try {
    user = await resetPassword(context.db, params.token ?? "", parsed.data.password);
  } catch (err) {
    if (err instanceof DomainError) return data({ ok: false as const, errors: { _form: err.code }, values: {} }, { status: err.status });
    throw err;
  }
  const token = await createSession(context.db, user.id);
  const headers = new Headers({ "Set-Cookie": serializeSessionCookie(token, context.config) });
  const lang = await localeOnSignIn(request, context.db, user);
  if (lang) headers.append("Set-Cookie", lang);
  throw redirect("/", { headers });
}

export default function ResetPassword() {
  const { valid } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  if (!valid) {
    return (
      <div className="page">
        <h1>{t("reset.invalidTitle")}</h1>
        <p>{t("reset.invalid")}</p>
        <p>
          <Link to="/forgot-password">{t("reset.again")}</Link>
        </p>
      </div>
    );
  }
  const errors = result && !result.ok ? result.errors : undefined;
  const labels = { password: t("reset.password"), passwordConfirm: t("reset.passwordConfirm") };
  return (
    <div className="page">
      <h1>{t("reset.title")}</h1>
      <p className="lede">{t("reset.intro")}</p>
      <ErrorSummary errors={errors} labels={labels} />
      <Form method="post" noValidate>
        <Field name="password" label={labels.password} errors={errors}>
          {(a) => <input {...a} type="password" autoComplete="new-password" minLength={10} required />}
        </Field>
        <Field name="passwordConfirm" label={labels.passwordConfirm} errors={errors}>
          {(a) => <input {...a} type="password" autoComplete="new-password" minLength={10} required />}
        </Field>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("reset.submit")}
        </button>
      </Form>
    </div>
  );
}
