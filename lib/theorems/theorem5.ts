/**
 * Theorem 5 (section 3): for any last layer, the decision between classes i and j depends on x
 * only through the probe vectors p_i = (w_iᵀ H)ᵀ and p_j; a perturbation in span(p_i, p_j) along
 * p_j − p_i of size |⟨p_i − p_j, x⟩| / ‖p_i − p_j‖ (+ ε) moves the decision from i to j.
 */
import { Matrix } from "ml-matrix";
import { fail, requireFinite } from "../check";
import { qr } from "../linalg/qr";
import { dot, norm, sub } from "../linalg/vectors";

export interface Theorem5Step {
  /** [p_i, p_j] = Q [[r11, r12], [0, r22]] */
  Q: Matrix;
  r11: number;
  r12: number;
  r22: number;
  /** Coefficients of the projection of x onto span(Q): x̃ = Q (a1, a2). */
  a1: number;
  a2: number;
  /** The size of eq. (7) without ε: |r11 a1 − (r12 a1 + r22 a2)| / ‖p_i − p_j‖. */
  size: number;
  /** √(a1² + a2²), the paper's upper bound on the size. */
  bound: number;
  /** Δ = Q (Δ1, Δ2) along p_j − p_i with norm size + ε. */
  delta: number[];
  deltaCoefficients: [number, number];
}

/** The construction of the proof for probes p_i, p_j and input x, with slack ε ≥ 0. */
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
  const size = Math.abs(r11 * a1 - (r12 * a1 + r22 * a2)) / dn;
  // Δ along +(p_j − p_i) when ⟨p_i − p_j, x⟩ > 0 (i currently ahead), else the decision already favours j.
  const sign = r11 * a1 - (r12 * a1 + r22 * a2) >= 0 ? 1 : -1;
  const t = (sign * (size + eps)) / dn;
  const delta = diff.map((v) => t * v);
  // Δ's coefficients in Q: (p_j − p_i) = Q (r12 − r11, r22).
  return {
    Q,
    r11,
    r12,
    r22,
    a1,
    a2,
    size,
    bound: Math.hypot(a1, a2),
    delta,
    deltaCoefficients: [t * (r12 - r11), t * r22],
  };
}
