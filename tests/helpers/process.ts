// The real server as a child process (`tsx server/main.ts`), for crash tests.
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export interface ServerProcess {
  url: string;
  child: ChildProcess;
  kill9(): Promise<void>;
  stop(): Promise<void>;
  /** How the process ended (a crash point ends it with SIGKILL). */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startServerProcess(env: Record<string, string>): Promise<ServerProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", path.resolve("server/main.ts")], {
    env: { ...process.env, NODE_ENV: "production", PORT: "0", HOST: "127.0.0.1", SAMSYN_DEMO: "0", LOG_LEVEL: "info", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once("exit", (code, signal) => resolve({ code, signal })));
  return new Promise((resolve, reject) => {
    let out = "";
    // Generous: a loaded CI machine can take long to start tsx and load the build.
    const timer = setTimeout(() => reject(new Error(`server did not start:\n${out}`)), 90_000);
    const onData = (chunk: Buffer) => {
      out += chunk.toString();
      const m = /"msg":"Samsyn is listening","url":"http:\/\/localhost:(\d+)"/.exec(out);
      if (m) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({
          url: `http://127.0.0.1:${m[1]}`,
          child,
          exited,
          async kill9() {
            child.kill("SIGKILL");
            await exited;
          },
          async stop() {
            child.kill("SIGTERM");
            await exited;
          },
        });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (c: Buffer) => (out += c.toString()));
    child.once("exit", (code) => reject(new Error(`server exited (${code}) before listening:\n${out}`)));
  });
}
