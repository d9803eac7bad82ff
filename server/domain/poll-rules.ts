// The slot picker's limits, shared by the form (app/components/PollSection.tsx) and
// its schema (schemas.ts createPollSchema). No imports: the browser bundle takes it.

/** At most this many candidate slots in one poll (form rows slot0 … slot9). */
export const POLL_MAX_SLOTS = 10;

/** Meeting lengths the picker offers, in minutes; one serves every slot of a poll. */
export const POLL_DURATIONS = [30, 60, 90, 120, 150, 180, 240, 300, 360, 480] as const;
