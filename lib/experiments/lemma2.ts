/**
 * Lemma 2 (appendix A.1) on numbers: the moment generating function of Z² against Monte Carlo,
 * the Chernoff objective's numerical minimiser against the closed form, the bound against the exact
 * chi-square probability and against seeded Monte Carlo frequencies on a grid of (α, d), and the
 * limit ln P/d → −∞ as α → 0 on the exact probability. Each step is one function of the config
 * returning a typed record; statistical steps return a stated test for the notebook's ledger.
 */
import { fail, requireInRange, requireInteger } from "../check";
import type { Headline } from "../claims/outputs";
import type { Claim, TestInput } from "../claims/ledger";
import type { Rng } from "../random/rng";
import type { IntervalSeries } from "../show/figures";
import type { Column } from "../show/render";
import { binomialTest, zTest } from "../stats/hypothesis";
import { clopperPearson } from "../stats/tests";
import * as lemma2 from "../theorems/lemma2";
import { type Scale } from "./config";

export interface Lemma2Config {
  /** Grid of α in (0, 1): Lemma 2 needs α < 1. Large α keeps P(χ²_d ≤ αd) within Monte Carlo reach. */
  alphas: number[];
  /** Grid of dimensions d (integers ≥ 1). */
  dims: number[];
  /** Monte Carlo draws of Σ_{i≤d} Z_i² per d (shared by every α), and of Z per MGF point. */
  samples: number;
  /** Points t < 0 at which E e^{tZ²} is estimated (the Chernoff bound uses t < 0). */
  mgfTs: number[];
  /** The dimension of the minimiser check (d only scales ln f, so one d suffices). */
  minimiserD: number;
  /** Levels M of the limit check: ln P/d ≤ −M at α = e^{−2M−1}, where the bound's g(α) ≤ −M. */
  limitMs: number[];
}

export const lemma2Defaults: Record<Scale, Lemma2Config> = {
  quick: {
    alphas: [0.3, 0.5, 0.7, 0.9],
    dims: [2, 4, 8, 16, 32],
    samples: 20000,
    mgfTs: [-2, -1, -0.5, -0.1],
    minimiserD: 10,
    limitMs: [1, 5, 20, 100],
  },
  paper: {
    alphas: [0.2, 0.3, 0.5, 0.7, 0.8, 0.9],
    dims: [1, 2, 4, 8, 16, 32, 64, 128],
    samples: 200000,
    mgfTs: [-2, -1, -0.5, -0.1],
    minimiserD: 10,
    limitMs: [1, 5, 20, 100],
  },
};

/**
 * Seconds per standard normal draw (with its square and sum) in the Monte Carlo loops: about 0.06 µs
 * measured on this machine (17 M draws/s, Node 20, one core), rounded up for two shared cores.
 */
export const LEMMA2_SECONDS_PER_NORMAL = 1e-7;
/** The time a notebook's Monte Carlo may take: a third of the runner's default 900 s per cell. */
export const LEMMA2_TIME_BUDGET_SECONDS = 300;
/**
 * Fewest Monte Carlo draws: the MGF's z test relies on the central limit theorem and each grid
 * point's binomial test needs draws enough to see a frequency; below this the tests say nothing.
 */
export const LEMMA2_MIN_SAMPLES = 1000;
/** Largest d: the series of chiSquareLogCdf and the draws per sample stay within reach. */
export const LEMMA2_MAX_D = 100000;

/** Normal draws the config's Monte Carlo takes: samples × (Σ d + number of MGF points). */
export function lemma2NormalDraws(c: Lemma2Config): number {
  return c.samples * (c.dims.reduce((s, d) => s + d, 0) + c.mgfTs.length);
}

/**
 * Refuses, before any work, a config that cannot run: empty grids, α outside (0, 1), d not an
 * integer in [1, LEMMA2_MAX_D], fewer than LEMMA2_MIN_SAMPLES draws, t ≥ ½ (the MGF is infinite
 * there), and a Monte Carlo whose time at LEMMA2_SECONDS_PER_NORMAL exceeds the budget.
 */
export function validateLemma2Config(c: Lemma2Config): void {
  const fn = "validateLemma2Config";
  if (c.alphas.length === 0) fail(fn, "alphas", c.alphas, "must not be empty");
  c.alphas.forEach((a, i) => requireInRange(fn, `alphas[${i}]`, a, 0, 1, [false, false]));
  if (c.dims.length === 0) fail(fn, "dims", c.dims, "must not be empty");
  c.dims.forEach((d, i) => requireInteger(fn, `dims[${i}]`, d, 1, LEMMA2_MAX_D));
  if (c.mgfTs.length === 0) fail(fn, "mgfTs", c.mgfTs, "must not be empty");
  c.mgfTs.forEach((t, i) => requireInRange(fn, `mgfTs[${i}]`, t, -1e6, 0, [true, false]));
  requireInteger(fn, "minimiserD", c.minimiserD, 1, LEMMA2_MAX_D);
  if (c.limitMs.length === 0) fail(fn, "limitMs", c.limitMs, "must not be empty");
  // α = e^{−2M−1} must stay a positive double: M ≤ 300.
  c.limitMs.forEach((m, i) => requireInRange(fn, `limitMs[${i}]`, m, 0, 300, [false, true]));
  if (!Number.isInteger(c.samples) || c.samples < LEMMA2_MIN_SAMPLES)
    fail(
      fn,
      "samples",
      c.samples,
      `must be an integer >= ${LEMMA2_MIN_SAMPLES} (the MGF's z test and the binomial tests ` +
        "need that many draws to mean anything)",
    );
  const seconds = lemma2NormalDraws(c) * LEMMA2_SECONDS_PER_NORMAL;
  if (seconds > LEMMA2_TIME_BUDGET_SECONDS) {
    const most = Math.floor(c.samples * (LEMMA2_TIME_BUDGET_SECONDS / seconds));
    fail(
      fn,
      "samples",
      c.samples,
      `must be at most ${most} for this grid: ${lemma2NormalDraws(c).toExponential(2)} normal ` +
        `draws at ${Number((LEMMA2_SECONDS_PER_NORMAL * 1e6).toPrecision(3))} µs each (measured) take about ` +
        `${Math.round(seconds)} s, over the ${LEMMA2_TIME_BUDGET_SECONDS} s budget ` +
        "(the runner stops a cell after 900 s)",
    );
  }
}

/** One point of the MGF check: Monte Carlo mean of e^{tZ²} against √2/√(2 − 4t). */
export type MgfPoint = {
  t: number;
  /** Mean of e^{tZ²} over `samples` draws of Z. */
  estimate: number;
  /** Its standard error under H₀, √(Var e^{tZ²} / n) with Var = M(2t) − M(t)² from the formula. */
  stdError: number;
  /** The paper's √2/√(2 − 4t). */
  formula: number;
  /** z test of estimate = formula. */
  test: TestInput;
};

/**
 * Appendix A.1's integral E e^{tZ²} = √2/√(2 − 4t), estimated by Monte Carlo at each t of
 * config.mgfTs (t < 0) from its own stream rng.child(k), with a two-sided z test whose standard
 * error is the null's own: Var e^{tZ²} = E e^{2tZ²} − (E e^{tZ²})² (the formula at 2t and t).
 */
export function lemma2Mgf(config: Lemma2Config, rng: Rng): MgfPoint[] {
  validateLemma2Config(config);
  return config.mgfTs.map((t, k) => {
    const r = rng.child(k);
    let sum = 0;
    for (let s = 0; s < config.samples; s++) sum += Math.exp(t * r.normal() ** 2);
    const estimate = sum / config.samples;
    const formula = Math.SQRT2 / Math.sqrt(2 - 4 * t);
    const variance = lemma2.chiSquareMgf(2 * t) - lemma2.chiSquareMgf(t) ** 2;
    const stdError = Math.sqrt(variance / config.samples);
    const z = zTest(estimate, formula, stdError);
    return {
      t,
      estimate,
      stdError,
      formula,
      test: {
        pValue: z.pValue,
        statistic: z.statistic,
        hypothesis: `E e^(tZ²) = √2/√(2−4t) = ${formula.toPrecision(6)} at t = ${t}`,
        method:
          `two-sided z test of the mean of ${config.samples} draws, standard error from the ` +
          "null's variance M(2t) − M(t)² (central limit theorem)",
      },
    };
  });
}

/** The Chernoff objective's minimiser at one α, two ways. */
export type MinimiserRow = {
  alpha: number;
  d: number;
  /** Golden-section minimiser of ln f over t < 0 (no closed form used). */
  numericT: number;
  /** The appendix's t* = (α − 1)/(2α). */
  closedT: number;
  /** ln f at the numerical minimiser. */
  numericLogMin: number;
  /** The appendix's value at t*: ln (αe^{1−α})^{d/2} = d·g(α). */
  logBound: number;
};

/** Appendix A.1's minimisation at every α of the config, d = config.minimiserD. */
export function lemma2Minimiser(config: Lemma2Config): MinimiserRow[] {
  validateLemma2Config(config);
  const d = config.minimiserD;
  return config.alphas.map((alpha) => {
    const m = lemma2.minimizeChernoffObjective(alpha, d);
    return {
      alpha,
      d,
      numericT: m.t,
      closedT: lemma2.chernoffOptimalT(alpha),
      numericLogMin: m.logValue,
      logBound: lemma2.logChernoffBound(alpha, d),
    };
  });
}

export type Lemma2Point = {
  alpha: number;
  d: number;
  /** Id label of the point, `a=<α>,d=<d>`. */
  label: string;
  /** The point in words, `α = <α>, d = <d>` (for claim names). */
  where: string;
  bound: number;
  logBound: number;
  exact: number;
  logExact: number;
  /** ln(bound) − ln(exact): Lemma 2 says ≥ 0. */
  logGap: number;
  /** Draws with Σ Z_i² ≤ αd, out of `samples`. */
  hits: number;
  samples: number;
  estimate: number;
  /** Clopper–Pearson interval of the frequency at `level`. */
  lo: number;
  hi: number;
  level: number;
  /** Exact binomial test of hits ~ Bin(samples, exact). */
  test: TestInput;
};

export interface Lemma2Grid {
  points: Lemma2Point[];
  /** The point where ln(bound) − ln(exact) is smallest (the bound's tightest). */
  tightest: Lemma2Point;
}

/** Level of the Clopper–Pearson intervals shown (the tests are decided by Holm in the ledger). */
export const LEMMA2_INTERVAL_LEVEL = 0.99;

/**
 * Lemma 2 at every (α, d) of the grid: the bound (α e^{1−α})^{d/2}, the exact P(χ²_d ≤ αd), and
 * the frequency of Σ_{i≤d} Z_i² ≤ αd over config.samples seeded draws (dimension d draws from
 * rng.child(d), so a point does not depend on the rest of the grid), with an exact binomial test
 * against the exact probability.
 */
export function lemma2Grid(config: Lemma2Config, rng: Rng): Lemma2Grid {
  validateLemma2Config(config);
  const points: Lemma2Point[] = [];
  for (const d of config.dims) {
    const hits = countBelow(rng.child(d), d, config.samples, config.alphas);
    config.alphas.forEach((alpha, k) => {
      const exact = lemma2.exactProbability(alpha, d);
      const logExact = lemma2.logExactProbability(alpha, d);
      const ci = clopperPearson(hits[k], config.samples, LEMMA2_INTERVAL_LEVEL);
      const b = binomialTest(hits[k], config.samples, exact);
      points.push({
        alpha,
        d,
        label: `a=${alpha},d=${d}`,
        where: `α = ${alpha}, d = ${d}`,
        bound: lemma2.chernoffBound(alpha, d),
        logBound: lemma2.logChernoffBound(alpha, d),
        exact,
        logExact,
        logGap: lemma2.logChernoffBound(alpha, d) - logExact,
        hits: hits[k],
        samples: config.samples,
        estimate: hits[k] / config.samples,
        lo: ci.lo,
        hi: ci.hi,
        level: LEMMA2_INTERVAL_LEVEL,
        test: {
          pValue: b.pValue,
          statistic: hits[k],
          hypothesis: `hits ~ Bin(${config.samples}, P(χ²_${d} ≤ ${alpha}·${d}) = ${exact.toPrecision(4)})`,
          method: "exact two-sided binomial test (smaller tail doubled)",
        },
      });
    });
  }
  const tightest = points.reduce((a, b) => (b.logGap < a.logGap ? b : a));
  return { points, tightest };
}

/**
 * For each α, how many of `samples` draws of Σ_{i≤d} Z_i² (Z_i from rng) are at most αd. Counts
 * as it draws: no array of sums is kept, so memory does not grow with samples.
 */
export function countBelow(rng: Rng, d: number, samples: number, alphas: number[]): number[] {
  requireInteger("countBelow", "d", d, 1);
  requireInteger("countBelow", "samples", samples, 1);
  const thresholds = alphas.map((a) => a * d);
  const hits = alphas.map(() => 0);
  for (let s = 0; s < samples; s++) {
    let acc = 0;
    for (let i = 0; i < d; i++) {
      const z = rng.normal();
      acc += z * z;
    }
    for (let k = 0; k < thresholds.length; k++) if (acc <= thresholds[k]) hits[k]++;
  }
  return hits;
}

/** Lemma 2's second statement at one M, on the exact probability. */
export type LimitRow = {
  M: number;
  /** α = e^{−2M−1}, where the bound's exponent g(α) = −M − α/2 ≤ −M. */
  alpha: number;
  /** max over the grid's d of ln P(χ²_d ≤ αd)/d (chiSquareLogCdf, not g). */
  worst: number;
  /** The d at which it is largest. */
  worstD: number;
};

export interface Lemma2Limit {
  rows: LimitRow[];
  /** ln P(χ²_d ≤ αd)/d against α for each d of the grid, and g(α), for the figure. */
  series: IntervalSeries[];
}

/**
 * Lemma 2's "ln(probability)/d → −∞ as α → 0", on the exact probability: for each M of the config,
 * the largest ln P(χ²_d ≤ αd)/d over the grid's d at α = e^{−2M−1}; and the curves of ln P/d for
 * α from 10⁻¹² to 0.99 beside g(α).
 */
export function lemma2Limit(config: Lemma2Config): Lemma2Limit {
  validateLemma2Config(config);
  const perD = (alpha: number, d: number) => lemma2.logExactProbability(alpha, d) / d;
  const rows = config.limitMs.map((M) => {
    const alpha = Math.exp(-2 * M - 1);
    const values = config.dims.map((d) => perD(alpha, d));
    const k = values.indexOf(Math.max(...values));
    return { M, alpha, worst: values[k], worstD: config.dims[k] };
  });
  const alphas = Array.from({ length: 61 }, (_, i) => 10 ** (-12 + (12 * i) / 60)).map((a) =>
    Math.min(a, 0.99),
  );
  const series: IntervalSeries[] = config.dims.map((d) => ({
    name: `d = ${d}`,
    x: alphas,
    lines: [{ label: `ln P/d, d = ${d}`, y: alphas.map((a) => perD(a, d)) }],
  }));
  series.push({
    name: "g(α)",
    x: alphas,
    lines: [
      { label: "g(α) = ½ ln(αe^(1−α))", y: alphas.map(lemma2.chernoffExponent), dash: "dash" },
    ],
  });
  return { rows, series };
}

/**
 * The grid for the figure: per α, the bound (dashed) and the exact probability (solid) against d,
 * with the Monte Carlo frequencies and their Clopper–Pearson intervals (frequencies of 0 left out:
 * the axis is logarithmic).
 */
export function lemma2Series(grid: Lemma2Grid): IntervalSeries[] {
  const alphas = [...new Set(grid.points.map((p) => p.alpha))];
  return alphas.map((alpha) => {
    const pts = grid.points.filter((p) => p.alpha === alpha);
    const seen = pts.map((p) => (p.hits > 0 ? p.estimate : NaN));
    return {
      name: `α = ${alpha}`,
      x: pts.map((p) => p.d),
      lines: [
        { label: `bound, α = ${alpha}`, y: pts.map((p) => p.bound), dash: "dash" },
        { label: `exact, α = ${alpha}`, y: pts.map((p) => p.exact) },
      ],
      points: {
        label: `Monte Carlo, α = ${alpha}`,
        y: seen,
        lo: pts.map((p, i) => (Number.isNaN(seen[i]) ? NaN : p.lo)),
        hi: pts.map((p, i) => (Number.isNaN(seen[i]) ? NaN : p.hi)),
      },
    };
  });
}

/**
 * The results file's headline rows: the smallest gap ln(bound) − ln(exact) over the grid (exact,
 * no interval), and the Monte Carlo frequency at the tightest point with its interval beside the
 * exact probability; verdicts are read from the decided claims `bound@…` and `monte-carlo@…`.
 */
export function lemma2Headline(grid: Lemma2Grid, claims: readonly Claim[]): Headline[] {
  const t = grid.tightest;
  const bound = claims.filter((c) => c.id.startsWith("bound@"));
  const mc = claims.find((c) => c.id === `monte-carlo@${t.label}`);
  const held = bound.filter((c) => c.passed).length;
  return [
    {
      quantity: "min over the grid of ln(bound) − ln P(χ²_d ≤ αd)",
      ours: t.logGap,
      paper: "≥ 0 (Lemma 2)",
      verdict: `the bound holds at ${held} of ${bound.length} grid points`,
      note: `tightest at α = ${t.alpha}, d = ${t.d}`,
    },
    {
      quantity: `Monte Carlo P(χ²_${t.d} ≤ ${t.alpha}·${t.d}) (the tightest point)`,
      ours: t.estimate,
      interval: { lo: t.lo, hi: t.hi, level: t.level },
      paper: `exact ${t.exact.toPrecision(4)}; bound ${t.bound.toPrecision(4)}`,
      verdict: mc?.test
        ? `${mc.test.rejected ? "inconsistent" : "consistent"} with the exact value ` +
          `(binomial p = ${mc.test.pValue.toPrecision(2)}, Holm p̃ = ${mc.test.adjustedP.toPrecision(2)})`
        : "not tested",
    },
  ];
}

/** Column labels of the notebook's tables (show.table's `columns`), by step. */
export const lemma2Columns: Record<"config" | "mgf" | "minimiser" | "grid", Column[]> = {
  config: [
    { key: "alphas", label: "α grid" },
    { key: "dims", label: "d grid" },
    { key: "samples", label: "Monte Carlo draws per d" },
    { key: "mgfTs", label: "t of the MGF check" },
    { key: "minimiserD", label: "d of the minimiser check" },
    { key: "limitMs", label: "M of the limit check" },
  ],
  mgf: [
    { key: "t", label: "t" },
    { key: "estimate", label: "Monte Carlo mean" },
    { key: "stdError", label: "standard error (H₀)" },
    { key: "formula", label: "√2/√(2−4t)" },
  ],
  minimiser: [
    { key: "alpha", label: "α" },
    { key: "numericT", label: "numerical minimiser" },
    { key: "closedT", label: "(α−1)/(2α)" },
    { key: "numericLogMin", label: "numerical min ln f" },
    { key: "logBound", label: "d·g(α)" },
  ],
  grid: [
    { key: "alpha", label: "α" },
    { key: "d", label: "d" },
    { key: "bound", label: "bound" },
    { key: "exact", label: "exact P" },
    { key: "logGap", label: "ln bound − ln P" },
    { key: "estimate", label: "Monte Carlo" },
    { key: "lo", label: "99% interval, low" },
    { key: "hi", label: "99% interval, high" },
  ],
};
