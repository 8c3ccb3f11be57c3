/**
 * One run of section 6's linear network (Tables 1–2; notebook 10 at other d): draw A (every column
 * but the last ×scaleFactor), train Linear(d → hidden) → identity → Linear(hidden → 2) on the 2^d
 * points x = Az with label z_d, and measure what section 6 reports (cos θ₁, cos θ₂, φ) and what it
 * leaves out (the trained network's exact minimal perturbation and the optimal classifier's exact
 * robustness on the same data).
 */
import { inverse } from "ml-matrix";
import { fail, requireInteger, requirePositive } from "../check";
import { hypercubeRows, pointSigns, scaleLeadingColumns } from "../data/hypercube";
import { runRng, type RunSeed } from "../data/streams";
import { qrR } from "../linalg/qr";
import { cosine, norm, sub } from "../linalg/vectors";
import { latticeMinimumSphere } from "../optimal/lattice";
import { optimalRadiusAt } from "../optimal/radius";
import { gaussianMatrix } from "../random/gaussian";
import { cacheSchema, type Schema } from "./cache";
import type { TrainConfig } from "../training/config";
import { LINEAR_NET_FAST_TRAINER, trainLinearNetFast } from "../training/linear-fast";
import { endToEnd, pytorchInit } from "../training/linear64";

/** Everything that determines a run's numbers besides its seed. */
export interface LinearRunConfig {
  /** Input dimension (section 6: 12); all 2^d points are the training set. */
  d: number;
  /** Hidden width (section 6: 3000). */
  hidden: number;
  /** Every column of A but the last is multiplied by this (section 6: 5). */
  scaleFactor: number;
  /** Epochs (section 6: 20). */
  epochs: number;
  /** Mini-batch size: not given by the paper (the grid's variable). */
  batchSize: number;
  /** Adam (PyTorch's defaults; section 6 trains with PyTorch's Adam). */
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** The trainer and its version (part of the cache key: its arithmetic determines the numbers). */
  trainer: string;
}

/**
 * The linear network's trainer (WebAssembly, float32 SIMD, PyTorch's initialisation and Adam rule;
 * tested against PyTorch). Its name and version are part of every run's cache key.
 */
export const LINEAR_TRAINER = LINEAR_NET_FAST_TRAINER;

/** The largest d a run accepts: 2^d points of d float32 values and the sphere decoder's cost. */
export const LINEAR_RUN_MAX_D = 20;

export function validateLinearRunConfig(fn: string, c: LinearRunConfig): void {
  requireInteger(fn, "d", c.d, 2, LINEAR_RUN_MAX_D);
  requireInteger(fn, "hidden", c.hidden, 1, 100_000);
  requirePositive(fn, "scaleFactor", c.scaleFactor);
  requireInteger(fn, "epochs", c.epochs, 1, 1000);
  requireInteger(fn, "batchSize", c.batchSize, 1, 2 ** c.d);
  requirePositive(fn, "lr", c.lr);
  if (!c.trainer) fail(fn, "trainer", c.trainer, "must name the trainer and its version");
}

export interface LinearRun {
  run: number;
  /** Training accuracy over all 2^d points, and whether it is 1 (a valid experiment). */
  accuracy: number;
  valid: boolean;
  loss: number;
  /** cos∠(W₁ − W₂, a_d) and cos∠(W₁, last row of A⁻¹) (section 6, θ₁ and θ₂). */
  cos1: number;
  cos2: number;
  /** Theorem 6's compression φ = |R_dd| / ‖a_d‖, and ‖a_d‖. */
  phi: number;
  adNorm: number;
  /** The trained network's exact minimal perturbation over ‖a_d‖: the smallest over all points, and the median. */
  minimalWorst: number;
  minimalMedian: number;
  /**
   * The decision function's terms over ‖W₁ − W₂‖·‖a_d‖: with c_i = (W₁ − W₂)·a_i and b the bias
   * difference, f(z) = Σ c_i z_i + b; |cos θ₁| is |c_d|'s share, these are Σ_{i<d} |c_i|'s and |b|'s.
   * For an accurate network the worst point's perturbation is |cos θ₁| − othersShare − biasShare.
   */
  othersShare: number;
  biasShare: number;
  /** The optimal classifier's exact robustness min_u ‖Au‖ (sphere decoder) over ‖a_d‖. */
  optimal: number;
  /** The optimal classifier's exact radius (half the distance to the other class) at the network's worst and median points, over ‖a_d‖. */
  optimalAtWorst: number;
  optimalAtMedian: number;
}

/** Section 6's data set of a run: A (d × d, leading columns scaled) from the run's data stream. */
export function linearRunMatrix(c: Pick<LinearRunConfig, "d" | "scaleFactor">, s: RunSeed) {
  return scaleLeadingColumns(gaussianMatrix(runRng(s, "data"), c.d, c.d), c.scaleFactor);
}

/**
 * Trains and measures one run; deterministic given (config, seed path) and the trainer.
 * @param c the run's config (section 6: d = 12, hidden 3000, ×5, 20 epochs, PyTorch's Adam)
 */
export async function linearRun(
  c: LinearRunConfig,
  s: RunSeed,
  onEpoch?: (epoch: number) => void,
): Promise<LinearRun> {
  validateLinearRunConfig("linearRun", c);
  const A = linearRunMatrix(c, s);
  const { X, y, Xd } = hypercubeRows(A);
  const train: TrainConfig = {
    hidden: c.hidden,
    epochs: c.epochs,
    batchSize: c.batchSize,
    lr: c.lr,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
    formulation: "composed",
  };
  const init = pytorchInit(runRng(s, "init"), c.d, c.hidden);
  const res = trainLinearNetFast(init, { X, y, d: c.d }, train, runRng(s, "shuffle"), onEpoch);
  const { W, c: bias } = endToEnd(res.params);
  const d = c.d;
  const ad = A.getColumn(d - 1);
  const adNorm = norm(ad);
  const dw = sub(W[0], W[1]);
  const dwNorm = norm(dw);
  // Distance of every point to the decision boundary (f₀ − f₁ = dw·x + db = 0): the closed-form
  // minimal perturbation of a two-class linear classifier at that point.
  const distances = new Float64Array(y.length);
  for (let k = 0; k < y.length; k++) {
    let f = bias[0] - bias[1];
    for (let j = 0; j < d; j++) f += dw[j] * Xd.get(j, k);
    distances[k] = Math.abs(f) / dwNorm;
  }
  const order = Array.from(distances.keys()).sort((a, b) => distances[a] - distances[b]);
  let others = 0;
  for (let i = 0; i < d - 1; i++) {
    let ci = 0;
    for (let j = 0; j < d; j++) ci += dw[j] * A.get(j, i);
    others += Math.abs(ci);
  }
  const worstPoint = order[0];
  const medianPoint = order[Math.floor(order.length / 2)];
  const radiusAt = (k: number) => optimalRadiusAt(A, pointSigns(k, d)).radius / adNorm;
  return {
    run: s.run,
    accuracy: res.accuracy,
    valid: res.accuracy === 1,
    loss: res.loss,
    cos1: cosine(dw, ad),
    cos2: cosine(W[0], inverse(A).getRow(d - 1)),
    phi: Math.abs(qrR(A).get(d - 1, d - 1)) / adNorm,
    adNorm,
    minimalWorst: distances[worstPoint] / adNorm,
    minimalMedian: distances[medianPoint] / adNorm,
    othersShare: others / (dwNorm * adNorm),
    biasShare: Math.abs(bias[0] - bias[1]) / (dwNorm * adNorm),
    optimal: latticeMinimumSphere(A).value / adNorm,
    optimalAtWorst: radiusAt(worstPoint),
    optimalAtMedian: radiusAt(medianPoint),
  };
}

const num = cacheSchema.number;
/** Rounding slack of ranges checked on float results (a cosine of 1 + 1e-16 is a cosine). */
const SLACK = 1e-9;

/**
 * The shape of a cached linear run and the ranges of its numbers (checked on every read of the
 * cache, lib/experiments/cache.ts): a cosine is in [−1, 1]; φ = |R_dd|/‖a_d‖ and the optimal
 * robustness over ‖a_d‖ are at most 1 (u = e_d is feasible); a run is valid exactly when its
 * accuracy is 1.
 */
export const linearRunSchema: Schema<LinearRun> = cacheSchema.refine(
  cacheSchema.object({
    run: num({ integer: true, min: 0 }),
    accuracy: num({ min: 0, max: 1 }),
    valid: cacheSchema.boolean(),
    loss: num(),
    cos1: num({ min: -1 - SLACK, max: 1 + SLACK }),
    cos2: num({ min: -1 - SLACK, max: 1 + SLACK }),
    phi: num({ min: 0, max: 1 + SLACK }),
    adNorm: num({ min: 0 }),
    minimalWorst: num(),
    minimalMedian: num(),
    othersShare: num(),
    biasShare: num(),
    optimal: num({ min: 0, max: 1 + SLACK }),
    optimalAtWorst: num(),
    optimalAtMedian: num(),
  }) as Schema<LinearRun>,
  (r) => (r.valid === (r.accuracy === 1) ? null : "valid disagrees with accuracy"),
);

/** Why a cached payload is not a linear run (null when it is): linearRunSchema's answer. */
export function linearRunProblem(x: unknown): string | null {
  return linearRunSchema.check(x, "run");
}

/** A cached payload has a run's shape. */
export function isLinearRun(x: unknown): x is LinearRun {
  return linearRunProblem(x) === null;
}
