import { test, type TestContext } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPool } from "../../lib/experiments/pool";

/**
 * A worker script for the pool's protocol: result = 10 × task, progress once; task 3 reports an
 * error, task 7 exits the worker. Removed when the test ends, passing or failing.
 */
function fixture(t: TestContext): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pool-"));
  t.after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const file = path.join(dir, "worker.js");
  fs.writeFileSync(
    file,
    `
const { parentPort } = require("worker_threads");
parentPort.on("message", (m) => {
  parentPort.postMessage({ type: "progress", value: 1 });
  if (m.task === 3) parentPort.postMessage({ type: "error", error: "boom at 3" });
  else if (m.task === 7) process.exit(3);
  else parentPort.postMessage({ type: "result", result: 10 * m.task });
});
parentPort.postMessage({ type: "ready" });
`,
  );
  return file;
}

// The failure tests hung for good before runPool settled on every failure: a time limit makes
// them fail instead.
const LIMIT = { timeout: 20000 };

test("runPool: every task once, results and progress attributed to their task, early stop by next()", async (t) => {
  const script = fixture(t);
  const queue = [0, 1, 2, 4, 5, 6];
  const results = new Map<number, number>();
  const progressed: number[] = [];
  await runPool<number, number>({
    script,
    workerData: null,
    workers: 2,
    next: () => (results.size >= 4 ? undefined : queue.shift()),
    onResult: (t, r) => results.set(t, r),
    onProgress: (t) => progressed.push(t),
  });
  assert.ok(
    results.size >= 4 && results.size <= 5,
    `stopped after 4 results (one more may be in flight): ${results.size}`,
  );
  for (const [t, r] of results) assert.equal(r, 10 * t, `result of task ${t}`);
  assert.deepEqual(
    [...new Set(progressed)].sort(),
    [...results.keys()].sort(),
    "progress comes from the tasks that ran",
  );
});

test("runPool: a failing task rejects with the task and the worker's error", LIMIT, async (t) => {
  const script = fixture(t);
  const queue = [0, 1, 2, 3, 4, 5];
  await assert.rejects(
    runPool<number, number>({
      script,
      workerData: null,
      workers: 2,
      next: () => queue.shift(),
      onResult: () => undefined,
    }),
    (e: unknown) =>
      e instanceof Error && e.message.includes("task 3") && e.message.includes("boom at 3"),
  );
});

test(
  "runPool: a caller's onResult that throws rejects the pool with its error and stops the workers",
  LIMIT,
  async (t) => {
    // 09 wrote its cache in onResult: a read-only data/cache threw there, escaped as an uncaught
    // exception in the message handler and killed the kernel, and the pool never settled.
    const script = fixture(t);
    const queue = [0, 1, 2, 4, 5, 6, 8, 9];
    const seen: number[] = [];
    // Tasks pulled after onResult threw (the workers' own order is up to the scheduler: the other
    // worker may legitimately have drained the queue before task 2's result arrived).
    let thrown = false;
    let pulledAfter = 0;
    const uncaught: unknown[] = [];
    const onUncaught = (e: unknown) => uncaught.push(e);
    process.on("uncaughtException", onUncaught);
    t.after(() => process.off("uncaughtException", onUncaught));
    await assert.rejects(
      runPool<number, number>({
        script,
        workerData: null,
        workers: 2,
        next: () => {
          if (thrown) pulledAfter++;
          return queue.shift();
        },
        onResult: (task) => {
          seen.push(task);
          if (task === 2) {
            thrown = true;
            throw new Error("EROFS: read-only file system");
          }
        },
      }),
      (e: unknown) =>
        e instanceof Error &&
        e.message.includes("onResult") &&
        e.message.includes("task 2") &&
        e.message.includes("EROFS"),
    );
    assert.deepEqual(uncaught, [], "nothing escaped as an uncaught exception");
    const after = seen.length;
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(seen.length, after, "no result arrives after the rejection");
    assert.equal(pulledAfter, 0, "no further task was started after onResult threw");
  },
);

test(
  "runPool: a worker that exits while it holds a task rejects, naming the task and the exit code",
  LIMIT,
  async (t) => {
    const script = fixture(t);
    const queue = [0, 7, 1, 2];
    await assert.rejects(
      runPool<number, number>({
        script,
        workerData: null,
        workers: 1,
        next: () => queue.shift(),
        onResult: () => undefined,
      }),
      (e: unknown) =>
        e instanceof Error && e.message.includes("task 7") && e.message.includes("code 3"),
    );
  },
);
