// Read-only rendering of rich text (closed/approved minutes, adopted statements):
// the structure the editor writes comes out as HTML, and nothing from the document
// is ever passed through as markup.
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { updateYFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { escapeHtml, richTextStateToHtml, richTextToHtml } from "../../server/domain/rich-text-html";

const schema = getSchema([StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] } })]);

/** A fragment written as the editor writes it (y-tiptap's updateYFragment). */
function written(json: unknown): Y.XmlFragment {
  const doc = new Y.Doc();
  const frag = doc.getXmlFragment("content");
  updateYFragment(doc, frag, schema.nodeFromJSON(json), { mapping: new Map(), isOMark: new Map() });
  return frag;
}
const p = (...inline: unknown[]) => ({ type: "paragraph", content: inline });
const txt = (text: string, ...marks: unknown[]) => ({ type: "text", text, ...(marks.length ? { marks } : {}) });
const link = (href: string) => ({ type: "link", attrs: { href } });
const item = (...blocks: unknown[]) => ({ type: "listItem", content: blocks });

describe("richTextToHtml", () => {
  it("renders paragraphs, headings, lists, marks and links as the editor wrote them", () => {
    const frag = written({
      type: "doc",
      content: [
        { type: "heading", attrs: { level: 3 }, content: [txt("§1 Mötets öppnande")] },
        p(txt("Karin "), txt("öppnade", { type: "bold" }), txt(" mötet "), txt("kl. 9", { type: "italic" }, { type: "bold" }), { type: "hardBreak" }, txt("Läs "), txt("mer", link("https://example.org/a?b=1&c=2"))),
        { type: "bulletList", content: [item(p(txt("ett"))), item(p(txt("två")), { type: "orderedList", attrs: { start: 3 }, content: [item(p(txt("tre")))] })] },
        { type: "heading", attrs: { level: 4 }, content: [txt("Mejla")] },
        p(txt("skriv", link("mailto:karin@example.org"))),
        { type: "blockquote", content: [p(txt("citat"))] },
        { type: "codeBlock", content: [txt("a < b")] },
        { type: "horizontalRule" },
      ],
    });
    expect(richTextToHtml(frag)).toBe(
      "<h3>§1 Mötets öppnande</h3>" +
        '<p>Karin <strong>öppnade</strong> mötet <strong><em>kl. 9</em></strong><br>Läs <a href="https://example.org/a?b=1&amp;c=2" rel="noopener noreferrer nofollow">mer</a></p>' +
        '<ul><li><p>ett</p></li><li><p>två</p><ol start="3"><li><p>tre</p></li></ol></li></ul>' +
        "<h4>Mejla</h4>" +
        '<p><a href="mailto:karin@example.org" rel="noopener noreferrer nofollow">skriv</a></p>' +
        "<blockquote><p>citat</p></blockquote><pre><code>a &lt; b</code></pre><hr>",
    );
  });

  it("escapes markup in text and drops links that are not http(s) or mailto", () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment("content");
    const para = new Y.XmlElement("paragraph");
    const t = new Y.XmlText();
    para.insert(0, [t]);
    frag.insert(0, [para]);
    t.insert(0, '<script>alert("x")</script> & <img src=x onerror=alert(1)>');
    t.insert(t.length, "klicka", { link: { href: "javascript:alert(1)" } });
    t.insert(t.length, "data", { link: { href: "data:text/html,<b>x</b>" } });
    t.insert(t.length, "citat", { link: { href: 'https://example.org/"onmouseover="alert(1)' } });
    t.insert(t.length, "fel", { onclick: "alert(1)", "bold--abcdefgh": {} });
    const html = richTextToHtml(frag);
    expect(html).toBe(
      "<p>&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &lt;img src=x onerror=alert(1)&gt;klickadata" +
        '<a href="https://example.org/&quot;onmouseover=&quot;alert(1)" rel="noopener noreferrer nofollow">citat</a><strong>fel</strong></p>',
    );
    expect(html).not.toMatch(/<script|javascript:|<img|" onmouseover/);
  });

  it("gives unknown nodes no element, clamps heading levels, leaves empty headings out", () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment("content");
    const script = new Y.XmlElement("script");
    script.setAttribute("src", "https://evil.example/x.js");
    const h1 = new Y.XmlElement("heading");
    h1.setAttribute("level", 1 as unknown as string);
    const hBad = new Y.XmlElement("heading");
    hBad.setAttribute("level", '3 onclick="x"');
    const empty = new Y.XmlElement("heading");
    frag.insert(0, [script, h1, hBad, empty, new Y.XmlText("loose text")]);
    script.insert(0, [new Y.XmlText("inside")]);
    h1.insert(0, [new Y.XmlText("Stor")]);
    hBad.insert(0, [new Y.XmlText("Rubrik")]);
    expect(richTextToHtml(frag)).toBe("inside<h3>Stor</h3><h3>Rubrik</h3>loose text");
  });

  it("renders 8,000 levels of nesting without overflowing the stack, flattened past the bound", () => {
    const doc = new Y.Doc();
    const frag = doc.getXmlFragment("content");
    doc.transact(() => {
      let at: Y.XmlFragment = frag;
      for (let i = 0; i < 8000; i++) {
        const el = new Y.XmlElement("blockquote");
        at.insert(0, [el]);
        at = el;
      }
      const para = new Y.XmlElement("paragraph");
      at.insert(0, [para]);
      para.insert(0, [new Y.XmlText("djupt")]);
    });
    const html = richTextToHtml(frag);
    expect(html).toContain("djupt");
    expect(html.match(/<blockquote>/g)!.length).toBe(32);
  });

  it("reads a stored state, and nothing from no state", () => {
    const frag = written({ type: "doc", content: [{ type: "bulletList", content: [item(p(txt("punkt")))] }] });
    expect(richTextStateToHtml(Y.encodeStateAsUpdate(frag.doc!))).toBe("<ul><li><p>punkt</p></li></ul>");
    expect(richTextStateToHtml(null)).toBe("");
    expect(escapeHtml(`<>&"'`)).toBe("&lt;&gt;&amp;&quot;&#39;");
  });
});
