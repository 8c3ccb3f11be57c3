/**
 * The optimal (minimum-distance) classifier's exact robustness at one point of section 6's data:
 * half the distance from x = Az to the nearest point of the other class. With x' = Az' and
 * z'_d = −z_d, x − x' = 2Au with u_i ∈ {0, z_i} (i < d) and u_d = z_d, so the radius is
 * min ‖Au‖ over those 2^{d−1} vectors u, enumerated in Gray-code order (one column added or
 * removed per step).
 */
import type { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";

/**
 * @param A d × d
 * @param z the point's signs z ∈ {±1}^d
 * @returns the radius min ‖Au‖ and the u attaining it
 */
export function optimalRadiusAt(A: Matrix, z: readonly number[]): { radius: number; u: number[] } {
  const d = A.rows;
  if (A.columns !== d) fail("optimalRadiusAt", "A", A, "must be square (d×d)");
  requireInteger("optimalRadiusAt", "d", d, 1, 26);
  if (z.length !== d || z.some((s) => s !== 1 && s !== -1))
    fail("optimalRadiusAt", "z", [...z], `must be ${d} signs ±1`);
  const cols = Array.from({ length: d }, (_, j) =>
    Float64Array.from(A.getColumn(j), (v) => v * z[j]),
  );
  const v = Float64Array.from(cols[d - 1]); // u = e_d z_d
  const on = new Uint8Array(d - 1);
  const norm2 = () => v.reduce((s, x) => s + x * x, 0);
  let best = norm2();
  let bestOn = Uint8Array.from(on);
  const steps = 2 ** (d - 1);
  for (let g = 1; g < steps; g++) {
    const j = 31 - Math.clz32(g & -g); // the bit that flips from g − 1 to g in Gray code
    const sign = on[j] ? -1 : 1;
    on[j] ^= 1;
    const c = cols[j];
    for (let i = 0; i < d; i++) v[i] += sign * c[i];
    const n2 = norm2();
    if (n2 < best) {
      best = n2;
      bestOn = Uint8Array.from(on);
    }
  }
  const u = Array.from({ length: d }, (_, j) => (j === d - 1 ? z[j] : bestOn[j] ? z[j] : 0));
  return { radius: Math.sqrt(best), u };
}
