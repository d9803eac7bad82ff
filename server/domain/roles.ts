// Role lists that the browser also needs (select options); no imports, so that
// importing them pulls nothing server-side into the client bundle.
import type { Role } from "../../db/schema";

/** Roles a process leader may hand out; process leaders are appointed by a site admin. */
export const LEADER_ASSIGNABLE_ROLES = ["member", "adjunct", "observer"] as const satisfies readonly Role[];
