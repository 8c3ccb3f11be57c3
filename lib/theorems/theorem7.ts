/**
 * Theorem 7 (section 5, appendix A.4) and section 6's non-linear setting: at x, moving the input
 * from x + εx_1 towards x + εx_2 only needs the part of ε(x_2 − x_1) in span(∇f_1(x), ∇f_2(x)),
 * up to second-order terms; section 6's ρ is the same compression for the single direction
 * ∇f_1(x) − ∇f_2(x).
 */
import { Matrix } from "ml-matrix";
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import { norm, projectOnto, sub } from "../linalg/vectors";
import { gaussianVector } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { mlpForward64, mlpInputGradients, type MlpParams } from "../training/mlp";

/** b_1 = A z_{+1}, b_2 = A z_{−1}: z_{±1} share random first d − 1 signs, last entries +1 and −1 (section 6). */
export function theorem7Pair(A: Matrix, rng: Rng): { b1: number[]; b2: number[]; z: number[] } {
  const d = A.rows;
  const z = Array.from({ length: d }, () => rng.sign());
  const zp = [...z.slice(0, d - 1), 1];
  const zm = [...z.slice(0, d - 1), -1];
  const mul = (v: number[]) => A.mmul(Matrix.columnVector(v)).getColumn(0);
  return { b1: mul(zp), b2: mul(zm), z: zp };
}

/** x = αb_1 + (1 − α)b_2, x_1 = b_1 − x, x_2 = b_2 − x (section 6). */
export function theorem7Geometry(
  b1: readonly number[],
  b2: readonly number[],
  alpha: number,
): { x: number[]; x1: number[]; x2: number[] } {
  requireInRange("theorem7Geometry", "alpha", alpha, 0, 1);
  const x = b1.map((v, i) => alpha * v + (1 - alpha) * b2[i]);
  return { x, x1: sub(b1, x), x2: sub(b2, x) };
}

export interface Theorem7Step {
  epsilon: number;
  /** q = P_{∇f_1, ∇f_2}(ε(x_2 − x_1)) */
  q: number[];
  /** ‖q‖ / (ε‖x_2 − x_1‖): the local compression of the critical feature. */
  compression: number;
  /** |f_k(x + εx_1 + q) − f_k(x + εx_2)| for k = 1, 2 (float64 forward). */
  errors: [number, number];
  /** Without q: |f_k(x + εx_1) − f_k(x + εx_2)|, what q has to make up. */
  gaps: [number, number];
}

/** Theorem 7's construction at x for one ε, with the gradients of outputs 0 and 1 at x. */
export function theorem7Step(
  p: MlpParams,
  x: readonly number[],
  x1: readonly number[],
  x2: readonly number[],
  epsilon: number,
  grads?: number[][],
): Theorem7Step {
  requirePositive("theorem7Step", "epsilon", epsilon);
  const g = grads ?? mlpInputGradients(p, x);
  const diff = sub(x2, x1);
  const q = projectOnto(
    [g[0], g[1]],
    diff.map((v) => epsilon * v),
  );
  const at = (v: number[]) => mlpForward64(p, v);
  const base1 = x.map((v, i) => v + epsilon * x1[i]);
  const target = at(x.map((v, i) => v + epsilon * x2[i]));
  const moved = at(base1.map((v, i) => v + q[i]));
  const unmoved = at(base1);
  return {
    epsilon,
    q,
    compression: norm(q) / (epsilon * norm(diff)),
    errors: [Math.abs(moved[0] - target[0]), Math.abs(moved[1] - target[1])],
    gaps: [Math.abs(unmoved[0] - target[0]), Math.abs(unmoved[1] - target[1])],
  };
}

/** Section 6's ρ = ‖P_{∇f_1(x) − ∇f_2(x)}(x_1 − x_2)‖ / ‖x_1 − x_2‖. */
export function rho(
  p: MlpParams,
  x: readonly number[],
  x1: readonly number[],
  x2: readonly number[],
): number {
  return rhoFromGradients(mlpInputGradients(p, x), x1, x2);
}

/** ρ from the two output gradients at x (rows of g). */
export function rhoFromGradients(
  g: readonly (readonly number[])[],
  x1: readonly number[],
  x2: readonly number[],
): number {
  const dg = sub(g[0], g[1]);
  if (norm(dg) === 0)
    fail("rho", "p", "network", "has ∇f_1(x) = ∇f_2(x) at x (no decision direction)");
  const v = sub(x1, x2);
  return norm(projectOnto([dg], v)) / norm(v);
}

/**
 * The Gaussian case of Theorem 7: for independent Gaussian g_1, g_2, v in R^d, ‖P_{g_1,g_2} v‖² ~ χ²_2
 * and ‖v‖² ~ χ²_d, so the compression ‖Pv‖/‖v‖ has E(·)² = 2/d (its square is Beta(1, (d−2)/2)).
 */
export function gaussianCompression(
  rng: Rng,
  d: number,
  draws: number,
): { projected2: number[]; total2: number[]; ratio: number[] } {
  requireInteger("gaussianCompression", "d", d, 3);
  requireInteger("gaussianCompression", "draws", draws, 1);
  const out = { projected2: [] as number[], total2: [] as number[], ratio: [] as number[] };
  for (let k = 0; k < draws; k++) {
    const g1 = gaussianVector(rng, d);
    const g2 = gaussianVector(rng, d);
    const v = gaussianVector(rng, d);
    const pv = norm(projectOnto([g1, g2], v));
    const nv = norm(v);
    out.projected2.push(pv * pv);
    out.total2.push(nv * nv);
    out.ratio.push(pv / nv);
  }
  return out;
}
