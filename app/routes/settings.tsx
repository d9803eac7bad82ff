import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { data } from "@remix-run/node";
import { sessionIdOf } from "../../server/auth/session";
import { changeName, changePassword, requestEmailChange } from "../../server/domain/account";
import { createApiToken, listApiTokens, revokeApiToken } from "../../server/domain/api-tokens";
import { hasCalendarToken, revokeCalendarTokens, rotateCalendarToken } from "../../server/domain/meetings";
import { calendarYearEvents, setCalendarYearEvents } from "../../server/domain/year-wheel";
import { changeEmailSchema, changeNameSchema, changePasswordSchema, createApiTokenSchema, revokeApiTokenSchema } from "../../server/domain/schemas";
import { emailChangeMail } from "../../server/mail/account-texts";
import { AccountSection, type AccountResult } from "~/components/AccountSection";
import { ApiTokensSection, type ApiTokensResult } from "~/components/ApiTokensSection";
import { pageTitle, useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { absoluteUrl } from "~/utils/urls.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.settings")];

// The answer that shows a new API token (once) is never kept by a cache.
export const headers: HeadersFunction = ({ actionHeaders }) => {
  const cacheControl = actionHeaders.get("Cache-Control");
  return cacheControl ? { "Cache-Control": cacheControl } : new Headers();
};

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return {
    hasFeed: await hasCalendarToken(context.db, user.id),
    feedYear: await calendarYearEvents(context.db, user.id),
    account: { name: user.name, email: user.email ?? "" },
    apiTokens: await listApiTokens(context.db, user.id),
  };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const values = await readForm(request);
  if (values.intent === "rotate") {
    const token = await rotateCalendarToken(context.db, user.id);
    return { ok: true as const, intent: "rotate", link: absoluteUrl(request, context, `/feeds/${token}/calendar.ics`) };
  }
  if (values.intent === "feedYear") {
    // A checkbox: sent when ticked, absent when not.
    await setCalendarYearEvents(context.db, user.id, values.yearEvents === "1");
    return { ok: true as const, intent: "feedYear" };
  }
  if (values.intent === "name") {
    const parsed = validate(changeNameSchema, values);
    if (!parsed.ok) return data(parsed, { status: 400 });
    await changeName(context.db, { userId: user.id, name: parsed.data.name });
    return { ok: true as const, intent: "name" };
  }
  if (values.intent === "email") {
    const parsed = validate(changeEmailSchema, values);
    if (!parsed.ok) return data(parsed, { status: 400 });
    try {
      const change = await requestEmailChange(context.db, { userId: user.id, newEmail: parsed.data.newEmail, password: parsed.data.emailPassword });
      context.mail.send(emailChangeMail({ to: change.to, name: change.name, locale: change.locale, url: absoluteUrl(request, context, `/confirm-email/${change.token}`) }));
      return { ok: true as const, intent: "email", email: change.to };
    } catch (err) {
      return domainFailure(err, values, "newEmail");
    }
  }
  if (values.intent === "password") {
    const parsed = validate(changePasswordSchema, values);
    if (!parsed.ok) return data(parsed, { status: 400 });
    try {
      const keepSessionId = sessionIdOf(request.headers.get("Cookie"), context.config.sessionSecret);
      await changePassword(context.db, { userId: user.id, current: parsed.data.currentPassword, password: parsed.data.password, keepSessionId });
      return { ok: true as const, intent: "password" };
    } catch (err) {
      return domainFailure(err, values, "currentPassword");
    }
  }
  if (values.intent === "createToken") {
    const parsed = validate(createApiTokenSchema, values);
    if (!parsed.ok) return data(parsed, { status: 400 });
    try {
      const { token, view } = await createApiToken(context.db, { userId: user.id, name: parsed.data.tokenName, validDays: parsed.data.validity });
      // Shown once, in this answer only: never stored by a cache.
      return data({ ok: true as const, intent: "createToken" as const, id: view.id, name: view.name, token }, { headers: { "Cache-Control": "no-store" } });
    } catch (err) {
      return domainFailure(err, values);
    }
  }
  if (values.intent === "revokeToken") {
    const parsed = validate(revokeApiTokenSchema, values);
    if (!parsed.ok) return data(parsed, { status: 404 });
    try {
      const { name } = await revokeApiToken(context.db, { userId: user.id, tokenId: parsed.data.tokenId });
      return { ok: true as const, intent: "revokeToken" as const, name };
    } catch (err) {
      return domainFailure(err, values);
    }
  }
  if (values.intent === "revoke") {
    await revokeCalendarTokens(context.db, user.id);
    return { ok: true as const, intent: "revoke", link: null };
  }
  return formError("error.unknownIntent", values.intent);
}

export default function Settings() {
  const { hasFeed, feedYear, account, apiTokens } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const link = result?.ok && result.intent === "rotate" ? result.link : null;
  return (
    <div className="page">
      <h1>{t("nav.settings")}</h1>
      <AccountSection name={account.name} email={account.email} result={result as AccountResult} />
      <h2>{t("calendar.title")}</h2>
      <p>{t("calendar.intro")}</p>
      {link ? (
        <div className="notice" role="status">
          <label htmlFor="feed-link">{t("calendar.link")}</label>
          <input id="feed-link" className="copy-field" type="text" readOnly value={link} />
          <p>{t("calendar.shownOnce")}</p>
        </div>
      ) : null}
      {result?.ok && result.intent === "revoke" ? <p className="notice">{t("calendar.revoked")}</p> : null}
      <p>{hasFeed ? t("calendar.active") : t("calendar.none")}</p>
      <Form method="post" className="row-form">
        <input type="hidden" name="intent" value="rotate" />
        <button type="submit">{hasFeed ? t("calendar.rotate") : t("calendar.create")}</button>
      </Form>
      {hasFeed ? (
        <Form method="post" className="row-form">
          <input type="hidden" name="intent" value="revoke" />
          <button type="submit" className="button--secondary">
            {t("calendar.revoke")}
          </button>
        </Form>
      ) : null}
      <Form method="post" className="feed-year">
        <input type="hidden" name="intent" value="feedYear" />
        <div className="checkbox-row">
          <input id="feed-year" type="checkbox" name="yearEvents" value="1" defaultChecked={feedYear} key={String(feedYear)} />
          <label htmlFor="feed-year">{t("calendar.yearEvents")}</label>
        </div>
        <button type="submit" className="button--secondary">
          {t("calendar.yearEventsSave")}
        </button>
        {result?.ok && result.intent === "feedYear" ? (
          <p className="notice" role="status">
            {t("calendar.yearEventsSaved")}
          </p>
        ) : null}
      </Form>
      <h2>{t("prefs.title")}</h2>
      <p>{t("prefs.summary")}</p>
      <p>
        <Link to="/settings/notifications">{t("prefs.change")}</Link>
      </p>
      <ApiTokensSection tokens={apiTokens} result={result as ApiTokensResult} />
      <h2>{t("mydata.title")}</h2>
      <p>{t("mydata.intro")}</p>
      <p>
        <a href="/api/v1/me/export" download>
          {t("mydata.download")}
        </a>
      </p>
    </div>
  );
}
