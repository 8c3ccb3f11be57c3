/**
 * Lemma 3 (appendix A.2) on numbers, in the proof's order: Bartlett's decomposition of one
 * Gaussian matrix, the induction step (H_2Q_1 is Gaussian and independent of R_1), the recursion's
 * identity (and the printed step where it is defined), and the lemma's law: the R of a product of
 * Gaussian matrices against a product of independent Bartlett factors. Each step is one function
 * of the config and an RNG returning a typed record; statistical steps return stated tests.
 */
import { fail, requireInteger } from "../check";
import type { Claim, TestInput } from "../claims/ledger";
import type { Headline } from "../claims/outputs";
import { qr } from "../linalg/qr";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import type { Column } from "../show/render";
import { bartlettFactor, bartlettProduct, gaussianLayers, gaussianProductR } from "../rmt/bartlett";
import {
  bartlettEntryLaw,
  lemma3Recursion,
  printedInductionStep,
  type PrintedInductionStep,
} from "../rmt/lemma3";
import {
  correlationTest,
  KS_EXACT_MAX_N,
  ksTestAuto,
  meanTTest,
  varianceTest,
  zTest,
  type MeanTest,
} from "../stats/hypothesis";
import { normalCdf, studentTQuantile } from "../stats/distributions";
import { median } from "../stats/summary";
import { ksTest2 } from "../stats/tests";
import type { Scale } from "./config";
import { multiply } from "../linalg/product";

export interface Lemma3Config {
  /** [n_1, n_2] of the single Gaussian factor checked against Bartlett's laws (the proof's start). */
  factor: number[];
  /**
   * Width lists [n_1, …, n_l], every n_{i+1} ≥ n_1 (what the proof needs; not necessarily
   * non-decreasing, as the lemma's "without loss of generality" would have it), at least two
   * layers, for the lemma's law.
   */
  cases: number[][];
  /** Draws per route and case, and of the single factor. */
  draws: number;
  /** [n_1, n_2, n_3] of the induction step H_1 = Q_1R_1, H_2Q_1. */
  inductionWidths: number[];
  /** Draws of the induction step. */
  inductionDraws: number;
  /** n of the square layers on which the printed induction step is defined (n_2 = n_1). */
  squareN: number;
}

export const lemma3Defaults: Record<Scale, Lemma3Config> = {
  quick: {
    factor: [4, 6],
    cases: [
      // notebook 04's shapes: widths d·2^i, and square layers
      [8, 16, 32, 64],
      [8, 8, 8, 8, 8],
      [4, 6, 9],
      // not monotone, every n_{i+1} ≥ n_1: the proof's condition, not the printed one
      [4, 8, 5, 6],
      // the last case carries the moment test and the QQ plots
      [4, 5, 7, 10],
    ],
    draws: 3000,
    inductionWidths: [4, 5, 7],
    inductionDraws: 2000,
    squareN: 4,
  },
  paper: {
    factor: [8, 12],
    cases: [
      [8, 12, 20],
      [8, 10, 16, 32],
      // notebook 04's shapes at its d = 12: widths d·2^i, and square layers
      [12, 24, 48, 96, 192],
      [12, 12, 12, 12, 12, 12, 12],
      // not monotone, every n_{i+1} ≥ n_1: the proof's condition, not the printed one
      [8, 16, 10, 12],
      // the last case carries the moment test and the QQ plots
      [16, 24, 40, 64, 100],
    ],
    draws: 8000,
    inductionWidths: [16, 24, 40],
    inductionDraws: 8000,
    squareN: 16,
  },
};

/**
 * Cost of the sampling, fitted to timings on this machine (Node 20, two cores shared with other
 * jobs, widths from [4, 6] to [30, 60, 120]) and rounded up: a fixed cost per draw, per normal draw
 * and per multiply-add of the matrix products and QR, and the exact KS p-values.
 */
export const LEMMA3_SECONDS = {
  perDraw: 3e-5,
  perNormal: 1e-7,
  perMultiplyAdd: 1e-8,
  /** An exact one-sample KS p-value costs about this × n² (n ≤ KS_EXACT_MAX_N; 0.25 s at 4000). */
  perKsExactSquared: 1.5e-8,
};
/** The time a notebook's sampling may take: a third of the 900 s per-cell budget (CELL_SECONDS). */
export const LEMMA3_TIME_BUDGET_SECONDS = 300;
/** Memory the stored samples may take, with the sorted copies the KS tests and QQ plots make. */
export const LEMMA3_MEMORY_BUDGET_BYTES = 2 ** 30;
/**
 * Fewest draws: the two-sample KS p-value (Kolmogorov limit, Stephens' correction) and the QQ
 * plot's percentiles need about a hundred values per route.
 */
export const LEMMA3_MIN_DRAWS = 100;

/** Normal draws and multiply-adds of one draw of R both ways (QR of the product, Bartlett). */
function productWork(w: readonly number[]): { normals: number; multiplyAdds: number } {
  const n1 = w[0];
  const l = w.length;
  let normals = (l - 1) * ((n1 * (n1 + 1)) / 2); // the Bartlett factors
  let multiplyAdds = (l - 2) * n1 ** 3 + w[l - 1] * n1 * n1; // their product; the final QR
  for (let i = 0; i + 1 < l; i++) {
    normals += w[i + 1] * w[i];
    if (i >= 1) multiplyAdds += w[i + 1] * w[i] * n1; // H_i (H_{i−1}⋯H_1)
  }
  return { normals, multiplyAdds };
}

/** Estimated seconds and bytes of the config's sampling (every step), from LEMMA3_SECONDS. */
export function lemma3Cost(c: Lemma3Config): { seconds: number; bytes: number } {
  const s = LEMMA3_SECONDS;
  const work = (w: readonly number[], draws: number) => {
    const p = productWork(w);
    return draws * (s.perDraw + s.perNormal * p.normals + s.perMultiplyAdd * p.multiplyAdds);
  };
  const [m1, m2, m3] = c.inductionWidths;
  const induction =
    c.inductionDraws *
    (s.perDraw +
      s.perNormal * (m2 * m1 + m3 * m2) +
      s.perMultiplyAdd * (2 * m2 * m1 * m1 + m3 * m2 * m1));
  // Nine one-sample KS tests: eight of the single factor, one of the induction step.
  const exactKs = (n: number) => (n <= KS_EXACT_MAX_N ? s.perKsExactSquared * n * n : 0);
  const ks = 8 * exactKs(c.draws) + exactKs(c.inductionDraws);
  const seconds =
    work(c.factor, c.draws) + c.cases.reduce((t, w) => t + work(w, c.draws), 0) + induction + ks;
  // Per draw, 12 values per case (6 statistics, 2 routes) and 8 of the single factor (4 entries,
  // 2 routes); 4 per induction draw; ×3 for sorted copies.
  const values = c.draws * (12 * c.cases.length + 8) + c.inductionDraws * 4;
  return { seconds, bytes: 3 * 8 * values };
}

/** Seconds in µs for messages, without float noise. */
function micro(seconds: number): number {
  return Number((seconds * 1e6).toPrecision(3));
}

function checkWidths(fn: string, param: string, w: readonly number[], length: number): void {
  if (!Array.isArray(w) || w.length < length)
    fail(fn, param, w, `must list at least ${length} widths`);
  w.forEach((n, j) => requireInteger(fn, `${param}[${j}]`, n, 2, 100000));
  for (let j = 1; j < w.length; j++)
    if (w[j] < w[0])
      fail(fn, `${param}[${j}]`, w[j], `must be >= ${w[0]} (Lemma 3's proof needs n_{i+1} ≥ n_1)`);
}

/**
 * Refuses, before any work, a config that cannot run: widths that are not integers ≥ 2 or that
 * fall below n_1 (Lemma 3's proof needs n_{i+1} ≥ n_1), fewer than LEMMA3_MIN_DRAWS draws, and sampling whose
 * estimated time (LEMMA3_SECONDS) or memory exceeds its budget.
 */
export function validateLemma3Config(c: Lemma3Config): void {
  const fn = "validateLemma3Config";
  checkWidths(fn, "factor", c.factor, 2);
  if (c.factor.length !== 2) fail(fn, "factor", c.factor, "must be [n_1, n_2] (one matrix)");
  if (!Array.isArray(c.cases) || c.cases.length === 0)
    fail(fn, "cases", c.cases, "must not be empty");
  c.cases.forEach((w, i) => checkWidths(fn, `cases[${i}]`, w, 3));
  checkWidths(fn, "inductionWidths", c.inductionWidths, 3);
  if (c.inductionWidths[0] < 3)
    fail(fn, "inductionWidths[0]", c.inductionWidths[0], "must be >= 3 (a layer of n_1 − 2 rows)");
  if (c.inductionWidths.length !== 3)
    fail(fn, "inductionWidths", c.inductionWidths, "must be [n_1, n_2, n_3]");
  requireInteger(fn, "squareN", c.squareN, 2, 2000);
  for (const key of ["draws", "inductionDraws"] as const)
    if (!Number.isInteger(c[key]) || c[key] < LEMMA3_MIN_DRAWS)
      fail(
        fn,
        key,
        c[key],
        `must be an integer >= ${LEMMA3_MIN_DRAWS} (KS p-values and QQ percentiles need that many)`,
      );
  const { seconds, bytes } = lemma3Cost(c);
  const over = Math.max(seconds / LEMMA3_TIME_BUDGET_SECONDS, bytes / LEMMA3_MEMORY_BUDGET_BYTES);
  if (over > 1) {
    const key = c.draws >= c.inductionDraws ? "draws" : "inductionDraws";
    fail(
      fn,
      key,
      c[key],
      `must be at most about ${Math.floor(c[key] / over)} for these widths: the sampling would ` +
        `take about ${Math.round(seconds)} s at the rates measured on this machine ` +
        `(${micro(LEMMA3_SECONDS.perNormal)} µs per normal draw, ` +
        `${micro(LEMMA3_SECONDS.perMultiplyAdd)} µs per multiply-add; budget ` +
        `${LEMMA3_TIME_BUDGET_SECONDS} s, the runner stops a cell after 900 s) and ` +
        `${(bytes / 2 ** 20).toFixed(0)} MiB (budget ${LEMMA3_MEMORY_BUDGET_BYTES / 2 ** 20} MiB)`,
    );
  }
}

/** The entries of R compared (0-based): the first and last diagonal, the corner, the last off-diagonal. */
export function lemma3Entries(n: number): Array<{ label: string; i: number; j: number }> {
  return [
    { label: "R(1,1)", i: 0, j: 0 },
    { label: `R(${n},${n})`, i: n - 1, j: n - 1 },
    { label: `R(1,${n})`, i: 0, j: n - 1 },
    { label: `R(${n - 1},${n})`, i: n - 2, j: n - 1 },
  ];
}

/**
 * The statistics of R compared between the two routes of Lemma 3's law: the four entries of
 * lemma3Entries, and two functions of the whole matrix, so that the comparison sees the joint law
 * and not only marginals: ln det R = Σ_j ln R_jj (every diagonal entry at once) and ‖R‖_F (every
 * entry; equal to ‖H‖_F for the QR route since Q has orthonormal columns).
 */
export function lemma3Statistics(
  n: number,
): Array<{ label: string; key: string; of: (R: { get(i: number, j: number): number }) => number }> {
  const entries = lemma3Entries(n).map((e) => ({
    label: e.label,
    key: e.label,
    of: (R: { get(i: number, j: number): number }) => R.get(e.i, e.j),
  }));
  return [
    ...entries,
    {
      label: "ln det R",
      key: "logdet",
      of: (R) => {
        let s = 0;
        for (let j = 0; j < n; j++) s += Math.log(Math.abs(R.get(j, j)));
        return s;
      },
    },
    {
      label: "‖R‖_F",
      key: "frobenius",
      of: (R) => {
        let s = 0;
        for (let i = 0; i < n; i++) for (let j = i; j < n; j++) s += R.get(i, j) ** 2;
        return Math.sqrt(s);
      },
    },
  ];
}

/**
 * The smallest two-sample KS distance D that rejects at Holm's first step (level/familySize) with
 * `draws` values per sample, from Kolmogorov's limit P(√(n/2)·D > λ) ≈ 2e^{−2λ²}: a statement of
 * the power of the comparisons (a difference of laws smaller than this is not seen).
 */
export function ksDetectableDistance(draws: number, level: number, familySize: number): number {
  requireInteger("ksDetectableDistance", "draws", draws, 1);
  requireInteger("ksDetectableDistance", "familySize", familySize, 1);
  const lambda = Math.sqrt(-Math.log(level / familySize / 2) / 2);
  return lambda * Math.sqrt(2 / draws);
}

/** One entry of the single factor, by QR and by the direct sampler, each against Bartlett's law. */
export interface BartlettEntry {
  label: string;
  /** The law in words, e.g. "χ with 12 degrees of freedom". */
  law: string;
  qr: Float64Array;
  sampler: Float64Array;
  /** One-sample KS of the QR route against the law (Bartlett's decomposition). */
  qrTest: TestInput;
  /** One-sample KS of bartlettFactor's draws against the law (our sampler). */
  samplerTest: TestInput;
}

export interface BartlettFacts {
  widths: number[];
  entries: BartlettEntry[];
  /** The smallest of the sampler's four KS p-values (its construction check). */
  samplerMinP: number;
}

function ksInput(x: Float64Array, cdf: (t: number) => number, hypothesis: string): TestInput {
  const r = ksTestAuto(x, cdf);
  const how = r.exact ? "exact p-value (@stdlib)" : "Kolmogorov limit with Stephens' correction";
  return {
    pValue: r.pValue,
    statistic: r.statistic,
    hypothesis,
    method: `one-sample Kolmogorov–Smirnov, ${x.length} draws, ${how}`,
    power: { kind: "ks", n: x.length },
  };
}

/**
 * Appendix A.2's starting fact: for H_1 = Q_1R_1 (n_2×n_1 Gaussian), (R_1)_jj ~ χ_{n_2−j+1} and
 * (R_1)_jk ~ N(0, 1) above the diagonal. The four entries of lemma3Entries from config.draws QR
 * decompositions (rng.child(0)) and from the direct sampler (rng.child(1)), each tested against the
 * law by a one-sample KS test.
 */
export function bartlettFacts(config: Lemma3Config, rng: Rng): BartlettFacts {
  validateLemma3Config(config);
  const [n, rows] = config.factor;
  const where = lemma3Entries(n);
  const qrs = where.map(() => new Float64Array(config.draws));
  const direct = where.map(() => new Float64Array(config.draws));
  const a = rng.child(0);
  const b = rng.child(1);
  for (let k = 0; k < config.draws; k++) {
    const R = qr(gaussianMatrix(a, rows, n)).R;
    const B = bartlettFactor(b, n, rows);
    where.forEach((e, t) => {
      qrs[t][k] = R.get(e.i, e.j);
      direct[t][k] = B.get(e.i, e.j);
    });
  }
  const entries = where.map((e, t) => {
    const law = bartlettEntryLaw(e.i, e.j, rows);
    return {
      label: e.label,
      law: law.name,
      qr: qrs[t],
      sampler: direct[t],
      qrTest: ksInput(qrs[t], law.cdf, `${e.label} of a ${rows}×${n} Gaussian's QR ~ ${law.name}`),
      samplerTest: ksInput(direct[t], law.cdf, `${e.label} of bartlettFactor ~ ${law.name}`),
    };
  });
  const samplerMinP = Math.min(...entries.map((e) => e.samplerTest.pValue));
  return { widths: [n, rows], entries, samplerMinP };
}

/** The induction step's tests: H_2Q_1 has i.i.d. N(0, 1) entries, independent of R_1. */
export interface InductionStep {
  widths: number[];
  draws: number;
  /** (H_2Q_1)_{1,1}, (H_2Q_1)_{1,2}, (H_2Q_1)_{2,1} and (R_1)_{1,1} per draw. */
  g11: Float64Array;
  g12: Float64Array;
  g21: Float64Array;
  r11: Float64Array;
  /** z test of E (H_2Q_1)_{1,1} = 0 with variance 1 (exact under H₀). */
  mean: TestInput;
  /** Chi-square test of Var (H_2Q_1)_{1,1} = 1 with mean 0 (exact under H₀). */
  variance: TestInput;
  /** One-sample KS of (H_2Q_1)_{1,1} against N(0, 1). */
  normal: TestInput;
  /** t test of corr((H_2Q_1)_{1,1}, (H_2Q_1)_{1,2}) = 0 (entries of a row). */
  row: TestInput;
  /** t test of corr((H_2Q_1)_{1,1}, (H_2Q_1)_{2,1}) = 0 (entries of a column). */
  column: TestInput;
  /** t test of corr((H_2Q_1)_{1,1}, (R_1)_{1,1}) = 0. */
  r1Correlation: TestInput;
  /** Two-sample KS of (H_2Q_1)_{1,1} between draws with (R_1)_{1,1} below and above its median. */
  r1Split: TestInput;
}

/**
 * Appendix A.2's induction step on inductionDraws independent draws (rng.child(0)): H_1 = Q_1R_1
 * (n_2×n_1), H_2 (n_3×n_2) and G = H_2Q_1, with tests that G's entries are N(0, 1), uncorrelated
 * within a row and a column, and independent of R_1 (exact t tests: under H₀, G_{1,1} is i.i.d.
 * normal over draws and independent of the other variable).
 */
export function inductionStep(config: Lemma3Config, rng: Rng): InductionStep {
  validateLemma3Config(config);
  const [n1, n2, n3] = config.inductionWidths;
  const N = config.inductionDraws;
  const g11 = new Float64Array(N);
  const g12 = new Float64Array(N);
  const g21 = new Float64Array(N);
  const r11 = new Float64Array(N);
  const r = rng.child(0);
  for (let k = 0; k < N; k++) {
    const { Q, R } = qr(gaussianMatrix(r, n2, n1));
    const G = multiply(gaussianMatrix(r, n3, n2), Q);
    g11[k] = G.get(0, 0);
    g12[k] = G.get(0, 1);
    g21[k] = G.get(1, 0);
    r11[k] = R.get(0, 0);
  }
  const G = "(H₂Q₁)(1,1)";
  const corr = (y: Float64Array, other: string): TestInput => {
    const t = correlationTest(g11, y);
    return {
      pValue: t.pValue,
      statistic: t.statistic,
      hypothesis: `${G} and ${other} are uncorrelated`,
      method: `t test of Pearson's r (statistic) with ${N - 2} degrees of freedom, exact under H₀`,
      power: { kind: "correlation", n: N },
    };
  };
  const z = zTest(g11.reduce((s, v) => s + v, 0) / N, 0, 1 / Math.sqrt(N));
  const v = varianceTest(g11, 1, 0);
  const normal = ksInput(g11, (t) => normalCdf(t), `${G} ~ N(0, 1)`);
  const med = median(r11);
  const split = ksTest2(
    g11.filter((_, i) => r11[i] < med),
    g11.filter((_, i) => r11[i] >= med),
  );
  return {
    widths: [n1, n2, n3],
    draws: N,
    g11,
    g12,
    g21,
    r11,
    mean: {
      pValue: z.pValue,
      statistic: z.statistic,
      hypothesis: `E ${G} = 0 (with variance 1)`,
      method: `two-sided z test of the mean of ${N} draws, exact under H₀`,
      power: { kind: "t", se: 1 / Math.sqrt(N), df: Infinity, twoSided: true, unit: "the mean" },
    },
    variance: {
      pValue: v.pValue,
      statistic: v.statistic,
      hypothesis: `Var ${G} = 1 (with mean 0)`,
      method: `two-sided chi-square test of Σx²/n (statistic), χ² with ${N} degrees of freedom`,
      // Σx²/n has standard error √(2/n) under H₀: a z approximation of the variance's shift.
      power: {
        kind: "t",
        se: Math.sqrt(2 / N),
        df: Infinity,
        twoSided: true,
        unit: "the variance",
      },
    },
    normal,
    row: corr(g12, "(H₂Q₁)(1,2)"),
    column: corr(g21, "(H₂Q₁)(2,1)"),
    r1Correlation: corr(r11, "(R₁)(1,1)"),
    r1Split: {
      pValue: split.pValue,
      statistic: split.statistic,
      hypothesis: `the law of ${G} is the same for (R₁)(1,1) below and above its median`,
      method: "two-sample Kolmogorov–Smirnov (Kolmogorov limit with Stephens' correction)",
      power: {
        kind: "ks",
        n: g11.filter((_, i) => r11[i] < med).length,
        m: g11.filter((_, i) => r11[i] >= med).length,
      },
    },
  };
}

/** The recursion's identity on the deepest case (most layers), and the printed step on square layers. */
export interface Lemma3Identities {
  /** The widths of the recursion check (the config's case with the most layers, the first if tied). */
  widths: number[];
  /** max |R_{l−1}⋯R_1 − R| / max |R| for the recursion's factors and the R of the product. */
  recursionGap: number;
  /** n of the square layers [n, n, n] of the printed step. */
  squareN: number;
  printed: PrintedInductionStep;
  /**
   * A layer narrower than n_1 (widths [n, n + 4, n − 2, n + 6], n = inductionWidths[0]): the
   * product has rank n − 2, so its R has R(n−1, n−1) = R(n, n) = 0, while Lemma 3's factors (χ
   * diagonals) multiply to an invertible matrix. Over NARROW_DRAWS draws: the largest
   * |R(n, n)| / max |R|.
   */
  narrowing: { widths: number[]; draws: number; worstLastDiagonal: number };
}

/** Draws of the narrowing layer's product. */
const NARROW_DRAWS = 20;

/**
 * Appendix A.2's recursion on Gaussian layers of the config's deepest case (rng.child(0)): the R
 * factors of H_1 and of H_{i+1}Q_i multiply to the R of the product. And the printed induction
 * step Q_2(R_2Q_1R_1) on square n×n layers (rng.child(1)), beside the corrected Q_2(R_2R_1).
 */
export function lemma3Identities(config: Lemma3Config, rng: Rng): Lemma3Identities {
  validateLemma3Config(config);
  const widths = config.cases.reduce((a, b) => (b.length > a.length ? b : a));
  const recursion = lemma3Recursion(gaussianLayers(rng.child(0), widths));
  const n = config.squareN;
  const [H1, H2] = gaussianLayers(rng.child(1), [n, n, n]);
  const m = config.inductionWidths[0];
  const narrow = [m, m + 4, m - 2, m + 6];
  let worstLastDiagonal = 0;
  for (let k = 0; k < NARROW_DRAWS; k++) {
    const r = rng.child(2, k);
    // gaussianLayers refuses a layer narrower than n_1 (the lemma's condition): built directly.
    const layers = narrow.slice(1).map((rows, i) => gaussianMatrix(r, rows, narrow[i]));
    let H = layers[0];
    for (const L of layers.slice(1)) H = L.mmul(H);
    const R = qr(H).R;
    const largest = Math.max(...R.to1DArray().map(Math.abs));
    worstLastDiagonal = Math.max(worstLastDiagonal, Math.abs(R.get(m - 1, m - 1)) / largest);
  }
  return {
    widths,
    recursionGap: recursion.relativeGap,
    squareN: n,
    printed: printedInductionStep([H1, H2]),
    narrowing: { widths: narrow, draws: NARROW_DRAWS, worstLastDiagonal },
  };
}

/** One entry of one case: R of the product (QR route) against the product of Bartlett factors. */
export interface ProductEntry {
  label: string;
  /** The claim id's label: the entry's label, or "logdet", "frobenius". */
  key: string;
  qr: Float64Array;
  bartlett: Float64Array;
  meanQr: number;
  meanBartlett: number;
  /** Two-sample KS test of the two routes. */
  test: TestInput;
}

export interface ProductCase {
  widths: number[];
  /** Id label, e.g. "8-12-20". */
  label: string;
  /** The case in words, e.g. "widths [8, 12, 20]" (for claim names). */
  where: string;
  entries: ProductEntry[];
}

export interface Lemma3Comparison {
  cases: ProductCase[];
  /** E R(n,n)² of the last case by the QR route against the lemma's Π_i (n_{i+1} − n_1 + 1). */
  moment: MeanTest & { widths: number[]; expected: number; test: TestInput };
}

/**
 * Lemma 3's law: for each case, config.draws draws of R from the QR of H_{l−1}⋯H_1
 * (rng.child(k, 0)) and of R_{l−1}⋯R_1 from independent Bartlett factors (rng.child(k, 1)), the
 * statistics of lemma3Statistics (four entries, ln det R, ‖R‖_F) compared by two-sample KS tests. And E R(n,n)² of the last case:
 * R(n,n) is the product of the factors' last diagonals, χ_{n_{i+1}−n_1+1} each, so the lemma gives
 * E R(n,n)² = Π_i (n_{i+1} − n_1 + 1), tested by a t test of the QR route's draws.
 */
export function lemma3Comparison(config: Lemma3Config, rng: Rng): Lemma3Comparison {
  validateLemma3Config(config);
  const cases = config.cases.map((widths, k) => {
    const where = lemma3Statistics(widths[0]);
    const qrs = where.map(() => new Float64Array(config.draws));
    const products = where.map(() => new Float64Array(config.draws));
    const a = rng.child(k, 0);
    const b = rng.child(k, 1);
    for (let s = 0; s < config.draws; s++) {
      const Rq = gaussianProductR(a, widths);
      const Rb = bartlettProduct(b, widths);
      where.forEach((e, t) => {
        qrs[t][s] = e.of(Rq);
        products[t][s] = e.of(Rb);
      });
    }
    const entries = where.map((e, t) => {
      const ks = ksTest2(qrs[t], products[t]);
      return {
        label: e.label,
        key: e.key,
        qr: qrs[t],
        bartlett: products[t],
        meanQr: qrs[t].reduce((s, v) => s + v, 0) / config.draws,
        meanBartlett: products[t].reduce((s, v) => s + v, 0) / config.draws,
        test: {
          pValue: ks.pValue,
          statistic: ks.statistic,
          hypothesis: `${e.label} of QR(H) and of the product of ${widths.length - 1} Bartlett factors have one law`,
          method:
            `two-sample Kolmogorov–Smirnov, ${config.draws} draws per route ` +
            "(Kolmogorov limit with Stephens' correction)",
          power: { kind: "ks" as const, n: config.draws, m: config.draws },
        },
      };
    });
    return { widths, label: widths.join("-"), where: `widths [${widths.join(", ")}]`, entries };
  });
  const last = cases[cases.length - 1];
  const n1 = last.widths[0];
  const expected = last.widths.slice(1).reduce((p, w) => p * (w - n1 + 1), 1);
  const squares = last.entries[1].qr.map((v) => v * v);
  const t = meanTTest(squares, expected, 0.99);
  return {
    cases,
    moment: {
      ...t,
      widths: last.widths,
      expected,
      test: {
        pValue: t.pValue,
        statistic: t.statistic,
        hypothesis: `E R(${n1},${n1})² = Π (n₍ᵢ₊₁₎ − n₁ + 1) = ${expected}`,
        method: `two-sided one-sample t test, ${config.draws} draws (central limit theorem)`,
        power: {
          kind: "t",
          // the interval's half-width over its quantile: the mean's standard error
          se: (t.hi - t.lo) / (2 * studentTQuantile(0.995, config.draws - 1)),
          df: config.draws - 1,
          twoSided: true,
          unit: `E R(${n1},${n1})²`,
        },
      },
    },
  };
}

/**
 * The comparison's table: one row per case and statistic, with the KS distance that would reject
 * at Holm's first step in the family the claims were decided in (read from the last decided test
 * claim; NaN before any).
 */
export function lemma3Rows(
  c: Lemma3Comparison,
  claims: readonly Claim[] = [],
): Array<Record<string, number | string>> {
  const family = [...claims].reverse().find((x) => x.test)?.test;
  return c.cases.flatMap((k) =>
    k.entries.map((e) => ({
      widths: `[${k.widths.join(", ")}]`,
      entry: e.label,
      D: e.test.statistic ?? NaN,
      detectable: family
        ? ksDetectableDistance(e.qr.length, family.familyLevel, family.familySize)
        : NaN,
      pValue: e.test.pValue,
      meanQr: e.meanQr,
      meanBartlett: e.meanBartlett,
    })),
  );
}

/**
 * The results file's headline: E R(n,n)² of the last case with its 99% interval against the
 * lemma's value, and the largest KS distance over the comparisons beside the distance they can
 * detect; verdicts read from the decided claims `moment` and `product-law@…`.
 */
export function lemma3Headline(c: Lemma3Comparison, claims: readonly Claim[]): Headline[] {
  const m = c.moment;
  const moment = claims.find((x) => x.id === "moment");
  const law = claims.filter((x) => x.id.startsWith("product-law@"));
  const rejected = law.filter((x) => x.test?.rejected).length;
  const entries = c.cases.flatMap((k) => k.entries.map((e) => ({ ...e, where: k.widths })));
  const D = (e: ProductEntry) => e.test.statistic ?? 0;
  const worst = entries.reduce((a, b) => (D(b) > D(a) ? b : a));
  const family = [...claims].reverse().find((x) => x.test)?.test;
  const level = family?.familyLevel;
  const detectable = family
    ? ksDetectableDistance(worst.qr.length, family.familyLevel, family.familySize)
    : NaN;
  const n = m.widths[0];
  return [
    {
      quantity: `E R(${n},${n})² for H of widths [${m.widths.join(", ")}] (QR route)`,
      ours: m.estimate,
      interval: { lo: m.lo, hi: m.hi, level: m.level },
      paper: `${m.expected} = Π (n₍ᵢ₊₁₎ − n₁ + 1) (Lemma 3)`,
      verdict: moment?.test
        ? `${moment.test.rejected ? "rejected" : "consistent"} (t test p = ` +
          `${moment.test.pValue.toPrecision(2)}, Holm p̃ = ${moment.test.adjustedP.toPrecision(2)})`
        : "not tested",
    },
    {
      quantity: "largest two-sample KS distance, QR of the product vs product of Bartlett factors",
      ours: worst.test.statistic ?? NaN,
      paper: "R ~ R₍ₗ₋₁₎⋯R₁ (Lemma 3)",
      verdict:
        `${law.length - rejected} of ${law.length} comparisons not rejected ` +
        `at family-wise level ${level} (Holm)`,
      note:
        `at ${worst.label}, widths [${worst.where.join(", ")}]; a distance above ` +
        `${detectable.toPrecision(2)} would be rejected at Holm's first step`,
    },
  ];
}

/** Column labels of the notebook's tables (show.table's `columns`), by step. */
export const lemma3Columns: Record<"config" | "printed" | "comparison", Column[]> = {
  config: [
    { key: "factor", label: "one factor [n₁, n₂]" },
    { key: "cases", label: "products [n₁, …, n_l]" },
    { key: "draws", label: "draws per route and case" },
    { key: "inductionWidths", label: "induction step [n₁, n₂, n₃]" },
    { key: "inductionDraws", label: "induction draws" },
    { key: "squareN", label: "n of the square layers" },
  ],
  printed: [
    { key: "printedGap", label: "printed Q₂(R₂Q₁R₁)" },
    { key: "correctedGap", label: "corrected Q₂(R₂R₁)" },
  ],
  comparison: [
    { key: "widths", label: "widths" },
    { key: "entry", label: "entry" },
    { key: "D", label: "KS distance D" },
    { key: "detectable", label: "D rejected at Holm's first step" },
    { key: "pValue", label: "p-value" },
    { key: "meanQr", label: "mean (QR of the product)" },
    { key: "meanBartlett", label: "mean (Bartlett product)" },
  ],
};
