/**
 * Lemma 2 (appendix A.1): for Z_1..Z_d i.i.d. N(0, 1) and α < 1,
 * P(Σ Z_i² ≤ αd) ≤ (α e^{1−α})^{d/2} = e^{g(α) d}, with g(α) = ½ ln(α e^{1−α}) → −∞ as α → 0.
 * The proof's pieces as scalar functions of α ∈ (0, 1), the dimension d ≥ 1 and the Chernoff
 * parameter t; the exact probability comes from the chi-square CDF (a different computation).
 */
import { fail, requireInRange, requireInteger } from "../check";
import { chiSquareCdf, chiSquareLogCdf, logGamma } from "../stats/distributions";

function checkAlphaD(fn: string, alpha: number, d: number): void {
  requireInRange(fn, "alpha", alpha, 0, 1, [false, false]);
  requireInteger(fn, "d", d, 1);
}

/**
 * g(α) = ½ ln(α e^{1−α}), the bound's exponent per dimension (appendix A.1, last display).
 * @param alpha α in (0, 1)
 */
export function chernoffExponent(alpha: number): number {
  requireInRange("chernoffExponent", "alpha", alpha, 0, 1, [false, false]);
  return 0.5 * (Math.log(alpha) + 1 - alpha);
}

/**
 * ln of Lemma 2's bound, d·g(α) (no underflow).
 * @param alpha α in (0, 1)
 * @param d the number of squares summed, an integer ≥ 1
 */
export function logChernoffBound(alpha: number, d: number): number {
  checkAlphaD("logChernoffBound", alpha, d);
  return d * chernoffExponent(alpha);
}

/** Lemma 2's bound (α e^{1−α})^{d/2} (underflows to 0 for large d: use logChernoffBound). */
export function chernoffBound(alpha: number, d: number): number {
  checkAlphaD("chernoffBound", alpha, d);
  return Math.pow(alpha * Math.exp(1 - alpha), d / 2);
}

/**
 * The moment generating function of Z² for Z ~ N(0, 1), E e^{tZ²} = √2/√(2 − 4t) = 1/√(1 − 2t)
 * (appendix A.1, the evaluated integral); finite for t < ½.
 */
export function chiSquareMgf(t: number): number {
  requireInRange("chiSquareMgf", "t", t, -Infinity, 0.5, [true, false]);
  return 1 / Math.sqrt(1 - 2 * t);
}

/**
 * ln f(t) = d [½ ln 2 − tα − ½ ln(2 − 4t)], the log of the Chernoff objective
 * f(t) = E[Π_i e^{tZ_i²}] / e^{tdα} (appendix A.1), for t < ½.
 */
export function logChernoffObjective(t: number, alpha: number, d: number): number {
  checkAlphaD("logChernoffObjective", alpha, d);
  requireInRange("logChernoffObjective", "t", t, -Infinity, 0.5, [true, false]);
  return d * (0.5 * Math.LN2 - t * alpha - 0.5 * Math.log(2 - 4 * t));
}

/** The minimiser t* = (α − 1)/(2α) of the objective (appendix A.1, the derivative set to 0). */
export function chernoffOptimalT(alpha: number): number {
  requireInRange("chernoffOptimalT", "alpha", alpha, 0, 1, [false, false]);
  return (alpha - 1) / (2 * alpha);
}

/** The exact probability P(Σ_{i≤d} Z_i² ≤ αd) = P(χ²_d ≤ αd) (chi-square CDF, @stdlib). */
export function exactProbability(alpha: number, d: number): number {
  checkAlphaD("exactProbability", alpha, d);
  return chiSquareCdf(alpha * d, d);
}

/**
 * ln P(χ²_d ≤ αd), finite where the probability underflows (stats.chiSquareLogCdf: the Gamma log
 * CDF, and the incomplete gamma series in the far lower tail). Lemma 2's second statement is
 * checked on this, not on g.
 */
export function logExactProbability(alpha: number, d: number): number {
  checkAlphaD("logExactProbability", alpha, d);
  return chiSquareLogCdf(alpha * d, d);
}

/**
 * Minimises ln f(t) over t in [tLow, 0) numerically (golden-section search in s = ln(−t)),
 * independently of the closed form, so that appendix A.1's "setting the derivative to 0" and
 * "plugging this back" steps can be checked by a different route.
 * @returns the minimiser t and ln f(t) there
 */
export function minimizeChernoffObjective(
  alpha: number,
  d: number,
  tLow = -1e6,
): { t: number; logValue: number } {
  checkAlphaD("minimizeChernoffObjective", alpha, d);
  requireInRange("minimizeChernoffObjective", "tLow", tLow, -Infinity, 0, [true, false]);
  // ln f is convex in t, hence unimodal in s = ln(−t) (a monotone change of variable): golden-
  // section search in s finds the minimiser with scale-free steps.
  const f = (s: number) => logChernoffObjective(-Math.exp(s), alpha, d);
  let a = -40;
  let b = Math.log(-tLow);
  const phi = (Math.sqrt(5) - 1) / 2;
  let c = b - phi * (b - a);
  let e = a + phi * (b - a);
  for (let i = 0; i < 200; i++) {
    if (f(c) < f(e)) b = e;
    else a = c;
    c = b - phi * (b - a);
    e = a + phi * (b - a);
  }
  const t = -Math.exp((a + b) / 2);
  return { t, logValue: logChernoffObjective(t, alpha, d) };
}

/**
 * The appendix's integral (1/√(2π)) ∫ e^{(t−½)x²} dx evaluated numerically (trapezoid rule on
 * [−L, L] with L = 12/√(½ − t) and step 0.2/√(½ − t)), without the closed form: a second route
 * to appendix A.1's E e^{tZ²} = √2/√(2 − 4t). The trapezoid rule converges geometrically for a
 * Gaussian integrand: at this step its error is below 1e-15 relative.
 * @param t the Chernoff parameter, t < ½
 */
export function mgfByQuadrature(t: number): number {
  requireInRange("mgfByQuadrature", "t", t, -1e12, 0.5, [true, false]);
  const c = 0.5 - t;
  const h = 0.2 / Math.sqrt(c);
  const steps = 60; // L = 60 h = 12/√c: the integrand is e^{−144} of its peak there
  let sum = 1; // x = 0
  for (let i = 1; i <= steps; i++) sum += 2 * Math.exp(-c * (i * h) ** 2);
  return (sum * h) / Math.sqrt(2 * Math.PI);
}

/**
 * ln P(χ²_k ≤ x) by Simpson's rule on the χ² density in log space, a second route to
 * logExactProbability's incomplete-gamma series in the far lower tail. With t = x e^{−s},
 * P = ∫_0^∞ exp(φ(s)) ds, φ(s) = a(ln x − s) − (x/2) e^{−s} − a ln 2 − ln Γ(a), a = k/2. φ is
 * concave with slope −r = −a(1 − x/k) < 0 at s = 0, so e^φ ≤ e^{φ(0) − rs} and [0, 80/r] holds all
 * but about e^{−80} of the integral.
 * @param x the threshold, 0 < x < k (the lower tail)
 * @param k degrees of freedom, > 0
 * @param intervals Simpson intervals (even); the default gives about 1e-12 relative in P for
 *   x ≤ 0.3k (the far tail it serves), less near x = k
 */
export function logChiSquareCdfByQuadrature(x: number, k: number, intervals = 20000): number {
  requireInRange("logChiSquareCdfByQuadrature", "k", k, 0, Infinity, [false, false]);
  requireInRange("logChiSquareCdfByQuadrature", "x", x, 0, k, [false, false]);
  requireInteger("logChiSquareCdfByQuadrature", "intervals", intervals, 2);
  if (intervals % 2 !== 0)
    fail("logChiSquareCdfByQuadrature", "intervals", intervals, "must be even (Simpson's rule)");
  const a = k / 2;
  const h = 80 / (a * (1 - x / k)) / intervals;
  const constant = a * Math.log(x) - a * Math.LN2 - logGamma(a);
  const phi = (s: number) => constant - a * s - (x / 2) * Math.exp(-s);
  // log-sum-exp of the Simpson weights (1, 4, 2, 4, …, 1) · h/3 times e^φ
  const top = phi(0); // φ decreases on [0, ∞) when x < k
  let sum = 0;
  for (let i = 0; i <= intervals; i++) {
    const w = i === 0 || i === intervals ? 1 : i % 2 === 1 ? 4 : 2;
    sum += w * Math.exp(phi(i * h) - top);
  }
  return top + Math.log((sum * h) / 3);
}
