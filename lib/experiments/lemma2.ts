/**
 * Lemma 2 (appendix A.1) on numbers: the moment generating function of Z² against a numerical
 * integration of the appendix's integral, the Chernoff objective's numerical minimiser against the
 * closed form, the bound against the exact chi-square probability on a grid of (α, d), and the
 * bound at small α (which gives ln P/d → −∞) on the exact probability. Two checks of our own code
 * by other routes: the exact probability against seeded Monte Carlo frequencies at a few points,
 * and the far-tail series of ln P against a quadrature. Each step is one function of the config
 * returning a typed record; nothing here is a statistical test (Lemma 2 is about exact numbers).
 */
import { fail, requireInRange, requireInteger } from "../check";
import type { Headline } from "../claims/outputs";
import type { Claim } from "../claims/ledger";
import type { Rng } from "../random/rng";
import type { IntervalSeries } from "../show/figures";
import type { Column } from "../show/render";
import { clopperPearson } from "../stats/tests";
import * as lemma2 from "../theorems/lemma2";
import { type Scale } from "./config";

/** One point (α, d) of the Monte Carlo check of the exact probability. */
export interface Lemma2McPoint {
  alpha: number;
  d: number;
}

export interface Lemma2Config {
  /** Grid of α in (0, 1): Lemma 2 needs α < 1. */
  alphas: number[];
  /** Grid of dimensions d (integers ≥ 1). */
  dims: number[];
  /** Points t < 0 at which E e^{tZ²} is integrated numerically (the Chernoff bound uses t < 0). */
  mgfTs: number[];
  /** The dimension of the minimiser check (d only scales ln f, so one d suffices). */
  minimiserD: number;
  /** Levels M of the limit check: ln P/d ≤ g(α) ≤ −M at α = e^{−2M−1}. */
  limitMs: number[];
  /**
   * Points where the exact probability (the chi-square CDF every claim uses) is checked against
   * Monte Carlo: P must be large enough that samples·P draws hit (see LEMMA2_MIN_EXPECTED_HITS).
   */
  monteCarlo: Lemma2McPoint[];
  /** Monte Carlo draws of Σ_{i≤d} Z_i² per point. */
  samples: number;
}

export const lemma2Defaults: Record<Scale, Lemma2Config> = {
  quick: {
    alphas: [0.3, 0.5, 0.7, 0.9],
    dims: [2, 4, 8, 16, 32],
    mgfTs: [-2, -1, -0.5, -0.1],
    minimiserD: 10,
    limitMs: [1, 5, 20, 100],
    monteCarlo: [
      { alpha: 0.5, d: 8 },
      { alpha: 0.7, d: 32 },
    ],
    samples: 20000,
  },
  paper: {
    alphas: [0.2, 0.3, 0.5, 0.7, 0.8, 0.9],
    dims: [1, 2, 4, 8, 16, 32, 64, 128],
    mgfTs: [-2, -1, -0.5, -0.1],
    minimiserD: 10,
    limitMs: [1, 5, 20, 100],
    monteCarlo: [
      { alpha: 0.5, d: 16 },
      { alpha: 0.8, d: 128 },
    ],
    samples: 200000,
  },
};

/**
 * Seconds per standard normal draw (with its square and sum) in the Monte Carlo loop: about 0.06 µs
 * measured on this machine (17 M draws/s, Node 20, one core), rounded up for two shared cores.
 */
export const LEMMA2_SECONDS_PER_NORMAL = 1e-7;
/** The time a notebook's Monte Carlo may take: a third of the 900 s per-cell budget (CELL_SECONDS). */
export const LEMMA2_TIME_BUDGET_SECONDS = 300;
/** Fewest Monte Carlo draws per point. */
export const LEMMA2_MIN_SAMPLES = 1000;
/**
 * Fewest expected hits samples·P at a Monte Carlo point: below this the frequency's interval is as
 * wide as P itself and the check could not see the exact probability being wrong.
 */
export const LEMMA2_MIN_EXPECTED_HITS = 100;
/** Largest d: the series of chiSquareLogCdf and the draws per sample stay within reach. */
export const LEMMA2_MAX_D = 100000;
/**
 * Level of the Clopper–Pearson intervals the Monte Carlo check uses: the exact probability, if
 * right, falls outside with probability at most 1e-9 at any seed (a construction check that can
 * fail only when the code is wrong, by more than the interval's half-width).
 */
export const LEMMA2_CHECK_LEVEL = 1 - 1e-9;
/** Level of the intervals shown beside the check (the results file's headline). */
export const LEMMA2_INTERVAL_LEVEL = 0.99;

/** Normal draws the config's Monte Carlo takes: samples × Σ d over the Monte Carlo points. */
export function lemma2NormalDraws(c: Lemma2Config): number {
  return c.samples * c.monteCarlo.reduce((s, p) => s + p.d, 0);
}

/**
 * Refuses, before any work, a config that cannot run: empty grids, α outside (0, 1), d not an
 * integer in [1, LEMMA2_MAX_D], t ≥ ½ (the MGF is infinite there), fewer than LEMMA2_MIN_SAMPLES
 * draws, a Monte Carlo point whose expected hits are below LEMMA2_MIN_EXPECTED_HITS, and a Monte
 * Carlo whose time at LEMMA2_SECONDS_PER_NORMAL exceeds the budget.
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
    fail(fn, "samples", c.samples, `must be an integer >= ${LEMMA2_MIN_SAMPLES}`);
  if (c.monteCarlo.length === 0) fail(fn, "monteCarlo", c.monteCarlo, "must not be empty");
  c.monteCarlo.forEach((p, i) => {
    requireInRange(fn, `monteCarlo[${i}].alpha`, p.alpha, 0, 1, [false, false]);
    requireInteger(fn, `monteCarlo[${i}].d`, p.d, 1, LEMMA2_MAX_D);
    const hits = c.samples * lemma2.exactProbability(p.alpha, p.d);
    if (hits < LEMMA2_MIN_EXPECTED_HITS)
      fail(
        fn,
        `monteCarlo[${i}]`,
        p,
        `expects ${hits.toPrecision(3)} of ${c.samples} draws below αd, fewer than ` +
          `${LEMMA2_MIN_EXPECTED_HITS}: the check could not see an error in P there`,
      );
  });
  const seconds = lemma2NormalDraws(c) * LEMMA2_SECONDS_PER_NORMAL;
  if (seconds > LEMMA2_TIME_BUDGET_SECONDS) {
    const most = Math.floor(c.samples * (LEMMA2_TIME_BUDGET_SECONDS / seconds));
    fail(
      fn,
      "samples",
      c.samples,
      `must be at most ${most} for these points: ${lemma2NormalDraws(c).toExponential(2)} normal ` +
        `draws at ${Number((LEMMA2_SECONDS_PER_NORMAL * 1e6).toPrecision(3))} µs each (measured) take about ` +
        `${Math.round(seconds)} s, over the ${LEMMA2_TIME_BUDGET_SECONDS} s budget ` +
        "(the runner stops a cell after 900 s)",
    );
  }
}

/** One point of the MGF check: the appendix's closed form against a numerical integration. */
export type MgfPoint = {
  t: number;
  /** The paper's √2/√(2 − 4t). */
  formula: number;
  /** (1/√(2π)) ∫ e^{(t−½)x²} dx by the trapezoid rule (lemma2.mgfByQuadrature). */
  quadrature: number;
  /** |quadrature − formula| / formula. */
  relativeGap: number;
};

/** Appendix A.1's E e^{tZ²} = √2/√(2 − 4t) at each t of config.mgfTs, two ways. */
export function lemma2Mgf(config: Lemma2Config): MgfPoint[] {
  validateLemma2Config(config);
  return config.mgfTs.map((t) => {
    const formula = Math.SQRT2 / Math.sqrt(2 - 4 * t);
    const quadrature = lemma2.mgfByQuadrature(t);
    return { t, formula, quadrature, relativeGap: Math.abs(quadrature - formula) / formula };
  });
}

/** Appendix A.1's derivative of e^{tα}√(2 − 4t) at one (α, t), two ways. */
export type DerivativeRow = {
  alpha: number;
  t: number;
  /** The appendix's e^{tα}(α√(2 − 4t) − 2/√(2 − 4t)). */
  formula: number;
  /** The central difference (h(t + s) − h(t − s))/2s of h(t) = e^{tα}√(2 − 4t), s = 10⁻⁵(1 + |t|). */
  difference: number;
  /** |difference − formula| / (1 + |formula|). */
  relativeGap: number;
};

/**
 * Appendix A.1: "Taking the derivative of this with respect to t, we get e^{tα}(α√(2−4t) −
 * 2/√(2−4t))", at every α of config.alphas and t of config.mgfTs, against a central difference
 * (truncation error about s²·h''', far below the tolerance the notebook states).
 */
export function lemma2Derivative(config: Lemma2Config): DerivativeRow[] {
  validateLemma2Config(config);
  const h = (t: number, a: number) => Math.exp(t * a) * Math.sqrt(2 - 4 * t);
  return config.alphas.flatMap((alpha) =>
    config.mgfTs.map((t) => {
      const root = Math.sqrt(2 - 4 * t);
      const formula = Math.exp(t * alpha) * (alpha * root - 2 / root);
      const step = 1e-5 * (1 + Math.abs(t));
      const difference = (h(t + step, alpha) - h(t - step, alpha)) / (2 * step);
      return {
        alpha,
        t,
        formula,
        difference,
        relativeGap: Math.abs(difference - formula) / (1 + Math.abs(formula)),
      };
    }),
  );
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
};

export interface Lemma2Grid {
  points: Lemma2Point[];
  /** The point where ln(bound) − ln(exact) is smallest (the bound's tightest). */
  tightest: Lemma2Point;
}

/**
 * Lemma 2 at every (α, d) of the grid: the bound (α e^{1−α})^{d/2} against the exact
 * P(χ²_d ≤ αd) from the chi-square CDF, both in logarithms (nothing underflows). No randomness.
 */
export function lemma2Grid(config: Lemma2Config): Lemma2Grid {
  validateLemma2Config(config);
  const points: Lemma2Point[] = [];
  for (const d of config.dims)
    for (const alpha of config.alphas) {
      const logExact = lemma2.logExactProbability(alpha, d);
      const logBound = lemma2.logChernoffBound(alpha, d);
      points.push({
        alpha,
        d,
        label: `a=${alpha},d=${d}`,
        where: `α = ${alpha}, d = ${d}`,
        bound: lemma2.chernoffBound(alpha, d),
        logBound,
        exact: lemma2.exactProbability(alpha, d),
        logExact,
        logGap: logBound - logExact,
      });
    }
  const tightest = points.reduce((a, b) => (b.logGap < a.logGap ? b : a));
  return { points, tightest };
}

/** The exact probability at one point against the frequency of Σ Z_i² ≤ αd in seeded draws. */
export type Lemma2McCheck = {
  alpha: number;
  d: number;
  label: string;
  where: string;
  /** exp(logExactProbability): the number the grid's claims use. */
  exact: number;
  /** Draws with Σ_{i≤d} Z_i² ≤ αd, out of `samples`. */
  hits: number;
  samples: number;
  estimate: number;
  /** Clopper–Pearson interval at LEMMA2_CHECK_LEVEL (the check). */
  checkLo: number;
  checkHi: number;
  /** Clopper–Pearson interval at LEMMA2_INTERVAL_LEVEL (shown). */
  lo: number;
  hi: number;
  level: number;
};

/**
 * Our exact probability (the chi-square CDF behind every claim of the grid) by a second route: at
 * each point of config.monteCarlo, the frequency of Σ_{i≤d} Z_i² ≤ αd over config.samples draws
 * (point k from rng.child(k)), with Clopper–Pearson intervals at LEMMA2_CHECK_LEVEL and at
 * LEMMA2_INTERVAL_LEVEL.
 */
export function lemma2MonteCarlo(config: Lemma2Config, rng: Rng): Lemma2McCheck[] {
  validateLemma2Config(config);
  return config.monteCarlo.map(({ alpha, d }, k) => {
    const [hits] = countBelow(rng.child(k), d, config.samples, [alpha]);
    const check = clopperPearson(hits, config.samples, LEMMA2_CHECK_LEVEL);
    const shown = clopperPearson(hits, config.samples, LEMMA2_INTERVAL_LEVEL);
    return {
      alpha,
      d,
      label: `a=${alpha},d=${d}`,
      where: `α = ${alpha}, d = ${d}`,
      exact: Math.exp(lemma2.logExactProbability(alpha, d)),
      hits,
      samples: config.samples,
      estimate: hits / config.samples,
      checkLo: check.lo,
      checkHi: check.hi,
      lo: shown.lo,
      hi: shown.hi,
      level: LEMMA2_INTERVAL_LEVEL,
    };
  });
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

/** Lemma 2's bound at one small α = e^{−2M−1}, on the exact probability at every d of the grid. */
export type LimitRow = {
  M: number;
  /** α = e^{−2M−1}. */
  alpha: number;
  /** The bound's exponent g(α) = ½ ln(αe^{1−α}) = −M − α/2 (chernoffExponent). */
  g: number;
  /** max over the grid's d of ln P(χ²_d ≤ αd)/d (chiSquareLogCdf, not g). */
  worst: number;
  /** The d at which it is largest. */
  worstD: number;
  /** max over the grid's d of |ln P by the series − ln P by quadrature| (the far-tail check). */
  tailGap: number;
};

export interface Lemma2Limit {
  rows: LimitRow[];
  /** Largest tailGap over the rows. */
  tailGap: number;
  /** ln P(χ²_d ≤ αd)/d against α for each d of the grid, and g(α), for the figure. */
  series: IntervalSeries[];
}

/**
 * Lemma 2's second statement through its bound: for each M of the config, at α = e^{−2M−1}, the
 * largest ln P(χ²_d ≤ αd)/d over the grid's d (the exact probability) beside g(α) = −M − α/2.
 * ln P/d ≤ g(α) at every d is the bound at small α, and it gives ln P/d → −∞ uniformly in d.
 * Also ln P there by the far-tail series (logExactProbability) against a log-space quadrature of
 * the density (lemma2.logChiSquareCdfByQuadrature), and the curves of ln P/d for α from 10⁻¹² to
 * 0.99 beside g(α).
 */
export function lemma2Limit(config: Lemma2Config): Lemma2Limit {
  validateLemma2Config(config);
  const perD = (alpha: number, d: number) => lemma2.logExactProbability(alpha, d) / d;
  const rows = config.limitMs.map((M) => {
    const alpha = Math.exp(-2 * M - 1);
    const values = config.dims.map((d) => perD(alpha, d));
    const k = values.indexOf(Math.max(...values));
    const gaps = config.dims.map((d) =>
      Math.abs(
        lemma2.logExactProbability(alpha, d) - lemma2.logChiSquareCdfByQuadrature(alpha * d, d),
      ),
    );
    return {
      M,
      alpha,
      g: lemma2.chernoffExponent(alpha),
      worst: values[k],
      worstD: config.dims[k],
      tailGap: Math.max(...gaps),
    };
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
  return { rows, tailGap: Math.max(...rows.map((r) => r.tailGap)), series };
}

/** The grid for the figure: per α, the bound (dashed) and the exact probability (solid) against d. */
export function lemma2Series(grid: Lemma2Grid): IntervalSeries[] {
  const alphas = [...new Set(grid.points.map((p) => p.alpha))];
  return alphas.map((alpha) => {
    const pts = grid.points.filter((p) => p.alpha === alpha);
    return {
      name: `α = ${alpha}`,
      x: pts.map((p) => p.d),
      lines: [
        { label: `bound, α = ${alpha}`, y: pts.map((p) => p.bound), dash: "dash" },
        { label: `exact, α = ${alpha}`, y: pts.map((p) => p.exact) },
      ],
    };
  });
}

/**
 * The results file's headline rows: the smallest gap ln(bound) − ln(exact) over the grid (exact,
 * no interval), and the Monte Carlo frequency at each check point with its interval beside the
 * exact probability; verdicts are read from the decided claims `bound@…` and `exact-mc@…`.
 */
export function lemma2Headline(
  grid: Lemma2Grid,
  mc: readonly Lemma2McCheck[],
  claims: readonly Claim[],
): Headline[] {
  const t = grid.tightest;
  const bound = claims.filter((c) => c.id.startsWith("bound@"));
  const held = bound.filter((c) => c.passed).length;
  return [
    {
      quantity: "min over the grid of ln(bound) − ln P(χ²_d ≤ αd)",
      ours: t.logGap,
      paper: "≥ 0 (Lemma 2)",
      verdict: `the bound holds at ${held} of ${bound.length} grid points`,
      note: `tightest at α = ${t.alpha}, d = ${t.d} (exact numbers: no interval)`,
    },
    ...mc.map((p) => {
      const claim = claims.find((c) => c.id === `exact-mc@${p.label}`);
      return {
        quantity: `Monte Carlo P(χ²_${p.d} ≤ ${p.alpha}·${p.d}) (check of the exact probability)`,
        ours: p.estimate,
        interval: { lo: p.lo, hi: p.hi, level: p.level },
        paper: `exact ${p.exact.toPrecision(4)} (chi-square CDF)`,
        verdict: claim
          ? `the exact value is ${claim.passed ? "inside" : "outside"} the frequency's ` +
            `1 − 10⁻⁹ interval [${p.checkLo.toPrecision(4)}, ${p.checkHi.toPrecision(4)}]`
          : "not checked",
      };
    }),
  ];
}

/** Column labels of the notebook's tables (show.table's `columns`), by step. */
export const lemma2Columns: Record<
  "config" | "mgf" | "derivative" | "minimiser" | "grid" | "monteCarlo" | "limit",
  Column[]
> = {
  config: [
    { key: "alphas", label: "α grid" },
    { key: "dims", label: "d grid" },
    { key: "mgfTs", label: "t of the MGF check" },
    { key: "minimiserD", label: "d of the minimiser check" },
    { key: "limitMs", label: "M of the limit check" },
    { key: "monteCarlo", label: "Monte Carlo points (α, d)" },
    { key: "samples", label: "Monte Carlo draws per point" },
  ],
  mgf: [
    { key: "t", label: "t" },
    { key: "formula", label: "√2/√(2−4t)" },
    { key: "quadrature", label: "trapezoid rule" },
    { key: "relativeGap", label: "relative difference" },
  ],
  derivative: [
    { key: "alpha", label: "α" },
    { key: "t", label: "t" },
    { key: "formula", label: "e^(tα)(α√(2−4t) − 2/√(2−4t))" },
    { key: "difference", label: "central difference" },
    { key: "relativeGap", label: "relative difference" },
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
  ],
  monteCarlo: [
    { key: "alpha", label: "α" },
    { key: "d", label: "d" },
    { key: "exact", label: "exact P" },
    { key: "estimate", label: "Monte Carlo" },
    { key: "checkLo", label: "1−10⁻⁹ interval, low" },
    { key: "checkHi", label: "1−10⁻⁹ interval, high" },
  ],
  limit: [
    { key: "M", label: "M" },
    { key: "alpha", label: "α = e^(−2M−1)" },
    { key: "worst", label: "max over d of ln P/d" },
    { key: "worstD", label: "at d" },
    { key: "g", label: "g(α)" },
    { key: "tailGap", label: "|series − quadrature| of ln P" },
  ],
};
