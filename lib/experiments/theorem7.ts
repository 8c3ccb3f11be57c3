/**
 * Theorem 7 on trained ReLU networks (section 6's data, "Nonlinear networks"): the networks at
 * every d of a study, their input gradients checked against finite differences, the construction
 * and the remark's single-gradient perturbation at a point on the decision boundary over ε (the
 * label through the network inside and past x's linear region), the remark's e against a
 * derivative-free search for a smaller perturbation, the label at ε = 1 (the data points) over
 * every accurate network, the compression against the Gaussian case's 2/d at each d, and the
 * Gaussian case's sampler and law. This module supplies the network to lib/theorems/theorem7.ts
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
import { theoremMargin, type TheoremMargin } from "../data/margins";
import { betaCdf } from "../stats/distributions";
import { meanTTest } from "../stats/hypothesis";
import { mean, median } from "../stats/summary";
import { ksTest } from "../stats/tests";
import { clusteredRateVerdict } from "../stats/theorem-verdicts";
import { ratioVerdict, type VerdictNumbers } from "../stats/verdict";
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
  /** Input dimension of Steps 2–3 (section 6: 12); all 2^d points are the training set. */
  d: number;
  /** Every column of A but the last is multiplied by this (section 6: 5). */
  scaleFactor: number;
  /**
   * Hidden widths of the architectures. The first has one hidden layer (section 6's network,
   * trained by the exact hypercube trainer): its accurate networks, at every d of
   * `compressionDims`, are the samples of Steps 6–7. Each other architecture trains `stepRuns`
   * networks at d (tfjs when deeper) for Steps 2–5 only.
   */
  networks: number[][];
  /**
   * The dimensions of the trained-network studies (Steps 6–7): at each, the first architecture
   * trains runs until `accurate` reach training accuracy 1 (as section 6 keeps) or `maxRuns` have
   * run (run r: its own data A and initialisation). At d (Steps 2–5) it trains until its first
   * accurate run (the study's runs, when d is one of them). The verdicts of Step 7 are on the
   * spread between networks, so they need many: the study's d are those where training is cheap.
   */
  compressionDims: number[];
  accurate: number;
  maxRuns: number;
  /** Networks trained per other architecture; Steps 2–5 use the most accurate. */
  stepRuns: number;
  /** Epochs and mini-batch size (Adam with PyTorch's defaults). */
  epochs: number;
  batchSize: number;
  /** The α of x = αb_1 + (1 − α)b_2 (section 6's stencil point 0.444) of Steps 4 and 6. */
  alpha: number;
  /** Pairs (b_1, b_2) per network in Step 7 (all 2^(d−1) when this is at least that many). */
  pairs: number;
  /**
   * Step 6 (the label at ε = 1, the data points themselves): pairs per accurate network, the k-th
   * at α = flipAlphas[k mod length] (section 6's stencil).
   */
  flipPairs: number;
  flipAlphas: number[];
  /** ε of the sweep at the decision boundary as multiples of ε*, the radius of x's linear region. */
  epsilonFactors: number[];
  /** Points of the gradient check, and the central-difference step. */
  gradientPoints: number;
  differenceStep: number;
  /** Random starts of the derivative-free search for the smallest perturbation. */
  searchStarts: number;
  /** Dimensions and draws per dimension of the Gaussian case (its sampler and its law). */
  gaussianDims: number[];
  gaussianDraws: number;
}

const EPSILON_FACTORS = [0.01, 0.5, 0.99, 1.01, 2, 10, 100];
/** Section 6's stencil of α (Table 3). */
const STENCIL = [0, 0.111, 0.222, 0.333, 0.444, 0.556, 0.667, 0.778, 0.889, 1];

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
    compressionDims: [6, 8],
    accurate: 60,
    maxRuns: 300,
    stepRuns: 2,
    epochs: 20,
    batchSize: 16,
    alpha: 0.444,
    pairs: 64,
    flipPairs: 10,
    flipAlphas: STENCIL,
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
    compressionDims: [6, 8, 10],
    accurate: 60,
    maxRuns: 300,
    stepRuns: 1,
    epochs: 20,
    batchSize: 16,
    alpha: 0.444,
    pairs: 512,
    flipPairs: 10,
    flipAlphas: STENCIL,
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

/** Pairs (b_1, b_2) per network in Step 7: `pairs`, or all 2^(d−1) when fewer. */
export function theorem7PairCount(c: Pick<Theorem7Config, "d" | "pairs">): number {
  return Math.min(c.pairs, 2 ** (c.d - 1));
}

/**
 * Estimated seconds of a config's work, at the worst case of `maxRuns` runs: training, Step 7's
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
  // The first architecture at every d of compressionDims, at most maxRuns runs each.
  const dims = c.compressionDims.includes(c.d) ? c.compressionDims : [...c.compressionDims, c.d];
  const first1 = dims.reduce(
    (t, d) => t + (c.maxRuns * c.epochs * 2 ** d * parameterCount(d, first) * 3) / L.hypercubeRate,
    0,
  );
  // Step 7: a forward pass and two back-propagations per pair; Step 6: about 10 per pair.
  const pairWork = c.compressionDims.reduce(
    (t, d) =>
      t +
      c.accurate *
        (theorem7PairCount({ d, pairs: c.pairs }) * 5 + c.flipPairs * 10) *
        parameterCount(d, first),
    0,
  );
  return {
    training: first1 + tfjs,
    pairs: pairWork / L.float64Rate,
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
    fail(fn, "networks[0]", c.networks[0], "must have one hidden layer (Steps 6–7's networks)");
  if (!Array.isArray(c.compressionDims) || c.compressionDims.length === 0)
    fail(fn, "compressionDims", c.compressionDims, "must list at least one dimension");
  c.compressionDims.forEach((d, i) => {
    requireInteger(fn, `compressionDims[${i}]`, d, 3);
    if (d > MAX_HYPERCUBE_DIM)
      fail(
        fn,
        `compressionDims[${i}]`,
        d,
        `must be <= ${MAX_HYPERCUBE_DIM} (2^d points in memory)`,
      );
  });
  if (new Set(c.compressionDims).size !== c.compressionDims.length)
    fail(fn, "compressionDims", c.compressionDims, "must not repeat a dimension");
  requireInteger(fn, "accurate", c.accurate, 3);
  requireInteger(fn, "maxRuns", c.maxRuns, c.accurate);
  requireInteger(fn, "stepRuns", c.stepRuns, 1);
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "batchSize", c.batchSize, 1, 2 ** c.d);
  requireInRange(fn, "alpha", c.alpha, 0, 1, [false, false]);
  requireInteger(fn, "pairs", c.pairs, 1);
  requireInteger(fn, "flipPairs", c.flipPairs, 1);
  if (!Array.isArray(c.flipAlphas) || c.flipAlphas.length === 0)
    fail(fn, "flipAlphas", c.flipAlphas, "must list at least one α");
  c.flipAlphas.forEach((a, i) => requireInRange(fn, `flipAlphas[${i}]`, a, 0, 1));
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
      [
        "compressionDims",
        c.compressionDims,
        c.compressionDims.reduce((t, d) => t + 2 ** d, 0) /
          p.compressionDims.reduce((t, d) => t + 2 ** d, 0),
      ],
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
 * Section 6's data of run `run` at dimension c.d: A Gaussian (stream [seed, d, run, 0]) with every
 * column but the last ×scaleFactor, and all 2^d points A z as training rows, labelled by z_d.
 */
export function theorem7Data(
  c: Pick<Theorem7Config, "d" | "scaleFactor">,
  seed: number,
  run: number,
) {
  const A = scaleLeadingColumns(
    gaussianMatrix(new Rng([seed, c.d, run, 0]), c.d, c.d),
    c.scaleFactor,
  );
  return { A, ...hypercubeRows(A) };
}

export type TrainedNetwork = {
  /** "12→3000→2". */
  label: string;
  d: number;
  hidden: number[];
  run: number;
  /** Training accuracy (float64 forward). */
  accuracy: number;
  params: MlpParams;
  /** The run's data matrix (d × d, leading columns scaled). */
  A: Matrix;
  /** The network of Steps 2–5 for its architecture. */
  shown: boolean;
};

/** How an architecture's training went at one d (one row per architecture and d). */
export type Theorem7TrainingRow = {
  network: string;
  /** Runs trained, and those that reached training accuracy 1. */
  runs: number;
  accurate: number;
  /** The lowest and highest training accuracy over the runs. */
  minAccuracy: number;
  maxAccuracy: number;
  /** The run of Steps 2–5 (at d only; NaN elsewhere), and its training accuracy. */
  shownRun: number;
  shownAccuracy: number;
};

export interface Theorem7Networks {
  /**
   * Per d of compressionDims, the accurate networks of the first (one-hidden-layer) architecture
   * in run order: the samples of Steps 6–7.
   */
  byD: Array<{ d: number; accurate: TrainedNetwork[] }>;
  /**
   * Per architecture, the network of Steps 2–5 (at d): the first accurate run of the first
   * architecture (its most accurate run if none is), the most accurate run (the first of equals)
   * of the others.
   */
  shown: TrainedNetwork[];
  training: Theorem7TrainingRow[];
}

/**
 * Trains section 6's networks (run r at dimension d: data [seed, d, r, 0], initialisation
 * [seed, d, r, 1], shuffling [seed, d, r, 2]; runs are paired across architectures: same A). The
 * first architecture (one hidden layer, the exact hypercube trainer) trains, at every d of
 * compressionDims, runs until `accurate` of them reach training accuracy 1 or `maxRuns` have run;
 * each other architecture trains `stepRuns` runs at d (tfjs when deeper).
 */
export async function trainTheorem7Networks(
  c: Theorem7Config,
  seed: number,
  onNetwork?: (label: string, run: number) => void,
): Promise<Theorem7Networks> {
  validateTheorem7Config(c);
  const byD: Theorem7Networks["byD"] = [];
  const shown: TrainedNetwork[] = [];
  const training: Theorem7TrainingRow[] = [];
  // The study's dimensions, then d when it is not one of them (until its first accurate run), then
  // the other architectures at d.
  const jobs: Array<{ d: number; hidden: number[]; first: boolean; study: boolean }> = [
    ...c.compressionDims.map((d) => ({ d, hidden: c.networks[0], first: true, study: true })),
    ...(c.compressionDims.includes(c.d)
      ? []
      : [{ d: c.d, hidden: c.networks[0], first: true, study: false }]),
    ...c.networks.slice(1).map((hidden) => ({ d: c.d, hidden, first: false, study: false })),
  ];
  for (const { d, hidden, first, study } of jobs) {
    const label = theorem7Label(d, hidden);
    const accurate: TrainedNetwork[] = [];
    let best: TrainedNetwork | null = null;
    const accuracies: number[] = [];
    const wanted = !first ? Infinity : study ? c.accurate : 1;
    const runs = first ? c.maxRuns : c.stepRuns;
    for (let run = 0; run < runs && accurate.length < wanted; run++) {
      onNetwork?.(label, run);
      const { A, X, y } = theorem7Data({ d, scaleFactor: c.scaleFactor }, seed, run);
      const init = mlpInit(new Rng([seed, d, run, 1]), [d, ...hidden, 2]);
      const optim = { epochs: c.epochs, batchSize: c.batchSize, ...PYTORCH_ADAM };
      // One hidden layer: the exact hypercube trainer (the same network, loss, initialisation, Adam
      // rule and batch order as tfjs, tested against tfjs and PyTorch); deeper networks: tfjs.
      const res =
        hidden.length === 1
          ? new HypercubeRelu(A, hidden[0]).train(init, optim, new Rng([seed, d, run, 2]))
          : await trainMlp(init, { X, y, d }, optim, new Rng([seed, d, run, 2]));
      const net = {
        label,
        d,
        hidden,
        run,
        accuracy: res.accuracy,
        params: res.params,
        A,
        shown: false,
      };
      accuracies.push(net.accuracy);
      if (net.accuracy === 1) accurate.push(net);
      // The first architecture shows its first accurate run; the others their most accurate.
      const firstAccurate = first && accurate.length === 1 && net.accuracy === 1;
      if (!best || firstAccurate || (net.accuracy > best.accuracy && best.accuracy < 1)) best = net;
    }
    if (study) byD.push({ d, accurate });
    const shows = d === c.d;
    if (shows) {
      best!.shown = true;
      shown.push(best!);
    }
    training.push({
      network: label,
      runs: accuracies.length,
      accurate: accurate.length,
      minAccuracy: Math.min(...accuracies),
      maxAccuracy: Math.max(...accuracies),
      shownRun: shows ? best!.run : Number.NaN,
      shownAccuracy: shows ? best!.accuracy : Number.NaN,
    });
  }
  // The first architecture's network first, as Steps 2–5 list them.
  shown.sort((a, b) => a.hidden.length - b.hidden.length);
  return { byD, shown, training };
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

// ---------------------------------------------------------------- Steps 3–4: the boundary sweep

const argmax = (v: readonly number[]) => v.indexOf(Math.max(...v));

/**
 * A point of Theorem 7 on the decision boundary between b_1 and b_2: x = t b_1 + (1 − t) b_2 where
 * the network's two outputs are equal (bisection to rounding along the segment, the crossing
 * nearest the b_2 end), x_1 = b_1 − x, x_2 = b_2 − x. Theorem 7 takes any x; on the boundary,
 * x + εx_1 and x + εx_2 carry the two labels for every small ε, so the label can be followed.
 */
export interface Theorem7BoundaryPoint extends Theorem7Point {
  network: string;
  /** t of x = t b_1 + (1 − t) b_2. */
  t: number;
  /** The labels (output index) of b_1 and b_2. */
  labelB1: number;
  labelB2: number;
  /** |f_1(x) − f_2(x)| / max |f_k(x)| at the point found. */
  residual: number;
}

/**
 * The boundary point of a network for the first pair (stream [seed, 8], further pairs until b_1 and
 * b_2 carry different labels).
 */
export function theorem7BoundaryPoint(n: TrainedNetwork, seed: number): Theorem7BoundaryPoint {
  const fn = "theorem7BoundaryPoint";
  const net = reluNetwork(n.params);
  const rng = new Rng([seed, 8]);
  for (let tries = 0; tries < 100; tries++) {
    const { b1, b2 } = theorem7Pair(n.A, rng);
    const [l1, l2] = [argmax(net.outputs(b1)), argmax(net.outputs(b2))];
    if (l1 === l2) continue;
    // g(t) = f_{l1} − f_{l2} at b_2 + t(b_1 − b_2): negative at 0, positive at 1.
    const at = (t: number) => b2.map((v, i) => v + t * (b1[i] - v));
    const g = (t: number) => {
      const f = net.outputs(at(t));
      return f[l1] - f[l2];
    };
    let lo = 0;
    let hi = 1;
    for (let it = 0; it < 200 && hi - lo > 0; it++) {
      const mid = (lo + hi) / 2;
      if (mid === lo || mid === hi) break;
      if (g(mid) < 0) lo = mid;
      else hi = mid;
    }
    const t = hi;
    const point = theorem7Geometry(b1, b2, t);
    const f = net.outputs(point.x);
    return {
      ...point,
      network: n.label,
      t,
      labelB1: l1,
      labelB2: l2,
      residual: Math.abs(f[l1] - f[l2]) / Math.max(...f.map(Math.abs)),
    };
  }
  return fail(
    fn,
    "n",
    n.label,
    "labels every pair of 100 drawn the same (no boundary between them)",
  );
}

/** One ε of the sweep at the boundary point. */
export type Theorem7LabelRow = {
  network: string;
  /** ε / ε*, or NaN for the row at ε = 1 (the data points b_1, b_2 themselves). */
  factor: number;
  epsilon: number;
  /** Every point compared has x's activation pattern (forward passes), and ε < ε* (affine route). */
  samePattern: boolean;
  belowRadius: boolean;
  /** Labels (output index) at x + εx_1 (start), x + εx_2 (target), x + εx_1 + q and x + εx_1 + e. */
  start: number;
  target: number;
  labelQ: number;
  labelE: number;
  /** The attacks' relative output errors (theorem7Attack, singleGradientAttack). */
  errorQ: number;
  errorE: number;
};

export type Theorem7LabelSweep = {
  network: string;
  point: Theorem7BoundaryPoint;
  /** ε*: the radius of x's region along the rays x_1 + q(1), x_1 + e(1) and x_2 (all ∝ ε). */
  radius: number;
  rows: Theorem7LabelRow[];
  /** ε of the sweep at which "same pattern" agrees with "ε < ε*", and all of them. */
  patternAgrees: number;
  epsilons: number;
  /** ε < ε* of the sweep, and those at which start ≠ target and both attacks give the target. */
  inside: number;
  insideFlips: number;
  /** The largest relative output error of q and e over the ε < ε* (NaN if none). */
  insideError: number;
};

/**
 * Theorem 7 and its remark at a network's boundary point over ε = factor·ε* and at ε = 1: the
 * labels at x + εx_1, x + εx_2 and after each attack, by forward passes. Inside x's linear region
 * the first-order argument is exact: start ≠ target and both attacks give the target.
 */
export function theorem7LabelSweep(
  n: TrainedNetwork,
  c: Theorem7Config,
  seed: number,
): Theorem7LabelSweep {
  const point = theorem7BoundaryPoint(n, seed);
  const net = reluNetwork(n.params);
  const g = net.gradients(point.x);
  const region = reluRegion(n.params, point.x);
  const unitQ = theorem7Attack(net, point, 1, { gradients: g }).q;
  const unitE = singleGradientAttack(net, point, 1, { gradients: g }).e;
  const rays = [
    point.x1.map((v, i) => v + unitQ[i]),
    point.x1.map((v, i) => v + unitE[i]),
    point.x2,
  ];
  const radius = Math.min(...rays.map((v) => regionRadius(region, point.x, v)));
  const label = (y: readonly number[]) => argmax(net.outputs(y));
  const at = (v: readonly number[], e: number) => point.x.map((xi, i) => xi + e * v[i]);
  const row = (factor: number, epsilon: number): Theorem7LabelRow => {
    const q = theorem7Attack(net, point, epsilon, { gradients: g });
    const e = singleGradientAttack(net, point, epsilon, { gradients: g });
    const start = at(point.x1, epsilon);
    return {
      network: n.label,
      factor,
      epsilon,
      samePattern: rays.every(
        (v) => activationPattern(n.params, at(v, epsilon)) === region.pattern,
      ),
      belowRadius: epsilon < radius,
      start: label(start),
      target: label(at(point.x2, epsilon)),
      labelQ: label(start.map((v, i) => v + q.q[i])),
      labelE: label(start.map((v, i) => v + e.e[i])),
      errorQ: Math.max(...q.relativeErrors),
      errorE: e.relativeError,
    };
  };
  const rows = [...c.epsilonFactors.map((f) => row(f, f * radius)), row(Number.NaN, 1)];
  const swept = rows.filter((r) => !Number.isNaN(r.factor));
  const inside = swept.filter((r) => r.belowRadius);
  return {
    network: n.label,
    point,
    radius,
    rows,
    patternAgrees: swept.filter((r) => r.samePattern === r.belowRadius).length,
    epsilons: swept.length,
    inside: inside.length,
    insideFlips: inside.filter(
      (r) => r.start !== r.target && r.labelQ === r.target && r.labelE === r.target,
    ).length,
    insideError: inside.length
      ? Math.max(...inside.flatMap((r) => [r.errorQ, r.errorE]))
      : Number.NaN,
  };
}

/** theorem7LabelSweep for each network, with every row for one table. */
export function theorem7LabelSweeps(
  nets: readonly TrainedNetwork[],
  c: Theorem7Config,
  seed: number,
): { networks: Theorem7LabelSweep[]; rows: Theorem7LabelRow[] } {
  const networks = nets.map((n) => theorem7LabelSweep(n, c, seed));
  return { networks, rows: networks.flatMap((s) => s.rows) };
}

/**
 * The construction on one instance, coordinate by coordinate (a step a reader can follow): at the
 * first network's boundary point, x, x_1, x_2, the gradients, and q and e at ε = 1 (they scale
 * with ε), with ε* and the sizes.
 */
export function theorem7Instance(sweep: Theorem7LabelSweep, n: TrainedNetwork) {
  const net = reluNetwork(n.params);
  const p = sweep.point;
  const g = net.gradients(p.x);
  const q = theorem7Attack(net, p, 1, { gradients: g });
  const e = singleGradientAttack(net, p, 1, { gradients: g });
  const coordinates = p.x.map((x, i) => ({
    i: i + 1,
    x,
    x1: p.x1[i],
    x2: p.x2[i],
    grad1: g[0][i],
    grad2: g[1][i],
    q: q.q[i],
    e: e.e[i],
  }));
  const full = norm(sub(p.x2, p.x1));
  return {
    coordinates,
    summary: {
      network: sweep.network,
      t: p.t,
      residual: p.residual,
      radius: sweep.radius,
      full,
      qNorm: q.qNorm,
      eNorm: e.eNorm,
      compression: q.qNorm / full,
      rho: e.eNorm / full,
    },
  };
}

// ---------------------------------------------------------------- the remark's smallest perturbation

/** The derivative-free search against the remark's ‖e‖, at section 6's point. */
export type SingleGradientSearch = {
  network: string;
  /** ε at which the ball of radius ε(‖x_1‖ + ‖x_2 − x_1‖) around x lies in x's region. */
  searchEpsilon: number;
  /** ‖e‖ = ε‖P_{∇(f_1 − f_2)}(x_1 − x_2)‖ at that ε, the remark's bound. */
  bound: number;
  /** The distance from x + εx_1 to the nearest facet of x's region (h is affine on that ball). */
  ball: number;
  search: LevelSearch;
  /** search.norm / bound − 1: 0 when the remark's e is the smallest such perturbation. */
  excess: number;
  evaluations: number;
};

/**
 * The remark after Theorem 7 at section 6's point x = αb_1 + (1 − α)b_2 (pair stream [seed, 8]):
 * at an ε well inside x's region, the smallest perturbation that moves f_2 − f_1 from x + εx_1 to
 * its value at x + εx_2, found with forward passes only, against ‖e‖.
 */
export function singleGradientSearch(
  n: TrainedNetwork,
  c: Theorem7Config,
  seed: number,
): SingleGradientSearch {
  const pair = theorem7Pair(n.A, new Rng([seed, 8]));
  const point = theorem7Geometry(pair.b1, pair.b2, c.alpha);
  const net = reluNetwork(n.params);
  const g = net.gradients(point.x);
  const region = reluRegion(n.params, point.x);
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
  return {
    network: n.label,
    searchEpsilon: epsilon,
    bound: attack.eNorm,
    ball: regionBall(region, p),
    search: found,
    excess: found.norm / attack.eNorm - 1,
    evaluations: found.evaluations,
  };
}

/** singleGradientSearch for each network. */
export function singleGradientSearches(
  nets: readonly TrainedNetwork[],
  c: Theorem7Config,
  seed: number,
): SingleGradientSearch[] {
  return nets.map((n) => singleGradientSearch(n, c, seed));
}

// ---------------------------------------------------------------- Step 6: the label at ε = 1

/** One accurate network's pairs at ε = 1: how often each attack misses b_2's label. */
export type Theorem7FlipRow = {
  network: string;
  d: number;
  run: number;
  pairs: number;
  /** Pairs whose b_1 + q (Theorem 7) or b_1 + e (the remark) does not get b_2's label. */
  failuresQ: number;
  failuresE: number;
  /** The largest relative output error of each attack over the pairs (first order only). */
  errorQ: number;
  errorE: number;
  /** Mean over the pairs of ‖q‖/‖b_2 − b_1‖ and ‖e‖/‖b_2 − b_1‖. */
  sizeQ: number;
  sizeE: number;
};

export type Theorem7FlipStudy = {
  rows: Theorem7FlipRow[];
  /** Verdicts on the failure rate (unit: the network), against margins.json's margin. */
  q: VerdictNumbers;
  e: VerdictNumbers;
  margin: TheoremMargin;
};

/**
 * Step 6: Theorem 7 at ε = 1, where x + εx_1 = b_1 and x + εx_2 = b_2 are the data points and the
 * first-order argument is no longer exact: for every accurate network of every d, `flipPairs`
 * pairs (stream [seed, 12, d, run]) at section 6's stencil α, q = P_{∇f_1(x),∇f_2(x)}(b_2 − b_1)
 * and e = P_{∇(f_1 − f_2)(x)}(b_2 − b_1), and the labels of b_1 + q and b_1 + e against b_2's.
 */
export function theorem7FlipStudy(
  nets: Theorem7Networks,
  c: Theorem7Config,
  seed: number,
): Theorem7FlipStudy {
  const rows = nets.byD.flatMap(({ d, accurate }) =>
    accurate.map((n): Theorem7FlipRow => {
      const net = reluNetwork(n.params);
      const rng = new Rng([seed, 12, d, n.run]);
      const row = {
        network: n.label,
        d,
        run: n.run,
        pairs: c.flipPairs,
        failuresQ: 0,
        failuresE: 0,
      };
      let [errorQ, errorE, sizeQ, sizeE] = [0, 0, 0, 0];
      for (let k = 0; k < c.flipPairs; k++) {
        const { b1, b2 } = theorem7Pair(n.A, rng);
        const point = theorem7Geometry(b1, b2, c.flipAlphas[k % c.flipAlphas.length]);
        const g = net.gradients(point.x);
        const q = theorem7Attack(net, point, 1, { gradients: g });
        const e = singleGradientAttack(net, point, 1, { gradients: g });
        const target = argmax(net.outputs(b2));
        if (argmax(net.outputs(b1.map((v, i) => v + q.q[i]))) !== target) row.failuresQ++;
        if (argmax(net.outputs(b1.map((v, i) => v + e.e[i]))) !== target) row.failuresE++;
        errorQ = Math.max(errorQ, ...q.relativeErrors);
        errorE = Math.max(errorE, e.relativeError);
        sizeQ += q.qNorm / q.fullNorm / c.flipPairs;
        sizeE += e.eNorm / q.fullNorm / c.flipPairs;
      }
      return { ...row, errorQ, errorE, sizeQ, sizeE };
    }),
  );
  const margin = theoremMargin("theorem7.label-failure");
  const verdict = (key: "failuresQ" | "failuresE", what: string) =>
    clusteredRateVerdict({
      units: rows.map((r) => ({ failures: r[key], trials: r.pairs })),
      margin: margin.margin,
      what,
    });
  return {
    rows,
    q: verdict("failuresQ", "b₁ + q not labelled as b₂"),
    e: verdict("failuresE", "b₁ + e not labelled as b₂"),
    margin,
  };
}

// ---------------------------------------------------------------- Step 7: compression across d

export type Theorem7CompressionRow = {
  network: string;
  d: number;
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

/** Step 7 at one d: accurate networks' squared compression against the Gaussian case's 2/d. */
export type Theorem7CompressionStudy = {
  network: string;
  d: number;
  /** Accurate networks (independent runs). */
  networks: number;
  /** The Gaussian case: E‖Pv‖²/‖v‖² = 2/d (Theorem 7), 1/d for the single direction (ρ²). */
  gaussian2: number;
  gaussianRho2: number;
  /** Arithmetic means over the networks of compression2 and of ρ², with 99% t intervals. */
  compression2: { mean: number; lo: number; hi: number };
  rho2: { mean: number; lo: number; hi: number };
  /** The geometric mean over the networks of compression2/(2/d) against [1/2, 2] (margins.json). */
  verdict: VerdictNumbers;
  /**
   * The same for the remark's single direction: the geometric mean of ρ²/(1/d). Cross-entropy over
   * two outputs depends on f₁ − f₂ only, so training never moves ∇(f₁ + f₂) from its initial
   * (random) direction: the two-gradient compression is ≈ ρ² + (1 − ρ²)/(d − 1), part random;
   * ρ² is the trained direction's alone.
   */
  single: VerdictNumbers;
};

/**
 * Step 7: at every d of compressionDims, for each accurate network, Theorem 7's squared
 * compression (and ρ²) at α averaged over `pairs` pairs (b_1, b_2) (all of them when there are
 * fewer; else a uniform draw without replacement, stream [seed, 11, d, run]); over the networks
 * (independent runs), the geometric mean of compression2/(2/d) decided against the margin of
 * margins.json (theorem7.compression-gaussian). Columns 2m and 2m + 1 of the point matrix differ
 * in the last sign only (z_{+1} and z_{−1}, lib/data encoding).
 */
export function theorem7Compression(
  nets: Theorem7Networks,
  c: Theorem7Config,
  seed: number,
): { rows: Theorem7CompressionRow[]; studies: Theorem7CompressionStudy[] } {
  const fn = "theorem7Compression";
  const margin = theoremMargin("theorem7.compression-gaussian");
  const rows: Theorem7CompressionRow[] = [];
  const studies = nets.byD.map(({ d, accurate }) => {
    if (accurate.length < 3)
      fail(fn, `accurate networks at d = ${d}`, accurate.length, "must be at least 3");
    const count = theorem7PairCount({ d, pairs: c.pairs });
    const mine = accurate.map((n) => {
      const { X } = hypercubeData(n.A);
      const all = X.columns / 2;
      const order =
        count < all
          ? Array.from(new Rng([seed, 11, d, n.run]).permutation(all))
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
        d,
        run: n.run,
        pairs: comp.length,
        compression2,
        ratio: compression2 / (2 / d),
        rho2: mean(r2),
      };
    });
    rows.push(...mine);
    const interval = (x: number[]) => {
      const t = meanTTest(x, 0, 0.99);
      return { mean: t.estimate, lo: t.lo, hi: t.hi };
    };
    return {
      network: mine[0].network,
      d,
      networks: mine.length,
      gaussian2: 2 / d,
      gaussianRho2: 1 / d,
      compression2: interval(mine.map((r) => r.compression2)),
      rho2: interval(mine.map((r) => r.rho2)),
      verdict: ratioVerdict({
        ratios: mine.map((r) => r.ratio),
        margin: margin.margin,
        what: `(mean ‖P(x₂ − x₁)‖²/‖x₂ − x₁‖² over ${count} pairs) / (2/d) at d = ${d}`,
      }),
      single: ratioVerdict({
        ratios: mine.map((r) => r.rho2 * d),
        margin: margin.margin,
        what: `(mean ρ² over ${count} pairs) / (1/d) at d = ${d}`,
      }),
    };
  });
  return { rows, studies };
}

/** The headline: each d's geometric mean against 2/d, and Step 6's failure rates. */
export function theorem7Headline(
  studies: readonly Theorem7CompressionStudy[],
  flips: Theorem7FlipStudy,
  c: Theorem7Config,
): Headline[] {
  const v = (x: VerdictNumbers) => ({
    lo: x.interval[0],
    hi: x.interval[1],
    level: 1 - 2 * x.level,
  });
  return [
    ...studies.map((s) => ({
      quantity:
        `geometric mean over ${s.networks} accurate networks ${s.network} of mean ` +
        `‖P(x₂−x₁)‖²/‖x₂−x₁‖² at α = ${c.alpha} over 2/d`,
      ours: s.verdict.estimate,
      interval: v(s.verdict),
      paper: "1 for Gaussian gradients (Theorem 7: mean 2/d)",
      verdict: `${s.verdict.outcome} (margin ×[${s.verdict.margin.join(", ")}]; beyond the paper)`,
    })),
    ...studies.map((s) => ({
      quantity:
        `geometric mean over ${s.networks} accurate networks ${s.network} of mean ρ² ` +
        `at α = ${c.alpha} over 1/d (the trained direction ∇(f₁ − f₂) alone)`,
      ours: s.single.estimate,
      interval: v(s.single),
      paper: "1 for Gaussian gradients (the remark: mean 1/d)",
      verdict: `${s.single.outcome} (margin ×[${s.single.margin.join(", ")}]; beyond the paper)`,
    })),
    ...(
      [
        ["q (Theorem 7)", flips.q],
        ["e (the remark)", flips.e],
      ] as const
    ).map(([what, x]) => ({
      quantity: `rate at which b₁ + ${what} misses b₂'s label (ε = 1), over ${flips.rows.length} accurate networks`,
      ours: x.estimate,
      interval: v(x),
      paper: "0 (the perturbation changes the label)",
      verdict: `${x.outcome} (margin ${x.margin[1]})`,
    })),
  ];
}

// ---------------------------------------------------------------- Step 8: the Gaussian case

export type Theorem7GaussianRow = {
  d: number;
  draws: number;
  /** Mean of ‖Pv‖²/‖v‖² over the draws, and the Gaussian case's 2/d (shown, not tested). */
  meanRatio2: number;
  expectedRatio2: number;
  /** Median of d·‖Pv‖²/‖v‖²: Θ(d) means this has a d-free law (χ²₂ in the limit, median 2 ln 2). */
  medianScaled: number;
  /**
   * The largest relative difference between the sampler's ‖Pv‖², ‖v‖² and ‖Pv‖²/‖v‖² and the same
   * quantities recomputed from the replayed draws by the 2 × 2 normal equations.
   */
  maxError: number;
  /** One-sample KS test of ‖Pv‖²/‖v‖² against Beta(1, (d − 2)/2), with its power. */
  test: TestInput;
  /** The draws of ‖Pv‖²/‖v‖², for figures. */
  ratio2: number[];
};

/**
 * The Gaussian case at each d of the config (stream [seed, 9, k] for the k-th d): the sampler
 * (lib/theorems/theorem7.ts, a QR projection) checked by a second route (the stream replayed,
 * ‖P_{g_1,g_2}v‖² = bᵀG⁻¹b with G = [g_iᵀg_j], b = [g_iᵀv], ‖v‖² = vᵀv), and the law A.4 states,
 * ‖Pv‖² ~ χ²₂ over ‖v‖² ~ χ²_d, i.e. ‖Pv‖²/‖v‖² ~ Beta(1, (d − 2)/2), tested per d.
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
    const ks = ksTest(sq, (t) => betaCdf(t, 1, (d - 2) / 2));
    return {
      d,
      draws: sq.length,
      meanRatio2: mean(sq),
      expectedRatio2: 2 / d,
      medianScaled: median(sq.map((x) => d * x)),
      maxError,
      test: {
        pValue: ks.pValue,
        statistic: ks.statistic,
        hypothesis: `‖Pv‖²/‖v‖² ~ Beta(1, (d − 2)/2) at d = ${d} (‖Pv‖² ~ χ²₂, ‖v‖² ~ χ²_d, A.4)`,
        method: `one-sample Kolmogorov–Smirnov, exact p-value, ${sq.length} draws`,
        power: { kind: "ks", n: sq.length },
      },
      ratio2: sq,
    };
  });
}

// ---------------------------------------------------------------- tables

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
        `one hidden layer at d = ${c.compressionDims.join(", ")}: until ${c.accurate} are ` +
        `accurate (at most ${c.maxRuns}); at d = ${c.d}: until one is; others at d = ` +
        `${c.d}: ${c.stepRuns} each`,
      why: "section 6 keeps networks of training accuracy 1; independent A and initialisation",
    },
    {
      parameter: "training",
      value: `${c.epochs} epochs, batch ${c.batchSize}, Adam (PyTorch defaults)`,
      why: "section 6: 20 epochs; the batch is not stated (16: notebook 09's smallest)",
    },
    {
      parameter: "Step 6",
      value: `${c.flipPairs} pairs per accurate network, α from section 6's stencil`,
      why: "the label at ε = 1, the data points themselves",
    },
    {
      parameter: "Step 7",
      value: `up to ${c.pairs} pairs per network, at α = ${c.alpha}`,
      why: "the compression against the Gaussian case's 2/d, at each d",
    },
    { parameter: "ε / ε*", value: c.epsilonFactors.join(", "), why: "around the region's edge ε*" },
    {
      parameter: "Gaussian case",
      value: `d = ${c.gaussianDims.join(", ")}; ${c.gaussianDraws} draws each`,
      why: "Theorem 7's Gaussian case: its sampler by a second route, and its law",
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
  | "config"
  | "networks"
  | "gradients"
  | "instance"
  | "instanceSummary"
  | "sweep"
  | "search"
  | "flips"
  | "compression"
  | "gaussian",
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
      caption: "Trained networks, per architecture and d",
      columns: cols(
        ["network", "network"],
        ["runs", "runs"],
        ["accurate", "training accuracy 1"],
        ["minAccuracy", "lowest accuracy"],
        ["maxAccuracy", "highest accuracy"],
        ["shownRun", "run of steps 2–5"],
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
    instance: {
      caption: "One boundary point, coordinate by coordinate (q and e at ε = 1; both scale with ε)",
      columns: cols(
        ["i", "i"],
        ["x", "x"],
        ["x1", "x₁"],
        ["x2", "x₂"],
        ["grad1", "∇f₁(x)"],
        ["grad2", "∇f₂(x)"],
        ["q", "q = P(x₂ − x₁)"],
        ["e", "e = P₍∇(f₁−f₂)₎(x₂ − x₁)"],
      ),
    },
    instanceSummary: {
      caption: "The same point: where it lies, its region and the sizes",
      columns: cols(
        ["network", "network"],
        ["t", "x = t·b₁ + (1 − t)·b₂"],
        ["residual", "|f₁ − f₂| / max|f| at x"],
        ["radius", "ε*"],
        ["full", "‖x₂ − x₁‖"],
        ["qNorm", "‖q‖"],
        ["eNorm", "‖e‖"],
        ["compression", "‖q‖ / ‖x₂ − x₁‖"],
        ["rho", "ρ = ‖e‖ / ‖x₂ − x₁‖"],
      ),
    },
    sweep: {
      caption: "Labels (output index) at the boundary point over ε (the last row of each: ε = 1)",
      columns: cols(
        ["network", "network"],
        ["factor", "ε / ε*"],
        ["epsilon", "ε"],
        ["samePattern", "x's pattern at every point"],
        ["start", "label at x + εx₁"],
        ["target", "label at x + εx₂"],
        ["labelQ", "label after q"],
        ["labelE", "label after e"],
        ["errorQ", "output error, q"],
        ["errorE", "output error, e"],
      ),
    },
    search: {
      caption:
        "The single-gradient perturbation e against a derivative-free search for a smaller one",
      columns: cols(
        ["network", "network"],
        ["searchEpsilon", "ε of the search"],
        ["bound", "‖e‖"],
        ["ball", "radius of the ball in x's region"],
        ["excess", "smallest found / ‖e‖ − 1"],
        ["evaluations", "forward passes"],
      ),
    },
    flips: {
      caption: "At ε = 1 (b₁ → b₂), per accurate network: pairs whose label the attack misses",
      columns: cols(
        ["network", "network"],
        ["run", "run"],
        ["pairs", "pairs"],
        ["failuresQ", "missed by q"],
        ["failuresE", "missed by e"],
        ["errorQ", "largest output error, q"],
        ["errorE", "largest output error, e"],
        ["sizeQ", "mean ‖q‖ / ‖b₂ − b₁‖"],
        ["sizeE", "mean ‖e‖ / ‖b₂ − b₁‖"],
      ),
    },
    compression: {
      caption:
        `Accurate networks' mean squared compression at α = ${c.alpha} (means with 99% t ` +
        "intervals; the ratio's interval is the verdict's)",
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
        ["outcome", "verdict"],
        ["rho2Mean", "ρ²"],
        ["gaussianRho2", "Gaussian: 1/d"],
        ["single", "geometric mean ρ² / (1/d)"],
        ["singleLo", "lo"],
        ["singleHi", "hi"],
        ["singleOutcome", "verdict"],
      ),
    },
    gaussian: {
      caption: `Gaussian case, ${c.gaussianDraws} draws per d`,
      columns: cols(
        ["d", "d"],
        ["maxError", "sampler against the normal equations"],
        ["meanRatio2", "mean ‖Pv‖²/‖v‖²"],
        ["expectedRatio2", "2/d"],
        ["medianScaled", "median d·‖Pv‖²/‖v‖²"],
      ),
    },
  };
}

/** Step 7's studies as table rows (the intervals' ends as columns). */
export function theorem7CompressionTableRows(studies: readonly Theorem7CompressionStudy[]) {
  return studies.map((s) => ({
    network: s.network,
    networks: s.networks,
    compression2Mean: s.compression2.mean,
    compression2Lo: s.compression2.lo,
    compression2Hi: s.compression2.hi,
    gaussian2: s.gaussian2,
    ratio: s.verdict.estimate,
    ratioLo: s.verdict.interval[0],
    ratioHi: s.verdict.interval[1],
    outcome: s.verdict.outcome,
    rho2Mean: s.rho2.mean,
    gaussianRho2: s.gaussianRho2,
    single: s.single.estimate,
    singleLo: s.single.interval[0],
    singleHi: s.single.interval[1],
    singleOutcome: s.single.outcome,
  }));
}
