/**
 * Two-sample tests of a reported outcome against our runs, for section 6's consistency tests: is
 * what the paper reports plausible if its runs came from the same distribution as ours? (Fisher's
 * exact test for counts, Hotelling's T² for reported means.)
 */
import { fail, requireInRange, requireInteger } from "../check";
import { betaCdf, logGamma, normalQuantile, studentTCdf } from "./distributions";
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

/**
 * Fisher's exact test, one-sided: k1 successes of n1 against k2 of n2, H₀ "the first sample's
 * success probability is at most the second's". p = P(X ≥ k1) for X hypergeometric (the first
 * sample's successes given both margins).
 */
export function fisherExactGreater(
  k1: number,
  n1: number,
  k2: number,
  n2: number,
): { pValue: number } {
  const fn = "fisherExactGreater";
  requireInteger(fn, "n1", n1, 1);
  requireInteger(fn, "n2", n2, 1);
  requireInteger(fn, "k1", k1, 0, n1);
  requireInteger(fn, "k2", k2, 0, n2);
  const K = k1 + k2;
  const logTotal = logChoose(n1 + n2, K);
  let p = 0;
  for (let x = k1; x <= Math.min(K, n1); x++)
    p += Math.exp(logChoose(n1, x) + logChoose(n2, K - x) - logTotal);
  return { pValue: Math.min(1, p) };
}

export interface ReportedMeansTest {
  pValue: number;
  /** Hotelling's T² of the reported means against ours (k = 1: Student's t²). */
  statistic: number;
  /** F = (n − k) / (k (n − 1)) · T², with `df` = (k, n − k) degrees of freedom under H₀. */
  f: number;
  df: [number, number];
  /** Per mean: ours, the reported value, the difference's standard error under H₀ and z. */
  components: Array<{ ours: number; reported: number; se: number; z: number }>;
  /** Our records and the paper's. */
  n: number;
  m: number;
}

/** The fewest records of ours the test accepts for k means: k + 3 (F's second df at least 3). */
export function reportedMeansMinRecords(k: number): number {
  return k + 3;
}

/**
 * Hotelling's two-sample test of reported means: the paper reports the means (one vector of k) of
 * m records it does not publish; we have n records of ours (rows, k values each). H₀: both record
 * sets are i.i.d. from one k-variate normal law. Then D = reported − (our mean) ~ N(0, Σ(1/m + 1/n)),
 * independent of our sample covariance S (n − 1 degrees of freedom), so
 * T² = Dᵀ (S (1/m + 1/n))⁻¹ D is Hotelling's T²(k, n − 1) and (n − k)/(k(n − 1)) · T² ~ F(k, n − k).
 * The paper's own spread is unknown, so Σ is estimated from ours alone. For k = 1 this is the
 * two-sided t test with n − 1 degrees of freedom. p is NaN when S is singular (a mean with no spread).
 * @param ours n × k: one record per row (n ≥ k + 3)
 * @param m the number of records behind the paper's means
 * @param reported the paper's k means
 */
export function reportedMeansTest(
  ours: ReadonlyArray<readonly number[]>,
  m: number,
  reported: readonly number[],
): ReportedMeansTest {
  const fn = "reportedMeansTest";
  const k = reported.length;
  if (k === 0) fail(fn, "reported", [...reported], "must hold at least one mean");
  requireInteger(fn, "m", m, 1);
  const n = ours.length;
  if (n < reportedMeansMinRecords(k))
    fail(fn, "ours", n, `must hold at least ${reportedMeansMinRecords(k)} records for ${k} means`);
  ours.forEach((row, i) => {
    if (row.length !== k) fail(fn, `ours[${i}]`, row.length, `must hold ${k} values`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) fail(fn, `ours[${i}][${j}]`, v, "must be finite");
    });
  });
  reported.forEach((v, j) => {
    if (!Number.isFinite(v)) fail(fn, `reported[${j}]`, v, "must be finite");
  });
  const mean = Array.from({ length: k }, (_, j) => ours.reduce((a, r) => a + r[j], 0) / n);
  const factor = 1 / m + 1 / n;
  // The covariance of D under H₀: S (1/m + 1/n), S the unbiased sample covariance of ours.
  const cov = Array.from({ length: k }, (_, a) =>
    Array.from(
      { length: k },
      (_, b) =>
        (ours.reduce((s, r) => s + (r[a] - mean[a]) * (r[b] - mean[b]), 0) / (n - 1)) * factor,
    ),
  );
  const D = reported.map((r, j) => r - mean[j]);
  const x = solveSymmetric(cov, D);
  const statistic = x ? D.reduce((s, dj, j) => s + dj * x[j], 0) : Number.NaN;
  const df: [number, number] = [k, n - k];
  const f = ((n - k) / (k * (n - 1))) * statistic;
  // Upper tail of F(d₁, d₂) at f: I_{d₂/(d₂ + d₁ f)}(d₂/2, d₁/2).
  const pValue = Number.isFinite(f)
    ? betaCdf(df[1] / (df[1] + df[0] * f), df[1] / 2, df[0] / 2)
    : NaN;
  return {
    pValue,
    statistic,
    f,
    df,
    components: D.map((dj, j) => {
      const se = Math.sqrt(cov[j][j]);
      return { ours: mean[j], reported: reported[j], se, z: se > 0 ? dj / se : Number.NaN };
    }),
    n,
    m,
  };
}

/** Solves C x = b for a symmetric positive definite C (Cholesky); null when C is not (numerically). */
function solveSymmetric(C: readonly number[][], b: readonly number[]): number[] | null {
  const k = b.length;
  const L = C.map(() => new Array<number>(k).fill(0));
  const scale = Math.max(...C.map((row, i) => Math.abs(row[i])));
  for (let i = 0; i < k; i++) {
    for (let j = 0; j <= i; j++) {
      let s = C[i][j];
      for (let t = 0; t < j; t++) s -= L[i][t] * L[j][t];
      if (i === j) {
        if (!(s > 1e-12 * scale)) return null;
        L[i][i] = Math.sqrt(s);
      } else L[i][j] = s / L[j][j];
    }
  }
  const y = new Array<number>(k).fill(0);
  for (let i = 0; i < k; i++) {
    let s = b[i];
    for (let t = 0; t < i; t++) s -= L[i][t] * y[t];
    y[i] = s / L[i][i];
  }
  const x = new Array<number>(k).fill(0);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i];
    for (let t = i + 1; t < k; t++) s -= L[t][i] * x[t];
    x[i] = s / L[i][i];
  }
  return x;
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

/**
 * Pearson's r with its Fisher-z interval: atanh r ± z_{(1+level)/2} / √(n − 3), mapped back by tanh
 * (approximate for a bivariate normal law; n ≥ 4).
 */
export function correlationInterval(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  level = 0.95,
): { r: number; lo: number; hi: number; n: number; level: number } {
  const fn = "correlationInterval";
  if (x.length !== y.length || x.length < 4)
    fail(fn, "x", Array.from(x), "must pair with y and hold at least 4 values");
  requireInRange(fn, "level", level, 0, 1, [false, false]);
  const r = correlation(x, y);
  const n = x.length;
  const half = normalQuantile((1 + level) / 2) / Math.sqrt(n - 3);
  const z = Math.atanh(Math.max(-1 + 1e-15, Math.min(1 - 1e-15, r)));
  return { r, lo: Math.tanh(z - half), hi: Math.tanh(z + half), n, level };
}
