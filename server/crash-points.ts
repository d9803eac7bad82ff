// Named crash points for the kill -9 tests (tests/integration/crash-atomicity.test.ts):
// with SAMSYN_CRASH_AT=<name> the process kills itself with SIGKILL the first time
// it reaches that point, exactly as a power cut there would. Unset (always, outside
// those tests) each point is one comparison.
const armed = process.env.SAMSYN_CRASH_AT || null;

export function crashPoint(name: string): void {
  if (armed === name) process.kill(process.pid, "SIGKILL");
}
