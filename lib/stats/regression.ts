/**
 * A least-squares slope with errors clustered by the unit of replication (REFEREE.md item 11: the
 * network or the data set, not the point), and the lack-of-fit test of the line against the means
 * at each x (notebook 10: ratios against d).
 */
import { fail } from "../check";
import { betaCdf } from "./distributions";

export interface ClusteredSlope {
  slope: number;
  intercept: number;
  /** The cluster-robust (CR1, sandwich) standard error of the slope. */
  se: number;
  /** Degrees of freedom of its t interval: clusters − 1. */
  df: number;
  n: number;
  clusters: number;
  /** The smallest and largest x (the range the slope is over). */
  range: [number, number];
  /**
   * Lack of fit: the line against the means at each distinct x (pure error within them), F with
   * (levels − 2, n − levels) degrees of freedom; null with fewer than 3 levels or no replicates.
   */
  lackOfFit: { f: number; df: [number, number]; pValue: number } | null;
}

/**
 * y = intercept + slope·x by least squares; the slope's standard error from the sandwich estimator
 * with the scores summed within clusters and the small-sample factor G/(G − 1)·(n − 1)/(n − 2)
 * (CR1). With one point per cluster it is the heteroskedasticity-robust HC1 error.
 * @param cluster one label per point (default: each point its own cluster)
 */
export function clusteredSlope(
  x: ArrayLike<number>,
  y: ArrayLike<number>,
  cluster?: ArrayLike<number | string>,
): ClusteredSlope {
  const fn = "clusteredSlope";
  const n = x.length;
  if (y.length !== n) fail(fn, "y", y.length, `must have the length of x (${n})`);
  if (cluster && cluster.length !== n)
    fail(fn, "cluster", cluster.length, `must have the length of x (${n})`);
  for (let i = 0; i < n; i++) {
    if (!Number.isFinite(x[i])) fail(fn, `x[${i}]`, x[i], "must be finite");
    if (!Number.isFinite(y[i])) fail(fn, `y[${i}]`, y[i], "must be finite");
  }
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i];
    my += y[i];
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (!(sxx > 0)) fail(fn, "x", Array.from(x).slice(0, 5), "must take at least two values");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  // Scores of the slope, (x_i − x̄)·e_i, summed within clusters.
  const sums = new Map<number | string, number>();
  let sse = 0;
  for (let i = 0; i < n; i++) {
    const e = y[i] - intercept - slope * x[i];
    sse += e * e;
    const key = cluster ? cluster[i] : i;
    sums.set(key, (sums.get(key) ?? 0) + (x[i] - mx) * e);
  }
  const G = sums.size;
  if (G < 3) fail(fn, "cluster", G, "must hold at least 3 clusters");
  let meat = 0;
  for (const s of sums.values()) meat += s * s;
  const factor = (G / (G - 1)) * ((n - 1) / (n - 2));
  const se = Math.sqrt((factor * meat) / (sxx * sxx));
  // Lack of fit: pure error within the distinct x values.
  const levels = new Map<number, number[]>();
  for (let i = 0; i < n; i++) levels.set(x[i], [...(levels.get(x[i]) ?? []), y[i]]);
  let pure = 0;
  for (const v of levels.values()) {
    const m = v.reduce((a, b) => a + b, 0) / v.length;
    for (const t of v) pure += (t - m) ** 2;
  }
  const k = levels.size;
  const lackOfFit =
    k >= 3 && n > k && pure > 0
      ? (() => {
          const df: [number, number] = [k - 2, n - k];
          const f = (sse - pure) / df[0] / (pure / df[1]);
          // Upper tail of F(d₁, d₂): I_{d₂/(d₂ + d₁ f)}(d₂/2, d₁/2).
          return { f, df, pValue: betaCdf(df[1] / (df[1] + df[0] * f), df[1] / 2, df[0] / 2) };
        })()
      : null;
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < n; i++) {
    lo = Math.min(lo, x[i]);
    hi = Math.max(hi, x[i]);
  }
  return { slope, intercept, se, df: G - 1, n, clusters: G, range: [lo, hi], lackOfFit };
}
