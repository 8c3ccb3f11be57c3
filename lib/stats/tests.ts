import kstest from "@stdlib/stats-kstest";
import {
  fail,
  requireFiniteArray,
  requireInRange,
  requireInteger,
  requireNonEmpty,
} from "../check";
import { betaQuantile } from "./distributions";
import { sorted } from "./summary";

export interface TestResult {
  /** The test statistic (the largest CDF gap for Kolmogorov–Smirnov). */
  statistic: number;
  pValue: number;
  n: number;
}

/**
 * One-sample Kolmogorov–Smirnov test of x against a continuous CDF (exact p-value, @stdlib).
 * The CDF is checked at every sample point first: a value outside [0, 1] (NaN included) or a
 * decrease between consecutive points is refused, since the test would answer NaN or p = 0 for
 * a function that is not a distribution function rather than for the data.
 */
export function ksTest(x: ArrayLike<number>, cdf: (t: number) => number): TestResult {
  requireNonEmpty("ksTest", "x", x);
  requireFiniteArray("ksTest", "x", x);
  if (typeof cdf !== "function") fail("ksTest", "cdf", cdf, "must be a function");
  const xs = sorted(x);
  let previous = 0;
  for (let i = 0; i < xs.length; i++) {
    const v = cdf(xs[i]);
    if (typeof v !== "number" || !(v >= 0 && v <= 1))
      fail("ksTest", "cdf", v, `(its value at x = ${xs[i]}) must be a probability in [0, 1]`);
    // A relative slack of 1e-12 for CDFs computed as 1 − (a survival function).
    if (v < previous - 1e-12)
      fail(
        "ksTest",
        "cdf",
        v,
        `(its value at x = ${xs[i]}) must not decrease: it was ${previous} at x = ${xs[i - 1]}`,
      );
    previous = Math.max(previous, v);
  }
  const r = kstest(Array.from(x), cdf);
  return { statistic: r.statistic, pValue: r.pValue, n: x.length };
}

/** P(K > λ) for the Kolmogorov distribution: 2 Σ_{k≥1} (−1)^{k−1} e^{−2k²λ²}. */
export function kolmogorovSurvival(lambda: number): number {
  if (lambda <= 0) return 1;
  if (lambda < 0.2) return 1; // the series converges slowly there and the value is 1 to 1e-16
  let s = 0;
  for (let k = 1; k <= 100; k++) {
    const term = Math.exp(-2 * k * k * lambda * lambda);
    s += (k % 2 === 1 ? 1 : -1) * term;
    if (term < 1e-17) break;
  }
  return Math.max(0, Math.min(1, 2 * s));
}

/**
 * Two-sample Kolmogorov–Smirnov test: D = sup |F_x − F_y|, p-value from the Kolmogorov law at
 * λ = (√n_e + 0.12 + 0.11/√n_e) D with n_e = n m / (n + m) (Stephens' small-sample correction;
 * accurate for n_e ≳ 4). Lemma 3: the law of R of a product against the product of R factors.
 */
export function ksTest2(x: ArrayLike<number>, y: ArrayLike<number>): TestResult {
  requireNonEmpty("ksTest2", "x", x);
  requireNonEmpty("ksTest2", "y", y);
  requireFiniteArray("ksTest2", "x", x);
  requireFiniteArray("ksTest2", "y", y);
  const a = sorted(x);
  const b = sorted(y);
  let i = 0;
  let j = 0;
  let d = 0;
  while (i < a.length && j < b.length) {
    const t = Math.min(a[i], b[j]);
    while (i < a.length && a[i] === t) i++;
    while (j < b.length && b[j] === t) j++;
    d = Math.max(d, Math.abs(i / a.length - j / b.length));
  }
  const ne = (a.length * b.length) / (a.length + b.length);
  const lambda = (Math.sqrt(ne) + 0.12 + 0.11 / Math.sqrt(ne)) * d;
  return { statistic: d, pValue: kolmogorovSurvival(lambda), n: ne };
}

/**
 * Clopper–Pearson (exact binomial) interval for a probability from k successes in n trials, at the
 * given level. Lemma 2's Monte Carlo estimates.
 */
export function clopperPearson(k: number, n: number, level = 0.95): { lo: number; hi: number } {
  requireInteger("clopperPearson", "n", n, 1);
  requireInteger("clopperPearson", "k", k, 0, n);
  requireInRange("clopperPearson", "level", level, 0, 1, [false, false]);
  const a = (1 - level) / 2;
  return {
    lo: k === 0 ? 0 : betaQuantile(a, k, n - k + 1),
    hi: k === n ? 1 : betaQuantile(1 - a, k + 1, n - k),
  };
}

/**
 * One-sided permutation test of mean(a) − mean(b) > 0: the fraction of random relabellings of the
 * pooled values whose difference is at least the observed one ((count + 1)/(resamples + 1)).
 */
export function permutationTestMeanDifference(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  rng: { permutation(n: number): Int32Array },
  resamples = 10000,
): { difference: number; pValue: number } {
  requireNonEmpty("permutationTestMeanDifference", "a", a);
  requireNonEmpty("permutationTestMeanDifference", "b", b);
  requireInteger("permutationTestMeanDifference", "resamples", resamples, 10);
  const pooled = [...Array.from(a), ...Array.from(b)];
  const na = a.length;
  const diff = (xs: number[]) =>
    xs.slice(0, na).reduce((s, v) => s + v, 0) / na -
    xs.slice(na).reduce((s, v) => s + v, 0) / (xs.length - na);
  const observed = diff(pooled);
  let count = 0;
  for (let r = 0; r < resamples; r++) {
    const p = rng.permutation(pooled.length);
    if (diff(Array.from(p, (i) => pooled[i])) >= observed - 1e-15) count++;
  }
  return { difference: observed, pValue: (count + 1) / (resamples + 1) };
}
