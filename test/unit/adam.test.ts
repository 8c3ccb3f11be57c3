import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import { assertArgError } from "../helpers";

const f = Math.fround;

/** torch.optim.Adam's single-tensor step on float32 values, each operation rounded to float32. */
function torchAdamStep(
  p: Float32Array,
  g: Float32Array,
  m: Float32Array,
  v: Float32Array,
  t: number,
  c: training.AdamConfig,
): void {
  const stepSize = c.lr / (1 - c.beta1 ** t);
  const bc2sqrt = Math.sqrt(1 - c.beta2 ** t);
  for (let i = 0; i < p.length; i++) {
    m[i] = f(f(m[i] * f(c.beta1)) + f(g[i] * f(1 - c.beta1)));
    v[i] = f(f(v[i] * f(c.beta2)) + f(f(f(1 - c.beta2) * g[i]) * g[i]));
    const denom = f(f(f(Math.sqrt(v[i])) / f(bc2sqrt)) + f(c.eps));
    p[i] = f(p[i] + f(f(f(-stepSize) * m[i]) / denom));
  }
}

test("Adam: the kernel is PyTorch's update in float32, bit for bit, over 50 steps (odd length)", () => {
  const n = 1001;
  const r = random.rng(1);
  const { adam, params, grad } = training.Adam.standalone(n, training.PYTORCH_ADAM);
  const p = Float32Array.from({ length: n }, () => r.normal());
  const m = new Float32Array(n);
  const v = new Float32Array(n);
  params.set(p);
  for (let t = 1; t <= 50; t++) {
    // Gradients over many scales, some exactly zero.
    const g = Float32Array.from({ length: n }, (_, i) =>
      i % 17 === 0 ? 0 : r.normal() * 10 ** -(i % 9),
    );
    grad.set(g);
    adam.step();
    torchAdamStep(p, g, m, v, t, training.PYTORCH_ADAM);
  }
  assert.equal(adam.steps, 50);
  assert.deepEqual(params, p, "parameters bit-identical to the float32 emulation");
});

test("Adam: the first step moves every parameter by lr against its gradient's sign (m̂/√v̂ = ±1)", () => {
  const n = 64;
  const r = random.rng(2);
  const { adam, params, grad } = training.Adam.standalone(n, training.PYTORCH_ADAM);
  const p0 = Float32Array.from({ length: n }, () => r.normal());
  params.set(p0);
  grad.set(Float32Array.from({ length: n }, () => r.normal()));
  adam.step();
  for (let i = 0; i < n; i++) {
    const moved = params[i] - p0[i];
    // |g| ≫ ε, so the step is lr·sign(g) up to ε/|g| and float32 rounding of p (≤ 2^-23 |p|).
    assert.ok(
      Math.abs(moved + 1e-3 * Math.sign(grad[i])) <= 1e-6 + 2 ** -23 * Math.abs(p0[i]),
      `parameter ${i} moved by ${moved}`,
    );
  }
});

test("Adam: bad settings name the parameter and the value", () => {
  assertArgError(
    () => training.Adam.standalone(4, { ...training.PYTORCH_ADAM, lr: 0 }),
    "Adam",
    "lr",
    "0",
  );
  assertArgError(
    () => training.Adam.standalone(4, { ...training.PYTORCH_ADAM, beta2: 1 }),
    "Adam",
    "beta2",
    "1",
  );
  assertArgError(() => training.Adam.standalone(0, training.PYTORCH_ADAM), "Adam.standalone", "n");
});

test("shuffled batches: every epoch visits every point once, in batches of batchSize (the last smaller), reproducibly", () => {
  const n = 103;
  const c = { epochs: 3, batchSize: 25 };
  const seen: number[][] = [];
  const epochs: number[] = [];
  const loss = training.shuffledBatches(
    n,
    c,
    random.rng([5, 1]),
    (idx) => {
      seen.push(Array.from(idx));
      return idx.length; // a "loss" equal to the batch size: the mean over points is Σ B²/n
    },
    (e) => epochs.push(e),
  );
  assert.deepEqual(epochs, [1, 2, 3]);
  assert.equal(seen.length, training.stepsPerRun(n, c));
  assert.deepEqual(
    seen.map((b) => b.length),
    [25, 25, 25, 25, 3, 25, 25, 25, 25, 3, 25, 25, 25, 25, 3],
  );
  for (let e = 0; e < 3; e++) {
    const points = seen
      .slice(5 * e, 5 * e + 5)
      .flat()
      .sort((a, b) => a - b);
    assert.deepEqual(
      points,
      Array.from({ length: n }, (_, i) => i),
      `epoch ${e + 1}`,
    );
  }
  assert.notDeepEqual(seen[0], seen[5], "a fresh permutation every epoch");
  assert.equal(loss, (4 * 25 * 25 + 3 * 3) / n, "mean loss over the last epoch's points");
  const again: number[][] = [];
  training.shuffledBatches(n, c, random.rng([5, 1]), (idx) => {
    again.push(Array.from(idx));
  });
  assert.deepEqual(again, seen, "same stream, same batches");
  // The batches are the epochs' permutations from the stream, cut in order.
  const r = random.rng([5, 1]);
  assert.deepEqual(seen.slice(0, 5).flat(), Array.from(r.permutation(n)));
});
