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

/**
 * Where an event was published: on this node, or on another node of the same
 * installation (it came over Redis, server/redis.ts). Live-document rights follow
 * both; socket.io emits follow "here" only, since its Redis adapter already takes
 * each emit to every node (so each reaches its people once).
 */
export type EventOrigin = "here" | "elsewhere";

type Listener = (event: DomainEvent, origin: EventOrigin) => void;

/** In-process bus; with several nodes, RedisEventBus (server/redis.ts) also carries each event to the others. */
export class LocalEventBus implements EventSink {
  private listeners = new Set<Listener>();
  publish(event: DomainEvent): void {
    this.deliver(event, "here");
  }
  /** Hand an event to this node's listeners. */
  protected deliver(event: DomainEvent, origin: EventOrigin): void {
    for (const l of this.listeners) l(event, origin);
  }
  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
}

export const nullSink: EventSink = { publish() {} };
