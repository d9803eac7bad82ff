// A council's agenda templates (issue #15): those who manage meetings list, create,
// change and delete them; a template is picked when a meeting is created. Plain
// forms: everything works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { z } from "zod";
import { deleteAgendaTemplate, listAgendaTemplates, saveAgendaTemplate } from "../../server/domain/agenda-templates";
import { agendaTemplateSchema } from "../../server/domain/schemas";
import { ErrorSummary, Field } from "~/components/forms";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { useActionResult } from "~/components/useActionResult";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (_d, base) => [{ key: "templates.title", to: `${base}/agenda-templates` }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "templates.title") : pageTitle(matches)];

const KIND_WORD = { sv: { information: "information", discussion: "diskussion", decision: "beslut" }, en: { information: "information", discussion: "discussion", decision: "decision" } } as const;

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "meeting:manage");
  return { council: { slug: council.slug, name: council.name }, templates: await listAgendaTemplates(context.db, council.id) };
}

const idSchema = z.object({ id: z.string().uuid({ error: "error.templateNotFound" }) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "meeting:manage");
  const values = await readForm(request);
  try {
    switch (values.intent) {
      case "create":
      case "update": {
        const parsed = validate(values.intent === "update" ? agendaTemplateSchema.extend(idSchema.shape) : agendaTemplateSchema, values);
        if (!parsed.ok) return data({ ...parsed, intent: values.intent, id: values.id ?? "" }, { status: 400 });
        const id = "id" in parsed.data ? (parsed.data.id as string) : undefined;
        await saveAgendaTemplate(context.db, { councilId: council.id, actorId: user.id, id, name: parsed.data.name, items: parsed.data.items });
        return { ok: true as const, intent: values.intent, message: "templates.saved" as const };
      }
      case "delete": {
        const parsed = validate(idSchema, values);
        if (!parsed.ok) return data({ ...parsed, intent: "delete", id: "" }, { status: 400 });
        await deleteAgendaTemplate(context.db, { councilId: council.id, actorId: user.id, id: parsed.data.id });
        return { ok: true as const, intent: "delete", message: "templates.deleted" as const };
      }
      default:
        return formError("error.unknownIntent");
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

export default function AgendaTemplatesPage() {
  const { council, templates } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const failed = result && !result.ok ? result : undefined;
  const errorsFor = (intent: string, id = "") => (failed && failed.intent === intent && ("id" in failed ? failed.id ?? "" : "") === id ? failed.errors : undefined);
  const valuesFor = (intent: string, id = ""): Record<string, string> => (failed && failed.intent === intent && ("id" in failed ? failed.id ?? "" : "") === id ? failed.values : {});
  const labels = { name: t("templates.name"), items: t("templates.items") };
  const asText = (items: (typeof templates)[number]["items"]) => items.map((i) => `${i.title} | ${i.minutes} | ${KIND_WORD[t.locale][i.kind]}`).join("\n");
  return (
    <div className="page">
      <p>
        <Link to={`/councils/${council.slug}/meetings`}>{t("meetings.title")}</Link>
      </p>
      <h1>{t("templates.title")}</h1>
      <p>{t("templates.intro")}</p>
      {result?.ok ? (
        <p role="status" className="notice">
          {t(result.message)}
        </p>
      ) : null}
      {templates.length === 0 ? <p>{t("templates.none")}</p> : null}
      {templates.map((tpl) => {
        const errors = errorsFor("update", tpl.id);
        const values = valuesFor("update", tpl.id);
        const prefix = `t-${tpl.id}-`;
        return (
          <section key={tpl.id} className="card" aria-labelledby={`${prefix}h`}>
            <h2 id={`${prefix}h`}>{tpl.name}</h2>
            <ol>
              {tpl.items.map((i, n) => (
                <li key={n}>
                  {i.title} <span className="muted">({t("templates.minutes", { minutes: i.minutes })}, {KIND_WORD[t.locale][i.kind]})</span>
                </li>
              ))}
            </ol>
            <details open={!!errors}>
              <summary>{t("templates.edit", { name: tpl.name })}</summary>
              <ErrorSummary errors={errors} labels={labels} idPrefix={prefix} />
              <Form method="post" noValidate>
                <input type="hidden" name="intent" value="update" />
                <input type="hidden" name="id" value={tpl.id} />
                <Field name="name" idPrefix={prefix} label={labels.name} errors={errors}>
                  {(a) => <input {...a} type="text" defaultValue={values.name ?? tpl.name} />}
                </Field>
                <Field name="items" idPrefix={prefix} label={labels.items} hint={t("templates.itemsHint")} errors={errors}>
                  {(a) => <textarea {...a} rows={Math.max(4, tpl.items.length + 1)} defaultValue={values.items ?? asText(tpl.items)} />}
                </Field>
                <button type="submit">{t("templates.save")}</button>
              </Form>
            </details>
            <Form method="post">
              <input type="hidden" name="intent" value="delete" />
              <input type="hidden" name="id" value={tpl.id} />
              <button type="submit" className="secondary">
                {t("templates.delete", { name: tpl.name })}
              </button>
            </Form>
          </section>
        );
      })}
      <section aria-labelledby="new-template-h">
        <h2 id="new-template-h">{t("templates.new")}</h2>
        <ErrorSummary errors={errorsFor("create")} labels={labels} idPrefix="new-" />
        <Form method="post" noValidate>
          <input type="hidden" name="intent" value="create" />
          <Field name="name" idPrefix="new-" label={labels.name} errors={errorsFor("create")}>
            {(a) => <input {...a} type="text" defaultValue={valuesFor("create").name ?? ""} />}
          </Field>
          <Field name="items" idPrefix="new-" label={labels.items} hint={t("templates.itemsHint")} errors={errorsFor("create")}>
            {(a) => <textarea {...a} rows={8} defaultValue={valuesFor("create").items ?? ""} />}
          </Field>
          <button type="submit">{t("templates.create")}</button>
        </Form>
      </section>
    </div>
  );
}
