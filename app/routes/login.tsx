import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { createSession, serializeSessionCookie } from "../../server/auth/session";
import { attemptSucceeded, countAttempt, throttleKeys } from "../../server/auth/throttle";
import { loginSchema, safeRedirect } from "../../server/domain/schemas";
import { authenticate } from "../../server/domain/users";
import { ErrorSummary, Field } from "~/components/forms";
import { pageTitle, useT } from "~/i18n";
import { getUser } from "~/utils/auth.server";
import { readForm, validate } from "~/utils/forms.server";
import { localeOnSignIn } from "~/utils/locale.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.login")];

// A rendered page keeps only an action's Set-Cookie unless the route passes other headers on.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const retryAfter = actionHeaders.get("Retry-After");
  return retryAfter ? { "Retry-After": retryAfter } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  if (await getUser(request, context)) throw redirect(redirectTo);
  return { redirectTo, oidcName: context.config.oidc?.name ?? null };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const values = await readForm(request);
  const parsed = validate(loginSchema, values);
  if (!parsed.ok) return data(parsed, { status: 400 });
  const { email, password } = parsed.data;
  const { password: _omit, ...safeValues } = values;

  // The attempt is counted before the password is checked (atomically), so a burst of
  // concurrent attempts gets no more password checks than the limit allows.
  const keys = throttleKeys(email, context.clientIp);
  const verdict = await countAttempt(context.db, keys);
  if (!verdict.allowed) {
    const minutes = Math.max(1, Math.ceil((Date.parse(verdict.lockedUntil) - Date.now()) / 60_000));
    return data(
      { ok: false as const, errors: { _form: { key: "login.locked" as const, vars: { minutes } } }, values: safeValues },
      { status: 429, headers: { "Retry-After": String(minutes * 60) } },
    );
  }

  const user = await authenticate(context.db, email, password);
  if (!user) {
    // One message for a wrong address and a wrong password alike.
    return data({ ok: false as const, errors: { _form: "login.failed" as const }, values: safeValues }, { status: 401 });
  }
  await attemptSucceeded(context.db, keys);
  const token = await createSession(context.db, user.id);
  const headers = new Headers({ "Set-Cookie": serializeSessionCookie(token, context.config) });
  const lang = await localeOnSignIn(request, context.db, user);
  if (lang) headers.append("Set-Cookie", lang);
  // redirectTo was made a same-site path while the form was parsed (loginSchema).
  throw redirect(parsed.data.redirectTo, { headers });
}

export default function Login() {
  const { redirectTo, oidcName } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const errors = result && !result.ok ? result.errors : undefined;
  const labels = { email: t("login.email"), password: t("login.password") };
  return (
    <div className="page">
      <h1>{t("login.title")}</h1>
      <p className="lede">{t("login.intro")}</p>
      <ErrorSummary errors={errors} labels={labels} />
      {oidcName ? (
        <>
          {/* A plain link (GET): the browser goes on to the provider; a form POST would meet CSP form-action. */}
          <p>
            <a className="button" href={`/auth/oidc?redirectTo=${encodeURIComponent(redirectTo)}`}>
              {t("login.oidc", { name: oidcName })}
            </a>
          </p>
          <p className="muted">{t("login.or")}</p>
        </>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="redirectTo" value={redirectTo} />
        <Field name="email" label={labels.email} errors={errors}>
          {(a) => (
            <input {...a} type="email" autoComplete="username" defaultValue={result?.values?.email ?? ""} required />
          )}
        </Field>
        <Field name="password" label={labels.password} errors={errors}>
          {(a) => <input {...a} type="password" autoComplete="current-password" required />}
        </Field>
        <button type="submit" disabled={navigation.state === "submitting"}>
          {t("login.submit")}
        </button>
      </Form>
      <p>
        <Link to="/forgot-password">{t("forgot.link")}</Link>
      </p>
    </div>
  );
}
