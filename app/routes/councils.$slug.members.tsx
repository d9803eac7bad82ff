import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { data } from "@remix-run/node";
import { Form, useLoaderData } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { PERSPECTIVES, type Role } from "../../db/schema";
import { listMembers } from "../../server/domain/councils";
import { createInvitation, listOpenInvitations, resendInvitation, revokeInvitation } from "../../server/domain/invitations";
import { invitationMail } from "../../server/mail/account-texts";
import { ConfirmSubmit } from "~/components/ConfirmDialog";
import { applyBulkInvitations, MAX_BULK_BYTES, previewBulkInvitations } from "../../server/domain/bulk-invitations";
import { DomainError } from "../../server/domain/errors";
import { changeMemberDetails, changeRole, removeMember } from "../../server/domain/memberships";
import { LEADER_ASSIGNABLE_ROLES } from "../../server/domain/roles";
import { changeMemberDetailsSchema, changeRoleSchema, inviteSchema, removeMemberSchema } from "../../server/domain/schemas";
import { log } from "../../server/log";
import { z } from "zod";
import { ErrorSummary, Field } from "~/components/forms";
import { RoleBadge } from "~/components/RoleBadge";
import { pageTitle, useT } from "~/i18n";
import { requireCouncil } from "~/utils/auth.server";
import { domainFailure, formError, readCsvForm, validate } from "~/utils/forms.server";
import { BulkInvite } from "~/components/BulkInvite";
import { absoluteUrl } from "~/utils/urls.server";
import { useActionResult } from "~/components/useActionResult";

export const meta: MetaFunction<typeof loader> = ({ data, matches }) => [data ? pageTitle(matches, "title.members", { council: data.council.name }) : pageTitle(matches)];

export async function loader({ request, context, params }: LoaderFunctionArgs) {
  const { council } = await requireCouncil(request, context, params.slug, "members:manage");
  return {
    council: { id: council.id, slug: council.slug, name: council.name },
    members: await listMembers(context.db, council.id),
    invitations: await listOpenInvitations(context.db, council.id),
  };
}

const revokeSchema = z.object({ invitationId: z.string().uuid({ error: "error.unknown" }) });

export async function action({ request, context, params }: ActionFunctionArgs) {
  const { council, user } = await requireCouncil(request, context, params.slug, "members:manage");
  // Every intent is a plain form; the bulk preview may also carry a CSV file.
  const { values, csv, tooLarge } = await readCsvForm(request, MAX_BULK_BYTES);
  const deps = { db: context.db, events: context.events };
  /** E-mail the invitation (in the background); the link is also shown to the leader to copy. */
  const sendInvitation = (token: string, invitation: { email: string; name: string | null; role: Role; expires_at: string }) => {
    const link = absoluteUrl(request, context, `/invite/${token}`);
    context.mail.send(invitationMail({ to: invitation.email, name: invitation.name, council: council.name, inviter: user.name, role: `role.${invitation.role}`, url: link, expiresAt: invitation.expires_at }));
    log.info("invitation sent", { council: council.slug, role: invitation.role });
    return link;
  };
  const nameOf = async (membershipId: string) =>
    (await listMembers(context.db, council.id)).find((m) => m.membershipId === membershipId)?.name ?? "";

  try {
    switch (values.intent) {
      case "invite": {
        const parsed = validate(inviteSchema(), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const { token, invitation } = await createInvitation(deps, { ...parsed.data, councilId: council.id, actorId: user.id });
        return { ok: true as const, intent: "invite" as const, email: invitation.email, link: sendInvitation(token, invitation) };
      }
      case "resend": {
        const parsed = validate(revokeSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const { token, invitation } = await resendInvitation(deps, { councilId: council.id, invitationId: parsed.data.invitationId, actorId: user.id });
        return { ok: true as const, intent: "resend" as const, email: invitation.email, link: sendInvitation(token, invitation) };
      }
      case "bulkPreview": {
        const preview = tooLarge ? { ok: false, rows: [], fileErrors: [{ key: "import.tooLarge" as const }] } : await previewBulkInvitations(deps, council.id, csv);
        return data({ ok: true as const, intent: "bulkPreview" as const, preview, csv: tooLarge ? "" : csv }, { status: preview.ok ? 200 : tooLarge ? 413 : 400 });
      }
      case "bulkApply": {
        try {
          const invited = await applyBulkInvitations(deps, { councilId: council.id, csv, actorId: user.id });
          for (const i of invited) sendInvitation(i.token, { email: i.email, name: i.name, role: i.role as Role, expires_at: i.expiresAt });
          return { ok: true as const, intent: "bulkApply" as const, count: invited.length };
        } catch (err) {
          // Wrong rows, or a row that went wrong since the preview (someone joined): nobody is invited; show why.
          if (!(err instanceof DomainError)) throw err;
          return data({ ok: true as const, intent: "bulkPreview" as const, preview: await previewBulkInvitations(deps, council.id, csv), csv }, { status: 400 });
        }
      }
      case "changeDetails": {
        const parsed = validate(changeMemberDetailsSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await changeMemberDetails(deps, { ...parsed.data, councilId: council.id, actorId: user.id });
        return { ok: true as const, intent: "changeDetails" as const, name: await nameOf(parsed.data.membershipId) };
      }
      case "changeRole": {
        const parsed = validate(changeRoleSchema(), values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await changeRole(deps, { ...parsed.data, councilId: council.id, actorId: user.id });
        return { ok: true as const, intent: "changeRole" as const, name: await nameOf(parsed.data.membershipId) };
      }
      case "remove": {
        const parsed = validate(removeMemberSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        const name = await nameOf(parsed.data.membershipId);
        await removeMember(deps, { councilId: council.id, membershipId: parsed.data.membershipId, actorId: user.id });
        return { ok: true as const, intent: "remove" as const, name };
      }
      case "revoke": {
        const parsed = validate(revokeSchema, values);
        if (!parsed.ok) return data(parsed, { status: 400 });
        await revokeInvitation(deps, { councilId: council.id, invitationId: parsed.data.invitationId, actorId: user.id });
        return { ok: true as const, intent: "revoke" as const };
      }
      default:
        return formError("error.unknownIntent");
    }
  } catch (err) {
    return domainFailure(err, values);
  }
}

export default function MembersPage() {
  const { council, members, invitations } = useLoaderData<typeof loader>();
  const result = useActionResult<typeof action>();
  const t = useT();
  const linkRef = useRef<HTMLInputElement>(null);
  const inviteErrors = result && !result.ok && result.intent === "invite" ? result.errors : undefined;
  const otherErrors = result && !result.ok && result.intent !== "invite" ? result.errors : undefined;
  const inviteValues: Record<string, string> = result && !result.ok && result.intent === "invite" ? result.values : {};
  useEffect(() => {
    if (result?.ok && (result.intent === "invite" || result.intent === "resend")) linkRef.current?.select();
  }, [result]);

  const labels = {
    email: t("invite.email"),
    name: t("invite.name"),
    role: t("invite.role"),
    organisation: t("invite.organisation"),
    perspective: t("invite.perspective"),
    validFrom: t("invite.validFrom"),
    validTo: t("invite.validTo"),
  };

  return (
    <div className="page">
      <h1>{t("members.title")}</h1>

      <div aria-live="polite">
        {result?.ok && result.intent === "changeRole" ? <p className="notice">{t("members.roleChanged", { name: result.name })}</p> : null}
        {result?.ok && result.intent === "changeDetails" ? <p className="notice">{t("members.detailsChanged", { name: result.name })}</p> : null}
        {result?.ok && result.intent === "remove" ? <p className="notice">{t("members.removed", { name: result.name })}</p> : null}
        {result?.ok && result.intent === "revoke" ? <p className="notice">{t("invite.revoked")}</p> : null}
      </div>
      <ErrorSummary errors={otherErrors} labels={{ validFrom: labels.validFrom, validTo: labels.validTo, role: labels.role, organisation: labels.organisation, perspective: labels.perspective }} />

      <div className="table-wrap">
        <table>
          <caption className="visually-hidden">{t("members.title")}</caption>
          <thead>
            <tr>
              <th scope="col">{t("members.name")}</th>
              <th scope="col">{t("members.organisation")}</th>
              <th scope="col">{t("members.role")}</th>
              <th scope="col">{t("members.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {members.map((m) => (
              <tr key={m.membershipId}>
                <td>
                  {m.name}
                  <br />
                  <span className="muted">{m.email}</span>
                </td>
                <td>
                  {m.organisation}
                  <br />
                  <span className="muted">{t(`perspective.${m.perspective}`)}</span>
                </td>
                <td>
                  <RoleBadge role={m.role} />
                  {m.role === "adjunct" && m.validFrom && m.validTo ? (
                    <>
                      <br />
                      <span className="muted">
                        {t.date(m.validFrom)} – {t.date(m.validTo)}
                        {m.active ? "" : ` (${t("members.inactive")})`}
                      </span>
                    </>
                  ) : null}
                </td>
                <td>
                  <details>
                    <summary>{t("members.changeDetails")}</summary>
                    <Form method="post" className="row-form">
                      <input type="hidden" name="intent" value="changeDetails" />
                      <input type="hidden" name="membershipId" value={m.membershipId} />
                      <fieldset>
                        <legend>{t("members.changeDetailsFor", { name: m.name })}</legend>
                        <label htmlFor={`org-${m.membershipId}`}>{labels.organisation}</label>
                        <input id={`org-${m.membershipId}`} type="text" name="organisation" required maxLength={200} defaultValue={m.organisation} />
                        <label htmlFor={`persp-${m.membershipId}`}>{labels.perspective}</label>
                        <select id={`persp-${m.membershipId}`} name="perspective" defaultValue={m.perspective}>
                          {PERSPECTIVES.map((p) => (
                            <option key={p} value={p}>
                              {t(`perspective.${p}`)}
                            </option>
                          ))}
                        </select>
                        <button type="submit">{t("members.save")}</button>
                      </fieldset>
                    </Form>
                  </details>
                  {m.role === "process_leader" ? (
                    <span className="muted">{t("members.leaderNote")}</span>
                  ) : (
                    <>
                      <details>
                        <summary>{t("members.changeRole")}</summary>
                        <Form method="post" className="row-form">
                          <input type="hidden" name="intent" value="changeRole" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <fieldset>
                            <legend>{t("members.changeRoleFor", { name: m.name })}</legend>
                            <label htmlFor={`role-${m.membershipId}`}>{labels.role}</label>
                            <select id={`role-${m.membershipId}`} name="role" defaultValue={m.role}>
                              {LEADER_ASSIGNABLE_ROLES.map((r) => (
                                <option key={r} value={r}>
                                  {t(`role.${r}`)}
                                </option>
                              ))}
                            </select>
                            <label htmlFor={`from-${m.membershipId}`}>{labels.validFrom}</label>
                            <input id={`from-${m.membershipId}`} type="date" name="validFrom" defaultValue={m.validFrom ?? ""} />
                            <label htmlFor={`to-${m.membershipId}`}>{labels.validTo}</label>
                            <input id={`to-${m.membershipId}`} type="date" name="validTo" defaultValue={m.validTo ?? ""} />
                            <button type="submit">{t("members.save")}</button>
                          </fieldset>
                        </Form>
                      </details>
                      <details>
                        <summary>{t("members.remove")}</summary>
                        <Form method="post">
                          <input type="hidden" name="intent" value="remove" />
                          <input type="hidden" name="membershipId" value={m.membershipId} />
                          <p>{t("members.removeWarning", { name: m.name })}</p>
                          <button type="submit" className="button--danger">
                            {t("members.removeConfirm", { name: m.name })}
                          </button>
                        </Form>
                      </details>
                    </>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="invite-h">{t("invite.title")}</h2>
      <p>{t("invite.introMail")}</p>
      {result?.ok && (result.intent === "invite" || result.intent === "resend") ? (
        <div className="notice" role="status">
          <p>{t(result.intent === "invite" ? "invite.sent" : "invite.resent", { email: result.email })}</p>
          <label htmlFor="invite-link">{t("invite.linkLabel")}</label>
          <input id="invite-link" ref={linkRef} className="copy-field" type="text" readOnly value={result.link} />
        </div>
      ) : null}
      <ErrorSummary errors={inviteErrors} labels={labels} />
      <Form method="post" noValidate aria-labelledby="invite-h">
        <input type="hidden" name="intent" value="invite" />
        <Field name="email" label={labels.email} errors={inviteErrors}>
          {(a) => <input {...a} type="email" autoComplete="off" defaultValue={inviteValues.email ?? ""} />}
        </Field>
        <Field name="name" label={labels.name} hint={t("invite.nameHint")} errors={inviteErrors} optional>
          {(a) => <input {...a} type="text" autoComplete="off" defaultValue={inviteValues.name ?? ""} />}
        </Field>
        <Field name="role" label={labels.role} errors={inviteErrors}>
          {(a) => (
            <select {...a} defaultValue={inviteValues.role ?? "member"}>
              {LEADER_ASSIGNABLE_ROLES.map((r) => (
                <option key={r} value={r}>
                  {t(`role.${r}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="organisation" label={labels.organisation} errors={inviteErrors}>
          {(a) => <input {...a} type="text" defaultValue={inviteValues.organisation ?? ""} />}
        </Field>
        <Field name="perspective" label={labels.perspective} errors={inviteErrors}>
          {(a) => (
            <select {...a} defaultValue={inviteValues.perspective ?? "employer"}>
              {PERSPECTIVES.map((p) => (
                <option key={p} value={p}>
                  {t(`perspective.${p}`)}
                </option>
              ))}
            </select>
          )}
        </Field>
        <Field name="validFrom" label={labels.validFrom} hint={t("invite.adjunctHint")} errors={inviteErrors} optional>
          {(a) => <input {...a} type="date" defaultValue={inviteValues.validFrom ?? ""} />}
        </Field>
        <Field name="validTo" label={labels.validTo} errors={inviteErrors} optional>
          {(a) => <input {...a} type="date" defaultValue={inviteValues.validTo ?? ""} />}
        </Field>
        <button type="submit">{t("invite.submitMail")}</button>
      </Form>

      <BulkInvite result={result?.ok && (result.intent === "bulkPreview" || result.intent === "bulkApply") ? result : null} labels={labels} />

      <h2>{t("invite.pending")}</h2>
      {invitations.valid.length === 0 ? <p>{t("invite.noPending")}</p> : <InvitationList items={invitations.valid} expired={false} />}
      {invitations.expired.length ? (
        <>
          <h2>{t("invite.expired")}</h2>
          <InvitationList items={invitations.expired} expired />
        </>
      ) : null}
    </div>
  );
}

/** Unused invitations: each can be sent again (a new link) or revoked (asked first). */
function InvitationList({ items, expired }: { items: { id: string; email: string; role: Role; organisation: string; expiresAt: string }[]; expired: boolean }) {
  const t = useT();
  return (
    <ul className="invitation-list">
      {items.map((i) => (
        <li key={i.id}>
          {i.email} · <RoleBadge role={i.role} /> · {i.organisation} · {t(expired ? "invite.expiredOn" : "invite.expires", { date: t.date(i.expiresAt) })}{" "}
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="resend" />
            <input type="hidden" name="invitationId" value={i.id} />
            <button type="submit" className="button--secondary" aria-label={t("invite.resendTo", { email: i.email })}>
              {t("invite.resend")}
            </button>
          </Form>{" "}
          <Form method="post" className="inline-form">
            <input type="hidden" name="intent" value="revoke" />
            <input type="hidden" name="invitationId" value={i.id} />
            <ConfirmSubmit
              className="button--secondary"
              label={t(expired ? "invite.remove" : "invite.revoke", { email: i.email })}
              confirm={{ title: t("invite.confirmRevoke", { email: i.email }), body: t("invite.confirmRevokeBody"), confirm: t("invite.revokeShort") }}
            >
              {t("invite.revokeShort")}
            </ConfirmSubmit>
          </Form>
        </li>
      ))}
    </ul>
  );
}
