/**
 * Theorem 1 (section 3): d Gaussian points x_1..x_d in R^d with distinct labels, a two-layer linear
 * network with H_1ᵀH_1 = I_d and output weights fitted to condition (1) f_j(x_i) = δ_ij. A
 * perturbation of size O(1) (independent of d and m) changes its decision at x_d, while the
 * minimum-distance classifier needs ≥ (1−ε)√(2d)/2.
 */
import { Matrix } from "ml-matrix";
import { fail, requireInRange, requireInteger } from "../check";
import { argmax, linearOutputs } from "../attacks/linear";
import { qr } from "../linalg/qr";
import { invertUpper } from "../linalg/triangular";
import { norm, sub } from "../linalg/vectors";

export interface Theorem1Network {
  X: Matrix;
  H1: Matrix;
  /** H_1X = Q_1R */
  Q1: Matrix;
  R: Matrix;
  /** X = Q_2R_X (R_X = R by the orthonormality of H_1's columns) */
  Q2: Matrix;
  RX: Matrix;
  /** H_2 = R⁻¹Q_1ᵀ (d×m) */
  H2: Matrix;
  /** End-to-end W = H_2H_1 (d×d); it equals X⁻¹. */
  W: Matrix;
}

/** Builds the network of the proof from the data X (d×d) and H_1 (m×d, orthonormal columns). */
export function theorem1Network(X: Matrix, H1: Matrix): Theorem1Network {
  const d = X.rows;
  if (X.columns !== d)
    fail("theorem1Network", "X", X, "must be square (d points in R^d as columns)");
  if (H1.columns !== d) fail("theorem1Network", "H1", H1, `must have d = ${d} columns`);
  if (H1.rows < d) fail("theorem1Network", "H1", H1, `must have m >= d = ${d} rows`);
  const { Q: Q1, R } = qr(H1.mmul(X));
  const { Q: Q2, R: RX } = qr(X);
  const H2 = invertUpper(R).mmul(Q1.transpose());
  return { X, H1, Q1, R, Q2, RX, H2, W: H2.mmul(H1) };
}

export interface Theorem1Attack {
  /** e_basis = (0, …, 0, R_{d−1,d−1} − R_{d−1,d}, −R_{d,d}) */
  eBasis: number[];
  /** e = Q_2 e_basis */
  e: number[];
  norm: number;
  /** |R_{d−1,d−1}| + |R_{d−1,d}| + |R_{d,d}| */
  bound: number;
  outputsBefore: number[];
  outputsAfter: number[];
  /** Predicted labels (0-based; the attacked point is class d−1 in 0-based numbering). */
  predictedBefore: number;
  predictedAfter: number;
}

/** The proof's perturbation at x_d and what it does to the network's outputs. */
export function theorem1Attack(net: Theorem1Network): Theorem1Attack {
  const R = net.RX;
  const d = R.rows;
  if (d < 2) fail("theorem1Attack", "net", d, "needs d >= 2");
  const eBasis = new Array<number>(d).fill(0);
  eBasis[d - 2] = R.get(d - 2, d - 2) - R.get(d - 2, d - 1);
  eBasis[d - 1] = -R.get(d - 1, d - 1);
  const e = linearOutputs(net.Q2, null, eBasis);
  const xd = net.X.getColumn(d - 1);
  const outputsBefore = linearOutputs(net.W, null, xd);
  const outputsAfter = linearOutputs(
    net.W,
    null,
    xd.map((v, i) => v + e[i]),
  );
  return {
    eBasis,
    e,
    norm: norm(e),
    bound:
      Math.abs(R.get(d - 2, d - 2)) + Math.abs(R.get(d - 2, d - 1)) + Math.abs(R.get(d - 1, d - 1)),
    outputsBefore,
    outputsAfter,
    predictedBefore: argmax(outputsBefore),
    predictedAfter: argmax(outputsAfter),
  };
}

/** The smallest distance between two columns of X, and the pair. */
export function minPairwiseDistance(X: Matrix): { distance: number; i: number; j: number } {
  if (X.columns < 2) fail("minPairwiseDistance", "X", X, "must have at least 2 columns");
  const cols = X.transpose()
    .to2DArray()
    .map((c) => Float64Array.from(c));
  let best2 = Infinity;
  let bi = 0;
  let bj = 1;
  for (let i = 0; i < cols.length; i++) {
    const ci = cols[i];
    for (let j = i + 1; j < cols.length; j++) {
      const cj = cols[j];
      let s = 0;
      for (let k = 0; k < ci.length && s < best2; k++) s += (ci[k] - cj[k]) ** 2;
      if (s < best2) {
        best2 = s;
        bi = i;
        bj = j;
      }
    }
  }
  return { distance: Math.sqrt(best2), i: bi, j: bj };
}

/** The minimum-distance classifier's robustness at column k: half the distance to the nearest other column. */
export function nearestNeighbourMargin(X: Matrix, k: number): number {
  requireInteger("nearestNeighbourMargin", "k", k, 0, X.columns - 1);
  const xk = X.getColumn(k);
  let best = Infinity;
  for (let j = 0; j < X.columns; j++)
    if (j !== k) best = Math.min(best, norm(sub(xk, X.getColumn(j))));
  return best / 2;
}

/**
 * ln of the union bound of Theorem 1's first claim: P(min_{i<j} ‖x_i − x_j‖ < (1−ε)√(2d)) ≤
 * C(d, 2) · P(χ²_d ≤ (1−ε)² d) ≤ C(d, 2) (αe^{1−α})^{d/2} with α = (1−ε)² (Lemma 2).
 */
export function logUnionBoundFarApart(d: number, eps: number): number {
  requireInteger("logUnionBoundFarApart", "d", d, 2);
  requireInRange("logUnionBoundFarApart", "eps", eps, 0, 1, [false, false]);
  const alpha = (1 - eps) ** 2;
  return Math.log((d * (d - 1)) / 2) + (d / 2) * (Math.log(alpha) + 1 - alpha);
}
