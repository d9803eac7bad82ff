// Socket.io event maps, typed once and shared by the server and the browser.
export interface ServerToClientEvents {
  /** The set of members of a council changed (joined, role changed, removed). */
  "council:members-changed": (p: { councilId: string }) => void;
  /** The person lost access to a council (removed or role ended). */
  "council:access-revoked": (p: { councilId: string }) => void;
  /** A meeting of the council was convened, moved, edited or cancelled. */
  "council:meetings-changed": (p: { councilId: string; meetingId: string; change: "convened" | "moved" | "updated" | "cancelled" | "poll" | "agenda" | "minutes" }) => void;
  /** A follow-up was reported on an action of a plan (dashboards refresh). */
  "council:followup": (p: { councilId: string; planId: string }) => void;
  /** A new notification for this person (text in their language) and their unread count. */
  "notification:new": (p: { id: string; text: string; link: string; unread: number }) => void;
  /** A statement or proposal of the council changed (status, votes, comments). */
  "council:statement": (p: { councilId: string; statementId: string }) => void;
  /** The council's activity feed has a new entry. */
  "council:activity": (p: { councilId: string }) => void;
  /** Sent once after the connection is authenticated and has joined its rooms. */
  ready: (p: { userId: string; councils: string[] }) => void;
}

export type ClientToServerEvents = Record<string, never>;

export interface SocketData {
  userId: string;
  sessionId: string;
}
