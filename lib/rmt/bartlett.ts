/**
 * Random-matrix facts the proofs use (Lemma 3, Theorem 1): the R factor of the QR decomposition
 * (non-negative diagonal) of a rows×n Gaussian matrix has independent entries, R_jj ~ χ_{rows−j+1}
 * (j = 1..n) and R_jk ~ N(0, 1) for j < k (Bartlett's decomposition).
 */
import { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { qrR } from "../linalg/qr";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { multiply } from "../linalg/product";

/**
 * An n×n Bartlett factor for `rows` ≥ n rows, drawn directly in O(n²) (no QR): the law of the R of
 * a rows×n Gaussian matrix (Lemma 3's R_i with rows = n_{i+1}; Theorem 1's R with rows = d).
 * @returns n×n upper triangular, R_jj ~ χ_{rows−j+1} (1-based j), N(0, 1) above the diagonal
 */
export function bartlettFactor(rng: Rng, n: number, rows: number): Matrix {
  requireInteger("bartlettFactor", "n", n, 1);
  requireInteger("bartlettFactor", "rows", rows, 1);
  if (rows < n)
    fail("bartlettFactor", "rows", rows, `must be >= n = ${n} (the QR of a rows×n matrix)`);
  const R = new Matrix(n, n);
  for (let j = 0; j < n; j++) {
    R.set(j, j, rng.chi(rows - j)); // 0-based j: χ with rows − (j+1) + 1 degrees
    for (let k = j + 1; k < n; k++) R.set(j, k, rng.normal());
  }
  return R;
}

function checkWidths(fn: string, widths: readonly number[]): void {
  if (widths.length < 2) fail(fn, "widths", widths, "must list at least n_1 and n_2 (one layer)");
  widths.forEach((w, i) => requireInteger(fn, `widths[${i}]`, w, 1));
  // The proof of Lemma 3 needs every n_{i+1} ≥ n_1 (H_{i+1}Q_i is n_{i+1}×n_1 and its R_{i+1} has
  // χ_{n_{i+1}−j+1} for j ≤ n_1), not the printed n_{i+1} ≥ n_i: below n_1 the product loses rank.
  for (let i = 1; i < widths.length; i++) {
    if (widths[i] < widths[0])
      fail(
        fn,
        `widths[${i}]`,
        widths[i],
        `must be >= widths[0] = ${widths[0]} (Lemma 3's proof needs n_{i+1} ≥ n_1)`,
      );
  }
}

/**
 * Lemma 3's claimed law: R_{l−1}⋯R_1 for independent Bartlett factors, R_i of size n_1×n_1 with
 * n_{i+1} rows, for widths [n_1, …, n_l] (every n_{i+1} ≥ n_1).
 * @returns n_1×n_1 upper triangular
 */
export function bartlettProduct(rng: Rng, widths: readonly number[]): Matrix {
  checkWidths("bartlettProduct", widths);
  const n = widths[0];
  let P = bartlettFactor(rng, n, widths[1]);
  for (let i = 2; i < widths.length; i++) P = multiply(bartlettFactor(rng, n, widths[i]), P);
  return P;
}

/**
 * The Gaussian layers of Lemma 3 and Theorem 4: H_1, …, H_{l−1}, H_i of size n_{i+1}×n_i with
 * i.i.d. N(0, 1) entries, for widths [n_1, …, n_l] (every n_{i+1} ≥ n_1).
 */
export function gaussianLayers(rng: Rng, widths: readonly number[]): Matrix[] {
  checkWidths("gaussianLayers", widths);
  return widths.slice(1).map((rows, i) => gaussianMatrix(rng, rows, widths[i]));
}

/**
 * The product H = H_{l−1}⋯H_1 of Lemma 3.
 * @param layers H_1, …, H_{l−1}, H_i of size n_{i+1}×n_i
 * @returns n_l×n_1
 */
export function layerProduct(layers: readonly Matrix[]): Matrix {
  if (layers.length === 0) fail("layerProduct", "layers", layers, "must not be empty");
  let H = layers[0];
  for (let i = 1; i < layers.length; i++) {
    if (layers[i].columns !== H.rows)
      fail(
        "layerProduct",
        `layers[${i}]`,
        layers[i],
        `must have ${H.rows} columns to follow the previous layer`,
      );
    H = multiply(layers[i], H);
  }
  return H;
}

/**
 * Lemma 3's left side: the R factor (non-negative diagonal) of H = H_{l−1}⋯H_1 for fresh Gaussian
 * layers of widths [n_1, …, n_l].
 * @returns n_1×n_1 upper triangular
 */
export function gaussianProductR(rng: Rng, widths: readonly number[]): Matrix {
  return qrR(layerProduct(gaussianLayers(rng, widths)));
}

/**
 * ‖R‖_1B of Theorem 4: the sum of |entries| of the bottom 2×2 block of R.
 * @param R n×n, n ≥ 2
 */
export function bottomBlockNorm1(R: Matrix): number {
  const n = R.rows;
  if (n < 2 || R.columns !== n) fail("bottomBlockNorm1", "R", R, "must be square with n >= 2");
  return (
    Math.abs(R.get(n - 2, n - 2)) +
    Math.abs(R.get(n - 2, n - 1)) +
    Math.abs(R.get(n - 1, n - 2)) +
    Math.abs(R.get(n - 1, n - 1))
  );
}
