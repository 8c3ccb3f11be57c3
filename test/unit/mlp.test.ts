/**
 * Section 6's ReLU networks (lib/training/mlp.ts): input gradients by tfjs autodiff and by float64
 * back-propagation against central differences, and seeded training. (Moved here from relu.test.ts,
 * whose Theorem 7 tests are in theorem7.test.ts.)
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import { assertArgError, assertClose } from "../helpers";

test("input gradients (tfjs autodiff and float64 backprop) match float64 central differences, and leak no tensors", async () => {
  await training.chooseBackend("wasm");
  const p = training.mlpInit(random.rng(1), [6, 30, 20, 2]);
  const r = random.rng(2);
  const before = tf.memory().numTensors;
  for (let t = 0; t < 5; t++) {
    const x = random.gaussianVector(r, 6);
    const g = training.mlpInputGradients(p, x);
    const g64 = training.mlpInputGradients64(p, x);
    const h = 1e-6;
    for (let j = 0; j < 2; j++) {
      for (let i = 0; i < 6; i++) {
        const up = training.mlpForward64(
          p,
          x.map((v, k) => (k === i ? v + h : v)),
        )[j];
        const dn = training.mlpForward64(
          p,
          x.map((v, k) => (k === i ? v - h : v)),
        )[j];
        // float32 autodiff: relative 1e-4; float64: the differences' rounding, about 1e-16·|f|/h
        assertClose(
          g[j][i],
          (up - dn) / (2 * h),
          1e-4 * (1 + Math.abs(g[j][i])),
          `∂f_${j}/∂x_${i}`,
        );
        assertClose(
          g64[j][i],
          (up - dn) / (2 * h),
          1e-7 * (1 + Math.abs(g64[j][i])),
          `float64 ∂f_${j}/∂x_${i}`,
        );
      }
    }
  }
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
});

test("the ReLU network learns a separable rule, deterministically, without leaking tensors", async () => {
  await training.chooseBackend("wasm");
  const r = random.rng(3);
  const n = 200,
    d = 4;
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = r.normal();
    y[i] = X[i * d] - X[i * d + 2] > 0 ? 1 : 0;
  }
  const cfg = { epochs: 30, batchSize: 32, ...training.PYTORCH_ADAM, lr: 1e-2 };
  const before = tf.memory().numTensors;
  const a = await training.trainMlp(
    training.mlpInit(random.rng(4), [d, 32, 2]),
    { X, y, d },
    cfg,
    random.rng(5),
  );
  const b = await training.trainMlp(
    training.mlpInit(random.rng(4), [d, 32, 2]),
    { X, y, d },
    cfg,
    random.rng(5),
  );
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  assert.ok(a.accuracy > 0.95, `accuracy ${a.accuracy}`);
  assert.deepEqual(a.params.weights[0], b.params.weights[0], "same seed, same network");
  await assert.rejects(
    training.trainMlp(
      training.mlpInit(random.rng(4), [d, 8, 2]),
      { X, y, d },
      { ...cfg, epochs: 0 },
      random.rng(5),
    ),
    /trainMlp: parameter epochs = 0/,
  );
  assertArgError(() => training.mlpInit(random.rng(1), [4]), "mlpInit", "parameter widths");
});
