/**
 * The trainers against PyTorch, the paper's own stack (section 6: "we use the Adam package in
 * PyTorch"; issue 11 §5): the same network from the same initial weights on the same batches, 20
 * epochs in PyTorch (test/pytorch/reference.py: nn.Linear, nn.CrossEntropyLoss, torch.optim.Adam,
 * float32) and in each of our trainers, then every parameter compared.
 *
 * Tolerance: |θ_ours − θ_torch| ≤ 1e-6 for every parameter after 20 epochs (parameters are of
 * order 0.1 to 1). Both sides compute in float32 but sum in different orders, so each step's
 * gradients differ by rounding (about 1e-7 relative), and Adam turns any gradient into a step of
 * about lr = 1e-3; over a run these differences add up to a few 1e-7. Measured when the test was
 * written (these cases, and 24 runs of both networks at other seeds): ours, the tfjs trainers
 * included, within 5e-7 of PyTorch's float32 run; PyTorch's own float64 run within 1.5e-6 of its
 * float32 run (reported beside ours). So 1e-6 is twice the float32 differences, and small enough to
 * catch a trainer's mistakes: tfjs's ε = 1e-7 instead of PyTorch's 1e-8 moves the parameters by
 * 2e-6, a 1% error in lr by 9e-4, one batch drawn differently by 2e-2. A first test checks that our
 * constants are PyTorch's defaults, read from torch itself.
 *
 * Needs /usr/bin/python3 (or $FRAGILITY_TORCH_PYTHON) with torch (Debian's python3-torch; .ci/run
 * installs it, scripts/setup.sh does not): where it is absent the tests are skipped, saying so.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { Matrix } from "ml-matrix";
import * as training from "../../lib/training";
import * as random from "../../lib/random";
import * as data from "../../lib/data";

/** The interpreter with torch: Debian's (where Jupyter and python3-torch live), or the variable's. */
const PYTHON = process.env.FRAGILITY_TORCH_PYTHON ?? "/usr/bin/python3";
const SCRIPT = path.join(__dirname, "..", "..", "..", "test", "pytorch", "reference.py");
const TOLERANCE = 1e-6;
const EPOCHS = 20;

const probe = spawnSync(PYTHON, ["-c", "import torch"], { encoding: "utf8" });
const skip =
  probe.status === 0
    ? false
    : `PyTorch is not installed here (${PYTHON} -c "import torch" failed): ` +
      "install Debian's python3-torch to run the comparison with the paper's stack";

test(
  "PyTorch's defaults are ours: Adam's lr, betas and eps, and nn.Linear's U(−1/√fan_in, 1/√fan_in)",
  { skip },
  () => {
    const out = JSON.parse(
      spawnSync(PYTHON, [SCRIPT], {
        input: JSON.stringify({ defaults: [12, 3000] }),
        encoding: "utf8",
      }).stdout,
    ) as {
      adam: { lr: number; betas: number[]; eps: number };
      linear: { fanIn: number; weight: number; bias: number }[];
    };
    const a = training.PYTORCH_ADAM;
    assert.deepEqual(out.adam, { lr: a.lr, betas: [a.beta1, a.beta2], eps: a.eps });
    const ours = training.pytorchInit(random.rng(1), 12, 3000);
    for (const [i, layer] of out.linear.entries()) {
      const bound = 1 / Math.sqrt(layer.fanIn);
      const w = i === 0 ? ours.H1 : ours.H2;
      const b = i === 0 ? ours.b1 : ours.b2;
      const big = (x: Float32Array) => Math.max(...Array.from(x, Math.abs));
      // The largest of many uniform draws is near the bound (36 000 and 6000 weights; 3000 and 2 biases).
      for (const [name, theirs, mine, n] of [
        ["weight", layer.weight, big(w), w.length],
        ["bias", layer.bias, big(b), b.length],
      ] as const) {
        assert.ok(theirs <= bound && mine <= bound + 1e-7, `layer ${i} ${name}: within ${bound}`);
        if (n >= 1000)
          assert.ok(
            theirs > 0.99 * bound && mine > 0.99 * bound,
            `layer ${i} ${name}: reaches ${bound}`,
          );
      }
    }
  },
);

interface Params {
  W1: ArrayLike<number>;
  b1: ArrayLike<number>;
  W2: ArrayLike<number>;
  b2: ArrayLike<number>;
}

/** Runs the reference script on one job; returns its float32 and float64 parameters. */
function pytorch(job: object): { float32: Params; float64: Params; torch: string } {
  const out = spawnSync(PYTHON, [SCRIPT], {
    input: JSON.stringify(job),
    encoding: "utf8",
    maxBuffer: 1 << 28,
  });
  assert.equal(out.status, 0, `reference.py failed: ${out.stderr}`);
  return JSON.parse(out.stdout) as { float32: Params; float64: Params; torch: string };
}

/** max over every parameter of |a − b|. */
function maxDiff(a: Params, b: Params): number {
  let m = 0;
  for (const k of ["W1", "b1", "W2", "b2"] as const)
    for (let i = 0; i < a[k].length; i++) m = Math.max(m, Math.abs(a[k][i] - b[k][i]));
  return m;
}

/** The batches a trainer draws from rng (one permutation per epoch), as index lists. */
function batchesOf(n: number, batchSize: number, seed: number[]): number[][] {
  const out: number[][] = [];
  training.shuffledBatches(n, { epochs: EPOCHS, batchSize }, random.rng(seed), (idx) => {
    out.push(Array.from(idx));
  });
  return out;
}

/** Section 6's data at small d: A Gaussian with its leading columns ×5. */
function section6(d: number, seed: number): { A: Matrix; rows: data.TrainingRows } {
  const A = data.scaleLeadingColumns(random.gaussianMatrix(random.rng(seed), d, d), 5);
  return { A, rows: data.hypercubeRows(A) };
}

const job = (
  rows: data.TrainingRows,
  hidden: number,
  activation: "identity" | "relu",
  init: Params,
  batches: number[][],
) => ({
  d: rows.d,
  hidden,
  activation,
  X: Array.from(rows.X),
  y: Array.from(rows.y),
  init: {
    W1: Array.from(init.W1),
    b1: Array.from(init.b1),
    W2: Array.from(init.W2),
    b2: Array.from(init.b2),
  },
  ...training.PYTORCH_ADAM,
  batches,
});

test(
  "linear network d → 62 → 2: the WebAssembly trainer and both tfjs formulations end within 1e-6 of PyTorch after 20 epochs",
  { skip },
  async (t) => {
    await training.chooseBackend("wasm");
    const d = 8;
    const hidden = 62;
    const { rows } = section6(d, 21);
    for (const batchSize of [16, 100]) {
      const init = training.pytorchInit(random.rng([22, batchSize]), d, hidden);
      const seed = [23, batchSize];
      const asParams = (p: training.LinearNetParams): Params => ({
        W1: p.H1,
        b1: p.b1,
        W2: p.H2,
        b2: p.b2,
      });
      const ref = pytorch(
        job(rows, hidden, "identity", asParams(init), batchesOf(rows.y.length, batchSize, seed)),
      );
      const c = { hidden, epochs: EPOCHS, batchSize, ...training.PYTORCH_ADAM };
      const trained: [string, training.LinearNetParams][] = [
        ["WebAssembly", training.trainLinearNetFast(init, rows, c, random.rng(seed)).params],
      ];
      for (const formulation of ["composed", "plain"] as const) {
        const r = await training.trainLinearNet(
          init,
          rows,
          { ...c, formulation },
          random.rng(seed),
        );
        trained.push([`tfjs ${formulation}`, r.params]);
      }
      const drift = maxDiff(ref.float32, ref.float64);
      t.diagnostic(
        `batch ${batchSize} (torch ${ref.torch}): PyTorch float32 vs float64 ${drift.toExponential(2)}`,
      );
      for (const [name, p] of trained) {
        const diff = maxDiff(asParams(p), ref.float32);
        t.diagnostic(`batch ${batchSize}, ${name} vs PyTorch float32: ${diff.toExponential(2)}`);
        assert.ok(diff <= TOLERANCE, `${name}, batch ${batchSize}: ${diff} > ${TOLERANCE}`);
      }
    }
  },
);

test(
  "ReLU network d → 62 → 2: the hypercube trainer (rows, points and grid paths) and tfjs end within 1e-6 of PyTorch after 20 epochs",
  { skip },
  async (t) => {
    await training.chooseBackend("wasm");
    const d = 8;
    const hidden = 62;
    const { A, rows } = section6(d, 31);
    const net = new training.HypercubeRelu(A, hidden);
    // Batch 16 takes the rows path, 100 the points path, 200 the grid (its last batch of 56: points).
    for (const batchSize of [16, 100, 200]) {
      const init = training.mlpInit(random.rng([32, batchSize]), [d, hidden, 2]);
      const seed = [33, batchSize];
      const asParams = (p: training.MlpParams): Params => ({
        W1: p.weights[0],
        b1: p.biases[0],
        W2: p.weights[1],
        b2: p.biases[1],
      });
      const ref = pytorch(
        job(rows, hidden, "relu", asParams(init), batchesOf(rows.y.length, batchSize, seed)),
      );
      const c = { epochs: EPOCHS, batchSize, ...training.PYTORCH_ADAM };
      const trained: [string, training.MlpParams][] = [
        [
          `hypercube (${training.hypercubePath(d, batchSize)})`,
          net.train(init, c, random.rng(seed)).params,
        ],
      ];
      if (batchSize === 100)
        trained.push(["tfjs", (await training.trainMlp(init, rows, c, random.rng(seed))).params]);
      const drift = maxDiff(ref.float32, ref.float64);
      t.diagnostic(
        `batch ${batchSize} (torch ${ref.torch}): PyTorch float32 vs float64 ${drift.toExponential(2)}`,
      );
      for (const [name, p] of trained) {
        const diff = maxDiff(asParams(p), ref.float32);
        t.diagnostic(`batch ${batchSize}, ${name} vs PyTorch float32: ${diff.toExponential(2)}`);
        assert.ok(diff <= TOLERANCE, `${name}, batch ${batchSize}: ${diff} > ${TOLERANCE}`);
      }
    }
  },
);

interface DeepParams {
  weights: ArrayLike<number>[];
  biases: ArrayLike<number>[];
}

/** max over every parameter of |a − b|, for networks of any depth. */
function maxDiffDeep(a: DeepParams, b: DeepParams): number {
  let m = 0;
  for (const k of ["weights", "biases"] as const)
    a[k].forEach((x, l) => {
      for (let i = 0; i < x.length; i++) m = Math.max(m, Math.abs(x[i] - b[k][l][i]));
    });
  return m;
}

test(
  "ReLU networks of depth 2 and 3: the MLP WebAssembly trainer and tfjs end within 1e-6 of PyTorch after 20 epochs",
  { skip },
  async (t) => {
    await training.chooseBackend("wasm");
    const d = 8;
    const { rows } = section6(d, 51);
    // Batch 16 divides the 256 points; 100 leaves a last batch of 56; width 13 is not a multiple of 4.
    const cases: [number[], number][] = [
      [[d, 32, 32, 2], 16],
      [[d, 24, 13, 16, 2], 100],
    ];
    for (const [widths, batchSize] of cases) {
      const init = training.mlpInit(random.rng([52, batchSize]), widths);
      const seed = [53, batchSize];
      const out = spawnSync(PYTHON, [SCRIPT], {
        input: JSON.stringify({
          d,
          widths,
          X: Array.from(rows.X),
          y: Array.from(rows.y),
          init: {
            weights: init.weights.map((w) => Array.from(w)),
            biases: init.biases.map((b) => Array.from(b)),
          },
          ...training.PYTORCH_ADAM,
          batches: batchesOf(rows.y.length, batchSize, seed),
        }),
        encoding: "utf8",
        maxBuffer: 1 << 28,
      });
      assert.equal(out.status, 0, `reference.py failed: ${out.stderr}`);
      const ref = JSON.parse(out.stdout) as {
        float32: DeepParams;
        float64: DeepParams;
        torch: string;
      };
      const c = { epochs: EPOCHS, batchSize, ...training.PYTORCH_ADAM };
      const label = `[${widths.join(", ")}], batch ${batchSize}`;
      const trained: [string, DeepParams][] = [
        ["MLP WebAssembly", training.trainMlpFast(init, rows, c, random.rng(seed)).params],
        ["tfjs", (await training.trainMlp(init, rows, c, random.rng(seed))).params],
      ];
      t.diagnostic(
        `${label} (torch ${ref.torch}): PyTorch float32 vs float64 ${maxDiffDeep(ref.float32, ref.float64).toExponential(2)}`,
      );
      for (const [name, p] of trained) {
        const diff = maxDiffDeep(p, ref.float32);
        t.diagnostic(`${label}, ${name} vs PyTorch float32: ${diff.toExponential(2)}`);
        assert.ok(diff <= TOLERANCE, `${name}, ${label}: ${diff} > ${TOLERANCE}`);
      }
    }
  },
);

/**
 * Paper scale (d = 12, width 3000, 20 epochs), run only with FRAGILITY_TORCH_PAPER=1 (about ten
 * minutes). A long run amplifies rounding: PyTorch's own float32 and float64 runs from the same
 * start end 1e-1 to 1 apart at batch 16, 1e-3 at batch 256 and 1e-5 at batch 4096 (the network's
 * loss has flat directions, and Adam normalises every step), so no fixed tolerance applies. The
 * test asks instead that ours end within 10 times that distance of PyTorch's float32 run (plus
 * 2e-6), as one more rounding of the run would (the distance between two such runs varies by a
 * factor of a few from case to case), and prints every distance and training accuracy.
 */
const paper = process.env.FRAGILITY_TORCH_PAPER === "1";
test(
  "paper scale: both trainers end as close to PyTorch's float32 run as a rounding of it does (batch 16, 256, 4096)",
  { skip: skip || (paper ? false : "paper scale: set FRAGILITY_TORCH_PAPER=1 to run it") },
  (t) => {
    const d = 12;
    const hidden = 3000;
    const { A, rows } = section6(d, 41);
    const net = new training.HypercubeRelu(A, hidden);
    const results: { name: string; diff: number; drift: number }[] = [];
    for (const activation of ["identity", "relu"] as const) {
      for (const batchSize of [16, 256, 4096]) {
        const seed = [42, batchSize];
        const c = { epochs: EPOCHS, batchSize, ...training.PYTORCH_ADAM };
        let init: Params;
        let ours: Params;
        let accuracy: (p: Params) => number;
        if (activation === "identity") {
          const p0 = training.pytorchInit(random.rng([43, batchSize]), d, hidden);
          init = { W1: p0.H1, b1: p0.b1, W2: p0.H2, b2: p0.b2 };
          const p = training.trainLinearNetFast(p0, rows, c, random.rng(seed)).params;
          ours = { W1: p.H1, b1: p.b1, W2: p.H2, b2: p.b2 };
          accuracy = (q) =>
            training.evaluate(
              {
                d,
                hidden,
                classes: 2,
                H1: Float32Array.from(q.W1),
                b1: Float32Array.from(q.b1),
                H2: Float32Array.from(q.W2),
                b2: Float32Array.from(q.b2),
              },
              rows,
            ).accuracy;
        } else {
          const p0 = training.mlpInit(random.rng([43, batchSize]), [d, hidden, 2]);
          init = { W1: p0.weights[0], b1: p0.biases[0], W2: p0.weights[1], b2: p0.biases[1] };
          const p = net.train(p0, c, random.rng(seed)).params;
          ours = { W1: p.weights[0], b1: p.biases[0], W2: p.weights[1], b2: p.biases[1] };
          accuracy = (q) =>
            training.mlpAccuracy(
              {
                widths: [d, hidden, 2],
                weights: [Float32Array.from(q.W1), Float32Array.from(q.W2)],
                biases: [Float32Array.from(q.b1), Float32Array.from(q.b2)],
              },
              rows,
            );
        }
        const ref = pytorch(
          job(rows, hidden, activation, init, batchesOf(rows.y.length, batchSize, seed)),
        );
        const drift = maxDiff(ref.float32, ref.float64);
        const diff = maxDiff(ours, ref.float32);
        const acc = [accuracy(ours), accuracy(ref.float32), accuracy(ref.float64)];
        t.diagnostic(
          `${activation}, batch ${batchSize}: ours vs PyTorch float32 ${diff.toExponential(2)}, ` +
            `PyTorch float32 vs float64 ${drift.toExponential(2)}; accuracy ours ${acc[0]}, ` +
            `PyTorch float32 ${acc[1]}, float64 ${acc[2]}`,
        );
        results.push({ name: `${activation}, batch ${batchSize}`, diff, drift });
      }
    }
    for (const r of results)
      assert.ok(r.diff <= 10 * r.drift + 2e-6, `${r.name}: ${r.diff} > 10 × ${r.drift} + 2e-6`);
  },
);
