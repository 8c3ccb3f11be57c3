/**
 * The WebAssembly MLP trainer (lib/training/mlp-fast.ts) against tfjs autodiff (mlp.ts): a batch's
 * loss and gradients, whole runs from the same initialisation and batch order, the float64 accuracy
 * against mlpAccuracy, and its preconditions. (Against PyTorch: pytorch.test.ts.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import * as data from "../../lib/data";
import { assertArgError, assertClose } from "../helpers";

/** Section 6's data at dimension d: A Gaussian with its leading columns ×5, as float32 rows. */
function section6(d: number, seed: number): data.TrainingRows {
  return data.hypercubeRows(
    data.scaleLeadingColumns(random.gaussianMatrix(random.rng([seed, d]), d, d), 5),
  );
}

/** The batch idx of the rows as mlpLossGradients takes it. */
function batch(rows: data.TrainingRows, idx: number[]): { X: Float32Array; y: Int32Array } {
  const d = rows.d;
  const X = new Float32Array(idx.length * d);
  idx.forEach((k, i) => X.set(rows.X.subarray(k * d, (k + 1) * d), i * d));
  return { X, y: Int32Array.from(idx, (k) => rows.y[k]) };
}

test("MLP trainer: loss and gradients of a batch equal tfjs autodiff (relative 1e-5), for depths 1 to 3, widths off and on multiples of 4 and 32, batches of 1 to all points", async () => {
  await training.chooseBackend("wasm");
  const cases: [number[], number[]][] = [
    [
      [8, 32, 32, 2],
      [1, 16, 100, 256],
    ],
    [
      [7, 13, 9, 5, 2],
      [1, 3, 5, 128],
    ],
    [
      [3, 1, 2],
      [1, 2, 8],
    ],
    [
      [12, 128, 128, 2],
      [32, 256],
    ],
    [[12, 64, 40, 24, 2], [33]],
  ];
  for (const [widths, sizes] of cases) {
    const d = widths[0];
    const rows = section6(d, 1);
    const p = training.mlpInit(random.rng([2, d]), widths);
    const net = new training.MlpKernel(rows, widths, Math.max(...sizes));
    for (const B of sizes) {
      const idx = Array.from(
        random
          .rng([3, B])
          .permutation(2 ** d)
          .subarray(0, B),
      );
      const { X, y } = batch(rows, idx);
      const ref = training.mlpLossGradients(p, X, y);
      const ours = net.gradients(p, idx);
      const what = `[${widths.join(", ")}], batch ${B}`;
      assertClose(ours.loss, ref.loss, 1e-5 * (1 + ref.loss), `${what}: loss`);
      for (const key of ["weights", "biases"] as const)
        ref[key].forEach((theirs, l) => {
          const scale = Math.max(...Array.from(theirs, Math.abs));
          let worst = 0;
          for (let i = 0; i < theirs.length; i++)
            worst = Math.max(worst, Math.abs(ours[key][l][i] - theirs[i]));
          assert.equal(ours[key][l].length, theirs.length, `${what}: ${key}[${l}] shape`);
          assert.ok(
            worst <= 1e-5 * scale,
            `${what}: ${key}[${l}] max error ${worst} > 1e-5 × ${scale}`,
          );
        });
    }
  }
});

test("MLP trainer: the float64 outputs equal mlpForward64 bit for bit at every point, so the accuracy equals mlpAccuracy", () => {
  for (const widths of [
    [8, 32, 32, 2],
    [7, 13, 9, 5, 2],
    [12, 128, 128, 2],
  ]) {
    const rows = section6(widths[0], 4);
    const net = new training.MlpKernel(rows, widths, 4);
    for (let s = 0; s < 2; s++) {
      const p = training.mlpInit(random.rng([5, s]), widths);
      const f = net.logits64(p);
      const d = rows.d;
      for (let k = 0; k < rows.y.length; k++) {
        const ref = training.mlpForward64(p, rows.X.subarray(k * d, (k + 1) * d));
        if (f[2 * k] !== ref[0] || f[2 * k + 1] !== ref[1])
          assert.fail(`[${widths}], seed ${s}, point ${k}: ${f[2 * k]}, ${f[2 * k + 1]} ≠ ${ref}`);
      }
      assert.equal(net.accuracy(p), training.mlpAccuracy(p, rows), `[${widths}], seed ${s}`);
    }
  }
});

/**
 * Whole runs: d = 8, [8, 32, 32, 2] and [8, 24, 13, 16, 2], 3 epochs, batch 16 (divides the 256
 * points) and 100 (a last batch of 56), from the same initialisation and batch order as trainMlp.
 * Tolerance: every parameter within 1e-5 of tfjs's (parameters are of order 0.1 to 1; each step's
 * gradients differ from tfjs's by float32 rounding, about 1e-7 relative, and Adam turns a gradient
 * into a step of about lr = 1e-3; measured when the test was written: at most 7e-7 over these runs,
 * and within 1.2e-7 of PyTorch's after 20 epochs in pytorch.test.ts). A mistake moves parameters by
 * far more: one batch drawn differently by about 1e-2, tfjs's ε = 1e-7 for PyTorch's 1e-8 by 1e-6.
 */
test("MLP trainer: whole runs follow tfjs training (trainMlp) to float32 rounding (1e-5), deterministically", async () => {
  await training.chooseBackend("wasm");
  const d = 8;
  const rows = section6(d, 6);
  for (const widths of [
    [d, 32, 32, 2],
    [d, 24, 13, 16, 2],
  ]) {
    for (const batchSize of [16, 100]) {
      const init = training.mlpInit(random.rng([7, batchSize]), widths);
      const cfg = { epochs: 3, batchSize, ...training.PYTORCH_ADAM };
      const ref = await training.trainMlp(init, rows, cfg, random.rng([8, batchSize]));
      const ours = training.trainMlpFast(init, rows, cfg, random.rng([8, batchSize]));
      const again = new training.MlpKernel(rows, widths, batchSize).train(
        init,
        cfg,
        random.rng([8, batchSize]),
      );
      const what = `[${widths.join(", ")}], batch ${batchSize}`;
      assert.deepEqual(again.params, ours.params, `${what}: bit-identical on a second kernel`);
      assert.deepEqual(ours.params.widths, widths, `${what}: widths`);
      for (const key of ["weights", "biases"] as const)
        ref.params[key].forEach((theirs, l) => {
          for (let i = 0; i < theirs.length; i++)
            assertClose(ours.params[key][l][i], theirs[i], 1e-5, `${what}: ${key}[${l}][${i}]`);
        });
      assert.equal(ours.accuracy, training.mlpAccuracy(ours.params, rows), `${what}: accuracy`);
      assert.ok(
        Math.abs(ours.accuracy - ref.accuracy) <= 2 / rows.y.length,
        `${what}: accuracy ${ours.accuracy} against tfjs ${ref.accuracy}`,
      );
      assert.ok(
        ours.loss > 0 && ours.loss < 10,
        `${what}: the last epoch's mean loss ${ours.loss}`,
      );
    }
  }
  // The init is not modified, and a batch size beyond the data means whole-data batches (as trainMlp).
  const init = training.mlpInit(random.rng(9), [d, 8, 8, 2]);
  const copy = init.weights.map((w) => Float32Array.from(w));
  const cfg = { epochs: 2, batchSize: 1000, ...training.PYTORCH_ADAM };
  const big = training.trainMlpFast(init, rows, cfg, random.rng(10));
  const ref = await training.trainMlp(init, rows, cfg, random.rng(10));
  assert.deepEqual(init.weights, copy, "init unchanged");
  assertClose(big.params.biases[2][0], ref.params.biases[2][0], 1e-6, "batch beyond the data");
});

test("MLP trainer: refuses bad input, naming the function, the parameter and the value", () => {
  const rows = section6(4, 11);
  const p = training.mlpInit(random.rng(12), [4, 8, 8, 2]);
  const cfg = { epochs: 1, batchSize: 8, ...training.PYTORCH_ADAM };
  assertArgError(
    () => new training.MlpKernel(rows, [4, 8, 3], 8),
    "MlpKernel",
    "parameter widths",
    "[4, 8, 3]",
    "2 outputs",
  );
  assertArgError(() => new training.MlpKernel(rows, [4], 8), "MlpKernel", "parameter widths");
  assertArgError(
    () => new training.MlpKernel(rows, [4, 0, 2], 8),
    "MlpKernel",
    "parameter widths[1] = 0",
  );
  assertArgError(
    () => new training.MlpKernel(rows, [5, 8, 2], 8),
    "MlpKernel",
    "parameter data.d = 4",
  );
  assertArgError(
    () => new training.MlpKernel(rows, [4, 8, 2], 17),
    "MlpKernel",
    "parameter maxBatch = 17",
  );
  const net = new training.MlpKernel(rows, [4, 8, 8, 2], 8);
  assertArgError(() => net.gradients(p, [0, 16]), "MlpKernel.gradients", "parameter idx[1] = 16");
  assertArgError(() => net.gradients(p, []), "MlpKernel.gradients", "parameter idx = []");
  assertArgError(
    () =>
      net.gradients(
        p,
        Array.from({ length: 9 }, (_, i) => i),
      ),
    "MlpKernel.gradients",
    "parameter idx.length = 9",
  );
  assertArgError(
    () => net.gradients(training.mlpInit(random.rng(1), [4, 8, 2]), [0]),
    "MlpKernel.gradients",
    "parameter p.widths = [4, 8, 2]",
  );
  const short = { ...p, weights: [p.weights[0].subarray(1), ...p.weights.slice(1)] };
  assertArgError(
    () => net.accuracy(short),
    "MlpKernel.accuracy",
    "parameter p.weights[0].length = 31",
  );
  assertArgError(
    () => net.train(p, { ...cfg, batchSize: 9 }, random.rng(1)),
    "MlpKernel.train",
    "parameter batchSize = 9",
  );
  assertArgError(
    () => net.train(p, { ...cfg, lr: -1 }, random.rng(1)),
    "MlpKernel.train",
    "parameter lr = -1",
  );
  assertArgError(
    () => training.trainMlpFast(p, rows, { ...cfg, epochs: 0 }, random.rng(1)),
    "trainMlpFast",
    "parameter epochs = 0",
  );
  assertArgError(
    () =>
      training.trainMlpFast(training.mlpInit(random.rng(1), [3, 8, 2]), rows, cfg, random.rng(1)),
    "trainMlpFast",
    "parameter data.d = 4",
  );
  assertArgError(
    () =>
      training.trainMlpFast(
        p,
        { ...rows, y: Int32Array.from(rows.y, (v, i) => (i === 5 ? 2 : v)) },
        cfg,
        random.rng(1),
      ),
    "trainMlpFast",
    "parameter data.y[5] = 2",
  );
});
