/**
 * Section 6, non-linear networks (Table 3): ReLU networks d → hidden… → 2 trained on x = A z over all
 * z ∈ {±1}^d, kept when their training accuracy is 1; for each, ρ(α) = ‖P_{∇f_1(x) − ∇f_2(x)}(x_1 − x_2)‖
 * / ‖x_1 − x_2‖ on the α stencil, and what the paper leaves out: the perturbation an attack needs
 * (DeepFool with bisection and restarts) against ρ's first-order prediction and the optimal
 * (minimum-distance) classifier.
 *
 * One-hidden-layer networks train with the exact hypercube trainer (training/hypercube-relu.ts:
 * float64 JavaScript and WebAssembly SIMD, no tfjs); deeper ones with tfjs (`trainMlp`).
 */
import * as path from "path";
import type { Matrix } from "ml-matrix";
import { deepfool } from "../attacks/deepfool";
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import { qrR } from "../linalg/qr";
import { norm, sub } from "../linalg/vectors";
import { latticeMinimumSphere } from "../optimal/lattice";
import { gaussianMatrix } from "../random/gaussian";
import { Rng } from "../random/rng";
import { hypercubeData, hypercubeRows, scaleLeadingColumns } from "../data/hypercube";
import { rhoFromGradients, theorem7Geometry, theorem7Pair } from "../theorems/theorem7";
import { HYPERCUBE_RELU_VERSION, HypercubeRelu } from "../training/hypercube-relu";
import { PYTORCH_ADAM } from "../training/linear-net";
import {
  mlpClassifier,
  mlpForward64,
  mlpInit,
  mlpInputGradients64,
  trainMlp,
  type MlpParams,
} from "../training/mlp";
import { cacheKey, readCache, writeCache, type CacheStatus } from "./cache";
import type { Scale } from "./config";
import { runPool } from "./pool";

/** What determines a trained network: data dimension, widths, column scaling and batch size. */
export interface Table3Setting {
  d: number;
  /** Hidden widths: [3000] in Table 3. */
  hidden: number[];
  /** Every column of A but the last is multiplied by this (1: plain Gaussian A). */
  scaleFactor: number;
  batchSize: number;
}

export interface Table3Config {
  /** The main protocol's setting (section 6: d = 12, one hidden layer of 3000). */
  setting: Table3Setting;
  epochs: number;
  /** Accurate networks wanted (section 6: 50), and the most runs tried for them. */
  accurate: number;
  maxRuns: number;
  /** The α stencil (section 6's table). */
  alphas: number[];
  /** Training points attacked per accurate network (b_1 and b_2 first, then random points). */
  attackPoints: number;
  /** DeepFool restarts per point. */
  restarts: number;
  /** Sweep: batch sizes × column scalings, `sweepRuns` paired runs each. */
  sweepBatchSizes: number[];
  sweepScales: number[];
  sweepRuns: number;
  /** Depth: hidden widths tried, accurate networks wanted for each, and a run cap. */
  depthHidden: number[][];
  depthAccurate: number;
  depthMaxRuns: number;
  /** Dimension: d values tried (the batch keeps the main setting's fraction of the 2^d points), accurate networks per d, run cap. */
  dims: number[];
  dimsAccurate: number;
  dimsMaxRuns: number;
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  workers: number;
}

export const TABLE3_ALPHAS = [0, 0.111, 0.222, 0.333, 0.444, 0.556, 0.667, 0.778, 0.889, 1];

export const table3Defaults: Record<Scale, Table3Config> = {
  quick: {
    setting: { d: 8, hidden: [256], scaleFactor: 5, batchSize: 16 },
    epochs: 20,
    accurate: 6,
    maxRuns: 40,
    alphas: TABLE3_ALPHAS,
    attackPoints: 4,
    restarts: 1,
    sweepBatchSizes: [16, 64, 256],
    sweepScales: [5, 1],
    sweepRuns: 4,
    depthHidden: [[256], [256, 256]],
    depthAccurate: 3,
    depthMaxRuns: 16,
    dims: [6, 8, 10],
    dimsAccurate: 4,
    dimsMaxRuns: 20,
    ...PYTORCH_ADAM,
    workers: 2,
  },
  paper: {
    setting: { d: 12, hidden: [3000], scaleFactor: 5, batchSize: 256 },
    epochs: 20,
    accurate: 50,
    maxRuns: 400,
    alphas: TABLE3_ALPHAS,
    attackPoints: 8,
    restarts: 2,
    sweepBatchSizes: [64, 128, 256, 512, 1024, 2048, 4096],
    sweepScales: [5, 1],
    sweepRuns: 8,
    depthHidden: [[128], [128, 128], [128, 128, 128]],
    depthAccurate: 6,
    depthMaxRuns: 30,
    dims: [6, 8, 10, 12, 14],
    dimsAccurate: 10,
    dimsMaxRuns: 60,
    ...PYTORCH_ADAM,
    workers: 2,
  },
};

export function validateTable3Setting(fn: string, s: Table3Setting): void {
  requireInteger(fn, "setting.d", s.d, 3, 16);
  if (!Array.isArray(s.hidden) || s.hidden.length === 0)
    fail(fn, "setting.hidden", s.hidden, "must list at least one hidden width");
  s.hidden.forEach((h, i) => requireInteger(fn, `setting.hidden[${i}]`, h, 1));
  requirePositive(fn, "setting.scaleFactor", s.scaleFactor);
  requireInteger(fn, "setting.batchSize", s.batchSize, 1);
}

export function validateTable3Config(c: Table3Config): void {
  const fn = "validateTable3Config";
  validateTable3Setting(fn, c.setting);
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "accurate", c.accurate, 1);
  requireInteger(fn, "maxRuns", c.maxRuns, c.accurate);
  c.alphas.forEach((a, i) => requireInRange(fn, `alphas[${i}]`, a, 0, 1));
  requireInteger(fn, "attackPoints", c.attackPoints, 2);
  requireInteger(fn, "restarts", c.restarts, 0);
  c.sweepBatchSizes.forEach((b, i) => requireInteger(fn, `sweepBatchSizes[${i}]`, b, 1));
  c.sweepScales.forEach((s, i) => requirePositive(fn, `sweepScales[${i}]`, s));
  requireInteger(fn, "sweepRuns", c.sweepRuns, 1);
  c.depthHidden.forEach((h) => validateTable3Setting(fn, { ...c.setting, hidden: h }));
  requireInteger(fn, "depthAccurate", c.depthAccurate, 1);
  requireInteger(fn, "depthMaxRuns", c.depthMaxRuns, c.depthAccurate);
  c.dims.forEach((d, i) => requireInteger(fn, `dims[${i}]`, d, 3, 16));
  requireInteger(fn, "dimsAccurate", c.dimsAccurate, 1);
  requireInteger(fn, "dimsMaxRuns", c.dimsMaxRuns, c.dimsAccurate);
  requirePositive(fn, "lr", c.lr);
  requireInteger(fn, "workers", c.workers, 1, 64);
}

export interface AttackedPoint {
  /** Hypercube index of the point (b_1, b_2, then random points). */
  index: number;
  /** DeepFool's smallest verified decision-changing perturbation. */
  actual: number;
  /** The linearised distance |f_1 − f_0| / ‖∇(f_1 − f_0)‖ at the point (DeepFool's first step). */
  linearised: number;
  /** Half the distance to the nearest point of the other class: the optimal classifier's guaranteed radius there. */
  optimalRadius: number;
}

export interface Table3Run {
  run: number;
  accuracy: number;
  valid: boolean;
  loss: number;
  /** ρ at each α of the stencil (for valid and invalid networks alike). */
  rho: number[];
  /** |R_dd| / ‖a_d‖ (Theorem 6's compression) and ‖a_d‖. */
  phi: number;
  adNorm: number;
  /** For valid networks of an attacked setting. */
  attack?: {
    points: AttackedPoint[];
    /** The optimal classifier's exact worst-case robustness min_u ‖Au‖ (sphere decoder). */
    optimalWorst: number;
  };
}

/** A of run `run` (seeded by [seed, run, 0], the Tables 1–2 stream): Gaussian, leading columns scaled. */
export function table3Matrix(s: Table3Setting, seed: number, run: number): Matrix {
  return scaleLeadingColumns(gaussianMatrix(new Rng([seed, run, 0]), s.d, s.d), s.scaleFactor);
}

/** Trains run `run` of a setting: the exact hypercube trainer for one hidden layer, tfjs otherwise. */
export async function table3Train(
  s: Table3Setting,
  c: Pick<Table3Config, "epochs" | "lr" | "beta1" | "beta2" | "eps">,
  seed: number,
  run: number,
  onEpoch?: (e: number) => void,
): Promise<{ A: Matrix; params: MlpParams; accuracy: number; loss: number }> {
  validateTable3Setting("table3Train", s);
  const A = table3Matrix(s, seed, run);
  const init = mlpInit(new Rng([seed, run, 1]), [s.d, ...s.hidden, 2]);
  const train = {
    epochs: c.epochs,
    batchSize: s.batchSize,
    lr: c.lr,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
  };
  if (s.hidden.length === 1) {
    const res = new HypercubeRelu(A, s.hidden[0]).train(
      init,
      train,
      new Rng([seed, run, 2]),
      onEpoch,
    );
    return { A, ...res };
  }
  const res = await trainMlp(init, hypercubeRows(A), train, new Rng([seed, run, 2]), onEpoch);
  return { A, params: res.params, accuracy: res.accuracy, loss: Number.NaN };
}

/** ρ(α) on the stencil for network p on A, at the pair (b_1, b_2) drawn by [seed, run, 3]. */
export function table3Rho(
  p: MlpParams,
  A: Matrix,
  alphas: readonly number[],
  seed: number,
  run: number,
): number[] {
  const { b1, b2 } = theorem7Pair(A, new Rng([seed, run, 3]));
  return alphas.map((alpha) => {
    const { x, x1, x2 } = theorem7Geometry(b1, b2, alpha);
    return rhoFromGradients(mlpInputGradients64(p, x), x1, x2);
  });
}

/** The attack study of one accurate network: DeepFool at b_1, b_2 and random training points. */
export function table3Attack(
  p: MlpParams,
  A: Matrix,
  c: Pick<Table3Config, "attackPoints" | "restarts">,
  seed: number,
  run: number,
): NonNullable<Table3Run["attack"]> {
  const d = A.rows;
  const { X, Z } = hypercubeData(A);
  const n = Z.columns;
  const col = (k: number) => X.getColumn(k);
  const { z } = theorem7Pair(A, new Rng([seed, run, 3]));
  // Hypercube index of a sign vector: bit d−1−i set iff z_i = −1.
  const indexOf = (v: number[]) => v.reduce((k, zi, i) => k | (zi < 0 ? 1 << (d - 1 - i) : 0), 0);
  const i1 = indexOf(z);
  const i2 = i1 ^ 1;
  const pick = new Rng([seed, run, 4]);
  const chosen = [i1, i2];
  while (chosen.length < Math.min(c.attackPoints, n)) {
    const k = Math.floor(pick.uniform() * n);
    if (!chosen.includes(k)) chosen.push(k);
  }
  const clf = mlpClassifier(p);
  const points = chosen.map((k, t) => {
    const x = col(k);
    const f = mlpForward64(p, x);
    const g = mlpInputGradients64(p, x);
    const linearised = Math.abs(f[1] - f[0]) / norm(sub(g[1], g[0]));
    const attack = deepfool(clf, x, { restarts: c.restarts, rng: new Rng([seed, run, 5, t]) });
    let best = Infinity;
    const own = Z.get(d - 1, k);
    for (let q = 0; q < n; q++) {
      if (Z.get(d - 1, q) === own) continue;
      let s2 = 0;
      for (let i = 0; i < d; i++) s2 += (X.get(i, q) - x[i]) ** 2;
      best = Math.min(best, s2);
    }
    return { index: k, actual: attack.norm, linearised, optimalRadius: Math.sqrt(best) / 2 };
  });
  return { points, optimalWorst: latticeMinimumSphere(A).value };
}

/** One run, trained and measured; deterministic given (setting, config, seed, run) and the trainer. */
export async function table3Run(
  s: Table3Setting,
  c: Table3Config,
  seed: number,
  run: number,
  attack: boolean,
  onEpoch?: (e: number) => void,
): Promise<Table3Run> {
  const { A, params, accuracy, loss } = await table3Train(s, c, seed, run, onEpoch);
  const d = s.d;
  const adNorm = norm(A.getColumn(d - 1));
  const valid = accuracy === 1;
  return {
    run,
    accuracy,
    valid,
    loss,
    rho: table3Rho(params, A, c.alphas, seed, run),
    phi: Math.abs(qrR(A).get(d - 1, d - 1)) / adNorm,
    adNorm,
    ...(attack && valid ? { attack: table3Attack(params, A, c, seed, run) } : {}),
  };
}

/** Which trainer a setting uses (recorded with the results and part of the cache key). */
export function table3Trainer(s: Table3Setting, tfjsBackend: string): string {
  return s.hidden.length === 1
    ? `hypercube trainer v${HYPERCUBE_RELU_VERSION} (float64 JavaScript + WebAssembly SIMD)`
    : `tfjs ${tfjsBackend}`;
}

export interface Table3Series {
  setting: Table3Setting;
  trainer: string;
  /** Every run trained, in index order (the protocol stops at the run that completes `want` accurate ones). */
  runs: Table3Run[];
  /** Runs that reached training accuracy 1, in index order (at most `want`). */
  accurate: Table3Run[];
  /** Runs needed for that many accurate networks (the index of the last one + 1), or all runs tried. */
  runsNeeded: number;
  cache: CacheStatus[];
}

export interface SeriesRequest {
  setting: Table3Setting;
  /** Stop at this many accurate networks (or `runs` runs), or train exactly `runs` runs when want is null. */
  want: number | null;
  runs: number;
  attack: boolean;
}

export interface Table3Progress {
  done: number;
  accurate: number;
  running: Map<number, number>;
}

/**
 * Trains the runs of a series on worker threads, each run cached on its own (data/cache/, keyed by
 * setting, config, seed, run and trainer) so that series sharing runs share the work. Runs start in
 * index order; with `want`, no run starts once the runs so far already hold `want` accurate networks,
 * and the series is cut at the run completing them, so the result does not depend on timing.
 */
export async function table3Series(
  c: Table3Config,
  seed: number,
  req: SeriesRequest,
  tfjsBackend: string,
  options: { force?: boolean; cacheDir?: string; onProgress?: (p: Table3Progress) => void } = {},
): Promise<Table3Series> {
  validateTable3Config(c);
  validateTable3Setting("table3Series", req.setting);
  requireInteger("table3Series", "runs", req.runs, 1);
  const trainer = table3Trainer(req.setting, tfjsBackend);
  // What a run's numbers depend on besides the setting (not the protocol's counts or the threads).
  const measured = {
    epochs: c.epochs,
    alphas: c.alphas,
    attackPoints: c.attackPoints,
    restarts: c.restarts,
    lr: c.lr,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
  };
  const keyOf = (run: number) =>
    cacheKey("table3", { setting: req.setting, measured, seed, run, attack: req.attack, trainer });
  const results = new Map<number, Table3Run>();
  const status = new Map<number, CacheStatus>();
  const progress: Table3Progress = { done: 0, accurate: 0, running: new Map() };
  const enough = () => {
    if (req.want === null) return false;
    let acc = 0;
    for (let r = 0; r < req.runs; r++) {
      const res = results.get(r);
      if (!res) return false;
      if (res.valid && ++acc >= req.want) return true;
    }
    return false;
  };
  // Cached runs first, in order, as far as they go.
  const toStart: number[] = [];
  for (let r = 0; r < req.runs && !enough(); r++) {
    const hit = options.force ? null : readCache<Table3Run>(keyOf(r), options.cacheDir).payload;
    if (hit) {
      results.set(r, hit);
      status.set(r, "hit");
    } else toStart.push(r);
  }
  let nextRun = 0;
  if (!enough() && toStart.length > 0) {
    await runPool<number, Table3Run>({
      script: path.join(__dirname, "table3-worker.js"),
      workerData: {
        config: c,
        seed,
        setting: req.setting,
        attack: req.attack,
        backend: tfjsBackend,
      },
      workers: c.workers,
      // Runs start in index order until the finished prefix holds `want` accurate networks; runs
      // still in flight then finish (and are cached) but are not part of the series.
      next: () => (enough() ? undefined : toStart[nextRun++]),
      onResult: (run, res) => {
        results.set(run, res);
        status.set(run, options.force ? "forced" : "miss");
        writeCache(keyOf(run), res, options.cacheDir);
        progress.done += 1;
        progress.accurate += res.valid ? 1 : 0;
        progress.running.delete(run);
        options.onProgress?.(progress);
      },
      onProgress: (run, epoch) => {
        progress.running.set(run, epoch);
        options.onProgress?.(progress);
      },
    });
  }
  // The series: runs in index order up to the one completing `want` accurate networks.
  const runs: Table3Run[] = [];
  const accurate: Table3Run[] = [];
  const cache: CacheStatus[] = [];
  for (let r = 0; r < req.runs; r++) {
    const res = results.get(r);
    if (!res) break;
    runs.push(res);
    cache.push(status.get(r) ?? "miss");
    if (res.valid) accurate.push(res);
    if (req.want !== null && accurate.length >= req.want) break;
  }
  if (req.want === null && runs.length !== req.runs)
    fail("table3Series", "runs", req.runs, `only ${runs.length} runs finished`);
  return { setting: req.setting, trainer, runs, accurate, runsNeeded: runs.length, cache };
}
