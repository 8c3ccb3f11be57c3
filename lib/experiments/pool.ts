/**
 * Independent runs on worker threads (both cores): a worker script receives {task} messages, posts
 * {type: "progress", task, value}, {type: "result", task, result} or {type: "error", task, error}
 * and starts with {type: "ready"}. Tasks are handed out in order by `next` (undefined: stop), so a
 * caller can stop early ("until 50 are accurate"); a result never depends on which thread ran it.
 */
import * as os from "os";
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

export async function runPool<T, R>(o: PoolOptions<T, R>): Promise<void> {
  const workers = Math.max(1, Math.min(o.workers, os.cpus().length));
  let failed: Error | null = null;
  await Promise.all(
    Array.from(
      { length: workers },
      () =>
        new Promise<void>((resolve, reject) => {
          const w = new Worker(o.script, { workerData: o.workerData });
          let current: T | undefined;
          const dispatch = () => {
            current = failed ? undefined : o.next();
            if (current === undefined) {
              void w.terminate().then(() => resolve());
              return;
            }
            w.postMessage({ task: current });
          };
          w.on("message", (m: { type: string; value?: number; result?: R; error?: string }) => {
            if (m.type === "ready") dispatch();
            else if (m.type === "progress") o.onProgress?.(current as T, m.value ?? 0);
            else if (m.type === "result") {
              o.onResult(current as T, m.result as R);
              dispatch();
            } else if (m.type === "error") {
              failed = new Error(
                `runPool: task ${JSON.stringify(current)} failed in a worker: ${m.error}`,
              );
              void w.terminate();
              reject(failed);
            }
          });
          w.on("error", reject);
        }),
    ),
  );
}
