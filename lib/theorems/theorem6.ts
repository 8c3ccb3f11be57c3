/**
 * Theorem 6 (section 4, appendix A.3): 2^d points x = A z, z ∈ {±1}^d, label = z_d, a two-layer
 * linear network with H_1ᵀH_1 = I and w_{±1} = ±Q_{:,d}/R_dd (condition 8). The attack
 * e = Q_2 (0, …, 0, −2R_dd) flips every point of class +1 (eq. 9) with ‖e‖ = 2|R_dd| (eq. 10).
 */
import { Matrix } from "ml-matrix";
import { fail } from "../check";
import { qr } from "../linalg/qr";

export interface Theorem6Network {
  H1: Matrix;
  Q1: Matrix;
  R: Matrix;
  Q2: Matrix;
  /** Output weights on the hidden layer: w_{+1} = Q_{1,:,d}/R_dd, w_{−1} = −w_{+1}. */
  wPlus: number[];
  wMinus: number[];
  /** End-to-end rows (input space): w_{±1}ᵀ H_1 = ±Q_{2,:,d}ᵀ / R_dd. */
  probePlus: number[];
  probeMinus: number[];
}

export function theorem6Network(A: Matrix, H1: Matrix): Theorem6Network {
  const d = A.rows;
  if (A.columns !== d) fail("theorem6Network", "A", A, "must be square (d×d)");
  if (H1.columns !== d || H1.rows < d)
    fail("theorem6Network", "H1", H1, `must be m×${d} with m >= ${d}`);
  const { Q: Q1, R } = qr(H1.mmul(A));
  const { Q: Q2 } = qr(A);
  const rdd = R.get(d - 1, d - 1);
  if (rdd === 0) fail("theorem6Network", "A", A, "is singular (R_dd = 0)");
  const wPlus = Q1.getColumn(d - 1).map((v) => v / rdd);
  const probePlus = H1.transpose().mmul(Matrix.columnVector(wPlus)).getColumn(0);
  return {
    H1,
    Q1,
    R,
    Q2,
    wPlus,
    wMinus: wPlus.map((v) => -v),
    probePlus,
    probeMinus: probePlus.map((v) => -v),
  };
}

/** (f_{+1}(x), f_{−1}(x)) for every column of X. */
export function theorem6Outputs(
  net: Theorem6Network,
  X: Matrix,
): { plus: number[]; minus: number[] } {
  const plus = Matrix.rowVector(net.probePlus).mmul(X).getRow(0);
  return { plus, minus: plus.map((v) => -v) };
}

/** The proof's perturbation for a point of class +1: e = Q_2 (0, …, 0, −2R_dd). */
export function theorem6Attack(net: Theorem6Network): number[] {
  const d = net.R.rows;
  const q = net.Q2.getColumn(d - 1);
  return q.map((v) => -2 * net.R.get(d - 1, d - 1) * v);
}

/** X with the vector e added to the given columns (the attack applied to a set of points). */
export function perturbColumns(
  X: Matrix,
  columns: readonly number[],
  e: readonly number[],
): Matrix {
  if (e.length !== X.rows) fail("perturbColumns", "e", [...e], `must have length ${X.rows}`);
  const Y = X.clone();
  for (const j of columns) {
    if (!Number.isInteger(j) || j < 0 || j >= X.columns)
      fail("perturbColumns", "columns", j, `must be column indices in [0, ${X.columns - 1}]`);
    for (let i = 0; i < X.rows; i++) Y.set(i, j, Y.get(i, j) + e[i]);
  }
  return Y;
}
