import { Matrix } from "ml-matrix";
import { fail, requireFiniteArray, requireNonEmpty } from "../check";
import { qr } from "./qr";

function requireSameLength(fn: string, u: ArrayLike<number>, v: ArrayLike<number>): void {
  if (u.length !== v.length)
    fail(fn, "v", Array.from(v), `must have the same length as u (${u.length}), got ${v.length}`);
}

export function dot(u: ArrayLike<number>, v: ArrayLike<number>): number {
  requireSameLength("dot", u, v);
  let s = 0;
  for (let i = 0; i < u.length; i++) s += u[i] * v[i];
  return s;
}

/** Euclidean norm ‖v‖₂ (scaled to avoid overflow). */
export function norm(v: ArrayLike<number>): number {
  requireFiniteArray("norm", "v", v);
  let scale = 0;
  for (let i = 0; i < v.length; i++) scale = Math.max(scale, Math.abs(v[i]));
  if (scale === 0) return 0;
  let s = 0;
  for (let i = 0; i < v.length; i++) s += (v[i] / scale) ** 2;
  return scale * Math.sqrt(s);
}

/** cos∠(u, v) = ⟨u, v⟩ / (‖u‖‖v‖); section 6's cos θ₁ and cos θ₂. */
export function cosine(u: ArrayLike<number>, v: ArrayLike<number>): number {
  requireNonEmpty("cosine", "u", u);
  requireSameLength("cosine", u, v);
  const nu = norm(u);
  const nv = norm(v);
  if (nu === 0)
    fail("cosine", "u", Array.from(u), "must not be the zero vector (the angle is undefined)");
  if (nv === 0)
    fail("cosine", "v", Array.from(v), "must not be the zero vector (the angle is undefined)");
  return Math.max(-1, Math.min(1, dot(u, v) / (nu * nv)));
}

export function add(u: ArrayLike<number>, v: ArrayLike<number>): number[] {
  requireSameLength("add", u, v);
  return Array.from(u, (x, i) => x + v[i]);
}

export function sub(u: ArrayLike<number>, v: ArrayLike<number>): number[] {
  requireSameLength("sub", u, v);
  return Array.from(u, (x, i) => x - v[i]);
}

export function scale(v: ArrayLike<number>, c: number): number[] {
  return Array.from(v, (x) => c * x);
}

/** Matrix–vector product A v. */
export function matVec(A: Matrix, v: ArrayLike<number>): number[] {
  if (v.length !== A.columns)
    fail(
      "matVec",
      "v",
      Array.from(v),
      `must have length ${A.columns} (A is ${A.rows}×${A.columns})`,
    );
  const out = new Array<number>(A.rows).fill(0);
  for (let i = 0; i < A.rows; i++) {
    let s = 0;
    for (let j = 0; j < A.columns; j++) s += A.get(i, j) * v[j];
    out[i] = s;
  }
  return out;
}

/** Relative size of R_jj below which a spanning vector is treated as dependent on the earlier ones. */
export const RANK_TOLERANCE = 1e-12;

/**
 * Orthogonal projection of v onto span(vectors), by a thin QR of the spanning vectors; vectors that
 * depend on earlier ones (R_jj ≤ RANK_TOLERANCE·max R_kk) are dropped. Theorem 7's P_{∇f₁,∇f₂}.
 */
export function projectOnto(
  vectors: ReadonlyArray<ArrayLike<number>>,
  v: ArrayLike<number>,
): number[] {
  requireNonEmpty("projectOnto", "vectors", vectors);
  const n = v.length;
  vectors.forEach((u, i) => {
    if (u.length !== n)
      fail("projectOnto", `vectors[${i}]`, Array.from(u), `must have length ${n} like v`);
  });
  if (vectors.length > n)
    fail("projectOnto", "vectors", vectors.length, `must be at most ${n} vectors in R^${n}`);
  requireFiniteArray("projectOnto", "v", v);
  const B = new Matrix(n, vectors.length);
  vectors.forEach((u, j) => {
    for (let i = 0; i < n; i++) B.set(i, j, u[i]);
  });
  const { Q, R } = qr(B);
  let rmax = 0;
  for (let j = 0; j < R.rows; j++) rmax = Math.max(rmax, R.get(j, j));
  if (rmax === 0)
    fail(
      "projectOnto",
      "vectors",
      vectors.map((u) => Array.from(u)),
      "must not all be zero",
    );
  const out = new Array<number>(n).fill(0);
  for (let j = 0; j < R.rows; j++) {
    if (R.get(j, j) <= RANK_TOLERANCE * rmax) continue;
    const q = Q.getColumn(j);
    const c = dot(q, v);
    for (let i = 0; i < n; i++) out[i] += c * q[i];
  }
  return out;
}
