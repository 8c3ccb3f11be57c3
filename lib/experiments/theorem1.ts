/**
 * Theorem 1's studies: the first claim (points are far apart) against its union bound, the network
 * at widths from m = d to m ≫ d, the random-matrix facts of its proof, and the scaling in d of the
 * attack ‖e‖, the exact minimal perturbation and the minimum-distance classifier's robustness.
 */
import { Matrix } from "ml-matrix";
import type { TestInput } from "../claims/ledger";
import type { Headline } from "../claims/outputs";
import { fail, requireInRange, requireInteger } from "../check";
import { qrR } from "../linalg/qr";
import { gaussianMatrix, orthonormalColumns } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { bartlettFactor } from "../rmt/bartlett";
import { complementOfLeading, trailingBlockOf } from "../rmt/trailing-block";
import { chiCdf, chiPdf, chiSquareCdf, normalCdf, normalPdf } from "../stats/distributions";
import { median } from "../stats/summary";
import { ksTest } from "../stats/tests";
import type { Column } from "../show/render";
import * as theorem1 from "../theorems/theorem1";
import { RATES, requireFeasible, type Work } from "./budget";
import type { Scale } from "./config";
import { fisherExactGreater } from "../stats/twosample";
import { theoremMargin } from "../data/margins";
import { slopeVerdict } from "../stats/theorem-verdicts";
import type { VerdictNumbers } from "../stats/verdict";
import {
  meanTest,
  medianInterval,
  oneSidedBinomialP,
  slopeStudy,
  type MeanTest,
  type SlopeStudy,
} from "./intervals";

export interface Theorem1Config {
  /** d of the step-through instance (section 6 uses d = 12). */
  d: number;
  /** Hidden width m ≥ d of the step-through instance. */
  m: number;
  /** Hidden widths m = d·factor of the study that C does not depend on m (from m = d to m ≫ d). */
  widthFactors: number[];
  /** Dimension and number of draws of X (real QR) for the random-matrix facts of the proof. */
  rmtD: number;
  rmtDraws: number;
  /**
   * "C independent of d" on real QR: at each d, draws of X = [A, x, y]'s trailing 2×2 block of R
   * (Householder QR of A, x and y projected on span(A)⊥), split over realQrBlocks Gaussian A.
   */
  realQrDims: number[];
  realQrDraws: number;
  realQrBlocks: number;
  /**
   * The union bound at which ε is set, per d: the bound is then informative at every d (neither
   * capped at 1 nor ≈ 0), so each d's failure count can contradict it.
   */
  farBound: number;
  /**
   * A fixed ε for the first claim's content, "at fixed ε the probability tends to 1 as d grows":
   * the failure frequency at the largest d of distanceDims against that at the smallest.
   */
  farFixedEps: number;
  distanceDims: number[];
  distanceDraws: number;
  /**
   * Dimensions and draws per d of the scaling study: all of R drawn from Bartlett's law (the exact
   * minimal perturbation needs every row of R⁻¹: O(d³) per draw).
   */
  scalingDims: number[];
  scalingDraws: number;
  /**
   * The exact minimal perturbation's slope on ln d is fitted on d ≥ exactMinD: below it the drop
   * from d = 4 to 8 would dominate a straight-line fit.
   */
  exactMinD: number;
  /** Confidence level of the intervals shown. */
  level: number;
}

export const theorem1Defaults: Record<Scale, Theorem1Config> = {
  quick: {
    d: 8,
    m: 32,
    widthFactors: [1, 2, 8, 64],
    rmtD: 8,
    rmtDraws: 1500,
    realQrDims: [8, 64, 512],
    realQrDraws: 400,
    realQrBlocks: 2,
    farBound: 0.25,
    farFixedEps: 0.5,
    distanceDims: [4, 8, 16, 32, 64],
    distanceDraws: 200,
    scalingDims: [4, 8, 16, 32, 64, 128, 256],
    scalingDraws: 800,
    exactMinD: 16,
    level: 0.99,
  },
  paper: {
    d: 12,
    m: 3000,
    widthFactors: [1, 2, 10, 100, 1000],
    rmtD: 32,
    rmtDraws: 5000,
    realQrDims: [16, 64, 256, 512, 1024],
    realQrDraws: 1000,
    realQrBlocks: 4,
    farBound: 0.25,
    farFixedEps: 0.5,
    distanceDims: [4, 8, 16, 32, 64, 128],
    distanceDraws: 1000,
    scalingDims: [4, 8, 16, 32, 64, 128, 256],
    scalingDraws: 1000,
    exactMinD: 16,
    level: 0.99,
  },
};

/** Estimated time and memory of each study of the notebook (see budget.ts for the rates). */
export function theorem1Work(c: Theorem1Config): Work[] {
  const sum = (xs: number[], f: (x: number) => number) => xs.reduce((s, x) => s + f(x), 0);
  const widest = Math.max(c.m, ...c.widthFactors.map((f) => f * c.d));
  return [
    {
      what:
        `the step-through network (QRs of the m×d H₁X and of X, H₂H₁: ≈ m·d² units of ` +
        `${RATES.qrUnit * 1e9} ns, and ≈ 100 bytes per entry of m×d)`,
      seconds: RATES.qrUnit * (c.m * c.d ** 2 + c.d ** 3),
      bytes: 100 * (c.m * c.d + c.d ** 2),
      param: "m",
      value: c.m,
    },
    {
      what: `the widths study (m = d·factor up to ${widest} at d = ${c.d}: Σ m·d² units of ${RATES.qrUnit * 1e9} ns)`,
      seconds: RATES.qrUnit * sum(c.widthFactors, (f) => f * c.d * c.d ** 2),
      bytes: 100 * widest * c.d,
      param: "widthFactors",
      value: c.widthFactors,
    },
    {
      what: `the far-apart study (≈ draws·Σ d³/2 multiply-adds at ${RATES.multiplyAdds}/s)`,
      seconds:
        (c.distanceDraws * sum(c.distanceDims, (d) => d ** 3 / 2)) / RATES.multiplyAdds +
        (c.distanceDraws * sum(c.distanceDims, (d) => d * d)) / RATES.normals,
      bytes: 100 * Math.max(...c.distanceDims) ** 2,
      param: "distanceDims",
      value: c.distanceDims,
    },
    {
      what: `the random-matrix facts (≈ draws·rmtD³ units of ${RATES.qrUnit * 1e9} ns)`,
      seconds: RATES.qrUnit * c.rmtDraws * c.rmtD ** 3,
      bytes: 100 * c.rmtD ** 2 + 64 * c.rmtDraws,
      param: "rmtDraws",
      value: c.rmtDraws,
    },
    {
      what:
        `"C independent of d" on real QR (Householder QR of the d×(d−2) leading block: ` +
        `≈ blocks·Σ (2/3)d³ multiply-adds at ${RATES.multiplyAdds}/s, and 2d normals per draw)`,
      seconds:
        (c.realQrBlocks * sum(c.realQrDims, (d) => (2 / 3) * d ** 3)) / RATES.multiplyAdds +
        (c.realQrDraws * sum(c.realQrDims, (d) => 2 * d)) / RATES.normals,
      bytes: 40 * Math.max(...c.realQrDims) ** 2 + 64 * c.realQrDraws * c.realQrDims.length,
      param: "realQrDims",
      value: c.realQrDims,
    },
    {
      what:
        `the scaling study (rows of R⁻¹: ≈ draws·Σ d³/6 multiply-adds at ` +
        `${RATES.multiplyAdds}/s, and 40 bytes per entry of R)`,
      seconds:
        (c.scalingDraws * sum(c.scalingDims, (d) => d ** 3 / 6)) / RATES.multiplyAdds +
        (c.scalingDraws * sum(c.scalingDims, (d) => d * d)) / RATES.normals,
      bytes: 40 * Math.max(...c.scalingDims) ** 2 + 200 * c.scalingDraws * c.scalingDims.length,
      param: "scalingDims",
      value: c.scalingDims,
    },
  ];
}

/**
 * Refuses, before any work, a config that is malformed or that this machine cannot run: each
 * study's estimated time must fit the runner's per-cell timeout and its memory half of V8's heap
 * (theorem1Work gives the estimates and budget.ts the measured rates).
 */
export function validateTheorem1Config(c: Theorem1Config): void {
  const fn = "validateTheorem1Config";
  requireInteger(fn, "d", c.d, 2);
  requireInteger(fn, "m", c.m, c.d);
  if (c.widthFactors.length < 2)
    fail(fn, "widthFactors", c.widthFactors, "must hold at least 2 widths to compare");
  c.widthFactors.forEach((f, i) => requireInteger(fn, `widthFactors[${i}]`, f, 1));
  requireInteger(fn, "rmtD", c.rmtD, 2);
  requireInteger(fn, "rmtDraws", c.rmtDraws, 10);
  if (c.realQrDims.length < 1) fail(fn, "realQrDims", c.realQrDims, "must hold at least 1 d");
  c.realQrDims.forEach((d, i) => requireInteger(fn, `realQrDims[${i}]`, d, 3));
  requireInteger(fn, "realQrDraws", c.realQrDraws, 10);
  requireInteger(fn, "realQrBlocks", c.realQrBlocks, 1, c.realQrDraws);
  requireInRange(fn, "farBound", c.farBound, 0, 1, [false, false]);
  requireInRange(fn, "farFixedEps", c.farFixedEps, 0, 1, [false, false]);
  if (new Set(c.distanceDims).size < 2)
    fail(fn, "distanceDims", c.distanceDims, "must hold at least 2 dimensions for the trend");
  requireInteger(fn, "distanceDraws", c.distanceDraws, 1);
  c.distanceDims.forEach((d, i) => requireInteger(fn, `distanceDims[${i}]`, d, 2));
  requireInteger(fn, "scalingDraws", c.scalingDraws, 3);
  c.scalingDims.forEach((d, i) => requireInteger(fn, `scalingDims[${i}]`, d, 2));
  if (new Set(c.scalingDims).size < 2)
    fail(fn, "scalingDims", c.scalingDims, "must hold at least 2 dimensions for a slope");
  requireInteger(fn, "exactMinD", c.exactMinD, 2);
  if (new Set(c.scalingDims.filter((d) => d >= c.exactMinD)).size < 2)
    fail(fn, "exactMinD", c.exactMinD, "must leave at least 2 of scalingDims for the exact slope");
  requireInRange(fn, "level", c.level, 0, 1, [false, false]);
  requireFeasible(fn, theorem1Work(c));
}

export type FarApartRow = {
  d: number;
  /** ε set so that the union bound is config.farBound (from the formula, not from data). */
  eps: number;
  draws: number;
  /** Draws whose smallest pairwise distance is below (1−ε)√(2d). */
  failures: number;
  frequency: number;
  /** The paper's union bound C(d, 2)(αe^{1−α})^{d/2}, α = (1−ε)². */
  unionBound: number;
  /** The union bound with the exact χ² probability, C(d, 2)·P(χ²_d ≤ αd) (tighter). */
  exactUnionBound: number;
  /** Smallest distance over all draws, divided by √(2d). */
  minRatio: number;
  /**
   * Draws whose closest pair is below √(2d) itself: the printed order "w.h.p., for every ε > 0,
   * min ≥ (1 − ε)√(2d)" says min ≥ √(2d) w.h.p.
   */
  belowRoot: number;
  /** Median over the draws of min ‖x_i − x_j‖ / √(2d). */
  medianRatio: number;
  /** Draws below (1 − farFixedEps)√(2d), and the exact-χ² union bound at that ε (capped at 1). */
  fixedFailures: number;
  fixedExactUnionBound: number;
  /** H₀: P(failure) ≤ the exact-χ² union bound at ε; exact one-sided binomial test. */
  test: TestInput;
};

export interface Theorem1FarApart {
  rows: FarApartRow[];
  /**
   * The printed order of quantifiers: H₀: P(min ‖x_i − x_j‖ ≥ √(2d)) ≥ ½ at some d of the study
   * (the statement as printed, with "high probability" at least ½), against: below ½ at every d.
   * The p-value is the largest of the per-d exact binomial p-values (an intersection–union test:
   * it rejects only when every d does).
   */
  order: TestInput;
  /**
   * The proof's step "x_i − x_j has i.i.d. N(0, 2) entries": the entries of x_1 − x_2 over every
   * draw at the smallest d, divided by √2, against N(0, 1) (one-sample KS).
   */
  difference: TestInput;
  /** At ε = farFixedEps: H₀: the failure probability at the largest d ≥ that at the smallest. */
  fixedEps: number;
  trend: TestInput;
}

/**
 * Theorem 1's first claim at each d of config.distanceDims: at the ε where Lemma 2's union bound is
 * config.farBound, the failure frequency against the union bound with the exact χ² probability
 * (a proven bound, nearly tight when failures are rare); and at the fixed ε = config.farFixedEps,
 * the failure frequency at the largest d against that at the smallest (one-sided Fisher test).
 */
export function theorem1FarApart(c: Theorem1Config, rng: Rng): Theorem1FarApart {
  const exactBound = (d: number, eps: number) =>
    Math.min(1, ((d * (d - 1)) / 2) * chiSquareCdf((1 - eps) ** 2 * d, d));
  const entries: number[] = [];
  const first = c.distanceDims[0];
  const rows = c.distanceDims.map((d): FarApartRow => {
    const eps = theorem1.epsForUnionBound(d, c.farBound);
    let failures = 0;
    let fixedFailures = 0;
    let belowRoot = 0;
    const ratios: number[] = [];
    for (let k = 0; k < c.distanceDraws; k++) {
      const X = gaussianMatrix(rng.child(d, k), d, d);
      if (d === first)
        for (let i = 0; i < d; i++) entries.push((X.get(i, 0) - X.get(i, 1)) / Math.SQRT2);
      const ratio = theorem1.minPairwiseDistance(X).distance / Math.sqrt(2 * d);
      ratios.push(ratio);
      if (ratio < 1 - eps) failures++;
      if (ratio < 1 - c.farFixedEps) fixedFailures++;
      if (ratio < 1) belowRoot++;
    }
    const minRatio = Math.min(...ratios);
    const unionBound = Math.exp(theorem1.logUnionBoundFarApart(d, eps));
    const exactUnionBound = exactBound(d, eps);
    return {
      d,
      eps,
      draws: c.distanceDraws,
      failures,
      frequency: failures / c.distanceDraws,
      unionBound,
      exactUnionBound,
      minRatio,
      belowRoot,
      medianRatio: median(ratios),
      fixedFailures,
      fixedExactUnionBound: exactBound(d, c.farFixedEps),
      test: {
        pValue: oneSidedBinomialP(failures, c.distanceDraws, exactUnionBound),
        hypothesis:
          `P(min ‖x_i − x_j‖ < (1−ε)√(2d)) ≤ C(d, 2)·P(χ²_d < (1−ε)²d) = ` +
          `${exactUnionBound.toPrecision(3)} at d = ${d}`,
        method: `exact one-sided binomial test, ${failures} of ${c.distanceDraws} draws`,
        statistic: failures,
        power: { kind: "binomial", n: c.distanceDraws, p0: exactUnionBound },
      },
    };
  });
  const [lo, hi] = [rows[0], rows[rows.length - 1]];
  const orderP = Math.max(...rows.map((r) => oneSidedBinomialP(r.belowRoot, r.draws, 0.5)));
  const ks = ksTest(entries, (t) => normalCdf(t));
  return {
    rows,
    difference: {
      pValue: ks.pValue,
      statistic: ks.statistic,
      hypothesis: `the entries of x₁ − x₂ are i.i.d. N(0, 2) (proof of Theorem 1), d = ${first}`,
      method: `one-sample Kolmogorov–Smirnov of ${entries.length} entries / √2 against N(0, 1), exact`,
      power: { kind: "ks", n: entries.length },
    },
    order: {
      pValue: orderP,
      statistic: Math.min(...rows.map((r) => r.belowRoot / r.draws)),
      hypothesis:
        `P(min ‖x_i − x_j‖ ≥ √(2d)) ≥ ½ at some d ∈ {${rows.map((r) => r.d).join(", ")}} ` +
        `(the printed "w.h.p., for every ε > 0": min ≥ √(2d) w.h.p.)`,
      method:
        `largest over d of the exact one-sided binomial p-values of the draws below √(2d) ` +
        `(${rows.map((r) => `${r.belowRoot}/${r.draws}`).join(", ")}), an intersection–union test`,
    },
    fixedEps: c.farFixedEps,
    trend: {
      pValue: fisherExactGreater(lo.fixedFailures, lo.draws, hi.fixedFailures, hi.draws).pValue,
      hypothesis:
        `at ε = ${c.farFixedEps}, P(failure) at d = ${hi.d} ≥ P(failure) at d = ${lo.d} ` +
        `(the probability does not tend to 1)`,
      method:
        `one-sided Fisher exact test, ${lo.fixedFailures} of ${lo.draws} at d = ${lo.d} ` +
        `against ${hi.fixedFailures} of ${hi.draws} at d = ${hi.d}`,
      passWhen: "rejected",
    },
  };
}

export interface RmtSamples {
  d: number;
  /** R_{d,d}, R_{d−1,d−1}, R_{d−1,d} of X = QR (real QR) over the draws, and ‖e‖ from them. */
  rdd: number[];
  rd1d1: number[];
  rd1d: number[];
  normE: number[];
  /** One-sample KS tests (exact p-values) against χ₁, χ₂, N(0, 1) and √2·χ₂. */
  tests: { rdd: TestInput; rd1d1: TestInput; rd1d: TestInput; normE: TestInput };
}

function ks(x: number[], cdf: (t: number) => number, law: string, what: string): TestInput {
  const r = ksTest(x, cdf);
  return {
    pValue: r.pValue,
    hypothesis: `${what} ~ ${law}`,
    method: `one-sample Kolmogorov–Smirnov, exact p-value, ${x.length} draws`,
    statistic: r.statistic,
    power: { kind: "ks", n: x.length },
  };
}

/** The random-matrix facts of the proof of Theorem 1 on real QR decompositions of d×d Gaussian X. */
export function theorem1RmtSamples(c: Theorem1Config, rng: Rng): RmtSamples {
  const d = c.rmtD;
  const rdd: number[] = [];
  const rd1d1: number[] = [];
  const rd1d: number[] = [];
  const normE: number[] = [];
  for (let k = 0; k < c.rmtDraws; k++) {
    const t = theorem1.trailingEntries(qrR(gaussianMatrix(rng.child(k), d, d)));
    rdd.push(t.rdd);
    rd1d1.push(t.rd1d1);
    rd1d.push(t.rd1d);
    normE.push(theorem1.attackNorm(t));
  }
  return {
    d,
    rdd,
    rd1d1,
    rd1d,
    normE,
    tests: {
      rdd: ks(rdd, (t) => chiCdf(t, 1), "χ₁", `R_dd (d = ${d})`),
      rd1d1: ks(rd1d1, (t) => chiCdf(t, 2), "χ₂", `R₍d−1,d−1₎ (d = ${d})`),
      rd1d: ks(rd1d, (t) => normalCdf(t), "N(0, 1)", `R₍d−1,d₎ (d = ${d})`),
      normE: ks(normE, theorem1.normECdf, "√2·χ₂", `‖e‖ (d = ${d})`),
    },
  };
}

export type WidthRow = {
  m: number;
  /** max |R(H_1X) − R(X)| / max |R(X)| and max |H_2H_1X − I| at this width */
  sharedR: number;
  condition1: number;
  /** ‖e‖ of the proof's attack, and f_{d−1}, f_d at x_d + e through this network */
  attack: number;
  fPrev: number;
  fLast: number;
  /** The exact minimal perturbation of this network at x_d (closed form on H_2H_1). */
  exactMinimal: number;
};

export interface Theorem1Widths {
  rows: WidthRow[];
  /** (max − min) / min over the widths, of ‖e‖ and of the exact minimal perturbation */
  attackSpread: number;
  exactSpread: number;
  /** max over widths of |f_{d−1}(x_d + e) − 1| and |f_d(x_d + e)| (eq. 3) */
  eq3Error: number;
}

/**
 * Theorem 1 "C independent of m": one X and, for each m = d·factor, a fresh H_1 (m×d, orthonormal
 * columns) and the network of the proof.
 * @param X d×d, the data points as columns
 */
export function theorem1Widths(c: Theorem1Config, X: Matrix, rng: Rng): Theorem1Widths {
  const rows = c.widthFactors.map((f, i) => {
    const m = f * X.rows;
    const net = theorem1.theorem1Network(X, orthonormalColumns(rng.child(i), m, X.rows));
    const att = theorem1.theorem1Attack(net);
    const d = X.rows;
    return {
      m,
      sharedR: net.residuals.sharedR,
      condition1: net.residuals.condition1,
      attack: att.norm,
      fPrev: att.outputsAfter[d - 2],
      fLast: att.outputsAfter[d - 1],
      exactMinimal: theorem1.theorem1Robustness(net).exact.norm,
    };
  });
  const spread = (xs: number[]) => (Math.max(...xs) - Math.min(...xs)) / Math.min(...xs);
  return {
    rows,
    attackSpread: spread(rows.map((r) => r.attack)),
    exactSpread: spread(rows.map((r) => r.exactMinimal)),
    eq3Error: Math.max(...rows.map((r) => Math.max(Math.abs(r.fPrev - 1), Math.abs(r.fLast)))),
  };
}

export type RealQrRow = {
  d: number;
  draws: number;
  /** Gaussian leading blocks A (one Householder QR each) the draws are split over. */
  blocks: number;
  /** Median ‖e‖ with its order-statistics interval at config.level, and the mean. */
  medianAttack: number;
  medianLo: number;
  medianHi: number;
  meanAttack: number;
  /** Kolmogorov–Smirnov distance of this d's ‖e‖ to √2·χ₂, and its exact p-value. */
  ksDistance: number;
  pValue: number;
  /** H₀: ‖e‖ ~ √2·χ₂ at this d (one-sample KS). */
  test: TestInput;
};

export interface Theorem1RealQr {
  rows: RealQrRow[];
  /** Every draw: d and ‖e‖ (real QR). */
  draws: { d: number[]; attack: number[] };
  /**
   * The trailing block by projection against the trailing block of the full QR of [A, x, y]
   * (linalg.qrR), at every d ≤ REAL_QR_CHECK_MAX_D: max |difference| / max |entry| and the count.
   */
  blockError: number;
  checked: number;
  /** Mean ‖e‖ over every draw, all d pooled, against E‖e‖ = √π; and √π by quadrature. */
  mean: MeanTest & { expected: number; quadrature: number };
  /** "C independent of d": the slope of ln ‖e‖ on ln d against 0 (margins.json). */
  constant: VerdictNumbers;
  /**
   * "With high probability ‖e‖ ≤ C": at the C where the d-free law gives P(‖e‖ > C) = WHP_TAIL,
   * the draws above C at the largest d, tested against half that probability.
   */
  whp: { C: number; d: number; above: number; draws: number; test: TestInput };
}

/** The tail probability of ‖e‖ ~ √2·χ₂ at which "with high probability ‖e‖ ≤ C" is examined. */
export const WHP_TAIL = 0.25;

/** Largest d at which the projected block is compared with a full QR (O(d³) per comparison). */
const REAL_QR_CHECK_MAX_D = 256;
/** Pairs (x, y) of the first leading block compared with the full QR at each such d. */
const REAL_QR_CHECK_PAIRS = 2;

/**
 * Theorem 1 "C independent of d" on real QR decompositions: for each d of config.realQrDims,
 * config.realQrDraws trailing 2×2 blocks of the R of a d×d Gaussian X = [A, x, y], by Householder
 * QR of A (rmt.complementOfLeading) and x, y projected on span(A)⊥ (rmt.trailingBlockOf); ‖e‖ from
 * each block, tested per d against √2·χ₂ (Step 9's law).
 */
export function theorem1RealQr(c: Theorem1Config, rng: Rng): Theorem1RealQr {
  const draws = { d: [] as number[], attack: [] as number[] };
  let blockError = 0;
  let checked = 0;
  const rows = c.realQrDims.map((d): RealQrRow => {
    const attack: number[] = [];
    for (let b = 0; b < c.realQrBlocks; b++) {
      const A = gaussianMatrix(rng.child(d, b, 0), d, d - 2);
      const comp = complementOfLeading(A);
      const pairs = rng.child(d, b, 1);
      const count = share(c.realQrDraws, c.realQrBlocks, b);
      for (let k = 0; k < count; k++) {
        const x = Array.from({ length: d }, () => pairs.normal());
        const y = Array.from({ length: d }, () => pairs.normal());
        const t = trailingBlockOf(comp, x, y);
        attack.push(theorem1.attackNorm(t));
        if (b > 0 || k >= REAL_QR_CHECK_PAIRS || d > REAL_QR_CHECK_MAX_D) continue;
        const full = theorem1.trailingEntries(qrR(appendColumns(A, x, y)));
        const diff = Math.max(
          Math.abs(full.rd1d1 - t.rd1d1),
          Math.abs(full.rd1d - t.rd1d),
          Math.abs(full.rdd - t.rdd),
        );
        const size = Math.max(Math.abs(full.rd1d1), Math.abs(full.rd1d), Math.abs(full.rdd));
        blockError = Math.max(blockError, diff / size);
        checked++;
      }
    }
    for (const a of attack) {
      draws.d.push(d);
      draws.attack.push(a);
    }
    const r = ksTest(attack, theorem1.normECdf);
    const med = medianInterval(attack, c.level);
    return {
      d,
      draws: attack.length,
      blocks: c.realQrBlocks,
      medianAttack: med.estimate,
      medianLo: med.lo,
      medianHi: med.hi,
      meanAttack: attack.reduce((s, v) => s + v, 0) / attack.length,
      ksDistance: r.statistic,
      pValue: r.pValue,
      test: {
        pValue: r.pValue,
        hypothesis: `‖e‖ ~ √2·χ₂ at d = ${d} (real QR of d×d Gaussian X)`,
        method: `one-sample Kolmogorov–Smirnov, exact p-value, ${attack.length} draws`,
        statistic: r.statistic,
        power: { kind: "ks", n: attack.length },
      },
    };
  });
  const lnD = draws.d.map(Math.log);
  const lnE = draws.attack.map(Math.log);
  const margin = theoremMargin("theorem1.constant-in-d");
  // "w.h.p. ‖e‖ ≤ C": at the C where the d-free law gives P(‖e‖ > C) = WHP_TAIL, the rate at the
  // largest d against half that (it would fall towards 0 if the probability tended to 1).
  const last = c.realQrDims[c.realQrDims.length - 1];
  const atLast = draws.attack.filter((_, i) => draws.d[i] === last);
  const C = 2 * Math.sqrt(-Math.log(WHP_TAIL));
  const above = atLast.filter((a) => a > C).length;
  return {
    rows,
    draws,
    blockError,
    checked,
    constant: slopeVerdict({
      x: lnD,
      y: lnE,
      target: 0,
      margin: margin.margin,
      what: `ln ‖e‖ on ln d over d ∈ [${c.realQrDims[0]}, ${last}] (real QR)`,
    }),
    whp: {
      C,
      d: last,
      above,
      draws: atLast.length,
      test: {
        pValue: oneSidedBinomialP(above, atLast.length, WHP_TAIL / 2),
        statistic: above,
        hypothesis:
          `P(‖e‖ > C) ≤ ${WHP_TAIL / 2} at d = ${last} for C = 2√(ln ${1 / WHP_TAIL}) = ` +
          `${C.toFixed(3)}, where the d-free law gives ${WHP_TAIL} (a probability that tends to ` +
          `0 with d, as "with high probability" would make it, is below half its value)`,
        method: `exact one-sided binomial test, ${above} of ${atLast.length} real-QR draws`,
      },
    },
    mean: {
      ...meanTest(draws.attack, theorem1.NORM_E_MEAN, c.level, "E‖e‖ over every real-QR draw"),
      expected: theorem1.NORM_E_MEAN,
      quadrature: theorem1.normEMeanByQuadrature(),
    },
  };
}

/** Draws of block b when `total` draws are split evenly over `blocks` blocks. */
function share(total: number, blocks: number, b: number): number {
  return Math.floor(((b + 1) * total) / blocks) - Math.floor((b * total) / blocks);
}

/** [A, x, y] as a d×d matrix (A is d×(d−2)). */
function appendColumns(A: Matrix, x: number[], y: number[]): Matrix {
  const X = Matrix.zeros(A.rows, A.columns + 2);
  X.setSubMatrix(A, 0, 0);
  X.setColumn(A.columns, x);
  X.setColumn(A.columns + 1, y);
  return X;
}

export type ScalingRow = {
  d: number;
  draws: number;
  /** Mean ‖e‖ with its t interval at config.level; median with its order-statistics interval. */
  meanAttack: number;
  meanLo: number;
  meanHi: number;
  medianAttack: number;
  medianLo: number;
  medianHi: number;
  /** The minimum-distance classifier's guarantee √(2d)/2 (ε = 0). */
  guarantee: number;
  /** Medians over the draws of the exact minimal perturbation, along (Q₂)_{:,d}, and the margin. */
  medianExact: number;
  medianDirection: number;
  medianMargin: number;
};

/** A least-squares slope on ln d with its interval at config.level and a t test. */

export interface Theorem1Scaling {
  rows: ScalingRow[];
  /** Every draw: d, ‖e‖, the exact minimal perturbation, along (Q₂)_{:,d} alone, the margin. */
  draws: {
    d: number[];
    attack: number[];
    exact: number[];
    direction: number[];
    margin: number[];
  };
  /** ln(exact minimal) on ln d over the draws with d ≥ config.exactMinD, against 0 (H₁: less). */
  exactSlope: SlopeStudy & { minD: number };
  /** Draws in which the exact minimal perturbation exceeds ‖e‖ (relative 1e-12): none expected. */
  exactAboveAttack: number;
}

/**
 * Theorem 1's robustness against d (beyond the paper's rate statements). ‖e‖ and the exact minimal
 * perturbation depend only on R, so all of R is drawn from Bartlett's law (rmt.bartlettFactor;
 * Lemma 3's notebook checks it against QR) at each d of config.scalingDims.
 */
export function theorem1Scaling(c: Theorem1Config, rng: Rng): Theorem1Scaling {
  const draws = {
    d: [] as number[],
    attack: [] as number[],
    exact: [] as number[],
    direction: [] as number[],
    margin: [] as number[],
  };
  let exactAboveAttack = 0;
  const rows = c.scalingDims.map((d): ScalingRow => {
    const attack: number[] = [];
    const exact: number[] = [];
    const direction: number[] = [];
    const margin: number[] = [];
    for (let k = 0; k < c.scalingDraws; k++) {
      const R = bartlettFactor(rng.child(d, k), d, d);
      const a = theorem1.attackNorm(theorem1.trailingEntries(R));
      const r = theorem1.robustnessFromR(R);
      attack.push(a);
      exact.push(r.exactMinimal);
      direction.push(r.directionMinimal);
      margin.push(r.nearestMargin);
      if (r.exactMinimal > a * (1 + 1e-12)) exactAboveAttack++;
    }
    for (let k = 0; k < attack.length; k++) {
      draws.d.push(d);
      draws.attack.push(attack[k]);
      draws.exact.push(exact[k]);
      draws.direction.push(direction[k]);
      draws.margin.push(margin[k]);
    }
    const mt = meanTest(attack, theorem1.NORM_E_MEAN, c.level, "E‖e‖");
    const med = medianInterval(attack, c.level);
    return {
      d,
      draws: c.scalingDraws,
      meanAttack: mt.estimate,
      meanLo: mt.lo,
      meanHi: mt.hi,
      medianAttack: med.estimate,
      medianLo: med.lo,
      medianHi: med.hi,
      guarantee: Math.sqrt(2 * d) / 2,
      medianExact: median(exact),
      medianDirection: median(direction),
      medianMargin: median(margin),
    };
  });
  const fitted = draws.d.map((d, i) => i).filter((i) => draws.d[i] >= c.exactMinD);
  return {
    rows,
    draws,
    exactSlope: {
      ...slopeStudy(
        fitted.map((i) => Math.log(draws.d[i])),
        fitted.map((i) => Math.log(draws.exact[i])),
        0,
        "less",
        c.level,
        `ln(exact minimal) on ln d, d ≥ ${c.exactMinD}`,
      ),
      minD: c.exactMinD,
    },
    exactAboveAttack,
  };
}

/** The notebook's headline numbers, each with its interval and a verdict computed from its test. */
export function theorem1Headlines(q: Theorem1RealQr, s: Theorem1Scaling): Headline[] {
  const last = q.rows[q.rows.length - 1];
  const p = (t: TestInput) => (t.pValue > 0 ? `p = ${t.pValue.toPrecision(3)}` : "p < 1e-300");
  const iv = (lo: number, hi: number, level: number) => ({ lo, hi, level });
  const law = `the law √2·χ₂ has median 2√(ln 2) = ${(2 * Math.sqrt(Math.LN2)).toFixed(4)}`;
  return [
    {
      quantity: `median ‖e‖ at d = ${last.d} (real QR)`,
      ours: last.medianAttack,
      interval: iv(last.medianLo, last.medianHi, q.mean.level),
      paper: "≤ C (a constant)",
      verdict: `KS test of ‖e‖ ~ √2·χ₂ at d = ${last.d}: ${p(last.test)}`,
      note: `${last.draws} draws over ${last.blocks} leading blocks; ${law}`,
    },
    {
      quantity: "mean ‖e‖ over every real-QR draw",
      ours: q.mean.estimate,
      interval: iv(q.mean.lo, q.mean.hi, q.mean.level),
      paper: "≤ C (a constant)",
      verdict: `t test of E‖e‖ = √π = ${q.mean.expected.toFixed(4)}: ${p(q.mean.test)}`,
      note: `d = ${q.rows.map((r) => r.d).join(", ")}`,
    },
    {
      quantity: `slope of ln(exact minimal) on ln d, d ≥ ${s.exactSlope.minD}`,
      ours: s.exactSlope.fit.slope,
      interval: iv(s.exactSlope.lo, s.exactSlope.hi, s.exactSlope.level),
      paper: "(not stated)",
      verdict: `one-sided t test of slope ≥ 0: ${p(s.exactSlope.test)}`,
      note: `d ≤ ${Math.max(...s.draws.d)}, ${s.exactSlope.fit.n} draws (R from Bartlett's law)`,
    },
  ];
}

/** Table columns (data key → label) for the notebook's tables. */
export const theorem1Columns: Record<
  "config" | "farApart" | "outputs" | "robustness" | "widths" | "scaling" | "realQr",
  Column[]
> = {
  config: [
    { key: "key", label: "parameter" },
    { key: "value", label: "value" },
  ],
  farApart: [
    { key: "d", label: "d" },
    { key: "eps", label: "ε" },
    { key: "draws", label: "draws" },
    { key: "failures", label: "failures" },
    { key: "frequency", label: "frequency" },
    { key: "unionBound", label: "union bound (Lemma 2)" },
    { key: "exactUnionBound", label: "union bound with exact χ²" },
    { key: "minRatio", label: "min ‖x_i − x_j‖ / √(2d)" },
    { key: "fixedFailures", label: "failures at the fixed ε" },
    { key: "fixedExactUnionBound", label: "exact-χ² union bound at the fixed ε" },
  ],
  outputs: [
    { key: "label", label: "class j" },
    { key: "before", label: "f_j(x_d)" },
    { key: "after", label: "f_j(x_d + e)" },
  ],
  robustness: [
    { key: "attack", label: "‖e‖ (the proof's attack)" },
    { key: "exact", label: "exact minimal perturbation" },
    { key: "target", label: "its class" },
    { key: "minimumDistance", label: "minimum-distance classifier" },
    { key: "guarantee", label: "√(2d)/2" },
  ],
  widths: [
    { key: "m", label: "m" },
    { key: "sharedR", label: "max |R − R_X| / max |R_X|" },
    { key: "condition1", label: "max |H₂H₁X − I|" },
    { key: "attack", label: "‖e‖" },
    { key: "fPrev", label: "f₍d−1₎(x_d + e)" },
    { key: "fLast", label: "f_d(x_d + e)" },
    { key: "exactMinimal", label: "exact minimal" },
  ],
  scaling: [
    { key: "d", label: "d" },
    { key: "draws", label: "draws" },
    { key: "meanAttack", label: "mean ‖e‖" },
    { key: "meanLo", label: "lo" },
    { key: "meanHi", label: "hi" },
    { key: "medianAttack", label: "median ‖e‖" },
    { key: "guarantee", label: "√(2d)/2" },
    { key: "medianExact", label: "median exact minimal" },
    { key: "medianDirection", label: "median along the last column of Q₂ alone" },
    { key: "medianMargin", label: "median minimum-distance robustness" },
  ],
  realQr: [
    { key: "d", label: "d" },
    { key: "draws", label: "draws" },
    { key: "blocks", label: "leading blocks A" },
    { key: "medianAttack", label: "median ‖e‖" },
    { key: "medianLo", label: "lo" },
    { key: "medianHi", label: "hi" },
    { key: "meanAttack", label: "mean ‖e‖" },
    { key: "ksDistance", label: "KS distance to √2·χ₂" },
    { key: "pValue", label: "p" },
  ],
};

/** The four laws of Step "random-matrix facts" as histogram panels (show.histogramPanels). */
export function theorem1RmtPanels(s: RmtSamples): Array<{
  samples: number[];
  density: (t: number) => number;
  title: string;
  densityName: string;
}> {
  return [
    { samples: s.rdd, density: (t) => chiPdf(t, 1), title: "R₍d,d₎", densityName: "χ₁" },
    { samples: s.rd1d1, density: (t) => chiPdf(t, 2), title: "R₍d−1,d−1₎", densityName: "χ₂" },
    { samples: s.rd1d, density: (t) => normalPdf(t), title: "R₍d−1,d₎", densityName: "N(0, 1)" },
    { samples: s.normE, density: theorem1.normEPdf, title: "‖e‖", densityName: "√2·χ₂" },
  ];
}

/** The scaling study's series for show.logLogBands: per-draw values against d. */
export function theorem1ScalingSeries(
  s: Theorem1Scaling,
): Array<{ name: string; d: number[]; y: number[] }> {
  return [
    { name: "‖e‖ (the proof's attack)", d: s.draws.d, y: s.draws.attack },
    { name: "exact minimal perturbation", d: s.draws.d, y: s.draws.exact },
    { name: "along (Q₂)₍:,d₎ alone", d: s.draws.d, y: s.draws.direction },
    { name: "minimum-distance classifier", d: s.draws.d, y: s.draws.margin },
    { name: "√(2d)/2", d: s.rows.map((r) => r.d), y: s.rows.map((r) => r.guarantee) },
  ];
}
