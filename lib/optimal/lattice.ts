/**
 * The optimal (minimum-distance) classifier's exact robustness on Theorem 6's data x = A z,
 * z ∈ {±1}^d, label = z_d: the smallest distance between points of opposite classes is
 * min ‖A(z − z')‖ = 2 min ‖A u‖ over u ∈ {−1, 0, 1}^{d−1} × {1}, so the smallest perturbation that
 * can move a point to the other class's decision region under the minimum-distance rule is half of
 * it, min_u ‖A u‖. Two solvers that must agree: brute force and a sphere decoder.
 */
import { Matrix } from "ml-matrix";
import { fail, requireFiniteArray } from "../check";
import { qrR } from "../linalg/qr";

export interface LatticeMinimum {
  /** min ‖A u‖ over u ∈ {−1,0,1}^{d−1} × {1} */
  value: number;
  /** A minimiser. */
  u: number[];
  /** Search nodes visited (sphere decoder) or vectors enumerated (brute force). */
  nodes: number;
}

/** The largest d that brute force accepts (3^{d−1} vectors: 1.6 million at d = 14). */
export const BRUTE_FORCE_MAX_D = 14;

/** Square, finite and non-singular (a singular A makes two data points coincide or the classes overlap). */
function checkSquare(fn: string, A: Matrix): Matrix {
  if (A.rows !== A.columns) fail(fn, "A", A, "must be square (d×d)");
  if (A.rows < 1) fail(fn, "A", A, "must not be empty");
  requireFiniteArray(fn, "A (entries)", A.to1DArray());
  const R = qrR(A);
  const scale = Math.max(...R.to1DArray().map(Math.abs));
  for (let i = 0; i < R.rows; i++) {
    if (R.get(i, i) <= 1e-12 * scale)
      fail(
        fn,
        "A",
        A,
        `is singular (R_${i + 1}${i + 1} = ${R.get(i, i)} in A = QR): the data points are not distinct`,
      );
  }
  return R;
}

/** Enumerates all 3^{d−1} vectors (depth-first, accumulating A u column by column). */
export function latticeMinimumBruteForce(A: Matrix): LatticeMinimum {
  const d = A.rows;
  if (A.rows === A.columns && d > BRUTE_FORCE_MAX_D)
    fail(
      "latticeMinimumBruteForce",
      "A",
      A,
      `is too large for brute force (d = ${d} > ${BRUTE_FORCE_MAX_D}: 3^{d−1} vectors); use latticeMinimumSphere`,
    );
  checkSquare("latticeMinimumBruteForce", A);
  const cols = Array.from({ length: d }, (_, j) => Float64Array.from(A.getColumn(j)));
  const u = new Array<number>(d).fill(0);
  u[d - 1] = 1;
  let best = Infinity;
  let bestU = [...u];
  let nodes = 0;
  const acc: Float64Array[] = Array.from({ length: d }, () => new Float64Array(d));
  acc[d - 1].set(cols[d - 1]);
  const visit = (k: number): void => {
    // acc[k] holds A u restricted to the coordinates ≥ k; choose u_{k−1}
    if (k === 0) {
      nodes++;
      let s = 0;
      for (let i = 0; i < d; i++) s += acc[0][i] * acc[0][i];
      if (s < best) {
        best = s;
        bestU = [...u];
      }
      return;
    }
    for (const v of [0, 1, -1]) {
      u[k - 1] = v;
      const dst = acc[k - 1];
      const src = acc[k];
      const c = cols[k - 1];
      for (let i = 0; i < d; i++) dst[i] = src[i] + v * c[i];
      visit(k - 1);
    }
    u[k - 1] = 0;
  };
  if (d === 1) {
    nodes = 1;
    best = cols[0].reduce((s, x) => s + x * x, 0);
  } else visit(d - 1);
  return { value: Math.sqrt(best), u: bestU, nodes };
}

/**
 * Sphere decoder (Schnorr–Euchner enumeration on the R of A = QR, Hassibi & Vikalo 2005):
 * ‖A u‖² = Σ_i (Σ_{j≥i} R_ij u_j)², built from the last row up with u_d = 1 fixed; at each level
 * the three values of u_i are tried in order of increasing contribution, and a branch is pruned as
 * soon as its partial sum reaches the best complete value found so far. Exact: it returns the same
 * minimum as brute force.
 */
export function latticeMinimumSphere(A: Matrix): LatticeMinimum {
  const d = A.rows;
  const R = checkSquare("latticeMinimumSphere", A).to2DArray();
  const u = new Array<number>(d).fill(0);
  u[d - 1] = 1;
  // Start from ‖a_d‖ (u = e_d), which is always feasible.
  let best2 = 0;
  for (let i = 0; i < d; i++) best2 += R[i][d - 1] ** 2;
  let bestU = [...u];
  let nodes = 0;
  const partial = new Float64Array(d + 1); // partial[i] = Σ_{k≥i} (row k's residual)²
  partial[d - 1] = R[d - 1][d - 1] ** 2;
  const search = (i: number): void => {
    // rows ≥ i+1 are decided; choose u_i
    nodes++;
    let c = 0;
    for (let j = i + 1; j < d; j++) c += R[i][j] * u[j];
    const r = R[i][i];
    const options = [-1, 0, 1]
      .map((v) => ({ v, cost: (r * v + c) ** 2 }))
      .sort((a, b) => a.cost - b.cost);
    for (const { v, cost } of options) {
      const p = partial[i + 1] + cost;
      if (p >= best2) break; // later options cost more
      u[i] = v;
      if (i === 0) {
        best2 = p;
        bestU = [...u];
      } else {
        partial[i] = p;
        search(i - 1);
      }
    }
    u[i] = 0;
  };
  if (d > 1) search(d - 2);
  return { value: Math.sqrt(best2), u: bestU, nodes };
}

/** The largest d for which every pair of opposite-class points is compared (4^{13} = 67 million pairs at d = 14). */
export const ALL_PAIRS_MAX_D = 14;

/** The smallest distance between opposite classes, found by comparing every pair of points. */
export interface OppositeClassDistance {
  /** min ‖x_i − x_j‖ over x_i = A z_i, x_j = A z_j with z_i(d) = +1, z_j(d) = −1. */
  value: number;
  /** Pairs compared: 2^{d−1} · 2^{d−1}. */
  pairs: number;
}

/**
 * Theorem 6's first claim computed without the reduction to u = (z − z')/2: every point of class
 * +1 against every point of class −1 (the reduction says value = 2 · latticeMinimumSphere(A).value).
 * @param A d×d, d ≤ ALL_PAIRS_MAX_D
 */
export function oppositeClassDistance(A: Matrix): OppositeClassDistance {
  const fn = "oppositeClassDistance";
  const d = A.rows;
  if (A.rows !== A.columns) fail(fn, "A", A, "must be square (d×d)");
  if (d > ALL_PAIRS_MAX_D)
    fail(
      fn,
      "A",
      A,
      `is too large (d = ${d} > ${ALL_PAIRS_MAX_D}: 4^{d−1} pairs, about 10 million a second)`,
    );
  requireFiniteArray(fn, "A (entries)", A.to1DArray());
  const half = 2 ** (d - 1);
  // Points with z(d) = +1 and −1: z's first d − 1 signs from the bits of k (bit set: −1).
  const points = (last: number) =>
    Array.from({ length: half }, (_, k) => {
      const x = new Float64Array(d);
      for (let j = 0; j < d; j++) {
        const z = j === d - 1 ? last : (k >> (d - 2 - j)) & 1 ? -1 : 1;
        for (let i = 0; i < d; i++) x[i] += A.get(i, j) * z;
      }
      return x;
    });
  const plus = points(1);
  const minus = points(-1);
  let best = Infinity;
  for (const a of plus) {
    for (const b of minus) {
      let s = 0;
      for (let i = 0; i < d && s < best; i++) s += (a[i] - b[i]) ** 2;
      if (s < best) best = s;
    }
  }
  return { value: Math.sqrt(best), pairs: half * half };
}
