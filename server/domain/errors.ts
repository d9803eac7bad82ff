import type { MessageKey } from "../../app/i18n/keys";

const BRAND = Symbol.for("samsyn.DomainError");

/**
 * An expected refusal: `code` is an i18n key the UI shows; `status` the HTTP status.
 * The Remix bundle carries its own copy of this class, and the collab server (not
 * bundled) throws into routes: `instanceof` checks a brand, not the class identity,
 * so a refusal from either copy is recognised by the other.
 */
export class DomainError extends Error {
  readonly [BRAND] = true;

  constructor(
    public readonly code: MessageKey,
    public readonly status = 400,
    public readonly field?: string,
  ) {
    super(code);
    this.name = "DomainError";
  }

  static [Symbol.hasInstance](value: unknown): boolean {
    return typeof value === "object" && value !== null && (value as { [BRAND]?: unknown })[BRAND] === true;
  }
}
