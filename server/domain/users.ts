import type { Db } from "../../db";
import type { User } from "../../db/schema";
import { burnVerifyTime, hashPassword, verifyPassword } from "../auth/password";
import { newId } from "./ids";
import { nowIso } from "./time";

export type PublicUser = Pick<User, "id" | "name" | "email" | "is_site_admin">;

export async function findUserByEmail(db: Db, email: string): Promise<User | undefined> {
  return db.selectFrom("users").selectAll().where("email", "=", email.toLowerCase()).executeTakeFirst();
}

export async function getUser(db: Db, id: string): Promise<PublicUser | undefined> {
  return db
    .selectFrom("users")
    .select(["id", "name", "email", "is_site_admin"])
    .where("id", "=", id)
    .where("anonymised_at", "is", null)
    .executeTakeFirst();
}

export async function createUser(
  db: Db,
  input: { email: string; name: string; passwordHash: string; isSiteAdmin?: boolean },
  now = new Date(),
): Promise<User> {
  const user = {
    id: newId(),
    email: input.email.toLowerCase(),
    name: input.name,
    password_hash: input.passwordHash,
    is_site_admin: input.isSiteAdmin ? 1 : 0,
    created_at: nowIso(now),
    anonymised_at: null,
    locale: "sv",
    calendar_year_events: 0,
  };
  await db.insertInto("users").values(user).execute();
  return user;
}

/** The user for a correct e-mail + password, else null (same time either way). */
export async function authenticate(db: Db, email: string, password: string): Promise<User | null> {
  const user = await findUserByEmail(db, email);
  if (!user?.password_hash || user.anonymised_at) {
    await burnVerifyTime(password);
    return null;
  }
  return (await verifyPassword(user.password_hash, password)) ? user : null;
}

export { hashPassword };

export async function setUserLocale(db: Db, userId: string, locale: "sv" | "en"): Promise<void> {
  await db.updateTable("users").set({ locale }).where("id", "=", userId).execute();
}

/** People's names by id, for pages that show who an id is (an anonymised person keeps the stored marker). */
export async function personNames(db: Db, ids: string[]): Promise<Record<string, string>> {
  const unique = [...new Set(ids)];
  if (!unique.length) return {};
  const rows = await db.selectFrom("users").select(["id", "name"]).where("id", "in", unique).execute();
  return Object.fromEntries(rows.map((r) => [r.id, r.name]));
}

/** Site admin: people with an account (not anonymised), by name or e-mail, with their number of councils. */
export async function searchPeople(db: Db, q: string | undefined, limit = 500) {
  let sel = db
    .selectFrom("users as u")
    .leftJoin("memberships as m", "m.user_id", "u.id")
    .select((eb) => ["u.id", "u.name", "u.email", "u.is_site_admin", eb.fn.count<number>("m.id").as("councils")])
    .where("u.anonymised_at", "is", null)
    .groupBy("u.id")
    .orderBy("u.name");
  if (q?.trim()) {
    const like = `%${q.trim().toLowerCase().replace(/[\\%_]/g, "")}%`;
    sel = sel.where((eb) => eb.or([eb(eb.fn("lower", ["u.name"]), "like", like), eb("u.email", "like", like)]));
  }
  return sel.limit(limit).execute();
}

/** Site admin: one person who has not been removed, with the councils they are in; undefined otherwise. */
export async function getActivePerson(db: Db, id: string) {
  const person = await db.selectFrom("users").select(["id", "name", "email"]).where("id", "=", id).where("anonymised_at", "is", null).executeTakeFirst();
  if (!person) return undefined;
  const councils = await db
    .selectFrom("memberships as m")
    .innerJoin("councils as c", "c.id", "m.council_id")
    .select(["c.name", "m.role"])
    .where("m.user_id", "=", person.id)
    .orderBy("c.name")
    .execute();
  return { person, councils };
}
