// Keeps a council page current: when the server says the council changed, the
// route data is revalidated. Connects only in the browser, after hydration (when
// the page is idle). The connection's state is shown by `useLiveState` (live-socket.ts),
// not returned here: a state change must not re-render the whole page.
import { useNavigation, useRevalidator } from "@remix-run/react";
import { useEffect, useRef } from "react";
import { liveSocket, type LiveSocket } from "./live-socket";

/** How long a burst of live events is gathered into one revalidation. */
const COALESCE_MS = 100;

/**
 * `councilId` "*" follows every council the person is in (the home page).
 * `onChange` is told just before a live change makes the page reload its data.
 */
export function useCouncilLive(councilId: string, onChange?: () => void): void {
  const { revalidate, state: revalidation } = useRevalidator();
  const changed = useRef(onChange);
  changed.current = onChange;
  // One change often comes as a burst of events (convening a meeting: the meeting, the
  // activity feed, notifications). Revalidating on each one aborts the revalidation in
  // flight, which Remix 2's single fetch reports as an uncaught AbortError
  // (remix-run/react-router#14761). And a revalidation started during a form submission
  // restarts the submission's navigation, so its answer (the "saved" message) is lost.
  // So a burst is coalesced into one revalidation, which waits until no revalidation,
  // navigation or submission is under way (this page's own submission also brings the
  // change, but one that started before the change might not).
  const navigation = useNavigation().state;
  const busy = useRef(false);
  busy.current = revalidation !== "idle" || navigation !== "idle";
  useEffect(() => {
    let socket: LiveSocket | undefined;
    let cancelled = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const run = () => {
      timer = undefined;
      if (cancelled) return;
      if (busy.current) timer = setTimeout(run, COALESCE_MS);
      else revalidate();
    };
    const mine = (p: { councilId: string }) => {
      if (councilId !== "*" && p.councilId !== councilId) return;
      changed.current?.();
      timer ??= setTimeout(run, COALESCE_MS);
    };
    void liveSocket().then((s) => {
      if (cancelled) return;
      socket = s;
      s.on("council:members-changed", mine);
      s.on("council:meetings-changed", mine);
      s.on("council:followup", mine);
      s.on("council:access-revoked", mine);
      s.on("council:activity", mine);
      s.on("council:statement", mine);
    });
    return () => {
      cancelled = true;
      clearTimeout(timer);
      socket?.off("council:members-changed", mine);
      socket?.off("council:meetings-changed", mine);
      socket?.off("council:followup", mine);
      socket?.off("council:access-revoked", mine);
      socket?.off("council:activity", mine);
      socket?.off("council:statement", mine);
    };
  }, [councilId, revalidate]);
}
