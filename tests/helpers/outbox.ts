// The e-mails a test server wrote to its file outbox (MAIL_TRANSPORT=file, the
// test default), parsed back with mailparser after the background sends ended.
import fs from "node:fs";
import path from "node:path";
import { simpleParser } from "mailparser";
import type { TestServer } from "./server";

export interface Mail {
  to: string;
  subject: string;
  text: string;
  html: string;
}

/** Every e-mail written so far by `s`, oldest first. */
export async function readOutbox(s: TestServer): Promise<Mail[]> {
  await s.server.mail.idle();
  const dir = path.join(path.dirname(s.dbFile), "outbox");
  if (!fs.existsSync(dir)) return [];
  const files = fs.readdirSync(dir).filter((f) => f.endsWith(".eml")).sort();
  return Promise.all(
    files.map(async (f) => {
      const m = await simpleParser(fs.readFileSync(path.join(dir, f)));
      return { to: m.to && !Array.isArray(m.to) ? m.to.text : "", subject: m.subject ?? "", text: m.text ?? "", html: typeof m.html === "string" ? m.html : "" };
    }),
  );
}

/** The first link to `/<route>/<token>` in a mail's plain text; throws when there is none. */
export function linkIn(m: Mail, route: string): { url: string; path: string; token: string } {
  const found = m.text.match(new RegExp(`https?://[^\\s/]+/${route}/([A-Za-z0-9_-]+)`));
  if (!found) throw new Error(`no /${route}/ link in: ${m.text}`);
  return { url: found[0], path: new URL(found[0]).pathname, token: found[1] };
}
