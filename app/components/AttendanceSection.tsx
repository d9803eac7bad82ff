// The minutes' attendance (issue #15): who was present, absent with notice
// (förhinder) or absent, by organisation; the substitutes (ersättare) with the member
// each served for; the guests. Those who manage the meeting record it while the
// minutes are a draft, with plain forms (no JavaScript needed): a fieldset of
// radios per person, a substitute form and a guest form.
import { Form } from "@remix-run/react";
import type { AttendanceStatus, MeetingAttendance } from "../../server/domain/attendance";
import { ConfirmSubmit } from "~/components/ConfirmDialog";
import { Field, type Errors } from "~/components/forms";
import { useT } from "~/i18n";

export interface AttendanceFormRow {
  userId: string;
  name: string;
  organisation: string;
  role: string;
  recorded: AttendanceStatus | null;
  status: AttendanceStatus;
  substituting: boolean;
}

const STATUSES: AttendanceStatus[] = ["present", "excused", "absent"];

export function AttendanceSection({
  recorded,
  rows,
  people,
  canEdit,
  failed,
  formKey,
}: {
  recorded: MeetingAttendance;
  rows: AttendanceFormRow[];
  /** The council's people, for a substitute chosen among them. */
  people: { id: string; name: string }[];
  canEdit: boolean;
  failed: { intent?: string; errors?: Errors; values?: Record<string, string> } | undefined;
  /** Changes after each success: the add forms start empty again. */
  formKey: number;
}) {
  const t = useT();
  const mine = (intent: string) => (failed?.intent === intent ? failed : undefined);
  const subFailed = mine("substitute");
  const guestFailed = mine("guest");
  const open = !!(mine("attendance") || subFailed || guestFailed);
  const prefilled = rows.some((r) => r.recorded === null && r.status !== "absent");
  const servingFor = new Map(recorded.substitutes.map((s) => [s.name, s.forName]));
  const seats = rows.filter((r) => !r.substituting && r.role !== "observer");
  return (
    <section aria-labelledby="att-h">
      <h2 id="att-h">{t("attendance.title")}</h2>
      {!recorded.recorded ? <p>{t("minutes.noAttendance")}</p> : null}
      {recorded.organisations.map((o) => {
        const attending = o.people.filter((p) => p.status === "present" || p.status === "substitute");
        const excused = o.people.filter((p) => p.status === "excused");
        const absent = o.people.filter((p) => p.status === "absent");
        const names = (list: typeof o.people) => list.map((p) => t.person(p.name)).join(", ");
        return (
          <p key={o.organisation} className="attendance-org">
            <strong>{o.organisation || t("attendance.noOrganisation")}:</strong>{" "}
            {attending
              .map((p) => (p.substituteFor ? `${t.person(p.name)} (${t("attendance.substituteFor", { name: p.substituteFor.name })})` : t.person(p.name)))
              .join(", ")}
            {attending.length ? ". " : ""}
            {excused.length ? `${t("attendance.excusedList", { names: names(excused) })} ` : ""}
            {absent.length ? t("attendance.absentList", { names: names(absent) }) : ""}
          </p>
        );
      })}
      {recorded.guests.length ? (
        <>
          <h3>{t("attendance.guests")}</h3>
          <ul className="attendance-guests">
            {recorded.guests.map((g) => (
              <li key={g.id}>
                {t("attendance.guestLine", { name: g.name, organisation: g.organisation })}
                {g.role ? ` – ${g.role}` : ""}
              </li>
            ))}
          </ul>
        </>
      ) : null}

      {canEdit ? (
        <details className="no-print" open={open}>
          <summary>{t("minutes.recordAttendance")}</summary>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="attendance" />
            {prefilled ? <p className="hint">{t("attendance.prefilled")}</p> : null}
            {rows.map((r) =>
              r.substituting ? (
                <p key={r.userId}>
                  {t("attendance.statusOf", { name: r.name, organisation: r.organisation })}:{" "}
                  {t("attendance.substituting", { name: servingFor.get(r.name) ?? "" })}
                </p>
              ) : (
                <fieldset key={r.userId} className="attendance-person">
                  <legend>{t("attendance.statusOf", { name: r.name, organisation: r.organisation })}</legend>
                  {STATUSES.map((s) => (
                    <span key={s} className="radio-row">
                      <input type="radio" id={`status-${r.userId}-${s}`} name={`status-${r.userId}`} value={s} defaultChecked={r.status === s} />{" "}
                      <label htmlFor={`status-${r.userId}-${s}`}>{t(`attendance.status.${s}`)}</label>{" "}
                    </span>
                  ))}
                </fieldset>
              ),
            )}
            <button type="submit">{t("minutes.saveAttendance")}</button>
          </Form>

          <h3>{t("attendance.substitutes")}</h3>
          {recorded.substitutes.length === 0 ? <p>{t("attendance.noSubstitutes")}</p> : null}
          <ul>
            {recorded.substitutes.map((s) => (
              <li key={s.id} className="row-form">
                <span>
                  {t.person(s.name)} ({t("attendance.substituteFor", { name: s.forName })}){s.organisation ? `, ${s.organisation}` : ""}
                </span>
                <Form method="post">
                  <input type="hidden" name="intent" value="removeSubstitute" />
                  <input type="hidden" name="substituteId" value={s.id} />
                  <ConfirmSubmit
                    className="button--small button--secondary"
                    confirm={{ title: t("attendance.confirmRemoveSubstitute", { name: s.name, member: s.forName }), body: t("attendance.confirmRemoveSubstituteBody", { member: s.forName }), confirm: t("attendance.removeSubstitute") }}
                  >
                    {t("attendance.removeSubstitute")}
                    <span className="visually-hidden"> – {s.name}</span>
                  </ConfirmSubmit>
                </Form>
              </li>
            ))}
          </ul>
          <Form method="post" noValidate key={`sub-${formKey}`}>
            <input type="hidden" name="intent" value="substitute" />
            <fieldset className="attendance-add">
              <legend>{t("attendance.addSubstitute")}</legend>
              <Field name="forUserId" label={t("attendance.forMember")} errors={subFailed?.errors}>
                {(a) => (
                  <select {...a} defaultValue={subFailed?.values?.forUserId ?? ""}>
                    <option value="">{t("attendance.chooseMember")}</option>
                    {seats.map((r) => (
                      <option key={r.userId} value={r.userId}>
                        {t("attendance.statusOf", { name: r.name, organisation: r.organisation })}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="substituteUserId" label={t("attendance.substitutePerson")} errors={subFailed?.errors}>
                {(a) => (
                  <select {...a} defaultValue={subFailed?.values?.substituteUserId ?? ""}>
                    <option value="">{t("attendance.otherPerson")}</option>
                    {people.map((p) => (
                      <option key={p.id} value={p.id}>
                        {t.person(p.name)}
                      </option>
                    ))}
                  </select>
                )}
              </Field>
              <Field name="substituteName" label={t("attendance.substituteName")} hint={t("attendance.substituteNameHint")} errors={subFailed?.errors} optional>
                {(a) => <input {...a} type="text" autoComplete="off" defaultValue={subFailed?.values?.substituteName ?? ""} />}
              </Field>
              <Field
                name="substituteOrganisation"
                label={t("attendance.substituteOrganisation")}
                hint={t("attendance.substituteOrganisationHint")}
                errors={subFailed?.errors}
                optional
              >
                {(a) => <input {...a} type="text" autoComplete="off" defaultValue={subFailed?.values?.substituteOrganisation ?? ""} />}
              </Field>
            </fieldset>
            <button type="submit">{t("attendance.saveSubstitute")}</button>
          </Form>

          <h3>{t("attendance.guests")}</h3>
          {recorded.guests.length === 0 ? <p>{t("attendance.noGuests")}</p> : null}
          <ul>
            {recorded.guests.map((g) => (
              <li key={g.id} className="row-form">
                <span>{t("attendance.guestLine", { name: g.name, organisation: g.organisation })}</span>
                <Form method="post">
                  <input type="hidden" name="intent" value="removeGuest" />
                  <input type="hidden" name="guestId" value={g.id} />
                  <ConfirmSubmit
                    className="button--small button--secondary"
                    confirm={{ title: t("attendance.confirmRemoveGuest", { name: g.name }), confirm: t("attendance.removeGuest") }}
                  >
                    {t("attendance.removeGuest")}
                    <span className="visually-hidden"> – {g.name}</span>
                  </ConfirmSubmit>
                </Form>
              </li>
            ))}
          </ul>
          <Form method="post" noValidate key={`guest-${formKey}`}>
            <input type="hidden" name="intent" value="guest" />
            <fieldset className="attendance-add">
              <legend>{t("attendance.addGuest")}</legend>
              <Field name="guestName" label={t("attendance.guestName")} errors={guestFailed?.errors}>
                {(a) => <input {...a} type="text" autoComplete="off" defaultValue={guestFailed?.values?.guestName ?? ""} />}
              </Field>
              <Field name="guestOrganisation" label={t("attendance.guestOrganisation")} errors={guestFailed?.errors}>
                {(a) => <input {...a} type="text" autoComplete="off" defaultValue={guestFailed?.values?.guestOrganisation ?? ""} />}
              </Field>
              <Field name="guestRole" label={t("attendance.guestRole")} errors={guestFailed?.errors} optional>
                {(a) => <input {...a} type="text" autoComplete="off" defaultValue={guestFailed?.values?.guestRole ?? ""} />}
              </Field>
            </fieldset>
            <button type="submit">{t("attendance.saveGuest")}</button>
          </Form>
        </details>
      ) : null}
    </section>
  );
}
