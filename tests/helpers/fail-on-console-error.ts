// An unexpected console.error fails the test that caused it.
import { afterEach, beforeEach, expect, vi } from "vitest";

let spy: ReturnType<typeof vi.spyOn> | undefined;

beforeEach(() => {
  spy = vi.spyOn(console, "error");
});

afterEach(() => {
  const calls = spy?.mock.calls ?? [];
  spy?.mockRestore();
  expect(calls, `console.error was called:\n${calls.map((c) => c.map(String).join(" ")).join("\n")}`).toEqual([]);
});
