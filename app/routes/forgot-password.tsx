// "Glömt lösenord?" (issue #16): the person gives their address; if it is a person's,
// a single-use link valid for an hour is e-mailed to it. The page answers the same
// whether or not the address exists, and in the same time (the e-mail goes out after
// the response). Throttled like signing in: per address and per client address.
import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useNavigation } from "@remix-run/react";
import { countAttempt, resetThrottleKeys } from "../../server/auth/throttle";
import { requestPasswordReset } from "../../server/domain/account";
import { forgotPasswordSchema } from "../../server/domain/schemas";
import { passwordResetMail } from "../../server/mail/account-texts";
import { ErrorSummary, Field } from "~/components/forms";
import { useActionResult } from "~/components/useActionResult";
import { pageTitle, useT } from "~/i18n";
import { getUser } from "~/utils/auth.server";
import { readForm, validate } from "~/utils/forms.server";
import { absoluteUrl } from "~/utils/urls.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.forgot")];

export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  // Signed in: the password is changed under Inställningar.
  if (await getUser(request, context)) throw redirect("/settings");
  return null;
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = await readForm(request);
  const parsed = validate(forgotPasswordSchema, values);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const verdict = await countAttempt(context.db, resetThrottleKeys(parsed.data.email, context.clientIp));
  if (!verdict.allowed) {
    const minutes = Math.max(1, Math.ceil((Date.parse(verdict.lockedUntil) - Date.now()) / 60_000));
    return data(
      { ok: false as const, errors: { _form: { key: "forgot.locked" as const, vars: { minutes } } }, values },
      { status: 429, headers: { "Retry-After": String(minutes * 60) } },
    );
  }
  const reset = await requestPasswordReset(context.db, parsed.data.email);
  if (reset?.user.email) {
    context.mail.send(passwordResetMail({ to: reset.user.email, name: reset.user.name, locale: reset.user.locale, url: absoluteUrl(request, context, `/reset-password/${reset.token}`) }));
  }
  return { ok: true as const, sent: true };
}

export default function ForgotPassword() {
  const result = useActionResult<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const errors = result && !result.ok ? result.errors : undefined;
  const labels = { email: t("login.email") };
  return (
    <div className="page">
      <h1>{t("forgot.title")}</h1>
      {result?.ok ? (
        <p className="notice" role="status">
          {t("forgot.sent")}
        </p>
      ) : (
        <>
          <p className="lede">{t("forgot.intro")}</p>
          <ErrorSummary errors={errors} labels={labels} />
          <Form method="post" noValidate>
            <Field name="email" label={labels.email} errors={errors}>
              {(a) => <input {...a} type="email" autoComplete="username" defaultValue={result?.values?.email ?? ""} required />}
            </Field>
            <button type="submit" disabled={navigation.state === "submitting"}>
              {t("forgot.submit")}
            </button>
          </Form>
        </>
      )}
      <p>
        <Link to="/login">{t("forgot.backToLogin")}</Link>
      </p>
    </div>
  );
}
