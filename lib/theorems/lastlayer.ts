/**
 * Last layers on hidden features with one-hot targets: Theorem 5 allows any last layer. Ridge
 * regression gives a fitted layer that, unlike condition (5), does not interpolate exactly.
 */
import { Matrix, solve } from "ml-matrix";
import { fail, requireFinite } from "../check";

/**
 * W minimising ‖W F − Y‖² + λ‖W‖²: W = Y Fᵀ (F Fᵀ + λ I)⁻¹ = Y (FᵀF + λ I)⁻¹ Fᵀ (the same matrix;
 * the solve is on the smaller side, n×n or N×N).
 * @param F n×N hidden features, one column per point
 * @param Y k×N targets, one column per point (one-hot for Theorem 5)
 * @param lambda λ > 0
 * @returns k×n, one row w_iᵀ per class
 */
export function ridgeLastLayer(F: Matrix, Y: Matrix, lambda: number): Matrix {
  requireFinite("ridgeLastLayer", "lambda", lambda);
  if (lambda <= 0) fail("ridgeLastLayer", "lambda", lambda, "must be > 0");
  if (F.columns !== Y.columns)
    fail("ridgeLastLayer", "Y", Y, `must have ${F.columns} columns like F`);
  if (F.columns < F.rows) {
    // Fewer points than features: (FᵀF + λI) Cᵀ = Yᵀ, then W = C Fᵀ.
    const K = F.transpose().mmul(F).add(Matrix.eye(F.columns).mul(lambda));
    return solve(K, Y.transpose()).transpose().mmul(F.transpose());
  }
  const G = F.mmul(F.transpose()).add(Matrix.eye(F.rows).mul(lambda));
  // W Gᵀ = Y Fᵀ with G symmetric: solve G Wᵀ = F Yᵀ.
  return solve(G, F.mmul(Y.transpose())).transpose();
}
