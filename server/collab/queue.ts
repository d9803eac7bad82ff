/** A task of a SerialQueue: synchronous (returns nothing) or asynchronous (returns a promise). */
export type Task = () => void | Promise<void>;

/**
 * Runs tasks one at a time, in the order they were pushed. A task pushed while the
 * queue is idle starts at once, synchronously; if it also finishes synchronously,
 * no promise or microtask is involved. That is the usual path of a Yjs update
 * (append, apply, fan-out), so an idle room adds no promise hop to an edit. A task
 * pushed while another runs (also from inside that task) waits its turn.
 */
export class SerialQueue {
  private readonly tasks: { task: Task; onError: (err: unknown) => void }[] = [];
  private busy = false;

  /** Run `task` after every task pushed before it. Its error goes to `onError` (which must not throw); the queue goes on. */
  push(task: Task, onError: (err: unknown) => void): void {
    this.tasks.push({ task, onError });
    if (!this.busy) this.drain();
  }

  /** Like push, but the caller gets the task's outcome (its value or its error). */
  run<T>(task: () => T | Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => this.push(() => Promise.resolve(task()).then(resolve), reject));
  }

  /** Resolves once every task pushed so far has finished. */
  idle(): Promise<void> {
    return this.busy ? new Promise((resolve) => this.push(resolve, () => undefined)) : Promise.resolve();
  }

  private drain(): void {
    this.busy = true;
    for (let next = this.tasks.shift(); next; next = this.tasks.shift()) {
      const { task, onError } = next;
      let result: void | Promise<void>;
      try {
        result = task();
      } catch (err) {
        onError(err);
        continue;
      }
      if (result) {
        // An asynchronous task: go on once it has settled.
        result.then(undefined, onError).then(() => this.drain());
        return;
      }
    }
    this.busy = false;
  }
}
