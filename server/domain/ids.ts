import { createHash, randomBytes, randomUUID } from "node:crypto";

export const newId = (): string => randomUUID();

/** A 256-bit URL-safe secret for links and cookies. */
export const newToken = (): string => randomBytes(32).toString("base64url");

/** Secrets are stored only as their hash, so a leaked database opens no session or invite. */
export const hashToken = (token: string): string => createHash("sha256").update(token).digest("base64url");
