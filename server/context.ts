import type { Db } from "../db";
import type { Config } from "./config";
import type { EventSink } from "./domain/events";
import type { Collab } from "./collab";
import type { FileStore } from "./files";
import type { AccountMail } from "./mail/account-mail";

/** What every Remix loader and action receives (getLoadContext in server/index.ts). */
export interface AppContext {
  db: Db;
  events: EventSink;
  /** Server-side changes to live documents (persisted and fanned out like a client's). */
  collab: Pick<Collab, "applyServerChange" | "currentState" | "freeze">;
  config: Pick<Config, "sessionSecret" | "secureCookies" | "publicUrl" | "mode" | "oidc">;
  /** Per-request CSP nonce for the few inline scripts Remix renders. */
  cspNonce: string;
  clientIp: string | undefined;
  /**
   * A page request (not a `.data` request of a client-side navigation). HTML a loader
   * renders itself goes into `serverHtml` then, not into the loader data, so the page
   * does not carry it twice (app/components/ServerHtml.tsx).
   */
  documentRequest: boolean;
  serverHtml: Record<string, string>;
  /** Meeting documents: the store, the limits, and where an upload is spooled while it is checked. */
  files: { store: FileStore; maxFileBytes: number; maxMeetingBytes: number; spoolDir: string };
  /** A person's own e-mails (reset links, address confirmations, invitations), sent in the background. */
  mail: AccountMail;
}

declare module "@remix-run/node" {
  // eslint-disable-next-line @typescript-eslint/no-empty-object-type
  interface AppLoadContext extends AppContext {}
}
