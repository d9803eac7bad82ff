import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { PERSPECTIVES } from "../../db/schema";
import { createCouncil, listAllCouncils } from "../../server/domain/councils";
import { appointLeader, stepDownLeader } from "../../server/domain/memberships";
import { appointLeaderSchema, councilSchema, stepDownSchema } from "../../server/domain/schemas";
import { log } from "../../server/log";
import { ErrorSummary, Field } from "~/components/forms";
import { pageTitle, useT } from "~/i18n";
import { requireSiteAdmin } from "~/utils/auth.server";
import { domainFailure, formError, readForm, validate } from "~/utils/forms.server";
import { absoluteUrl } from "~/utils/urls.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction = ({ matches }) => [pageTitle(matches, "title.admin")];

export async function loader({ request, context }: LoaderFunctionArgs) {
  await requireSiteAdmin(request, context);
  return { councils: await listAllCouncils(context.db) };
}

export async function action({ request, context }: ActionFunctionArgs) {
  const admin = await requireSiteAdmin(request, context);
  const values = await readForm(request);
  const deps = { db: context.db, events: context.events };
  try {
    switch (values.intent) {
      case "createCouncil": {
        const parsed = validate(councilSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const council = await createCouncil(deps, { ...parsed.data, actorId: admin.id });
        return { ok: true as const, intent: "createCouncil", name: council.name };
      }
      case "appointLeader": {
        const parsed = validate(appointLeaderSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const res = await appointLeader(deps, { ...parsed.data, actorId: admin.id });
        if (res.kind === "appointed") return { ok: true as const, intent: "appointLeader", name: res.name, link: null, email: parsed.data.email };
        const link = absoluteUrl(request, context, `/invite/${res.token}`);
        log.info("process leader invitation created", { councilId: parsed.data.councilId, email: parsed.data.email, link });
        return { ok: true as const, intent: "appointLeader", name: null, link, email: parsed.data.email };
      }
      case "stepDown": {
        const parsed = validate(stepDownSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await stepDownLeader(deps, { ...parsed.data, actorId: admin.id });
        return { ok: true as const, intent: "stepDown" };
      }
      default:
        return formError("error.unknownIntent", values.intent);
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

export default function AdminPage() {
  const { councils } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const failed = result && !result.ok ? result : undefined;
  const createErrors = failed?.intent === "createCouncil" ? failed.errors : undefined;
  const createValues: Record<string, string> = failed?.intent === "createCouncil" ? failed.values : {};
  const appointErrors = failed?.intent === "appointLeader" ? failed.errors : undefined;
  const appointFor = failed?.intent === "appointLeader" ? failed.values.councilId : undefined;
  const labels = {
    name: t("admin.name"),
    slug: t("admin.slug"),
    subRegion: t("admin.subRegion"),
    mandate: t("admin.mandate"),
  };
  return (
    <div className="page">
      <h1>{t("admin.title")}</h1>
      <p>
        <Link to="/admin/people">{t("admin.people.title")}</Link> · <Link to="/admin/audit">{t("audit.title")}</Link>
      </p>
      <div aria-live="polite">
        {result?.ok && result.intent === "createCouncil" ? <p className="notice">{t("admin.created", { name: result.name })}</p> : null}
        {result?.ok && result.intent === "appointLeader" && result.name ? (
          <p className="notice">{t("admin.appointed", { name: result.name })}</p>
        ) : null}
        {result?.ok && result.intent === "appointLeader" && result.link ? (
          <div className="notice">
            <p>{t("admin.appointInvited", { email: result.email })}</p>
            <label htmlFor="leader-link">{t("invite.linkLabel")}</label>
            <input id="leader-link" className="copy-field" type="text" readOnly value={result.link} />
          </div>
        ) : null}
      </div>

      <h2>{t("admin.councils")}</h2>
      {councils.length === 0 ? <p>{t("admin.noCouncils")}</p> : null}
      <ul className="card-list">
        {councils.map((c) => (
          <li key={c.id} className="card">
            <h3>{c.name}</h3>
            <p className="muted">
              {t("council.subRegion", { name: c.subRegion })} · {t("admin.members", { count: c.memberCount })} · /councils/{c.slug}
            </p>
            <p>
              {t("admin.leaders")}: {c.leaders.length ? c.leaders.map((l) => l.name).join(", ") : t("admin.noLeader")}
            </p>
            {failed?.intent === "stepDown" && failed.values.councilId === c.id ? <ErrorSummary errors={failed.errors} labels={{}} idPrefix={`stepdown-${c.id}-`} /> : null}
            {c.leaders.length > 1 ? (
              <ul className="plain-list">
                {c.leaders.map((l) => (
                  <li key={l.userId}>
                    <Form method="post" className="inline-form" aria-label={t("admin.stepDownFor", { name: l.name, council: c.name })}>
                      <input type="hidden" name="intent" value="stepDown" />
                      <input type="hidden" name="councilId" value={c.id} />
                      <input type="hidden" name="userId" value={l.userId} />
                      {l.name}:{" "}
                      <button type="submit" name="to" value="member" className="link-button">
                        {t("admin.stepDownToMember")}
                      </button>{" "}
                      ·{" "}
                      <button type="submit" name="to" value="removed" className="link-button">
                        {t("admin.stepDownRemove")}
                      </button>
                    </Form>
                  </li>
                ))}
              </ul>
            ) : null}
            <details open={appointFor === c.id}>
              <summary>{t("admin.appoint")}</summary>
              <ErrorSummary errors={appointFor === c.id ? appointErrors : undefined} labels={{}} />
              <Form method="post" noValidate aria-label={t("admin.appointFor", { name: c.name })}>
                <input type="hidden" name="intent" value="appointLeader" />
                <input type="hidden" name="councilId" value={c.id} />
                <div className="field">
                  <label htmlFor={`leader-email-${c.id}`}>{t("admin.appointEmail")}</label>
                  <input id={`leader-email-${c.id}`} name="email" type="email" autoComplete="off" />
                </div>
                <div className="field">
                  <label htmlFor={`leader-org-${c.id}`}>{t("invite.organisation")}</label>
                  <input id={`leader-org-${c.id}`} name="organisation" type="text" />
                </div>
                <div className="field">
                  <label htmlFor={`leader-persp-${c.id}`}>{t("invite.perspective")}</label>
                  <select id={`leader-persp-${c.id}`} name="perspective" defaultValue="municipal_federation">
                    {PERSPECTIVES.map((p) => (
                      <option key={p} value={p}>
                        {t(`perspective.${p}`)}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit">{t("admin.appointSubmit")}</button>
              </Form>
            </details>
          </li>
        ))}
      </ul>

      <h2 id="create-h">{t("admin.createCouncil")}</h2>
      <ErrorSummary errors={createErrors} labels={labels} />
      <Form method="post" noValidate aria-labelledby="create-h">
        <input type="hidden" name="intent" value="createCouncil" />
        <Field name="name" label={labels.name} errors={createErrors}>
          {(a) => <input {...a} type="text" defaultValue={createValues.name ?? ""} />}
        </Field>
        <Field name="slug" label={labels.slug} hint={t("admin.slugHint")} errors={createErrors}>
          {(a) => <input {...a} type="text" autoCapitalize="none" spellCheck={false} defaultValue={createValues.slug ?? ""} />}
        </Field>
        <Field name="subRegion" label={labels.subRegion} errors={createErrors}>
          {(a) => <input {...a} type="text" defaultValue={createValues.subRegion ?? ""} />}
        </Field>
        <Field name="mandate" label={labels.mandate} errors={createErrors} optional>
          {(a) => <textarea {...a} defaultValue={createValues.mandate ?? ""} />}
        </Field>
        <button type="submit">{t("admin.create")}</button>
      </Form>
      <p>
        <Link to="/">{t("status.back")}</Link>
      </p>
    </div>
  );
}
