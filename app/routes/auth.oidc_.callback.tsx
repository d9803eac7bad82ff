// GET /auth/oidc/callback: the provider sends the browser back here (issue #16,
// decision 046). A known person (or one with a valid invitation) is signed in; anyone
// else, a tampered or replayed flow, or a cancelled sign-in gets a page that says why
// (400/403/503), never a 500, and no session.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { clearFlowCookie, finishOidcSignIn, logoutCookie, OidcFlowError } from "../../server/auth/oidc";
import { createSession, serializeSessionCookie, SESSION_TTL_MS } from "../../server/auth/session";
import { oidcSignIn } from "../../server/domain/oidc-accounts";
import { log } from "../../server/log";
import { pageTitle, useT, type MessageKey } from "~/i18n";
import { notFound } from "~/utils/auth.server";
import { localeOnSignIn } from "~/utils/locale.server";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "oidc.title"), { name: "robots", content: "noindex" }];

const refusal = (key: MessageKey, status: number, setCookie: string, vars: Record<string, string> = {}) =>
  data({ messageKey: key, vars }, { status, headers: { "Set-Cookie": setCookie, "Cache-Control": "no-store" } });

export async function loader({ request, context }: LoaderFunctionArgs) {
  const cfg = context.config.oidc;
  if (!cfg) throw notFound();
  // The flow cookie is used once, whatever happens next.
  const clear = clearFlowCookie(context.config);
  const requestUrl = new URL(request.url);
  const currentUrl = context.config.publicUrl ? new URL(requestUrl.pathname + requestUrl.search, context.config.publicUrl) : requestUrl;
  let result;
  try {
    result = await finishOidcSignIn(cfg, context.config, { currentUrl, cookieHeader: request.headers.get("Cookie") });
  } catch (err) {
    if (!(err instanceof OidcFlowError)) throw err;
    log.info("oidc sign-in refused", { reason: err.reason });
    return refusal(`oidc.${err.reason}`, err.reason === "unavailable" ? 503 : 400, clear);
  }
  const outcome = await oidcSignIn({ db: context.db, events: context.events }, result);
  if (outcome.kind === "refused") {
    log.info("oidc sign-in refused", { reason: outcome.reason });
    return refusal(outcome.reason === "unknown" ? "oidc.unknown" : "oidc.unverified", 403, clear, { email: outcome.email ?? "" });
  }
  const headers = new Headers({ "Cache-Control": "no-store" });
  headers.append("Set-Cookie", clear);
  headers.append("Set-Cookie", serializeSessionCookie(await createSession(context.db, outcome.userId), context.config));
  if (result.idToken) headers.append("Set-Cookie", logoutCookie(context.config, result.idToken, Math.floor(SESSION_TTL_MS / 1000)));
  const lang = await localeOnSignIn(request, context.db, { id: outcome.userId, locale: outcome.locale });
  if (lang) headers.append("Set-Cookie", lang);
  // Joining by an invitation lands in the council, as accepting the invitation's link does.
  throw redirect(outcome.councilSlug ? `/councils/${outcome.councilSlug}` : result.redirectTo, { headers });
}

export default function OidcRefused() {
  const { messageKey, vars } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("oidc.title")}</h1>
      <p>{t(messageKey, vars)}</p>
      <p>
        <Link to="/login">{t("oidc.tryAgain")}</Link>
      </p>
    </div>
  );
}
