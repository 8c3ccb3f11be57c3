/**
 * Copies between ml-matrix matrices (the library's matrix type, stored as row arrays) and the
 * kernels' float64 arrays in the workspace. A row-major copy of A is the column-major layout of
 * Aᵀ, which the products use to avoid transposing.
 */
import { Matrix, type AbstractMatrix } from "ml-matrix";
import { fail } from "../check";

/** The rows of A: a Matrix's own Float64Arrays (no copy), copies for other kinds of matrix. */
function rowsOf(A: AbstractMatrix): ArrayLike<number>[] {
  const data = (A as unknown as { data?: unknown }).data;
  if (Array.isArray(data) && data.length === A.rows && data.every((r) => r instanceof Float64Array))
    return data as Float64Array[];
  return Array.from({ length: A.rows }, (_, i) => A.getRow(i));
}

/** Fails, naming fn, param and the first non-finite entry of A. */
function failNonFinite(fn: string, param: string, A: AbstractMatrix): never {
  const rows = rowsOf(A);
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.columns; j++)
      if (!Number.isFinite(rows[i][j]))
        fail(fn, `${param}[${i}][${j}]`, rows[i][j], "must be finite");
  fail(fn, param, A, "must have finite entries");
}

/** Fails, naming fn, param and the entry, unless every entry of A is finite. */
export function requireFiniteEntries(fn: string, param: string, A: AbstractMatrix): void {
  const rows = rowsOf(A);
  let poison = 0;
  for (let i = 0; i < A.rows; i++) {
    const r = rows[i];
    for (let j = 0; j < A.columns; j++) poison += r[j] * 0;
  }
  if (poison !== 0) failNonFinite(fn, param, A);
}

/**
 * Writes A (m×n) column-major into f64 from entry `at` with leading dimension ld, after checking
 * that every entry is finite (the error names fn, param and the entry).
 */
export function writeColumnMajor(
  fn: string,
  param: string,
  A: AbstractMatrix,
  f64: Float64Array,
  at: number,
  ld: number,
): void {
  const m = A.rows;
  const n = A.columns;
  const rows = rowsOf(A);
  let poison = 0; // x·0 is NaN exactly when x is ±Infinity or NaN
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    for (let j = 0, p = at + i; j < n; j++, p += ld) {
      const x = r[j];
      poison += x * 0;
      f64[p] = x;
    }
  }
  if (poison !== 0) failNonFinite(fn, param, A);
}

/**
 * Writes A (m×n) row by row into f64 from entry `at` (row i at at + i·ld): the column-major
 * layout of Aᵀ. Checks finiteness like writeColumnMajor.
 */
export function writeRowMajor(
  fn: string,
  param: string,
  A: AbstractMatrix,
  f64: Float64Array,
  at: number,
  ld: number,
): void {
  const rows = rowsOf(A);
  let poison = 0;
  for (let i = 0; i < A.rows; i++) {
    const r = rows[i];
    const p = at + i * ld;
    for (let j = 0; j < A.columns; j++) {
      const x = r[j];
      poison += x * 0;
      f64[p + j] = x;
    }
  }
  if (poison !== 0) failNonFinite(fn, param, A);
}

/**
 * A new m×n zero Matrix and its rows, to be written in place: views of one Float64Array rather
 * than ml-matrix's allocation per row, which took half the time of a 16×16 QR.
 */
function newMatrix(m: number, n: number): { M: Matrix; rows: Float64Array[] } {
  const M = new Matrix(0, n);
  const raw = M as unknown as { data?: unknown; rows: number };
  if (!Array.isArray(raw.data))
    throw new Error("ml-matrix's Matrix no longer keeps its rows as Float64Arrays in .data");
  const buffer = new Float64Array(m * n);
  const rows = Array.from({ length: m }, (_, i) => buffer.subarray(i * n, (i + 1) * n));
  raw.data = rows;
  raw.rows = m;
  return { M, rows };
}

/** A new m×n Matrix from the column-major array in f64 at entry `at` (leading dimension ld). */
export function readColumnMajor(
  f64: Float64Array,
  at: number,
  ld: number,
  m: number,
  n: number,
): Matrix {
  const { M, rows } = newMatrix(m, n);
  for (let i = 0; i < m; i++) {
    const r = rows[i];
    for (let j = 0, p = at + i; j < n; j++, p += ld) r[j] = f64[p];
  }
  return M;
}

/** A new m×n Matrix whose row i is f64[at + i·ld, at + i·ld + n) (Mᵀ column-major). */
export function readRowMajor(
  f64: Float64Array,
  at: number,
  ld: number,
  m: number,
  n: number,
): Matrix {
  const { M, rows } = newMatrix(m, n);
  for (let i = 0; i < m; i++) rows[i].set(f64.subarray(at + i * ld, at + i * ld + n));
  return M;
}

/**
 * A new rows×n Matrix holding the upper triangle (j ≥ i) of the column-major array in f64 at
 * entry `at` (leading dimension ld) and zeros below it: R of the QR, whose array holds the
 * reflectors below the diagonal.
 */
export function readUpperTriangle(
  f64: Float64Array,
  at: number,
  ld: number,
  rows: number,
  n: number,
): Matrix {
  const { M, rows: out } = newMatrix(rows, n);
  for (let i = 0; i < Math.min(rows, n); i++) {
    const r = out[i];
    for (let j = i, p = at + i + i * ld; j < n; j++, p += ld) r[j] = f64[p];
  }
  return M;
}
