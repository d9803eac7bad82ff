// The shapes of rich text the browser editor can show, and a check of each Yjs
// update against them before the server stores it (docs/decisions/020-rich-text-schema.md).
//
// Rich text is a Y.XmlFragment (a plan action's `description`, or the root
// `content` of a minutes or statement document) bound to TipTap through y-tiptap
// (a fork of y-prosemirror): one Y.XmlElement per ProseMirror node, named after it,
// with its attributes as element attributes, and the text of a textblock as
// Y.XmlText with the marks as formatting attributes. Anything else (an XmlText
// directly in the fragment, an unknown node, a Y.Map in a paragraph, nesting
// thousands deep) is something the editor could not have produced, and makes the
// editor or the plain-text readers fail for everyone who opens the document.
//
// The check reads only the structs an update adds, never the whole document:
// each new struct's container (its parent type) is found in the live document's
// struct store or among the update's own structs, in the same way Yjs itself will
// find it when it integrates the update. It costs a few binary searches per
// struct, so it can run on every keystroke. What typing sends (a run of plain
// text next to text the document has) is recognised from the update's bytes
// without building its structs (`quickCheck`); anything else takes the full
// check. Only `yjs` and its `lib0` are imported.
import * as decoding from "lib0/decoding";
import * as Y from "yjs";

/**
 * The editor's schema: TipTap StarterKit as app/collab/RichTextField.tsx configures
 * it (headings 3–4, no undo extension), read from `getSchema()`:
 * content kinds are "block" (block nodes), "listItem", "inline" (text and inline
 * nodes), "text" (text only) and "none" (a leaf).
 */
type ContentKind = "block" | "listItem" | "inline" | "text" | "none";
interface NodeSpec {
  group: "block" | "inline" | null;
  content: ContentKind;
}
export const RICH_TEXT_NODES: Readonly<Record<string, NodeSpec>> = {
  paragraph: { group: "block", content: "inline" },
  heading: { group: "block", content: "inline" },
  codeBlock: { group: "block", content: "text" },
  blockquote: { group: "block", content: "block" },
  bulletList: { group: "block", content: "listItem" },
  orderedList: { group: "block", content: "listItem" },
  // ProseMirror's "paragraph block*": the order is not checked (concurrent edits
  // and deletions can break it anyway, and the editor tolerates it below the top).
  listItem: { group: null, content: "block" },
  horizontalRule: { group: "block", content: "none" },
  hardBreak: { group: "inline", content: "none" },
};
/** Marks, stored as formatting attributes of Y.XmlText (y-tiptap may suffix `--<hash>`). */
export const RICH_TEXT_MARKS: ReadonlySet<string> = new Set(["bold", "italic", "strike", "underline", "code", "link"]);
const HASHED_MARK = /^(.*)--[a-zA-Z0-9+/=]{8}$/;

/**
 * Where a link may point: http(s) and mailto only (docs/decisions/029-minutes-formatting.md).
 * The editor's link extension uses the same rule (app/collab/EditorToolbar.tsx),
 * so it never writes a link the server refuses; readers drop any other href.
 */
export function isSafeHref(href: unknown): href is string {
  if (typeof href !== "string" || href.length > 2048) return false;
  // Browsers ignore tabs, newlines and leading control characters in a scheme ("java\tscript:").
  if (/[\u0000-\u001f\u007f]/.test(href)) return false;
  return /^(?:https?:\/\/[^\s/?#]+|mailto:[^\s])/i.test(href);
}

/** The attributes of a link mark as the editor writes them: a safe href, and plain strings (or null) for the rest. */
const LINK_ATTRS: ReadonlySet<string> = new Set(["href", "target", "rel", "class", "title"]);
function linkValueProblem(value: unknown): string | null {
  if (value === null) return null; // the end of a link
  if (typeof value !== "object" || Array.isArray(value)) return "a link without attributes";
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    if (!LINK_ATTRS.has(k)) return `a link attribute "${k.slice(0, 40)}"`;
    if (k === "href") continue;
    if (v !== null && (typeof v !== "string" || v.length > 200)) return `a link attribute "${k}" that is not a short text`;
  }
  return isSafeHref((value as { href?: unknown }).href) ? null : "a link that is not http(s) or mailto";
}

/** Root types that are rich text wherever they occur (minutes and statements keep theirs in `content`). */
export const RICH_TEXT_ROOTS: ReadonlySet<string> = new Set(["content"]);

/**
 * How deep elements may nest, counted from the fragment (a top-level paragraph is
 * at depth 1). Eight levels of nested lists need 17 (list → item → … → paragraph);
 * 32 leaves room for lists in quotes in lists, and keeps every recursive reader
 * (ProseMirror's, Yjs's own deletion) far from the stack's limit.
 */
export const MAX_RICH_TEXT_DEPTH = 32;

/** Where a struct lives. */
type Container =
  | { kind: "fragment" }
  | { kind: "element"; nodeName: string; depth: number }
  | { kind: "xmltext" }
  /** Not rich text (plan maps, arrays, Y.Text fields, other roots): not our concern. */
  | { kind: "other" }
  /** Yjs will garbage-collect the struct on arrival (its parent or neighbour is gone). */
  | { kind: "dead" };
interface Place {
  container: Container;
  /** Set for a map entry (an element's attribute); null for a child in the sequence. */
  parentSub: string | null;
}

class Refused extends Error {}

/**
 * The reason given for an update that refers to structs the server does not have.
 * Not a bad shape: another tab of the same browser may have passed the client
 * edits (y-websocket's BroadcastChannel) that have not reached the server yet. The
 * server answers with a close the client retries, and the reconnect's sync sends
 * everything the server lacks in one update.
 */
export const UNKNOWN_REFERENCE = "refers to edits the server does not have";

const OTHER: Container = { kind: "other" };
const DEAD: Container = { kind: "dead" };

function depthOf(c: Container): number {
  return c.kind === "element" ? c.depth : 0;
}

/** What a shared type is, as a container, given the container it sits in (for the depth). */
function typeContainer(type: Y.AbstractType<any>, parent: () => Container): Container {
  // Order matters: XmlElement extends XmlFragment, XmlText extends Text, XmlHook extends Map.
  if (type instanceof Y.XmlElement) return { kind: "element", nodeName: type.nodeName, depth: depthOf(parent()) + 1 };
  if (type instanceof Y.XmlText) return { kind: "xmltext" };
  if (type instanceof Y.XmlFragment) return { kind: "fragment" };
  return OTHER;
}

/** A type already in the document, as a container. Bounded: it walks up at most MAX_RICH_TEXT_DEPTH + 1 elements. */
function docTypeContainer(type: Y.AbstractType<any>): Container {
  if (type instanceof Y.XmlElement) {
    let depth = 0;
    let t: Y.AbstractType<any> | null = type;
    while (t instanceof Y.XmlElement) {
      depth++;
      if (depth > MAX_RICH_TEXT_DEPTH) return { kind: "element", nodeName: type.nodeName, depth };
      t = t._item ? (t._item.parent as Y.AbstractType<any> | null) : null;
    }
    return { kind: "element", nodeName: type.nodeName, depth };
  }
  if (type instanceof Y.XmlText) return { kind: "xmltext" };
  if (type instanceof Y.XmlFragment) return { kind: "fragment" };
  if (type._item === null && type.doc) {
    // A root type: in the server's document it is a plain AbstractType (nobody asked
    // for it by its class), so its name says what it is.
    for (const [name, root] of type.doc.share) if (root === type) return RICH_TEXT_ROOTS.has(name) ? { kind: "fragment" } : OTHER;
  }
  return OTHER;
}

/** Why a struct with this content may not sit in this place, or null. */
function placeProblem(place: Place, content: unknown, newType: () => Container): string | null {
  const { container, parentSub } = place;
  if (container.kind === "dead") return null;
  if (container.kind === "other") {
    if (content instanceof Y.ContentType) {
      const t = content.type;
      if (t instanceof Y.XmlHook) return "an XmlHook";
      if (t instanceof Y.XmlElement || t instanceof Y.XmlText) return "a rich-text node outside rich text";
    }
    return null;
  }
  if (content instanceof Y.ContentDeleted) return null;
  if (parentSub !== null) {
    // An attribute (heading level, list start, code language): a plain value.
    return content instanceof Y.ContentAny ? null : "an attribute that is not a plain value";
  }
  if (container.kind === "xmltext") {
    if (content instanceof Y.ContentString) return null;
    if (content instanceof Y.ContentFormat) {
      const mark = HASHED_MARK.exec(content.key)?.[1] ?? content.key;
      if (!RICH_TEXT_MARKS.has(mark)) return `an unknown mark "${content.key.slice(0, 40)}"`;
      return mark === "link" ? linkValueProblem(content.value) : null;
    }
    return "something other than text in a text node";
  }
  // A child of a fragment or an element.
  const accepts: ContentKind = container.kind === "fragment" ? "block" : (RICH_TEXT_NODES[container.nodeName]?.content ?? "none");
  const where = container.kind === "fragment" ? "the document" : container.nodeName;
  if (!(content instanceof Y.ContentType)) return `loose content in ${where}`;
  const t = content.type;
  if (t instanceof Y.XmlElement) {
    const spec = RICH_TEXT_NODES[t.nodeName];
    if (!spec) return `an unknown node "${t.nodeName.slice(0, 40)}"`;
    const fits =
      accepts === "block" ? spec.group === "block" : accepts === "listItem" ? t.nodeName === "listItem" : accepts === "inline" ? spec.group === "inline" : false;
    if (!fits) return `${t.nodeName} in ${where}`;
    const c = newType();
    if (depthOf(c) > MAX_RICH_TEXT_DEPTH) return `nesting deeper than ${MAX_RICH_TEXT_DEPTH}`;
    return null;
  }
  if (t instanceof Y.XmlText) return accepts === "inline" || accepts === "text" ? null : `text directly in ${where}`;
  return `a ${t.constructor.name} in ${where}`;
}

/** Where a struct written without its parent lands, by its neighbour `known` (a struct the document has). */
function neighbourPlace(known: Y.Item | Y.GC): Place {
  if (known instanceof Y.GC) return { container: DEAD, parentSub: null };
  const parent = known.parent;
  if (!(parent instanceof Y.AbstractType)) return { container: DEAD, parentSub: null };
  return { container: docTypeContainer(parent), parentSub: known.parentSub };
}

/** `quickCheck`'s answer for an update with neither structs nor deletions. */
export const EMPTY_UPDATE: unique symbol = Symbol("empty update");

/** Struct info byte (Yjs update format v1): content ref in the low five bits, then the flags. */
const CONTENT_STRING = 4;
const HAS_ORIGIN = 0x80;
const HAS_RIGHT_ORIGIN = 0x40;

/**
 * `checkUpdate`'s fast path for what typing sends, read from the update's bytes
 * (Yjs format v1, as y-websocket sends) without building its structs: every
 * struct a run of plain text (ContentString) written with its neighbours, whose
 * left neighbour (else its right one) is already in the document or is one of
 * the update's own runs before it, and lands where text may be (a Y.Text, a
 * rich-text XmlText, anything that is not rich text); deletions of any kind.
 *
 * Returns null for an update checkUpdate accepts too, EMPTY_UPDATE for one with
 * nothing in it, and undefined for anything else, which then takes the full
 * check: it never accepts what the full check refuses, and it only says null for
 * bytes Yjs decodes (read to their last byte with the same lib0 readers). Held to
 * the full check by tests/unit/rich-text-quick-check.test.ts.
 */
export function quickCheck(doc: Y.Doc, update: Uint8Array): null | typeof EMPTY_UPDATE | undefined {
  const d = decoding.createDecoder(update);
  const store = doc.store;
  // The runs read so far, in order: [client, first clock, end clock], all placed where text may be.
  const runs: number[] = [];
  const inRuns = (client: number, clock: number) => {
    for (let i = 0; i < runs.length; i += 3) if (runs[i] === client && clock >= runs[i + 1] && clock < runs[i + 2]) return true;
    return false;
  };
  let structs = 0;
  try {
    const clients = decoding.readVarUint(d);
    for (let i = 0; i < clients; i++) {
      const count = decoding.readVarUint(d);
      const client = decoding.readVarUint(d);
      const start = decoding.readVarUint(d);
      let clock = start;
      runs.push(client, start, start);
      for (let j = 0; j < count; j++) {
        if (d.pos >= update.length) return undefined;
        const info = decoding.readUint8(d);
        if ((info & 0b11111) !== CONTENT_STRING || (info & (HAS_ORIGIN | HAS_RIGHT_ORIGIN)) === 0) return undefined;
        let refClient = 0;
        let refClock = 0;
        if (info & HAS_ORIGIN) {
          refClient = decoding.readVarUint(d);
          refClock = decoding.readVarUint(d);
        }
        if (info & HAS_RIGHT_ORIGIN) {
          const c = decoding.readVarUint(d);
          const k = decoding.readVarUint(d);
          if (!(info & HAS_ORIGIN)) [refClient, refClock] = [c, k];
        }
        const text = decoding.readVarString(d);
        if (text.length === 0) return undefined;
        if (refClock < Y.getState(store, refClient)) {
          const place = neighbourPlace(Y.getItem(store, Y.createID(refClient, refClock)) as Y.Item | Y.GC);
          if (placeProblem(place, PLAIN_TEXT, () => DEAD) !== null) return undefined;
        } else if (!inRuns(refClient, refClock)) {
          return undefined;
        }
        clock += text.length;
        runs[runs.length - 1] = clock;
        structs++;
      }
    }
    let deletions = 0;
    const dsClients = decoding.readVarUint(d);
    for (let i = 0; i < dsClients; i++) {
      decoding.readVarUint(d);
      const n = decoding.readVarUint(d);
      for (let j = 0; j < n; j++) {
        decoding.readVarUint(d);
        decoding.readVarUint(d);
      }
      deletions += n;
    }
    if (d.pos !== update.length) return undefined;
    return structs === 0 && deletions === 0 ? EMPTY_UPDATE : null;
  } catch {
    return undefined;
  }
}
/** Stands for any run of plain text where placeProblem asks what the content is. */
const PLAIN_TEXT = new Y.ContentString("text");

/**
 * Whether an update may be applied to `doc`: null when every struct it adds is
 * something the editor could have produced, else a short reason (for the log).
 *
 * Only structs the document does not have yet are inspected. A struct whose
 * parent or neighbour is neither in the document nor in the update (Yjs would
 * keep it pending until the rest arrives) is refused with UNKNOWN_REFERENCE:
 * where it will land cannot be known, and an honest client's reconnect resends
 * everything the server lacks in one update, which then passes. Deletions are always accepted. (Structs
 * already pending in `doc` — only possible from storage — are not re-checked when
 * an update completes them.)
 */
export function checkUpdate(doc: Y.Doc, update: Uint8Array, decoded?: { structs: (Y.Item | Y.GC | Y.Skip)[] }): string | null {
  const structs = (decoded ?? Y.decodeUpdate(update)).structs;
  if (structs.length === 0) return null;
  const store = doc.store;
  // The update's structs per client, in clock order (decodeUpdate keeps each client's run together and sorted).
  const byClient = new Map<number, (Y.Item | Y.GC | Y.Skip)[]>();
  for (const s of structs) {
    let list = byClient.get(s.id.client);
    if (!list) byClient.set(s.id.client, (list = []));
    list.push(s);
  }
  const inUpdate = (id: Y.ID): Y.Item | Y.GC | Y.Skip | undefined => {
    const list = byClient.get(id.client);
    if (!list) return undefined;
    let lo = 0;
    let hi = list.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const s = list[mid];
      if (id.clock < s.id.clock) hi = mid - 1;
      else if (id.clock >= s.id.clock + s.length) lo = mid + 1;
      else return s;
    }
    return undefined;
  };
  const inDoc = (id: Y.ID): Y.Item | Y.GC | undefined =>
    id.clock < Y.getState(store, id.client) ? (Y.getItem(store, id) as Y.Item | Y.GC) : undefined;

  // Places of the update's own items, resolved on demand with an explicit stack
  // (an update may chain thousands of items, each inside the previous one).
  const places = new Map<Y.Item, Place>();
  /** Containers of the types the update's items create. */
  const created = new Map<Y.Item, Container>();
  const createdContainer = (item: Y.Item): Container => {
    let c = created.get(item);
    if (!c) {
      const place = places.get(item)!;
      c = item.content instanceof Y.ContentType ? typeContainer(item.content.type, () => place.container) : DEAD;
      created.set(item, c);
    }
    return c;
  };
  /** One step: the place of `item`, or another update item whose place is needed first. */
  const step = (item: Y.Item): Place | Y.Item => {
    if (typeof item.parent === "string") {
      return { container: RICH_TEXT_ROOTS.has(item.parent) ? { kind: "fragment" } : OTHER, parentSub: item.parentSub };
    }
    if (item.parent instanceof Y.ID) {
      const known = inDoc(item.parent);
      if (known) {
        // A parent that was deleted and collected (a GC struct, or an item whose type
        // became ContentDeleted): Yjs discards the struct on arrival. An offline
        // client's edit inside a paragraph someone else deleted lands here.
        if (known instanceof Y.GC || !(known.content instanceof Y.ContentType)) return { container: DEAD, parentSub: item.parentSub };
        return { container: docTypeContainer(known.content.type), parentSub: item.parentSub };
      }
      const own = inUpdate(item.parent);
      if (!own || own instanceof Y.Skip) throw new Refused(UNKNOWN_REFERENCE);
      if (own instanceof Y.GC || !(own.content instanceof Y.ContentType)) return { container: DEAD, parentSub: item.parentSub };
      if (!places.has(own)) return own;
      return { container: createdContainer(own), parentSub: item.parentSub };
    }
    // No parent written: Yjs takes the left neighbour's (origin), else the right one's.
    const ref = item.origin ?? item.rightOrigin;
    if (!ref) throw new Refused("an item with neither parent nor neighbours");
    const known = inDoc(ref);
    if (known) return neighbourPlace(known);
    const own = inUpdate(ref);
    if (!own || own instanceof Y.Skip) throw new Refused(UNKNOWN_REFERENCE);
    if (own instanceof Y.GC) return { container: DEAD, parentSub: null };
    return places.get(own) ?? own;
  };
  const placeOf = (start: Y.Item): Place => {
    const stack: Y.Item[] = [start];
    const pending = new Set<Y.Item>([start]);
    while (stack.length) {
      const item = stack[stack.length - 1];
      const r = step(item);
      if (r instanceof Y.Item) {
        if (pending.has(r)) throw new Refused("a cycle of references");
        pending.add(r);
        stack.push(r);
        continue;
      }
      places.set(item, r);
      pending.delete(item);
      stack.pop();
    }
    return places.get(start)!;
  };

  try {
    for (const s of structs) {
      if (!(s instanceof Y.Item)) continue; // GC and Skip add nothing anyone reads
      if (s.id.clock + s.length <= Y.getState(store, s.id.client)) continue; // already in the document
      const place = places.get(s) ?? placeOf(s);
      const problem = placeProblem(place, s.content, () => createdContainer(s));
      if (problem) return problem;
    }
  } catch (err) {
    if (err instanceof Refused) return err.message;
    throw err;
  }
  return null;
}

/**
 * Why a whole rich-text fragment could not be shown by the editor, or null. For
 * the browser, before it binds the editor to a document that may have been
 * stored before the server checked shapes. Iterative, and linear in the size.
 */
export function fragmentProblem(frag: Y.XmlFragment): string | null {
  const stack: [Y.XmlFragment, number][] = [[frag, 0]];
  while (stack.length) {
    const [node, depth] = stack.pop()!;
    const accepts: ContentKind = node instanceof Y.XmlElement && node !== frag ? (RICH_TEXT_NODES[node.nodeName]?.content ?? "none") : "block";
    const where = node === frag ? "the document" : (node as Y.XmlElement).nodeName;
    for (const child of node.toArray() as unknown[]) {
      if (child instanceof Y.XmlElement) {
        const spec = RICH_TEXT_NODES[child.nodeName];
        if (!spec) return `an unknown node "${child.nodeName.slice(0, 40)}"`;
        const fits =
          accepts === "block" ? spec.group === "block" : accepts === "listItem" ? child.nodeName === "listItem" : accepts === "inline" ? spec.group === "inline" : false;
        if (!fits) return `${child.nodeName} in ${where}`;
        if (depth + 1 > MAX_RICH_TEXT_DEPTH) return `nesting deeper than ${MAX_RICH_TEXT_DEPTH}`;
        stack.push([child, depth + 1]);
      } else if (child instanceof Y.XmlText) {
        if (accepts !== "inline" && accepts !== "text") return `text directly in ${where}`;
        for (const d of child.toDelta() as { insert: unknown; attributes?: Record<string, unknown> }[]) {
          if (typeof d.insert !== "string") return "something other than text in a text node";
          for (const key of Object.keys(d.attributes ?? {})) {
            if (!RICH_TEXT_MARKS.has(HASHED_MARK.exec(key)?.[1] ?? key)) return `an unknown mark "${key.slice(0, 40)}"`;
          }
        }
      } else {
        return `loose content in ${where}`;
      }
    }
  }
  return null;
}
