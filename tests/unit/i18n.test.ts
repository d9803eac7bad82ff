// The dictionaries and the typed t(): every Swedish key has English words with
// the same {placeholders}, and a key that does not exist fails the build. The
// expected type errors below are checked by `tsc --noEmit` (npm test runs it): if
// translate() ever accepts a free string again, they stop being errors and tsc fails.
import { describe, expect, it } from "vitest";
import { en } from "../../app/i18n/en";
import "../../app/i18n/dictionaries.server";
import { sv } from "../../app/i18n/sv";
import { asMessageKey, isMessageKey, pageTitle, personName, statusKey, translate, type MessageKey } from "../../app/i18n";
import { ACTION_STATUSES } from "../../server/domain/plan-doc";
import { FORMER_MEMBER } from "../../server/domain/former-member";
import { AUDIT_ACTIONS } from "../../server/domain/audit";

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

describe("dictionaries", () => {
  it("have the same keys in Swedish and English, each with words and the same placeholders", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(sv).sort());
    for (const key of Object.keys(sv) as MessageKey[]) {
      expect(en[key].trim(), key).not.toBe("");
      expect(placeholders(en[key]), key).toEqual(placeholders(sv[key]));
    }
  });

  it("t() takes dictionary keys only", () => {
    // @ts-expect-error a free string is not a MessageKey
    translate("en", "Some free text");
    const code: string = "on_track";
    // @ts-expect-error a computed key must go through a typed map (statusKey) or a template-literal type
    translate("en", `status.${code}`);
    expect(translate("en", statusKey(code))).toBe("On track");
    expect(translate("sv", statusKey("no_such_status"))).toBe(sv["code.unknown"]);
    expect(ACTION_STATUSES.every((s) => statusKey(s) !== "code.unknown")).toBe(true);
    expect(isMessageKey("toString")).toBe(false);
    expect(asMessageKey("constructor", "error.badForm")).toBe("error.badForm");
  });

  it("every audit action has words", () => {
    for (const key of Object.values(AUDIT_ACTIONS)) expect(isMessageKey(key), key).toBe(true);
  });

  it("an anonymised person's marker reads in the reader's language, in names and in sentences", () => {
    expect(personName("sv", FORMER_MEMBER)).toBe("Tidigare medlem");
    expect(personName("en", FORMER_MEMBER)).toBe("Former member");
    expect(personName("sv", "Anna")).toBe("Anna");
    expect(translate("sv", "plan.owner", { name: FORMER_MEMBER })).toContain("Tidigare medlem");
  });

  it("page titles take the language from the root loader's data", () => {
    expect(pageTitle([{ id: "root", data: { locale: "en" } }], "title.login")).toEqual({ title: "Sign in – Samsyn" });
    expect(pageTitle([{ id: "root", data: { locale: "sv" } }], "title.login")).toEqual({ title: "Logga in – Samsyn" });
    expect(pageTitle([], "title.compare")).toEqual({ title: "Jämför handlingsplaner – Samsyn" });
    expect(pageTitle([{ id: "root", data: { locale: "en" } }])).toEqual({ title: "Samsyn" });
  });
});
