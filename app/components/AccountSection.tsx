// "Ditt konto" on /settings (issue #16): the person's name, e-mail address (changed
// once the new address is confirmed by a link) and password (the current one
// required; other sessions end). Three plain forms: they work without JavaScript.
import { Form } from "@remix-run/react";
import { ErrorSummary, Field, type Errors } from "~/components/forms";
import { useT } from "~/i18n";

export type AccountResult =
  | { ok: true; intent: "name" | "password" }
  | { ok: true; intent: "email"; email: string }
  | { ok: false; intent?: string; errors: Errors; values?: Record<string, string> }
  | undefined;

export function AccountSection({ name, email, result }: { name: string; email: string; result: AccountResult }) {
  const t = useT();
  const failed = (intent: string) => (result && !result.ok && result.intent === intent ? result : undefined);
  const done = (intent: string) => result?.ok && result.intent === intent;
  const nameFailed = failed("name");
  const emailFailed = failed("email");
  const passwordFailed = failed("password");
  const emailLabels = { newEmail: t("account.newEmail"), emailPassword: t("account.emailPassword") };
  const passwordLabels = { currentPassword: t("account.currentPassword"), password: t("account.newPassword"), passwordConfirm: t("account.newPasswordConfirm") };
  return (
    <section aria-labelledby="account-h">
      <h2 id="account-h">{t("account.title")}</h2>

      <h3>{t("account.name")}</h3>
      {done("name") ? (
        <p className="notice" role="status">
          {t("account.nameSaved")}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="name" />
        <ErrorSummary errors={nameFailed?.errors} labels={{ name: t("account.name") }} idPrefix="account-" />
        <Field name="name" idPrefix="account-" label={t("account.name")} hint={t("account.nameHint")} errors={nameFailed?.errors}>
          {(a) => <input {...a} type="text" autoComplete="name" defaultValue={nameFailed?.values?.name ?? name} required />}
        </Field>
        <button type="submit">{t("account.saveName")}</button>
      </Form>

      <h3>{t("account.email")}</h3>
      <p>{t("account.currentEmail", { email })}</p>
      {result?.ok && result.intent === "email" ? (
        <p className="notice" role="status">
          {t("account.emailSent", { email: result.email })}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="email" />
        <ErrorSummary errors={emailFailed?.errors} labels={emailLabels} />
        <Field name="newEmail" label={emailLabels.newEmail} hint={t("account.emailHint")} errors={emailFailed?.errors}>
          {(a) => <input {...a} type="email" autoComplete="email" defaultValue={emailFailed?.values?.newEmail ?? ""} required />}
        </Field>
        <Field name="emailPassword" label={emailLabels.emailPassword} errors={emailFailed?.errors}>
          {(a) => <input {...a} type="password" autoComplete="current-password" required />}
        </Field>
        <button type="submit">{t("account.changeEmail")}</button>
      </Form>

      <h3>{t("account.password")}</h3>
      {done("password") ? (
        <p className="notice" role="status">
          {t("account.passwordChanged")}
        </p>
      ) : null}
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value="password" />
        {/* The account's name for password managers. */}
        <input type="hidden" name="username" autoComplete="username" value={email} />
        <ErrorSummary errors={passwordFailed?.errors} labels={passwordLabels} />
        <Field name="currentPassword" label={passwordLabels.currentPassword} errors={passwordFailed?.errors}>
          {(a) => <input {...a} type="password" autoComplete="current-password" required />}
        </Field>
        <Field name="password" label={passwordLabels.password} hint={t("account.passwordHint")} errors={passwordFailed?.errors}>
          {(a) => <input {...a} type="password" autoComplete="new-password" minLength={10} required />}
        </Field>
        <Field name="passwordConfirm" label={passwordLabels.passwordConfirm} errors={passwordFailed?.errors}>
          {(a) => <input {...a} type="password" autoComplete="new-password" minLength={10} required />}
        </Field>
        <button type="submit">{t("account.changePassword")}</button>
      </Form>
    </section>
  );
}
