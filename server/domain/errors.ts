import type { MessageKey } from "../../app/i18n/keys";

/** An expected refusal: `code` is an i18n key the UI shows; `status` the HTTP status. */
export class DomainError extends Error {
  constructor(
    public readonly code: MessageKey,
    public readonly status = 400,
    public readonly field?: string,
  ) {
    super(code);
    this.name = "DomainError";
  }
}
