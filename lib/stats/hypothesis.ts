/**
 * Tests with exact or stated null distributions, for claims of kind `law` (Lemmas 2 and 3): an
 * exact binomial test, z and t tests of a mean, a chi-square test of a variance, the t test of a
 * correlation, and a one-sample KS test that stays affordable for large samples. Each returns its
 * statistic and a two-sided p-value.
 */
import { fail, requireFinite, requireFiniteArray, requireInRange, requireInteger } from "../check";
import {
  binomialCdf,
  chiSquareCdf,
  normalCdf,
  studentTCdf,
  studentTQuantile,
} from "./distributions";
import { correlation, mean, sorted, std } from "./summary";
import { kolmogorovSurvival, ksTest } from "./tests";

/** A test's statistic and its two-sided p-value. */
export interface TwoSidedTest {
  statistic: number;
  pValue: number;
}

/** 2·min(lower tail, upper tail), capped at 1: the two-sided p-value by doubling the smaller tail. */
function doubled(lower: number, upper: number): number {
  return Math.min(1, 2 * Math.min(lower, upper));
}

/**
 * Exact two-sided binomial test of P(success) = p from k successes in n trials: the smaller of
 * P(X ≤ k) and P(X ≥ k) for X ~ Bin(n, p), doubled (conservative: P(p-value ≤ a) ≤ a under H₀).
 * Statistic: k. Lemma 2's Monte Carlo frequencies against the exact probability.
 */
export function binomialTest(k: number, n: number, p: number): TwoSidedTest {
  requireInteger("binomialTest", "n", n, 1);
  requireInteger("binomialTest", "k", k, 0, n);
  requireInRange("binomialTest", "p", p, 0, 1);
  if (p === 0) return { statistic: k, pValue: k === 0 ? 1 : 0 };
  if (p === 1) return { statistic: k, pValue: k === n ? 1 : 0 };
  const lower = binomialCdf(k, n, p);
  const upper = k === 0 ? 1 : 1 - binomialCdf(k - 1, n, p);
  return { statistic: k, pValue: doubled(lower, upper) };
}

/**
 * Two-sided z test of a mean: z = (estimate − mu) / standardError against N(0, 1). Exact for a mean
 * of normal values with known variance; otherwise the central limit theorem's approximation.
 */
export function zTest(estimate: number, mu: number, standardError: number): TwoSidedTest {
  requireFinite("zTest", "estimate", estimate);
  requireFinite("zTest", "mu", mu);
  requireFinite("zTest", "standardError", standardError);
  if (!(standardError > 0)) fail("zTest", "standardError", standardError, "must be > 0");
  const z = (estimate - mu) / standardError;
  return { statistic: z, pValue: doubled(normalCdf(z), normalCdf(-z)) };
}

/**
 * Two-sided chi-square test of Var x = sigma2 for values of known mean mu: S = Σ (x_i − mu)² / sigma2
 * ~ χ²_n under H₀ for i.i.d. normal x (exact). Statistic: S / n (1 under H₀ on average).
 */
export function varianceTest(x: ArrayLike<number>, sigma2: number, mu = 0): TwoSidedTest {
  requireFiniteArray("varianceTest", "x", x);
  requireInteger("varianceTest", "x.length", x.length, 1);
  requireFinite("varianceTest", "mu", mu);
  if (!(sigma2 > 0)) fail("varianceTest", "sigma2", sigma2, "must be > 0");
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - mu) ** 2;
  s /= sigma2;
  const lower = chiSquareCdf(s, x.length);
  return { statistic: s / x.length, pValue: doubled(lower, 1 - lower) };
}

/**
 * Two-sided t test of zero correlation: t = r √(n − 2) / √(1 − r²) against Student's t with n − 2
 * degrees of freedom. Exact when, under H₀, one of the samples is i.i.d. normal and independent of
 * the other (whatever the other's law: condition on it). Statistic: r.
 */
export function correlationTest(x: ArrayLike<number>, y: ArrayLike<number>): TwoSidedTest {
  requireInteger("correlationTest", "x.length", x.length, 3);
  const r = correlation(x, y);
  const n = x.length;
  const t = (r * Math.sqrt(n - 2)) / Math.sqrt(Math.max(1e-300, 1 - r * r));
  return { statistic: r, pValue: doubled(studentTCdf(t, n - 2), studentTCdf(-t, n - 2)) };
}

/** A mean with its Student-t confidence interval and the two-sided t test of mean = mu. */
export interface MeanTest extends TwoSidedTest {
  estimate: number;
  lo: number;
  hi: number;
  level: number;
}

/**
 * One-sample t test of E x = mu (two-sided, n − 1 degrees of freedom; exact for normal x, else the
 * central limit theorem's approximation) and the interval mean ± t_{(1+level)/2} s/√n.
 * Statistic: t.
 */
export function meanTTest(x: ArrayLike<number>, mu: number, level = 0.99): MeanTest {
  requireInteger("meanTTest", "x.length", x.length, 2);
  requireFinite("meanTTest", "mu", mu);
  requireInRange("meanTTest", "level", level, 0, 1, [false, false]);
  const n = x.length;
  const m = mean(x);
  const se = std(x) / Math.sqrt(n);
  if (!(se > 0)) fail("meanTTest", "x", Array.from(x), "must not be constant");
  const t = (m - mu) / se;
  const q = studentTQuantile((1 + level) / 2, n - 1);
  return {
    statistic: t,
    pValue: doubled(studentTCdf(t, n - 1), studentTCdf(-t, n - 1)),
    estimate: m,
    lo: m - q * se,
    hi: m + q * se,
    level,
  };
}

/** Largest sample for which ksTestAuto computes the exact p-value (as scipy's kstest "auto"). */
export const KS_EXACT_MAX_N = 10000;

/** A one-sample KS test that says how its p-value was obtained. */
export interface KsAutoResult extends TwoSidedTest {
  n: number;
  /** true: exact p-value (@stdlib); false: Kolmogorov's limit with Stephens' correction. */
  exact: boolean;
}

/**
 * One-sample Kolmogorov–Smirnov test of x against a continuous CDF: the exact p-value (@stdlib,
 * through ksTest) for at most KS_EXACT_MAX_N values, whose cost grows about as n²; above that,
 * P(K > (√n + 0.12 + 0.11/√n) D) from Kolmogorov's limit law (Stephens' correction, accurate to
 * about 1% of the p-value at such n). Statistic: D = sup |F_n − F|.
 */
export function ksTestAuto(x: ArrayLike<number>, cdf: (t: number) => number): KsAutoResult {
  if (x.length <= KS_EXACT_MAX_N) {
    const r = ksTest(x, cdf);
    return { statistic: r.statistic, pValue: r.pValue, n: r.n, exact: true };
  }
  requireFiniteArray("ksTestAuto", "x", x);
  const s = sorted(x);
  const n = s.length;
  let d = 0;
  for (let i = 0; i < n; i++) {
    const f = cdf(s[i]);
    if (!(f >= 0 && f <= 1)) fail("ksTestAuto", "cdf", f, `must return a probability (at ${s[i]})`);
    d = Math.max(d, (i + 1) / n - f, f - i / n);
  }
  const lambda = (Math.sqrt(n) + 0.12 + 0.11 / Math.sqrt(n)) * d;
  return { statistic: d, pValue: kolmogorovSurvival(lambda), n, exact: false };
}

/**
 * Exact one-sided binomial test of H₀ "P(success) ≥ p0" from k successes in n trials: p = P(X ≤ k)
 * for X ~ Bin(n, p0). With the smallest shortfall it detects: the largest true rate below p0 at
 * which the test at `level` rejects with probability `power` (by search over the exact law).
 */
export function atLeastRateTest(
  k: number,
  n: number,
  p0: number,
  level: number,
  power = 0.9,
): { pValue: number; detectable: number } {
  const fn = "atLeastRateTest";
  requireInteger(fn, "n", n, 1);
  requireInteger(fn, "k", k, 0, n);
  requireInRange(fn, "p0", p0, 0, 1, [false, false]);
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  // The rejection region is X ≤ c, c the largest count with P(X ≤ c | p0) ≤ level.
  let c = -1;
  while (c + 1 <= n && binomialCdf(c + 1, n, p0) <= level) c++;
  let detectable = 0;
  if (c >= 0) {
    let lo = 0;
    let hi = p0;
    for (let it = 0; it < 60; it++) {
      const mid = (lo + hi) / 2;
      if (binomialCdf(c, n, mid) >= power) lo = mid;
      else hi = mid;
    }
    detectable = lo;
  }
  return { pValue: binomialCdf(k, n, p0), detectable };
}
