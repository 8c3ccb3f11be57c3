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

const batchOf = (D: ReturnType<typeof rows>, idx: number[]) => ({
  X: Float32Array.from(idx.flatMap((k) => Array.from(D.X.subarray(k * D.d, (k + 1) * D.d)))),
  y: Int32Array.from(idx.map((k) => D.y[k])),
});

test("hypercube trainer: labels and point order are section 6's (hypercubeRows)", () => {
  const { y } = data.hypercubeRows(random.gaussianMatrix(random.rng(5), 7, 7));
  for (let k = 0; k < y.length; k++) assert.equal(data.pointLabel(k), y[k], `label of point ${k}`);
});

test("hypercube trainer: gradients equal tfjs autodiff of the plain network, both paths, even and odd d and width (relative 1e-5)", async () => {
  await training.chooseBackend("wasm");
  for (const [d, H] of [
    [7, 41],
    [8, 40],
  ]) {
    const r = random.rng([11, d]);
    const A = scaleLeadingColumns(random.gaussianMatrix(r, d, d), 3);
    const p = training.mlpInit(r.child(1), [d, H, 2]);
    const D = rows(A);
    const net = new training.HypercubeRelu(A, H);
    for (const B of [5, 64, 2 ** d]) {
      const idx = Array.from(r.permutation(2 ** d).subarray(0, B));
      const ref = training.mlpLossGradients(p, batchOf(D, idx).X, batchOf(D, idx).y);
      for (const how of ["points", "grid"] as const) {
        const loss = net.gradients(p, idx, how);
        assertClose(loss, ref.loss, 1e-5 * (1 + ref.loss), `loss (d ${d}, B ${B}, ${how})`);
        const pairs: [Float64Array, Float32Array, string][] = [
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
});

test("hypercube trainer: a whole run follows tfjs training (trainMlp) to float32 rounding, on both paths, deterministically", async () => {
  await training.chooseBackend("wasm");
  const d = 8;
  const r = random.rng(12);
  const A = random.gaussianMatrix(r, d, d);
  const init = training.mlpInit(r.child(1), [d, 32, 2]);
  const D = rows(A);
  for (const batchSize of [32, 128]) {
    const cfg = { epochs: 8, batchSize, ...training.PYTORCH_ADAM };
    const ours = new training.HypercubeRelu(A, 32).train(init, cfg, random.rng([13, batchSize]));
    const again = new training.HypercubeRelu(A, 32).train(init, cfg, random.rng([13, batchSize]));
    const ref = await training.trainMlp(init, D, cfg, random.rng([13, batchSize]));
    assert.deepEqual(again.params, ours.params, "bit-identical on a second run");
    for (let l = 0; l < 2; l++) {
      for (let i = 0; i < ref.params.weights[l].length; i++)
        assertClose(
          ours.params.weights[l][i],
          ref.params.weights[l][i],
          1e-5,
          `batch ${batchSize}: weights[${l}][${i}]`,
        );
    }
    assert.equal(
      ours.accuracy,
      training.mlpAccuracy(ours.params, D),
      "accuracy from the kernels equals the float64 forward pass",
    );
    assert.ok(
      Math.abs(ours.accuracy - ref.accuracy) <= 2 / D.y.length,
      `accuracy ${ours.accuracy} against tfjs ${ref.accuracy}`,
    );
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
  const net = new training.HypercubeRelu(A, 8);
  const p = training.mlpInit(random.rng(15), [6, 8, 2]);
  assertArgError(() => net.gradients(p, [0, 64]), "HypercubeRelu.gradients", "idx[1]", "64");
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
  }
  training.mlpLossGradients(p, new Float32Array(14), Int32Array.from([0, 1]));
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
});
