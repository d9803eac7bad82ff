// Rich text (the action description, the minutes, a statement) edited live on a
// Y.XmlFragment. The editor (TipTap + ProseMirror, RichTextEditor.tsx) is loaded
// on demand the first time a rich-text field mounts, so pages that only read, and
// the plan page until someone opens an action's details, do not download it.
// While it loads, the text is shown read-only.
//
// A document stored in a shape the editor cannot show (text placed directly in
// it, nesting thousands deep: written before the server checked shapes, see
// server/domain/rich-text-schema.ts) is shown as plain text with a note instead
// of taking the page down; so is any other failure of the editor (including a
// failed download of its code).
import { Component, lazy, Suspense, useEffect, useState, type ReactNode } from "react";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";
import { useT } from "~/i18n";
import { xmlToText } from "../../server/domain/plan-doc";
import { fragmentProblem } from "../../server/domain/rich-text-schema";

export interface RichTextProps {
  fragment: Y.XmlFragment;
  awareness: Awareness;
  user: { name: string; color: string };
  labelledBy: string;
  editable: boolean;
  onFocus?: () => void;
  onBlur?: () => void;
}

const RichTextEditor = lazy(() => import("./RichTextEditor"));

export function RichTextField(props: RichTextProps) {
  const { fragment, labelledBy } = props;
  // Checked once per document: the server refuses bad shapes from then on.
  const [unreadable, setUnreadable] = useState(() => fragmentProblem(fragment) !== null);
  useEffect(() => setUnreadable(fragmentProblem(fragment) !== null), [fragment]);
  if (unreadable) return <PlainRichText fragment={fragment} labelledBy={labelledBy} notice />;
  return (
    <EditorBoundary key={String(props.editable)} fallback={<PlainRichText fragment={fragment} labelledBy={labelledBy} notice />}>
      <Suspense fallback={<PlainRichText fragment={fragment} labelledBy={labelledBy} notice={false} />}>
        <RichTextEditor {...props} />
      </Suspense>
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

/** The text, read-only and live; with `notice`, a note saying why it cannot be edited here. */
function PlainRichText({ fragment, labelledBy, notice }: { fragment: Y.XmlFragment; labelledBy: string; notice: boolean }) {
  const t = useT();
  const [text, setText] = useState(() => xmlToText(fragment));
  useEffect(() => {
    const read = () => setText(xmlToText(fragment));
    read();
    fragment.observeDeep(read);
    return () => fragment.unobserveDeep(read);
  }, [fragment]);
  return (
    <div className={notice ? "rich-text rich-text--plain" : "rich-text-loading"} role="group" aria-labelledby={labelledBy}>
      {notice ? (
        <p className="rich-text__notice" role="note">
          {t("richText.unreadable")}
        </p>
      ) : null}
      {text.split("\n\n").map((p, i) => (
        <p key={i}>{p}</p>
      ))}
    </div>
  );
}
