// The names of live (Yjs) documents: one kind per prefix, so a name says what it is.
// `doc:<id>` was the old name of both minutes and statements; it is still accepted
// from clients (and migration 0015 renamed the stored rows), resolved by looking the
// id up. See docs/plan-document.md.
export type DocKind = "plan" | "minutes" | "statement";

export const planDocName = (planId: string) => `plan:${planId}`;
export const minutesDocName = (meetingId: string) => `minutes:${meetingId}`;
export const statementDocName = (statementId: string) => `statement:${statementId}`;

export const docName = (kind: DocKind, id: string) => `${kind}:${id}`;

/** `plan|minutes|statement|doc` (legacy) followed by an id. */
export const DOC_NAME = /^(plan|minutes|statement|doc):([A-Za-z0-9-]{1,64})$/;

export interface ParsedDocName {
  /** "doc" is the legacy, ambiguous kind: minutes or a statement. */
  kind: DocKind | "doc";
  id: string;
}

export function parseDocName(name: string): ParsedDocName | undefined {
  const m = DOC_NAME.exec(name);
  return m ? { kind: m[1] as ParsedDocName["kind"], id: m[2] } : undefined;
}
