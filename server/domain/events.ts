// The domain records what happened; server/realtime turns these into socket.io
// emits. Routes never emit. Events are published after the transaction commits.
export type DomainEvent =
  | { type: "membership.added"; councilId: string; userId: string }
  | { type: "membership.changed"; councilId: string; userId: string }
  | { type: "membership.removed"; councilId: string; userId: string }
  | { type: "council.created"; councilId: string }
  | { type: "meeting.convened" | "meeting.moved" | "meeting.updated" | "meeting.cancelled"; councilId: string; meetingId: string }
  | { type: "poll.changed" | "agenda.changed" | "minutes.changed"; councilId: string; meetingId: string }
  | { type: "plan.changed" | "followup.recorded"; councilId: string; planId: string }
  /** A statement or proposal changed: text locked or frozen, a vote, a comment. */
  | { type: "statement.changed"; councilId: string; statementId: string }
  /** A session was signed out: its live connections close. */
  | { type: "session.ended"; sessionId: string }
  /** A person was removed from the installation: every live connection of theirs closes. */
  | { type: "user.removed"; userId: string }
  /** New notifications were written for these people (after commit). */
  | { type: "notifications.created"; userIds: string[] }
  /** A working group's members or convener changed (or it was deleted): rights in its meetings' minutes follow. */
  | { type: "group.changed"; councilId: string; groupId: string }
  /** The council's activity feed has a new entry. */
  | { type: "activity.recorded"; councilId: string };

export interface EventSink {
  publish(event: DomainEvent): void;
}

type Listener = (event: DomainEvent) => void;

/** In-process bus; a Redis-backed sink replaces it when there is more than one node. */
export class LocalEventBus implements EventSink {
  private listeners = new Set<Listener>();
  publish(event: DomainEvent): void {
    for (const l of this.listeners) l(event);
  }
  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

export const nullSink: EventSink = { publish() {} };
