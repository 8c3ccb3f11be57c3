/**
 * One-sided Fisher exact test (for Theorem 6's fixed-α trend in d): imported by path; the lead
 * merges the export into lib/stats/index.ts.
 */
import { requireInteger } from "../check";
import { logGamma } from "./distributions";

function logChoose(n: number, k: number): number {
  return logGamma(n + 1) - logGamma(k + 1) - logGamma(n - k + 1);
}

/**
 * Fisher's exact test, one-sided: k1 successes of n1 against k2 of n2, null "the first sample's
 * success probability is at most the second's". The p-value is P(X ≥ k1) for X hypergeometric
 * (the first sample's successes given both margins).
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
