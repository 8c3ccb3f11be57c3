/**
 * Section 6's data set (and Theorem 6's): the 2^d points x_k = A z_k over all z_k ∈ {±1}^d,
 * labelled by the last sign z_k(d). One encoding of point k everywhere: z_k(i) = −1 exactly when
 * bit d−1−i of k is set (most significant bit first), so the label bit is the lowest bit of k.
 */
import { Matrix } from "ml-matrix";
import { fail, requireInteger, requirePositive } from "../check";

/** The largest d for which the hypercube is built in memory (2^20 points). */
export const MAX_HYPERCUBE_DIM = 20;

/** The sign vector z_k ∈ {±1}^d of point k. */
export function pointSigns(k: number, d: number): number[] {
  requireInteger("pointSigns", "d", d, 1, 30);
  requireInteger("pointSigns", "k", k, 0, 2 ** d - 1);
  return Array.from({ length: d }, (_, i) => (Math.floor(k / 2 ** (d - 1 - i)) % 2 === 1 ? -1 : 1));
}

/** The index k of a sign vector z ∈ {±1}^d (the inverse of pointSigns). */
export function pointIndex(z: readonly number[]): number {
  const d = z.length;
  requireInteger("pointIndex", "z.length", d, 1, 30);
  let k = 0;
  for (let i = 0; i < d; i++) {
    if (z[i] !== 1 && z[i] !== -1) fail("pointIndex", `z[${i}]`, z[i], "must be +1 or −1");
    if (z[i] < 0) k += 2 ** (d - 1 - i);
  }
  return k;
}

/** The training label of point k: class 1 when z_k(d) = +1 (k even), class 0 otherwise. */
export function pointLabel(k: number): 0 | 1 {
  return k % 2 === 0 ? 1 : 0;
}

/** All 2^d sign vectors as the columns of a d × 2^d matrix, column k = z_k (Theorem 6, section 6). */
export function hypercube(d: number): Matrix {
  requireInteger("hypercube", "d", d, 1, MAX_HYPERCUBE_DIM);
  const n = 2 ** d;
  const z = new Matrix(d, n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < d; i++) z.set(i, k, (k >> (d - 1 - i)) & 1 ? -1 : 1);
  }
  return z;
}

/**
 * A with every column but the last multiplied by `factor` (section 6 uses 5). With D = diag(factor,
 * …, factor, 1), A D = Q (R D): Q and the last column of R (so R_dd) are unchanged, as section 6
 * remarks.
 * @param A d × d
 */
export function scaleLeadingColumns(A: Matrix, factor: number): Matrix {
  requirePositive("scaleLeadingColumns", "factor", factor);
  const B = A.clone();
  for (let j = 0; j < A.columns - 1; j++)
    for (let i = 0; i < A.rows; i++) B.set(i, j, factor * A.get(i, j));
  return B;
}

export interface HypercubeData {
  /** d × 2^d: column k is A z_k. */
  X: Matrix;
  /** d × 2^d: column k is z_k. */
  Z: Matrix;
  /** ±1 labels z_k(d). */
  labels: number[];
}

/**
 * The 2^d points x_k = A z_k and their ±1 labels (Theorem 6; section 6).
 * @param A d × d, d ≤ MAX_HYPERCUBE_DIM
 */
export function hypercubeData(A: Matrix): HypercubeData {
  const d = A.rows;
  if (A.columns !== d) fail("hypercubeData", "A", A, "must be square (d×d)");
  requireInteger("hypercubeData", "d", d, 1, MAX_HYPERCUBE_DIM);
  const Z = hypercube(d);
  return { X: A.mmul(Z), Z, labels: Z.getRow(d - 1) };
}

/** The data as the trainers take it. */
export interface TrainingRows {
  /** 2^d × d row-major float32 inputs, row k = A z_k. */
  X: Float32Array;
  /** Class indices: pointLabel(k). */
  y: Int32Array;
  d: number;
  /** d × 2^d float64 columns (the same points). */
  Xd: Matrix;
}

/**
 * The same data as the trainers take it: float32 rows (point k = column k of A·Z), class labels
 * pointLabel(k), and the float64 columns Xd.
 * @param A d × d
 */
export function hypercubeRows(A: Matrix): TrainingRows {
  const { X: Xd } = hypercubeData(A);
  const d = A.rows;
  const n = Xd.columns;
  const X = new Float32Array(n * d);
  const y = new Int32Array(n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < d; i++) X[k * d + i] = Xd.get(i, k);
    y[k] = pointLabel(k);
  }
  return { X, y, d, Xd };
}
