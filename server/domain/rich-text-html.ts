// Rich text (a Y.XmlFragment written by the editor) as HTML for read-only views:
// closed and approved minutes, adopted statements (docs/decisions/029-minutes-formatting.md).
//
// Safe by construction: every element is chosen here from the node's name (a fixed
// map; an unknown node contributes its text but no element), every attribute is
// written here (a heading's level, a list's start, a link's href only when it is
// http(s)/mailto), and every piece of text is escaped. Nothing from the document is
// passed through as markup. Iterative, so a document of any shape stored before the
// server checked shapes (8,000 levels, text placed anywhere) renders without
// overflowing the stack; nesting past MAX_RICH_TEXT_DEPTH is flattened to its text.
import * as Y from "yjs";
import { isSafeHref, MAX_RICH_TEXT_DEPTH } from "./rich-text-schema";

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" };
export function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => ESCAPES[c]);
}

/** Block and inline nodes: the tag each becomes. */
const TAGS: Readonly<Record<string, string>> = {
  paragraph: "p",
  blockquote: "blockquote",
  bulletList: "ul",
  orderedList: "ol",
  listItem: "li",
};
const VOID: Readonly<Record<string, string>> = { horizontalRule: "<hr>", hardBreak: "<br>" };
/** Marks from the outside in, and their tags. */
const MARKS: readonly [string, string][] = [
  ["bold", "strong"],
  ["italic", "em"],
  ["underline", "u"],
  ["strike", "s"],
  ["code", "code"],
];
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

function openTag(el: Y.XmlElement): [string, string] | null {
  const name = el.nodeName;
  if (name === "heading") {
    // The page's own h1 and h2 come first; the editor writes levels 3 and 4.
    const level = Math.min(6, Math.max(3, Math.trunc(Number(el.getAttribute("level"))) || 3));
    return [`<h${level}>`, `</h${level}>`];
  }
  if (name === "orderedList") {
    const start = Math.trunc(Number(el.getAttribute("start")));
    return [start > 1 && start < 1e6 ? `<ol start="${start}">` : "<ol>", "</ol>"];
  }
  if (name === "codeBlock") return ["<pre><code>", "</code></pre>"];
  const tag = TAGS[name];
  return tag ? [`<${tag}>`, `</${tag}>`] : null;
}

function textHtml(t: Y.XmlText): string {
  let out = "";
  for (const op of t.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
    if (typeof op.insert !== "string") continue;
    let html = escapeHtml(op.insert);
    const marks = new Map<string, unknown>();
    for (const [key, value] of Object.entries(op.attributes ?? {})) marks.set(HASHED_MARK.exec(key)?.[1] ?? key, value);
    for (let i = MARKS.length - 1; i >= 0; i--) {
      const [mark, tag] = MARKS[i];
      if (marks.has(mark) && marks.get(mark) !== null) html = `<${tag}>${html}</${tag}>`;
    }
    const link = marks.get("link") as { href?: unknown } | null | undefined;
    if (link && typeof link === "object" && isSafeHref(link.href)) html = `<a href="${escapeHtml(link.href)}" rel="noopener noreferrer nofollow">${html}</a>`;
    out += html;
  }
  return out;
}

/** Whether an element holds no text at all among its direct children (an empty heading is left out). */
function emptyTextBlock(el: Y.XmlElement): boolean {
  return !el.toArray().some((c) => (c instanceof Y.XmlText ? c.length > 0 : c instanceof Y.XmlElement));
}

/** The fragment as safe HTML. */
export function richTextToHtml(frag: Y.XmlFragment): string {
  const parts: string[] = [];
  // Work items: a node to render (with its depth), or a closing tag to emit.
  const stack: (string | [Y.XmlFragment | Y.XmlText, number])[] = [];
  const pushChildren = (node: Y.XmlFragment, depth: number) => {
    const children = node.toArray();
    for (let i = children.length - 1; i >= 0; i--) {
      const c = children[i];
      if (c instanceof Y.XmlElement || c instanceof Y.XmlText) stack.push([c, depth]);
    }
  };
  pushChildren(frag, 1);
  while (stack.length) {
    const item = stack.pop()!;
    if (typeof item === "string") {
      parts.push(item);
      continue;
    }
    const [node, depth] = item;
    if (node instanceof Y.XmlText) {
      parts.push(textHtml(node));
      continue;
    }
    const el = node as Y.XmlElement;
    const leaf = VOID[el.nodeName];
    if (leaf) {
      parts.push(leaf);
      continue;
    }
    const tags = depth <= MAX_RICH_TEXT_DEPTH && !(el.nodeName === "heading" && emptyTextBlock(el)) ? openTag(el) : null;
    if (tags) {
      parts.push(tags[0]);
      stack.push(tags[1]);
    } else if (depth > MAX_RICH_TEXT_DEPTH) {
      // Flattened: keep words apart.
      parts.push(" ");
    }
    pushChildren(el, depth + 1);
  }
  return parts.join("");
}

/** A stored document state (a frozen Yjs update) as HTML of its `content` fragment. */
export function richTextStateToHtml(state: Uint8Array | null | undefined): string {
  if (!state) return "";
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return richTextToHtml(doc.getXmlFragment("content"));
  } finally {
    doc.destroy();
  }
}
