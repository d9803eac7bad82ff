// quickCheck (server/domain/rich-text-schema.ts) reads a keystroke's plain text from
// the update's bytes and lets it through without the full check. It is a security
// rule: it may only ever accept what decodeUpdate + checkUpdate accept too. Held
// here to the full check on every update of random editing (plan fields, the
// editor's rich text through y-tiptap), on hand-made updates that put text
// wherever a neighbour points (elements, attributes, maps, collected items,
// unknown ids, the update's own runs), and on those bytes cut short, lengthened
// and flipped.
import { getSchema } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { updateYFragment } from "@tiptap/y-tiptap";
import * as encoding from "lib0/encoding";
import { describe, expect, it } from "vitest";
import * as Y from "yjs";
import { actionsOf, areasOf, goalsOf, initialPlanUpdate } from "../../server/domain/plan-doc";
import { checkUpdate, EMPTY_UPDATE, quickCheck } from "../../server/domain/rich-text-schema";
import { rng } from "../helpers/random";

const schema = getSchema([StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] } })]);

type Verdict = "accepted" | "empty" | "refused" | "undecodable";

/** What the full path says (protocol.ts acceptUpdate without the fast path). */
function fullCheck(doc: Y.Doc, update: Uint8Array): Verdict {
  let decoded;
  try {
    decoded = Y.decodeUpdate(update);
  } catch {
    return "undecodable";
  }
  if (decoded.structs.length === 0 && decoded.ds.clients.size === 0) return "empty";
  return checkUpdate(doc, update, decoded) === null ? "accepted" : "refused";
}

/** Compares the two on one update; returns what the fast path said. */
function compare(doc: Y.Doc, update: Uint8Array, what: string): "fast" | "full" {
  const quick = quickCheck(doc, update);
  if (quick === undefined) return "full";
  const full = fullCheck(doc, update);
  expect(full, `${what}: quickCheck said ${quick === null ? "accepted" : "empty"}`).toBe(quick === null ? "accepted" : "empty");
  return "fast";
}

const plan = () => {
  const doc = new Y.Doc();
  Y.applyUpdate(doc, initialPlanUpdate({ year: 2026, title: "Plan", areas: [{ title: "Område", goals: [{ title: "Mål", actions: [{ title: "Åtgärd ett" }, { title: "Åtgärd två" }] }] }] }));
  return doc;
};
const action = (d: Y.Doc, i: number) => actionsOf(goalsOf(areasOf(d).get(0)).get(0)).get(i);

describe("quickCheck never accepts what the full check refuses", () => {
  it("random editing of plan fields and rich text, as the editor writes it: every update compared, typing takes the fast path", () => {
    const r = rng(7);
    const server = plan();
    Y.applyUpdate(server, (() => {
      const c = new Y.Doc();
      Y.applyUpdate(c, Y.encodeStateAsUpdate(server));
      const before = Y.encodeStateVector(c);
      c.getXmlFragment("content").insert(0, [new Y.XmlElement("paragraph")]);
      return Y.encodeStateAsUpdate(c, before);
    })());
    const clients = [0, 1, 2].map(() => {
      const c = new Y.Doc();
      Y.applyUpdate(c, Y.encodeStateAsUpdate(server));
      return { doc: c, meta: { mapping: new Map(), isOMark: new Map() } };
    });
    let words = "";
    const counts = { fast: 0, full: 0, typed: 0, typedFast: 0 };
    for (let step = 0; step < 1500; step++) {
      const c = clients[Math.floor(r() * clients.length)];
      const updates: Uint8Array[] = [];
      const on = (u: Uint8Array) => updates.push(u);
      c.doc.on("update", on);
      const kind = Math.floor(r() * 12);
      const title = action(c.doc, Math.floor(r() * 2)).get("title") as Y.Text;
      const desc = action(c.doc, Math.floor(r() * 2)).get("description") as Y.XmlFragment;
      let typing = false;
      if (kind <= 3) {
        // A keystroke in a title, anywhere in it.
        title.insert(Math.floor(r() * (title.length + 1)), "abcåäö€😀"[Math.floor(r() * 8)]);
        typing = true;
      } else if (kind === 4 && title.length) title.delete(Math.floor(r() * title.length), 1);
      else if (kind <= 7) {
        // The editor writes the description (or the minutes' content): typing at the end, sometimes bold, sometimes a new block.
        const frag = r() < 0.5 ? desc : c.doc.getXmlFragment("content");
        const w = r();
        words += "abc def ghi"[Math.floor(r() * 11)];
        const blocks = [{ type: "paragraph", content: [{ type: "text", text: "Start " + words }] }];
        if (w < 0.2) blocks.push({ type: "paragraph", content: [{ type: "text", text: "fet", marks: [{ type: "bold" }] } as never] });
        if (w > 0.9) blocks.push({ type: "bulletList", content: [{ type: "listItem", content: [{ type: "paragraph", content: [{ type: "text", text: "punkt" }] }] }] } as never);
        updateYFragment(c.doc, frag, schema.nodeFromJSON({ type: "doc", content: blocks }), c.meta);
        typing = w >= 0.2 && w <= 0.9;
      } else if (kind === 8) action(c.doc, 0).set("status", ["done", "at_risk"][Math.floor(r() * 2)]);
      else if (kind === 9) title.format(0, Math.min(2, title.length), { bold: true });
      else if (kind === 10) {
        // Plain text typed straight into the description's XmlText, beside a paragraph's text.
        const para = desc.length ? desc.get(0) : undefined;
        const text = para instanceof Y.XmlElement && para.length ? para.get(0) : undefined;
        if (text instanceof Y.XmlText) {
          text.insert(Math.floor(r() * (text.length + 1)), "q");
          typing = true;
        }
      } else desc.insert(0, [new Y.XmlText("lös text")]); // refused by both
      c.doc.off("update", on);
      for (const u of updates) {
        const path = compare(server, u, `step ${step}, edit ${kind}`);
        counts[path]++;
        const accepted = fullCheck(server, u) === "accepted";
        // Keystrokes the server keeps (a writer whose refused edit left its copy ahead of
        // the server's types next to text the server lacks: both paths refuse those).
        if (typing && accepted) {
          counts.typed++;
          if (path === "fast") counts.typedFast++;
        }
        if (accepted) Y.applyUpdate(server, u);
      }
      // Everyone hears of what the server kept (refused edits stay only with their writer).
      for (const o of clients) if (o !== c) Y.applyUpdate(o.doc, Y.encodeStateAsUpdate(server, Y.encodeStateVector(o.doc)));
      if (r() < 0.02) {
        // A writer whose refused edit made its copy diverge starts again from the server's.
        const i = clients.indexOf(c);
        const fresh = new Y.Doc();
        Y.applyUpdate(fresh, Y.encodeStateAsUpdate(server));
        clients[i] = { doc: fresh, meta: { mapping: new Map(), isOMark: new Map() } };
      }
    }
    // Most keystrokes take the fast path; everything else was compared above.
    expect(counts.typed).toBeGreaterThan(400);
    expect(counts.typedFast / counts.typed).toBeGreaterThan(0.95);
    expect(counts.full).toBeGreaterThan(100);
  });

  it("hand-made runs of text placed by any neighbour: elements, attributes, maps, collected items, unknown ids, its own runs; and their bytes mangled", () => {
    const r = rng(99);
    const server = plan();
    const c = new Y.Doc();
    Y.applyUpdate(c, Y.encodeStateAsUpdate(server));
    // Rich text with attributes and nesting, plan fields, some of it deleted and collected.
    const content = c.getXmlFragment("content");
    const h = new Y.XmlElement("heading");
    h.setAttribute("level", 3 as unknown as string);
    h.insert(0, [new Y.XmlText("Rubrik")]);
    const para = new Y.XmlElement("paragraph");
    para.insert(0, [new Y.XmlText("Text i stycket")]);
    const gone = new Y.XmlElement("paragraph");
    gone.insert(0, [new Y.XmlText("borta")]);
    content.insert(0, [h, para, gone]);
    content.delete(2, 1);
    (action(c, 0).get("title") as Y.Text).insert(0, "Ny ");
    const desc = action(c, 1).get("description") as Y.XmlFragment;
    const dp = new Y.XmlElement("paragraph");
    dp.insert(0, [new Y.XmlText("Beskrivning")]);
    desc.insert(0, [dp]);
    c.getArray("list").insert(0, ["a", "b"]);
    c.getMap("root").set("k", "v");
    Y.applyUpdate(server, Y.encodeStateAsUpdate(c));

    // Every id in the server's document, one per clock.
    const ids: [number, number][] = [];
    server.store.clients.forEach((structs, client) => {
      for (const s of structs) for (let k = 0; k < s.length; k++) ids.push([client, s.id.clock + k]);
    });
    const anyId = (): [number, number] =>
      r() < 0.9 ? ids[Math.floor(r() * ids.length)] : [Math.floor(r() * 2 ** 31), Math.floor(r() * 50)];

    const seen: Record<Verdict, number> = { accepted: 0, empty: 0, refused: 0, undecodable: 0 };
    let fast = 0;
    for (let n = 0; n < 4000; n++) {
      const enc = encoding.createEncoder();
      const writer = 1_000_000 + n;
      const runs = r() < 0.8 ? 1 : 2;
      encoding.writeVarUint(enc, runs);
      const own: [number, number][] = [];
      for (let k = 0; k < runs; k++) {
        const client = writer + k;
        const structs = 1 + Math.floor(r() * 3);
        const startClock = r() < 0.9 ? 0 : Math.floor(r() * 5);
        encoding.writeVarUint(enc, structs);
        encoding.writeVarUint(enc, client);
        encoding.writeVarUint(enc, startClock);
        let clock = startClock;
        for (let j = 0; j < structs; j++) {
          const text = ["x", "hej", "", "😀"][Math.floor(r() * 4)];
          const flags = [0x80, 0x40, 0xc0][Math.floor(r() * 3)];
          const ref = (): [number, number] => (own.length && r() < 0.4 ? own[Math.floor(r() * own.length)] : anyId());
          encoding.writeUint8(enc, flags | (r() < 0.95 ? 4 : Math.floor(r() * 11)));
          if (flags & 0x80) ref().forEach((v) => encoding.writeVarUint(enc, v));
          if (flags & 0x40) ref().forEach((v) => encoding.writeVarUint(enc, v));
          encoding.writeVarString(enc, text);
          for (let i = 0; i < text.length; i++) own.push([client, clock + i]);
          clock += text.length;
        }
      }
      // Deletions: none, or a few ranges.
      const dels = r() < 0.7 ? 0 : 1;
      encoding.writeVarUint(enc, dels);
      if (dels) {
        const [client, clock] = anyId();
        encoding.writeVarUint(enc, client);
        encoding.writeVarUint(enc, 1);
        encoding.writeVarUint(enc, clock);
        encoding.writeVarUint(enc, 1 + Math.floor(r() * 3));
      }
      let bytes = encoding.toUint8Array(enc);
      const mangle = r();
      if (mangle < 0.1) bytes = bytes.slice(0, Math.floor(r() * bytes.length));
      else if (mangle < 0.15) bytes = Uint8Array.from([...bytes, Math.floor(r() * 256)]);
      else if (mangle < 0.3) {
        bytes = bytes.slice();
        bytes[Math.floor(r() * bytes.length)] ^= 1 << Math.floor(r() * 8);
      }
      if (compare(server, bytes, `update ${n}: ${Buffer.from(bytes).toString("hex")}`) === "fast") fast++;
      seen[fullCheck(server, bytes)]++;
    }
    // The corpus has every kind of answer, and the fast path took a good share of the acceptable ones.
    for (const verdict of ["accepted", "refused", "undecodable"] as const) expect(seen[verdict], verdict).toBeGreaterThan(200);
    expect(fast).toBeGreaterThan(seen.accepted / 3);
    // An empty update (no structs, no deletions) is said to be empty.
    expect(quickCheck(server, Uint8Array.of(0, 0))).toBe(EMPTY_UPDATE);
  });
});
