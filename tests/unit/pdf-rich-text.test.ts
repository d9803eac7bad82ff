// The minutes' rich text as blocks for the PDF (server/pdf/rich-text.ts): headings,
// paragraphs and lists keep their structure and every piece of text its order;
// marks are dropped, odd shapes still read.
import * as Y from "yjs";
import { describe, expect, it } from "vitest";
import { richTextBlocks, richTextStateBlocks } from "../../server/pdf/rich-text";

const el = (name: string, children: (Y.XmlElement | Y.XmlText)[] = [], attrs: Record<string, string> = {}) => {
  const e = new Y.XmlElement(name);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.insert(0, children);
  return e;
};
const text = (s: string, marks?: Record<string, unknown>) => {
  const t = new Y.XmlText();
  t.insert(0, s, marks);
  return t;
};
const item = (...children: (Y.XmlElement | Y.XmlText)[]) => el("listItem", children);

describe("rich text blocks for the PDF", () => {
  it("headings, paragraphs (marks dropped), bullet and ordered lists with one level of nesting", () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment("content");
    frag.insert(0, [
      el("heading", [text("§ 1 Mötet öppnas")], { level: "3" }),
      el("paragraph", [text("Ordföranden "), text("hälsade", { bold: true }), text(" välkommen.")]),
      el("paragraph", []),
      el("paragraph", [text("En text"), el("hardBreak"), text("på två rader.")]),
      el("bulletList", [item(el("paragraph", [text("Ett")])), item(el("paragraph", [text("Två")]), el("bulletList", [item(el("paragraph", [text("Två a")]))]))]),
      el("orderedList", [item(el("paragraph", [text("Först")])), item(el("paragraph", [text("Sedan")]))]),
    ]);
    expect(richTextBlocks(frag)).toEqual([
      { kind: "heading", text: "§ 1 Mötet öppnas" },
      { kind: "paragraph", text: "Ordföranden hälsade välkommen." },
      { kind: "paragraph", text: "En text på två rader." },
      { kind: "list", ordered: false, items: ["Ett", "Två", ["Två a"]] },
      { kind: "list", ordered: true, items: ["Först", "Sedan"] },
    ]);
  });

  it("reads a stored state, and nothing from no state", () => {
    const doc = new Y.Doc();
    doc.getXmlFragment("content").insert(0, [el("blockquote", [el("paragraph", [text("Citat")]), el("paragraph", [text("Andra")])]), text("Lös text")]);
    expect(richTextStateBlocks(Y.encodeStateAsUpdate(doc))).toEqual([
      { kind: "paragraph", text: "Citat" },
      { kind: "paragraph", text: "Andra" },
      { kind: "paragraph", text: "Lös text" },
    ]);
    expect(richTextStateBlocks(null)).toEqual([]);
  });
});
