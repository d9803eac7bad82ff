import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["tests/**/*.test.ts"],
    globalSetup: ["tests/helpers/global-setup.ts"],
    setupFiles: ["tests/helpers/fail-on-console-error.ts"],
    // better-sqlite3 and the real HTTP servers are happiest in child processes.
    pool: "forks",
    poolOptions: { forks: { maxForks: 2, minForks: 1 } },
    // The server bundle has its own copy of the logger: quiet it through the environment.
    env: { LOG_LEVEL: "silent" },
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll waits for an outcome in a browser or on a socket; vitest's default of
    // 1 s is too short on a busy 2-core CI machine (a dialog's close was missed at 1 s).
    expect: { poll: { timeout: 10_000, interval: 50 } },
    fileParallelism: true,
  },
});
