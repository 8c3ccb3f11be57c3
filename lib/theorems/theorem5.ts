/**
 * Theorem 5 (section 3): for any last layer, the decision between classes i and j depends on x
 * only through the probe vectors p_i = (w_iᵀ H_{l−1}⋯H_1)ᵀ and p_j; a perturbation in
 * span(p_i, p_j) along p_j − p_i of size |⟨p_i − p_j, x⟩| / ‖p_i − p_j‖ (+ ε) moves the decision
 * from i to j (eq. 7).
 */
import { Matrix } from "ml-matrix";
import { fail, requireFinite } from "../check";
import { qr } from "../linalg/qr";
import { dot, norm, sub } from "../linalg/vectors";

/** The quantities of Theorem 5's statement and proof for one input and one pair of classes. */
export interface Theorem5Step {
  /** d×2: [p_i, p_j] = Q [[r11, r12], [0, r22]] (thin QR with r11, r22 ≥ 0). */
  Q: Matrix;
  r11: number;
  r12: number;
  r22: number;
  /** Coefficients of the projection of x onto span(Q): x̃ = Q (a1, a2) (the paper's a_i1, a_i2). */
  a1: number;
  a2: number;
  /** The size of eq. (7) without ε: |r11 a1 − (r12 a1 + r22 a2)| / ‖p_i − p_j‖. */
  size: number;
  /** √(a1² + a2²) = ‖x̃‖, the statement's second bound on the size. */
  bound: number;
  /** d-vector Δ along ±(p_j − p_i) with ‖Δ‖ = size + ε (towards the tie f_i = f_j). */
  delta: number[];
  /** Δ's coefficients in Q's columns: Δ = Q (Δ1, Δ2), from p_j − p_i = Q (r12 − r11, r22). */
  deltaCoefficients: [number, number];
}

/**
 * The construction of Theorem 5's proof (eq. 7) for probes p_i, p_j and input x, with slack ε ≥ 0.
 * @param pi d-vector, the probe of the class the network predicts at x
 * @param pj d-vector, the probe of the target class (not parallel to pi)
 * @param x d-vector, the input
 * @param eps ε ≥ 0 of eq. (7), absolute (added to the size)
 */
export function theorem5Step(
  pi: readonly number[],
  pj: readonly number[],
  x: readonly number[],
  eps: number,
): Theorem5Step {
  requireFinite("theorem5Step", "eps", eps);
  if (eps < 0) fail("theorem5Step", "eps", eps, "must be >= 0");
  if (pi.length !== x.length || pj.length !== x.length)
    fail("theorem5Step", "x", [...x], `must have the probes' length ${pi.length}`);
  const P = new Matrix([...pi].map((v, k) => [v, pj[k]]));
  const { Q, R } = qr(P);
  const [r11, r12, r22] = [R.get(0, 0), R.get(0, 1), R.get(1, 1)];
  if (r22 <= 1e-12 * r11)
    fail(
      "theorem5Step",
      "pj",
      [...pj],
      "must not be parallel to pi (the QR of [p_i, p_j] needs rank 2)",
    );
  const a1 = dot(Q.getColumn(0), x);
  const a2 = dot(Q.getColumn(1), x);
  const diff = sub(pj, pi);
  const dn = norm(diff);
  const margin = r11 * a1 - (r12 * a1 + r22 * a2); // ⟨p_i − p_j, x⟩ (proof of Theorem 5)
  const size = Math.abs(margin) / dn;
  // Along +(p_j − p_i) while i is ahead (margin > 0); otherwise the tie lies the other way.
  const t = ((margin >= 0 ? 1 : -1) * (size + eps)) / dn;
  return {
    Q,
    r11,
    r12,
    r22,
    a1,
    a2,
    size,
    bound: Math.hypot(a1, a2),
    delta: diff.map((v) => t * v),
    deltaCoefficients: [t * (r12 - r11), t * r22],
  };
}
