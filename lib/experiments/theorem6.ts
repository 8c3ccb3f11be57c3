/**
 * Theorem 6's studies: the law of φ = |R_dd| / ‖a_d‖, and the network's robustness |R_dd| against
 * the optimal classifier's exact robustness min_u ‖A u‖ as d grows, with and without section 6's
 * ×5 scaling of every column of A but the last.
 */
import { requireInteger, requirePositive } from "../check";
import { qrR } from "../linalg/qr";
import { norm } from "../linalg/vectors";
import {
  latticeMinimumBruteForce,
  latticeMinimumSphere,
  BRUTE_FORCE_MAX_D,
} from "../optimal/lattice";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { logGamma } from "../stats/distributions";
import { scaleLeadingColumns } from "../data/hypercube";
import type { Scale } from "./config";

export interface Theorem6Config {
  /** d of the step-through instance (all 2^d points are built: d ≤ 16). */
  d: number;
  /** Hidden width m ≥ d. */
  m: number;
  /** Section 6 multiplies every column of A but the last by this factor. */
  scaleFactor: number;
  /** Dimensions and draws for the optimal classifier's exact robustness (sphere decoder; brute force too up to d = 14). */
  optimalDims: number[];
  optimalDraws: number;
  /** Dimensions and draws for the law of φ. */
  phiDims: number[];
  phiDraws: number;
  /** A KS check passes when p > ksLevel. */
  ksLevel: number;
  /** Theorem 6's α of the first claim: min ‖A u‖ ≥ α√d. */
  alpha: number;
}

export const theorem6Defaults: Record<Scale, Theorem6Config> = {
  quick: {
    d: 8,
    m: 64,
    scaleFactor: 5,
    optimalDims: [4, 6, 8, 10, 12, 16, 20, 24],
    optimalDraws: 6,
    phiDims: [4, 12, 40],
    phiDraws: 1500,
    ksLevel: 0.001,
    alpha: 0.25,
  },
  paper: {
    d: 12,
    m: 3000,
    scaleFactor: 5,
    optimalDims: [4, 6, 8, 10, 12, 14, 16, 20, 24, 28, 32, 36, 40],
    optimalDraws: 20,
    phiDims: [4, 12, 40, 100],
    phiDraws: 5000,
    ksLevel: 0.001,
    alpha: 0.25,
  },
};

export function validateTheorem6Config(c: Theorem6Config): void {
  const fn = "validateTheorem6Config";
  requireInteger(fn, "d", c.d, 2, 16);
  requireInteger(fn, "m", c.m, c.d);
  requirePositive(fn, "scaleFactor", c.scaleFactor);
  c.optimalDims.forEach((d, i) => requireInteger(fn, `optimalDims[${i}]`, d, 2, 60));
  requireInteger(fn, "optimalDraws", c.optimalDraws, 2);
  c.phiDims.forEach((d, i) => requireInteger(fn, `phiDims[${i}]`, d, 2));
  requireInteger(fn, "phiDraws", c.phiDraws, 20);
  requirePositive(fn, "alpha", c.alpha);
}

/** E φ = E √B for B ~ Beta(½, (d−1)/2): Γ(d/2) / (√π Γ((d+1)/2)) (≈ √(2/(πd)) for large d). */
export function expectedPhi(d: number): number {
  requireInteger("expectedPhi", "d", d, 2);
  return Math.exp(logGamma(d / 2) - 0.5 * Math.log(Math.PI) - logGamma((d + 1) / 2));
}

/** φ = |R_dd| / ‖a_d‖ over draws of a d×d Gaussian A. */
export function phiSamples(d: number, draws: number, rng: Rng): number[] {
  return Array.from({ length: draws }, (_, k) => {
    const A = gaussianMatrix(rng.child(k), d, d);
    return qrR(A).get(d - 1, d - 1) / norm(A.getColumn(d - 1));
  });
}

export interface OptimalRow {
  d: number;
  draw: number;
  scaled: boolean;
  /** The network's robustness |R_dd| (the smallest flipping perturbation, at every point). */
  rdd: number;
  /** ‖a_d‖ (section 6's yardstick for the optimal classifier). */
  lastColumn: number;
  /** The optimal classifier's exact robustness min_u ‖A u‖ (sphere decoder). */
  optimal: number;
  /** Brute force, where d ≤ BRUTE_FORCE_MAX_D = 14 (else NaN). */
  bruteForce: number;
  /** Sphere decoder nodes and milliseconds. */
  nodes: number;
  ms: number;
}

export function theorem6Optimal(c: Theorem6Config, rng: Rng): OptimalRow[] {
  const rows: OptimalRow[] = [];
  for (const d of c.optimalDims) {
    for (let k = 0; k < c.optimalDraws; k++) {
      const A0 = gaussianMatrix(rng.child(d, k), d, d);
      for (const scaled of [false, true]) {
        const A = scaled ? scaleLeadingColumns(A0, c.scaleFactor) : A0;
        const t0 = process.hrtime.bigint();
        const s = latticeMinimumSphere(A);
        const ms = Number(process.hrtime.bigint() - t0) / 1e6;
        rows.push({
          d,
          draw: k,
          scaled,
          rdd: qrR(A).get(d - 1, d - 1),
          lastColumn: norm(A.getColumn(d - 1)),
          optimal: s.value,
          bruteForce: d <= BRUTE_FORCE_MAX_D ? latticeMinimumBruteForce(A).value : NaN,
          nodes: s.nodes,
          ms,
        });
      }
    }
  }
  return rows;
}
