import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runPool } from "../../lib/experiments/pool";

/** A worker script for the pool's protocol: result = 10 × task, progress once, task 3 fails. */
function fixture(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "pool-"));
  const file = path.join(dir, "worker.js");
  fs.writeFileSync(
    file,
    `
const { parentPort } = require("worker_threads");
parentPort.on("message", (m) => {
  parentPort.postMessage({ type: "progress", value: 1 });
  if (m.task === 3) parentPort.postMessage({ type: "error", error: "boom at 3" });
  else parentPort.postMessage({ type: "result", result: 10 * m.task });
});
parentPort.postMessage({ type: "ready" });
`,
  );
  return file;
}

test("runPool: every task once, results and progress attributed to their task, early stop by next()", async () => {
  const script = fixture();
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
  fs.rmSync(path.dirname(script), { recursive: true, force: true });
});

test("runPool: a failing task rejects with the task and the worker's error", async () => {
  const script = fixture();
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
  fs.rmSync(path.dirname(script), { recursive: true, force: true });
});
