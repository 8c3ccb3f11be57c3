/** Distribution functions from @stdlib, under the names the notebooks use. */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import gammaLogcdf from "@stdlib/stats-base-dists-gamma-logcdf";
import chiCdfStd from "@stdlib/stats-base-dists-chi-cdf";
import normalCdfStd from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileStd from "@stdlib/stats-base-dists-normal-quantile";
import betaCdfStd from "@stdlib/stats-base-dists-beta-cdf";
import betaQuantileStd from "@stdlib/stats-base-dists-beta-quantile";
import gammaln from "@stdlib/math-base-special-gammaln";
import tCdfStd from "@stdlib/stats-base-dists-t-cdf";
import tQuantileStd from "@stdlib/stats-base-dists-t-quantile";
import binomialCdfStd from "@stdlib/stats-base-dists-binomial-cdf";
import { requireInRange, requirePositive } from "../check";

/** P(χ²_k ≤ x). */
export function chiSquareCdf(x: number, k: number): number {
  requirePositive("chiSquareCdf", "k", k);
  return chisquareCdf(x, k);
}

/**
 * ln P(χ²_k ≤ x), finite where the probability underflows: @stdlib's Gamma(k/2, rate ½) log CDF,
 * and in the far lower tail (x < k, where that underflows) the series of the regularised lower
 * incomplete gamma function, ln P(a, y) = a ln y − y − ln Γ(a + 1) + ln Σ_n yⁿ / ((a+1)⋯(a+n)).
 */
export function chiSquareLogCdf(x: number, k: number): number {
  requirePositive("chiSquareLogCdf", "k", k);
  if (x <= 0) return -Infinity;
  const direct = gammaLogcdf(x, k / 2, 0.5);
  if (Number.isFinite(direct) && direct > -700) return direct;
  const a = k / 2;
  const y = x / 2;
  if (y >= a) return direct;
  let term = 1;
  let sum = 1;
  for (let n = 1; n < 10000; n++) {
    term *= y / (a + n);
    sum += term;
    if (term < 1e-17 * sum) break;
  }
  return a * Math.log(y) - y - logGamma(a + 1) + Math.log(sum);
}

/** P(χ_k ≤ x). */
export function chiCdf(x: number, k: number): number {
  requirePositive("chiCdf", "k", k);
  return chiCdfStd(x, k);
}

/** Density of χ_k at x. */
export function chiPdf(x: number, k: number): number {
  requirePositive("chiPdf", "k", k);
  if (x < 0) return 0;
  const logc = (1 - k / 2) * Math.LN2 - logGamma(k / 2);
  return x === 0
    ? k === 1
      ? Math.exp(logc)
      : 0
    : Math.exp(logc + (k - 1) * Math.log(x) - (x * x) / 2);
}

export function normalCdf(x: number, mu = 0, sigma = 1): number {
  requirePositive("normalCdf", "sigma", sigma);
  return normalCdfStd(x, mu, sigma);
}

export function normalPdf(x: number, mu = 0, sigma = 1): number {
  requirePositive("normalPdf", "sigma", sigma);
  return Math.exp(-(((x - mu) / sigma) ** 2) / 2) / (sigma * Math.sqrt(2 * Math.PI));
}

export function normalQuantile(p: number, mu = 0, sigma = 1): number {
  requireInRange("normalQuantile", "p", p, 0, 1);
  requirePositive("normalQuantile", "sigma", sigma);
  return normalQuantileStd(p, mu, sigma);
}

export function betaCdf(x: number, a: number, b: number): number {
  requirePositive("betaCdf", "a", a);
  requirePositive("betaCdf", "b", b);
  return betaCdfStd(x, a, b);
}

/** Density of Beta(a, b) at x (0 outside (0, 1)). */
export function betaPdf(x: number, a: number, b: number): number {
  requirePositive("betaPdf", "a", a);
  requirePositive("betaPdf", "b", b);
  if (x <= 0 || x >= 1) return 0;
  return Math.exp(
    (a - 1) * Math.log(x) + (b - 1) * Math.log(1 - x) - (gammaln(a) + gammaln(b) - gammaln(a + b)),
  );
}

export function betaQuantile(p: number, a: number, b: number): number {
  requireInRange("betaQuantile", "p", p, 0, 1);
  requirePositive("betaQuantile", "a", a);
  requirePositive("betaQuantile", "b", b);
  return betaQuantileStd(p, a, b);
}

/** ln Γ(x) for x > 0 (@stdlib's gammaln). */
export function logGamma(x: number): number {
  requirePositive("logGamma", "x", x);
  return gammaln(x);
}

/** P(T ≤ x) for Student's t with ν degrees of freedom. */
export function studentTCdf(x: number, nu: number): number {
  requirePositive("studentTCdf", "nu", nu);
  return tCdfStd(x, nu);
}

/** The p-quantile of Student's t with ν degrees of freedom. */
export function studentTQuantile(p: number, nu: number): number {
  requireInRange("studentTQuantile", "p", p, 0, 1, [false, false]);
  requirePositive("studentTQuantile", "nu", nu);
  return tQuantileStd(p, nu);
}

/** P(X ≤ k) for X ~ Binomial(n, p). */
export function binomialCdf(k: number, n: number, p: number): number {
  requireInRange("binomialCdf", "p", p, 0, 1);
  return binomialCdfStd(k, n, p);
}
