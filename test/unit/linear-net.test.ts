import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as tf from "@tensorflow/tfjs";
import * as training from "../../lib/training";
import * as random from "../../lib/random";

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
