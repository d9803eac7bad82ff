// Seeded rich texts (minutes, statements) as Yjs documents: one paragraph per
// string, in the "content" XmlFragment the editor binds to.
import * as Y from "yjs";

export function paragraphsState(paragraphs: string[]): Uint8Array {
  const doc = new Y.Doc();
  doc.getXmlFragment("content").push(
    paragraphs.map((p) => {
      const el = new Y.XmlElement("paragraph");
      const t = new Y.XmlText();
      t.insert(0, p);
      el.insert(0, [t]);
      return el;
    }),
  );
  const state = Y.encodeStateAsUpdate(doc);
  doc.destroy();
  return state;
}
