// The server's check of rich-text updates against the editor's schema. Accepted
// shapes are written the way the browser editor writes them: TipTap's schema
// (StarterKit as app/collab/RichTextField.tsx configures it) and y-tiptap's
// `updateYFragment`, the function its sync plugin calls on every edit.
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { updateYFragment } from "@tiptap/y-tiptap";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { actionsOf, areasOf, goalsOf, initialPlanUpdate, planToJson, xmlToText } from "../../server/domain/plan-doc";
import { checkUpdate, MAX_RICH_TEXT_DEPTH, UNKNOWN_REFERENCE } from "../../server/domain/rich-text-schema";

const schema = getSchema([StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] } })]);

/** A server document and a client synced with it; `edit` returns the check's answer and applies accepted updates. */
function pair(initial?: Uint8Array) {
  const server = new Y.Doc();
  if (initial) Y.applyUpdate(server, initial);
  const client = new Y.Doc();
  Y.applyUpdate(client, Y.encodeStateAsUpdate(server));
  const meta = { mapping: new Map(), isOMark: new Map() };
  return {
    server,
    client,
    edit(fn: (doc: Y.Doc) => void): string | null {
      const updates: Uint8Array[] = [];
      const on = (u: Uint8Array) => updates.push(u);
      client.on("update", on);
      client.transact(() => fn(client));
      client.off("update", on);
      const update = Y.mergeUpdates(updates);
      const reason = checkUpdate(server, update);
      if (reason === null) Y.applyUpdate(server, update);
      return reason;
    },
    /** Write a ProseMirror document (JSON) into a fragment as the editor would. */
    editor(frag: (doc: Y.Doc) => Y.XmlFragment, json: unknown): string | null {
      return this.edit((doc) => updateYFragment(doc, frag(doc), schema.nodeFromJSON(json), meta));
    },
  };
}

const content = (d: Y.Doc) => d.getXmlFragment("content");
const p = (...inline: unknown[]) => ({ type: "paragraph", content: inline });
const txt = (text: string, marks?: string[]) => ({ type: "text", text, ...(marks ? { marks: marks.map((type) => (type === "link" ? { type, attrs: { href: "https://example.org" } } : { type })) } : {}) });
const list = (type: "bulletList" | "orderedList", ...items: unknown[][]) => ({ type, content: items.map((c) => ({ type: "listItem", content: c })) });
const docOf = (...blocks: unknown[]) => ({ type: "doc", content: blocks });

/** `n` elements, each inside the previous one, under `parent`. */
function nest(parent: Y.XmlFragment, n: number, name = "blockquote") {
  let at: Y.XmlFragment = parent;
  for (let i = 0; i < n; i++) {
    const el = new Y.XmlElement(name);
    at.insert(0, [el]);
    at = el;
  }
  return at;
}

describe("checkUpdate accepts what the editor writes", () => {
  it("paragraphs, headings with bold text, lists in lists, quotes, code, rules, breaks and links, then typing and deleting", () => {
    const s = pair();
    const rich = docOf(
      { type: "heading", attrs: { level: 3 }, content: [txt("Mål "), txt("viktigt", ["bold", "italic"])] },
      p(txt("Första "), txt("länk", ["link"]), { type: "hardBreak" }, txt("rad två", ["strike", "underline", "code"])),
      list("bulletList", [p(txt("a")), list("orderedList", [p(txt("a.1")), list("bulletList", [p(txt("a.1.i"))])])], [p(txt("b"))]),
      { type: "blockquote", content: [p(txt("citat")), list("bulletList", [p(txt("i citat"))])] },
      { type: "codeBlock", attrs: { language: "ts" }, content: [txt("const x = 1")] },
      { type: "horizontalRule" },
      p(),
    );
    expect(s.editor(content, rich)).toBeNull();
    expect(xmlToText(content(s.server))).toContain("a.1.i");
    // Typing one character into the existing text, and formatting part of it.
    expect(s.edit((d) => ((content(d).get(1) as Y.XmlElement).get(0) as Y.XmlText).insert(3, "x"))).toBeNull();
    expect(s.edit((d) => ((content(d).get(1) as Y.XmlElement).get(0) as Y.XmlText).format(0, 3, { bold: {} }))).toBeNull();
    // Deleting a block and changing an attribute.
    expect(s.edit((d) => content(d).delete(5, 1))).toBeNull();
    expect(s.edit((d) => (content(d).get(0) as Y.XmlElement).setAttribute("level", 4 as unknown as string))).toBeNull();
    expect(content(s.server).toJSON()).toBe(content(s.client).toJSON());
  });

  it("links to http(s) and mailto as the toolbar writes them, and their removal", () => {
    const s = pair();
    const link = (text: string, href: string) => ({ type: "text", text, marks: [{ type: "link", attrs: { href, target: "_blank", rel: "noopener noreferrer nofollow", class: null, title: null } }] });
    expect(s.editor(content, docOf(p(link("a", "https://example.org/x?y=1#z"), link("b", "http://example.org"), link("c", "mailto:karin@example.org"))))).toBeNull();
    expect(s.edit((d) => ((content(d).get(0) as Y.XmlElement).get(0) as Y.XmlText).format(0, 1, { link: null }))).toBeNull();
  });

  it("an action's description in a plan document, and every plain field around it", () => {
    const s = pair(initialPlanUpdate({ year: 2026, title: "Plan", areas: [{ title: "A", goals: [{ title: "G", actions: [{ title: "Å", description: "Text" }] }] }] }));
    const action = (d: Y.Doc) => actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0);
    const description = (d: Y.Doc) => action(d).get("description") as Y.XmlFragment;
    expect(s.editor(description, docOf(p(txt("Ny "), txt("fet", ["bold"])), list("bulletList", [p(txt("punkt"))])))).toBeNull();
    expect(s.edit((d) => (action(d).get("title") as Y.Text).insert(0, "Ny "))).toBeNull();
    expect(s.edit((d) => action(d).set("status", "done"))).toBeNull();
    expect(s.edit((d) => action(d).set("description", new Y.XmlFragment()))).toBeNull();
  });

  it("nesting up to the bound, in one update or added to later", () => {
    const s = pair();
    expect(s.edit((d) => nest(content(d), MAX_RICH_TEXT_DEPTH - 1))).toBeNull();
    const deepest = (d: Y.Doc) => {
      let at: Y.XmlFragment = content(d);
      while (at.length) at = at.get(0) as Y.XmlElement;
      return at;
    };
    expect(s.edit((d) => deepest(d).insert(0, [new Y.XmlElement("paragraph")]))).toBeNull();
    expect(s.edit((d) => deepest(d).insert(0, [new Y.XmlText("ok")]))).toBeNull();
  });

  it("an offline edit inside a paragraph that someone else deleted meanwhile (Yjs discards it)", () => {
    const s = pair();
    expect(s.edit((d) => content(d).insert(0, [new Y.XmlElement("paragraph")]))).toBeNull();
    const offline = new Y.Doc();
    Y.applyUpdate(offline, Y.encodeStateAsUpdate(s.client));
    expect(s.edit((d) => content(d).delete(0, 1))).toBeNull(); // the server collects the paragraph
    const updates: Uint8Array[] = [];
    offline.on("update", (u: Uint8Array) => updates.push(u));
    (content(offline).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("skrivet offline")]);
    const reconnect = Y.mergeUpdates(updates);
    expect(checkUpdate(s.server, reconnect)).toBeNull();
    Y.applyUpdate(s.server, reconnect);
    expect(content(s.server).length).toBe(0);
  });

  it("several clients' structs in one merged update (a reconnect's sync)", () => {
    const s = pair();
    const other = new Y.Doc();
    Y.applyUpdate(other, Y.encodeStateAsUpdate(s.client));
    other.transact(() => content(other).insert(0, [new Y.XmlElement("paragraph")]));
    const updates: Uint8Array[] = [];
    s.client.on("update", (u: Uint8Array) => updates.push(u));
    Y.applyUpdate(s.client, Y.encodeStateAsUpdate(other));
    s.client.transact(() => (content(s.client).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("hej")]));
    expect(checkUpdate(s.server, Y.mergeUpdates(updates))).toBeNull();
  });
});

describe("checkUpdate refuses what the editor cannot show", () => {
  const refused: [string, (d: Y.Doc) => void, RegExp][] = [
    ["text directly in the fragment", (d) => content(d).insert(0, [new Y.XmlText("boom")]), /text directly in the document/],
    ["an unknown node", (d) => content(d).insert(0, [new Y.XmlElement("script")]), /unknown node/],
    ["a list item at the top", (d) => content(d).insert(0, [new Y.XmlElement("listItem")]), /listItem in the document/],
    ["a paragraph in a paragraph", (d) => content(d).insert(0, [nestIn("paragraph", new Y.XmlElement("paragraph"))]), /paragraph in paragraph/],
    ["a paragraph straight in a list", (d) => content(d).insert(0, [nestIn("bulletList", new Y.XmlElement("paragraph"))]), /paragraph in bulletList/],
    ["text in a list", (d) => content(d).insert(0, [nestIn("bulletList", new Y.XmlText("x"))]), /text directly in bulletList/],
    ["a hard break at the top", (d) => content(d).insert(0, [new Y.XmlElement("hardBreak")]), /hardBreak in the document/],
    ["a plain value in the fragment", (d) => (content(d) as unknown as Y.Array<unknown>).insert(0, ["loose"]), /loose content/],
    ["the root written as a Y.Text", (d) => d.getText("content").insert(0, "loose"), /loose content/],
    ["a Y.Map in a paragraph", (d) => content(d).insert(0, [nestIn("paragraph", new Y.Map() as unknown as Y.XmlElement)]), /YMap in paragraph/],
    ["a fragment in a fragment", (d) => content(d).insert(0, [new Y.XmlFragment() as unknown as Y.XmlElement]), /YXmlFragment/],
    ["an embed in text", (d) => content(d).insert(0, [nestIn("paragraph", embedText())]), /other than text/],
    ["an unknown mark", (d) => content(d).insert(0, [nestIn("paragraph", markedText("onclick"))]), /unknown mark/],
    ["a javascript: link", (d) => content(d).insert(0, [nestIn("paragraph", linkText({ href: "javascript:alert(1)" }))]), /not http\(s\) or mailto/],
    ["a data: link", (d) => content(d).insert(0, [nestIn("paragraph", linkText({ href: "data:text/html,<script>alert(1)</script>" }))]), /not http\(s\) or mailto/],
    ["a link hiding its scheme behind a tab", (d) => content(d).insert(0, [nestIn("paragraph", linkText({ href: "java\tscript:alert(1)" }))]), /not http\(s\) or mailto/],
    ["a relative link", (d) => content(d).insert(0, [nestIn("paragraph", linkText({ href: "//evil.example/x" }))]), /not http\(s\) or mailto/],
    ["a link without an href", (d) => content(d).insert(0, [nestIn("paragraph", linkText({ target: "_blank" }))]), /not http\(s\) or mailto/],
    ["a link with an event handler", (d) => content(d).insert(0, [nestIn("paragraph", linkText({ href: "https://example.org", onclick: "alert(1)" }))]), /link attribute "onclick"/],
    ["a link written as a string", (d) => content(d).insert(0, [nestIn("paragraph", markedText("link"))]), /link without attributes/],
    ["a shared type as an attribute", (d) => content(d).insert(0, [attrType()]), /attribute/],
    ["an XmlHook", (d) => content(d).insert(0, [new Y.XmlHook("x") as unknown as Y.XmlElement]), /./],
    ["nesting past the bound", (d) => nest(content(d), MAX_RICH_TEXT_DEPTH + 1), /deeper than/],
    ["8,000 levels", (d) => nest(content(d), 8000), /deeper than/],
    ["a rich-text node outside rich text", (d) => d.getMap("meta").set("title", new Y.XmlText("x")), /outside rich text/],
  ];
  it.each(refused)("%s", (_what, fn, reason) => {
    const s = pair();
    expect(s.edit(fn)).toMatch(reason);
    expect(content(s.server).length).toBe(0);
  });

  it("text placed directly in an action's description", () => {
    const plan = initialPlanUpdate({ year: 2026, title: "Plan", areas: [{ title: "A", goals: [{ title: "G", actions: [{ title: "Å" }] }] }] });
    const action = (d: Y.Doc) => actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0);
    expect(pair(plan).edit((d) => (action(d).get("description") as Y.XmlFragment).insert(0, [new Y.XmlText("boom")]))).toMatch(/text directly in the document/);
    // A fresh description holding a bad shape, set in one update.
    expect(
      pair(plan).edit((d) => {
        const f = new Y.XmlFragment();
        f.insert(0, [new Y.XmlText("boom")]);
        action(d).set("description", f);
      }),
    ).toMatch(/text directly in the document/);
    // An element where the description's fragment belongs.
    expect(pair(plan).edit((d) => action(d).set("description", nestIn("paragraph", new Y.XmlText("x")) as unknown as Y.XmlFragment))).toMatch(/outside rich text/);
  });

  it("nesting that grows past the bound over several updates", () => {
    const s = pair();
    expect(s.edit((d) => nest(content(d), MAX_RICH_TEXT_DEPTH))).toBeNull();
    let deepest: Y.XmlFragment = content(s.client);
    while (deepest.length) deepest = deepest.get(0) as Y.XmlElement;
    const at = deepest;
    expect(s.edit(() => at.insert(0, [new Y.XmlElement("blockquote")]))).toMatch(/deeper than/);
  });

  it("structs whose parent the server does not have", () => {
    const s = pair();
    const first: Uint8Array[] = [];
    s.client.once("update", (u: Uint8Array) => first.push(u));
    s.client.transact(() => content(s.client).insert(0, [new Y.XmlElement("paragraph")]));
    // The second update alone: the paragraph it writes into never reached the server.
    expect(s.edit((d) => (content(d).get(0) as Y.XmlElement).insert(0, [new Y.XmlText("x")]))).toBe(UNKNOWN_REFERENCE);
    // With the first one merged in, it is fine.
    expect(checkUpdate(s.server, Y.mergeUpdates([first[0], Y.encodeStateAsUpdate(s.client, Y.encodeStateVector(s.server))]))).toBeNull();
  });

  it("costs little: one keystroke on a long document", () => {
    const s = pair();
    s.editor(content, docOf(...Array.from({ length: 2000 }, (_, i) => p(txt(`Stycke ${i} med lite text`)))));
    const updates: Uint8Array[] = [];
    s.client.on("update", (u: Uint8Array) => updates.push(u));
    for (let i = 0; i < 200; i++) ((content(s.client).get(1000) as Y.XmlElement).get(0) as Y.XmlText).insert(i, "x");
    const started = performance.now();
    for (const u of updates) {
      expect(checkUpdate(s.server, u)).toBeNull();
      Y.applyUpdate(s.server, u);
    }
    expect((performance.now() - started) / updates.length).toBeLessThan(5); // ms; in practice a few µs
  });
});

function nestIn(name: string, child: Y.XmlElement | Y.XmlText): Y.XmlElement {
  const el = new Y.XmlElement(name);
  el.insert(0, [child]);
  return el;
}
function embedText(): Y.XmlText {
  const t = new Y.XmlText();
  t.insertEmbed(0, { image: "x" });
  return t;
}
function markedText(mark: string): Y.XmlText {
  const t = new Y.XmlText();
  t.insert(0, "x", { [mark]: "alert(1)" });
  return t;
}
function linkText(attrs: Record<string, string>): Y.XmlText {
  const t = new Y.XmlText();
  t.insert(0, "klicka", { link: attrs });
  return t;
}
function attrType(): Y.XmlElement {
  const el = new Y.XmlElement("paragraph");
  el.setAttribute("x", new Y.Map() as unknown as string);
  return el;
}

describe("readers of rich text take any shape without recursion", () => {
  it("xmlToText reads 8,000 levels, text placed directly in the fragment and unknown elements", () => {
    const d = new Y.Doc();
    const f = d.getXmlFragment("content");
    d.transact(() => {
      nest(f, 8000).insert(0, [new Y.XmlText("djupt")]);
      f.insert(0, [new Y.XmlText("lös text")]);
      f.insert(0, [nestIn("okänd", new Y.XmlText("okänt"))]);
    });
    expect(xmlToText(f)).toBe("okänt\n\nlös text\n\ndjupt");
  });

  it("planToJson reads a plan whose description, title and id hold deep or misplaced shared types", () => {
    const d = new Y.Doc();
    Y.applyUpdate(d, initialPlanUpdate({ year: 2026, title: "Plan", areas: [{ title: "A", goals: [{ title: "G", actions: [{ title: "Å", description: "x" }] }] }] }));
    const action = actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(0);
    // Built in place: Yjs integrates a preliminary (unattached) tree recursively.
    const deep = (key: string) => nest(action.set(key, new Y.XmlFragment()), 8000, "paragraph");
    d.transact(() => {
      nest(action.get("description") as Y.XmlFragment, 8000).insert(0, [new Y.XmlText("djupt")]);
      action.set("title", new Y.XmlText("xml-titel"));
      deep("id");
      deep("progress");
      deep("indicators");
    });
    const json = planToJson(d).areas[0].goals[0].actions[0];
    expect(json).toMatchObject({ id: "", title: "xml-titel", progress: 0, indicators: [] });
    expect(json.description).toBe("djupt\n\nx");
  });
});
