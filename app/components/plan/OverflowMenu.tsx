// A menu button (WAI-ARIA APG "Menu Button" pattern) for an item's secondary actions:
// move up/down, move elsewhere, delete. Enter, Space or ArrowDown opens it on the first
// item, ArrowUp on the last; arrows, Home and End move between items; Escape closes it
// and gives focus back to the button; Tab or a click elsewhere closes it.
// Styled with Designsystemet's dropdown CSS (app/ds.css); no runtime of theirs.
// The editor it serves only exists with JavaScript, so it needs no no-JS path.
import { EllipsisVertical } from "lucide-react";
import { forwardRef, useEffect, useId, useImperativeHandle, useRef, useState, type KeyboardEvent } from "react";

export type MenuEntry =
  | { kind?: "item"; label: string; onSelect: () => void; danger?: boolean }
  | { kind: "group"; label: string; items: { label: string; onSelect: () => void }[] }
  | { kind: "separator" };

export interface MenuHandle {
  focus(): void;
}

/** `entries` may be a function: it is then called when the menu opens (entries that read the document as it is then). */
export const OverflowMenu = forwardRef<MenuHandle, { label: string; entries: MenuEntry[] | (() => MenuEntry[]) }>(function OverflowMenu({ label, entries }, handle) {
  const [open, setOpen] = useState<false | "first" | "last">(false);
  const button = useRef<HTMLButtonElement>(null);
  const menu = useRef<HTMLDivElement>(null);
  const root = useRef<HTMLDivElement>(null);
  const id = useId();
  useImperativeHandle(handle, () => ({ focus: () => button.current?.focus() }), []);

  const items = () => [...(menu.current?.querySelectorAll<HTMLElement>('[role="menuitem"]') ?? [])];

  useEffect(() => {
    if (!open) return;
    const list = items();
    (open === "last" ? list[list.length - 1] : list[0])?.focus();
    const away = (e: PointerEvent) => {
      if (!root.current?.contains(e.target as Node)) setOpen(false);
    };
    document.addEventListener("pointerdown", away);
    return () => document.removeEventListener("pointerdown", away);
  }, [open]);

  const close = (refocus: boolean) => {
    setOpen(false);
    if (refocus) button.current?.focus();
  };

  const onButtonKey = (e: KeyboardEvent) => {
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      e.preventDefault();
      setOpen(e.key === "ArrowDown" ? "first" : "last");
    }
  };

  const onMenuKey = (e: KeyboardEvent) => {
    const list = items();
    const at = list.indexOf(document.activeElement as HTMLElement);
    const go = (i: number) => list[(i + list.length) % list.length]?.focus();
    if (e.key === "ArrowDown") go(at + 1);
    else if (e.key === "ArrowUp") go(at - 1);
    else if (e.key === "Home") go(0);
    else if (e.key === "End") go(list.length - 1);
    else if (e.key === "Escape") close(true);
    else if (e.key === "Tab") {
      setOpen(false);
      return;
    } else return;
    e.preventDefault();
    e.stopPropagation();
  };

  const choose = (fn: () => void) => {
    // Focus goes back to the button first; the choice may then move it on (a dialog, another row).
    close(true);
    fn();
  };

  const item = (label: string, onSelect: () => void, key: string, danger?: boolean) => (
    <li key={key} role="none">
      <button type="button" role="menuitem" tabIndex={-1} className={danger ? "menu-item menu-item--danger" : "menu-item"} onClick={() => choose(onSelect)}>
        {label}
      </button>
    </li>
  );

  return (
    <div className="overflow-menu" ref={root}>
      <button
        ref={button}
        type="button"
        className="button--secondary button--small overflow-menu__button"
        aria-label={label}
        aria-haspopup="menu"
        aria-expanded={open ? "true" : "false"}
        aria-controls={open ? id : undefined}
        onClick={() => (open ? close(false) : setOpen("first"))}
        onKeyDown={onButtonKey}
      >
        <EllipsisVertical aria-hidden="true" size={18} />
      </button>
      {open ? (
        <div className="ds-dropdown overflow-menu__list" ref={menu} onKeyDown={onMenuKey}>
          <ul id={id} role="menu" aria-label={label}>
            {(typeof entries === "function" ? entries() : entries).map((e, i) =>
              e.kind === "separator" ? (
                <li key={i} role="separator" className="overflow-menu__separator" />
              ) : e.kind === "group" ? (
                <li key={i} role="none">
                  <span className="overflow-menu__group-label" id={`${id}-g${i}`} aria-hidden="true">
                    {e.label}
                  </span>
                  <ul role="group" aria-labelledby={`${id}-g${i}`}>
                    {e.items.map((g, j) => item(g.label, g.onSelect, `${i}-${j}`))}
                  </ul>
                </li>
              ) : (
                item(e.label, e.onSelect, String(i), e.danger)
              ),
            )}
          </ul>
        </div>
      ) : null}
    </div>
  );
});
