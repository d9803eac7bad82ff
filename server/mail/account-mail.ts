// E-mails about a person's own account (issue #16): a password reset link, the
// confirmation of a new address, an invitation. They carry a single-use link whose
// token exists only in the e-mail (the database keeps its hash), so they are not
// queued in the database like notifications (server/mail/delivery.ts): they are sent
// at once, after the response, and retried a few times on this node. A node that
// stops before sending loses the e-mail; the person asks again ("Glömt lösenord?",
// "Skicka igen"). Decision 048.
import { log } from "../log";
import type { Mailer, MailMessage } from "./index";

export interface AccountMail {
  /** Send in the background (never throws, never delays the response). */
  send(msg: MailMessage): void;
  /** Every send started so far has ended (sent or given up): for tests and shutdown. */
  idle(): Promise<void>;
}

const ATTEMPTS = 3;

export function accountMail(mailer: Mailer, retryDelayMs = 2000): AccountMail {
  const pending = new Set<Promise<void>>();
  return {
    send(msg) {
      const run = (async () => {
        for (let attempt = 1; ; attempt++) {
          try {
            await mailer.send(msg);
            return;
          } catch (err) {
            if (attempt >= ATTEMPTS) {
              log.error("account e-mail not sent", { subject: msg.subject, attempts: attempt, err: err instanceof Error ? err.message : String(err) });
              return;
            }
            await new Promise((r) => setTimeout(r, retryDelayMs * attempt));
          }
        }
      })();
      pending.add(run);
      void run.finally(() => pending.delete(run));
    },
    async idle() {
      while (pending.size) await Promise.all([...pending]);
    },
  };
}
