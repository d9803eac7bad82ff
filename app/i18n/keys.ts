// The dictionary's keys as a type, without React: server code (domain errors,
// form failures) types its messages with it, so a key that does not exist fails `tsc`.
import type { sv } from "./sv";

export type MessageKey = keyof typeof sv;
