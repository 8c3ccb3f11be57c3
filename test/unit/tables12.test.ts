/** Tables 1–2's protocol (lib/experiments/tables12.ts). */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as training from "../../lib/training";
import * as experiments from "../../lib/experiments";

test("a protocol run is the same in a worker thread and in this thread", async () => {
  await training.chooseBackend("wasm");
  const c = {
    ...experiments.tables12Defaults.quick,
    d: 4,
    hidden: 16,
    epochs: 3,
    runs: 2,
    workers: 2,
  };
  const direct = await experiments.tables12Run(c, 9, 1);
  const viaWorkers = await experiments.tables12Runs(c, 9, [0, 1], "wasm");
  assert.equal(viaWorkers.length, 2);
  assert.deepEqual(viaWorkers[1].W, direct.W);
  assert.equal(viaWorkers[1].accuracy, direct.accuracy);
});
