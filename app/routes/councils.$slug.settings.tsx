// The council's settings (issue #15): how the minutes' paragraphs (§) are numbered,
// per meeting or running through the calendar year (server/domain/paragraphs.ts).
// The process leaders only; a plain form: it works without JavaScript.
import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { PARAGRAPH_NUMBERINGS } from "../../db/schema";
import { getParagraphNumbering, setParagraphNumbering } from "../../server/domain/paragraphs";
import { paragraphNumberingSchema } from "../../server/domain/schemas";
import { ErrorSummary } from "~/components/forms";
import { useActionResult } from "~/components/useActionResult";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { formError, readForm, validate } from "~/utils/forms.server";
import type { CouncilHandle } from "./councils.$slug";

export const handle: CouncilHandle = { crumbs: (_d, base) => [{ key: "councilSettings.title", to: `${base}/settings` }] };

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "councilSettings.title") : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "meeting:manage");
  return { council: { slug: council.slug, name: council.name }, numbering: await getParagraphNumbering(context.db, council.id) };
}

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "meeting:manage");
  const values = await readForm(request);
  if (values.intent !== "paragraphs") return formError("error.unknownIntent", values.intent);
  const parsed = validate(paragraphNumberingSchema, values);
  if (!parsed.ok) return data(parsed, { status: 400 });
  await setParagraphNumbering(context.db, { councilId: council.id, actorId: user.id, numbering: parsed.data.numbering });
  return { ok: true as const, intent: "paragraphs" };
}

export default function CouncilSettingsPage() {
  const { numbering } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  return (
    <div className="page">
      <h1>{t("councilSettings.title")}</h1>
      <div aria-live="polite">{result?.ok ? <p className="notice">{t("councilSettings.saved")}</p> : null}</div>
      <ErrorSummary errors={result && !result.ok ? result.errors : undefined} labels={{ numbering: t("councilSettings.paragraphs") }} />
      <Form method="post">
        <input type="hidden" name="intent" value="paragraphs" />
        <fieldset aria-describedby="numbering-hint">
          <legend>{t("councilSettings.paragraphs")}</legend>
          <p className="hint" id="numbering-hint">
            {t("councilSettings.paragraphs.hint")}
          </p>
          {PARAGRAPH_NUMBERINGS.map((n, i) => (
            <div key={n} className="radio-row">
              <input type="radio" id={i === 0 ? "numbering" : `numbering-${n}`} name="numbering" value={n} defaultChecked={numbering === n} />{" "}
              <label htmlFor={i === 0 ? "numbering" : `numbering-${n}`}>{t(`councilSettings.paragraphs.${n}`)}</label>
            </div>
          ))}
        </fieldset>
        <button type="submit">{t("councilSettings.save")}</button>
      </Form>
    </div>
  );
}
