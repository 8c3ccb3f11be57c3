/**
 * Theorem 7 on trained ReLU networks (section 6's data, "Nonlinear networks"): the networks, their
 * input gradients checked against finite differences, the construction swept over ε around the
 * edge of x's linear region, the remark's single-gradient perturbation against a derivative-free
 * search for the smallest one, the compression of accurate trained networks beside the Gaussian
 * case's 2/d, and a check of the Gaussian case's sampler. This module supplies the network to lib/theorems/theorem7.ts
 * (outputs and input gradients) and knows the ReLU structure (activation patterns, linear regions).
 */
import type { Matrix } from "ml-matrix";
import type { TestInput } from "../claims/ledger";
import type { Headline } from "../claims/outputs";
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import {
  hypercubeData,
  hypercubeRows,
  MAX_HYPERCUBE_DIM,
  scaleLeadingColumns,
} from "../data/hypercube";
import { dot, norm, sub } from "../linalg/vectors";
import { gaussianMatrix, gaussianVector } from "../random/gaussian";
import { Rng } from "../random/rng";
import { meanTTest } from "../stats/hypothesis";
import { mean } from "../stats/summary";
import { equivalenceTest } from "../stats/twosample";
import {
  compressionFromGradients,
  gaussianCompression,
  rhoFromGradients,
  singleGradientAttack,
  smallestPerturbationToLevel,
  theorem7Attack,
  theorem7Geometry,
  theorem7Pair,
  type LevelSearch,
  type SingleGradientAttack,
  type Theorem7Attack,
  type Theorem7Network,
  type Theorem7Point,
} from "../theorems/theorem7";
import { PYTORCH_ADAM } from "../training/linear-net";
import {
  mlpForward64,
  mlpInit,
  mlpInputGradients,
  mlpInputGradients64,
  mlpPreActivations64,
  trainMlp,
  type MlpParams,
} from "../training/mlp";
import { HypercubeRelu } from "../training/hypercube-relu";
import type { Scale } from "./config";

export interface Theorem7Config {
  /** Input dimension (section 6: 12); all 2^d points are the training set. */
  d: number;
  /** Every column of A but the last is multiplied by this (section 6: 5). */
  scaleFactor: number;
  /**
   * Hidden widths of the architectures. The first has one hidden layer (section 6's network,
   * trained by the exact hypercube trainer): its accurate networks are Step 5's sample. Each other
   * architecture trains `stepRuns` networks (tfjs when deeper) for Steps 2–4 only.
   */
  networks: number[][];
  /**
   * Accurate networks (training accuracy 1, as section 6 keeps) of the first architecture that
   * Step 5 wants, and the most runs it may train to get them (run r: its own data A and
   * initialisation).
   */
  accurate: number;
  maxRuns: number;
  /** Networks trained per other architecture; Steps 2–4 use the most accurate. */
  stepRuns: number;
  /** Epochs and mini-batch size (Adam with PyTorch's defaults). */
  epochs: number;
  batchSize: number;
  /** The α of x = αb_1 + (1 − α)b_2 (section 6's stencil point 0.444). */
  alpha: number;
  /** Pairs (b_1, b_2) per network in Step 5 (all 2^(d−1) when this is at least that many). */
  pairs: number;
  /**
   * Step 5's margin: the finding is that the geometric mean over accurate networks of their mean
   * squared compression over 2/d lies within [1/margin, margin].
   */
  margin: number;
  /** ε of the sweep as multiples of ε*, the radius of x's linear region along the rays used. */
  epsilonFactors: number[];
  /** Points of the gradient check, and the central-difference step. */
  gradientPoints: number;
  differenceStep: number;
  /** Random starts of the derivative-free search for the smallest perturbation. */
  searchStarts: number;
  /** Dimensions and draws per dimension of the Gaussian case's sampler (checked, and drawn). */
  gaussianDims: number[];
  gaussianDraws: number;
}

const EPSILON_FACTORS = [0.01, 0.5, 0.99, 1.01, 2, 10, 100];

/**
 * Batch 16: the smallest of notebook 09's grid (section 6 does not state the batch); the width is
 * section 6's 3000 at both scales. Accurate networks: at batch 16 about 2 in 5 runs at d = 8 and
 * 4 in 5 at d = 12 (pilot runs at seeds other than the notebook's).
 */
export const theorem7Defaults: Record<Scale, Theorem7Config> = {
  quick: {
    d: 8,
    scaleFactor: 5,
    networks: [[3000], [32, 32]],
    accurate: 60,
    maxRuns: 400,
    stepRuns: 2,
    epochs: 20,
    batchSize: 16,
    alpha: 0.444,
    pairs: 128,
    margin: 2,
    epsilonFactors: EPSILON_FACTORS,
    gradientPoints: 4,
    differenceStep: 1e-6,
    searchStarts: 3,
    gaussianDims: [12, 200],
    gaussianDraws: 2000,
  },
  paper: {
    d: 12,
    scaleFactor: 5,
    networks: [[3000], [256, 256]],
    accurate: 30,
    maxRuns: 120,
    stepRuns: 1,
    epochs: 20,
    batchSize: 16,
    alpha: 0.444,
    pairs: 512,
    margin: 2,
    epsilonFactors: EPSILON_FACTORS,
    gradientPoints: 4,
    differenceStep: 1e-6,
    searchStarts: 3,
    gaussianDims: [12, 200, 1000],
    gaussianDraws: 2000,
  },
};

/**
 * What the machine can do, from measurements on this kind of machine (2 cores shared by several
 * users), and the limits a run must stay within. hypercubeRate: multiply-adds per second of the
 * exact hypercube trainer counted as tfjs would do them (12→3000→2, 20 epochs of 4096 points at
 * batch 16: 1.0e10 in 0.7 s, taken at a third of that for load); trainingRate: tfjs WebAssembly
 * multiply-adds per second (12→3000→2 at batch 512: 1.1e10 in 11 s); stepSeconds: tfjs's overhead
 * per Adam step whatever the size (8→64→2 at batch 16: 320 steps in 0.3 s); float64Rate:
 * multiply-adds per second of float64 forward passes and gradients in plain JavaScript;
 * gaussianRate: coordinates of (g_1, g_2, v) drawn and projected per second (half that under a
 * load of 14 on 2 cores).
 */
export const THEOREM7_LIMITS = {
  hypercubeRate: 5e9,
  trainingRate: 1e9,
  stepSeconds: 1e-3,
  float64Rate: 3e8,
  gaussianRate: 2e6,
  seconds: 1800,
  bytes: 2 * 1024 ** 3,
};

/** Parameters of a d → hidden… → 2 network. */
function parameterCount(d: number, hidden: readonly number[]): number {
  const w = [d, ...hidden, 2];
  let n = 0;
  for (let i = 0; i + 1 < w.length; i++) n += w[i] * w[i + 1] + w[i + 1];
  return n;
}

/** Pairs (b_1, b_2) per network in Step 5: `pairs`, or all 2^(d−1) when fewer. */
export function theorem7PairCount(c: Pick<Theorem7Config, "d" | "pairs">): number {
  return Math.min(c.pairs, 2 ** (c.d - 1));
}

/**
 * Estimated seconds of a config's work, at the worst case of `maxRuns` runs: training, Step 5's
 * pairs, the Gaussian case.
 */
export function theorem7Seconds(c: Theorem7Config): {
  training: number;
  pairs: number;
  gaussian: number;
} {
  const L = THEOREM7_LIMITS;
  const [first, ...others] = c.networks;
  const points = c.epochs * 2 ** c.d;
  const steps = c.epochs * Math.ceil(2 ** c.d / c.batchSize);
  // forward and backward: about 3 multiply-adds per parameter and point
  const tfjs = others.reduce(
    (s, h) =>
      s +
      c.stepRuns *
        (h.length === 1
          ? (points * parameterCount(c.d, h) * 3) / L.hypercubeRate
          : (points * parameterCount(c.d, h) * 3) / L.trainingRate + steps * L.stepSeconds),
    0,
  );
  return {
    training: (c.maxRuns * points * parameterCount(c.d, first) * 3) / L.hypercubeRate + tfjs,
    // a forward pass and two back-propagations per point
    pairs: (c.accurate * theorem7PairCount(c) * parameterCount(c.d, first) * 5) / L.float64Rate,
    gaussian: (c.gaussianDims.reduce((s, d) => s + d, 0) * c.gaussianDraws * 2) / L.gaussianRate,
  };
}

/**
 * Refuses, before any work, a config that is malformed or beyond what the machine can do: the
 * bound and the reason (time at the measured rates of THEOREM7_LIMITS, or memory) are in the
 * message.
 */
export function validateTheorem7Config(c: Theorem7Config): void {
  const fn = "validateTheorem7Config";
  const L = THEOREM7_LIMITS;
  requireInteger(fn, "d", c.d, 3);
  if (c.d > MAX_HYPERCUBE_DIM)
    fail(
      fn,
      "d",
      c.d,
      `must be <= ${MAX_HYPERCUBE_DIM}: the 2^d training points are held in memory`,
    );
  requirePositive(fn, "scaleFactor", c.scaleFactor);
  if (!Array.isArray(c.networks) || c.networks.length === 0)
    fail(fn, "networks", c.networks, "must list at least one architecture");
  c.networks.forEach((h, k) => {
    if (!Array.isArray(h) || h.length === 0)
      fail(fn, `networks[${k}]`, h, "must list at least one hidden width");
    h.forEach((w, i) => requireInteger(fn, `networks[${k}][${i}]`, w, 1));
  });
  if (c.networks[0].length !== 1)
    fail(fn, "networks[0]", c.networks[0], "must have one hidden layer (Step 5's networks)");
  requireInteger(fn, "accurate", c.accurate, 3);
  requireInteger(fn, "maxRuns", c.maxRuns, c.accurate);
  requireInteger(fn, "stepRuns", c.stepRuns, 1);
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "batchSize", c.batchSize, 1, 2 ** c.d);
  requireInRange(fn, "alpha", c.alpha, 0, 1, [false, false]);
  requireInteger(fn, "pairs", c.pairs, 1);
  requireInRange(fn, "margin", c.margin, 1, Infinity, [false, false]);
  c.epsilonFactors.forEach((f, i) => requirePositive(fn, `epsilonFactors[${i}]`, f));
  if (!c.epsilonFactors.some((f) => f < 1) || !c.epsilonFactors.some((f) => f > 1))
    fail(fn, "epsilonFactors", c.epsilonFactors, "must hold factors below and above 1");
  requireInteger(fn, "gradientPoints", c.gradientPoints, 1, 1000);
  requireInRange(fn, "differenceStep", c.differenceStep, 0, 1e-2, [false, true]);
  requireInteger(fn, "searchStarts", c.searchStarts, 1, 100);
  if (c.gaussianDims.length === 0)
    fail(fn, "gaussianDims", c.gaussianDims, "must list at least one dimension");
  c.gaussianDims.forEach((d, i) => requireInteger(fn, `gaussianDims[${i}]`, d, 3, 1e5));
  requireInteger(fn, "gaussianDraws", c.gaussianDraws, 3);
  // Memory: the Gaussian draws (three float64 per draw and d), Adam's state (4 copies of the
  // parameters) and a batch's activations (forward and backward).
  const gaussianBytes = 3 * 8 * c.gaussianDraws * c.gaussianDims.length;
  if (gaussianBytes > L.bytes)
    fail(fn, "gaussianDraws", c.gaussianDraws, `needs ${gb(gaussianBytes)}, over ${gb(L.bytes)}`);
  c.networks.forEach((h, k) => {
    const bytes = 16 * parameterCount(c.d, h) + 12 * c.batchSize * h.reduce((s, w) => s + w, 0);
    if (bytes > L.bytes)
      fail(fn, `networks[${k}]`, h, `needs ${gb(bytes)} to train, over ${gb(L.bytes)}`);
  });
  const s = theorem7Seconds(c);
  const total = s.training + s.pairs + s.gaussian;
  if (total > L.seconds) {
    // Name the parameter that is furthest above its paper-scale value.
    const p = theorem7Defaults.paper;
    const params = (x: Theorem7Config) =>
      x.networks.reduce((t, h) => t + parameterCount(x.d, h), 0);
    const ratios: Array<[string, unknown, number]> = [
      ["d", c.d, 2 ** (c.d - p.d)],
      ["networks", c.networks, params({ ...p, networks: c.networks }) / params(p)],
      ["maxRuns", c.maxRuns, c.maxRuns / p.maxRuns],
      ["stepRuns", c.stepRuns, c.stepRuns / p.stepRuns],
      ["epochs", c.epochs, c.epochs / p.epochs],
      ["gaussianDraws", c.gaussianDraws, c.gaussianDraws / p.gaussianDraws],
    ];
    const [name, value] = ratios.reduce((a, b) => (b[2] > a[2] ? b : a));
    fail(
      fn,
      name,
      value,
      `makes the run take about ${Math.round(total / 60)} minutes, over the limit of ` +
        `${L.seconds / 60}: training ${Math.round(s.training)} s (the hypercube trainer at ` +
        `${L.hypercubeRate.toExponential(0)} multiply-adds/s; tfjs WebAssembly at ` +
        `${L.trainingRate.toExponential(0)} multiply-adds/s and ${L.stepSeconds} s per step), ` +
        `the pairs ${Math.round(s.pairs)} s (${L.float64Rate.toExponential(0)}/s in float64), ` +
        `the Gaussian case ${Math.round(s.gaussian)} s`,
    );
  }
}

function gb(bytes: number): string {
  return `${(bytes / 1024 ** 3).toFixed(1)} GiB`;
}

/** "12→3000→2". */
export function theorem7Label(d: number, hidden: readonly number[]): string {
  return [d, ...hidden, 2].join("→");
}

/**
 * Section 6's data of run `run`: A Gaussian (stream [seed, run, 0]) with every column but the last
 * ×scaleFactor, and all 2^d points A z as training rows, labelled by z_d.
 */
export function theorem7Data(
  c: Pick<Theorem7Config, "d" | "scaleFactor">,
  seed: number,
  run: number,
) {
  const A = scaleLeadingColumns(gaussianMatrix(new Rng([seed, run, 0]), c.d, c.d), c.scaleFactor);
  return { A, ...hypercubeRows(A) };
}

export type TrainedNetwork = {
  /** "12→3000→2". */
  label: string;
  hidden: number[];
  run: number;
  /** Training accuracy (float64 forward). */
  accuracy: number;
  params: MlpParams;
  /** The run's data matrix (d × d, leading columns scaled). */
  A: Matrix;
  /** The network of Steps 2–4 for its architecture. */
  shown: boolean;
};

/** How an architecture's training went (one row per architecture). */
export type Theorem7TrainingRow = {
  network: string;
  /** Runs trained, and those that reached training accuracy 1. */
  runs: number;
  accurate: number;
  /** The lowest and highest training accuracy over the runs. */
  minAccuracy: number;
  maxAccuracy: number;
  /** The run of Steps 2–4, and its training accuracy. */
  shownRun: number;
  shownAccuracy: number;
};

export interface Theorem7Networks {
  /** The accurate networks of the first (one-hidden-layer) architecture, in run order: Step 5's. */
  accurate: TrainedNetwork[];
  /**
   * Per architecture, the network of Steps 2–4: the first accurate run of the first architecture
   * (its most accurate run if none is), the most accurate run (the first of equals) of the others.
   */
  shown: TrainedNetwork[];
  training: Theorem7TrainingRow[];
}

/**
 * Trains section 6's networks (run r: data [seed, r, 0], initialisation [seed, r, 1], shuffling
 * [seed, r, 2]; runs are paired across architectures: same A). The first architecture (one hidden
 * layer, the exact hypercube trainer) trains runs until `accurate` of them reach training accuracy
 * 1 or `maxRuns` have run; each other architecture trains `stepRuns` runs (tfjs when deeper).
 */
export async function trainTheorem7Networks(
  c: Theorem7Config,
  seed: number,
  onNetwork?: (label: string, run: number) => void,
): Promise<Theorem7Networks> {
  validateTheorem7Config(c);
  const accurate: TrainedNetwork[] = [];
  const shown: TrainedNetwork[] = [];
  const training: Theorem7TrainingRow[] = [];
  for (const [k, hidden] of c.networks.entries()) {
    const label = theorem7Label(c.d, hidden);
    let best: TrainedNetwork | null = null;
    const accuracies: number[] = [];
    const wanted = k === 0 ? c.accurate : Infinity;
    const runs = k === 0 ? c.maxRuns : c.stepRuns;
    let hits = 0;
    for (let run = 0; run < runs && hits < wanted; run++) {
      onNetwork?.(label, run);
      const { A, X, y } = theorem7Data(c, seed, run);
      const init = mlpInit(new Rng([seed, run, 1]), [c.d, ...hidden, 2]);
      const optim = { epochs: c.epochs, batchSize: c.batchSize, ...PYTORCH_ADAM };
      // One hidden layer: the exact hypercube trainer (the same network, loss, initialisation, Adam
      // rule and batch order as tfjs, tested against tfjs and PyTorch); deeper networks: tfjs.
      const res =
        hidden.length === 1
          ? new HypercubeRelu(A, hidden[0]).train(init, optim, new Rng([seed, run, 2]))
          : await trainMlp(init, { X, y, d: c.d }, optim, new Rng([seed, run, 2]));
      const net = {
        label,
        hidden,
        run,
        accuracy: res.accuracy,
        params: res.params,
        A,
        shown: false,
      };
      accuracies.push(net.accuracy);
      if (net.accuracy === 1) hits += 1;
      if (k === 0 && net.accuracy === 1) accurate.push(net);
      // The first architecture shows its first accurate run; the others their most accurate.
      const firstAccurate = k === 0 && hits === 1 && net.accuracy === 1;
      if (!best || firstAccurate || (net.accuracy > best.accuracy && best.accuracy < 1)) best = net;
    }
    best!.shown = true;
    shown.push(best!);
    training.push({
      network: label,
      runs: accuracies.length,
      accurate: hits,
      minAccuracy: Math.min(...accuracies),
      maxAccuracy: Math.max(...accuracies),
      shownRun: best!.run,
      shownAccuracy: best!.accuracy,
    });
  }
  return { accurate, shown, training };
}

/** The ReLU network as Theorem 7 sees it: float64 outputs and float64 back-propagated gradients. */
export function reluNetwork(p: MlpParams): Theorem7Network {
  return { outputs: (x) => mlpForward64(p, x), gradients: (x) => mlpInputGradients64(p, x) };
}

/** The on/off pattern of every hidden unit at x: equal patterns put points in one linear region. */
export function activationPattern(p: MlpParams, x: ArrayLike<number>): string {
  return mlpPreActivations64(p, x)
    .slice(0, -1)
    .map((layer) => layer.map((v) => (v > 0 ? "1" : "0")).join(""))
    .join("");
}

/**
 * x's linear region of a ReLU network: the points with x's activation pattern, a convex polyhedron
 * on which the network is affine. Under the pattern every hidden pre-activation is affine,
 * z_j(y) = rows[j]·y + offsets[j] (units × d), and the region is {y: sign z_j(y) = pattern_j}.
 */
export interface ReluRegion {
  pattern: string;
  /** units × d, all hidden layers in order. */
  rows: number[][];
  offsets: number[];
}

/** x's linear region (the affine pre-activations under x's pattern, layer by layer). */
export function reluRegion(p: MlpParams, x: readonly number[]): ReluRegion {
  const pre = mlpPreActivations64(p, x);
  const d = p.widths[0];
  let rows: number[][] = Array.from({ length: d }, (_, i) =>
    Array.from({ length: d }, (_, j) => (i === j ? 1 : 0)),
  );
  let offsets = new Array<number>(d).fill(0);
  let on = new Array<boolean>(d).fill(true);
  const allRows: number[][] = [];
  const allOffsets: number[] = [];
  for (let l = 0; l + 1 < p.weights.length; l++) {
    const out = p.widths[l + 1];
    const inp = p.widths[l];
    const w = p.weights[l];
    const nextRows: number[][] = [];
    const nextOffsets: number[] = [];
    for (let r = 0; r < out; r++) {
      const row = new Array<number>(d).fill(0);
      let off = p.biases[l][r];
      for (let c = 0; c < inp; c++) {
        if (!on[c]) continue;
        const wc = w[r * inp + c];
        if (wc === 0) continue;
        for (let j = 0; j < d; j++) row[j] += wc * rows[c][j];
        off += wc * offsets[c];
      }
      nextRows.push(row);
      nextOffsets.push(off);
    }
    rows = nextRows;
    offsets = nextOffsets;
    on = pre[l].map((v) => v > 0);
    allRows.push(...rows);
    allOffsets.push(...offsets);
  }
  return { pattern: activationPattern(p, x), rows: allRows, offsets: allOffsets };
}

/**
 * The largest t such that x + s v stays in the region for 0 ≤ s < t: the first s at which an
 * affine pre-activation z_j(x + s v) changes sign (x in the region; Infinity if none does).
 */
export function regionRadius(
  region: ReluRegion,
  x: readonly number[],
  v: readonly number[],
): number {
  let t = Infinity;
  region.rows.forEach((row, j) => {
    let z = region.offsets[j];
    let dz = 0;
    for (let i = 0; i < x.length; i++) {
      z += row[i] * x[i];
      dz += row[i] * v[i];
    }
    if (z > 0 ? dz < 0 : dz > 0) t = Math.min(t, -z / dz);
  });
  return t;
}

/**
 * The distance from y to the nearest hyperplane z_j = 0 of the region: the ball of that radius
 * around y lies in the region when y does.
 */
export function regionBall(region: ReluRegion, y: readonly number[]): number {
  let r = Infinity;
  region.rows.forEach((row, j) => {
    let z = region.offsets[j];
    for (let i = 0; i < y.length; i++) z += row[i] * y[i];
    const n = norm(row);
    if (n > 0) r = Math.min(r, Math.abs(z) / n);
  });
  return r;
}

export type Theorem7GradientRow = {
  network: string;
  points: number;
  /** Partial derivatives compared (output × coordinate × point); the errors are NaN if none. */
  compared: number;
  /** Partials skipped because x ± h e_i leaves x's linear region (a kink in the stencil). */
  skipped: number;
  /** max |∂f_k/∂x_i − central difference| / (1 + |∂f_k/∂x_i|): tfjs autodiff (float32). */
  autodiffError: number;
  /** The same for the float64 back-propagation that the construction uses. */
  backpropError: number;
};

/**
 * ∇f_k(x) by tfjs autodiff (float32) and by float64 back-propagation against central differences
 * of the float64 forward pass, at `gradientPoints` points x = αb_1 + (1 − α)b_2 of random pairs
 * (α evenly spaced in (0, 1)). Theorem 7 and section 6's ρ use ∇f_1, ∇f_2.
 */
export function theorem7GradientCheck(
  nets: readonly TrainedNetwork[],
  c: Theorem7Config,
  rng: Rng,
): Theorem7GradientRow[] {
  const h = c.differenceStep;
  return nets.map((n) => {
    const row: Theorem7GradientRow = {
      network: n.label,
      points: c.gradientPoints,
      compared: 0,
      skipped: 0,
      autodiffError: 0,
      backpropError: 0,
    };
    for (let t = 0; t < c.gradientPoints; t++) {
      const pair = theorem7Pair(n.A, rng);
      const { x } = theorem7Geometry(pair.b1, pair.b2, (t + 1) / (c.gradientPoints + 1));
      const auto = mlpInputGradients(n.params, x);
      const back = mlpInputGradients64(n.params, x);
      const pattern = activationPattern(n.params, x);
      for (let i = 0; i < c.d; i++) {
        const up = x.map((v, j) => (j === i ? v + h : v));
        const dn = x.map((v, j) => (j === i ? v - h : v));
        const classes = auto.length;
        if (
          activationPattern(n.params, up) !== pattern ||
          activationPattern(n.params, dn) !== pattern
        ) {
          row.skipped += classes;
          continue;
        }
        const fu = mlpForward64(n.params, up);
        const fd = mlpForward64(n.params, dn);
        for (let k = 0; k < classes; k++) {
          const diff = (fu[k] - fd[k]) / (2 * h);
          const rel = (g: number) => Math.abs(g - diff) / (1 + Math.abs(g));
          row.autodiffError = Math.max(row.autodiffError, rel(auto[k][i]));
          row.backpropError = Math.max(row.backpropError, rel(back[k][i]));
          row.compared += 1;
        }
      }
    }
    if (row.compared === 0) row.autodiffError = row.backpropError = Number.NaN;
    return row;
  });
}

/** One ε of the sweep. */
export type Theorem7SweepBase = {
  /** ε / ε*. */
  factor: number;
  epsilon: number;
  /** The points compared share x's activation pattern (forward passes). */
  samePattern: boolean;
  /** ε < ε* (from the affine pre-activations of x's region). */
  belowRadius: boolean;
};

export type Theorem7SweepRow = Theorem7SweepBase & {
  network: string;
  attack: Theorem7Attack;
  /** attack.relativeErrors, for tables. */
  error1: number;
  error2: number;
};

export type SingleGradientSweepRow = Theorem7SweepBase & {
  network: string;
  attack: SingleGradientAttack;
};

/** The step-through point of a network: section 6's x at α for one random pair. */
export interface Theorem7StepPoint extends Theorem7Point {
  network: string;
  accuracy: number;
  alpha: number;
  /** ‖P_{∇f_1, ∇f_2}(x_2 − x_1)‖ / ‖x_2 − x_1‖ at x. */
  compression: number;
  /** Section 6's ρ at x. */
  rho: number;
}

function stepPoint(n: TrainedNetwork, c: Theorem7Config, seed: number): Theorem7StepPoint {
  const pair = theorem7Pair(n.A, new Rng([seed, 8]));
  const point = theorem7Geometry(pair.b1, pair.b2, c.alpha);
  const g = mlpInputGradients64(n.params, point.x);
  return {
    ...point,
    network: n.label,
    accuracy: n.accuracy,
    alpha: c.alpha,
    compression: compressionFromGradients(g, point.x1, point.x2),
    rho: rhoFromGradients(g, point.x1, point.x2),
  };
}

/** What a sweep shows, over its ε. */
export type Theorem7SweepSummary = {
  /** ε*: the radius of x's region along the rays to the two points compared (both ∝ ε). */
  radius: number;
  /** ε of the sweep at which "same activation pattern" agrees with "ε < ε*", and all of them. */
  patternAgrees: number;
  epsilons: number;
  /** The largest relative error over the ε < ε* (NaN if none). */
  insideError: number;
  /** The largest relative error over the ε > ε* (NaN if none). */
  outsideError: number;
};

export type Theorem7Sweep = Theorem7SweepSummary & {
  network: string;
  point: Theorem7StepPoint;
  rows: Theorem7SweepRow[];
};

function summarise(
  radius: number,
  rows: Array<Theorem7SweepBase & { errors: number[] }>,
): Theorem7SweepSummary {
  const worst = (sel: typeof rows) =>
    sel.length ? Math.max(...sel.flatMap((r) => r.errors)) : Number.NaN;
  return {
    radius,
    patternAgrees: rows.filter((r) => r.samePattern === r.belowRadius).length,
    epsilons: rows.length,
    insideError: worst(rows.filter((r) => r.belowRadius)),
    outsideError: worst(rows.filter((r) => !r.belowRadius)),
  };
}

/**
 * Theorem 7's construction at section 6's point for ε = factor·ε*: inside x's linear region
 * (ε < ε*) the network is affine on the points compared and the first-order argument is exact;
 * past a kink the error is first order in ε.
 */
/**
 * An attack at section 6's point over ε = factor·ε*, ε* the distance along the compared points'
 * rays from x to the edge of x's linear region: x + εx_1 + u = x + ε(x_1 + u(1)) (the attack's
 * perturbation is linear in ε) and x + εx_2 both lie on rays from x.
 */
function raySweep<A>(
  n: TrainedNetwork,
  c: Theorem7Config,
  seed: number,
  attackAt: (net: Theorem7Network, point: Theorem7StepPoint, epsilon: number, g: number[][]) => A,
  perturbation: (a: A) => number[],
) {
  const point = stepPoint(n, c, seed);
  const net = reluNetwork(n.params);
  const g = net.gradients(point.x);
  const region = reluRegion(n.params, point.x);
  const unit = perturbation(attackAt(net, point, 1, g));
  const rays = [point.x1.map((v, i) => v + unit[i]), point.x2];
  const radius = Math.min(...rays.map((v) => regionRadius(region, point.x, v)));
  const rows = c.epsilonFactors.map((factor) => {
    const epsilon = factor * radius;
    const same = rays.every(
      (v) =>
        activationPattern(
          n.params,
          point.x.map((xi, i) => xi + epsilon * v[i]),
        ) === region.pattern,
    );
    return {
      network: n.label,
      factor,
      epsilon,
      samePattern: same,
      belowRadius: epsilon < radius,
      attack: attackAt(net, point, epsilon, g),
    };
  });
  return { point, net, g, region, radius, rows };
}

export function theorem7Sweep(n: TrainedNetwork, c: Theorem7Config, seed: number): Theorem7Sweep {
  const sweep = raySweep(
    n,
    c,
    seed,
    (net, point, epsilon, g) => theorem7Attack(net, point, epsilon, { gradients: g }),
    (a) => a.q,
  );
  const { point, radius } = sweep;
  const rows = sweep.rows.map((r) => ({
    ...r,
    error1: r.attack.relativeErrors[0],
    error2: r.attack.relativeErrors[1],
  }));
  const summary = summarise(
    radius,
    rows.map((r) => ({ ...r, errors: r.attack.relativeErrors })),
  );
  return { ...summary, network: n.label, point, rows };
}

export type SingleGradientSweep = Theorem7SweepSummary & {
  network: string;
  point: Theorem7StepPoint;
  rows: SingleGradientSweepRow[];
  /** The ε of the search: the ball of radius ε(‖x_1‖ + ‖x_2 − x_1‖) around x lies in x's region. */
  searchEpsilon: number;
  /** ‖e‖ = ε‖P_{∇(f_1 − f_2)}(x_1 − x_2)‖ at that ε, the remark's bound. */
  bound: number;
  /** The distance from x + εx_1 to the nearest facet of x's region (h is affine on that ball). */
  ball: number;
  /** The derivative-free search for the smallest perturbation (forward passes only). */
  search: LevelSearch;
  /** search.norm / bound: 1 when the remark's bound is the smallest such perturbation. */
  ratio: number;
  /** ratio − 1. */
  excess: number;
  evaluations: number;
};

/**
 * The remark after Theorem 7 at section 6's point: e = P_{∇(f_1 − f_2)} ε(x_2 − x_1) over the ε
 * sweep, and at an ε well inside the region the smallest perturbation that moves f_2 − f_1 from
 * x + εx_1 to its value at x + εx_2, found with forward passes only.
 */
export function singleGradientSweep(
  n: TrainedNetwork,
  c: Theorem7Config,
  seed: number,
): SingleGradientSweep {
  const { point, net, g, region, radius, rows } = raySweep(
    n,
    c,
    seed,
    (net, point, epsilon, g) => singleGradientAttack(net, point, epsilon, { gradients: g }),
    (a) => a.e,
  );
  // An ε at which the ball of radius ε(‖x_1‖ + ‖x_2 − x_1‖) around x lies in x's region: then the
  // ball of radius ‖e‖ around x + εx_1 does too, and f_2 − f_1 is affine on it.
  const spread = norm(point.x1) + norm(sub(point.x2, point.x1));
  const epsilon = (0.5 * regionBall(region, point.x)) / spread;
  const attack = singleGradientAttack(net, point, epsilon, { gradients: g });
  const p = point.x.map((v, i) => v + epsilon * point.x1[i]);
  const h = (y: readonly number[]) => {
    const f = net.outputs(y);
    return f[1] - f[0];
  };
  const found = smallestPerturbationToLevel(
    h,
    p,
    attack.target,
    4 * epsilon * norm(sub(point.x2, point.x1)),
    new Rng([seed, 10]),
    { starts: c.searchStarts },
  );
  const summary = summarise(
    radius,
    rows.map((r) => ({ ...r, errors: [r.attack.relativeError] })),
  );
  return {
    ...summary,
    network: n.label,
    point,
    rows,
    searchEpsilon: epsilon,
    bound: attack.eNorm,
    ball: regionBall(region, p),
    search: found,
    ratio: found.norm / attack.eNorm,
    excess: found.norm / attack.eNorm - 1,
    evaluations: found.evaluations,
  };
}

export type Theorem7CompressionRow = {
  network: string;
  run: number;
  /** Pairs (b_1, b_2) averaged. */
  pairs: number;
  /** Mean over the pairs of ‖P_{∇f_1,∇f_2}(x_2 − x_1)‖² / ‖x_2 − x_1‖² at x = αb_1 + (1 − α)b_2. */
  compression2: number;
  /** compression2 / (2/d): 1 for the Gaussian case's mean. */
  ratio: number;
  /** Mean over the pairs of ρ². */
  rho2: number;
};

/** Step 5: accurate networks' squared compression against the Gaussian case's 2/d. */
export type Theorem7CompressionStudy = {
  network: string;
  /** Accurate networks (independent runs). */
  networks: number;
  /** The Gaussian case: E‖Pv‖²/‖v‖² = 2/d (Theorem 7), 1/d for the single direction (ρ²). */
  gaussian2: number;
  gaussianRho2: number;
  /** Arithmetic mean over the networks of compression2 and of ρ², with 99% t intervals. */
  compression2: { mean: number; lo: number; hi: number };
  rho2: { mean: number; lo: number; hi: number };
  /**
   * Geometric mean over the networks of compression2/(2/d), with the 1 − 2·level t interval of
   * the mean log (the interval lies inside [1/margin, margin] exactly when the test rejects at
   * `level`).
   */
  ratio: { estimate: number; lo: number; hi: number; level: number };
  margin: number;
  /** The finding's test, stated for the ledger. */
  equivalence: TestInput;
};

/**
 * Step 5: for each accurate network, Theorem 7's squared compression (and ρ²) at α averaged over
 * `pairs` pairs (b_1, b_2) (all of them when there are fewer; else a uniform draw without
 * replacement, stream [seed, 11, run]); over the networks (independent runs), the geometric mean
 * of compression2/(2/d) against the Gaussian case by two one-sided t tests of the mean log
 * (equivalence within [1/margin, margin]). Section 6's data: columns 2m and 2m + 1 of the point
 * matrix differ in the last sign only (z_{+1} and z_{−1}, lib/data encoding).
 * @param level the level of the interval shown with the test (the notebook's family-wise level)
 */
export function theorem7Compression(
  nets: Theorem7Networks,
  c: Theorem7Config,
  seed: number,
  level: number,
): { rows: Theorem7CompressionRow[]; study: Theorem7CompressionStudy } {
  const fn = "theorem7Compression";
  if (nets.accurate.length < 3)
    fail(fn, "nets.accurate", nets.accurate.length, "must hold at least 3 accurate networks");
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  const count = theorem7PairCount(c);
  const rows = nets.accurate.map((n) => {
    const { X } = hypercubeData(n.A);
    const all = X.columns / 2;
    const order =
      count < all
        ? Array.from(new Rng([seed, 11, n.run]).permutation(all))
        : Array.from({ length: all }, (_, m) => m);
    const comp: number[] = [];
    const r2: number[] = [];
    for (const m of order.slice(0, count)) {
      const point = theorem7Geometry(X.getColumn(2 * m), X.getColumn(2 * m + 1), c.alpha);
      const g = mlpInputGradients64(n.params, point.x);
      comp.push(compressionFromGradients(g, point.x1, point.x2) ** 2);
      r2.push(rhoFromGradients(g, point.x1, point.x2) ** 2);
    }
    const compression2 = mean(comp);
    return {
      network: n.label,
      run: n.run,
      pairs: comp.length,
      compression2,
      ratio: compression2 / (2 / c.d),
      rho2: mean(r2),
    };
  });
  const interval = (x: number[]) => {
    const t = meanTTest(x, 0, 0.99);
    return { mean: t.estimate, lo: t.lo, hi: t.hi };
  };
  const logs = rows.map((r) => Math.log(r.ratio));
  const eq = equivalenceTest(logs, -Math.log(c.margin), Math.log(c.margin));
  const ci = meanTTest(logs, 0, 1 - 2 * level);
  const span = `[${(1 / c.margin).toPrecision(2)}, ${c.margin}]`;
  return {
    rows,
    study: {
      network: rows[0].network,
      networks: rows.length,
      gaussian2: 2 / c.d,
      gaussianRho2: 1 / c.d,
      compression2: interval(rows.map((r) => r.compression2)),
      rho2: interval(rows.map((r) => r.rho2)),
      ratio: { estimate: Math.exp(ci.estimate), lo: Math.exp(ci.lo), hi: Math.exp(ci.hi), level },
      margin: c.margin,
      equivalence: {
        pValue: eq.pValue,
        statistic: eq.mean,
        hypothesis:
          `the geometric mean over accurate networks of mean ‖P(x₂ − x₁)‖²/‖x₂ − x₁‖² over 2/d ` +
          `is outside ${span}`,
        method:
          `two one-sided t tests of the mean log ratio (TOST), ${rows.length} accurate ` +
          `networks, ${count} pairs each`,
      },
    },
  };
}

/** The headline: accurate networks' squared compression beside the Gaussian case. */
export function theorem7Headline(s: Theorem7CompressionStudy, c: Theorem7Config): Headline[] {
  const inside = s.ratio.lo > 1 / s.margin && s.ratio.hi < s.margin;
  return [
    {
      quantity:
        `geometric mean over ${s.networks} accurate networks ${s.network} of mean ` +
        `‖P(x₂−x₁)‖²/‖x₂−x₁‖² at α = ${c.alpha} over 2/d`,
      ours: s.ratio.estimate,
      interval: { lo: s.ratio.lo, hi: s.ratio.hi, level: 1 - 2 * s.ratio.level },
      paper: "1 for Gaussian gradients (Theorem 7: mean 2/d); trained networks: not stated",
      verdict: inside
        ? `interval inside [1/${s.margin}, ${s.margin}]`
        : `interval not inside [1/${s.margin}, ${s.margin}]`,
    },
  ];
}

export type Theorem7GaussianRow = {
  d: number;
  draws: number;
  /** Mean of ‖Pv‖²/‖v‖² over the draws, and the Gaussian case's 2/d (shown, not tested). */
  meanRatio2: number;
  expectedRatio2: number;
  /**
   * The largest relative difference between the sampler's ‖Pv‖², ‖v‖² and ‖Pv‖²/‖v‖² and the same
   * quantities recomputed from the replayed draws by the 2 × 2 normal equations.
   */
  maxError: number;
  /** The draws of ‖Pv‖²/‖v‖², for figures. */
  ratio2: number[];
};

/**
 * The Gaussian case's sampler (lib/theorems/theorem7.ts, a QR projection) at each d of the config
 * (stream [seed, 9, k] for the k-th d), checked by a second route: the stream is replayed (g_1, g_2,
 * v per draw, in the sampler's order) and ‖P_{g_1,g_2}v‖² = bᵀG⁻¹b with G = [g_iᵀg_j] and
 * b = [g_iᵀv] (the normal equations), ‖v‖² = vᵀv. The laws χ²₂, χ²_d and Beta(1, (d − 2)/2) follow
 * from rotation invariance and are not tested.
 */
export function theorem7Gaussian(c: Theorem7Config, seed: number): Theorem7GaussianRow[] {
  return c.gaussianDims.map((d, k) => {
    const s = gaussianCompression(new Rng([seed, 9, k]), d, c.gaussianDraws);
    const replay = new Rng([seed, 9, k]);
    const rel = (a: number, b: number) => Math.abs(a - b) / Math.abs(b);
    let maxError = 0;
    for (let i = 0; i < c.gaussianDraws; i++) {
      const g1 = gaussianVector(replay, d);
      const g2 = gaussianVector(replay, d);
      const v = gaussianVector(replay, d);
      const [a, b, e] = [dot(g1, g1), dot(g1, g2), dot(g2, g2)];
      const [p, q] = [dot(g1, v), dot(g2, v)];
      const projected2 = (e * p * p - 2 * b * p * q + a * q * q) / (a * e - b * b);
      const total2 = dot(v, v);
      maxError = Math.max(
        maxError,
        rel(s.projected2[i], projected2),
        rel(s.total2[i], total2),
        rel(s.ratio[i] ** 2, projected2 / total2),
      );
    }
    const sq = s.ratio.map((r) => r * r);
    return {
      d,
      draws: sq.length,
      meanRatio2: mean(sq),
      expectedRatio2: 2 / d,
      maxError,
      ratio2: sq,
    };
  });
}

/** The config as rows for a table: each parameter, its value and why. */
export function theorem7ConfigRows(
  c: Theorem7Config,
): Array<{ parameter: string; value: string; why: string }> {
  return [
    { parameter: "d", value: `${c.d}`, why: "section 6: d = 12; all 2^d points train" },
    { parameter: "A", value: `Gaussian, leading columns ×${c.scaleFactor}`, why: "section 6" },
    {
      parameter: "networks",
      value: c.networks.map((h) => theorem7Label(c.d, h)).join(", "),
      why: "section 6: one hidden layer, and several",
    },
    {
      parameter: "runs",
      value:
        `${theorem7Label(c.d, c.networks[0])}: until ` +
        `${c.accurate} are accurate (at most ${c.maxRuns}); others: ${c.stepRuns} each`,
      why: "section 6 keeps networks of training accuracy 1; independent A and initialisation",
    },
    {
      parameter: "training",
      value: `${c.epochs} epochs, batch ${c.batchSize}, Adam (PyTorch defaults)`,
      why: "section 6: 20 epochs; the batch is not stated (16: notebook 09's smallest)",
    },
    {
      parameter: "Step 5",
      value: `${theorem7PairCount(c)} pairs per network; margin ×${c.margin}`,
      why: "equivalence with the Gaussian case's 2/d within a factor of the margin",
    },
    { parameter: "α", value: `${c.alpha}`, why: "section 6's stencil point" },
    { parameter: "ε / ε*", value: c.epsilonFactors.join(", "), why: "around the region's edge ε*" },
    {
      parameter: "Gaussian case",
      value: `d = ${c.gaussianDims.join(", ")}; ${c.gaussianDraws} draws each`,
      why: "Theorem 7's Gaussian case: its sampler, checked by a second route",
    },
  ];
}

/** A table's caption and column labels (labels are labels, not the rows' keys). */
export interface Theorem7TableLayout {
  caption: string;
  columns: Array<{ key: string; label: string; digits?: number }>;
}

/** How the notebook shows each record of this module. */
export function theorem7Tables(
  c: Theorem7Config,
): Record<
  "config" | "networks" | "gradients" | "sweep" | "single" | "compression" | "gaussian",
  Theorem7TableLayout
> {
  const cols = (...pairs: Array<[string, string, number?]>) =>
    pairs.map(([key, label, digits]) => (digits ? { key, label, digits } : { key, label }));
  return {
    config: {
      caption: "Configuration",
      columns: cols(["parameter", "setting"], ["value", "value"], ["why", "why"]),
    },
    networks: {
      caption: "Trained networks, per architecture",
      columns: cols(
        ["network", "network"],
        ["runs", "runs"],
        ["accurate", "training accuracy 1"],
        ["minAccuracy", "lowest accuracy"],
        ["maxAccuracy", "highest accuracy"],
        ["shownRun", "run of steps 2–4"],
        ["shownAccuracy", "its accuracy"],
      ),
    },
    gradients: {
      caption: "Largest relative error against central differences",
      columns: cols(
        ["network", "network"],
        ["points", "points"],
        ["compared", "partials compared"],
        ["skipped", "skipped (kink in stencil)"],
        ["autodiffError", "tfjs autodiff"],
        ["backpropError", "float64 backprop"],
      ),
    },
    sweep: {
      caption: "Relative error |f_k(x + εx₁ + q) − f_k(x + εx₂)| / (ε‖∇f_k‖‖x₂ − x₁‖)",
      columns: cols(
        ["network", "network"],
        ["factor", "ε / ε*"],
        ["epsilon", "ε"],
        ["samePattern", "x's pattern at both points"],
        ["error1", "error, f₁"],
        ["error2", "error, f₂"],
      ),
    },
    single: {
      caption: "The single-gradient perturbation e, and the search for a smaller one",
      columns: cols(
        ["network", "network"],
        ["radius", "ε*"],
        ["insideError", "largest error, ε < ε*"],
        ["outsideError", "largest error, ε > ε*"],
        ["searchEpsilon", "ε of the search"],
        ["bound", "‖e‖"],
        ["ball", "radius of the ball in x's region"],
        ["excess", "smallest found / ‖e‖ − 1"],
        ["evaluations", "forward passes"],
      ),
    },
    compression: {
      caption:
        `Accurate networks' mean squared compression at α = ${c.alpha} (means with 99% t ` +
        "intervals; the ratio's interval is the test's)",
      columns: cols(
        ["network", "network"],
        ["networks", "networks"],
        ["compression2Mean", "‖P(x₂−x₁)‖²/‖x₂−x₁‖²"],
        ["compression2Lo", "lo"],
        ["compression2Hi", "hi"],
        ["gaussian2", "Gaussian: 2/d"],
        ["ratio", "geometric mean / (2/d)"],
        ["ratioLo", "lo"],
        ["ratioHi", "hi"],
        ["rho2Mean", "ρ²"],
        ["gaussianRho2", "Gaussian: 1/d"],
      ),
    },
    gaussian: {
      caption: `Gaussian case, ${c.gaussianDraws} draws per d`,
      columns: cols(
        ["d", "d"],
        ["maxError", "sampler against the normal equations"],
        ["meanRatio2", "mean ‖Pv‖²/‖v‖²"],
        ["expectedRatio2", "2/d"],
      ),
    },
  };
}

/** Step 5's study as one table row (the intervals' ends as columns). */
export function theorem7CompressionTableRow(s: Theorem7CompressionStudy) {
  return {
    network: s.network,
    networks: s.networks,
    compression2Mean: s.compression2.mean,
    compression2Lo: s.compression2.lo,
    compression2Hi: s.compression2.hi,
    gaussian2: s.gaussian2,
    ratio: s.ratio.estimate,
    ratioLo: s.ratio.lo,
    ratioHi: s.ratio.hi,
    rho2Mean: s.rho2.mean,
    gaussianRho2: s.gaussianRho2,
  };
}

/** theorem7Sweep for each network, with every row of every network for one table. */
export function theorem7Sweeps(
  nets: readonly TrainedNetwork[],
  c: Theorem7Config,
  seed: number,
): { networks: Theorem7Sweep[]; rows: Theorem7SweepRow[] } {
  const networks = nets.map((n) => theorem7Sweep(n, c, seed));
  return { networks, rows: networks.flatMap((s) => s.rows) };
}

/** singleGradientSweep for each network. */
export function singleGradientSweeps(
  nets: readonly TrainedNetwork[],
  c: Theorem7Config,
  seed: number,
): SingleGradientSweep[] {
  return nets.map((n) => singleGradientSweep(n, c, seed));
}
