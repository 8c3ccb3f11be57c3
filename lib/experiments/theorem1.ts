/**
 * Theorem 1's studies: the random-matrix facts of its proof (KS checks), the first claim (points
 * are far apart) against the union bound, and the scaling in d of the attack, the exact minimal
 * perturbation and the minimum-distance classifier's robustness.
 */
import { fail, requireInRange, requireInteger } from "../check";
import { invertUpper } from "../linalg/triangular";
import { qrR } from "../linalg/qr";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { clopperPearson } from "../stats/tests";
import * as theorem1 from "../theorems/theorem1";
import type { Scale } from "./config";

export interface Theorem1Config {
  /** d of the step-through instance. */
  d: number;
  /** Hidden width m ≥ d of the step-through instance (the result must not depend on it). */
  m: number;
  /** Dimension and number of draws of X for the random-matrix facts (R_dd ~ χ₁ etc.). */
  rmtD: number;
  rmtDraws: number;
  /** A KS check passes when p > ksLevel (3 tests: family-wise false alarm ≤ 3·ksLevel). */
  ksLevel: number;
  /** ε of the first claim: min distance ≥ (1−ε)√(2d). */
  eps: number;
  distanceDims: number[];
  distanceDraws: number;
  /** Dimensions and draws per dimension of the scaling figure (d from 4 to ≥ 1024 at paper scale). */
  scalingDims: number[];
  scalingDraws: number;
}

export const theorem1Defaults: Record<Scale, Theorem1Config> = {
  quick: {
    d: 8,
    m: 32,
    rmtD: 8,
    rmtDraws: 1500,
    ksLevel: 0.001,
    eps: 0.5,
    distanceDims: [4, 8, 16, 32, 64],
    distanceDraws: 200,
    scalingDims: [4, 8, 16, 32, 64, 128],
    scalingDraws: 6,
  },
  paper: {
    d: 12,
    m: 3000,
    rmtD: 32,
    rmtDraws: 5000,
    ksLevel: 0.001,
    eps: 0.5,
    distanceDims: [4, 8, 16, 32, 64, 128],
    distanceDraws: 1000,
    scalingDims: [4, 8, 16, 32, 64, 128, 256, 512, 1024],
    scalingDraws: 10,
  },
};

export function validateTheorem1Config(c: Theorem1Config): void {
  const fn = "validateTheorem1Config";
  requireInteger(fn, "d", c.d, 2);
  requireInteger(fn, "m", c.m, c.d);
  requireInteger(fn, "rmtD", c.rmtD, 2);
  requireInteger(fn, "rmtDraws", c.rmtDraws, 10);
  requireInRange(fn, "ksLevel", c.ksLevel, 0, 1, [false, false]);
  requireInRange(fn, "eps", c.eps, 0, 1, [false, false]);
  requireInteger(fn, "distanceDraws", c.distanceDraws, 1);
  requireInteger(fn, "scalingDraws", c.scalingDraws, 2);
  c.distanceDims.forEach((d, i) => requireInteger(fn, `distanceDims[${i}]`, d, 2));
  c.scalingDims.forEach((d, i) => requireInteger(fn, `scalingDims[${i}]`, d, 2));
  if (c.scalingDims.length < 2)
    fail(fn, "scalingDims", c.scalingDims, "must hold at least 2 dimensions for a slope");
}

export interface RmtSamples {
  /** R_{d,d}, R_{d−1,d−1}, R_{d−1,d} of X = QR over the draws. */
  rdd: number[];
  rd1d1: number[];
  rd1d: number[];
}

export function theorem1RmtSamples(c: Theorem1Config, rng: Rng): RmtSamples {
  const out: RmtSamples = { rdd: [], rd1d1: [], rd1d: [] };
  const d = c.rmtD;
  for (let k = 0; k < c.rmtDraws; k++) {
    const R = qrR(gaussianMatrix(rng.child(k), d, d));
    out.rdd.push(R.get(d - 1, d - 1));
    out.rd1d1.push(R.get(d - 2, d - 2));
    out.rd1d.push(R.get(d - 2, d - 1));
  }
  return out;
}

export interface FarApartRow {
  d: number;
  draws: number;
  /** Draws whose smallest pairwise distance is below (1−ε)√(2d). */
  failures: number;
  lo: number;
  hi: number;
  /** min(1, union bound) */
  unionBound: number;
  /** Smallest distance over all draws, divided by √(2d). */
  minRatio: number;
}

export function theorem1FarApart(c: Theorem1Config, rng: Rng): FarApartRow[] {
  return c.distanceDims.map((d) => {
    let failures = 0;
    let minRatio = Infinity;
    for (let k = 0; k < c.distanceDraws; k++) {
      const X = gaussianMatrix(rng.child(d, k), d, d);
      const ratio = theorem1.minPairwiseDistance(X).distance / Math.sqrt(2 * d);
      minRatio = Math.min(minRatio, ratio);
      if (ratio < 1 - c.eps) failures++;
    }
    const ci = clopperPearson(failures, c.distanceDraws, 0.99);
    return {
      d,
      draws: c.distanceDraws,
      failures,
      lo: ci.lo,
      hi: ci.hi,
      unionBound: Math.min(1, Math.exp(theorem1.logUnionBoundFarApart(d, c.eps))),
      minRatio,
    };
  });
}

export interface ScalingRow {
  d: number;
  draw: number;
  /** ‖e‖ of the proof's attack. */
  attack: number;
  /** The paper's bound |R_{d−1,d−1}| + |R_{d−1,d}| + |R_dd|. */
  attackBound: number;
  /** The exact smallest decision-changing perturbation of the network at x_d. */
  exactMinimal: number;
  /** The minimum-distance classifier's guarantee √(2d)/2 (with ε = 0). */
  optimalGuarantee: number;
  /** The minimum-distance classifier's actual robustness at x_d: half the distance to its nearest neighbour. */
  optimalActual: number;
}

/**
 * One row per (d, draw). The network's end-to-end map is W = X⁻¹ = R⁻¹Q_2ᵀ whatever H_1 is, so
 * f_d(x_d) − f_j(x_d) = 1 and ‖w_d − w_j‖ = ‖(R⁻¹)_{d,:} − (R⁻¹)_{j,:}‖ (Q_2 is orthogonal): the
 * exact minimal perturbation is 1 / max_j ‖(R⁻¹)_{d,:} − (R⁻¹)_{j,:}‖, from R alone.
 */
export function theorem1Scaling(c: Theorem1Config, rng: Rng): ScalingRow[] {
  const rows: ScalingRow[] = [];
  for (const d of c.scalingDims) {
    for (let k = 0; k < c.scalingDraws; k++) {
      const X = gaussianMatrix(rng.child(d, k), d, d);
      const R = qrR(X);
      const Ri = invertUpper(R).to2DArray();
      let widest = 0;
      for (let j = 0; j < d - 1; j++) {
        let s = 0;
        for (let i = 0; i < d; i++) s += (Ri[d - 1][i] - Ri[j][i]) ** 2;
        widest = Math.max(widest, Math.sqrt(s));
      }
      rows.push({
        d,
        draw: k,
        attack: Math.hypot(R.get(d - 2, d - 2) - R.get(d - 2, d - 1), R.get(d - 1, d - 1)),
        attackBound:
          Math.abs(R.get(d - 2, d - 2)) +
          Math.abs(R.get(d - 2, d - 1)) +
          Math.abs(R.get(d - 1, d - 1)),
        exactMinimal: 1 / widest,
        optimalGuarantee: Math.sqrt(2 * d) / 2,
        optimalActual: theorem1.nearestNeighbourMargin(X, d - 1),
      });
    }
  }
  return rows;
}
