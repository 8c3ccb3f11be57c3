/**
 * The exact smallest perturbation that changes a linear classifier's decision, in closed form:
 * for f(x) = W x + b with predicted class i, the boundary with class j is the hyperplane
 * (w_i − w_j)·x + b_i − b_j = 0 at distance (f_i − f_j)/‖w_i − w_j‖, so the smallest ℓ2
 * perturbation that reaches another class's decision region is the minimum over j ≠ i. Any larger
 * multiple of that step changes the decision (the minimum itself is the infimum: a tie).
 */
import { Matrix } from "ml-matrix";
import { fail, requireFiniteArray } from "../check";

export interface LinearMinimalPerturbation {
  /** Class predicted at x (argmax of W x + b). */
  label: number;
  /** The class whose region is nearest. */
  target: number;
  /** The infimum of ‖e‖ over perturbations e that change the decision. */
  norm: number;
  /** The perturbation of that norm (it reaches the tie between label and target). */
  e: number[];
  /** Distance to each class's boundary (Infinity for the label itself and parallel boundaries). */
  distances: number[];
}

/**
 * The outputs W x + b of a linear classifier (the networks of Theorems 1 and 4 end to end).
 * @param W k×d, one row per class
 * @param b length k, or null for no bias
 * @param x length d
 * @returns length k
 */
export function linearOutputs(
  W: Matrix,
  b: readonly number[] | null,
  x: readonly number[],
): number[] {
  if (x.length !== W.columns)
    fail(
      "linearOutputs",
      "x",
      [...x],
      `must have length ${W.columns} (W is ${W.rows}×${W.columns})`,
    );
  if (b && b.length !== W.rows) fail("linearOutputs", "b", [...b], `must have length ${W.rows}`);
  const out = new Array<number>(W.rows);
  for (let i = 0; i < W.rows; i++) {
    let s = b ? b[i] : 0;
    for (let j = 0; j < W.columns; j++) s += W.get(i, j) * x[j];
    out[i] = s;
  }
  return out;
}

/** The index of the largest entry (the first one on ties): the predicted class. */
export function argmax(v: readonly number[]): number {
  let best = 0;
  for (let i = 1; i < v.length; i++) if (v[i] > v[best]) best = i;
  return best;
}

/**
 * The exact minimal decision-changing perturbation of f(x) = W x + b at x: the distance to the
 * nearest decision boundary (Theorem 1's and Theorem 4's exact robustness; section 6's tables).
 * @param W k×d, one row per class, k ≥ 2
 * @param b length k, or null for no bias
 * @param x length d
 */
export function minimalPerturbationLinear(
  W: Matrix,
  b: readonly number[] | null,
  x: readonly number[],
): LinearMinimalPerturbation {
  if (W.rows < 2) fail("minimalPerturbationLinear", "W", W, "must have at least 2 rows (classes)");
  requireFiniteArray("minimalPerturbationLinear", "x", x);
  const f = linearOutputs(W, b, x);
  const label = argmax(f);
  const wi = W.getRow(label);
  const distances = f.map((fj, j) => {
    if (j === label) return Infinity;
    const dw = wi.map((v, k) => v - W.get(j, k));
    const n = Math.hypot(...dw);
    return n === 0 ? Infinity : (f[label] - fj) / n;
  });
  const target = argmax(distances.map((v) => -v));
  const norm = distances[target];
  if (!Number.isFinite(norm))
    fail(
      "minimalPerturbationLinear",
      "W",
      W,
      "has every other row equal to the predicted class's row: no perturbation changes the decision",
    );
  const dw = wi.map((v, k) => v - W.get(target, k));
  const dn = Math.hypot(...dw);
  const e = dw.map((v) => (-norm * v) / dn);
  return { label, target, norm, e, distances };
}
