import { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { qr } from "../linalg/qr";
import type { Rng } from "./rng";

/** A rows×cols matrix with i.i.d. N(0, 1) entries (filled row by row). Theorem 1's X, Lemma 3's H_i. */
export function gaussianMatrix(rng: Rng, rows: number, cols: number): Matrix {
  requireInteger("gaussianMatrix", "rows", rows, 1);
  requireInteger("gaussianMatrix", "cols", cols, 1);
  const data: number[][] = new Array(rows);
  for (let i = 0; i < rows; i++) {
    const row = new Array<number>(cols);
    for (let j = 0; j < cols; j++) row[j] = rng.normal();
    data[i] = row;
  }
  return new Matrix(data);
}

/** A vector of n i.i.d. N(0, 1) entries. */
export function gaussianVector(rng: Rng, n: number): number[] {
  requireInteger("gaussianVector", "n", n, 1);
  const v = new Array<number>(n);
  for (let i = 0; i < n; i++) v[i] = rng.normal();
  return v;
}

/**
 * An m×d matrix with orthonormal columns (m ≥ d), distributed uniformly (Haar): the Q of the QR
 * with non-negative diagonal of an m×d Gaussian matrix. Theorem 1's and Theorem 6's H_1 satisfy
 * H_1ᵀH_1 = I_d (the paper writes I_{m×m}, which is impossible for m > d).
 */
export function orthonormalColumns(rng: Rng, m: number, d: number): Matrix {
  requireInteger("orthonormalColumns", "d", d, 1);
  requireInteger("orthonormalColumns", "m", m, 1);
  if (m < d)
    fail(
      "orthonormalColumns",
      "m",
      m,
      `must be >= d = ${d} (at most m orthonormal vectors fit in R^m)`,
    );
  return qr(gaussianMatrix(rng, m, d)).Q;
}
