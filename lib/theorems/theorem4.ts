/**
 * Theorem 4 (section 3): a multi-layer linear network with Gaussian hidden layers H_i
 * (n_{i+1} ≥ n_i, n_1 = d) and a last layer fitted to condition (5) f_j(x_i) = δ_ij.
 */
import { Matrix } from "ml-matrix";
import { fail } from "../check";
import { qr } from "../linalg/qr";
import { invertUpper } from "../linalg/triangular";
import { bottomBlockNorm1, layerProduct } from "../rmt/bartlett";

export interface Theorem4Network {
  /** H = H_{l−1}⋯H_1 (n_l × d) */
  H: Matrix;
  /** Last layer W (d × n_l), the minimum-norm solution of W H X = I: W = R⁻¹Qᵀ for HX = QR. */
  Wlast: Matrix;
  /** End-to-end map W H (d × d): condition (5) forces it to be X⁻¹. */
  endToEnd: Matrix;
  /** R factors (non-negative diagonal) of each hidden layer, H_i = Q_iR_i (Lemma 3's R_i in law). */
  layerR: Matrix[];
  /** The paper's bound Π ‖R_i‖_{1B} over the hidden layers' R factors. */
  paperBound: number;
  /** R of H = H_{l−1}⋯H_1, and |R_{d−1,d−1}| + |R_{d−1,d}| + |R_dd| for it (what the paper bounds). */
  RH: Matrix;
  paperQuantity: number;
}

/**
 * Fits the last layer to condition (5) and collects what the proof of Theorem 4 uses. The R_i of
 * Lemma 3 are the factors in R_H = R_{l−1}⋯R_1 (H_1 = Q_1R_1, then (H_{i+1}Q_i) = Q_{i+1}R_{i+1}).
 */
export function theorem4Network(X: Matrix, layers: readonly Matrix[]): Theorem4Network {
  const d = X.rows;
  if (X.columns !== d)
    fail("theorem4Network", "X", X, "must be square (d points in R^d as columns)");
  if (layers.length === 0)
    fail("theorem4Network", "layers", layers, "must hold at least one hidden layer");
  if (layers[0].columns !== d)
    fail("theorem4Network", "layers[0]", layers[0], `must have d = ${d} columns`);
  const H = layerProduct(layers);
  const { Q, R } = qr(H.mmul(X));
  const Wlast = invertUpper(R).mmul(Q.transpose());
  // Lemma 3's recursion: R_1 from H_1 = Q_1R_1, then H_{i+1}Q_i = Q_{i+1}R_{i+1}.
  const layerR: Matrix[] = [];
  let Qi: Matrix | null = null;
  for (const Hi of layers) {
    const f = qr(Qi ? Hi.mmul(Qi) : Hi);
    layerR.push(f.R);
    Qi = f.Q;
  }
  const RH = qr(H).R;
  const n = RH.rows;
  return {
    H,
    Wlast,
    endToEnd: Wlast.mmul(H),
    layerR,
    paperBound: layerR.reduce((p, Ri) => p * bottomBlockNorm1(Ri), 1),
    RH,
    paperQuantity:
      Math.abs(RH.get(n - 2, n - 2)) +
      Math.abs(RH.get(n - 2, n - 1)) +
      Math.abs(RH.get(n - 1, n - 1)),
  };
}
