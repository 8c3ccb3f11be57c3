/**
 * The proof of Lemma 3 (appendix A.2) as matrix computations: the recursion H_1 = Q_1R_1,
 * H_{i+1}Q_i = Q_{i+1}R_{i+1}, whose factors multiply to the R of the product, and the printed
 * induction step Q_{i+2}(R_{i+2}Q_{i+1}R_{i+1}⋯R_1) evaluated where it is defined (square layers).
 * Also the marginal laws of a Bartlett factor's entries, for one-sample tests.
 */
import { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { qr, qrR } from "../linalg/qr";
import { chiCdf, normalCdf } from "../stats/distributions";
import { layerProduct } from "./bartlett";
import { multiply } from "../linalg/product";

/** max |A_ij − B_ij| / max |B_ij|. */
function relativeGap(A: Matrix, B: Matrix): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < B.rows; i++)
    for (let j = 0; j < B.columns; j++) {
      num = Math.max(num, Math.abs(A.get(i, j) - B.get(i, j)));
      den = Math.max(den, Math.abs(B.get(i, j)));
    }
  return num / den;
}

/** The recursion of appendix A.2 on given layers, against the QR of their product. */
export interface Lemma3Recursion {
  /** R_1, …, R_{l−1}: R_1 of H_1 = Q_1R_1, then R_{i+1} of H_{i+1}Q_i = Q_{i+1}R_{i+1}; n_1×n_1 each. */
  factors: Matrix[];
  /** Q_{l−1}, n_l×n_1 with orthonormal columns. */
  Q: Matrix;
  /** R_{l−1}⋯R_1, n_1×n_1. */
  product: Matrix;
  /** The R factor of H = H_{l−1}⋯H_1 computed directly (qrR of the product), n_1×n_1. */
  R: Matrix;
  /** max |R_{l−1}⋯R_1 − R| / max |R|: rounding when the proof's recursion is right. */
  relativeGap: number;
}

/**
 * Appendix A.2's induction, run on concrete layers: QR of H_1, then of H_{i+1}Q_i for each next
 * layer, and the product of the R factors against the R of H_{l−1}⋯H_1 from one QR (a different
 * route: uniqueness of QR with a positive diagonal makes them equal).
 * @param layers H_1, …, H_{l−1}, H_i of size n_{i+1}×n_i with n_{i+1} ≥ n_1
 */
export function lemma3Recursion(layers: readonly Matrix[]): Lemma3Recursion {
  if (layers.length === 0) fail("lemma3Recursion", "layers", layers, "must not be empty");
  const factors: Matrix[] = [];
  let Q: Matrix | null = null;
  for (const H of layers) {
    const f = qr(Q ? multiply(H, Q) : H);
    factors.push(f.R);
    Q = f.Q;
  }
  let product = factors[0];
  for (let i = 1; i < factors.length; i++) product = multiply(factors[i], product);
  const R = qrR(layerProduct(layers));
  return { factors, Q: Q!, product, R, relativeGap: relativeGap(product, R) };
}

/** The first induction step H_2H_1 two ways: as printed and as the proof's argument gives it. */
export type PrintedInductionStep = {
  /** max |Q_2R_2Q_1R_1 − H_2H_1| / max |H_2H_1|: the printed Q_{i+2}(R_{i+2}Q_{i+1}R_{i+1}) at i = 0. */
  printedGap: number;
  /** max |Q_2R_2R_1 − H_2H_1| / max |H_2H_1|: the corrected Q_{i+2}(R_{i+2}R_{i+1}). */
  correctedGap: number;
};

/**
 * Appendix A.2 prints H_{i+2}H_{i+1}⋯H_1 = Q_{i+2}(R_{i+2}Q_{i+1}R_{i+1}⋯R_1). R_{i+2} is n_1×n_1
 * and Q_{i+1} is n_{i+2}×n_1, so the product is defined only when n_{i+2} = n_1. For square layers
 * (n×n) it is defined: this evaluates it at i = 0 (H_2H_1 against Q_2R_2Q_1R_1) beside the
 * corrected Q_2R_2R_1, where H_1 = Q_1R_1 and H_2Q_1 = Q_2R_2.
 * @param layers [H_1, H_2], both n×n
 */
export function printedInductionStep(layers: readonly [Matrix, Matrix]): PrintedInductionStep {
  const [H1, H2] = layers;
  const n = H1.rows;
  if (H1.columns !== n || H2.rows !== n || H2.columns !== n)
    fail(
      "printedInductionStep",
      "layers",
      [H1, H2],
      "must be two n×n matrices (the printed R_2Q_1 is defined only when n_2 = n_1)",
    );
  const f1 = qr(H1);
  const f2 = qr(multiply(H2, f1.Q));
  const H = multiply(H2, H1);
  return {
    printedGap: relativeGap(f2.Q.mmul(f2.R).mmul(f1.Q).mmul(f1.R), H),
    correctedGap: relativeGap(f2.Q.mmul(f2.R).mmul(f1.R), H),
  };
}

/** The marginal law of one entry of an n×n Bartlett factor with `rows` rows. */
export interface EntryLaw {
  /** e.g. "χ₁₂" or "N(0, 1)". */
  name: string;
  cdf: (x: number) => number;
}

/**
 * Bartlett's decomposition (appendix A.2, from Hassibi & Vikalo; Xu et al.): for the QR of a
 * rows×n Gaussian matrix, R_jj ~ χ_{rows−j+1} and R_jk ~ N(0, 1) for j < k (1-based j, k).
 * @param i 0-based row, @param j 0-based column, i ≤ j < n ≤ rows
 */
export function bartlettEntryLaw(i: number, j: number, rows: number): EntryLaw {
  requireInteger("bartlettEntryLaw", "i", i, 0);
  requireInteger("bartlettEntryLaw", "j", j, i);
  requireInteger("bartlettEntryLaw", "rows", rows, j + 1);
  if (i < j) return { name: "N(0, 1)", cdf: (x) => normalCdf(x) };
  const k = rows - i; // 1-based row i + 1: χ with rows − (i + 1) + 1 degrees
  return { name: `χ with ${k} degrees of freedom`, cdf: (x) => chiCdf(x, k) };
}
