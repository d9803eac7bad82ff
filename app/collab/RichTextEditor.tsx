// The TipTap editor itself (rich text on a Y.XmlFragment, with the other editors'
// carets). Loaded on demand by RichTextField (React.lazy): TipTap and ProseMirror
// are ~430 KB of JavaScript that only pages where someone edits rich text need.
// CSS is ours (injectCSS off) so the CSP needs no inline styles; carets are
// coloured through the CSSOM, not style attributes.
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { EditorToolbar, LINK_OPTIONS } from "./EditorToolbar";
import type { RichTextProps } from "./RichTextField";

function renderCaret(user: Record<string, string>) {
  const caret = document.createElement("span");
  caret.classList.add("collab-caret");
  caret.style.borderColor = user.color ?? "#333";
  const label = document.createElement("span");
  label.classList.add("collab-caret__label");
  label.style.backgroundColor = user.color ?? "#333";
  label.textContent = user.name ?? "";
  caret.append(label);
  return caret;
}

export default function RichTextEditor({ fragment, awareness, user, labelledBy, editable, onFocus, onBlur }: RichTextProps) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      injectCSS: false,
      editable,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] }, link: LINK_OPTIONS }),
        Collaboration.configure({ fragment }),
        CollaborationCaret.configure({ provider: { awareness }, user, render: renderCaret }),
      ],
      editorProps: {
        attributes: {
          role: "textbox",
          "aria-multiline": "true",
          "aria-labelledby": labelledBy,
          class: "rich-text",
          ...(editable ? {} : { "aria-readonly": "true" }),
        },
      },
      onFocus: () => onFocus?.(),
      onBlur: () => onBlur?.(),
    },
    [fragment, editable],
  );
  return (
    <>
      {editable ? <EditorToolbar editor={editor} labelledBy={labelledBy} /> : null}
      <EditorContent editor={editor} />
    </>
  );
}
