/**
 * Lemma 2 on a grid of (α, d): the Chernoff bound, the exact chi-square probability and a seeded
 * Monte Carlo estimate with an exact (Clopper–Pearson) interval.
 */
import { fail, requireInRange, requireInteger } from "../check";
import type { Rng } from "../random/rng";
import { clopperPearson } from "../stats/tests";
import * as lemma2 from "../theorems/lemma2";
import { type Scale } from "./config";

export interface Lemma2Config {
  /** Grid of α in (0, 1): Lemma 2 needs α < 1. Large α keeps P(χ²_d ≤ αd) within Monte Carlo reach. */
  alphas: number[];
  /** Grid of dimensions d. */
  dims: number[];
  /** Monte Carlo draws of Σ_{i≤d} Z_i² per d (shared by every α). */
  samples: number;
  /**
   * Probability that at least one Monte Carlo interval misses a correct exact value; each interval
   * has level 1 − familyMiss / (grid size) (Bonferroni), so one seeded run is a meaningful test.
   */
  familyMiss: number;
}

export const lemma2Defaults: Record<Scale, Lemma2Config> = {
  quick: {
    alphas: [0.3, 0.5, 0.7, 0.9],
    dims: [2, 4, 8, 16, 32],
    samples: 20000,
    familyMiss: 0.01,
  },
  paper: {
    alphas: [0.2, 0.3, 0.5, 0.7, 0.8, 0.9],
    dims: [1, 2, 4, 8, 16, 32, 64, 128],
    samples: 200000,
    familyMiss: 0.01,
  },
};

export function validateLemma2Config(c: Lemma2Config): void {
  const fn = "validateLemma2Config";
  if (c.alphas.length === 0) fail(fn, "alphas", c.alphas, "must not be empty");
  c.alphas.forEach((a, i) => requireInRange(fn, `alphas[${i}]`, a, 0, 1, [false, false]));
  if (c.dims.length === 0) fail(fn, "dims", c.dims, "must not be empty");
  c.dims.forEach((d, i) => requireInteger(fn, `dims[${i}]`, d, 1, 100000));
  requireInteger(fn, "samples", c.samples, 1);
  requireInRange(fn, "familyMiss", c.familyMiss, 0, 1, [false, false]);
}

export interface Lemma2Point {
  alpha: number;
  d: number;
  bound: number;
  logBound: number;
  exact: number;
  logExact: number;
  /** Draws with Σ Z_i² ≤ αd, out of `samples`. */
  hits: number;
  samples: number;
  estimate: number;
  lo: number;
  hi: number;
  level: number;
}

/** Draws `samples` values of Σ_{i≤d} Z_i² from rng. */
export function sampleSumsOfSquares(rng: Rng, d: number, samples: number): Float64Array {
  requireInteger("sampleSumsOfSquares", "d", d, 1);
  requireInteger("sampleSumsOfSquares", "samples", samples, 1);
  const out = new Float64Array(samples);
  for (let s = 0; s < samples; s++) {
    let acc = 0;
    for (let i = 0; i < d; i++) {
      const z = rng.normal();
      acc += z * z;
    }
    out[s] = acc;
  }
  return out;
}

/** Every grid point; dimension k draws from rng.child(k), so a point does not depend on the rest of the grid. */
export function lemma2Grid(config: Lemma2Config, rng: Rng): Lemma2Point[] {
  validateLemma2Config(config);
  const level = 1 - config.familyMiss / (config.alphas.length * config.dims.length);
  const points: Lemma2Point[] = [];
  for (const d of config.dims) {
    const sums = sampleSumsOfSquares(rng.child(d), d, config.samples);
    for (const alpha of config.alphas) {
      let hits = 0;
      for (const s of sums) if (s <= alpha * d) hits++;
      const ci = clopperPearson(hits, config.samples, level);
      points.push({
        alpha,
        d,
        bound: lemma2.chernoffBound(alpha, d),
        logBound: lemma2.logChernoffBound(alpha, d),
        exact: lemma2.exactProbability(alpha, d),
        logExact: lemma2.logExactProbability(alpha, d),
        hits,
        samples: config.samples,
        estimate: hits / config.samples,
        lo: ci.lo,
        hi: ci.hi,
        level,
      });
    }
  }
  return points;
}
