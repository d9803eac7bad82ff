// Search across the council (issue #17, docs/decisions/049-search.md): one box for
// plan actions and areas, meetings and agenda items, approved minutes, decisions,
// statements and proposals, and working groups. A plain GET form: works without
// JavaScript, and a search is a link that can be shared. Every hit has passed the
// rule of the page it leads to (server/domain/search.ts).
import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { Search } from "lucide-react";
import { MAX_QUERY_LENGTH, searchCouncil } from "../../server/domain/search";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (_d, base) => [{ key: "search.title", to: `${base}/search` }] };

export const meta: MetaFunction<typeof loader> = ({ matches }) => [pageTitle(matches, "search.title"), { name: "robots", content: "noindex" }];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership, user } = await requireCouncil(request, context, params.slug, "council:view");
  const q = (new URL(request.url).searchParams.get("q") ?? "").slice(0, MAX_QUERY_LENGTH);
  const result = q.trim() ? await searchCouncil(context.db, { councilId: council.id, q, membership, userId: user.id }) : null;
  return { base: `/councils/${council.slug}`, q, result, maxLength: MAX_QUERY_LENGTH };
}

export default function SearchPage() {
  const { base, q, result, maxLength } = useLoaderData<typeof loader>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("search.title")}</h1>
      <Form method="get" role="search" className="search-form">
        <label htmlFor="search-q">{t("search.label")}</label>
        <div className="search-form__row">
          <input id="search-q" type="search" name="q" defaultValue={q} maxLength={maxLength} autoComplete="off" />
          <button type="submit">
            <Search aria-hidden="true" size={18} /> {t("search.button")}
          </button>
        </div>
      </Form>
      {result ? (
        <section aria-labelledby="search-results-h">
          <h2 id="search-results-h" aria-live="polite">
            {!result.terms.length ? t("search.tooShort") : result.hits.length ? t("search.count", { count: result.hits.length, q }) : t("search.none", { q })}
          </h2>
          <ol className="search-results">
            {result.hits.map((h, i) => (
              <li key={i}>
                <p className="search-results__kind">{t(`search.kind.${h.kind}`)}</p>
                <Link to={`${base}/${h.path}`} className="search-results__title">
                  {h.title || t("search.untitled")}
                </Link>
                {h.snippet.length ? (
                  <p className="search-results__snippet">
                    {h.snippet.map((s, j) => (s.hit ? <mark key={j}>{s.text}</mark> : <span key={j}>{s.text}</span>))}
                  </p>
                ) : null}
              </li>
            ))}
          </ol>
        </section>
      ) : null}
    </div>
  );
}
