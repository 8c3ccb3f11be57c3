import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import { assertArgError, assertClose } from "../helpers";

const small = (d = 5, hidden = 40) => training.pytorchInit(random.rng(1), d, hidden);

test("PyTorch initialisation: U(−1/√fan_in, 1/√fan_in) for weights and biases, seeded", () => {
  const p = training.pytorchInit(random.rng(2), 12, 3000);
  const inRange = (a: Float32Array, fanIn: number) =>
    a.every((v) => Math.abs(v) <= 1 / Math.sqrt(fanIn) + 1e-7);
  assert.ok(inRange(p.H1, 12) && inRange(p.b1, 12) && inRange(p.H2, 3000) && inRange(p.b2, 3000));
  const spread = Math.max(...p.H1) - Math.min(...p.H1);
  assert.ok(spread > 1.9 / Math.sqrt(12), "fills the interval");
  assert.deepEqual(training.pytorchInit(random.rng(2), 12, 3000).H2, p.H2);
});

test("the composed gradients equal autodiff of the plain formulation (batch × hidden activations)", async () => {
  await training.chooseBackend("cpu");
  const p = small();
  const r = random.rng(3);
  const xb = tf.tensor2d(
    Array.from({ length: 7 * 5 }, () => 3 * r.normal()),
    [7, 5],
  );
  const yb = tf.oneHot(tf.tensor1d([0, 1, 1, 0, 1, 0, 0], "int32"), 2).toFloat() as tf.Tensor2D;
  const v = training.paramTensors(p);
  const composed = training.composedGradients(v, xb, yb);
  const plain = tf.grads((H1: tf.Tensor, b1: tf.Tensor, H2: tf.Tensor, b2: tf.Tensor) =>
    training.batchLoss(
      {
        H1: H1 as tf.Tensor2D,
        b1: b1 as tf.Tensor1D,
        H2: H2 as tf.Tensor2D,
        b2: b2 as tf.Tensor1D,
      },
      xb,
      yb,
      "plain",
    ),
  )([v.H1, v.b1, v.H2, v.b2]);
  for (let k = 0; k < 4; k++) {
    const a = composed[k].dataSync();
    const b = plain[k].dataSync();
    const scale = Math.max(...Array.from(b, Math.abs));
    for (let i = 0; i < a.length; i++)
      assert.ok(
        Math.abs(a[i] - b[i]) <= 1e-5 * scale + 1e-7,
        `gradient ${k}[${i}]: ${a[i]} vs ${b[i]}`,
      );
  }
  const lc = training.batchLoss(v, xb, yb, "composed").dataSync()[0];
  const lp = training.batchLoss(v, xb, yb, "plain").dataSync()[0];
  assert.ok(Math.abs(lc - lp) < 1e-5, "same loss");
  tf.dispose([xb, yb, ...Object.values(v), ...composed, ...plain]);
});

function data(d: number, n: number, seed: number): training.TrainData {
  const r = random.rng(seed);
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) X[i * d + j] = r.normal();
    y[i] = X[i * d] + 0.5 * X[i * d + 1] > 0 ? 1 : 0;
  }
  return { X, y, d };
}

const cfg = (formulation: "composed" | "plain"): training.TrainConfig => ({
  hidden: 40,
  epochs: 4,
  batchSize: 16,
  ...training.PYTORCH_ADAM,
  lr: 1e-2,
  formulation,
});

test("training: deterministic, both formulations agree, learns, leaks no tensors", async () => {
  await training.chooseBackend("cpu");
  const dt = data(5, 96, 4);
  const before = tf.memory().numTensors;
  const a = await training.trainLinearNet(small(), dt, cfg("composed"), random.rng(5));
  const b = await training.trainLinearNet(small(), dt, cfg("composed"), random.rng(5));
  const c = await training.trainLinearNet(small(), dt, cfg("plain"), random.rng(5));
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  assert.deepEqual(a.params.H1, b.params.H1, "same seed, same result");
  const wa = training.endToEnd(a.params).W.flat();
  const wc = training.endToEnd(c.params).W.flat();
  wa.forEach((v, i) =>
    assert.ok(Math.abs(v - wc[i]) < 1e-3 * (1 + Math.abs(v)), `W[${i}]: ${v} vs ${wc[i]}`),
  );
  assert.ok(a.accuracy > 0.9, `learns a linearly separable rule (accuracy ${a.accuracy})`);
});

test("bad training configs are refused with the parameter and the value", async () => {
  const dt = data(5, 10, 6);
  for (const [key, value] of [
    ["hidden", 0],
    ["epochs", 0],
    ["batchSize", 0],
    ["lr", -1],
  ] as const) {
    await assert.rejects(
      training.trainLinearNet(small(), dt, { ...cfg("composed"), [key]: value }, random.rng(1)),
      new RegExp(`validateTrainConfig: parameter ${key} = ${value}`),
    );
  }
});

test("WebAssembly linear trainer: gradients equal tfjs autodiff of the plain network (relative 1e-5), odd width, any batch", async () => {
  await training.chooseBackend("cpu");
  const d = 6;
  const dt = data(d, 200, 7);
  const p = training.pytorchInit(random.rng(8), d, 41);
  const kernel = new training.LinearNetKernel(dt, 41);
  for (const B of [1, 7, 64, 200]) {
    const idx = Array.from(random.rng([9, B]).permutation(200).subarray(0, B));
    const ours = kernel.gradients(p, idx);
    const xb = tf.tensor2d(
      Float32Array.from(idx.flatMap((i) => Array.from(dt.X.subarray(i * d, i * d + d)))),
      [B, d],
    );
    const yb = tf
      .oneHot(
        tf.tensor1d(
          idx.map((i) => dt.y[i]),
          "int32",
        ),
        2,
      )
      .toFloat() as tf.Tensor2D;
    const v = training.paramTensors(p);
    const plain = tf.grads((H1: tf.Tensor, b1: tf.Tensor, H2: tf.Tensor, b2: tf.Tensor) =>
      training.batchLoss(
        {
          H1: H1 as tf.Tensor2D,
          b1: b1 as tf.Tensor1D,
          H2: H2 as tf.Tensor2D,
          b2: b2 as tf.Tensor1D,
        },
        xb,
        yb,
        "plain",
      ),
    )([v.H1, v.b1, v.H2, v.b2]);
    const names = ["H1", "b1", "H2", "b2"] as const;
    names.forEach((name, k) => {
      const ref = plain[k].dataSync();
      const scale = Math.max(...Array.from(ref, Math.abs));
      let worst = 0;
      for (let i = 0; i < ref.length; i++)
        worst = Math.max(worst, Math.abs(ours.grad[name][i] - ref[i]));
      assert.ok(worst <= 1e-5 * scale, `∂${name} (B ${B}): max error ${worst} > 1e-5 × ${scale}`);
    });
    const loss = training.batchLoss(v, xb, yb, "plain").dataSync()[0];
    assert.ok(Math.abs(ours.loss - loss) <= 1e-5 * (1 + loss), `loss ${ours.loss} vs ${loss}`);
    tf.dispose([xb, yb, ...Object.values(v), ...plain]);
  }
});

test("WebAssembly linear trainer: a whole run follows tfjs training to float32 rounding, deterministically", async () => {
  await training.chooseBackend("cpu");
  const dt = data(5, 96, 4);
  const c = { ...cfg("composed"), hidden: 41, epochs: 6 };
  const init = training.pytorchInit(random.rng(10), 5, 41);
  const fast = training.trainLinearNetFast(init, dt, c, random.rng(5));
  const again = training.trainLinearNetFast(init, dt, c, random.rng(5));
  const ref = await training.trainLinearNet(init, dt, c, random.rng(5));
  assert.deepEqual(again.params, fast.params, "same seed, bit-identical");
  for (const key of ["H1", "b1", "H2", "b2"] as const)
    for (let i = 0; i < ref.params[key].length; i++)
      assert.ok(
        Math.abs(fast.params[key][i] - ref.params[key][i]) <= 1e-5,
        `${key}[${i}]: ${fast.params[key][i]} vs ${ref.params[key][i]}`,
      );
  assert.equal(fast.accuracy, ref.accuracy);
  assertClose(fast.loss, training.evaluate(fast.params, dt).loss, 0, "loss is evaluate()'s");
  assert.ok(fast.accuracy > 0.9, `learns a linearly separable rule (accuracy ${fast.accuracy})`);
});

test("WebAssembly linear trainer: bad input names the function, the parameter and the value", () => {
  const dt = data(5, 10, 6);
  const init = small();
  assertArgError(
    () => training.trainLinearNetFast(init, dt, { ...cfg("composed"), hidden: 39 }, random.rng(1)),
    "trainLinearNetFast",
    "hidden",
    "39",
  );
  assertArgError(
    () => training.trainLinearNetFast(init, { ...dt, d: 4 }, cfg("composed"), random.rng(1)),
    "trainLinearNetFast",
    "data.d",
    "4",
  );
  assertArgError(
    () =>
      training.trainLinearNetFast(init, dt, { ...cfg("composed"), batchSize: 0 }, random.rng(1)),
    "LinearNetKernel.train",
    "batchSize",
    "0",
  );
  assertArgError(
    () => new training.LinearNetKernel(dt, 40).gradients(init, [10]),
    "LinearNetKernel.gradients",
    "idx[0]",
    "10",
  );
});
