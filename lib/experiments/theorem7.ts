/**
 * Theorem 7 on trained ReLU networks (section 6's data, "Nonlinear networks"): the networks, their
 * input gradients checked against finite differences, the construction swept over ε around the
 * edge of x's linear region, the remark's single-gradient perturbation against a derivative-free
 * search for the smallest one, the compression over every pair of points of every trained
 * network, and the Gaussian case. This module supplies the network to lib/theorems/theorem7.ts
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
import { norm, sub } from "../linalg/vectors";
import { gaussianMatrix } from "../random/gaussian";
import { Rng } from "../random/rng";
import { betaCdf, chiSquareCdf, studentTCdf, studentTQuantile } from "../stats/distributions";
import { mean, variance } from "../stats/summary";
import { ksTest, type TestResult } from "../stats/tests";
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
  /** Hidden widths of the architectures: one hidden layer, and several. */
  networks: number[][];
  /**
   * Networks trained per architecture, run r on its own data A and initialisation (runs are paired
   * across architectures: same A). The step-through uses the most accurate; the compression study
   * all of them, so enough that its 95% interval is narrower than the mean it reports.
   */
  runs: number;
  /** Epochs and mini-batch size (Adam with PyTorch's defaults). */
  epochs: number;
  batchSize: number;
  /** The α of x = αb_1 + (1 − α)b_2 (section 6's stencil point 0.444). */
  alpha: number;
  /** ε of the sweep as multiples of ε*, the radius of x's linear region along the rays used. */
  epsilonFactors: number[];
  /** Points of the gradient check, and the central-difference step. */
  gradientPoints: number;
  differenceStep: number;
  /** Random starts of the derivative-free search for the smallest perturbation. */
  searchStarts: number;
  /** Dimensions and draws per dimension of the Gaussian case. */
  gaussianDims: number[];
  gaussianDraws: number;
}

const EPSILON_FACTORS = [0.01, 0.5, 0.99, 1.01, 2, 10, 100];

export const theorem7Defaults: Record<Scale, Theorem7Config> = {
  quick: {
    d: 8,
    scaleFactor: 5,
    networks: [[64], [32, 32]],
    runs: 8,
    epochs: 20,
    batchSize: 64,
    alpha: 0.444,
    epsilonFactors: EPSILON_FACTORS,
    gradientPoints: 4,
    differenceStep: 1e-6,
    searchStarts: 3,
    gaussianDims: [12, 50, 200],
    gaussianDraws: 2000,
  },
  paper: {
    d: 12,
    scaleFactor: 5,
    networks: [[3000], [256, 256]],
    runs: 6,
    epochs: 20,
    batchSize: 512,
    alpha: 0.444,
    epsilonFactors: EPSILON_FACTORS,
    gradientPoints: 4,
    differenceStep: 1e-6,
    searchStarts: 3,
    gaussianDims: [12, 50, 200, 1000],
    gaussianDraws: 5000,
  },
};

/**
 * What the machine can do, from measurements on this kind of machine (2 cores shared by several
 * users), and the limits a run must stay within. trainingRate: tfjs WebAssembly multiply-adds per
 * second (12→3000→2, 20 epochs of 4096 points at batch 512: 1.1e10 in 11 s); stepSeconds: tfjs's
 * overhead per Adam step whatever the size (8→64→2 at batch 16: 320 steps in 0.3 s); float64Rate:
 * multiply-adds per second of float64 forward passes and gradients in plain JavaScript;
 * gaussianRate: coordinates of (g_1, g_2, v) drawn and projected per second (half that under a
 * load of 14 on 2 cores).
 */
export const THEOREM7_LIMITS = {
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

/** Estimated seconds of a config's work: training, the pairs (2^(d−1) each), the Gaussian case. */
export function theorem7Seconds(c: Theorem7Config): {
  training: number;
  pairs: number;
  gaussian: number;
} {
  const params = c.networks.reduce((s, h) => s + parameterCount(c.d, h), 0);
  const L = THEOREM7_LIMITS;
  return {
    // forward and backward: about 3 multiply-adds per parameter and point
    training:
      (c.runs * c.epochs * 2 ** c.d * params * 3) / L.trainingRate +
      c.runs * c.networks.length * c.epochs * Math.ceil(2 ** c.d / c.batchSize) * L.stepSeconds,
    // a forward pass and two back-propagations per point
    pairs: (c.runs * 2 ** (c.d - 1) * params * 5) / L.float64Rate,
    gaussian: (c.gaussianDims.reduce((s, d) => s + d, 0) * c.gaussianDraws) / L.gaussianRate,
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
  requireInteger(fn, "runs", c.runs, 2);
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "batchSize", c.batchSize, 1, 2 ** c.d);
  requireInRange(fn, "alpha", c.alpha, 0, 1, [false, false]);
  c.epsilonFactors.forEach((f, i) => requirePositive(fn, `epsilonFactors[${i}]`, f));
  if (!c.epsilonFactors.some((f) => f < 1) || !c.epsilonFactors.some((f) => f > 1))
    fail(fn, "epsilonFactors", c.epsilonFactors, "must hold factors below and above 1");
  requireInteger(fn, "gradientPoints", c.gradientPoints, 1, 1000);
  requireInRange(fn, "differenceStep", c.differenceStep, 0, 1e-2, [false, true]);
  requireInteger(fn, "searchStarts", c.searchStarts, 1, 100);
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
      ["runs", c.runs, c.runs / p.runs],
      ["epochs", c.epochs, c.epochs / p.epochs],
      ["gaussianDraws", c.gaussianDraws, c.gaussianDraws / p.gaussianDraws],
    ];
    const [name, value] = ratios.reduce((a, b) => (b[2] > a[2] ? b : a));
    fail(
      fn,
      name,
      value,
      `makes the run take about ${Math.round(total / 60)} minutes, over the limit of ` +
        `${L.seconds / 60}: training ${Math.round(s.training)} s (tfjs WebAssembly, ` +
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
  /** The most accurate run of its architecture (the first of equals): the step-through's. */
  shown: boolean;
};

export interface Theorem7Networks {
  /** Every trained network, architecture by architecture, run by run. */
  all: TrainedNetwork[];
  /** Per architecture, the most accurate run (the first of equals): the step-through's network. */
  shown: TrainedNetwork[];
}

/**
 * Trains `runs` networks d → hidden… → 2 of every architecture on section 6's data (run r: data
 * [seed, r, 0], initialisation [seed, r, 1], shuffling [seed, r, 2]): one hidden layer with the
 * exact hypercube trainer, deeper networks with tfjs.
 */
export async function trainTheorem7Networks(
  c: Theorem7Config,
  seed: number,
  onNetwork?: (label: string, run: number) => void,
): Promise<Theorem7Networks> {
  validateTheorem7Config(c);
  const all: TrainedNetwork[] = [];
  const shown: TrainedNetwork[] = [];
  for (const hidden of c.networks) {
    const label = theorem7Label(c.d, hidden);
    let best: TrainedNetwork | null = null;
    for (let run = 0; run < c.runs; run++) {
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
      all.push(net);
      if (!best || net.accuracy > best.accuracy) best = net;
    }
    best!.shown = true;
    shown.push(best!);
  }
  return { all, shown };
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
export function theorem7Sweep(n: TrainedNetwork, c: Theorem7Config, seed: number): Theorem7Sweep {
  const point = stepPoint(n, c, seed);
  const net = reluNetwork(n.params);
  const g = net.gradients(point.x);
  const region = reluRegion(n.params, point.x);
  // x + εx_1 + q = x + ε(x_1 + P(x_2 − x_1)): both compared points lie on rays from x.
  const unitQ = theorem7Attack(net, point, 1, { gradients: g }).q;
  const rays = [point.x1.map((v, i) => v + unitQ[i]), point.x2];
  const radius = Math.min(...rays.map((v) => regionRadius(region, point.x, v)));
  const rows = c.epsilonFactors.map((factor) => {
    const epsilon = factor * radius;
    const attack = theorem7Attack(net, point, epsilon, { gradients: g });
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
      attack,
      error1: attack.relativeErrors[0],
      error2: attack.relativeErrors[1],
    };
  });
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
  const point = stepPoint(n, c, seed);
  const net = reluNetwork(n.params);
  const g = net.gradients(point.x);
  const region = reluRegion(n.params, point.x);
  const unitE = singleGradientAttack(net, point, 1, { gradients: g }).e;
  const rays = [point.x1.map((v, i) => v + unitE[i]), point.x2];
  const radius = Math.min(...rays.map((v) => regionRadius(region, point.x, v)));
  const rows = c.epsilonFactors.map((factor) => {
    const epsilon = factor * radius;
    const attack = singleGradientAttack(net, point, epsilon, { gradients: g });
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
      attack,
    };
  });
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

/** A mean over independent units with its Student t interval (n − 1 degrees of freedom). */
export type Theorem7MeanInterval = {
  mean: number;
  lo: number;
  hi: number;
  level: number;
  n: number;
};

/** The t interval of the mean of non-negative values, its lower end clipped at 0. */
function tInterval(x: readonly number[], level: number): Theorem7MeanInterval {
  const n = x.length;
  const m = mean(x);
  const half = studentTQuantile((1 + level) / 2, n - 1) * Math.sqrt(variance(x) / n);
  return { mean: m, lo: Math.max(0, m - half), hi: m + half, level, n };
}

/** Two-sided t test of E x = value: statistic and p-value (Student t, n − 1 degrees of freedom). */
function tTest(x: readonly number[], value: number): { statistic: number; pValue: number } {
  const n = x.length;
  const t = (mean(x) - value) / Math.sqrt(variance(x) / n);
  const tail = Math.min(studentTCdf(t, n - 1), 1 - studentTCdf(t, n - 1));
  return { statistic: t, pValue: Math.min(1, 2 * tail) };
}

export type Theorem7CompressionRow = {
  network: string;
  run: number;
  accuracy: number;
  /** Pairs (b_1, b_2): all 2^(d−1) of them. */
  pairs: number;
  /** Mean over the pairs of ‖P_{∇f_1,∇f_2}(x_2 − x_1)‖² / ‖x_2 − x_1‖² at x = αb_1 + (1 − α)b_2. */
  compression2: number;
  /** Mean over the pairs of ρ². */
  rho2: number;
};

export type Theorem7CompressionSummary = {
  network: string;
  /** Trained networks of the architecture. */
  networks: number;
  /** Mean over the networks of their mean squared compression, with a 95% t interval. */
  compression2: Theorem7MeanInterval;
  /** The same for ρ². */
  rho2: Theorem7MeanInterval;
  /** The Gaussian case: E‖Pv‖²/‖v‖² = 2/d for two gradients (Theorem 7), 1/d for one. */
  gaussian2: number;
  gaussianRho2: number;
  /** Two-sided t test over the networks of E compression² = 2/d. */
  pValue: number;
  /** Where the interval lies against 2/d, from the numbers. */
  verdict: string;
  /** For tables: the interval's ends. */
  compression2Mean: number;
  compression2Lo: number;
  compression2Hi: number;
  rho2Mean: number;
  rho2Lo: number;
  rho2Hi: number;
};

/**
 * The squared compression of Theorem 7 (and ρ²) at α, averaged over every pair of section 6's
 * points of each trained network (exact for that network), then over the networks of an
 * architecture (independent runs) beside the Gaussian case's 2/d. No claim rests on it: the paper
 * states the Gaussian case only.
 */
export function theorem7Compression(
  nets: Theorem7Networks,
  c: Theorem7Config,
): { rows: Theorem7CompressionRow[]; summary: Theorem7CompressionSummary[] } {
  const rows = nets.all.map((n) => {
    const { X } = hypercubeData(n.A);
    const comp: number[] = [];
    const r2: number[] = [];
    // Columns 2m and 2m + 1 differ in the last sign only: z_{+1} and z_{−1} (lib/data encoding).
    for (let m = 0; m < X.columns / 2; m++) {
      const point = theorem7Geometry(X.getColumn(2 * m), X.getColumn(2 * m + 1), c.alpha);
      const g = mlpInputGradients64(n.params, point.x);
      comp.push(compressionFromGradients(g, point.x1, point.x2) ** 2);
      r2.push(rhoFromGradients(g, point.x1, point.x2) ** 2);
    }
    return {
      network: n.label,
      run: n.run,
      accuracy: n.accuracy,
      pairs: comp.length,
      compression2: mean(comp),
      rho2: mean(r2),
    };
  });
  const summary = [...new Set(rows.map((r) => r.network))].map((network) => {
    const mine = rows.filter((r) => r.network === network);
    const comp = tInterval(
      mine.map((r) => r.compression2),
      0.95,
    );
    const rho2 = tInterval(
      mine.map((r) => r.rho2),
      0.95,
    );
    const test = tTest(
      mine.map((r) => r.compression2),
      2 / c.d,
    );
    const where =
      comp.lo > 2 / c.d
        ? "above 2/d"
        : comp.hi < 2 / c.d
          ? "below 2/d"
          : "the 95% interval holds 2/d";
    return {
      network,
      networks: mine.length,
      compression2: comp,
      rho2,
      gaussian2: 2 / c.d,
      gaussianRho2: 1 / c.d,
      pValue: test.pValue,
      verdict: `${where} (t test over ${mine.length} networks: p = ${test.pValue.toPrecision(2)})`,
      compression2Mean: comp.mean,
      compression2Lo: comp.lo,
      compression2Hi: comp.hi,
      rho2Mean: rho2.mean,
      rho2Lo: rho2.lo,
      rho2Hi: rho2.hi,
    };
  });
  return { rows, summary };
}

/** The headline rows: each architecture's mean squared compression beside the Gaussian case. */
export function theorem7Headline(
  summary: readonly Theorem7CompressionSummary[],
  c: Theorem7Config,
): Headline[] {
  return summary.map((s) => ({
    quantity:
      `mean ‖P(x₂−x₁)‖²/‖x₂−x₁‖² at α = ${c.alpha} over all pairs, ` +
      `${s.networks} networks ${s.network}`,
    ours: s.compression2.mean,
    interval: { lo: s.compression2.lo, hi: s.compression2.hi, level: s.compression2.level },
    paper:
      `2/d = ${(2 / c.d).toPrecision(3)} for Gaussian gradients ` +
      "(Theorem 7; trained networks: not stated)",
    verdict: s.verdict,
  }));
}

export type Theorem7GaussianRow = {
  d: number;
  draws: number;
  /** Mean of ‖Pv‖²/‖v‖² over the draws, and the Gaussian case's 2/d. */
  meanRatio2: number;
  expectedRatio2: number;
  /** The tests, stated (hypothesis and method) for the ledger. */
  projected: TestInput;
  total: TestInput;
  ratio: TestInput;
  gain: TestInput;
  /** The draws of ‖Pv‖²/‖v‖², for figures. */
  ratio2: number[];
};

/**
 * The Gaussian case of Theorem 7 at each d of the config (stream [seed, 9, k] for the k-th d):
 * Kolmogorov–Smirnov tests of ‖Pv‖² against χ²₂, ‖v‖² against χ²_d and ‖Pv‖²/‖v‖² against
 * Beta(1, (d − 2)/2), and a t test of E‖Pv‖²/‖v‖² = 2/d (the O(d) gain in squared size).
 */
export function theorem7Gaussian(c: Theorem7Config, seed: number): Theorem7GaussianRow[] {
  return c.gaussianDims.map((d, k) => {
    const s = gaussianCompression(new Rng([seed, 9, k]), d, c.gaussianDraws);
    const sq = s.ratio.map((r) => r * r);
    const n = sq.length;
    const ks = "one-sample Kolmogorov–Smirnov, exact p-value (@stdlib)";
    const law = "g₁, g₂, v independent standard Gaussian in R^d";
    const test = (r: TestResult, hypothesis: string, method: string): TestInput => ({
      pValue: r.pValue,
      statistic: r.statistic,
      hypothesis,
      method: `${method}, ${n} draws`,
    });
    const gain = tTest(sq, 2 / d);
    return {
      d,
      draws: n,
      meanRatio2: mean(sq),
      expectedRatio2: 2 / d,
      projected: test(
        ksTest(s.projected2, (x) => chiSquareCdf(x, 2)),
        `‖P_{g₁,g₂}v‖² ~ χ²₂ (${law}, d = ${d})`,
        ks,
      ),
      total: test(
        ksTest(s.total2, (x) => chiSquareCdf(x, d)),
        `‖v‖² ~ χ²_d (${law}, d = ${d})`,
        ks,
      ),
      ratio: test(
        ksTest(sq, (x) => betaCdf(x, 1, (d - 2) / 2)),
        `‖Pv‖²/‖v‖² ~ Beta(1, (d − 2)/2) (${law}, d = ${d})`,
        ks,
      ),
      gain: {
        pValue: gain.pValue,
        statistic: gain.statistic,
        hypothesis: `E ‖Pv‖²/‖v‖² = 2/d (${law}, d = ${d})`,
        method: `two-sided one-sample t test of the mean, ${n} draws`,
      },
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
      value: `${c.runs} per architecture`,
      why: "independent A and initialisation",
    },
    {
      parameter: "training",
      value: `${c.epochs} epochs, batch ${c.batchSize}, Adam (PyTorch defaults)`,
      why: "section 6: 20 epochs; the batch is not stated",
    },
    { parameter: "α", value: `${c.alpha}`, why: "section 6's stencil point" },
    { parameter: "ε / ε*", value: c.epsilonFactors.join(", "), why: "around the region's edge ε*" },
    {
      parameter: "Gaussian case",
      value: `d = ${c.gaussianDims.join(", ")}; ${c.gaussianDraws} draws each`,
      why: "Theorem 7's Gaussian case",
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
      caption: "Trained networks",
      columns: cols(
        ["label", "network"],
        ["run", "run"],
        ["accuracy", "training accuracy"],
        ["shown", "used in steps 2–4"],
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
      caption: `Mean over networks of the squared compression at α = ${c.alpha} (95% t intervals)`,
      columns: cols(
        ["network", "network"],
        ["networks", "networks"],
        ["compression2Mean", "‖P(x₂−x₁)‖²/‖x₂−x₁‖²"],
        ["compression2Lo", "lo"],
        ["compression2Hi", "hi"],
        ["gaussian2", "Gaussian: 2/d"],
        ["rho2Mean", "ρ²"],
        ["rho2Lo", "lo"],
        ["rho2Hi", "hi"],
        ["gaussianRho2", "Gaussian: 1/d"],
        ["verdict", "against 2/d"],
      ),
    },
    gaussian: {
      caption: `Gaussian case, ${c.gaussianDraws} draws per d`,
      columns: cols(["d", "d"], ["meanRatio2", "mean ‖Pv‖²/‖v‖²"], ["expectedRatio2", "2/d"]),
    },
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
