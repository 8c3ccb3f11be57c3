import { fail, requireFinite, requireFiniteArray, requireInRange, requireNonEmpty } from "../check";
import { studentTCdf, studentTQuantile } from "./distributions";

function checked(fn: string, x: ArrayLike<number>): void {
  requireNonEmpty(fn, "x", x);
  requireFiniteArray(fn, "x", x);
}

export function mean(x: ArrayLike<number>): number {
  checked("mean", x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i];
  return s / x.length;
}

/** Unbiased sample variance (n − 1 in the denominator); needs two values. */
export function variance(x: ArrayLike<number>): number {
  checked("variance", x);
  if (x.length < 2) fail("variance", "x", Array.from(x), "must hold at least 2 values");
  const m = mean(x);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i] - m) ** 2;
  return s / (x.length - 1);
}

export function std(x: ArrayLike<number>): number {
  return Math.sqrt(variance(x));
}

/** Sorted copy (ascending). */
export function sorted(x: ArrayLike<number>): Float64Array {
  return Float64Array.from(x).sort();
}

/**
 * The p-quantile by linear interpolation between order statistics (type 7 of Hyndman & Fan, the
 * default of NumPy and R): position (n − 1)p.
 */
export function quantile(x: ArrayLike<number>, p: number): number {
  checked("quantile", x);
  requireInRange("quantile", "p", p, 0, 1);
  const s = sorted(x);
  const h = (s.length - 1) * p;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, s.length - 1);
  return s[lo] + (h - lo) * (s[hi] - s[lo]);
}

export function median(x: ArrayLike<number>): number {
  checked("median", x);
  return quantile(x, 0.5);
}

export function min(x: ArrayLike<number>): number {
  checked("min", x);
  let m = Infinity;
  for (let i = 0; i < x.length; i++) m = Math.min(m, x[i]);
  return m;
}

export function max(x: ArrayLike<number>): number {
  checked("max", x);
  let m = -Infinity;
  for (let i = 0; i < x.length; i++) m = Math.max(m, x[i]);
  return m;
}

/** Least-squares line y = intercept + slope·x, with the slope's standard error. */
export interface LinearFit {
  slope: number;
  intercept: number;
  slopeStdError: number;
  n: number;
}

export function linearFit(x: ArrayLike<number>, y: ArrayLike<number>): LinearFit {
  checked("linearFit", x);
  checked("linearFit", y);
  if (x.length !== y.length)
    fail("linearFit", "y", Array.from(y), `must have the same length as x (${x.length})`);
  if (x.length < 3)
    fail("linearFit", "x", Array.from(x), "must hold at least 3 points for a standard error");
  const n = x.length;
  const mx = mean(x);
  const my = mean(y);
  let sxx = 0;
  let sxy = 0;
  for (let i = 0; i < n; i++) {
    sxx += (x[i] - mx) ** 2;
    sxy += (x[i] - mx) * (y[i] - my);
  }
  if (sxx === 0) fail("linearFit", "x", Array.from(x), "must not be constant");
  const slope = sxy / sxx;
  const intercept = my - slope * mx;
  let rss = 0;
  for (let i = 0; i < n; i++) rss += (y[i] - intercept - slope * x[i]) ** 2;
  return { slope, intercept, slopeStdError: Math.sqrt(rss / (n - 2) / sxx), n };
}

/** Pearson correlation of paired samples. */
export function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  checked("correlation", x);
  checked("correlation", y);
  if (x.length !== y.length)
    fail("correlation", "y", Array.from(y), `must have the same length as x (${x.length})`);
  const mx = mean(x);
  const my = mean(y);
  let sxy = 0;
  let sxx = 0;
  let syy = 0;
  for (let i = 0; i < x.length; i++) {
    sxy += (x[i] - mx) * (y[i] - my);
    sxx += (x[i] - mx) ** 2;
    syy += (y[i] - my) ** 2;
  }
  if (sxx === 0 || syy === 0)
    fail(
      "correlation",
      sxx === 0 ? "x" : "y",
      sxx === 0 ? Array.from(x) : Array.from(y),
      "must not be constant",
    );
  return sxy / Math.sqrt(sxx * syy);
}

/** The slope's two-sided confidence interval at `level` (Student's t with n − 2 degrees of freedom). */
export function slopeInterval(
  fit: LinearFit,
  level: number,
): { lo: number; hi: number; level: number } {
  requireInRange("slopeInterval", "level", level, 0, 1, [false, false]);
  const t = studentTQuantile((1 + level) / 2, fit.n - 2);
  return { lo: fit.slope - t * fit.slopeStdError, hi: fit.slope + t * fit.slopeStdError, level };
}

/**
 * The t test of slope = `value` for a least-squares fit: two-sided, or one-sided against "greater"
 * (the slope exceeds value) or "less". Exact for normal, homoscedastic residuals.
 */
export function slopeTest(
  fit: LinearFit,
  value: number,
  alternative: "two-sided" | "greater" | "less" = "two-sided",
): { statistic: number; pValue: number } {
  requireFinite("slopeTest", "value", value);
  const t = (fit.slope - value) / fit.slopeStdError;
  const nu = fit.n - 2;
  // Upper tails as lower tails of −t, so that p-values far below 1e-16 do not round to 0.
  const pValue =
    alternative === "greater"
      ? studentTCdf(-t, nu)
      : alternative === "less"
        ? studentTCdf(t, nu)
        : 2 * studentTCdf(-Math.abs(t), nu);
  return { statistic: t, pValue: Math.min(1, pValue) };
}
