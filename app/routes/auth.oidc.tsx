// GET /auth/oidc: start signing in with the configured OpenID provider (issue #16,
// decision 046). 404 when no provider is configured.
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { pageTitle, useT } from "~/i18n";
import { data, redirect } from "@remix-run/node";
import { startOidcSignIn } from "../../server/auth/oidc";
import { safeRedirect } from "../../server/domain/schemas";
import { log } from "../../server/log";
import { notFound } from "~/utils/auth.server";
import { absoluteUrl } from "~/utils/urls.server";

export async function loader({ request, context }: LoaderFunctionArgs) {
  const cfg = context.config.oidc;
  if (!cfg) throw notFound();
  const redirectTo = safeRedirect(new URL(request.url).searchParams.get("redirectTo"));
  try {
    const { url, setCookie } = await startOidcSignIn(cfg, context.config, { redirectUri: absoluteUrl(request, context, "/auth/oidc/callback"), redirectTo });
    throw redirect(url, { headers: { "Set-Cookie": setCookie, "Cache-Control": "no-store" } });
  } catch (err) {
    if (err instanceof Response) throw err;
    log.warn("oidc discovery failed", { issuer: cfg.issuer, error: String(err) });
    return data({ messageKey: "oidc.unavailable" as const }, { status: 503, headers: { "Cache-Control": "no-store" } });
  }
}

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "oidc.title"), { name: "robots", content: "noindex" }];

/** Shown only when the provider cannot be reached; otherwise the browser is on its way there. */
export default function OidcUnavailable() {
  const { messageKey } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("oidc.title")}</h1>
      <p>{t(messageKey)}</p>
      <p>
        <Link to="/login">{t("oidc.tryAgain")}</Link>
      </p>
    </div>
  );
}
