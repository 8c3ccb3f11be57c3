import { Matrix } from "ml-matrix";
import { fail, requireFiniteArray } from "../check";

export interface QR {
  /** m×n (thin) or m×m (full), orthonormal columns. */
  Q: Matrix;
  /** n×n (thin) or m×n (full), upper triangular with R_jj ≥ 0. */
  R: Matrix;
}

export interface QrOptions {
  /** Full QR: Q is m×m (an orthonormal basis of R^m) and R is m×n. Default: thin. */
  full?: boolean;
}

/**
 * QR decomposition A = QR with a non-negative diagonal of R (Householder, float64), for m×n A
 * with m ≥ n. The paper's statements (Theorem 1, Lemma 3: R_jj ~ χ_{m−j+1}) assume this sign
 * convention; ml-matrix's QrDecomposition returns diagonal entries of either sign, so we normalise
 * with D = diag(sign R_jj): Q ← QD, R ← DR. With the sign fixed, the decomposition of a full-rank
 * A is unique, which is what makes "the same R" in Theorem 1 (H_1X = Q_1R, X = Q_2R) checkable.
 */
interface Householder {
  m: number;
  n: number;
  /** Column-major m×n: R above the diagonal (before the sign fix), zeros below. */
  a: Float64Array;
  vs: Float64Array[];
  taus: Float64Array;
}

function householder(fn: string, A: Matrix): Householder {
  const m = A.rows;
  const n = A.columns;
  if (m < n) fail(fn, "A", A, `must have at least as many rows as columns (m = ${m} < n = ${n})`);
  const a = new Float64Array(m * n); // column-major working copy
  const rows = A.to2DArray();
  for (let i = 0; i < m; i++) for (let j = 0; j < n; j++) a[j * m + i] = rows[i][j];
  requireFiniteArray(fn, "A (column-major entries)", a);

  // Householder vectors v_k (stored over rows k..m-1) and their scale tau_k = 2 / ‖v_k‖².
  const vs: Float64Array[] = [];
  const taus = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = k * m;
    let norm2 = 0;
    for (let i = k; i < m; i++) norm2 += a[col + i] * a[col + i];
    const norm = Math.sqrt(norm2);
    const v = new Float64Array(m - k);
    if (norm === 0) {
      vs.push(v);
      taus[k] = 0;
      continue;
    }
    const x0 = a[col + k];
    const alpha = x0 >= 0 ? -norm : norm;
    for (let i = k; i < m; i++) v[i - k] = a[col + i];
    v[0] = x0 - alpha;
    const vnorm2 = norm2 - x0 * x0 + v[0] * v[0];
    const tau = vnorm2 > 0 ? 2 / vnorm2 : 0;
    for (let j = k + 1; j < n; j++) {
      const cj = j * m;
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * a[cj + i];
      s *= tau;
      for (let i = k; i < m; i++) a[cj + i] -= s * v[i - k];
    }
    a[col + k] = alpha;
    for (let i = k + 1; i < m; i++) a[col + i] = 0;
    vs.push(v);
    taus[k] = tau;
  }
  return { m, n, a, vs, taus };
}

/** The n×n R factor alone (non-negative diagonal): half the work of qr(), for when Q is not needed. */
export function qrR(A: Matrix): Matrix {
  const { m, n, a } = householder("qrR", A);
  const R = new Matrix(n, n);
  for (let k = 0; k < n; k++) {
    const flip = a[k * m + k] < 0 ? -1 : 1;
    for (let j = k; j < n; j++) R.set(k, j, flip * a[j * m + k]);
  }
  return R;
}

export function qr(A: Matrix, options: QrOptions = {}): QR {
  const { m, n, a, vs, taus } = householder("qr", A);
  const q = options.full ? m : n;
  // Q = H_0 H_1 … H_{n−1} applied to the first q columns of I_m (column-major).
  const Qa = new Float64Array(m * q);
  for (let j = 0; j < q; j++) Qa[j * m + j] = 1;
  for (let k = n - 1; k >= 0; k--) {
    const v = vs[k];
    const tau = taus[k];
    if (tau === 0) continue;
    for (let j = 0; j < q; j++) {
      const cj = j * m;
      let s = 0;
      for (let i = k; i < m; i++) s += v[i - k] * Qa[cj + i];
      s *= tau;
      if (s === 0) continue;
      for (let i = k; i < m; i++) Qa[cj + i] -= s * v[i - k];
    }
  }

  const rRows = options.full ? m : n;
  const R = new Matrix(rRows, n);
  const Q = new Matrix(m, q);
  for (let k = 0; k < n; k++) {
    const flip = a[k * m + k] < 0 ? -1 : 1; // D = diag(sign R_kk)
    for (let j = k; j < n; j++) R.set(k, j, flip * a[j * m + k]);
    for (let i = 0; i < m; i++) Q.set(i, k, flip * Qa[k * m + i]);
  }
  for (let k = n; k < q; k++) for (let i = 0; i < m; i++) Q.set(i, k, Qa[k * m + i]);
  return { Q, R };
}
