import { Form } from "@remix-run/react";
import { ErrorSummary, Field, formText, type Errors } from "~/components/forms";
import { RoleBadge } from "~/components/RoleBadge";
import { useT } from "~/i18n";
import type { Role } from "../../db/schema";

export interface GroupFormOptions {
  areas: { id: string; title: string }[];
  people: { id: string; name: string; organisation: string; role: Role }[];
}

// Ids carry a prefix: the group page also has a meeting form with a "description" field.
const P = "g-";

/**
 * Create / change a working group: name, description, priority areas (checkboxes),
 * convener (select) and members (checkboxes). Checkbox fields are `area-<id>` and
 * `member-<user id>` = "on", so the form works without JavaScript.
 */
export function GroupForm({
  intent,
  submit,
  errors,
  values,
  options,
}: {
  intent: string;
  submit: string;
  errors: Errors;
  values: Record<string, string>;
  options: GroupFormOptions;
}) {
  const t = useT();
  const labels = {
    name: t("groups.name"),
    description: t("groups.description"),
    areas: t("groups.areas"),
    convenerId: t("groups.convener"),
    members: t("groups.members"),
  };
  // The error summary links to the first checkbox of a group of checkboxes (GOV.UK pattern).
  const boxId = (field: "areas" | "members", i: number, id: string) => (i === 0 ? `${P}${field}` : `${P}${field === "areas" ? "area" : "member"}-${id}`);
  const groupError = (field: "areas" | "members") =>
    errors?.[field] ? (
      <p className="error-message" id={`${P}${field}-error`}>
        {formText(t, errors[field])}
      </p>
    ) : null;
  const described = (field: "areas" | "members") => [`${P}${field}-hint`, errors?.[field] ? `${P}${field}-error` : null].filter(Boolean).join(" ");
  return (
    <>
      <ErrorSummary errors={errors} labels={labels} idPrefix={P} />
      <Form method="post" noValidate>
        <input type="hidden" name="intent" value={intent} />
        <Field name="name" idPrefix={P} label={labels.name} errors={errors}>
          {(a) => <input {...a} type="text" defaultValue={values.name ?? ""} />}
        </Field>
        <Field name="description" idPrefix={P} label={labels.description} errors={errors} optional>
          {(a) => <textarea {...a} defaultValue={values.description ?? ""} />}
        </Field>
        <div className={errors?.areas ? "field field--error" : "field"}>
          <fieldset aria-describedby={described("areas")}>
            <legend>{labels.areas}</legend>
            <p className="hint" id={`${P}areas-hint`}>
              {t("groups.areasHint")}
            </p>
            {groupError("areas")}
            {options.areas.map((a, i) => (
              <div key={a.id} className="checkbox">
                <input type="checkbox" id={boxId("areas", i, a.id)} name={`area-${a.id}`} defaultChecked={values[`area-${a.id}`] === "on"} />{" "}
                <label htmlFor={boxId("areas", i, a.id)}>{a.title}</label>
              </div>
            ))}
          </fieldset>
        </div>
        <Field name="convenerId" idPrefix={P} label={labels.convenerId} errors={errors}>
          {(a) => (
            <select {...a} defaultValue={values.convenerId ?? ""}>
              <option value="">{t("groups.convenerChoose")}</option>
              {options.people.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}, {p.organisation}
                </option>
              ))}
            </select>
          )}
        </Field>
        <div className={errors?.members ? "field field--error" : "field"}>
          <fieldset aria-describedby={described("members")}>
            <legend>{labels.members}</legend>
            <p className="hint" id={`${P}members-hint`}>
              {t("groups.membersHint")}
            </p>
            {groupError("members")}
            {options.people.map((p, i) => (
              <div key={p.id} className="checkbox">
                <input type="checkbox" id={boxId("members", i, p.id)} name={`member-${p.id}`} defaultChecked={values[`member-${p.id}`] === "on"} />{" "}
                <label htmlFor={boxId("members", i, p.id)}>
                  {p.name}, {p.organisation}
                </label>{" "}
                {p.role === "adjunct" ? <RoleBadge role={p.role} /> : null}
              </div>
            ))}
          </fieldset>
        </div>
        <button type="submit">{submit}</button>
      </Form>
    </>
  );
}
