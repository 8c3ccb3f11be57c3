/**
 * Theorem 4 (section 3): a multi-layer linear network with Gaussian hidden layers H_i
 * (n_{i+1} ≥ n_1 = d) and a last layer fitted to condition (5) f_j(x_i) = δ_ij.
 */
import { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { qr } from "../linalg/qr";
import { invertUpper } from "../linalg/triangular";
import { bottomBlockNorm1, layerProduct } from "../rmt/bartlett";
import { chiMean } from "./theorem1";
import { multiply } from "../linalg/product";

/** max |A_ij − B_ij| (B = null: max |A_ij|). */
function maxAbs(A: Matrix, B: Matrix | null = null): number {
  let m = 0;
  for (let i = 0; i < A.rows; i++)
    for (let j = 0; j < A.columns; j++)
      m = Math.max(m, Math.abs(A.get(i, j) - (B ? B.get(i, j) : 0)));
  return m;
}

/** |R_{d−1,d−1}| + |R_{d−1,d}| + |R_dd| of a d×d upper triangular R (the proof's quantity). */
export function proofQuantity(R: Matrix): number {
  const n = R.rows;
  if (n < 2 || R.columns !== n) fail("proofQuantity", "R", R, "must be square with n >= 2");
  return (
    Math.abs(R.get(n - 2, n - 2)) + Math.abs(R.get(n - 2, n - 1)) + Math.abs(R.get(n - 1, n - 1))
  );
}

/** The bottom 2×2 block of a square matrix. */
function bottomBlock(R: Matrix): Matrix {
  const n = R.rows;
  return R.subMatrix(n - 2, n - 1, n - 2, n - 1);
}

/** Lemma 3's factors of a product of layers and what the proof of Theorem 4 computes from them. */
export interface Theorem4Factors {
  /**
   * Lemma 3's factors R_i (d×d, non-negative diagonal) by its recursion: H_1 = Q_1R_1, then
   * H_{i+1}Q_i = Q_{i+1}R_{i+1}, so that H_{l−1}⋯H_1 = Q_{l−1}R_{l−1}⋯R_1.
   */
  layerR: Matrix[];
  /** R_{l−1}⋯R_1, the R of H = H_{l−1}⋯H_1 */
  productR: Matrix;
  /** bottom(R_{l−1})⋯bottom(R_1), the product of the factors' bottom 2×2 blocks */
  productBottom: Matrix;
  /** The proof's quantity |R_{d−1,d−1}| + |R_{d−1,d}| + |R_dd| for R of H. */
  proofQuantity: number;
  /** The same quantity for R of HX (reading X as a first Gaussian layer), by the same recursion. */
  proofQuantityHX: number;
  /** The proof's bound Π ‖R_i‖_1B over the factors (sum of |entries| of each bottom 2×2 block). */
  paperBound: number;
}

function recursion(layers: readonly Matrix[]): { layerR: Matrix[]; productR: Matrix } {
  const layerR: Matrix[] = [];
  let Qi: Matrix | null = null;
  for (const Hi of layers) {
    const f = qr(Qi ? multiply(Hi, Qi) : Hi);
    layerR.push(f.R);
    Qi = f.Q;
  }
  let productR = layerR[0];
  for (let i = 1; i < layerR.length; i++) productR = multiply(layerR[i], productR);
  return { layerR, productR };
}

/**
 * The proof's bound Π ‖R_i‖_1B for Lemma 3's factors of the layers alone (the recursion's QRs, no
 * X): what theorem4Factors' paperBound gives, without the quantities that need X.
 */
export function layersBound(layers: readonly Matrix[]): number {
  if (layers.length === 0) fail("layersBound", "layers", layers, "must hold at least one layer");
  return recursion(layers).layerR.reduce((p, Ri) => p * bottomBlockNorm1(Ri), 1);
}

/**
 * The R factors of the proof of Theorem 4 by Lemma 3's recursion (numerically stable: each QR is
 * of a Gaussian layer times orthonormal columns), without fitting the last layer.
 * @param X d×d, the data points as columns
 * @param layers H_1 (n_2×d), …, H_{l−1} (n_l×n_{l−1})
 */
export function theorem4Factors(X: Matrix, layers: readonly Matrix[]): Theorem4Factors {
  const d = X.rows;
  if (X.columns !== d)
    fail("theorem4Factors", "X", X, "must be square (d points in R^d as columns)");
  if (layers.length === 0)
    fail("theorem4Factors", "layers", layers, "must hold at least one hidden layer");
  if (layers[0].columns !== d)
    fail("theorem4Factors", "layers[0]", layers[0], `must have d = ${d} columns`);
  const { layerR, productR } = recursion(layers);
  let productBottom = bottomBlock(layerR[0]);
  for (let i = 1; i < layerR.length; i++)
    productBottom = bottomBlock(layerR[i]).mmul(productBottom);
  return {
    layerR,
    productR,
    productBottom,
    proofQuantity: proofQuantity(productR),
    proofQuantityHX: proofQuantity(recursion([X, ...layers]).productR),
    paperBound: layerR.reduce((p, Ri) => p * bottomBlockNorm1(Ri), 1),
  };
}

export interface Theorem4Network extends Theorem4Factors {
  /** H = H_{l−1}⋯H_1 (n_l × d) */
  H: Matrix;
  /** Last layer W (d × n_l), the minimum-norm solution of W H X = I: W = R⁻¹Qᵀ for HX = QR. */
  Wlast: Matrix;
  /** End-to-end map W H (d × d): condition (5) forces it to be X⁻¹. */
  endToEnd: Matrix;
  /** max |W H X − I| (condition 5) */
  conditionError: number;
  /** R of H by its own QR (the same matrix as productR, by another route) */
  RH: Matrix;
  /** max |R_H − R_{l−1}⋯R_1| / max |R_H| */
  factorisationError: number;
  /** max |bottom(R_H) − bottom(R_{l−1})⋯bottom(R_1)| / max |bottom(R_H)| over the 2×2 blocks */
  bottomBlockError: number;
}

/**
 * Fits the last layer to condition (5) (Theorem 4) and collects what its proof uses. The last
 * layer needs R of HX inverted: for very deep square networks use theorem4Factors alone.
 * @param X d×d, the data points as columns
 * @param layers H_1 (n_2×d), …, H_{l−1} (n_l×n_{l−1})
 */
export function theorem4Network(X: Matrix, layers: readonly Matrix[]): Theorem4Network {
  const d = X.rows;
  if (X.columns !== d)
    fail("theorem4Network", "X", X, "must be square (d points in R^d as columns)");
  if (layers.length === 0)
    fail("theorem4Network", "layers", layers, "must hold at least one hidden layer");
  if (layers[0].columns !== d)
    fail("theorem4Network", "layers[0]", layers[0], `must have d = ${d} columns`);
  const factors = theorem4Factors(X, layers);
  const H = layerProduct(layers);
  const { Q, R } = qr(multiply(H, X));
  const Wlast = multiply(invertUpper(R), Q.transpose());
  const endToEnd = multiply(Wlast, H);
  const RH = qr(H).R;
  return {
    ...factors,
    H,
    Wlast,
    endToEnd,
    conditionError: maxAbs(multiply(endToEnd, X), Matrix.eye(d)),
    RH,
    factorisationError: maxAbs(RH, factors.productR) / maxAbs(RH),
    bottomBlockError: maxAbs(bottomBlock(RH), factors.productBottom) / maxAbs(bottomBlock(RH)),
  };
}

/**
 * E ‖R_i‖_1B under Lemma 3's law of R_i (d×d factor of a layer with n_{i+1} = rows rows): its
 * bottom block has R_{d−1,d−1} ~ χ_{rows−d+2}, R_{d−1,d} ~ N(0, 1), R_dd ~ χ_{rows−d+1} and a zero,
 * so the mean is E χ_{rows−d+2} + √(2/π) + E χ_{rows−d+1}; it grows like 2√rows.
 */
export function bottomBlockNormMean(rows: number, d: number): number {
  requireInteger("bottomBlockNormMean", "d", d, 2);
  requireInteger("bottomBlockNormMean", "rows", rows, d);
  return chiMean(rows - d + 2) + Math.sqrt(2 / Math.PI) + chiMean(rows - d + 1);
}
