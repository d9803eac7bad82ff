// The council's statements and proposals: adopted ones for everyone (observers
// included); drafts and those under decision for those who may draft, who can
// also start a new one here.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data, redirect } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { STATEMENT_KINDS } from "../../db/schema";
import { can } from "../../server/domain/permissions";
import { statementSchema } from "../../server/domain/schemas";
import { createStatement, listStatements } from "../../server/domain/statements";
import { ErrorSummary, Field } from "~/components/forms";
import { useCouncilLive } from "~/components/useCouncilLive";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.statements", { council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council, membership } = await requireCouncil(request, context, params.slug, "council:view");
  const canDraft = can(membership, "statement:draft");
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    canDraft,
    items: await listStatements(context.db, council.id, { includeUnpublished: canDraft }),
  };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "statement:draft");
  const parsed = validate(statementSchema, await readForm(request));
  if (!parsed.ok) return data(parsed, { status: 400 });
  const id = await createStatement({ db: context.db, events: context.events }, { councilId: council.id, actorId: user.id, ...parsed.data });
  throw redirect(`/councils/${council.slug}/statements/${id}`);
}

export default function Statements() {
  const { council, canDraft, items } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  useCouncilLive(council.id);
  const errors = result && !result.ok ? result.errors : undefined;
  const values: Record<string, string> = result && !result.ok ? result.values : {};
  return (
    <div className="page">
      <h1>{t("statements.title")}</h1>
      <p>{t("statements.intro")}</p>
      {items.length === 0 ? (
        <p>{t("statements.none")}</p>
      ) : (
        <ul className="activity-list">
          {items.map((s) => (
            <li key={s.id}>
              <Link to={s.id}>{s.title}</Link> <span className="badge">{t(`statements.kind.${s.kind}`)}</span>{" "}
              <span className={`badge statement-status statement-status--${s.status}`}>{t(`statements.status.${s.status}`)}</span>
              <br />
              <span className="muted">{s.adopted_at ? t("statements.adoptedOn", { date: t.date(s.adopted_at) }) : t("statements.startedBy", { name: s.author ?? "–", date: t.date(s.created_at) })}</span>
            </li>
          ))}
        </ul>
      )}
      {canDraft ? (
        <section aria-labelledby="new-h">
          <h2 id="new-h">{t("statements.new")}</h2>
          <ErrorSummary errors={errors} labels={{ kind: t("statements.kindLabel"), title: t("statements.titleLabel") }} />
          <Form method="post">
            <fieldset>
              <legend>{t("statements.kindLabel")}</legend>
              {STATEMENT_KINDS.map((k) => (
                <label key={k} className="prefs-option">
                  <input type="radio" name="kind" value={k} defaultChecked={(values.kind ?? "statement") === k} /> {t(`statements.kind.${k}`)}
                </label>
              ))}
            </fieldset>
            <Field name="title" label={t("statements.titleLabel")} errors={errors}>
              {(p) => <input {...p} type="text" defaultValue={values.title} maxLength={200} />}
            </Field>
            <button type="submit">{t("statements.create")}</button>
          </Form>
        </section>
      ) : null}
    </div>
  );
}
