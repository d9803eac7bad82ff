// The minutes' rich text (a Yjs state, root fragment "content") as blocks a PDF
// can tag: headings, paragraphs and lists. Inline marks are left out (the PDF has
// one weight for body text); every piece of text is kept, in order. Iterative over
// the top level and xmlToText below it, so a document of any shape reads
// (see rich-text-html.ts for the same care in HTML).
import * as Y from "yjs";
import { xmlToText } from "../domain/plan-doc";

export type TextBlock = { kind: "heading"; text: string } | { kind: "paragraph"; text: string } | { kind: "list"; ordered: boolean; items: (string | string[])[] };

const LISTS = new Set(["bulletList", "orderedList"]);

/** A list's items, one level of nesting kept (deeper lists are read into their item's text). */
function listItems(list: Y.XmlElement): (string | string[])[] {
  const items: (string | string[])[] = [];
  for (const li of list.toArray()) {
    if (!(li instanceof Y.XmlElement)) continue;
    const own: string[] = [];
    for (const child of li.toArray()) {
      if (child instanceof Y.XmlElement && LISTS.has(child.nodeName)) {
        const sub = child.toArray().flatMap((x) => (x instanceof Y.XmlElement || x instanceof Y.XmlText ? [xmlToText(x).replace(/\n\n/g, " ")] : []));
        if (own.length) items.push(own.join(" "));
        own.length = 0;
        if (sub.length) items.push(sub);
      } else if (child instanceof Y.XmlElement || child instanceof Y.XmlText) {
        const text = xmlToText(child);
        if (text) own.push(text.replace(/\n\n/g, " "));
      }
    }
    if (own.length) items.push(own.join(" "));
  }
  return items;
}

export function richTextBlocks(frag: Y.XmlFragment): TextBlock[] {
  const blocks: TextBlock[] = [];
  for (const node of frag.toArray()) {
    if (node instanceof Y.XmlElement && LISTS.has(node.nodeName)) {
      const items = listItems(node);
      // pdfkit's list nests arrays after an item; a list that starts with one has nothing to nest under.
      while (items.length && Array.isArray(items[0])) items.splice(0, 1, ...(items[0] as string[]));
      if (items.length) blocks.push({ kind: "list", ordered: node.nodeName === "orderedList", items });
    } else if (node instanceof Y.XmlElement || node instanceof Y.XmlText) {
      const text = xmlToText(node);
      if (!text) continue;
      if (node instanceof Y.XmlElement && node.nodeName === "heading") blocks.push({ kind: "heading", text });
      else for (const part of text.split("\n\n")) blocks.push({ kind: "paragraph", text: part });
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
