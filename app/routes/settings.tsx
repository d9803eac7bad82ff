import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { hasCalendarToken, revokeCalendarTokens, rotateCalendarToken } from "../../server/domain/meetings";
import { pageTitle, useT } from "~/i18n";
import { requireUser } from "~/utils/auth.server";
import { formError, readForm } from "~/utils/forms.server";
import { absoluteUrl } from "~/utils/urls.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.settings")];

export async function loader({ request, context }: LoaderFunctionArgs) {
  const user = await requireUser(request, context);
  return { hasFeed: await hasCalendarToken(context.db, user.id) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const user = await requireUser(request, context);
  const values = await readForm(request);
  if (values.intent === "rotate") {
    const token = await rotateCalendarToken(context.db, user.id);
    return { ok: true as const, intent: "rotate", link: absoluteUrl(request, context, `/feeds/${token}/calendar.ics`) };
  }
  if (values.intent === "revoke") {
    await revokeCalendarTokens(context.db, user.id);
    return { ok: true as const, intent: "revoke", link: null };
  }
  return formError("error.unknownIntent", values.intent);
}

export default function Settings() {
  const { hasFeed } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const link = result?.ok && result.intent === "rotate" ? result.link : null;
  return (
    <div className="page">
      <h1>{t("nav.settings")}</h1>
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
      <h2>{t("prefs.title")}</h2>
      <p>{t("prefs.summary")}</p>
      <p>
        <Link to="/settings/notifications">{t("prefs.change")}</Link>
      </p>
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
