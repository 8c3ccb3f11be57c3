import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { theorem7 } from "../../lib/theorems";
import { assertArgError, assertClose } from "../helpers";

test("input gradients (tfjs autodiff) match float64 central differences, and leak no tensors", async () => {
  await training.chooseBackend("wasm");
  const p = training.mlpInit(random.rng(1), [6, 30, 20, 2]);
  const r = random.rng(2);
  const before = tf.memory().numTensors;
  for (let t = 0; t < 5; t++) {
    const x = random.gaussianVector(r, 6);
    const g = training.mlpInputGradients(p, x);
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
        assertClose(
          g[j][i],
          (up - dn) / (2 * h),
          1e-4 * (1 + Math.abs(g[j][i])),
          `∂f_${j}/∂x_${i}`,
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

test("Theorem 7's construction is exact inside the linear region around x, and q is the projected difference", async () => {
  await training.chooseBackend("wasm");
  const p = training.mlpInit(random.rng(6), [5, 40, 2]);
  const A = random.gaussianMatrix(random.rng(7), 5, 5);
  const pair = theorem7.theorem7Pair(A, random.rng(8));
  assert.deepEqual(
    pair.b1
      .map((v, i) => v - pair.b2[i])
      .map((v, i) => v / A.get(i, 4))
      .map((v) => Math.round(v * 1e9) / 1e9),
    [2, 2, 2, 2, 2],
    "b_1 − b_2 = 2 a_d",
  );
  const g = theorem7.theorem7Geometry(pair.b1, pair.b2, 0.3);
  const step = theorem7.theorem7Step(p, g.x, g.x1, g.x2, 1e-7);
  // For ε this small no ReLU changes state: the network is affine there and the first-order step is exact (float32 gradients).
  assert.ok(
    step.errors[0] <= 1e-6 * step.gaps[0] + 1e-12 && step.errors[1] <= 1e-6 * step.gaps[1] + 1e-12,
    `errors ${step.errors} against gaps ${step.gaps}`,
  );
  assert.ok(step.compression <= 1 + 1e-12);
  const r = theorem7.rho(p, g.x, g.x1, g.x2);
  assert.ok(r >= 0 && r <= 1 + 1e-12);
});

test("Gaussian case: ‖Pv‖² ~ χ²₂, ‖v‖² ~ χ²_d, E ratio² = 2/d", () => {
  const d = 30;
  const s = theorem7.gaussianCompression(random.rng(9), d, 3000);
  assert.ok(stats.ksTest(s.projected2, (t) => stats.chiSquareCdf(t, 2)).pValue > 1e-3);
  assert.ok(stats.ksTest(s.total2, (t) => stats.chiSquareCdf(t, d)).pValue > 1e-3);
  const sq = s.ratio.map((x) => x * x);
  assertClose(stats.mean(sq), 2 / d, (4 * stats.std(sq)) / Math.sqrt(sq.length), "E ratio²");
  assertArgError(
    () => theorem7.gaussianCompression(random.rng(1), 2, 10),
    "gaussianCompression",
    "parameter d",
    "2",
  );
});
