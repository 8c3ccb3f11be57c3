/**
 * Small tests and intervals that Theorem 1's and Theorem 4's studies report with their numbers
 * (candidates for lib/stats): a one-sample t test of a mean with its interval, a distribution-free
 * interval for a median, and the exact one-sided binomial test of a frequency against a bound.
 */
import type { TestInput } from "../claims/ledger";
import { fail, requireInRange, requireInteger } from "../check";
import { binomialCdf, studentTCdf, studentTQuantile } from "../stats/distributions";
import {
  linearFit,
  mean,
  slopeInterval,
  slopeTest,
  sorted,
  std,
  type LinearFit,
} from "../stats/summary";

/** A mean with its t interval and the two-sided t test of mean = expected. */
export interface MeanTest {
  estimate: number;
  stdError: number;
  lo: number;
  hi: number;
  level: number;
  n: number;
  test: TestInput;
}

/**
 * The sample mean of x, its two-sided t interval at `level` and the t test of E x = expected
 * (Student's t with n − 1 degrees of freedom; by the central limit theorem for large n).
 */
export function meanTest(
  x: ArrayLike<number>,
  expected: number,
  level: number,
  what: string,
): MeanTest {
  requireInteger("meanTest", "x.length", x.length, 2);
  requireInRange("meanTest", "level", level, 0, 1, [false, false]);
  const n = x.length;
  const m = mean(x);
  const se = std(x) / Math.sqrt(n);
  const q = studentTQuantile((1 + level) / 2, n - 1);
  const t = (m - expected) / se;
  const tail = Math.min(studentTCdf(t, n - 1), 1 - studentTCdf(t, n - 1));
  return {
    estimate: m,
    stdError: se,
    lo: m - q * se,
    hi: m + q * se,
    level,
    n,
    test: {
      pValue: Math.min(1, 2 * tail),
      hypothesis: `${what} = ${expected.toPrecision(6)}`,
      method: `two-sided one-sample t test, ${n} draws`,
      statistic: t,
      power: { kind: "t", se, df: n - 1, twoSided: true, unit: what },
    },
  };
}

/**
 * The sample median and a distribution-free interval at `level` or more: the order statistics
 * x₍ₗ₎, x₍ᵤ₎ with P(l ≤ B < u) ≥ level for B ~ Bin(n, ½) (symmetric ranks).
 */
export function medianInterval(
  x: ArrayLike<number>,
  level: number,
): { estimate: number; lo: number; hi: number; level: number } {
  requireInteger("medianInterval", "x.length", x.length, 1);
  requireInRange("medianInterval", "level", level, 0, 1, [false, false]);
  const s = sorted(x);
  const n = s.length;
  const mid = n % 2 ? s[(n - 1) / 2] : (s[n / 2 - 1] + s[n / 2]) / 2;
  // largest l (1-based) with P(B < l) ≤ (1 − level)/2; then u = n + 1 − l
  let l = 0;
  while (l + 1 <= n && binomialCdf(l, n, 0.5) <= (1 - level) / 2) l++;
  if (l === 0) return { estimate: mid, lo: s[0], hi: s[n - 1], level: 1 - 2 * 0.5 ** n };
  return { estimate: mid, lo: s[l - 1], hi: s[n - l], level };
}

/** P(Bin(n, p) ≥ k): the exact one-sided binomial p-value of k successes against rate ≤ p. */
export function oneSidedBinomialP(k: number, n: number, p: number): number {
  requireInteger("oneSidedBinomialP", "n", n, 1);
  requireInteger("oneSidedBinomialP", "k", k, 0, n);
  if (!(p >= 0 && p <= 1)) fail("oneSidedBinomialP", "p", p, "must lie in [0, 1]");
  return k === 0 ? 1 : Math.max(0, Math.min(1, 1 - binomialCdf(k - 1, n, p)));
}

/** A least-squares slope with its interval at `level` and a t test of it against `value`. */
export interface SlopeStudy {
  fit: LinearFit;
  lo: number;
  hi: number;
  level: number;
  test: TestInput;
}

/**
 * Fits y on x, the slope's interval at `level`, and the t test of H₀ "slope = value" (two-sided),
 * "slope ≥ value" (less) or "slope ≤ value" (greater); `what` names the slope in the hypothesis.
 */
export function slopeStudy(
  x: number[],
  y: number[],
  value: number,
  alternative: "two-sided" | "less" | "greater",
  level: number,
  what: string,
): SlopeStudy {
  const fit = linearFit(x, y);
  const iv = slopeInterval(fit, level);
  const t = slopeTest(fit, value, alternative);
  const relation = { "two-sided": "=", less: "≥", greater: "≤" }[alternative];
  return {
    fit,
    lo: iv.lo,
    hi: iv.hi,
    level,
    test: {
      pValue: t.pValue,
      hypothesis: `${what}: slope ${relation} ${value}`,
      method: `t test of a least-squares slope (${alternative}), ${fit.n} draws`,
      statistic: t.statistic,
    },
  };
}
