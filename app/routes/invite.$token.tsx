import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { hashPassword } from "../../server/auth/password";
import { createSession, serializeSessionCookie } from "../../server/auth/session";
import { attemptSucceeded, countAttempt, throttleKeys } from "../../server/auth/throttle";
import { acceptInvitation, findInvitation } from "../../server/domain/invitations";
import { acceptInviteExistingUserSchema, acceptInviteNewUserSchema } from "../../server/domain/schemas";
import { authenticate } from "../../server/domain/users";
import { ErrorSummary, Field } from "~/components/forms";
import { pageTitle, useT } from "~/i18n";
import { getUser } from "~/utils/auth.server";
import { domainFailure, failure, formError, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.invite"), { name: "robots", content: "noindex" }];

const STATUS_KEY = { used: "error.inviteUsed", expired: "error.inviteExpired", revoked: "error.inviteRevoked" } as const;

/** The invite and how this visitor can accept it. Unknown → 404; used/expired/revoked → 410. */
async function resolve(request: Request, context: LoaderFunctionArgs["context"], token: string | undefined) {
  const view = token ? await findInvitation(context.db, token) : undefined;
  if (!view) throw data({ messageKey: "error.inviteNotFound" }, { status: 404 });
  if (view.status !== "valid") throw data({ messageKey: STATUS_KEY[view.status] }, { status: 410 });
  const user = await getUser(request, context);
  const mode: "new" | "existing" | "signedIn" | "otherAccount" = user
    ? user.email === view.invitation.email
      ? "signedIn"
      : "otherAccount"
    : view.existingUserId
      ? "existing"
      : "new";
  return { view, user, mode };
}

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { view, user, mode } = await resolve(request, context, params.token);
  return {
    council: view.council.name,
    role: view.invitation.role,
    organisation: view.invitation.organisation,
    email: view.invitation.email,
    suggestedName: view.invitation.name,
    mode,
    userName: user?.name ?? null,
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { view, user, mode } = await resolve(request, context, params.token);
  const token = params.token!;
  const values = await readForm(request);
  const deps = { db: context.db, events: context.events };
  const signInAndGo = async (userId: string, slug: string) => {
    const session = await createSession(context.db, userId);
    return redirect(`/councils/${slug}`, { headers: { "Set-Cookie": serializeSessionCookie(session, context.config) } });
  };
  try {
    switch (mode) {
      case "otherAccount":
        throw data({ messageKey: "error.inviteOtherAccount" }, { status: 403 });
      case "signedIn": {
        const res = await acceptInvitation(deps, { token, existingUserId: user!.id });
        return redirect(`/councils/${res.councilSlug}`);
      }
      case "existing": {
        const parsed = validate(acceptInviteExistingUserSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const keys = throttleKeys(view.invitation.email, context.clientIp);
        // Counted before the password is checked, as on /login (server/auth/throttle.ts).
        if (!(await countAttempt(context.db, keys)).allowed) {
          return formError("login.failed", undefined, 429);
        }
        const account = await authenticate(context.db, view.invitation.email, parsed.data.password);
        if (!account) {
          return failure({ errors: { password: "login.failed" }, values: {} }, 401);
        }
        await attemptSucceeded(context.db, keys);
        const res = await acceptInvitation(deps, { token, existingUserId: account.id });
        return signInAndGo(res.userId, res.councilSlug);
      }
      case "new": {
        const parsed = validate(acceptInviteNewUserSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const passwordHash = await hashPassword(parsed.data.password);
        const res = await acceptInvitation(deps, { token, newUser: { name: parsed.data.name, passwordHash } });
        return signInAndGo(res.userId, res.councilSlug);
      }
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

export default function AcceptInvite() {
  const inv = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const errors = result && "errors" in result ? result.errors : undefined;
  const values: Record<string, string> = result && "values" in result ? result.values : {};
  const labels = { name: t("accept.name"), password: t("accept.password"), passwordConfirm: t("accept.passwordConfirm") };
  return (
    <div className="page">
      <h1>{t("accept.title", { council: inv.council })}</h1>
      <p className="lede">{t("accept.intro", { role: t(`role.${inv.role}`).toLowerCase(), organisation: inv.organisation })}</p>
      <ErrorSummary errors={errors} labels={inv.mode === "existing" ? { password: t("login.password") } : labels} />
      {inv.mode === "otherAccount" ? <p className="notice notice--info">{t("accept.otherAccount", { email: inv.email })}</p> : null}
      {inv.mode === "signedIn" ? (
        <Form method="post">
          <p>{t("accept.signedInAs", { name: inv.userName ?? "" })}</p>
          <button type="submit">{t("accept.submit")}</button>
        </Form>
      ) : null}
      {inv.mode === "existing" ? (
        <Form method="post" noValidate>
          <p>{t("accept.existing", { email: inv.email })}</p>
          <input type="hidden" name="email" value={inv.email} autoComplete="username" />
          <Field name="password" label={t("login.password")} errors={errors}>
            {(a) => <input {...a} type="password" autoComplete="current-password" />}
          </Field>
          <button type="submit">{t("accept.existingSubmit")}</button>
        </Form>
      ) : null}
      {inv.mode === "new" ? (
        <Form method="post" noValidate>
          <p>{t("accept.email", { email: inv.email })}</p>
          <input type="hidden" name="email" value={inv.email} autoComplete="username" />
          <Field name="name" label={labels.name} errors={errors}>
            {(a) => <input {...a} type="text" autoComplete="name" defaultValue={values?.name ?? inv.suggestedName ?? ""} />}
          </Field>
          <Field name="password" label={labels.password} errors={errors}>
            {(a) => <input {...a} type="password" autoComplete="new-password" />}
          </Field>
          <Field name="passwordConfirm" label={labels.passwordConfirm} errors={errors}>
            {(a) => <input {...a} type="password" autoComplete="new-password" />}
          </Field>
          <button type="submit">{t("accept.submit")}</button>
        </Form>
      ) : null}
    </div>
  );
}
