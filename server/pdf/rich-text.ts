// The minutes' rich text (a Yjs state, root fragment "content") as blocks a PDF
// can tag: headings, paragraphs and lists (a blockquote's paragraphs are
// paragraphs). Inline marks are left out (the PDF has one weight for body text);
// every piece of text is kept, in order. Iterative, so a document of any shape and
// depth reads (rich-text-html.ts takes the same care for HTML).
import * as Y from "yjs";

export type TextBlock = { kind: "heading"; text: string } | { kind: "paragraph"; text: string } | { kind: "list"; ordered: boolean; items: (string | string[])[] };

const LISTS = new Set(["bulletList", "orderedList"]);
/** Blocks whose children are blocks of their own. */
const CONTAINERS = new Set(["blockquote"]);

/** All text under a node, in order, as one string (iterative: any depth); a hard break is a space. */
function inline(node: Y.XmlElement | Y.XmlText): string {
  let out = "";
  const stack: unknown[] = [node];
  while (stack.length) {
    const n = stack.pop();
    if (n instanceof Y.XmlText) {
      for (const d of n.toDelta() as { insert: unknown }[]) if (typeof d.insert === "string") out += d.insert;
    } else if (n instanceof Y.XmlElement) {
      if (n.nodeName === "hardBreak") out += " ";
      const children = n.toArray();
      for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]);
    }
  }
  return out.trim();
}

const nodes = (parent: Y.XmlFragment) => parent.toArray().filter((c): c is Y.XmlElement | Y.XmlText => c instanceof Y.XmlElement || c instanceof Y.XmlText);

/** A list's items, one level of nesting kept (deeper lists are read into their item's text). */
function listItems(list: Y.XmlElement): (string | string[])[] {
  const items: (string | string[])[] = [];
  for (const li of nodes(list)) {
    if (li instanceof Y.XmlText) {
      if (inline(li)) items.push(inline(li));
      continue;
    }
    const own: string[] = [];
    const flush = () => {
      if (own.length) items.push(own.join(" "));
      own.length = 0;
    };
    for (const child of nodes(li)) {
      if (child instanceof Y.XmlElement && LISTS.has(child.nodeName)) {
        flush();
        const sub = nodes(child).map(inline).filter(Boolean);
        if (sub.length) items.push(sub);
      } else if (inline(child)) {
        own.push(inline(child));
      }
    }
    flush();
  }
  // pdfkit nests an array under the item before it: a list that starts with one has nothing to nest under.
  while (items.length && Array.isArray(items[0])) items.splice(0, 1, ...(items[0] as string[]));
  return items;
}

export function richTextBlocks(frag: Y.XmlFragment): TextBlock[] {
  const blocks: TextBlock[] = [];
  const stack = nodes(frag).reverse();
  while (stack.length) {
    const node = stack.pop()!;
    if (node instanceof Y.XmlElement && LISTS.has(node.nodeName)) {
      const items = listItems(node);
      if (items.length) blocks.push({ kind: "list", ordered: node.nodeName === "orderedList", items });
    } else if (node instanceof Y.XmlElement && CONTAINERS.has(node.nodeName)) {
      stack.push(...nodes(node).reverse());
    } else {
      const text = inline(node);
      if (text) blocks.push({ kind: node instanceof Y.XmlElement && node.nodeName === "heading" ? "heading" : "paragraph", text });
    }
  }
  return blocks;
}

/** A stored or live document state as blocks. */
export function richTextStateBlocks(state: Uint8Array | null | undefined): TextBlock[] {
  if (!state) return [];
  const doc = new Y.Doc();
  try {
    Y.applyUpdate(doc, state);
    return richTextBlocks(doc.getXmlFragment("content"));
  } finally {
    doc.destroy();
  }
}
