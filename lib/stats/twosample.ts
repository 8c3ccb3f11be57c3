/**
 * Two-sample tests of a reported outcome against our runs, for section 6's consistency tests: is
 * what the paper reports plausible if its runs came from the same distribution as ours?
 */
import { fail, requireInteger } from "../check";
import type { Rng } from "../random/rng";
import { logGamma, studentTCdf } from "./distributions";
import { correlation } from "./summary";

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Fisher's exact test that two binomial samples share one success probability: k1 of n1 against
 * k2 of n2. Two-sided: the probability, under the hypergeometric law of the 2×2 table given its
 * margins, of every table no more likely than the observed one.
 */
export function fisherExact(k1: number, n1: number, k2: number, n2: number): { pValue: number } {
  const fn = "fisherExact";
  requireInteger(fn, "n1", n1, 1);
  requireInteger(fn, "n2", n2, 1);
  requireInteger(fn, "k1", k1, 0, n1);
  requireInteger(fn, "k2", k2, 0, n2);
  const K = k1 + k2;
  const N = n1 + n2;
  const logP = (x: number) => logChoose(n1, x) + logChoose(n2, K - x) - logChoose(N, K);
  const observed = logP(k1);
  let p = 0;
  for (let x = Math.max(0, K - n2); x <= Math.min(K, n1); x++) {
    const lp = logP(x);
    if (lp <= observed + 1e-9) p += Math.exp(lp);
  }
  return { pValue: Math.min(1, p) };
}

export interface ResamplingTest {
  pValue: number;
  /** Σ z² of the observed differences. */
  statistic: number;
  /** Per statistic: ours, the reported value, the difference's standard error under H₀ and z. */
  components: Array<{ ours: number; reported: number; se: number; z: number }>;
  resamples: number;
}

/**
 * Two-sample resampling test of reported statistics. The paper reports statistics s(P) of a sample
 * P of size m that we do not have; we have our sample O (size n). Under H₀ both are i.i.d. from one
 * distribution, estimated by O: each resample draws P* (size m) and O* (size n) from O with
 * replacement, and D* = s(P*) − s(O*) is the null law of the difference. With se_i the standard
 * deviation of D*_i, the statistic is T = Σ_i ((reported_i − s_i(O)) / se_i)², and the p-value is
 * (1 + #{T* ≥ T}) / (1 + resamples) with T* = Σ_i (D*_i / se_i)². A resample whose s(P*) is
 * undefined (NaN) counts as at least as extreme.
 * @param ours our sample O (n ≥ 2)
 * @param m the size of the paper's sample
 * @param statistics s: a sample ↦ its statistics (the same length as `reported`)
 */
export function resamplingTest<T>(
  ours: readonly T[],
  m: number,
  statistics: (sample: readonly T[]) => number[],
  reported: readonly number[],
  rng: Rng,
  resamples = 4000,
): ResamplingTest {
  const fn = "resamplingTest";
  if (ours.length < 2) fail(fn, "ours", ours.length, "must hold at least 2 records");
  requireInteger(fn, "m", m, 1);
  requireInteger(fn, "resamples", resamples, 100);
  const s0 = statistics(ours);
  if (s0.length !== reported.length)
    fail(fn, "reported", [...reported], `must have ${s0.length} entries`);
  s0.forEach((v, i) => {
    if (!Number.isFinite(v)) fail(fn, `statistics(ours)[${i}]`, v, "must be finite");
  });
  const draw = (size: number) => Array.from({ length: size }, () => ours[rng.int(ours.length)]);
  const diffs: number[][] = [];
  for (let b = 0; b < resamples; b++) {
    const sp = statistics(draw(m));
    const so = statistics(draw(ours.length));
    diffs.push(sp.map((v, i) => v - so[i]));
  }
  const se = s0.map((_, i) => {
    const v = diffs.map((d) => d[i]).filter(Number.isFinite);
    const mean = v.reduce((a, x) => a + x, 0) / v.length;
    return Math.sqrt(v.reduce((a, x) => a + (x - mean) ** 2, 0) / Math.max(1, v.length - 1));
  });
  const T = (d: number[]) =>
    d.reduce(
      (a, x, i) =>
        Number.isFinite(x) ? a + (se[i] > 0 ? (x / se[i]) ** 2 : x === 0 ? 0 : Infinity) : Infinity,
      0,
    );
  const observed = reported.map((r, i) => r - s0[i]);
  const statistic = T(observed);
  const extreme = diffs.filter((d) => T(d) >= statistic).length;
  return {
    pValue: (1 + extreme) / (1 + resamples),
    statistic,
    components: s0.map((v, i) => ({
      ours: v,
      reported: reported[i],
      se: se[i],
      z: se[i] > 0 ? observed[i] / se[i] : NaN,
    })),
    resamples,
  };
}

/** Bonferroni combination of component p-values (NaN components left out): min(1, k · min p). */
export function bonferroni(pValues: readonly number[]): number {
  const p = pValues.filter(Number.isFinite);
  if (p.length === 0) return Number.NaN;
  return Math.min(1, p.length * Math.min(...p));
}

/**
 * Two one-sided t tests (TOST) of equivalence: H₀: the mean of x lies outside (lo, hi), against
 * H₁: inside. p = the larger of the two one-sided p-values; the (1 − 2α) interval lies inside
 * (lo, hi) exactly when p ≤ α.
 */
export function equivalenceTest(
  x: ArrayLike<number>,
  lo: number,
  hi: number,
): { pValue: number; mean: number; se: number; n: number } {
  const fn = "equivalenceTest";
  if (x.length < 3) fail(fn, "x", Array.from(x), "must hold at least 3 values");
  if (!(lo < hi)) fail(fn, "lo", lo, `must be < hi = ${hi}`);
  const n = x.length;
  let m = 0;
  for (let i = 0; i < n; i++) m += x[i];
  m /= n;
  let ss = 0;
  for (let i = 0; i < n; i++) ss += (x[i] - m) ** 2;
  const se = Math.sqrt(ss / (n - 1) / n);
  const tLo = (m - lo) / se;
  const tHi = (hi - m) / se;
  const p = Math.max(1 - studentTCdf(tLo, n - 1), 1 - studentTCdf(tHi, n - 1));
  return { pValue: Math.min(1, p), mean: m, se, n };
}

/** One-sided test of a positive Pearson correlation (t with n − 2 degrees of freedom). */
export function positiveCorrelationTest(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): { r: number; pValue: number } {
  if (x.length !== y.length || x.length < 4)
    fail(
      "positiveCorrelationTest",
      "x",
      Array.from(x),
      "must pair with y and hold at least 4 values",
    );
  const r = correlation(x, y);
  const n = x.length;
  const t = (r * Math.sqrt(n - 2)) / Math.sqrt(Math.max(1e-300, 1 - r * r));
  return { r, pValue: 1 - studentTCdf(t, n - 2) };
}
