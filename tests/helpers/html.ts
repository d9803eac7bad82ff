// Reading server-rendered pages in tests: visible text and per-field errors.

export const decode = (s: string) =>
  s
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&lt;/g, "<")
    .replace(/&gt;/g, ">")
    .replace(/&amp;/g, "&");

/** Visible text of a page: scripts (loader data), React's text separators and tags removed. */
export const textOf = (html: string) =>
  decode(
    html
      .replace(/<script[\s\S]*?<\/script>/g, " ")
      .replace(/<!--[\s\S]*?-->/g, "")
      .replace(/<\/?(?:strong|em|span|a|b|i|time)\b[^>]*>/g, "")
      .replace(/<[^>]+>/g, " "),
  )
    .replace(/\s+/g, " ")
    .trim();

/** The error text rendered under one form field (Field renders `<p id="<name>-error">`). */
export const fieldError = (html: string, name: string): string | undefined => {
  const m = html.match(new RegExp(`id="${name}-error">([^<]*)<`));
  return m ? decode(m[1]) : undefined;
};
