/**
 * Last layers on hidden features F (n × N, one column per point) with one-hot targets: Theorem 5
 * allows any last layer. Ridge regression gives a fitted layer that, unlike condition (5), does not
 * interpolate exactly.
 */
import { Matrix, solve } from "ml-matrix";
import { fail, requireFinite } from "../check";

/** W (k × n) minimising ‖W F − Y‖² + λ‖W‖² for targets Y (k × N): W = Y Fᵀ (F Fᵀ + λ I)⁻¹. */
export function ridgeLastLayer(F: Matrix, Y: Matrix, lambda: number): Matrix {
  requireFinite("ridgeLastLayer", "lambda", lambda);
  if (lambda <= 0) fail("ridgeLastLayer", "lambda", lambda, "must be > 0");
  if (F.columns !== Y.columns)
    fail("ridgeLastLayer", "Y", Y, `must have ${F.columns} columns like F`);
  const G = F.mmul(F.transpose()).add(Matrix.eye(F.rows).mul(lambda));
  // W Gᵀ = Y Fᵀ with G symmetric: solve G Wᵀ = F Yᵀ.
  return solve(G, F.mmul(Y.transpose())).transpose();
}
