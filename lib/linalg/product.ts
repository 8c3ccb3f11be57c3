/**
 * The matrix product A·B in WebAssembly (kernels/gemm.wat), for the constructions' products of
 * layers and factors: Lemma 3's H_{l−1}⋯H_1 and H_{i+1}Q_i, Theorem 1's H_1X and R⁻¹Q_1ᵀ, Theorem
 * 4's W H X. The rows of an ml-matrix matrix are the columns of its transpose, so C = A·B is
 * computed as Cᵀ = Bᵀ·Aᵀ on row copies, with no transposition either way.
 */
import { Matrix } from "ml-matrix";
import { fail } from "../check";
import { readRowMajor, writeRowMajor } from "./dense";
import { leadingDimension, packedLength, Product, workspace } from "./workspace";

/**
 * A·B in float64.
 * @param A m×k with finite entries
 * @param B k×n with finite entries
 * @returns m×n
 */
export function multiply(A: Matrix, B: Matrix): Matrix {
  for (const [name, M] of [
    ["A", A],
    ["B", B],
  ] as const)
    if (M === null || typeof M !== "object" || !Number.isInteger(M.rows))
      fail("multiply", name, M, "must be an ml-matrix Matrix");
  if (B.rows !== A.columns)
    fail("multiply", "B", B, `must have ${A.columns} rows to follow A (${A.rows}×${A.columns})`);
  const m = A.rows;
  const k = A.columns;
  const n = B.columns;
  const ws = workspace();
  const ldA = leadingDimension(k); // Aᵀ: k×m
  const ldB = leadingDimension(n); // Bᵀ: n×k
  ws.requireRoom("multiply", "B", B, ldA * m + 2 * ldB * k + ldB * m);
  return ws.frame(() => {
    const pAt = ws.alloc(ldA * m);
    const pBt = ws.alloc(ldB * k);
    const pPacked = ws.alloc(packedLength(n, k));
    const pCt = ws.alloc(ldB * m);
    writeRowMajor("multiply", "A", A, ws.f64, pAt / 8, ldA);
    writeRowMajor("multiply", "B", B, ws.f64, pBt / 8, ldB);
    ws.products.pack(n, k, pBt, 1, ldB, pPacked);
    ws.products.gemm(n, m, k, pPacked, pAt, ldA, pCt, ldB, Product.Set);
    return readRowMajor(ws.f64, pCt / 8, ldB, m, n);
  });
}
