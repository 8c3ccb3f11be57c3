/**
 * QR decomposition A = QR with a non-negative diagonal of R (float64), for m×n A with m ≥ n: thin
 * (Q m×n, R n×n), full (Q m×m, R m×n) or R alone. The paper's statements (Theorem 1's shared R of
 * H_1X = Q_1R and X = Q_2R; Lemma 3 and Bartlett's R_jj ~ χ_{m−j+1}; Theorem 4's R factors of the
 * layers) assume this sign convention: with it, the decomposition of a full-rank A is unique.
 *
 * Blocked Householder QR in WebAssembly (householder.ts, kernels/), then D = diag(sign R_jj):
 * Q ← QD, R ← DR. ml-matrix's QrDecomposition gives the same factors up to those signs.
 */
import { Matrix, type AbstractMatrix } from "ml-matrix";
import { fail } from "../check";
import {
  readColumnMajor,
  readUpperTriangle,
  requireFiniteEntries,
  writeColumnMajor,
} from "./dense";
import { factor, fixSigns, formQ, PANEL } from "./householder";
import { leadingDimension, workspace } from "./workspace";

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

/** Refuses what is not an m×n matrix with m ≥ n (before any work). */
function requireTall(fn: string, param: string, A: AbstractMatrix): void {
  if (
    A === null ||
    typeof A !== "object" ||
    !Number.isInteger(A.rows) ||
    !Number.isInteger(A.columns)
  )
    fail(fn, param, A, "must be an ml-matrix Matrix");
  if (A.rows < A.columns)
    fail(
      fn,
      param,
      A,
      `must have at least as many rows as columns (m = ${A.rows} < n = ${A.columns})`,
    );
}

/** Factors A; returns the R (and Q unless rOnly) of the paper's sign convention. */
function decompose(fn: string, param: string, A: AbstractMatrix, full: boolean, rOnly: boolean) {
  const ws = workspace();
  const m = A.rows;
  const n = A.columns;
  const q = full ? m : n;
  const lda = leadingDimension(m);
  // A, Q and the panels' scratch (V twice and W twice at most max(m, q) × PANEL each)
  ws.requireRoom(fn, param, A, lda * (n + (rOnly ? 0 : q)) + 6 * PANEL * Math.max(m, q));
  return ws.frame(() => {
    const pA = ws.alloc(lda * n);
    const pTau = ws.alloc(n);
    const pQ = rOnly ? null : ws.alloc(lda * q);
    writeColumnMajor(fn, param, A, ws.f64, pA / 8, lda);
    factor(ws, m, n, pA, lda, pTau);
    if (pQ !== null) formQ(ws, m, n, q, pA, lda, pTau, pQ, lda);
    const f64 = ws.f64;
    fixSigns(f64, n, pA, lda, pQ, m, lda);
    return {
      R: readUpperTriangle(f64, pA / 8, lda, full ? m : n, n),
      Q: pQ === null ? null : readColumnMajor(f64, pQ / 8, lda, m, q),
    };
  });
}

/**
 * A = QR with R_jj ≥ 0 (thin by default, full with `options.full`).
 * @param A m×n with m ≥ n and finite entries
 */
export function qr(A: Matrix, options: QrOptions = {}): QR {
  requireTall("qr", "A", A);
  const { Q, R } = decompose("qr", "A", A, options.full === true, false);
  return { Q: Q!, R };
}

/**
 * The n×n R factor alone (R_jj ≥ 0): about half the work of qr(), for when Q is not needed
 * (Lemma 3's R of a product, Bartlett's law, Theorem 4's ‖R‖_1B, section 6's φ = |R_dd|/‖a_d‖).
 * @param A m×n with m ≥ n and finite entries
 */
export function qrR(A: Matrix): Matrix {
  requireTall("qrR", "A", A);
  return decompose("qrR", "A", A, false, true).R;
}

/**
 * qr() of many matrices (Lemma 3's products, Bartlett checks, Theorem 4's layers), all checked
 * (shape, finite entries) before any is factored, the error naming the index. Every call of qr()
 * already reuses the workspace's memory and kernels, so a loop of qr() costs about the same: the
 * batch adds the up-front check.
 */
export function qrBatch(As: readonly Matrix[], options: QrOptions = {}): QR[] {
  if (!Array.isArray(As)) fail("qrBatch", "As", As, "must be an array of matrices");
  As.forEach((A, i) => {
    requireTall("qrBatch", `As[${i}]`, A);
    requireFiniteEntries("qrBatch", `As[${i}]`, A);
  });
  return As.map((A, i) => {
    const { Q, R } = decompose("qrBatch", `As[${i}]`, A, options.full === true, false);
    return { Q: Q!, R };
  });
}

/** qrR() of many matrices, all checked before any is factored. */
export function qrRBatch(As: readonly Matrix[]): Matrix[] {
  if (!Array.isArray(As)) fail("qrRBatch", "As", As, "must be an array of matrices");
  As.forEach((A, i) => {
    requireTall("qrRBatch", `As[${i}]`, A);
    requireFiniteEntries("qrRBatch", `As[${i}]`, A);
  });
  return As.map((A, i) => decompose("qrRBatch", `As[${i}]`, A, false, true).R);
}
