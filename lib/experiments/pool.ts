/**
 * Independent runs on worker threads: a worker script receives {task} messages, posts
 * {type: "progress", task, value}, {type: "result", task, result} or {type: "error", task, error}
 * and starts with {type: "ready"}. Tasks are handed out in order by `next` (undefined: stop), so a
 * caller can stop early ("until 50 are accurate"); a result never depends on which thread ran it.
 *
 * Any failure rejects the pool's promise and terminates every worker: a task's error, a worker that
 * crashes or exits while it holds a task, and an exception thrown by the caller's own `next`,
 * `onResult` or `onProgress` (which would otherwise escape as an uncaught exception in a message
 * handler and, in a notebook, kill the kernel).
 */
import { Worker } from "worker_threads";

export interface PoolOptions<T, R> {
  script: string;
  workerData: unknown;
  workers: number;
  /** The next task to start, or undefined when no more should start. */
  next: () => T | undefined;
  onResult: (task: T, result: R) => void;
  onProgress?: (task: T, value: number) => void;
}

interface Message<R> {
  type: string;
  value?: number;
  result?: R;
  error?: string;
}

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

export function runPool<T, R>(o: PoolOptions<T, R>): Promise<void> {
  // As many as asked for (lib/experiments/config.ts resolveWorkers bounds and defaults them).
  const count = Math.max(1, Math.floor(o.workers));
  return new Promise<void>((resolve, reject) => {
    const workers: Worker[] = [];
    let failure: Error | null = null;
    let running = count;
    const fail = (e: Error) => {
      if (failure) return;
      failure = e;
      for (const w of workers) void w.terminate();
    };
    const exited = () => {
      running -= 1;
      if (running === 0) {
        if (failure) reject(failure);
        else resolve();
      }
    };
    for (let k = 0; k < count; k++) {
      let w: Worker;
      try {
        w = new Worker(o.script, { workerData: o.workerData });
      } catch (e) {
        fail(new Error(`runPool: cannot start a worker from ${o.script}: ${message(e)}`));
        running = k;
        if (k === 0) reject(failure);
        return;
      }
      workers.push(w);
      let current: T | undefined;
      let finished = false;
      const task = () => JSON.stringify(current);
      /** Runs a caller's callback; an exception fails the pool instead of escaping. */
      const call = (name: string, f: () => void) => {
        try {
          f();
        } catch (e) {
          fail(
            new Error(`runPool: the caller's ${name} threw (task ${task()}): ${message(e)}`, {
              cause: e,
            }),
          );
        }
      };
      const dispatch = () => {
        let next: T | undefined;
        call("next", () => {
          next = o.next();
        });
        current = failure ? undefined : next;
        if (current === undefined) {
          finished = true;
          void w.terminate();
          return;
        }
        w.postMessage({ task: current });
      };
      w.on("message", (m: Message<R>) => {
        if (failure) return;
        if (m.type === "ready") dispatch();
        else if (m.type === "progress")
          call("onProgress", () => o.onProgress?.(current as T, m.value ?? 0));
        else if (m.type === "result") {
          call("onResult", () => o.onResult(current as T, m.result as R));
          if (!failure) dispatch();
        } else if (m.type === "error")
          fail(new Error(`runPool: task ${task()} failed in a worker: ${m.error}`));
      });
      w.on("error", (e) =>
        fail(new Error(`runPool: a worker crashed (task ${task()}): ${message(e)}`, { cause: e })),
      );
      w.on("exit", (code) => {
        if (!finished)
          fail(
            new Error(`runPool: a worker exited with code ${code} while running task ${task()}`),
          );
        exited();
      });
    }
  });
}
