// Keeps a council page current: when the server says the council changed, the
// route data is revalidated. Connects only in the browser, after hydration.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useRef, useState } from "react";
import { liveSocket, type LiveSocket } from "./live-socket";

export type LiveState = "connecting" | "live" | "offline";

/**
 * `councilId` "*" follows every council the person is in (the home page).
 * `onChange` is told just before a live change makes the page reload its data.
 */
export function useCouncilLive(councilId: string, onChange?: () => void): LiveState {
  const { revalidate } = useRevalidator();
  const changed = useRef(onChange);
  changed.current = onChange;
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    let socket: LiveSocket | undefined;
    let cancelled = false;
    const mine = (p: { councilId: string }) => {
      if (councilId !== "*" && p.councilId !== councilId) return;
      changed.current?.();
      revalidate();
    };
    const onReady = () => setState("live");
    const onDown = () => setState("offline");
    void liveSocket().then((s) => {
      if (cancelled) return;
      socket = s;
      // The shared socket may already be up (another component opened it).
      if (s.connected) setState("live");
      s.on("ready", onReady);
      s.on("connect", onReady);
      s.on("disconnect", onDown);
      s.on("connect_error", onDown);
      s.on("council:members-changed", mine);
      s.on("council:meetings-changed", mine);
      s.on("council:followup", mine);
      s.on("council:access-revoked", mine);
      s.on("council:activity", mine);
      s.on("council:statement", mine);
    });
    return () => {
      cancelled = true;
      socket?.off("ready", onReady);
      socket?.off("connect", onReady);
      socket?.off("disconnect", onDown);
      socket?.off("connect_error", onDown);
      socket?.off("council:members-changed", mine);
      socket?.off("council:meetings-changed", mine);
      socket?.off("council:followup", mine);
      socket?.off("council:access-revoked", mine);
      socket?.off("council:activity", mine);
      socket?.off("council:statement", mine);
    };
  }, [councilId, revalidate]);
  return state;
}
