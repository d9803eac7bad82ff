import { describe, expect, it } from "vitest";
import { SerialQueue } from "../../server/collab/queue";

const tick = () => new Promise((r) => setTimeout(r, 1));

describe("SerialQueue", () => {
  it("runs a task pushed to an idle queue at once, synchronously", () => {
    const q = new SerialQueue();
    const log: string[] = [];
    q.push(() => void log.push("a"), () => undefined);
    expect(log).toEqual(["a"]);
  });

  it("keeps push order across synchronous and asynchronous tasks", async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    const fail = (err: unknown) => log.push(`error ${String(err)}`);
    q.push(async () => {
      await tick();
      log.push("slow");
    }, fail);
    q.push(() => void log.push("sync"), fail);
    q.push(async () => void log.push("async"), fail);
    expect(log).toEqual([]);
    await q.idle();
    expect(log).toEqual(["slow", "sync", "async"]);
  });

  it("runs a task pushed from inside a running task after it, even if that one goes on asynchronously", async () => {
    const q = new SerialQueue();
    const log: string[] = [];
    q.push(() => {
      q.push(() => void log.push("inner"), () => undefined);
      return tick().then(() => void log.push("outer"));
    }, () => undefined);
    await q.idle();
    expect(log).toEqual(["outer", "inner"]);
  });

  it("hands errors to their own handler and goes on", async () => {
    const q = new SerialQueue();
    const errors: string[] = [];
    const log: string[] = [];
    q.push(() => {
      throw new Error("sync");
    }, (err) => errors.push((err as Error).message));
    q.push(() => Promise.reject(new Error("async")), (err) => errors.push((err as Error).message));
    q.push(() => void log.push("after"), () => undefined);
    await q.idle();
    expect(errors).toEqual(["sync", "async"]);
    expect(log).toEqual(["after"]);
  });

  it("run() gives the caller the task's outcome", async () => {
    const q = new SerialQueue();
    await expect(q.run(async () => undefined)).resolves.toBeUndefined();
    await expect(q.run(() => Promise.reject(new Error("no")))).rejects.toThrow("no");
    await expect(
      q.run(() => {
        throw new Error("sync no");
      }),
    ).rejects.toThrow("sync no");
  });
});
