/**
 * Lemma 2 (appendix A.1): for Z_1..Z_d i.i.d. N(0, 1) and α < 1,
 * P(Σ Z_i² ≤ αd) ≤ (α e^{1−α})^{d/2} = e^{g(α) d}, with g(α) = ½ ln(α e^{1−α}) → −∞ as α → 0.
 */
import { requireInRange, requireInteger } from "../check";
import { chiSquareCdf, chiSquareLogCdf } from "../stats/distributions";

function checkAlphaD(fn: string, alpha: number, d: number): void {
  requireInRange(fn, "alpha", alpha, 0, 1, [false, false]);
  requireInteger(fn, "d", d, 1);
}

/** g(α) = ½ ln(α e^{1−α}), the bound's exponent per dimension. */
export function chernoffExponent(alpha: number): number {
  requireInRange("chernoffExponent", "alpha", alpha, 0, 1, [false, false]);
  return 0.5 * (Math.log(alpha) + 1 - alpha);
}

/** ln of the bound, d·g(α) (no underflow). */
export function logChernoffBound(alpha: number, d: number): number {
  checkAlphaD("logChernoffBound", alpha, d);
  return d * chernoffExponent(alpha);
}

/** The bound (α e^{1−α})^{d/2}. */
export function chernoffBound(alpha: number, d: number): number {
  checkAlphaD("chernoffBound", alpha, d);
  return Math.pow(alpha * Math.exp(1 - alpha), d / 2);
}

/** E e^{tZ²} = √2/√(2 − 4t) = 1/√(1 − 2t) for t < ½ (the paper's integral). */
export function chiSquareMgf(t: number): number {
  requireInRange("chiSquareMgf", "t", t, -Infinity, 0.5, [true, false]);
  return 1 / Math.sqrt(1 - 2 * t);
}

/** ln f(t) = d [½ ln 2 − tα − ½ ln(2 − 4t)], the Chernoff objective E[Π e^{tZ_i²}] / e^{tdα}, for t < ½. */
export function logChernoffObjective(t: number, alpha: number, d: number): number {
  checkAlphaD("logChernoffObjective", alpha, d);
  requireInRange("logChernoffObjective", "t", t, -Infinity, 0.5, [true, false]);
  return d * (0.5 * Math.LN2 - t * alpha - 0.5 * Math.log(2 - 4 * t));
}

/** The minimiser t* = (α − 1)/(2α) < 0 of the objective (setting the derivative to 0). */
export function chernoffOptimalT(alpha: number): number {
  requireInRange("chernoffOptimalT", "alpha", alpha, 0, 1, [false, false]);
  return (alpha - 1) / (2 * alpha);
}

/** The exact probability P(χ²_d ≤ αd). */
export function exactProbability(alpha: number, d: number): number {
  checkAlphaD("exactProbability", alpha, d);
  return chiSquareCdf(alpha * d, d);
}

/** ln P(χ²_d ≤ αd), finite where the probability underflows. */
export function logExactProbability(alpha: number, d: number): number {
  checkAlphaD("logExactProbability", alpha, d);
  return chiSquareLogCdf(alpha * d, d);
}

/**
 * Minimises ln f(t) over t < 0 numerically (golden-section search on [tLow, 0]), independently of
 * the closed form, so the proof's "setting the derivative to 0" step can be checked.
 */
export function minimizeChernoffObjective(
  alpha: number,
  d: number,
  tLow = -1e6,
): { t: number; logValue: number } {
  checkAlphaD("minimizeChernoffObjective", alpha, d);
  requireInRange("minimizeChernoffObjective", "tLow", tLow, -Infinity, 0, [true, false]);
  // ln f is convex in t, so golden-section search finds the minimiser; search in s = ln(−t) for scale-free steps.
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
