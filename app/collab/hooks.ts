import { useEffect, useReducer, useState } from "react";
import type { Awareness } from "y-protocols/awareness";
import type * as Y from "yjs";

/** Re-render when this shared type changes (shallow: its own keys or items). */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export function useYObserve(type: Y.AbstractType<any> | undefined) {
  const [, bump] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    if (!type) return;
    type.observe(bump);
    return () => type.unobserve(bump);
  }, [type]);
}

export function useYText(ytext: Y.Text | undefined): string {
  const [value, setValue] = useState(() => ytext?.toString() ?? "");
  useEffect(() => {
    if (!ytext) return;
    const update = () => setValue(ytext.toString());
    update();
    ytext.observe(update);
    return () => ytext.unobserve(update);
  }, [ytext]);
  return value;
}

export interface PresenceState {
  user?: { id: string; name: string; color: string };
  field?: string | null;
}

/** Everyone's awareness state but our own, keyed by Yjs client id. */
export function usePresence(awareness: Awareness | undefined): Map<number, PresenceState> {
  const [states, setStates] = useState<Map<number, PresenceState>>(new Map());
  useEffect(() => {
    if (!awareness) return;
    const update = () => {
      const next = new Map<number, PresenceState>();
      awareness.getStates().forEach((s, id) => {
        if (id !== awareness.clientID && s.user) next.set(id, s as PresenceState);
      });
      setStates(next);
    };
    update();
    awareness.on("change", update);
    return () => awareness.off("change", update);
  }, [awareness]);
  return states;
}

// Colours that keep 4.5:1 contrast with white text.
const COLOURS = ["#1d4f91", "#8a1c7c", "#0b6e4f", "#a1260d", "#5b3cc4", "#7a4b00", "#006d77", "#9d174d"];
export function colourFor(id: string): string {
  let h = 0;
  for (const ch of id) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return COLOURS[h % COLOURS.length];
}
