import { hash, verify } from "@node-rs/argon2";

// argon2id with the library's defaults (OWASP's minimum: m=19 MiB, t=2, p=1).
export function hashPassword(password: string): Promise<string> {
  return hash(password);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against a fixed hash when the e-mail is unknown keeps the response time
// the same, so timing does not reveal which addresses have accounts.
let dummyHash: Promise<string> | undefined;
export async function burnVerifyTime(password: string): Promise<void> {
  dummyHash ??= hash("samsyn-timing-equaliser");
  await verifyPassword(await dummyHash, password);
}
