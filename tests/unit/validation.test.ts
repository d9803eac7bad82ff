import { describe, expect, it } from "vitest";
import {
  acceptInviteNewUserSchema,
  changeRoleSchema,
  councilSchema,
  inviteSchema,
  loginSchema,
  safeRedirect,
} from "../../server/domain/schemas";

const TODAY = "2026-11-25";
const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [String(i.path[0]), i.message]));

describe("login form", () => {
  it("normalises the e-mail address", () => {
    const r = loginSchema.parse({ email: "  Ledamot@Samsyn.TEST ", password: "x" });
    expect(r.email).toBe("ledamot@samsyn.test");
  });
  it("names each missing or bad field with an i18n key", () => {
    expect(errorsOf(loginSchema.safeParse({}))).toEqual({ email: "error.required", password: "error.required" });
    expect(errorsOf(loginSchema.safeParse({ email: "not-an-address", password: "x" }))).toEqual({ email: "error.email" });
  });
});

describe("council form", () => {
  const ok = { name: "Kompetensråd Sjuhärad", slug: "sjuharad", subRegion: "Sjuhärad", mandate: "" };
  it("accepts a valid council", () => {
    expect(councilSchema.safeParse(ok).success).toBe(true);
  });
  it.each([
    ["Sjuhärad", "error.slug"],
    ["-bad", "error.slug"],
    ["a", "error.slug"],
    ["admin", "error.slugReserved"],
    ["x".repeat(61), "error.tooLong"],
  ])("refuses slug %j with %s", (slug, key) => {
    expect(errorsOf(councilSchema.safeParse({ ...ok, slug }))).toEqual({ slug: key });
  });
  it("refuses a 10,000-character name", () => {
    expect(errorsOf(councilSchema.safeParse({ ...ok, name: "x".repeat(10_000) }))).toEqual({ name: "error.tooLong" });
  });
  it("refuses a blank name after trimming", () => {
    expect(errorsOf(councilSchema.safeParse({ ...ok, name: "   " }))).toEqual({ name: "error.required" });
  });
});

describe("invite form", () => {
  const base = { email: "ny@example.se", role: "member", organisation: "Högskolan i Skövde", perspective: "education" };
  const schema = inviteSchema(TODAY);
  it("drops dates for roles other than adjunct", () => {
    const r = schema.parse({ ...base, validFrom: "2026-12-01", validTo: "2027-01-01" });
    expect(r.validFrom).toBeNull();
    expect(r.validTo).toBeNull();
  });
  it("requires both dates for an adjunct", () => {
    expect(errorsOf(schema.safeParse({ ...base, role: "adjunct" }))).toEqual({
      validFrom: "error.required",
      validTo: "error.required",
    });
  });
  it("refuses an end before the start, and a period already over", () => {
    expect(errorsOf(schema.safeParse({ ...base, role: "adjunct", validFrom: "2026-12-10", validTo: "2026-12-01" }))).toEqual({
      validTo: "error.dateOrder",
    });
    expect(errorsOf(schema.safeParse({ ...base, role: "adjunct", validFrom: "2026-01-01", validTo: "2026-11-24" }))).toEqual({
      validTo: "error.datePast",
    });
  });
  it("refuses impossible dates", () => {
    expect(errorsOf(schema.safeParse({ ...base, role: "adjunct", validFrom: "2026-02-30", validTo: "2026-12-01" }))).toEqual({
      validFrom: "error.date",
    });
  });
  it("keeps a valid adjunct period", () => {
    const r = schema.parse({ ...base, role: "adjunct", validFrom: "2026-11-25", validTo: "2027-06-30" });
    expect([r.validFrom, r.validTo]).toEqual(["2026-11-25", "2027-06-30"]);
  });
  it("does not let a leader hand out the process-leader role", () => {
    expect(errorsOf(schema.safeParse({ ...base, role: "process_leader" }))).toEqual({ role: "error.role" });
  });
  it("refuses an unknown perspective", () => {
    expect(errorsOf(schema.safeParse({ ...base, perspective: "church" }))).toEqual({ perspective: "error.perspective" });
  });
  it("change-role needs a real membership id", () => {
    expect(errorsOf(changeRoleSchema(TODAY).safeParse({ membershipId: "1; drop table", role: "member" }))).toEqual({
      membershipId: "error.unknown",
    });
  });
});

describe("new account", () => {
  it("needs 10+ characters and a matching repeat", () => {
    expect(errorsOf(acceptInviteNewUserSchema.safeParse({ name: "Ny", password: "kort", passwordConfirm: "kort" }))).toEqual({
      password: "error.passwordShort",
    });
    expect(
      errorsOf(acceptInviteNewUserSchema.safeParse({ name: "Ny", password: "långt-lösenord", passwordConfirm: "annat-lösenord" })),
    ).toEqual({ passwordConfirm: "error.passwordMismatch" });
  });
});

describe("safeRedirect", () => {
  it.each([
    ["/councils/skaraborg", "/councils/skaraborg"],
    ["//evil.example", "/"],
    ["https://evil.example", "/"],
    ["/\\evil.example", "/"],
    [undefined, "/"],
  ])("%j → %j", (input, out) => {
    expect(safeRedirect(input)).toBe(out);
  });
});
