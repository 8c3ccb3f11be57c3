import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import { Matrix } from "ml-matrix";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import { scaleLeadingColumns } from "../../lib/data";
import * as data from "../../lib/data";
import { assertArgError, assertClose } from "../helpers";

/** The section 6 data of A as float32 rows and labels (the tfjs reference's input). */
const rows = (A: Matrix) => data.hypercubeRows(A);

const PATHS = ["rows", "points", "grid"] as const;

/** The batch's float32 rows A z_k and labels, from the point encoding (any d). */
function batchRows(A: Matrix, idx: number[]): { X: Float32Array; y: Int32Array } {
  const d = A.rows;
  const X = new Float32Array(idx.length * d);
  idx.forEach((k, i) => {
    const z = data.pointSigns(k, d);
    for (let r = 0; r < d; r++) X[i * d + r] = z.reduce((s, zj, j) => s + A.get(r, j) * zj, 0);
  });
  return { X, y: Int32Array.from(idx, (k) => data.pointLabel(k)) };
}

/** Every path's loss and gradients against tfjs autodiff of the plain network (relative 1e-5). */
function checkGradients(A: Matrix, H: number, batchSizes: number[], seed: number): void {
  const d = A.rows;
  const r = random.rng([seed, d, H]);
  const p = training.mlpInit(r.child(1), [d, H, 2]);
  const net = new training.HypercubeRelu(A, H);
  for (const B of batchSizes) {
    const idx = Array.from(r.permutation(2 ** d).subarray(0, B));
    const { X, y } = batchRows(A, idx);
    const ref = training.mlpLossGradients(p, X, y);
    for (const how of PATHS) {
      const loss = net.gradients(p, idx, how);
      assertClose(loss, ref.loss, 1e-5 * (1 + ref.loss), `loss (d ${d}, B ${B}, ${how})`);
      const pairs: [Float32Array, Float32Array, string][] = [
        [net.grad.W1, ref.weights[0], "W1"],
        [net.grad.b1, ref.biases[0], "b1"],
        [net.grad.W2, ref.weights[1], "W2"],
        [net.grad.b2, ref.biases[1], "b2"],
      ];
      for (const [ours, theirs, name] of pairs) {
        const scale = Math.max(...Array.from(theirs, Math.abs));
        let worst = 0;
        for (let i = 0; i < theirs.length; i++)
          worst = Math.max(worst, Math.abs(ours[i] - theirs[i]));
        assert.ok(
          worst <= 1e-5 * scale,
          `${name} (d ${d}, B ${B}, ${how}): max error ${worst} > 1e-5 × ${scale}`,
        );
      }
    }
  }
}

test("hypercube trainer: labels and point order are section 6's (hypercubeRows)", () => {
  const { y } = data.hypercubeRows(random.gaussianMatrix(random.rng(5), 7, 7));
  for (let k = 0; k < y.length; k++) assert.equal(data.pointLabel(k), y[k], `label of point ${k}`);
});

test("hypercube trainer: gradients equal tfjs autodiff of the plain network on all three paths, even and odd d and width (relative 1e-5)", async () => {
  await training.chooseBackend("wasm");
  for (const [d, H] of [
    [7, 41],
    [8, 40],
    [3, 5],
  ]) {
    const A = scaleLeadingColumns(random.gaussianMatrix(random.rng([11, d]), d, d), 3);
    checkGradients(
      A,
      H,
      [1, 5, 64, 2 ** d].filter((B) => B <= 2 ** d),
      11,
    );
  }
});

test("hypercube trainer: gradients at d = 17 and 19 (tables of 256 to 1024 entries, rows of 2^19 points made on the fly) equal tfjs autodiff", async () => {
  await training.chooseBackend("wasm");
  for (const d of [17, 19]) {
    const A = scaleLeadingColumns(random.gaussianMatrix(random.rng(18), d, d), 5);
    checkGradients(A, 6, [40], 18);
  }
});

test("hypercube trainer: whole runs on each path follow tfjs training (trainMlp) to float32 rounding, deterministically", async () => {
  await training.chooseBackend("wasm");
  const d = 8;
  const r = random.rng(12);
  const A = random.gaussianMatrix(r, d, d);
  const init = training.mlpInit(r.child(1), [d, 30, 2]);
  const D = rows(A);
  const net = new training.HypercubeRelu(A, 30);
  for (const [batchSize, paths] of [
    [32, ["rows", "points", "grid"]],
    [200, ["rows", "points", "grid"]],
  ] as const) {
    const cfg = { epochs: 8, batchSize, ...training.PYTORCH_ADAM };
    const ref = await training.trainMlp(init, D, cfg, random.rng([13, batchSize]));
    for (const path of paths) {
      const ours = net.train(init, cfg, random.rng([13, batchSize]), undefined, path);
      const again = new training.HypercubeRelu(A, 30).train(
        init,
        cfg,
        random.rng([13, batchSize]),
        undefined,
        path,
      );
      assert.deepEqual(again.params, ours.params, `${path}: bit-identical on a second trainer`);
      for (let l = 0; l < 2; l++) {
        for (let i = 0; i < ref.params.weights[l].length; i++)
          assertClose(
            ours.params.weights[l][i],
            ref.params.weights[l][i],
            1e-5,
            `batch ${batchSize}, ${path}: weights[${l}][${i}]`,
          );
      }
      assert.equal(
        ours.accuracy,
        training.mlpAccuracy(ours.params, D),
        "accuracy from the kernels equals the float64 forward pass",
      );
      assert.ok(ours.loss > 0 && ours.loss < 10, `the last epoch's mean loss ${ours.loss}`);
      assert.ok(
        Math.abs(ours.accuracy - ref.accuracy) <= 2 / D.y.length,
        `accuracy ${ours.accuracy} against tfjs ${ref.accuracy}`,
      );
    }
  }
});

test("hypercube trainer: the default path is rows for small batches, the grid for large ones", () => {
  assert.equal(training.hypercubePath(12, 16), "rows");
  assert.equal(training.hypercubePath(12, 64), "rows");
  assert.equal(training.hypercubePath(12, 256), "points");
  assert.equal(training.hypercubePath(12, 2048), "points");
  assert.equal(training.hypercubePath(12, 4096), "grid");
  assert.equal(training.hypercubePath(16, 256), "rows");
  assert.equal(training.hypercubePath(18, 16384), "points");
});

test("hypercube trainer: logit differences equal the float64 forward pass at every point", () => {
  const d = 6;
  const A = random.gaussianMatrix(random.rng(19), d, d);
  const p = training.mlpInit(random.rng(20), [d, 9, 2]);
  const t = new training.HypercubeRelu(A, 9).logitDifferences(p);
  const D = rows(A);
  for (let k = 0; k < 2 ** d; k++) {
    const f = training.mlpForward64(p, D.Xd.getColumn(k));
    assertClose(t[k], f[1] - f[0], 1e-12 * (1 + Math.abs(f[1])), `point ${k}`);
  }
});

test("hypercube trainer: bad input names the function, the parameter and the value", () => {
  const A = random.gaussianMatrix(random.rng(14), 6, 6);
  assertArgError(
    () => new training.HypercubeRelu(new Matrix(3, 4), 8),
    "HypercubeRelu",
    "A",
    "3×4",
  );
  assertArgError(() => new training.HypercubeRelu(A, 0), "HypercubeRelu", "hidden", "0");
  assertArgError(
    () => new training.HypercubeRelu(random.gaussianMatrix(random.rng(1), 23, 23), 4),
    "HypercubeRelu",
    "d",
    "23",
  );
  const net = new training.HypercubeRelu(A, 8);
  const p = training.mlpInit(random.rng(15), [6, 8, 2]);
  assertArgError(() => net.gradients(p, [0, 64]), "HypercubeRelu.gradients", "idx[1]", "64");
  assertArgError(() => net.gradients(p, [0], "fast" as "rows"), "HypercubeRelu.gradients", "path");
  assertArgError(
    () => net.gradients(training.mlpInit(random.rng(15), [6, 9, 2]), [0]),
    "HypercubeRelu.gradients",
    "p.widths",
    "9",
  );
  assertArgError(
    () => net.train(p, { epochs: 0, batchSize: 4, ...training.PYTORCH_ADAM }, random.rng(1)),
    "HypercubeRelu.train",
    "epochs",
    "0",
  );
});

test("float64 input gradients equal tfjs autodiff on a deep ReLU network and leak nothing", async () => {
  await training.chooseBackend("wasm");
  const p = training.mlpInit(random.rng(16), [7, 25, 15, 10, 2]);
  const r = random.rng(17);
  const before = tf.memory().numTensors;
  for (let t = 0; t < 5; t++) {
    const x = random.gaussianVector(r, 7);
    const a = training.mlpInputGradients64(p, x);
    const b = training.mlpInputGradients(p, x);
    for (let k = 0; k < 2; k++)
      for (let i = 0; i < 7; i++)
        assertClose(a[k][i], b[k][i], 1e-5 * (1 + Math.abs(b[k][i])), `∂f_${k}/∂x_${i}`);
    const pattern = training.mlpActivationPattern64(p, x);
    const pre = training.mlpPreActivations64(p, x);
    assert.deepEqual(
      pattern.map((l) => Array.from(l)),
      pre.slice(0, -1).map((l) => l.map((v) => (v > 0 ? 1 : 0))),
    );
  }
  training.mlpLossGradients(p, new Float32Array(14), Int32Array.from([0, 1]));
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
});
