// Outgoing e-mail. With SMTP_URL set, nodemailer sends through that server;
// without it, every message is written as an .eml file to the outbox folder, so
// nothing is lost on an installation that has no mail server yet.
import fs from "node:fs/promises";
import path from "node:path";
import nodemailer, { type Transporter } from "nodemailer";
import type { MailConfig } from "../config";

export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  /** The same content as HTML (the plain text stays for mail programs without it). */
  html?: string;
  /**
   * A calendar invitation: sent as a text/calendar part with its method and as an
   * .ics attachment (nodemailer's icalEvent), as Outlook and Google Calendar expect.
   */
  icalEvent?: { method: "REQUEST" | "CANCEL"; filename: string; content: string };
}

export interface Mailer {
  send(msg: MailMessage): Promise<void>;
  /** The sender (MAIL_FROM): the organizer of calendar invitations. */
  readonly from?: string;
  /** For logs and the README: where mail goes. */
  readonly target: string;
  close(): void;
}

export function createMailer(cfg: MailConfig): Mailer {
  if (cfg.smtpUrl) {
    const transport: Transporter = nodemailer.createTransport(cfg.smtpUrl);
    return {
      from: cfg.from,
      target: `smtp ${new URL(cfg.smtpUrl).host}`,
      async send(msg) {
        await transport.sendMail({ from: cfg.from, ...msg });
      },
      close: () => transport.close(),
    };
  }
  const transport = nodemailer.createTransport({ streamTransport: true, buffer: true, newline: "unix" });
  let seq = 0;
  return {
    from: cfg.from,
    target: `outbox ${cfg.outboxDir}`,
    async send(msg) {
      const info = await transport.sendMail({ from: cfg.from, ...msg });
      await fs.mkdir(cfg.outboxDir, { recursive: true });
      // Sortable by time; the counter keeps two mails in one millisecond apart.
      const name = `${new Date().toISOString().replace(/[:.]/g, "-")}-${process.pid}-${++seq}.eml`;
      const tmp = path.join(cfg.outboxDir, `.${name}.tmp`);
      await fs.writeFile(tmp, info.message as Buffer);
      await fs.rename(tmp, path.join(cfg.outboxDir, name));
    },
    close() {},
  };
}
