/**
 * Theorem 6 (section 4, appendix A.3): 2^d points x = A z, z ∈ {±1}^d, label = z_d, a two-layer
 * linear network with H_1ᵀH_1 = I and w_{±1} = ±Q_{:,d}/R_dd (condition 8). The attack
 * e = Q_2 (0, …, 0, −2R_dd) flips every point of class +1 (eq. 9) with ‖e‖ = 2|R_dd| (eq. 10).
 *
 * The construction takes any hidden map H = H_{l−1}⋯H_1 of full column rank (the remark after
 * Theorem 6: general Gaussian H_1, more layers): H A = Q_1 R and w_{±1} = ±Q_{1,:,d}/R_dd satisfy
 * condition (8) for every such H, and then the end-to-end probe is p_{+1} = A⁻ᵀe_d, whatever H is.
 */
import { Matrix } from "ml-matrix";
import { fail } from "../check";
import { qr } from "../linalg/qr";
import { multiply } from "../linalg/product";

/** Theorem 6's network (condition 8) for data matrix A and hidden layers H_1, …, H_{l−1}. */
export type Theorem6Network = {
  /** H_1, …, H_{l−1} (H_i is n_{i+1}×n_i, n_1 = d); the theorem has one layer with H_1ᵀH_1 = I. */
  layers: Matrix[];
  /** H A = Q_1 R (thin QR, R_jj ≥ 0), H = H_{l−1}⋯H_1: Q_1 is n_l×d, R is d×d. */
  Q1: Matrix;
  R: Matrix;
  /** A = Q_2 R_A (d×d each). With H_1ᵀH_1 = I the proof's "same R": R_A = R and Q_1 = H_1 Q_2. */
  Q2: Matrix;
  RA: Matrix;
  /** Output weights on the last hidden layer: w_{+1} = Q_{1,:,d}/R_dd, w_{−1} = −w_{+1} (n_l each). */
  wPlus: number[];
  wMinus: number[];
  /** End-to-end rows in input space: p_{±1} = Hᵀ w_{±1} (d each). */
  probePlus: number[];
  probeMinus: number[];
};

/**
 * The network of Theorem 6's proof (appendix A.3) satisfying condition (8).
 * @param A d×d data matrix (x = A z)
 * @param layers H_1 (m×d, m ≥ d) and optionally further layers, of full column rank together
 */
export function theorem6Network(A: Matrix, ...layers: Matrix[]): Theorem6Network {
  const fn = "theorem6Network";
  const d = A.rows;
  if (A.columns !== d) fail(fn, "A", A, "must be square (d×d)");
  if (layers.length === 0) fail(fn, "layers", layers, "must hold at least H_1");
  let H = layers[0];
  if (H.columns !== d || H.rows < d) fail(fn, "layers[0]", H, `must be m×${d} with m >= ${d}`);
  layers.slice(1).forEach((L, i) => {
    if (L.columns !== H.rows || L.rows < L.columns)
      fail(fn, `layers[${i + 1}]`, L, `must be n×${H.rows} with n >= ${H.rows}`);
    H = multiply(L, H);
  });
  const { Q: Q1, R } = qr(multiply(H, A));
  const { Q: Q2, R: RA } = qr(A);
  const rdd = R.get(d - 1, d - 1);
  if (!(rdd > 1e-12 * Math.abs(R.get(0, 0))))
    fail(fn, "A", A, "is singular with the layers (R_dd = 0 in H A = Q_1 R)");
  const wPlus = Q1.getColumn(d - 1).map((v) => v / rdd);
  const probePlus = H.transpose().mmul(Matrix.columnVector(wPlus)).getColumn(0);
  return {
    layers,
    Q1,
    R,
    Q2,
    RA,
    wPlus,
    wMinus: wPlus.map((v) => -v),
    probePlus,
    probeMinus: probePlus.map((v) => -v),
  };
}

/**
 * (f_{+1}(x), f_{−1}(x)) for every column of X, through the end-to-end probes.
 * @param X d×N, one point per column
 */
export function theorem6Outputs(
  net: Theorem6Network,
  X: Matrix,
): { plus: number[]; minus: number[] } {
  const plus = Matrix.rowVector(net.probePlus).mmul(X).getRow(0);
  return { plus, minus: plus.map((v) => -v) };
}

/**
 * f_{+1}(x) = w_{+1}ᵀ H_{l−1}⋯H_1 x for every column of X, layer by layer (not through the
 * probes); f_{−1} = −f_{+1}. One point at a time, so that memory stays O(widths).
 * @param X d×N, one point per column
 */
export function theorem6HiddenOutputs(net: Theorem6Network, X: Matrix): number[] {
  const layers = net.layers.map((L) => ({ rows: L.rows, cols: L.columns, a: L.to1DArray() }));
  const w = Float64Array.from(net.wPlus);
  const out = new Array<number>(X.columns);
  for (let k = 0; k < X.columns; k++) {
    let v = Float64Array.from(X.getColumn(k));
    for (const L of layers) {
      const next = new Float64Array(L.rows);
      for (let i = 0; i < L.rows; i++) {
        let s = 0;
        const row = i * L.cols;
        for (let j = 0; j < L.cols; j++) s += L.a[row + j] * v[j];
        next[i] = s;
      }
      v = next;
    }
    let f = 0;
    for (let i = 0; i < v.length; i++) f += w[i] * v[i];
    out[k] = f;
  }
  return out;
}

/** The proof's perturbation for a point of class +1: e = Q_2 (0, …, 0, −2R_dd) (eq. 9), with A = Q_2 R_A. */
export function theorem6Attack(net: Theorem6Network): number[] {
  const d = net.RA.rows;
  const q = net.Q2.getColumn(d - 1);
  return q.map((v) => -2 * net.RA.get(d - 1, d - 1) * v);
}

/**
 * X with the vector e added to the given columns (the attack applied to a set of points).
 * @param X d×N, one point per column
 * @param e d-vector
 */
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
