// Keeps a council page current: when the server says the council changed, the
// route data is revalidated. Connects only in the browser, after hydration.
import { useRevalidator } from "@remix-run/react";
import { useEffect, useState } from "react";
import type { Socket } from "socket.io-client";
import type { ClientToServerEvents, ServerToClientEvents } from "../../server/realtime/protocol";

export type LiveState = "connecting" | "live" | "offline";

/** `councilId` "*" follows every council the person is in (the home page). */
export function useCouncilLive(councilId: string): LiveState {
  const { revalidate } = useRevalidator();
  const [state, setState] = useState<LiveState>("connecting");
  useEffect(() => {
    let socket: Socket<ServerToClientEvents, ClientToServerEvents> | undefined;
    let cancelled = false;
    void import("socket.io-client").then(({ io }) => {
      if (cancelled) return;
      socket = io({ withCredentials: true });
      socket.on("ready", () => setState("live"));
      socket.on("disconnect", () => setState("offline"));
      socket.on("connect_error", () => setState("offline"));
      socket.on("council:members-changed", (p) => {
        if (councilId === "*" || p.councilId === councilId) revalidate();
      });
      socket.on("council:meetings-changed", (p) => {
        if (councilId === "*" || p.councilId === councilId) revalidate();
      });
      socket.on("council:followup", (p) => {
        if (councilId === "*" || p.councilId === councilId) revalidate();
      });
      socket.on("council:access-revoked", (p) => {
        if (councilId === "*" || p.councilId === councilId) revalidate();
      });
    });
    return () => {
      cancelled = true;
      socket?.disconnect();
    };
  }, [councilId, revalidate]);
  return state;
}
