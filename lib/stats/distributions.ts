/** Distribution functions from @stdlib, under the names the notebooks use. */
import chisquareCdf from "@stdlib/stats-base-dists-chisquare-cdf";
import gammaLogcdf from "@stdlib/stats-base-dists-gamma-logcdf";
import chiCdfStd from "@stdlib/stats-base-dists-chi-cdf";
import normalCdfStd from "@stdlib/stats-base-dists-normal-cdf";
import normalQuantileStd from "@stdlib/stats-base-dists-normal-quantile";
import betaCdfStd from "@stdlib/stats-base-dists-beta-cdf";
import betaQuantileStd from "@stdlib/stats-base-dists-beta-quantile";
import { requireInRange, requirePositive } from "../check";

/** P(χ²_k ≤ x). */
export function chiSquareCdf(x: number, k: number): number {
  requirePositive("chiSquareCdf", "k", k);
  return chisquareCdf(x, k);
}

/** ln P(χ²_k ≤ x), accurate where the probability underflows (χ²_k = Gamma(k/2, rate ½)). */
export function chiSquareLogCdf(x: number, k: number): number {
  requirePositive("chiSquareLogCdf", "k", k);
  return gammaLogcdf(x, k / 2, 0.5);
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
  return x === 0 ? (k === 1 ? Math.exp(logc) : 0) : Math.exp(logc + (k - 1) * Math.log(x) - (x * x) / 2);
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

export function betaQuantile(p: number, a: number, b: number): number {
  requireInRange("betaQuantile", "p", p, 0, 1);
  requirePositive("betaQuantile", "a", a);
  requirePositive("betaQuantile", "b", b);
  return betaQuantileStd(p, a, b);
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
export function logGamma(x: number): number {
  requirePositive("logGamma", "x", x);
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - logGamma(1 - x);
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61503916999185,
    12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  const y = x - 1;
  let a = c[0];
  const t = y + 7.5;
  for (let i = 1; i < 9; i++) a += c[i] / (y + i);
  return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(a);
}
