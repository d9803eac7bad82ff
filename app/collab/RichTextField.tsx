// Rich text (the action description) edited with TipTap on a Y.XmlFragment,
// with the other editors' carets. CSS is ours (injectCSS off) so the CSP needs
// no inline styles; carets are coloured through the CSSOM, not style attributes.
//
// A document stored in a shape the editor cannot show (text placed directly in
// it, nesting thousands deep: written before the server checked shapes, see
// server/domain/rich-text-schema.ts) is shown as plain text with a note instead
// of taking the page down; so is any other failure of the editor.
import Collaboration from "@tiptap/extension-collaboration";
import CollaborationCaret from "@tiptap/extension-collaboration-caret";
import { EditorContent, useEditor } from "@tiptap/react";
import StarterKit from "@tiptap/starter-kit";
import { Component, useEffect, useState, type ReactNode } from "react";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { useT } from "~/i18n";
import { xmlToText } from "../../server/domain/plan-doc";
import { fragmentProblem } from "../../server/domain/rich-text-schema";
import { EditorToolbar, LINK_OPTIONS } from "./EditorToolbar";

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

export function RichTextField(props: Props) {
  const { fragment, labelledBy } = props;
  // Checked once per document: the server refuses bad shapes from then on.
  const [unreadable, setUnreadable] = useState(() => fragmentProblem(fragment) !== null);
  useEffect(() => setUnreadable(fragmentProblem(fragment) !== null), [fragment]);
  const plain = <PlainRichText fragment={fragment} labelledBy={labelledBy} />;
  if (unreadable) return plain;
  return (
    <EditorBoundary key={String(props.editable)} fallback={plain}>
      <Editor {...props} />
    </EditorBoundary>
  );
}

/** The editor failed while rendering: show the plain text rather than the route's error page. */
class EditorBoundary extends Component<{ fallback: ReactNode; children: ReactNode }, { failed: boolean }> {
  state = { failed: false };
  static getDerivedStateFromError() {
    return { failed: true };
  }
  componentDidCatch(error: unknown) {
    console.warn("rich-text editor failed; showing plain text", error);
  }
  render() {
    return this.state.failed ? this.props.fallback : this.props.children;
  }
}

/** The text, read-only and live, with a note saying why it cannot be edited here. */
function PlainRichText({ fragment, labelledBy }: { fragment: Y.XmlFragment; labelledBy: string }) {
  const t = useT();
  const [text, setText] = useState(() => xmlToText(fragment));
  useEffect(() => {
    const read = () => setText(xmlToText(fragment));
    read();
    fragment.observeDeep(read);
    return () => fragment.unobserveDeep(read);
  }, [fragment]);
  return (
    <div className="rich-text rich-text--plain" role="group" aria-labelledby={labelledBy}>
      <p className="rich-text__notice" role="note">
        {t("richText.unreadable")}
      </p>
      {text.split("\n\n").map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}

function Editor({ fragment, awareness, user, labelledBy, editable, onFocus, onBlur }: Props) {
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
