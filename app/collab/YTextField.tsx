// A plain <input> or <textarea> bound to a Y.Text: local typing becomes minimal
// Yjs inserts/deletes; remote changes update the value and keep the caret in place.
import { useEffect, useRef, useState, type FocusEventHandler } from "react";
import * as Y from "yjs";
import { LOCAL } from "./useLiveDoc";

interface Props {
  ytext: Y.Text;
  id: string;
  multiline?: boolean;
  readOnly?: boolean;
  className?: string;
  "aria-describedby"?: string;
  onFocus?: FocusEventHandler;
  onBlur?: FocusEventHandler;
}

/** Map a caret position through a Yjs text delta. */
function shift(pos: number, delta: Y.YTextEvent["delta"]): number {
  let index = 0;
  for (const d of delta) {
    if (d.retain) index += d.retain;
    else if (typeof d.insert === "string") {
      if (index < pos) pos += d.insert.length;
      index += d.insert.length;
    } else if (d.delete) {
      if (index < pos) pos -= Math.min(d.delete, pos - index);
    }
  }
  return pos;
}

export function YTextField({ ytext, id, multiline, readOnly, className, onFocus, onBlur, ...aria }: Props) {
  const ref = useRef<HTMLInputElement & HTMLTextAreaElement>(null);
  const [value, setValue] = useState(() => ytext.toString());

  useEffect(() => {
    setValue(ytext.toString());
    const observer = (event: Y.YTextEvent, tr: Y.Transaction) => {
      if (tr.origin === LOCAL && tr.local) return; // the field already shows it
      const el = ref.current;
      const focused = el && document.activeElement === el;
      const start = focused ? shift(el.selectionStart ?? 0, event.delta) : 0;
      const end = focused ? shift(el.selectionEnd ?? 0, event.delta) : 0;
      setValue(ytext.toString());
      if (focused) requestAnimationFrame(() => el.setSelectionRange(start, end));
    };
    ytext.observe(observer);
    return () => ytext.unobserve(observer);
  }, [ytext]);

  const onChange = (e: { target: { value: string } }) => {
    const next = e.target.value;
    const prev = ytext.toString();
    let s = 0;
    while (s < prev.length && s < next.length && prev[s] === next[s]) s++;
    let ep = prev.length;
    let en = next.length;
    while (ep > s && en > s && prev[ep - 1] === next[en - 1]) {
      ep--;
      en--;
    }
    ytext.doc!.transact(() => {
      if (ep > s) ytext.delete(s, ep - s);
      if (en > s) ytext.insert(s, next.slice(s, en));
    }, LOCAL);
    setValue(next);
  };

  const common = { id, ref, value, onChange, readOnly, className, onFocus, onBlur, ...aria };
  return multiline ? <textarea rows={3} {...common} /> : <input type="text" {...common} />;
}
