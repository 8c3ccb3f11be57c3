import { Matrix } from "ml-matrix";
import { fail, requireFiniteArray } from "../check";

/** Relative size below which a diagonal entry of a triangular factor counts as zero. */
export const SINGULAR_TOLERANCE = 1e-13;

function requireUpperTriangular(fn: string, R: Matrix): void {
  if (R.rows !== R.columns) fail(fn, "R", R, "must be square");
  const n = R.rows;
  let scale = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) scale = Math.max(scale, Math.abs(R.get(i, j)));
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      if (R.get(i, j) !== 0)
        fail(fn, `R[${i}][${j}]`, R.get(i, j), "must be 0 (R must be upper triangular)");
    }
  }
  for (let i = 0; i < n; i++) {
    const r = R.get(i, i);
    if (!Number.isFinite(r)) fail(fn, `R[${i}][${i}]`, r, "must be finite");
    if (Math.abs(r) <= SINGULAR_TOLERANCE * scale || r === 0) {
      fail(
        fn,
        `R[${i}][${i}]`,
        r,
        `makes R singular (|R_ii| <= ${SINGULAR_TOLERANCE} × max |R_jk| = ${scale})`,
      );
    }
  }
}

/** Solves R x = b for upper-triangular non-singular R by back substitution. */
export function solveUpper(R: Matrix, b: ArrayLike<number>): number[] {
  requireUpperTriangular("solveUpper", R);
  const n = R.rows;
  if (b.length !== n)
    fail("solveUpper", "b", Array.from(b), `must have length ${n} (R is ${n}×${n})`);
  requireFiniteArray("solveUpper", "b", b);
  const x = new Array<number>(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i];
    for (let j = i + 1; j < n; j++) s -= R.get(i, j) * x[j];
    x[i] = s / R.get(i, i);
  }
  return x;
}

/** The inverse of an upper-triangular non-singular R (itself upper triangular). Theorem 1: H_2 = R⁻¹Q_1ᵀ. */
export function invertUpper(R: Matrix): Matrix {
  requireUpperTriangular("invertUpper", R);
  const n = R.rows;
  const r = R.to2DArray();
  const inv: Float64Array[] = Array.from({ length: n }, () => new Float64Array(n));
  // Row i of R⁻¹ (R⁻¹R = I): inv[i][i] = 1/R_ii and, for c > i, inv[i][c] = −(Σ_{i≤j<c} inv[i][j] R_jc) / R_cc,
  // accumulated row-wise so that every inner loop runs over contiguous memory.
  for (let i = 0; i < n; i++) {
    const row = inv[i];
    const acc = new Float64Array(n);
    row[i] = 1 / r[i][i];
    for (let j = i; j < n; j++) {
      if (j > i) row[j] = -acc[j] / r[j][j];
      const x = row[j];
      const rj = r[j];
      for (let c = j + 1; c < n; c++) acc[c] += x * rj[c];
    }
  }
  return new Matrix(inv.map((row) => Array.from(row)));
}
