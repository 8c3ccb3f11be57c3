/**
 * One run of section 6's non-linear network (Table 3; notebook 10 at other d): draw A, train a ReLU
 * network d → hidden… → 2 on the 2^d points x = Az (label z_d), and measure ρ(α) on the stencil of
 * Table 3 and, for accurate networks when asked, the perturbation an attack needs (DeepFool with
 * bisection and restarts, every flip verified) against ρ's first-order prediction and the optimal
 * (minimum-distance) classifier.
 *
 * One-hidden-layer networks train with the exact hypercube trainer, deeper ones with the WebAssembly
 * MLP trainer (mlp-fast.ts); neither uses tfjs, which stays the trainers' test reference.
 */
import type { Matrix } from "ml-matrix";
import { deepfool } from "../attacks/deepfool";
import { argmax } from "../attacks/linear";
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import {
  hypercubeData,
  hypercubeRows,
  pointIndex,
  pointSigns,
  scaleLeadingColumns,
} from "../data/hypercube";
import { runRng, type RunSeed } from "../data/streams";
import { qrR } from "../linalg/qr";
import { norm, sub } from "../linalg/vectors";
import { latticeMinimumSphere } from "../optimal/lattice";
import { optimalRadiusAt } from "../optimal/radius";
import { gaussianMatrix } from "../random/gaussian";
import { cacheSchema, type Schema } from "./cache";
import { rhoFromGradients, theorem7Geometry, theorem7Pair } from "../theorems/theorem7";
import {
  HypercubeRelu,
  mlpClassifier,
  mlpForward64,
  mlpInit,
  mlpInputGradients64,
  mlpLossGradients,
  PYTORCH_ADAM,
  trainMlp,
  trainMlpFast,
  type MlpParams,
} from "../training";

/** What determines a trained network: data dimension, widths, column scaling and batch size. */
export interface ReluSetting {
  d: number;
  /** Hidden widths: [3000] in Table 3. */
  hidden: number[];
  /** Every column of A but the last is multiplied by this (1: plain Gaussian A). */
  scaleFactor: number;
  batchSize: number;
}

/** Everything that determines a run's numbers besides its seed. */
export interface ReluRunConfig {
  setting: ReluSetting;
  epochs: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Table 3's α stencil. */
  alphas: number[];
  /**
   * The attack study for accurate networks, or null: `points` attacked (b₁, b₂, then random
   * training points), plus `marginPoints` with the smallest predicted margin (one hidden layer
   * only), with `restarts` DeepFool restarts each.
   */
  attack: { points: number; restarts: number; marginPoints?: number } | null;
  /** The trainer and its version (part of the cache key). */
  trainer: string;
}

/** The largest d a run accepts (the hypercube trainer's tables and 2^d points in memory). */
export const RELU_RUN_MAX_D = 20;

export function validateReluSetting(fn: string, s: ReluSetting): void {
  requireInteger(fn, "setting.d", s.d, 3, RELU_RUN_MAX_D);
  if (!Array.isArray(s.hidden) || s.hidden.length === 0) {
    fail(fn, "setting.hidden", s.hidden, "must list at least one hidden width");
  }
  s.hidden.forEach((h, i) => requireInteger(fn, `setting.hidden[${i}]`, h, 1, 100_000));
  requirePositive(fn, "setting.scaleFactor", s.scaleFactor);
  requireInteger(fn, "setting.batchSize", s.batchSize, 1, 2 ** s.d);
}

export function validateReluRunConfig(fn: string, c: ReluRunConfig): void {
  validateReluSetting(fn, c.setting);
  requireInteger(fn, "epochs", c.epochs, 1, 1000);
  requirePositive(fn, "lr", c.lr);
  if (c.alphas.length === 0) fail(fn, "alphas", c.alphas, "must not be empty");
  c.alphas.forEach((a, i) => requireInRange(fn, `alphas[${i}]`, a, 0, 1));
  if (c.attack) {
    requireInteger(fn, "attack.points", c.attack.points, 2, 1000);
    requireInteger(fn, "attack.restarts", c.attack.restarts, 0, 100);
    requireInteger(fn, "attack.marginPoints", c.attack.marginPoints ?? 0, 0, 1000);
    if ((c.attack.marginPoints ?? 0) > 0 && c.setting.hidden.length !== 1) {
      fail(
        fn,
        "attack.marginPoints",
        c.attack.marginPoints,
        "needs one hidden layer (the exact trainer's margins)",
      );
    }
  }
  if (!c.trainer) fail(fn, "trainer", c.trainer, "must name the trainer and its version");
}

export interface AttackedPoint {
  /** Hypercube index of the point. */
  index: number;
  /** Why it was attacked: the pair b₁, b₂, a random training point, or a smallest predicted margin. */
  kind: "pair" | "random" | "margin";
  /** The smallest verified decision-changing perturbation found (DeepFool's; see `method`). */
  actual: number;
  /** DeepFool, or, where it found no flip, bisection along the segment to the nearest point of the other class. */
  method: "deepfool" | "segment";
  /** The linearised distance |f₁ − f₀| / ‖∇(f₁ − f₀)‖ at the point (DeepFool's first step). */
  linearised: number;
  /** Half the distance to the nearest point of the other class: the optimal classifier's radius there. */
  optimalRadius: number;
}

export interface ReluRun {
  run: number;
  accuracy: number;
  valid: boolean;
  loss: number;
  /** ρ at each α of the stencil (valid and invalid networks alike). */
  rho: number[];
  /** |R_dd| / ‖a_d‖ (Theorem 6's compression) and ‖a_d‖. */
  phi: number;
  adNorm: number;
  /** For valid networks when the config asks for it. */
  attack?: {
    points: AttackedPoint[];
    /** The optimal classifier's exact worst-case robustness min_u ‖Au‖ (sphere decoder). */
    optimalWorst: number;
  };
}

/** A of a run: Gaussian from the run's data stream, leading columns scaled. */
export function reluRunMatrix(s: ReluSetting, seed: RunSeed): Matrix {
  return scaleLeadingColumns(gaussianMatrix(runRng(seed, "data"), s.d, s.d), s.scaleFactor);
}

/** Trains one network: the exact hypercube trainer for one hidden layer, the MLP trainer otherwise. */
async function train(c: ReluRunConfig, seed: RunSeed, onEpoch?: (e: number) => void) {
  const s = c.setting;
  const A = reluRunMatrix(s, seed);
  const init = mlpInit(runRng(seed, "init"), [s.d, ...s.hidden, 2]);
  const t = {
    epochs: c.epochs,
    batchSize: s.batchSize,
    lr: c.lr,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
  };
  if (s.hidden.length === 1) {
    const net = new HypercubeRelu(A, s.hidden[0]);
    const res = net.train(init, t, runRng(seed, "shuffle"), onEpoch);
    return { A, ...res, margins: () => net.logitDifferences(res.params) };
  }
  const res = trainMlpFast(init, hypercubeRows(A), t, runRng(seed, "shuffle"), onEpoch);
  return { A, params: res.params, accuracy: res.accuracy, loss: res.loss, margins: null };
}

/** ρ(α) on the stencil (section 6) for network p on A, at the pair (b₁, b₂) of the run's pair stream. */
export function reluRho(
  p: MlpParams,
  A: Matrix,
  alphas: readonly number[],
  seed: RunSeed,
): number[] {
  const { b1, b2 } = theorem7Pair(A, runRng(seed, "pair"));
  return alphas.map((alpha) => {
    const { x, x1, x2 } = theorem7Geometry(b1, b2, alpha);
    return rhoFromGradients(mlpInputGradients64(p, x), x1, x2);
  });
}

/**
 * The attack study of one accurate network: DeepFool at b₁, b₂, random training points and (with
 * the logit differences of every point) the points of smallest predicted margin, each against the
 * optimal classifier's exact radius at the same point.
 */
export function reluAttack(
  p: MlpParams,
  A: Matrix,
  a: NonNullable<ReluRunConfig["attack"]>,
  seed: RunSeed,
  logitDifferences: Float64Array | null = null,
): NonNullable<ReluRun["attack"]> {
  const d = A.rows;
  const { X } = hypercubeData(A);
  const n = X.columns;
  const { z } = theorem7Pair(A, runRng(seed, "pair"));
  const i1 = pointIndex(z);
  const chosen: Array<{ index: number; kind: AttackedPoint["kind"] }> = [
    { index: i1, kind: "pair" },
    { index: i1 ^ 1, kind: "pair" }, // b₁ and b₂ differ in the label bit, the lowest bit of the index
  ];
  const taken = new Set([i1, i1 ^ 1]);
  const pick = runRng(seed, "attackPoints");
  while (chosen.length < Math.min(a.points, n)) {
    const k = pick.int(n);
    if (taken.has(k)) continue;
    chosen.push({ index: k, kind: "random" });
    taken.add(k);
  }
  const linearisedAt = (k: number) => {
    const x = X.getColumn(k);
    const f = mlpForward64(p, x);
    const g = mlpInputGradients64(p, x);
    return Math.abs(f[1] - f[0]) / norm(sub(g[1], g[0]));
  };
  const m = a.marginPoints ?? 0;
  if (m > 0) {
    if (!logitDifferences)
      fail("reluAttack", "logitDifferences", null, "are needed for margin points");
    // Candidates by the smallest |f₁ − f₀|, then the smallest linearised distance among them.
    const byLogit = Array.from(logitDifferences.keys()).sort(
      (x, y) => Math.abs(logitDifferences[x]) - Math.abs(logitDifferences[y]),
    );
    const candidates = byLogit.filter((k) => !taken.has(k)).slice(0, 4 * m);
    const lin = candidates
      .map((k) => ({ k, dist: linearisedAt(k) }))
      .sort((x, y) => x.dist - y.dist);
    for (const c of lin.slice(0, m)) {
      chosen.push({ index: c.k, kind: "margin" });
      taken.add(c.k);
    }
  }
  const clf = mlpClassifier(p);
  const points = chosen.map(({ index: k, kind }, t) => {
    const x = X.getColumn(k);
    const nearest = optimalRadiusAt(A, pointSigns(k, d));
    let actual: number;
    let method: AttackedPoint["method"] = "deepfool";
    try {
      actual = deepfool(clf, x, { restarts: a.restarts, rng: runRng(seed, "attack", t) }).norm;
    } catch {
      // x − 2Au is the nearest point of the other class, which an accurate network labels otherwise.
      const target = x.map(
        (v, i) => v - 2 * A.getRow(i).reduce((s2, aij, j) => s2 + aij * nearest.u[j], 0),
      );
      actual = segmentFlip(clf, x, target);
      method = "segment";
    }
    return {
      index: k,
      kind,
      actual,
      method,
      linearised: linearisedAt(k),
      optimalRadius: nearest.radius,
    };
  });
  return { points, optimalWorst: latticeMinimumSphere(A).value };
}

/**
 * The shortest verified flip along the segment from x to a point the classifier labels otherwise:
 * bisection on the fraction t of the segment (40 halvings), returning ‖t(target − x)‖.
 */
function segmentFlip(
  clf: { outputs(x: readonly number[]): number[] },
  x: readonly number[],
  target: readonly number[],
): number {
  const label = argmax(clf.outputs(x));
  const at = (t: number) => x.map((v, i) => v + t * (target[i] - v));
  if (argmax(clf.outputs(at(1))) === label)
    fail("segmentFlip", "target", [...target], "has the same label as x");
  let lo = 0;
  let hi = 1;
  for (let it = 0; it < 40; it++) {
    const mid = (lo + hi) / 2;
    if (argmax(clf.outputs(at(mid))) === label) lo = mid;
    else hi = mid;
  }
  return hi * norm(sub(target, x));
}

/**
 * One run, trained and measured; deterministic given (config, seed path) and the trainer.
 * @param c the run's config (Table 3: d = 12, one hidden layer of 3000, 20 epochs, PyTorch's Adam)
 */
export async function reluRun(
  c: ReluRunConfig,
  seed: RunSeed,
  onEpoch?: (e: number) => void,
): Promise<ReluRun> {
  validateReluRunConfig("reluRun", c);
  const { A, params, accuracy, loss, margins } = await train(c, seed, onEpoch);
  const d = c.setting.d;
  const adNorm = norm(A.getColumn(d - 1));
  const valid = accuracy === 1;
  return {
    run: seed.run,
    accuracy,
    valid,
    loss,
    rho: reluRho(params, A, c.alphas, seed),
    phi: Math.abs(qrR(A).get(d - 1, d - 1)) / adNorm,
    adNorm,
    ...(c.attack && valid
      ? {
          attack: reluAttack(
            params,
            A,
            c.attack,
            seed,
            (c.attack.marginPoints ?? 0) > 0 && margins ? margins() : null,
          ),
        }
      : {}),
  };
}

const num = cacheSchema.number;
/** Rounding slack of ranges checked on float results. */
const SLACK = 1e-9;

/**
 * The shape of a cached ReLU run and the ranges of its numbers (checked on every read of the
 * cache): ρ is a cosine's absolute value, in [0, 1]; φ is in [0, 1]; a verified flip of an
 * attacked point has a positive length.
 */
export const reluRunSchema: Schema<ReluRun> = cacheSchema.object({
  run: num({ integer: true, min: 0 }),
  accuracy: num({ min: 0, max: 1 }),
  valid: cacheSchema.boolean(),
  rho: cacheSchema.array(num({ min: 0, max: 1 + SLACK })),
  phi: num({ min: 0, max: 1 + SLACK }),
  adNorm: num({ min: 0 }),
  attack: cacheSchema.optional(
    cacheSchema.object({
      points: cacheSchema.array(
        cacheSchema.object({
          actual: cacheSchema.refine(num(), (v) => (v > 0 ? null : "is not a positive length")),
          optimalRadius: num(),
        }),
      ),
      optimalWorst: num(),
    }),
  ),
}) as Schema<ReluRun>;

/** Why a cached payload is not a ReLU run (null when it is): reluRunSchema's answer. */
export function reluRunProblem(x: unknown): string | null {
  return reluRunSchema.check(x, "run");
}

/** A cached payload has a run's shape. */
export function isReluRun(x: unknown): x is ReluRun {
  return reluRunProblem(x) === null;
}

/** The exact hypercube trainer against tfjs autodiff of the plain network, on a small instance. */
export interface TrainerCheck {
  /** Relative max error of each gradient (∂W₁, ∂b₁, ∂W₂, ∂b₂) for two batch sizes and both of the trainer's paths. */
  gradients: Array<{
    batch: number;
    path: "points" | "grid";
    loss: number;
    lossTfjs: number;
    error: number;
  }>;
  /** After a whole 20-epoch run of each trainer from the same initialisation and batch order: accuracies and the largest difference of any weight or bias. */
  accuracy: number;
  accuracyTfjs: number;
  parameterDifference: number;
}

/**
 * Notebook 09's step 1 (d = 8, 64 hidden units, ×5): the trainer Table 3 uses computes the
 * gradients autodiff computes, and a whole run follows tfjs training to float32 rounding.
 */
export async function reluTrainerCheck(seed: number): Promise<TrainerCheck> {
  const s = { seed, stream: "check" as const, cell: [], run: 0 };
  const A = scaleLeadingColumns(gaussianMatrix(runRng(s, "data"), 8, 8), 5);
  const rows = hypercubeRows(A);
  const net = new HypercubeRelu(A, 64);
  const init = mlpInit(runRng(s, "init"), [8, 64, 2]);
  const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
    let m = 0;
    let scale = 0;
    for (let i = 0; i < b.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
      scale = Math.max(scale, Math.abs(b[i]));
    }
    return m / scale;
  };
  const gradients: TrainerCheck["gradients"] = [];
  for (const batch of [16, 256]) {
    for (const path of ["points", "grid"] as const) {
      const idx = Array.from(runRng(s, "shuffle", batch).permutation(256).subarray(0, batch));
      const Xb = Float32Array.from(
        idx.flatMap((k) => Array.from(rows.X.subarray(k * 8, k * 8 + 8))),
      );
      const yb = Int32Array.from(idx.map((k) => rows.y[k]));
      const ref = mlpLossGradients(init, Xb, yb);
      const loss = net.gradients(init, idx, path);
      const g = net.grad;
      const error = Math.max(
        relErr(g.W1, ref.weights[0]),
        relErr(g.b1, ref.biases[0]),
        relErr(g.W2, ref.weights[1]),
        relErr(g.b2, ref.biases[1]),
      );
      gradients.push({ batch, path, loss, lossTfjs: ref.loss, error });
    }
  }
  const cfg = { epochs: 20, batchSize: 32, ...PYTORCH_ADAM };
  const ours = net.train(init, cfg, runRng(s, "shuffle"));
  const theirs = await trainMlp(init, rows, cfg, runRng(s, "shuffle"));
  let parameterDifference = 0;
  for (let l = 0; l < 2; l++) {
    for (const key of ["weights", "biases"] as const) {
      const a = ours.params[key][l];
      const b = theirs.params[key][l];
      for (let i = 0; i < a.length; i++)
        parameterDifference = Math.max(parameterDifference, Math.abs(a[i] - b[i]));
    }
  }
  return { gradients, accuracy: ours.accuracy, accuracyTfjs: theirs.accuracy, parameterDifference };
}
