/**
 * What a test that passes on non-rejection could have seen (REFEREE.md item 4): the smallest
 * deviation from its null that it rejects with 90% power at a given level. A claim that passes
 * because its null survives states this distance beside its p-value, so that a reader can tell a
 * test that saw nothing from one that could not have seen anything.
 *
 * The level is the one a test faces at Holm's first step in its notebook's family (the family-wise
 * level over the family size): the strictest it can face, so the distance is an upper bound on
 * what the claim resolves.
 */
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import { binomialCdf, normalQuantile, studentTQuantile } from "./distributions";

/** The power at which detectable distances are stated. */
export const DETECT_POWER = 0.9;

/**
 * What a test needs to state its power, by the test's kind:
 * - `ks`: Kolmogorov–Smirnov with n values (one sample) or n and m (two samples): a distance in
 *   the CDFs' sup norm;
 * - `binomial`: an exact one-sided binomial test of "rate ≤ p0" with n trials: a rate;
 * - `t`: a t (or z, df = Infinity) test of an estimate with standard error `se`: a shift of the
 *   estimate, in its own unit (`unit` names it);
 * - `correlation`: a test of zero correlation over n pairs: |r|.
 */
export type PowerSpec =
  | { kind: "ks"; n: number; m?: number }
  | { kind: "binomial"; n: number; p0: number }
  | { kind: "t"; se: number; df: number; twoSided: boolean; unit: string }
  | { kind: "correlation"; n: number };

/** A detectable deviation, in words and as a number on the test's own scale. */
export interface Detectable {
  /** The deviation rejected with 90% power at `level`. */
  value: number;
  /** "KS distance ≥ 0.061", "rate ≥ 0.68", "|shift| ≥ 0.05 in E‖e‖", "|r| ≥ 0.12". */
  text: string;
  level: number;
  power: number;
}

/** λ with P(K > λ) = p for Kolmogorov's limit law (the first term, accurate for p ≤ 0.2). */
function kolmogorovQuantile(p: number): number {
  return Math.sqrt(-Math.log(p / 2) / 2);
}

/**
 * The KS distance rejected with 90% power: the statistic exceeds the true distance minus the
 * empirical CDFs' own deviations, which stay below λ_{0.1}/√n_e with probability 0.9, so a true
 * distance of (λ_level + λ_{0.1})/√n_e is rejected at least that often (n_e = n for one sample,
 * nm/(n + m) for two).
 */
export function ksDetectable(n: number, level: number, m?: number): number {
  const fn = "ksDetectable";
  requireInteger(fn, "n", n, 1);
  if (m !== undefined) requireInteger(fn, "m", m, 1);
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  const ne = m === undefined ? n : (n * m) / (n + m);
  return (kolmogorovQuantile(level) + kolmogorovQuantile(1 - DETECT_POWER)) / Math.sqrt(ne);
}

/**
 * The rate p₁ > p0 that an exact one-sided binomial test of "rate ≤ p0" with n trials rejects with
 * 90% power at `level` (bisection on p₁; 1 when no rate does).
 */
export function binomialDetectable(n: number, p0: number, level: number): number {
  const fn = "binomialDetectable";
  requireInteger(fn, "n", n, 1);
  requireInRange(fn, "p0", p0, 0, 1);
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  // The smallest k with P(Bin(n, p0) ≥ k) ≤ level.
  let k = 0;
  while (k <= n && (k === 0 ? 1 : 1 - binomialCdf(k - 1, n, p0)) > level) k++;
  if (k > n) return 1;
  const power = (p: number) => (k === 0 ? 1 : 1 - binomialCdf(k - 1, n, p));
  if (power(1) < DETECT_POWER) return 1;
  let lo = p0;
  let hi = 1;
  for (let it = 0; it < 60; it++) {
    const mid = (lo + hi) / 2;
    if (power(mid) >= DETECT_POWER) hi = mid;
    else lo = mid;
  }
  return hi;
}

/** The shift of a t (or z) statistic's estimate rejected with 90% power: (q_level + q_power)·se. */
export function tDetectable(se: number, df: number, level: number, twoSided: boolean): number {
  const fn = "tDetectable";
  requirePositive(fn, "se", se);
  if (!(df > 0)) fail(fn, "df", df, "must be positive (Infinity for a z test)");
  requireInRange(fn, "level", level, 0, 0.5, [false, false]);
  const q = (p: number) => (Number.isFinite(df) ? studentTQuantile(p, df) : normalQuantile(p));
  return (q(1 - (twoSided ? level / 2 : level)) + q(DETECT_POWER)) * se;
}

/** |r| rejected with 90% power by a two-sided test of zero correlation over n pairs (Fisher z). */
export function correlationDetectable(n: number, level: number): number {
  requireInteger("correlationDetectable", "n", n, 4);
  requireInRange("correlationDetectable", "level", level, 0, 0.5, [false, false]);
  const z = (normalQuantile(1 - level / 2) + normalQuantile(DETECT_POWER)) / Math.sqrt(n - 3);
  return Math.tanh(z);
}

/** The deviation a test of this spec detects with 90% power at `level`, in words. */
export function detectable(spec: PowerSpec, level: number): Detectable {
  const f = (x: number) => (x >= 0.01 ? x.toPrecision(2) : x.toExponential(1));
  const out = (value: number, text: string) => ({ value, text, level, power: DETECT_POWER });
  switch (spec.kind) {
    case "ks": {
      const v = ksDetectable(spec.n, level, spec.m);
      return out(v, `KS distance ≥ ${f(v)}`);
    }
    case "binomial": {
      const v = binomialDetectable(spec.n, spec.p0, level);
      return out(v, v >= 1 ? "no rate (too few trials)" : `rate ≥ ${f(v)} (bound ${f(spec.p0)})`);
    }
    case "t": {
      const v = tDetectable(spec.se, spec.df, level, spec.twoSided);
      return out(v, `${spec.twoSided ? "|shift|" : "shift"} ≥ ${f(v)} in ${spec.unit}`);
    }
    case "correlation": {
      const v = correlationDetectable(spec.n, level);
      return out(v, `|r| ≥ ${f(v)}`);
    }
    default:
      return fail("detectable", "spec", spec, "must be of kind ks, binomial, t or correlation");
  }
}
