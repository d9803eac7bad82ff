// The name an anonymised person's account keeps (docs/decisions/009, 021). It is a
// stored marker, not a text anyone reads: every reader shows the dictionary's
// "person.former" in their own language instead (app/i18n: personName, translate).
// Kept in a module of its own, with no imports, so the browser bundle can use it.
export const FORMER_MEMBER = "Former member";

export const isFormerMember = (name: unknown): boolean => name === FORMER_MEMBER;
