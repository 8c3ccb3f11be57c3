import { requireFiniteArray, requireInRange, requireInteger, requireNonEmpty } from "../check";
import type { Rng } from "../random/rng";
import { quantile } from "./summary";

export interface Interval {
  /** The statistic on the original sample. */
  estimate: number;
  lo: number;
  hi: number;
  /** Coverage level, e.g. 0.95. */
  level: number;
}

export interface BootstrapOptions {
  /** Number of resamples; 2000 keeps the Monte Carlo error of a 95% endpoint near 0.005 quantile. */
  resamples?: number;
  level?: number;
}

/**
 * Percentile bootstrap confidence interval of statistic(x): resample x with replacement, take the
 * (1 − level)/2 and (1 + level)/2 quantiles of the resampled statistic.
 */
export function bootstrapInterval(
  x: ArrayLike<number>,
  statistic: (sample: Float64Array) => number,
  rng: Rng,
  options: BootstrapOptions = {},
): Interval {
  const resamples = options.resamples ?? 2000;
  const level = options.level ?? 0.95;
  requireNonEmpty("bootstrapInterval", "x", x);
  requireFiniteArray("bootstrapInterval", "x", x);
  requireInteger("bootstrapInterval", "resamples", resamples, 10);
  requireInRange("bootstrapInterval", "level", level, 0, 1, [false, false]);
  const n = x.length;
  const sample = new Float64Array(n);
  const stats = new Float64Array(resamples);
  for (let b = 0; b < resamples; b++) {
    for (let i = 0; i < n; i++) sample[i] = x[rng.int(n)];
    stats[b] = statistic(sample);
  }
  return {
    estimate: statistic(Float64Array.from(x)),
    lo: quantile(stats, (1 - level) / 2),
    hi: quantile(stats, (1 + level) / 2),
    level,
  };
}
