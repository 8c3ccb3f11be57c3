/**
 * A three-outcome verdict (lib/stats/verdict.ts) about a least-squares slope over a stated range:
 * "C independent of d" as the slope of ln C on ln d against 0 within a margin fixed before the
 * runs. A slope over a finite range is a statement about that range, not an exponent
 * (REFEREE.md item 11); the method text says the range.
 */
import { fail, requireFinite, requireInteger } from "../check";
import { normalQuantile, studentTQuantile } from "./distributions";
import { linearFit } from "./summary";
import { clopperPearson } from "./tests";
import {
  decide,
  standardErrorVerdict,
  untestableVerdict,
  VERDICT_LEVEL,
  VERDICT_POWER,
  type VerdictNumbers,
} from "./verdict";

/**
 * The slope of y on x against `target`: deviation slope − target with its OLS standard error
 * (Student's t, n − 2 degrees of freedom), decided against `margin` (difference scale, holding 0).
 * The units are independent draws (one point each), so no clustering applies.
 * @param what what is fitted and over which range, for the method text
 */
export function slopeVerdict(o: {
  x: ArrayLike<number>;
  y: ArrayLike<number>;
  target: number;
  margin: [number, number];
  what: string;
  level?: number;
}): VerdictNumbers {
  const fn = "slopeVerdict";
  requireFinite(fn, "target", o.target);
  if (!(o.margin[0] < 0 && o.margin[1] > 0))
    fail(fn, "margin", [...o.margin], "must hold 0 strictly inside (a difference margin)");
  const fit = linearFit(o.x, o.y);
  return standardErrorVerdict({
    estimate: fit.slope,
    target: o.target,
    se: fit.slopeStdError,
    df: fit.n - 2,
    margin: o.margin,
    level: o.level ?? VERDICT_LEVEL,
    method: `t interval of the least-squares slope of ${o.what} (${fit.n} independent draws) minus ${o.target}`,
  });
}

/**
 * A failure rate the paper states is (close to) zero, over units that each contribute several
 * trials (networks, each with several pairs): the unit of replication is the unit (REFEREE.md
 * item 11). The estimate is the mean over units of their failure rates; the upper end of its
 * interval is the exact (Clopper–Pearson, one-sided 1 − α) upper bound on the fraction of units
 * with any failure, which bounds the mean rate from above whatever the clustering; the lower end is
 * the one-sided t bound of the mean of the units' rates (0 when they do not vary). Decided against
 * `margin` (difference scale around the paper's 0).
 */
export function clusteredRateVerdict(o: {
  /** Per unit: failures and trials. */
  units: ReadonlyArray<{ failures: number; trials: number }>;
  margin: [number, number];
  what: string;
  level?: number;
}): VerdictNumbers {
  const fn = "clusteredRateVerdict";
  const level = o.level ?? VERDICT_LEVEL;
  if (!(o.margin[0] < 0 && o.margin[1] > 0))
    fail(fn, "margin", [...o.margin], "must hold 0 strictly inside (a difference margin)");
  o.units.forEach((u, i) => {
    requireInteger(fn, `units[${i}].trials`, u.trials, 1);
    requireInteger(fn, `units[${i}].failures`, u.failures, 0, u.trials);
  });
  const n = o.units.length;
  if (n < 3) return untestableVerdict("difference", 0, o.margin, `${n} units (needs 3)`, level);
  const rates = o.units.map((u) => u.failures / u.trials);
  const mean = rates.reduce((s, r) => s + r, 0) / n;
  const sd = Math.sqrt(rates.reduce((s, r) => s + (r - mean) ** 2, 0) / (n - 1));
  const se = sd / Math.sqrt(n);
  const q = studentTQuantile(1 - level, n - 1);
  const anyFailure = o.units.filter((u) => u.failures > 0).length;
  const hi = clopperPearson(anyFailure, n, 1 - 2 * level).hi;
  const lo = Math.max(0, se > 0 ? mean - q * se : mean);
  // What the verdict resolves with 90% power: from a binomial spread of the units' any-failure
  // indicator (kept off 0 and 1), the scale of the upper bound.
  const p = Math.min(1 - 0.5 / n, Math.max(0.5 / n, anyFailure / n));
  const resolve =
    (normalQuantile(1 - level) + normalQuantile(VERDICT_POWER)) * Math.sqrt((p * (1 - p)) / n);
  const half = o.margin[1] - resolve;
  return {
    outcome: decide([lo, hi], o.margin),
    scale: "difference",
    ours: mean,
    paper: 0,
    estimate: mean,
    interval: [lo, hi],
    margin: o.margin,
    level,
    detectable: { contradicted: o.margin[1] + resolve, reproduced: half > 0 ? half : null },
    // The paper's 0 is a statement, not a sample: nothing of its own widens the interval.
    floor: 0,
    reproducible: true,
    method:
      `mean over ${n} units of their ${o.what} rates; upper end: exact one-sided Clopper–Pearson ` +
      `bound on the fraction of units with any failure (${anyFailure} of ${n}), lower end: one-sided t`,
  };
}
