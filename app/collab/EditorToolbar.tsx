// The formatting toolbar of the rich-text editor (minutes, statements, an action's
// description): headings, bullet and numbered lists, bold, italic and links.
// WAI-ARIA toolbar pattern (https://www.w3.org/WAI/ARIA/apg/patterns/toolbar/): one
// tab stop, arrow keys move between the buttons (roving tabindex); a button whose
// format applies at the caret says so with aria-pressed. Each button shows its word
// next to an aria-hidden icon. Links are http(s) or mailto only: the same rule the
// server checks (server/domain/rich-text-schema.ts isSafeHref), so the editor never
// writes a link the server refuses (docs/decisions/029-minutes-formatting.md).
import type { Editor } from "@tiptap/react";
import { useEditorState } from "@tiptap/react";
import { Bold, Heading3, Heading4, Italic, Link2, List, ListOrdered } from "lucide-react";
import { useId, useRef, useState, type KeyboardEvent, type ReactNode } from "react";
import { useT, type MessageKey } from "~/i18n";
import { isSafeHref } from "../../server/domain/rich-text-schema";

/** The link extension's options (StarterKit's `link`): only safe addresses, and a click edits rather than navigates. */
export const LINK_OPTIONS = {
  openOnClick: false,
  // Checked on links typed, pasted or set; a value without a scheme ("www.…") is
  // not autolinked (its href would be guessed), an address with one must be safe.
  isAllowedUri: (url: string) => isSafeHref(url),
  shouldAutoLink: (url: string) => isSafeHref(url),
} as const;

/** What a person typed as a link address, made absolute: "example.org" → https, "a@b.se" → mailto. Null if not allowed. */
export function normaliseHref(input: string): string | null {
  const v = input.trim();
  if (!v) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:/i.test(v) ? v : /^[^\s@/]+@[^\s@/]+\.[^\s@/]+$/.test(v) ? `mailto:${v}` : `https://${v.replace(/^\/+/, "")}`;
  return isSafeHref(withScheme) ? withScheme : null;
}

type Command = "h3" | "h4" | "bulletList" | "orderedList" | "bold" | "italic";
const BUTTONS: { id: Command; label: MessageKey; icon: ReactNode }[] = [
  { id: "h3", label: "editor.heading", icon: <Heading3 aria-hidden size={18} /> },
  { id: "h4", label: "editor.subheading", icon: <Heading4 aria-hidden size={18} /> },
  { id: "bulletList", label: "editor.bulletList", icon: <List aria-hidden size={18} /> },
  { id: "orderedList", label: "editor.orderedList", icon: <ListOrdered aria-hidden size={18} /> },
  { id: "bold", label: "editor.bold", icon: <Bold aria-hidden size={18} /> },
  { id: "italic", label: "editor.italic", icon: <Italic aria-hidden size={18} /> },
];

function run(editor: Editor, id: Command) {
  const c = editor.chain().focus();
  if (id === "h3") c.toggleHeading({ level: 3 }).run();
  else if (id === "h4") c.toggleHeading({ level: 4 }).run();
  else if (id === "bulletList") c.toggleBulletList().run();
  else if (id === "orderedList") c.toggleOrderedList().run();
  else if (id === "bold") c.toggleBold().run();
  else c.toggleItalic().run();
}

export function EditorToolbar({ editor, labelledBy }: { editor: Editor | null; labelledBy: string }) {
  const t = useT();
  const ref = useRef<HTMLDivElement>(null);
  const [focusIndex, setFocusIndex] = useState(0);
  const [linkOpen, setLinkOpen] = useState(false);
  const [href, setHref] = useState("");
  const [linkError, setLinkError] = useState(false);
  const inputId = useId();
  const errorId = useId();
  const active = useEditorState({
    editor,
    selector: ({ editor: e }) =>
      e
        ? {
            h3: e.isActive("heading", { level: 3 }),
            h4: e.isActive("heading", { level: 4 }),
            bulletList: e.isActive("bulletList"),
            orderedList: e.isActive("orderedList"),
            bold: e.isActive("bold"),
            italic: e.isActive("italic"),
            link: e.isActive("link"),
          }
        : null,
  });
  if (!editor) return null;
  const count = BUTTONS.length + 1;

  // Roving tabindex: the toolbar is one tab stop; arrows, Home and End move within it.
  function onKeyDown(e: KeyboardEvent<HTMLDivElement>) {
    const keys: Record<string, (i: number) => number> = {
      ArrowRight: (i) => (i + 1) % count,
      ArrowLeft: (i) => (i - 1 + count) % count,
      Home: () => 0,
      End: () => count - 1,
    };
    const move = keys[e.key];
    if (!move || !(e.target as HTMLElement).matches("[data-toolbar-button]")) return;
    e.preventDefault();
    const next = move(focusIndex);
    setFocusIndex(next);
    ref.current?.querySelectorAll<HTMLButtonElement>("[data-toolbar-button]")[next]?.focus();
  }

  function openLink() {
    setHref((editor!.getAttributes("link").href as string | undefined) ?? "");
    setLinkError(false);
    setLinkOpen((o) => !o);
  }
  function applyLink() {
    const safe = normaliseHref(href);
    if (!safe) {
      setLinkError(true);
      return;
    }
    const { empty } = editor!.state.selection;
    const chain = editor!.chain().focus().extendMarkRange("link");
    if (empty && !editor!.isActive("link")) chain.insertContent({ type: "text", text: safe, marks: [{ type: "link", attrs: { href: safe } }] }).run();
    else chain.setLink({ href: safe }).run();
    setLinkOpen(false);
    setHref("");
  }
  function removeLink() {
    editor!.chain().focus().extendMarkRange("link").unsetLink().run();
    setLinkOpen(false);
  }

  return (
    <div className="editor-toolbar-wrap">
      <div ref={ref} className="editor-toolbar" role="toolbar" aria-label={t("editor.toolbar")} aria-describedby={labelledBy} onKeyDown={onKeyDown}>
        {BUTTONS.map((b, i) => (
          <button
            key={b.id}
            type="button"
            data-toolbar-button
            className="editor-toolbar__button"
            tabIndex={i === focusIndex ? 0 : -1}
            aria-pressed={active?.[b.id] ?? false}
            onFocus={() => setFocusIndex(i)}
            // Keep the editor's selection: the button does not take it away on press.
            onMouseDown={(e) => e.preventDefault()}
            onClick={() => run(editor, b.id)}
          >
            {b.icon}
            <span>{t(b.label)}</span>
          </button>
        ))}
        <button
          type="button"
          data-toolbar-button
          className="editor-toolbar__button"
          tabIndex={focusIndex === BUTTONS.length ? 0 : -1}
          aria-expanded={linkOpen}
          aria-pressed={active?.link ?? false}
          onFocus={() => setFocusIndex(BUTTONS.length)}
          onMouseDown={(e) => e.preventDefault()}
          onClick={openLink}
        >
          <Link2 aria-hidden size={18} />
          <span>{t("editor.link")}</span>
        </button>
      </div>
      {linkOpen ? (
        <div className="editor-link" role="group" aria-label={t("editor.link")}>
          <label htmlFor={inputId}>{t("editor.linkAddress")}</label>
          <input
            id={inputId}
            type="url"
            inputMode="url"
            value={href}
            autoFocus
            aria-invalid={linkError || undefined}
            aria-describedby={linkError ? errorId : undefined}
            onChange={(e) => setHref(e.target.value)}
            onKeyDown={(e) => {
              if (e.key === "Enter") {
                e.preventDefault();
                applyLink();
              } else if (e.key === "Escape") {
                e.preventDefault();
                setLinkOpen(false);
                editor.commands.focus();
              }
            }}
          />
          {linkError ? (
            <p id={errorId} className="error-message">
              {t("editor.linkInvalid")}
            </p>
          ) : null}
          <div className="row-form">
            <button type="button" className="button--small" onClick={applyLink}>
              {t("editor.linkApply")}
            </button>
            {active?.link ? (
              <button type="button" className="button--small button--secondary" onClick={removeLink}>
                {t("editor.linkRemove")}
              </button>
            ) : null}
            <button type="button" className="button--small button--secondary" onClick={() => setLinkOpen(false)}>
              {t("editor.linkCancel")}
            </button>
          </div>
        </div>
      ) : null}
    </div>
  );
}
