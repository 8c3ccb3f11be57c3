/**
 * Upper triangular systems in WebAssembly (kernels/triangular.wat): back substitution R x = b and
 * the inverse R⁻¹, for Theorem 1's last layer H_2 = R⁻¹Q_1ᵀ and Theorem 4's W = R⁻¹Qᵀ.
 */
import { Matrix } from "ml-matrix";
import { fail, requireFiniteArray } from "../check";
import { readColumnMajor, writeColumnMajor } from "./dense";
import { leadingDimension, workspace } from "./workspace";

/** Relative size below which a diagonal entry of a triangular factor counts as zero. */
export const SINGULAR_TOLERANCE = 1e-13;

function requireSquare(fn: string, R: Matrix): void {
  if (R === null || typeof R !== "object" || !Number.isInteger(R.rows))
    fail(fn, "R", R, "must be an ml-matrix Matrix");
  if (R.rows !== R.columns) fail(fn, "R", R, "must be square");
}

/**
 * Copies the square R column-major to the workspace (entry `at`, leading dimension ld) and refuses,
 * naming the entry, a non-finite, non-upper-triangular or singular R.
 */
function writeUpperTriangular(fn: string, R: Matrix, f64: Float64Array, at: number, ld: number) {
  writeColumnMajor(fn, "R", R, f64, at, ld);
  const n = R.rows;
  let scale = 0;
  for (let j = 0; j < n; j++) {
    const c = at + j * ld;
    for (let i = 0; i <= j; i++) scale = Math.max(scale, Math.abs(f64[c + i]));
    for (let i = j + 1; i < n; i++)
      if (f64[c + i] !== 0)
        fail(fn, `R[${i}][${j}]`, f64[c + i], "must be 0 (R must be upper triangular)");
  }
  for (let i = 0; i < n; i++) {
    const r = f64[at + i * ld + i];
    if (Math.abs(r) <= SINGULAR_TOLERANCE * scale || r === 0)
      fail(
        fn,
        `R[${i}][${i}]`,
        r,
        `makes R singular (|R_ii| <= ${SINGULAR_TOLERANCE} × max |R_jk| = ${scale})`,
      );
  }
}

/** Solves R x = b for upper-triangular non-singular R by back substitution. */
export function solveUpper(R: Matrix, b: ArrayLike<number>): number[] {
  requireSquare("solveUpper", R);
  const n = R.rows;
  if (b.length !== n)
    fail("solveUpper", "b", Array.from(b), `must have length ${n} (R is ${n}×${n})`);
  requireFiniteArray("solveUpper", "b", b);
  const ws = workspace();
  ws.requireRoom("solveUpper", "R", R, leadingDimension(n) * (n + 1));
  return ws.frame(() => {
    const ld = leadingDimension(n);
    const pR = ws.alloc(ld * n);
    const pX = ws.alloc(n);
    writeUpperTriangular("solveUpper", R, ws.f64, pR / 8, ld);
    const f64 = ws.f64;
    for (let i = 0; i < n; i++) f64[pX / 8 + i] = b[i];
    ws.triangular.trsv(n, pR, ld, pX);
    return Array.from(f64.subarray(pX / 8, pX / 8 + n));
  });
}

/** The inverse of an upper-triangular non-singular R (itself upper triangular). Theorem 1: H_2 = R⁻¹Q_1ᵀ. */
export function invertUpper(R: Matrix): Matrix {
  requireSquare("invertUpper", R);
  const n = R.rows;
  const ws = workspace();
  ws.requireRoom("invertUpper", "R", R, 2 * leadingDimension(n) * n);
  return ws.frame(() => {
    const ld = leadingDimension(n);
    const pR = ws.alloc(ld * n);
    const pInv = ws.alloc(ld * n);
    writeUpperTriangular("invertUpper", R, ws.f64, pR / 8, ld);
    ws.triangular.trtri(n, pR, ld, pInv, ld);
    return readColumnMajor(ws.f64, pInv / 8, ld, n, n);
  });
}
