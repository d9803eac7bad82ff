// Rich text (the action description) edited with TipTap on a Y.XmlFragment,
// with the other editors' carets. CSS is ours (injectCSS off) so the CSP needs
// no inline styles; carets are coloured through the CSSOM, not style attributes.
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";

interface Props {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  user: { name: string; color: string };
  labelledBy: string;
  editable: boolean;
  onFocus?: () => void;
  onBlur?: () => void;
}

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

export function RichTextField({ fragment, awareness, user, labelledBy, editable, onFocus, onBlur }: Props) {
  const editor = useEditor(
    {
      immediatelyRender: false,
      injectCSS: false,
      editable,
      extensions: [
        StarterKit.configure({ undoRedo: false, heading: { levels: [3, 4] } }),
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
  return <EditorContent editor={editor} />;
}
