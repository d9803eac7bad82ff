// The words of a person's own e-mails (server/mail/account-mail.ts), in the
// person's language: a reset link, a new address to confirm. Plain text and HTML.
import { DateTime } from "luxon";
import { translate, type Locale } from "../../app/i18n";
import type { MessageKey } from "../../app/i18n/keys";
import { escapeHtml } from "../domain/rich-text-html";
import { ZONE } from "../domain/time";
import type { MailMessage } from "./index";

const asLocale = (l: string | null | undefined): Locale => (l === "en" ? "en" : "sv");

/** One e-mail: a greeting, paragraphs, the link (as a button in HTML), then a closing line. */
function linkMail(to: string, locale: Locale, subject: string, paragraphs: string[], link: { label: string; url: string }, closing: string): MailMessage {
  const text = [...paragraphs, `${link.label}: ${link.url}`, closing, "— Samsyn"].join("\n\n") + "\n";
  const html =
    `<!doctype html><html lang="${locale}"><body style="font-family:sans-serif;line-height:1.5">` +
    paragraphs.map((p) => `<p>${escapeHtml(p)}</p>`).join("") +
    `<p><a href="${escapeHtml(link.url)}">${escapeHtml(link.label)}</a></p>` +
    `<p>${escapeHtml(closing)}</p><p>— Samsyn</p></body></html>`;
  return { to, subject, text, html };
}

export function passwordResetMail(input: { to: string; name: string; locale: string; url: string }): MailMessage {
  const locale = asLocale(input.locale);
  const t = (k: MessageKey, vars?: Record<string, string>) => translate(locale, k, vars);
  return linkMail(input.to, locale, t("mail.reset.subject"), [t("mail.greeting", { name: input.name }), t("mail.reset.body")], { label: t("mail.reset.link"), url: input.url }, t("mail.reset.notYou"));
}

export function emailChangeMail(input: { to: string; name: string; locale: string; url: string }): MailMessage {
  const locale = asLocale(input.locale);
  const t = (k: MessageKey, vars?: Record<string, string>) => translate(locale, k, vars);
  return linkMail(input.to, locale, t("mail.emailChange.subject"), [t("mail.greeting", { name: input.name }), t("mail.emailChange.body", { email: input.to })], { label: t("mail.emailChange.link"), url: input.url }, t("mail.emailChange.notYou"));
}

export function invitationMail(input: { to: string; name?: string | null; council: string; inviter: string; role: MessageKey; url: string; expiresAt: string }): MailMessage {
  // The invited person has no account (or no language choice) yet: Swedish, the councils' language.
  const locale: Locale = "sv";
  const t = (k: MessageKey, vars?: Record<string, string>) => translate(locale, k, vars);
  return linkMail(
    input.to,
    locale,
    t("mail.invite.subject", { council: input.council }),
    [input.name ? t("mail.greeting", { name: input.name }) : t("mail.invite.hello"), t("mail.invite.body", { inviter: input.inviter, council: input.council, role: t(input.role).toLowerCase() }), t("mail.invite.validity", { date: DateTime.fromISO(input.expiresAt).setZone(ZONE).setLocale(locale).toFormat("d MMMM yyyy") })],
    { label: t("mail.invite.link"), url: input.url },
    t("mail.invite.notYou"),
  );
}
