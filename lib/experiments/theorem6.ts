/**
 * Theorem 6's studies (section 4, appendix A.3, and the φ of section 6): the step-through instance
 * and its attack; the optimal (minimum-distance) classifier's exact robustness min_u ‖A u‖ as d
 * grows, with the first claim tested against the proof's union bound; the law of x_i − x_j that the
 * proof uses; the laws of R_dd and φ = |R_dd| / ‖a_d‖; section 6's ×5 scaling of every column of A
 * but the last; and the extension to general Gaussian and deeper hidden layers.
 */
import { Matrix } from "ml-matrix";
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import type { Claim, TestInput } from "../claims/ledger";
import type { Headline } from "../claims/outputs";
import { minimalPerturbationLinear } from "../attacks/linear";
import { hypercubeData, scaleLeadingColumns, type HypercubeData } from "../data/hypercube";
import { qrR } from "../linalg/qr";
import { norm } from "../linalg/vectors";
import {
  ALL_PAIRS_MAX_D,
  BRUTE_FORCE_MAX_D,
  latticeMinimumBruteForce,
  latticeMinimumSphere,
  oppositeClassDistance,
} from "../optimal/lattice";
import { gaussianMatrix, orthonormalColumns } from "../random/gaussian";
import type { Rng } from "../random/rng";
import {
  betaCdf,
  binomialCdf,
  chiCdf,
  chiSquareCdf,
  logGamma,
  normalCdf,
  normalQuantile,
  studentTCdf,
} from "../stats/distributions";
import { mean, median, std } from "../stats/summary";
import { linearFit, slopeInterval, slopeTest } from "../stats/summary";
import { clopperPearson, ksTest } from "../stats/tests";
import { fisherExactGreater } from "../stats/twosample";
import * as theorem6 from "../theorems/theorem6";
import type { Scale } from "./config";
import { multiply } from "../linalg/product";

export type Theorem6Config = {
  /** d of the step-through instance: all 2^d points are built and every opposite pair compared. */
  d: number;
  /** Hidden width m ≥ d of H_1 (section 6 uses 3000). */
  m: number;
  /** Section 6 multiplies every column of A but the last by this factor. */
  scaleFactor: number;
  /** The optimal classifier's exact robustness (sphere decoder): dimensions, draws per d. */
  optimalDims: number[];
  optimalDraws: number;
  /** Brute force checks the sphere decoder on the first draws of every d ≤ bruteForceMaxD. */
  bruteForceMaxD: number;
  bruteForceDraws: number;
  /** The laws of R_dd and φ = |R_dd| / ‖a_d‖: dimensions and draws per d. */
  phiDims: number[];
  phiDraws: number;
  /** Opposite-class pairs (x_i, x_j), each with a fresh A, for the law of x_i − x_j (A.3). */
  differenceDraws: number;
  /** How often the ×scaleFactor variant's optimum falls below ‖a_d‖: dimensions, draws per d. */
  scaledDims: number[];
  scaledDraws: number;
  /** The extension to more layers: Gaussian layers of widths d·growth^i, i = 1 … depth. */
  extensionDepth: number;
  extensionGrowth: number;
  /** Coverage of the intervals shown (slopes, medians, rates). */
  level: number;
};

export const theorem6Defaults: Record<Scale, Theorem6Config> = {
  quick: {
    d: 8,
    m: 64,
    scaleFactor: 5,
    optimalDims: [4, 6, 8, 12, 16, 24, 32, 40],
    optimalDraws: 40,
    bruteForceMaxD: 12,
    bruteForceDraws: 3,
    phiDims: [4, 12, 40],
    phiDraws: 1000,
    differenceDraws: 500,
    scaledDims: [4, 8, 12],
    scaledDraws: 500,
    extensionDepth: 3,
    extensionGrowth: 2,
    level: 0.99,
  },
  paper: {
    d: 12,
    m: 3000,
    scaleFactor: 5,
    optimalDims: [4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 36, 40],
    optimalDraws: 100,
    bruteForceMaxD: 14,
    bruteForceDraws: 3,
    phiDims: [4, 12, 40, 100],
    phiDraws: 1500,
    differenceDraws: 1000,
    scaledDims: [4, 8, 12],
    scaledDraws: 3000,
    extensionDepth: 3,
    extensionGrowth: 2,
    level: 0.99,
  },
};

/**
 * What this machine does in about a minute per step (2 cores shared), measured: the sphere decoder
 * takes about 0.05 s per draw at d = 40 (both variants) and about 4 times as long for every 4
 * more dimensions; the all-pairs check compares about 10 million pairs a second; the hidden
 * layer's outputs run at about 10⁹ multiply-adds a second; a d×d Gaussian draw and its QR take
 * about 8 ns per d³; @stdlib's exact one-sample KS p-value takes about 1 s for 12 000 values.
 */
export const THEOREM6_LIMITS = {
  /** Largest dimension of the exact optimum (0.8 s per draw at d = 48). */
  optimalMaxD: 48,
  /** Estimated seconds of the optimal study. */
  optimalSeconds: 90,
  /** m · d · 2^d multiply-adds for the outputs through the hidden layer. */
  hiddenWork: 2e9,
  /** Σ draws · d³ of the laws of R_dd and φ. */
  phiWork: 8e9,
  /** Entries (draws · d) of the exact KS test of x_i − x_j. */
  differenceEntries: 16000,
  /** Largest width of the extension's last layer. */
  extensionWidth: 4096,
};

/** Estimated seconds of the sphere decoder for one draw at d (both variants), from the rate above. */
export function sphereSecondsEstimate(d: number): number {
  return 0.05 * 4 ** ((d - 40) / 4);
}

/**
 * Refuses, before any work, configurations the notebook cannot use or this machine cannot run in
 * about a minute per step (THEOREM6_LIMITS, with the measured rates).
 */
export function validateTheorem6Config(c: Theorem6Config): void {
  const fn = "validateTheorem6Config";
  if (!Number.isInteger(c.d) || c.d < 2 || c.d > ALL_PAIRS_MAX_D)
    fail(
      fn,
      "d",
      c.d,
      `must be an integer in [2, ${ALL_PAIRS_MAX_D}]: the instance compares every opposite pair ` +
        `(4^{d−1}: 67 million at d = 14, 7 s at about 10 million a second)`,
    );
  requireInteger(fn, "m", c.m, c.d);
  const hidden = c.m * c.d * 2 ** c.d;
  if (hidden > THEOREM6_LIMITS.hiddenWork)
    fail(
      fn,
      "m",
      c.m,
      `must be <= ${Math.floor(THEOREM6_LIMITS.hiddenWork / (c.d * 2 ** c.d))} at d = ${c.d}: ` +
        `the outputs through the hidden layer take m·d·2^d multiply-adds ` +
        `(${THEOREM6_LIMITS.hiddenWork.toExponential()} at most, a few seconds at 10⁹ per second)`,
    );
  requirePositive(fn, "scaleFactor", c.scaleFactor);
  c.optimalDims.forEach((d, i) =>
    requireInteger(fn, `optimalDims[${i}]`, d, 2, THEOREM6_LIMITS.optimalMaxD),
  );
  for (const [name, dims] of [
    ["optimalDims", c.optimalDims],
    ["phiDims", c.phiDims],
    ["scaledDims", c.scaledDims],
  ] as const) {
    if (dims.length === 0 || new Set(dims).size !== dims.length)
      fail(
        fn,
        name,
        dims,
        "must be distinct dimensions, at least one (a repeated d repeats draws)",
      );
  }
  if (c.optimalDims.length < 3)
    fail(fn, "optimalDims", c.optimalDims, "must hold at least 3 dimensions (slopes are fitted)");
  requireInteger(fn, "optimalDraws", c.optimalDraws, 2);
  const seconds = c.optimalDims.reduce((s, d) => s + c.optimalDraws * sphereSecondsEstimate(d), 0);
  if (seconds > THEOREM6_LIMITS.optimalSeconds)
    fail(
      fn,
      "optimalDraws",
      c.optimalDraws,
      `is too many for optimalDims up to ${Math.max(...c.optimalDims)}: the sphere decoder ` +
        `would take about ${seconds.toFixed(0)} s (0.05 s per draw at d = 40, 4× per 4 more ` +
        `dimensions; at most ${THEOREM6_LIMITS.optimalSeconds} s)`,
    );
  requireInteger(fn, "bruteForceMaxD", c.bruteForceMaxD, 2, BRUTE_FORCE_MAX_D);
  requireInteger(fn, "bruteForceDraws", c.bruteForceDraws, 1, c.optimalDraws);
  c.phiDims.forEach((d, i) => requireInteger(fn, `phiDims[${i}]`, d, 2, 400));
  requireInteger(fn, "phiDraws", c.phiDraws, 20);
  const phiWork = c.phiDims.reduce((s, d) => s + c.phiDraws * d ** 3, 0);
  if (phiWork > THEOREM6_LIMITS.phiWork)
    fail(
      fn,
      "phiDraws",
      c.phiDraws,
      `is too many for phiDims up to ${Math.max(...c.phiDims)}: Σ draws·d³ = ` +
        `${phiWork.toExponential(1)} > ${THEOREM6_LIMITS.phiWork.toExponential()} ` +
        `(a minute at about 8 ns per d³ for a Gaussian draw and its QR)`,
    );
  requireInteger(fn, "differenceDraws", c.differenceDraws, 20);
  if (c.differenceDraws * c.d > THEOREM6_LIMITS.differenceEntries)
    fail(
      fn,
      "differenceDraws",
      c.differenceDraws,
      `must be <= ${Math.floor(THEOREM6_LIMITS.differenceEntries / c.d)} at d = ${c.d}: the ` +
        `exact KS test of draws·d entries grows about quadratically (1 s at 12 000, 9 s at 24 000)`,
    );
  c.scaledDims.forEach((d, i) => requireInteger(fn, `scaledDims[${i}]`, d, 2, 24));
  requireInteger(fn, "scaledDraws", c.scaledDraws, 20, 1e5);
  requireInteger(fn, "extensionDepth", c.extensionDepth, 1, 8);
  requireInRange(fn, "extensionGrowth", c.extensionGrowth, 1, 8);
  const width = Math.round(c.d * c.extensionGrowth ** c.extensionDepth);
  if (width > THEOREM6_LIMITS.extensionWidth)
    fail(
      fn,
      "extensionDepth",
      c.extensionDepth,
      `gives a last width ${width} > ${THEOREM6_LIMITS.extensionWidth} ` +
        `(memory and time of the layers' product)`,
    );
  requireInRange(fn, "level", c.level, 0.5, 1, [true, false]);
}

// ---------------------------------------------------------------- the step-through instance

export type Theorem6VariantKey = "gaussian" | "scaled";

/** One variant of A on the step-through instance, with its network. */
export type Theorem6Variant = {
  key: Theorem6VariantKey;
  name: string;
  /** d×d: Gaussian, or section 6's with every column but the last × scaleFactor. */
  A: Matrix;
  data: HypercubeData;
  net: theorem6.Theorem6Network;
  /** |R_dd| of A = Q_2 R and ‖a_d‖. */
  rdd: number;
  lastColumn: number;
  /** max_i |f_{+1}(x_i) − z_i(d)| over the 2^d points, outputs through the hidden layer. */
  condition8Error: number;
  /** max(|R − R_A|, |Q_1 − H_1 Q_2|): the QR of H_1 A against the QR of A. */
  sharedRError: number;
};

export type Theorem6Instance = {
  d: number;
  m: number;
  /** m×d with H_1ᵀH_1 = I (Haar). */
  H1: Matrix;
  variants: Theorem6Variant[];
  /** max_i |R_{i,d}(scaled) − R_{i,d}| / ‖a_d‖: the last column of R under the scaling. */
  lastColumnChange: number;
};

function maxAbsDiff(A: Matrix, B: Matrix): number {
  let m = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.columns; j++) m = Math.max(m, Math.abs(A.get(i, j) - B.get(i, j)));
  return m;
}

/**
 * Theorem 6's network (appendix A.3) on all 2^d points, for A Gaussian and for section 6's
 * variant, with condition (8) checked through the hidden layer.
 * @param rng streams: child 1 A, child 2 H_1
 */
export function theorem6Instance(c: Theorem6Config, rng: Rng): Theorem6Instance {
  const d = c.d;
  const A0 = gaussianMatrix(rng.child(1), d, d);
  const H1 = orthonormalColumns(rng.child(2), c.m, d);
  const variants = (["gaussian", "scaled"] as const).map((key): Theorem6Variant => {
    const A = key === "gaussian" ? A0 : scaleLeadingColumns(A0, c.scaleFactor);
    const data = hypercubeData(A);
    const net = theorem6.theorem6Network(A, H1);
    const f = theorem6.theorem6HiddenOutputs(net, data.X);
    return {
      key,
      name: key === "gaussian" ? "A Gaussian" : `A with columns 1…d−1 ×${c.scaleFactor}`,
      A,
      data,
      net,
      rdd: net.RA.get(d - 1, d - 1),
      lastColumn: norm(A.getColumn(d - 1)),
      condition8Error: Math.max(...f.map((v, i) => Math.abs(v - data.labels[i]))),
      sharedRError: Math.max(maxAbsDiff(net.R, net.RA), maxAbsDiff(net.Q1, multiply(H1, net.Q2))),
    };
  });
  const [g, s] = variants;
  let lastColumnChange = 0;
  for (let i = 0; i < d; i++)
    lastColumnChange = Math.max(
      lastColumnChange,
      Math.abs(s.net.RA.get(i, d - 1) - g.net.RA.get(i, d - 1)) / g.lastColumn,
    );
  return { d, m: c.m, H1, variants, lastColumnChange };
}

/** The attack of eqs. (9)–(10) on one variant, and the network's smallest flipping perturbation. */
export type Theorem6AttackStep = {
  key: Theorem6VariantKey;
  name: string;
  /** Points of class +1 (attacked). */
  points: number;
  /** max |f_{+1}(x_i + e) + 1| and |f_{−1}(x_i + e) − 1| over class +1 (eq. 9). */
  eq9Error: number;
  /** ‖e‖ (eq. 10 says 2|R_dd|), |R_dd| and ‖a_d‖. */
  eNorm: number;
  rdd: number;
  lastColumn: number;
  /** Points of class +1 flipped by (1 + ε)|R_dd| and by (1 − ε)|R_dd| along −Q_{2,:,d}. */
  flippedOver: number;
  flippedUnder: number;
  /** max over all 2^d points |closed-form minimal perturbation of [p_{+1}; p_{−1}] − |R_dd|| / |R_dd|. */
  robustnessError: number;
};

/**
 * Eq. (9)'s attack on every point of class +1, a step of (1 ± ε)|R_dd| along −Q_{2,:,d}, and the
 * closed-form smallest flipping perturbation of the network at every point (attacks/linear).
 */
export function theorem6AttackStep(v: Theorem6Variant, eps: number): Theorem6AttackStep {
  requireInRange("theorem6AttackStep", "eps", eps, 0, 0.5, [false, true]);
  const { net, data } = v;
  const d = data.X.rows;
  const plus = data.labels.flatMap((l, i) => (l > 0 ? [i] : []));
  const e = theorem6.theorem6Attack(net);
  const after = theorem6.theorem6Outputs(net, theorem6.perturbColumns(data.X, plus, e));
  const q = net.Q2.getColumn(d - 1);
  const flipped = (t: number) => {
    const out = theorem6.theorem6Outputs(
      net,
      theorem6.perturbColumns(
        data.X,
        plus,
        q.map((x) => -t * v.rdd * x),
      ),
    );
    return plus.filter((i) => out.minus[i] > out.plus[i]).length;
  };
  const W2 = new Matrix([net.probePlus, net.probeMinus]);
  let robustnessError = 0;
  for (let k = 0; k < data.X.columns; k++) {
    const r = minimalPerturbationLinear(W2, null, data.X.getColumn(k)).norm;
    robustnessError = Math.max(robustnessError, Math.abs(r - v.rdd) / v.rdd);
  }
  return {
    key: v.key,
    name: v.name,
    points: plus.length,
    eq9Error: Math.max(
      ...plus.map((i) => Math.max(Math.abs(after.plus[i] + 1), Math.abs(after.minus[i] - 1))),
    ),
    eNorm: norm(e),
    rdd: v.rdd,
    lastColumn: v.lastColumn,
    flippedOver: flipped(1 + eps),
    flippedUnder: flipped(1 - eps),
    robustnessError,
  };
}

/** The optimal classifier's exact robustness on the instance, by three routes. */
export type Theorem6InstanceOptimum = {
  key: Theorem6VariantKey;
  name: string;
  /** ½ min ‖x_i − x_j‖ over every pair of opposite classes (4^{d−1} pairs). */
  allPairs: number;
  /** min_u ‖A u‖ by brute force over u ∈ {−1, 0, 1}^{d−1} × {1} and by the sphere decoder. */
  bruteForce: number;
  sphere: number;
  /** The network's robustness |R_dd| and the ratio |R_dd| / optimum. */
  rdd: number;
  ratio: number;
  /** ‖a_d‖ (section 6's yardstick for the optimal classifier). */
  lastColumn: number;
  /** |allPairs − sphere| / sphere and |bruteForce − sphere| / sphere. */
  reductionError: number;
  bruteError: number;
};

/**
 * The smallest distance between opposite classes on the instance, every pair compared, against
 * the reduction to min_u ‖A u‖ (lib/optimal) by brute force and by the sphere decoder.
 */
export function theorem6InstanceOptimum(inst: Theorem6Instance): Theorem6InstanceOptimum[] {
  return inst.variants.map((v) => {
    const allPairs = oppositeClassDistance(v.A).value / 2;
    const bruteForce = latticeMinimumBruteForce(v.A).value;
    const sphere = latticeMinimumSphere(v.A).value;
    return {
      key: v.key,
      name: v.name,
      allPairs,
      bruteForce,
      sphere,
      rdd: v.rdd,
      ratio: v.rdd / sphere,
      lastColumn: v.lastColumn,
      reductionError: Math.abs(allPairs - sphere) / sphere,
      bruteError: Math.abs(bruteForce - sphere) / sphere,
    };
  });
}

// ---------------------------------------------------------------- the first claim, over d

/**
 * The α of Theorem 6's first claim that the proof delivers (appendix A.3): with β = α²/4, Lemma 2
 * bounds P(‖x_i − x_j‖ < α√d) by (β e^{1−β})^{d/2} for a pair whose difference has i.i.d. entries of
 * variance at least 4, and the union bound over 2^{2(d−1)} pairs multiplies it by 4^{d−1}. At
 * β e^{1−β} = 1/16 the bound is 4^{d−1} · 4^{−d} = 1/4 at every d: the largest α for which the
 * argument bounds the failure probability uniformly in d.
 */
export function farApartAlpha(): number {
  let lo = 1e-12;
  let hi = 1;
  for (let k = 0; k < 200; k++) {
    const b = (lo + hi) / 2;
    if (b * Math.exp(1 - b) < 1 / 16) lo = b;
    else hi = b;
  }
  return 2 * Math.sqrt((lo + hi) / 2);
}

/**
 * The proof's bound (Lemma 2 and the union bound over 2^{2(d−1)} pairs, appendix A.3) on
 * P(min over opposite classes ‖x_i − x_j‖ < α√d): min(1, 4^{d−1} (β e^{1−β})^{d/2}), β = α²/4 < 1.
 */
export function farApartBound(alpha: number, d: number): number {
  requireInRange("farApartBound", "alpha", alpha, 0, 2, [false, false]);
  requireInteger("farApartBound", "d", d, 1);
  const b = (alpha * alpha) / 4;
  return Math.min(1, Math.exp((d - 1) * Math.log(4) + (d / 2) * Math.log(b * Math.exp(1 - b))));
}

/**
 * A sharper union bound (beyond the paper): over the 3^{d−1} difference patterns u = (z − z')/2
 * with u_d = 1 (k nonzero entries: C(d−1, k−1)·2^{k−1} of them), with the exact law
 * ‖x_i − x_j‖² = 4k·χ²_d instead of Lemma 2's Chernoff bound at variance 4.
 */
export function farApartSharpBound(alpha: number, d: number): number {
  requirePositive("farApartSharpBound", "alpha", alpha);
  requireInteger("farApartSharpBound", "d", d, 1);
  let s = 0;
  let logChoose = 0; // ln C(d−1, k−1)
  for (let k = 1; k <= d; k++) {
    if (k > 1) logChoose += Math.log(d - k + 1) - Math.log(k - 1);
    const p = chiSquareCdf((alpha * alpha * d) / (4 * k), d);
    if (p > 0) s += Math.exp(logChoose + (k - 1) * Math.LN2 + Math.log(p));
  }
  return Math.min(1, s);
}

/**
 * The largest α with farApartSharpBound(α, d) ≤ target (bisection; the bound increases with α):
 * the α at which the exact-χ² union bound is `target` (beyond the paper's Lemma 2 route).
 */
export function sharpBoundAlpha(d: number, target: number): number {
  requireInteger("sharpBoundAlpha", "d", d, 1);
  requireInRange("sharpBoundAlpha", "target", target, 0, 1, [false, false]);
  let lo = 0;
  let hi = 2 * Math.sqrt(d) + 10;
  for (let k = 0; k < 100; k++) {
    const m = (lo + hi) / 2;
    if (farApartSharpBound(m, d) <= target) lo = m;
    else hi = m;
  }
  return lo;
}

/** The exact-χ² union bound's value at which the study's α_d is set (see sharpBoundAlpha). */
export const SHARP_TARGET = 0.5;

/** One draw of the optimal study: both variants of A share the draw. */
export type Theorem6OptimalRow = {
  d: number;
  draw: number;
  /** The network's robustness |R_dd| (the same for both variants) and ‖a_d‖. */
  rdd: number;
  lastColumn: number;
  /** min_u ‖A u‖ for A Gaussian and for the ×scaleFactor variant (sphere decoder). */
  optimal: number;
  optimalScaled: number;
  /** Brute force on the first bruteForceDraws draws of d ≤ bruteForceMaxD (else NaN). */
  bruteForce: number;
  bruteForceScaled: number;
  /** Sphere decoder nodes (A Gaussian), deterministic. */
  nodes: number;
};

/** Per d: what the table shows. */
export type Theorem6OptimalSummary = {
  d: number;
  draws: number;
  medianRdd: number;
  medianOptimal: number;
  /** min over draws of min_u ‖A u‖ / √d. */
  minOptimalOverRootD: number;
  medianOptimalScaled: number;
  medianLastColumn: number;
  /** Draws with min over opposite classes ‖x_i − x_j‖ < α√d at the proof's α (farApartAlpha()). */
  failures: number;
  /** The proof's bound on that probability (Lemma 2 and the union bound, A.3). */
  bound: number;
  /** α_d: the exact-χ² union bound is SHARP_TARGET there; the draws below α_d√d. */
  sharpAlpha: number;
  sharpFailures: number;
  /** At the fixed α* (α_d of the smallest d): the draws below α*√d and the exact-χ² union bound. */
  fixedFailures: number;
  fixedBound: number;
  medianNodes: number;
  /** Draws whose optimum is ‖a_d‖ itself (u = e_d is the minimiser, to rounding). */
  atLastColumn: number;
  /** H₀: P(2 min_u ‖Au‖ < α_d√d) ≤ SHARP_TARGET at this d (exact one-sided binomial test). */
  test: TestInput;
};

/** A slope of a log–log fit, with its interval and a test. */
export type SlopeResult = {
  /** What is fitted, e.g. "ln min_u ‖Au‖ on ln d (A Gaussian)". */
  quantity: string;
  slope: number;
  stdError: number;
  lo: number;
  hi: number;
  level: number;
  /** The value the test compares the slope with. */
  against: number;
  test: TestInput;
};

export type Theorem6OptimalStudy = {
  rows: Theorem6OptimalRow[];
  byD: Theorem6OptimalSummary[];
  /** Instances checked by brute force, and the largest relative difference from the sphere decoder. */
  bruteChecked: number;
  bruteError: number;
  /**
   * The first claim. At the proof's α = farApartAlpha() the proof's bound (no test: it is 1/4,
   * far above the probability). At α_d (exact-χ² union bound = SHARP_TARGET at every d): the
   * failures over all draws against Bin(draws, SHARP_TARGET). At a fixed α* (α_d of the smallest
   * d): the failure rate over the smallest third of the d's against the largest third (one-sided
   * Fisher exact test), the paper's "with high probability" as d grows.
   */
  farApart: {
    alpha: number;
    failures: number;
    draws: number;
    bound: number;
    sharpFailures: number;
    test: TestInput;
    fixedAlpha: number;
    small: { dims: number[]; failures: number; draws: number };
    large: { dims: number[]; failures: number; draws: number };
    trendTest: TestInput;
  };
  /**
   * Beyond the paper: the share of draws whose optimum is ‖a_d‖ itself, the largest third of the
   * d's against the smallest third (H₀: not larger; one-sided Fisher exact test). It is why the
   * optimum's slope on ln d over a finite range exceeds ½: the optimum approaches ‖a_d‖ ≈ √d
   * from below.
   */
  lastColumn: {
    small: { dims: number[]; count: number; draws: number };
    large: { dims: number[]; count: number; draws: number };
    test: TestInput;
  };
  /** ln min_u ‖A u‖ on ln d (A Gaussian), tested against exponent ½ (one-sided). */
  growth: SlopeResult;
  /** ln(|R_dd| / min_u ‖A u‖) on ln d (A Gaussian), tested against −½ (one-sided: at most −½). */
  ratio: SlopeResult;
  /**
   * ln φ = ln(|R_dd| / ‖a_d‖) on ln d against its exact expectation over these d: an illustration
   * (φ's law is tested at each d by theorem6PhiStudy), no claim.
   */
  phi: SlopeResult;
};

/**
 * ψ(x), the digamma function for x > 0: the recurrence ψ(x) = ψ(x + 1) − 1/x up to x ≥ 8, then the
 * asymptotic series (absolute error below 1e-13 there).
 */
export function digamma(x: number): number {
  requirePositive("digamma", "x", x);
  let s = 0;
  while (x < 8) {
    s -= 1 / x;
    x += 1;
  }
  const r = 1 / (x * x);
  return (
    s +
    Math.log(x) -
    0.5 / x -
    r * (1 / 12 - r * (1 / 120 - r * (1 / 252 - r * (1 / 240 - r * (1 / 132)))))
  );
}

/** E ln φ at d: φ² ~ Beta(½, (d−1)/2), so E ln φ = ½ (ψ(½) − ψ(d/2)). */
export function expectedLogPhi(d: number): number {
  requireInteger("expectedLogPhi", "d", d, 2);
  return 0.5 * (digamma(0.5) - digamma(d / 2));
}

function slopeResult(
  quantity: string,
  x: number[],
  y: number[],
  level: number,
  against: number,
  alternative: "two-sided" | "greater" | "less",
  hypothesis: string,
): SlopeResult {
  const fit = linearFit(x, y);
  const ci = slopeInterval(fit, level);
  const t = slopeTest(fit, against, alternative);
  return {
    quantity,
    slope: fit.slope,
    stdError: fit.slopeStdError,
    lo: ci.lo,
    hi: ci.hi,
    level,
    against,
    test: {
      pValue: t.pValue,
      statistic: t.statistic,
      hypothesis,
      method: `t test of the least-squares slope (${alternative}, ${fit.n} draws)`,
    },
  };
}

/**
 * The optimal classifier's exact robustness min_u ‖A u‖ over draws of A at each d, both variants,
 * the first claim tested against the proof's union bound, and the three slopes.
 * @param rng child (d, draw) the draw of A
 */
export function theorem6OptimalStudy(c: Theorem6Config, rng: Rng): Theorem6OptimalStudy {
  const alpha = farApartAlpha();
  const rows: Theorem6OptimalRow[] = [];
  for (const d of c.optimalDims) {
    for (let k = 0; k < c.optimalDraws; k++) {
      const A = gaussianMatrix(rng.child(d, k), d, d);
      const S = scaleLeadingColumns(A, c.scaleFactor);
      const s = latticeMinimumSphere(A);
      const brute = d <= c.bruteForceMaxD && k < c.bruteForceDraws;
      rows.push({
        d,
        draw: k,
        rdd: qrR(A).get(d - 1, d - 1),
        lastColumn: norm(A.getColumn(d - 1)),
        optimal: s.value,
        optimalScaled: latticeMinimumSphere(S).value,
        bruteForce: brute ? latticeMinimumBruteForce(A).value : NaN,
        bruteForceScaled: brute ? latticeMinimumBruteForce(S).value : NaN,
        nodes: s.nodes,
      });
    }
  }
  const dims = [...new Set(c.optimalDims)].sort((a, b) => a - b);
  const sharpAlpha = new Map(dims.map((d) => [d, sharpBoundAlpha(d, SHARP_TARGET)]));
  const fixedAlpha = sharpAlpha.get(dims[0]) ?? NaN;
  const below = (a: number) => (r: Theorem6OptimalRow) => 2 * r.optimal < a * Math.sqrt(r.d);
  const fails = below(alpha);
  const sharpFails = (r: Theorem6OptimalRow) => below(sharpAlpha.get(r.d) ?? NaN)(r);
  const fixedFails = below(fixedAlpha);
  const isLast = (r: Theorem6OptimalRow) => r.optimal >= r.lastColumn * (1 - 1e-12);
  const byD = dims.map((d): Theorem6OptimalSummary => {
    const g = rows.filter((r) => r.d === d);
    const sharp = g.filter(sharpFails).length;
    return {
      d,
      draws: g.length,
      medianRdd: median(g.map((r) => r.rdd)),
      medianOptimal: median(g.map((r) => r.optimal)),
      minOptimalOverRootD: Math.min(...g.map((r) => r.optimal / Math.sqrt(d))),
      medianOptimalScaled: median(g.map((r) => r.optimalScaled)),
      medianLastColumn: median(g.map((r) => r.lastColumn)),
      failures: g.filter(fails).length,
      bound: farApartBound(alpha, d),
      sharpAlpha: sharpAlpha.get(d) ?? NaN,
      sharpFailures: g.filter(sharpFails).length,
      fixedFailures: g.filter(fixedFails).length,
      fixedBound: farApartSharpBound(fixedAlpha, d),
      medianNodes: median(g.map((r) => r.nodes)),
      atLastColumn: g.filter(isLast).length,
      test: {
        // P(Bin(n, t) ≥ k) = P(Bin(n, 1 − t) ≤ n − k).
        pValue: binomialCdf(g.length - sharp, g.length, 1 - SHARP_TARGET),
        statistic: sharp,
        hypothesis:
          `P(min over opposite classes ‖x_i − x_j‖ < α_d√d) ≤ ${SHARP_TARGET} at d = ${d}, ` +
          `α_d = ${(sharpAlpha.get(d) ?? NaN).toPrecision(4)} where the union bound over the ` +
          `3^(d−1) difference patterns with the exact law 4k·χ²_d is ${SHARP_TARGET}`,
        method: `exact one-sided binomial test of ${sharp} of ${g.length} draws`,
        power: { kind: "binomial", n: g.length, p0: SHARP_TARGET },
      },
    };
  });
  const checked = rows.filter((r) => !Number.isNaN(r.bruteForce));
  const bruteError = Math.max(
    0,
    ...checked.flatMap((r) => [
      Math.abs(r.optimal - r.bruteForce) / r.bruteForce,
      Math.abs(r.optimalScaled - r.bruteForceScaled) / r.bruteForceScaled,
    ]),
  );
  const failures = rows.filter(fails).length;
  const bound = Math.max(...byD.map((r) => r.bound));
  const sharpFailures = rows.filter(sharpFails).length;
  // The smallest and the largest third of the d's (at least one each): the middle is left out, so
  // that the rate at the small end (about a third at d = 4) is compared with rates near 0.
  const third = Math.max(1, Math.floor(dims.length / 3));
  const group = (ds: number[]) => {
    const g = rows.filter((r) => ds.includes(r.d));
    return { dims: ds, failures: g.filter(fixedFails).length, draws: g.length };
  };
  const small = group(dims.slice(0, third));
  const large = group(dims.slice(dims.length - third));
  const trend = fisherExactGreater(small.failures, small.draws, large.failures, large.draws);
  const lastGroup = (ds: number[]) => {
    const g = rows.filter((r) => ds.includes(r.d));
    return { dims: ds, count: g.filter(isLast).length, draws: g.length };
  };
  const lastSmall = lastGroup(small.dims);
  const lastLarge = lastGroup(large.dims);
  const lastTrend = fisherExactGreater(
    lastLarge.count,
    lastLarge.draws,
    lastSmall.count,
    lastSmall.draws,
  );
  const x = rows.map((r) => Math.log(r.d));
  const span = `d ∈ [${dims[0]}, ${dims[dims.length - 1]}]`;
  // The exact expected slope of ln φ: the least-squares slope of E ln φ_d on the same design.
  const phiExpected = linearFit(
    x,
    rows.map((r) => expectedLogPhi(r.d)),
  ).slope;
  return {
    rows,
    byD,
    bruteChecked: 2 * checked.length,
    bruteError,
    farApart: {
      alpha,
      failures,
      draws: rows.length,
      bound,
      sharpFailures,
      test: {
        // P(Bin(n, t) ≥ k) = P(Bin(n, 1 − t) ≤ n − k).
        pValue: binomialCdf(rows.length - sharpFailures, rows.length, 1 - SHARP_TARGET),
        statistic: sharpFailures,
        hypothesis:
          `P(min over opposite classes ‖x_i − x_j‖ < α_d√d) ≤ ${SHARP_TARGET} at every d, ` +
          `α_d where the union bound over the 3^(d−1) difference patterns with the exact ` +
          `law 4k·χ²_d is ${SHARP_TARGET}`,
        method: `exact one-sided binomial test of ${sharpFailures} of ${rows.length} draws, ${span}`,
      },
      fixedAlpha,
      small,
      large,
      trendTest: {
        pValue: trend.pValue,
        statistic: small.failures - large.failures,
        hypothesis:
          `at fixed α* = ${fixedAlpha.toPrecision(4)}, P(min ‖x_i − x_j‖ < α*√d) over ` +
          `d ∈ {${large.dims.join(", ")}} is at least that over d ∈ {${small.dims.join(", ")}}`,
        method:
          `one-sided Fisher exact test: ${small.failures} of ${small.draws} against ` +
          `${large.failures} of ${large.draws}`,
      },
    },
    lastColumn: {
      small: lastSmall,
      large: lastLarge,
      test: {
        pValue: lastTrend.pValue,
        statistic: lastLarge.count - lastSmall.count,
        hypothesis:
          `the share of draws whose optimum is ‖a_d‖ (u = e_d) over d ∈ ` +
          `{${lastLarge.dims.join(", ")}} is at most that over d ∈ {${lastSmall.dims.join(", ")}}`,
        method:
          `one-sided Fisher exact test: ${lastLarge.count} of ${lastLarge.draws} against ` +
          `${lastSmall.count} of ${lastSmall.draws}`,
      },
    },
    growth: slopeResult(
      "ln min_u ‖Au‖ (A Gaussian)",
      x,
      rows.map((r) => Math.log(r.optimal)),
      c.level,
      0.5,
      "greater",
      `the slope of ln min_u ‖A u‖ on ln d over ${span} is at most ½`,
    ),
    ratio: slopeResult(
      "ln(|R_dd| / min_u ‖Au‖) (A Gaussian)",
      x,
      rows.map((r) => Math.log(r.rdd / r.optimal)),
      c.level,
      -0.5,
      "greater",
      `the slope of ln(|R_dd| / min_u ‖A u‖) on ln d over ${span} is at most −½ (a constant D ` +
        `against α√d: the ratio falls at least like d^(−1/2))`,
    ),
    phi: slopeResult(
      "ln φ = ln(|R_dd| / ‖a_d‖) (depends on A only)",
      x,
      rows.map((r) => Math.log(r.rdd / r.lastColumn)),
      c.level,
      phiExpected,
      "two-sided",
      `the slope of ln φ on ln d over ${span} is its exact expectation ` +
        `${phiExpected.toFixed(4)} (E ln φ = ½(ψ(½) − ψ(d/2)))`,
    ),
  };
}

// ---------------------------------------------------------------- the law of x_i − x_j

export type Theorem6Differences = {
  d: number;
  draws: number;
  /** Entries of (x_i − x_j) / (2√k), k the number of signs in which z_i and z_j differ. */
  standardized: number[];
  /** The smallest k drawn (k ≥ 1 for opposite classes: the variance 4k is at least 4). */
  minK: number;
  meanK: number;
  /** Sample variance of the raw entries divided by that of 4k (≈ 1). */
  varianceRatio: number;
  /** One-sample KS test of the standardized entries against N(0, 1). */
  test: TestInput;
};

/**
 * Appendix A.3: "x_i − x_j still have i.i.d. Gaussian elements with the variance of each element
 * being at least 4". For opposite classes x_i − x_j = A(z_i − z_j) with z_i − z_j ∈ {−2, 0, 2}^d and
 * k ≥ 1 nonzero entries, so its entries are i.i.d. N(0, 4k). Each draw: a fresh A (d×d, d = c.d),
 * z_i with z_i(d) = +1 and z_j with z_j(d) = −1, the other signs uniform.
 * @param rng child g: A, then the signs
 */
export function theorem6Differences(c: Theorem6Config, rng: Rng): Theorem6Differences {
  const d = c.d;
  const standardized: number[] = [];
  const raw: number[] = [];
  const fourK: number[] = [];
  const ks: number[] = [];
  for (let g = 0; g < c.differenceDraws; g++) {
    const draw = rng.child(g);
    const A = gaussianMatrix(draw, d, d);
    const u = Array.from({ length: d }, (_, j) => (j === d - 1 ? 2 : draw.sign() - draw.sign()));
    const k = u.filter((v) => v !== 0).length;
    ks.push(k);
    const diff = A.mmul(Matrix.columnVector(u)).getColumn(0);
    for (const v of diff) {
      raw.push(v);
      fourK.push(4 * k);
      standardized.push(v / (2 * Math.sqrt(k)));
    }
  }
  const t = ksTest(standardized, (x) => normalCdf(x));
  return {
    d,
    draws: c.differenceDraws,
    standardized,
    minK: Math.min(...ks),
    meanK: mean(ks),
    varianceRatio: mean(raw.map((v) => v * v)) / mean(fourK),
    test: {
      pValue: t.pValue,
      statistic: t.statistic,
      hypothesis: `the entries of x_i − x_j are i.i.d. N(0, 4k) (A.3), d = ${d}`,
      method: `one-sample KS test of ${t.n} entries / (2√k) against N(0, 1), exact`,
      power: { kind: "ks", n: t.n },
    },
  };
}

// ---------------------------------------------------------------- the laws of R_dd and φ

export type Theorem6PhiRow = {
  d: number;
  draws: number;
  /** φ = |R_dd| / ‖a_d‖ per draw (section 6's "fraction"). */
  phi: number[];
  meanPhi: number;
  /** E φ = Γ(d/2) / (√π Γ((d+1)/2)). */
  expectedPhi: number;
  meanRdd: number;
  /** KS: |R_dd| ~ χ₁ (A.3: "R_dd is the absolute value of a standard Gaussian"), at every d. */
  rddTest: TestInput;
  /** KS: φ² ~ Beta(½, (d−1)/2). */
  phiTest: TestInput;
  /** t test: mean φ = E φ. */
  meanTest: TestInput;
  /** |R_dd| per draw. */
  rdd: number[];
};

/** E φ = E √B for B ~ Beta(½, (d−1)/2): Γ(d/2) / (√π Γ((d+1)/2)) (≈ √(2/(πd)) for large d). */
export function expectedPhi(d: number): number {
  requireInteger("expectedPhi", "d", d, 2);
  return Math.exp(logGamma(d / 2) - 0.5 * Math.log(Math.PI) - logGamma((d + 1) / 2));
}

/** φ = |R_dd| / ‖a_d‖ over draws of a d×d Gaussian A (draw k on rng.child(k)). */
export function phiSamples(d: number, draws: number, rng: Rng): number[] {
  return Array.from({ length: draws }, (_, k) => {
    const A = gaussianMatrix(rng.child(k), d, d);
    return qrR(A).get(d - 1, d - 1) / norm(A.getColumn(d - 1));
  });
}

/**
 * The laws of R_dd (appendix A.3: |R_dd| ~ χ₁, the same at every d) and of φ = |R_dd| / ‖a_d‖
 * (R_dd is a_d's component orthogonal to a_1, …, a_{d−1}, a uniform direction independent of
 * ‖a_d‖, so φ² ~ Beta(½, (d−1)/2)), over fresh draws of A at each d.
 * @param rng child (index of d, draw) the draw of A
 */
export function theorem6PhiStudy(c: Theorem6Config, rng: Rng): Theorem6PhiRow[] {
  return c.phiDims.map((d, i) => {
    const rdd: number[] = [];
    const phi: number[] = [];
    for (let k = 0; k < c.phiDraws; k++) {
      const A = gaussianMatrix(rng.child(i, k), d, d);
      const r = qrR(A).get(d - 1, d - 1);
      rdd.push(r);
      phi.push(r / norm(A.getColumn(d - 1)));
    }
    const kr = ksTest(rdd, (x) => chiCdf(x, 1));
    const kp = ksTest(
      phi.map((p) => p * p),
      (x) => betaCdf(x, 0.5, (d - 1) / 2),
    );
    const exact = expectedPhi(d);
    const t = (mean(phi) - exact) / (std(phi) / Math.sqrt(phi.length));
    const n = phi.length;
    return {
      d,
      draws: n,
      phi,
      rdd,
      meanPhi: mean(phi),
      expectedPhi: exact,
      meanRdd: mean(rdd),
      rddTest: {
        pValue: kr.pValue,
        statistic: kr.statistic,
        hypothesis: `|R_dd| ~ χ₁ at d = ${d} (appendix A.3)`,
        method: `one-sample KS test, exact, ${n} draws`,
        power: { kind: "ks", n },
      },
      phiTest: {
        pValue: kp.pValue,
        statistic: kp.statistic,
        hypothesis: `φ² ~ Beta(½, (d−1)/2) at d = ${d}`,
        method: `one-sample KS test, exact, ${n} draws`,
        power: { kind: "ks", n },
      },
      meanTest: {
        pValue: Math.min(1, 2 * Math.min(studentTCdf(t, n - 1), 1 - studentTCdf(t, n - 1))),
        statistic: t,
        hypothesis: `mean φ = Γ(d/2)/(√π Γ((d+1)/2)) = ${exact.toFixed(4)} at d = ${d}`,
        method: `two-sided one-sample t test, ${n} draws`,
        power: { kind: "t", se: std(phi) / Math.sqrt(n), df: n - 1, twoSided: true, unit: "E φ" },
      },
    };
  });
}

/** The tail probability of 2|R_dd| at which "with high probability ‖e‖ ≤ D" is examined. */
export const WHP_TAIL_6 = 0.25;

/**
 * Theorem 6's "with high probability ‖e‖ ≤ D" for ‖e‖ = 2|R_dd| (eq. 10): at the D where |R_dd| ~ χ₁
 * gives P(‖e‖ > D) = WHP_TAIL_6 at every d, the draws above D at the largest d of the φ study,
 * against half that probability (exact one-sided binomial test; the erratum passes on rejection).
 */
export function theorem6Whp(phi: readonly Theorem6PhiRow[]): {
  d: number;
  D: number;
  above: number;
  draws: number;
  test: TestInput;
} {
  const last = phi[phi.length - 1];
  // P(2|Z| > D) = 2Φ(−D/2) = WHP_TAIL_6.
  const D = -2 * normalQuantile(WHP_TAIL_6 / 2);
  const above = last.rdd.filter((r) => 2 * r > D).length;
  const n = last.rdd.length;
  return {
    d: last.d,
    D,
    above,
    draws: n,
    test: {
      // P(Bin(n, p) ≥ k) = P(Bin(n, 1 − p) ≤ n − k).
      pValue: above === 0 ? 1 : binomialCdf(n - above, n, 1 - WHP_TAIL_6 / 2),
      statistic: above,
      hypothesis:
        `P(‖e‖ = 2|R_dd| > D) ≤ ${WHP_TAIL_6 / 2} at d = ${last.d} for D = ${D.toFixed(3)}, where ` +
        `|R_dd| ~ χ₁ gives ${WHP_TAIL_6} at every d (a probability that tends to 0 with d, as ` +
        `"with high probability" would make it, is below half its value)`,
      method: `exact one-sided binomial test, ${above} of ${n} draws`,
    },
  };
}

/**
 * One draw of the first claim's study, through the union bound (a step a reader can follow): at
 * d, A Gaussian; the optimum min_u ‖Au‖ and its minimiser u (sphere decoder), the number k of its
 * nonzero entries, α_d where the exact union bound is SHARP_TARGET, and the bound's terms per k:
 * C(d−1, k−1)·2^(k−1) patterns, each of probability P(4k·χ²_d < α_d²d).
 * @param rng the draw of A
 */
export function theorem6OneDraw(d: number, rng: Rng) {
  requireInteger("theorem6OneDraw", "d", d, 2, THEOREM6_LIMITS.optimalMaxD);
  const A = gaussianMatrix(rng, d, d);
  const s = latticeMinimumSphere(A);
  const alpha = sharpBoundAlpha(d, SHARP_TARGET);
  const terms: Array<{ k: number; patterns: number; probability: number; term: number }> = [];
  let logChoose = 0; // ln C(d−1, k−1)
  for (let k = 1; k <= d; k++) {
    if (k > 1) logChoose += Math.log(d - k + 1) - Math.log(k - 1);
    const patterns = Math.exp(logChoose + (k - 1) * Math.LN2);
    const probability = chiSquareCdf((alpha * alpha * d) / (4 * k), d);
    terms.push({ k, patterns, probability, term: patterns * probability });
  }
  const distance = 2 * s.value;
  return {
    summary: {
      d,
      optimum: s.value,
      distance,
      u: `(${s.u.join(", ")})`,
      k: s.u.filter((v) => v !== 0).length,
      lastColumn: norm(A.getColumn(d - 1)),
      alpha,
      threshold: alpha * Math.sqrt(d),
      bound: terms.reduce((t, r) => t + r.term, 0),
      fails: distance < alpha * Math.sqrt(d),
    },
    terms,
  };
}

// ---------------------------------------------------------------- section 6's ×5 scaling

export type Theorem6ScaledRow = {
  d: number;
  draws: number;
  /** Draws whose ×scaleFactor variant has min_u ‖A u‖ < ‖a_d‖ (u = e_d is not the optimum). */
  below: number;
  /**
   * Of those, the draws whose minimiser u, multiplied out (‖S u‖ from S's columns, not from R),
   * is below ‖a_d‖ by more than rounding: verified counterexamples to "at least ‖a_d‖".
   */
  verified: number;
  fraction: number;
  /** Clopper–Pearson interval of that probability at the config's level. */
  lo: number;
  hi: number;
  level: number;
  /** The smallest optimum / ‖a_d‖ seen. */
  worstRatio: number;
  /** The union bound on P(optimum < ‖a_d‖) (scaledBelowBound). */
  bound: number;
  /** Exact binomial test of the count `below` against Bin(draws, bound). */
  test: TestInput;
};

/**
 * A bound on P(min_u ‖S u‖ < ‖a_d‖) for section 6's S = [s·a_1, …, s·a_{d−1}, a_d], A Gaussian
 * (beyond the paper). For u = (u', 1) with k nonzero entries in u', g = s A'u' ~ N(0, s²k I_d) is
 * independent of a_d, and ‖a_d + g‖ < ‖a_d‖ iff ⟨a_d, g⟩ < −‖g‖²/2; given g, ⟨a_d, g⟩ ~ N(0, ‖g‖²),
 * so the event has probability E Φ(−s√k χ_d / 2) = P(T_d < −s√(k d)/2) with T_d Student's t on d
 * degrees of freedom (N(0,1) / (χ_d/√d)). The union over the C(d−1, k)·2^k vectors u' of each k:
 * Σ_k C(d−1, k) 2^k P(T_d < −s√(k d)/2), capped at 1.
 * @param d dimension (≥ 2)
 * @param s the factor of the first d − 1 columns (section 6: 5)
 */
export function scaledBelowBound(d: number, s: number): number {
  requireInteger("scaledBelowBound", "d", d, 2);
  requirePositive("scaledBelowBound", "s", s);
  let total = 0;
  let logChoose = 0; // ln C(d−1, k)
  for (let k = 1; k < d; k++) {
    logChoose += Math.log(d - k) - Math.log(k);
    const p = studentTCdf((-s * Math.sqrt(k * d)) / 2, d);
    if (p > 0) total += Math.exp(logChoose + k * Math.LN2 + Math.log(p));
  }
  return Math.min(1, total);
}

/**
 * Section 6: "the optimal decoder … would need the input to be changed by at least the ℓ2
 * magnitude of the last column of A". With every column but the last × scaleFactor the optimum is
 * min(‖a_d‖, min over u ≠ e_d): how often is it below ‖a_d‖, at each d, against the union bound
 * scaledBelowBound, with every counterexample multiplied out.
 * @param rng child (d, draw) the draw of A
 */
export function theorem6ScaledOptimum(c: Theorem6Config, rng: Rng): Theorem6ScaledRow[] {
  return c.scaledDims.map((d) => {
    let below = 0;
    let verified = 0;
    let worstRatio = 1;
    for (let k = 0; k < c.scaledDraws; k++) {
      const A = gaussianMatrix(rng.child(d, k), d, d);
      const ad = norm(A.getColumn(d - 1));
      const S = scaleLeadingColumns(A, c.scaleFactor);
      const opt = latticeMinimumSphere(S);
      // The decoder starts from u = e_d (‖a_d‖ from R's last column): equality to rounding.
      if (opt.value < ad * (1 - 1e-12)) {
        below++;
        const su = norm(S.mmul(Matrix.columnVector(opt.u)).getColumn(0));
        if (su < ad * (1 - 1e-9) && Math.abs(su - opt.value) <= 1e-9 * ad) verified++;
      }
      worstRatio = Math.min(worstRatio, opt.value / ad);
    }
    const ci = clopperPearson(below, c.scaledDraws, c.level);
    const bound = scaledBelowBound(d, c.scaleFactor);
    return {
      d,
      draws: c.scaledDraws,
      below,
      verified,
      fraction: below / c.scaledDraws,
      lo: ci.lo,
      hi: ci.hi,
      level: c.level,
      worstRatio,
      bound,
      test: {
        // P(Bin(n, bound) ≥ below) = P(Bin(n, 1 − bound) ≤ n − below), without 1 − CDF's cancellation.
        pValue: below === 0 ? 1 : binomialCdf(c.scaledDraws - below, c.scaledDraws, 1 - bound),
        statistic: below,
        hypothesis:
          `P(optimum < ‖a_d‖) ≤ ${bound.toPrecision(3)} at d = ${d} (×${c.scaleFactor}: the ` +
          `union bound Σ_k C(d−1, k) 2^k P(T_d < −s√(kd)/2))`,
        method: `exact one-sided binomial test of ${below} of ${c.scaledDraws} draws`,
        power: { kind: "binomial", n: c.scaledDraws, p0: bound },
      },
    };
  });
}

// ---------------------------------------------------------------- the extension after Theorem 6

export type Theorem6ExtensionRow = {
  key: "gaussian-h1" | "deep";
  name: string;
  /** [d, n_2, …, n_l]. */
  widths: number[];
  /** max_i |f_{+1}(x_i) − z_i(d)| over the 2^d points, through the layers. */
  condition8Error: number;
  /** |R_dd| of A = Q_2 R_A, and R_dd of H A (what the network's own QR gives). */
  rdd: number;
  rddHA: number;
  /** max over the 2^d points |closed-form minimal perturbation − |R_dd(A)|| / |R_dd(A)|. */
  robustnessError: number;
};

/**
 * The remark after Theorem 6 ("the results also extend to H_1 being general matrices, and also to
 * multiple-layer networks"): the same construction with H_1 Gaussian m×d, and with Gaussian layers
 * of widths d·growth^i. Condition (8) forces p_{+1}ᵀA = e_dᵀ whatever the layers, so the network's
 * robustness should be |R_dd| of A at every point.
 * @param rng streams: child 1 A, child 2 the Gaussian H_1, child (3, i) the deep layers
 */
export function theorem6Extensions(c: Theorem6Config, rng: Rng): Theorem6ExtensionRow[] {
  const d = c.d;
  const A = gaussianMatrix(rng.child(1), d, d);
  const data = hypercubeData(A);
  const rdd = qrR(A).get(d - 1, d - 1);
  const widths = Array.from({ length: c.extensionDepth + 1 }, (_, i) =>
    Math.round(d * c.extensionGrowth ** i),
  );
  const nets: Array<[Theorem6ExtensionRow["key"], string, number[], Matrix[]]> = [
    ["gaussian-h1", `Gaussian H₁ (${c.m}×${d})`, [d, c.m], [gaussianMatrix(rng.child(2), c.m, d)]],
    [
      "deep",
      `${c.extensionDepth} Gaussian layers`,
      widths,
      widths.slice(1).map((n, i) => gaussianMatrix(rng.child(3, i), n, widths[i])),
    ],
  ];
  return nets.map(([key, name, w, layers]) => {
    const net = theorem6.theorem6Network(A, ...layers);
    const f = theorem6.theorem6HiddenOutputs(net, data.X);
    const W2 = new Matrix([net.probePlus, net.probeMinus]);
    let robustnessError = 0;
    for (let k = 0; k < data.X.columns; k++) {
      const r = minimalPerturbationLinear(W2, null, data.X.getColumn(k)).norm;
      robustnessError = Math.max(robustnessError, Math.abs(r - rdd) / rdd);
    }
    return {
      key,
      name,
      widths: w,
      condition8Error: Math.max(...f.map((v, i) => Math.abs(v - data.labels[i]))),
      rdd,
      rddHA: net.R.get(d - 1, d - 1),
      robustnessError,
    };
  });
}

// ---------------------------------------------------------------- the results file

function verdict(
  claims: readonly Claim[],
  id: string,
  yes: string,
  no: string,
): string | undefined {
  const c = claims.find((x) => x.id === id);
  if (!c) return undefined;
  const p = c.test ? ` (Holm-adjusted p = ${c.test.adjustedP.toPrecision(2)})` : "";
  return `${c.passed ? yes : no}${p}`;
}

/** The series of the scaling figure: the network's |R_dd| and the optimum of both variants, per draw. */
export function theorem6ScalingSeries(
  study: Theorem6OptimalStudy,
  scaleFactor: number,
): Array<{ name: string; d: number[]; y: number[] }> {
  const d = study.rows.map((r) => r.d);
  return [
    { name: "network |R_dd|", d, y: study.rows.map((r) => r.rdd) },
    { name: "optimal, A Gaussian", d, y: study.rows.map((r) => r.optimal) },
    { name: `optimal, A ×${scaleFactor}`, d, y: study.rows.map((r) => r.optimalScaled) },
  ];
}

/** What the results file holds beyond the run's identity: deterministic (no timings). */
export type Theorem6Results = {
  headline: Headline[];
  optimal: Theorem6OptimalSummary[];
  slopes: SlopeResult[];
  farApart: Theorem6OptimalStudy["farApart"];
  phi: Array<Omit<Theorem6PhiRow, "phi" | "rdd">>;
  scaled: Theorem6ScaledRow[];
};

/**
 * The results file's content: headline rows, each with its interval and a verdict from the
 * notebook's decided claims (`opt-is-ad`, `far-apart@d=…`, `far-apart-trend`, `x5-bound@d=…`), and the
 * per-d tables.
 */
export function theorem6Results(
  study: Theorem6OptimalStudy,
  phi: readonly Theorem6PhiRow[],
  scaled: readonly Theorem6ScaledRow[],
  claims: readonly Claim[],
): Theorem6Results {
  const dims = study.byD.map((r) => r.d);
  const span = `d ∈ [${dims[0]}, ${dims[dims.length - 1]}]`;
  const interval = (s: SlopeResult) => ({ lo: s.lo, hi: s.hi, level: s.level });
  const fa = study.farApart;
  const last = scaled[scaled.length - 1];
  const lc = study.lastColumn;
  const share = (g: { count: number; draws: number }) => `${g.count} of ${g.draws}`;
  const headline: Headline[] = [
    {
      quantity: `slope of ln min_u ‖Au‖ on ln d over ${span} (A Gaussian; a range, not an exponent)`,
      ours: study.growth.slope,
      interval: interval(study.growth),
      paper: "≥ α√d w.h.p. (first claim), and ≤ ‖a_d‖ ≈ √d: exponent ½ asymptotically",
      note: "no claim: the optimum approaches ‖a_d‖ from below over this range (next row)",
    },
    {
      quantity: `draws whose optimum is ‖a_d‖ itself: d ∈ {${lc.large.dims.join(", ")}} against d ∈ {${lc.small.dims.join(", ")}}`,
      ours: `${share(lc.large)} against ${share(lc.small)}`,
      paper: "not stated (section 6: the optimal decoder needs ‖a_d‖)",
      verdict: verdict(claims, "opt-is-ad", "rises with d", "not shown to rise"),
    },
    {
      quantity: `slope of ln(|R_dd| / optimal) on ln d over ${span} (A Gaussian; a range, not an exponent)`,
      ours: study.ratio.slope,
      interval: interval(study.ratio),
      paper: "a constant D against α√d: the ratio falls like d^(−1/2) asymptotically",
      note: "no claim: a slope over a finite range with the optimum's transient is not the rate",
    },
    {
      quantity: `slope of ln φ on ln d over ${span} (φ = |R_dd| / ‖a_d‖ depends on A only)`,
      ours: study.phi.slope,
      interval: interval(study.phi),
      paper: `exact expectation ${study.phi.against.toFixed(4)} (from φ² ~ Beta(½, (d−1)/2))`,
      verdict:
        study.phi.lo <= study.phi.against && study.phi.against <= study.phi.hi
          ? "the expectation is inside the interval (no claim: φ's law is tested per d)"
          : "the expectation is outside the interval (no claim: φ's law is tested per d)",
    },
    {
      quantity: `draws with min ‖x_i − x_j‖ < α_d√d, α_d at exact-χ² union bound ${SHARP_TARGET}, all d of ${span} (each d tested)`,
      ours: `${fa.sharpFailures} of ${fa.draws}`,
      paper: `probability ≤ ${SHARP_TARGET} at every d (the proof's union bound, with the exact law of each pair)`,
      verdict: `${study.byD.filter((r) => claims.find((c) => c.id === `far-apart@d=${r.d}`)?.passed).length} of ${study.byD.length} d within the bound`,
    },
    {
      quantity: `failure rate at fixed α* = ${fa.fixedAlpha.toFixed(3)}: d ∈ {${fa.small.dims.join(", ")}} against d ∈ {${fa.large.dims.join(", ")}}`,
      ours: `${fa.small.failures} of ${fa.small.draws} against ${fa.large.failures} of ${fa.large.draws}`,
      paper: "w.h.p. as d grows: the failure probability at a fixed α falls to 0",
      verdict: verdict(claims, "far-apart-trend", "falls with d", "not shown to fall"),
    },
    ...[scaled[0], last].map((r) => ({
      quantity: `×5 variant: P(optimal robustness < ‖a_d‖) at d = ${r.d}`,
      ours: r.fraction,
      interval: { lo: r.lo, hi: r.hi, level: r.level },
      paper: `the optimal decoder needs at least ‖a_d‖ (section 6, at d = 12); union bound ${r.bound.toPrecision(2)}`,
      verdict:
        verdict(claims, `x5-bound@d=${r.d}`, "within the union bound", "above the union bound") ??
        "not tested (the bound expects under one draw below ‖a_d‖)",
    })),
  ];
  return {
    headline,
    optimal: study.byD,
    slopes: [study.growth, study.ratio, study.phi],
    farApart: fa,
    phi: phi.map((r) => ({
      d: r.d,
      draws: r.draws,
      meanPhi: r.meanPhi,
      expectedPhi: r.expectedPhi,
      meanRdd: r.meanRdd,
      rddTest: r.rddTest,
      phiTest: r.phiTest,
      meanTest: r.meanTest,
    })),
    scaled: [...scaled],
  };
}
