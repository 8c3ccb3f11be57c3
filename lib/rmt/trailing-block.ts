/**
 * The trailing 2×2 block of R for the QR decomposition X = QR (non-negative diagonal) of a d×d
 * matrix X = [A, x, y], computed without the full QR: Householder reflections triangularise the
 * first d − 2 columns A exactly as the full QR does, and leave span(A)⊥ as the last two
 * coordinates; the trailing block is the R of the 2×2 matrix of x and y in those coordinates
 * (proof of Theorem 1: R_{d−1,d−1}, R_{d−1,d}, R_dd). One factorisation of A (≈ (2/3)d³
 * multiply-adds) serves any number of pairs (x, y) at O(d) each.
 */
import type { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";

/** R_{d−1,d−1}, R_{d−1,d}, R_dd (1-based, as in the paper) of the R of [A, x, y]. */
export interface TrailingBlock {
  rd1d1: number;
  rd1d: number;
  rdd: number;
}

/** An orthonormal basis (n1, n2) of span(A)⊥ for a d×(d−2) matrix A of full column rank. */
export interface Complement {
  d: number;
  /** The two basis vectors, length d: the last two columns of the Householder Q of A. */
  n1: Float64Array;
  n2: Float64Array;
}

/**
 * The last two columns of the full Householder Q of A: Q = H_1⋯H_{d−2}, so Q e_k is e_k with the
 * reflections applied in reverse order; they span span(A)⊥ (what X = [A, x, y]'s trailing block
 * of R needs).
 * @param A d×(d−2), d ≥ 3, full column rank
 */
export function complementOfLeading(A: Matrix): Complement {
  const d = A.rows;
  const n = A.columns;
  if (d < 3 || n !== d - 2)
    fail("complementOfLeading", "A", `${d}×${n}`, "must be d×(d−2) with d >= 3");
  const a = new Float64Array(d * n); // column-major
  for (let i = 0; i < d; i++) {
    const row = A.getRow(i);
    for (let j = 0; j < n; j++) a[j * d + i] = row[j];
  }
  const vs: Float64Array[] = [];
  const taus = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    const col = k * d;
    let norm2 = 0;
    for (let i = k; i < d; i++) norm2 += a[col + i] * a[col + i];
    const v = new Float64Array(d - k);
    const x0 = a[col + k];
    const alpha = x0 >= 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    for (let i = k; i < d; i++) v[i - k] = a[col + i];
    v[0] = x0 - alpha;
    const vnorm2 = norm2 - x0 * x0 + v[0] * v[0];
    if (!(vnorm2 > 0)) fail("complementOfLeading", "A", `${d}×${n}`, "must have full column rank");
    const tau = 2 / vnorm2;
    const len = d - k;
    let j = k + 1;
    for (; j + 1 < n; j += 2) {
      // two columns per pass over v (rows k..d−1 of columns j and j + 1)
      const c1 = a.subarray(j * d + k, j * d + d);
      const c2 = a.subarray((j + 1) * d + k, (j + 1) * d + d);
      let s1 = 0;
      let s2 = 0;
      for (let i = 0; i < len; i++) {
        s1 += v[i] * c1[i];
        s2 += v[i] * c2[i];
      }
      s1 *= tau;
      s2 *= tau;
      for (let i = 0; i < len; i++) {
        c1[i] -= s1 * v[i];
        c2[i] -= s2 * v[i];
      }
    }
    if (j < n) {
      const c1 = a.subarray(j * d + k, j * d + d);
      let s1 = 0;
      for (let i = 0; i < len; i++) s1 += v[i] * c1[i];
      s1 *= tau;
      for (let i = 0; i < len; i++) c1[i] -= s1 * v[i];
    }
    vs.push(v);
    taus[k] = tau;
  }
  const column = (e: number): Float64Array => {
    const q = new Float64Array(d);
    q[e] = 1;
    for (let k = n - 1; k >= 0; k--) {
      const v = vs[k];
      let s = 0;
      for (let i = k; i < d; i++) s += v[i - k] * q[i];
      s *= taus[k];
      for (let i = k; i < d; i++) q[i] -= s * v[i - k];
    }
    return q;
  };
  return { d, n1: column(d - 2), n2: column(d - 1) };
}

/**
 * The trailing block of R of [A, x, y] from span(A)⊥'s basis: u = (n1·x, n2·x), v = (n1·y, n2·y)
 * and the R of the 2×2 matrix [u v] with a non-negative diagonal: R_{d−1,d−1} = ‖u‖,
 * R_{d−1,d} = u·v/‖u‖, R_dd = |u₁v₂ − u₂v₁|/‖u‖ (any orthonormal basis gives the same R).
 * @param x, y length d: the last two columns of X
 */
export function trailingBlockOf(
  c: Complement,
  x: ArrayLike<number>,
  y: ArrayLike<number>,
): TrailingBlock {
  if (x.length !== c.d || y.length !== c.d)
    fail("trailingBlockOf", "x, y", `${x.length}, ${y.length}`, `must have length d = ${c.d}`);
  let u1 = 0;
  let u2 = 0;
  let v1 = 0;
  let v2 = 0;
  for (let i = 0; i < c.d; i++) {
    u1 += c.n1[i] * x[i];
    u2 += c.n2[i] * x[i];
    v1 += c.n1[i] * y[i];
    v2 += c.n2[i] * y[i];
  }
  const nu = Math.hypot(u1, u2);
  return { rd1d1: nu, rd1d: (u1 * v1 + u2 * v2) / nu, rdd: Math.abs(u1 * v2 - u2 * v1) / nu };
}

/** Options of gaussianTrailingBlocks. */
export interface TrailingBlockSampling {
  /** X is d×d, d ≥ 3. */
  d: number;
  /** Draws of X's trailing block. */
  draws: number;
  /**
   * Independent leading blocks A (d×(d−2) Gaussian, one Householder factorisation each), at most
   * draws; the draws are split evenly over them, each with its own Gaussian last two columns.
   */
  blocks: number;
}

/**
 * Trailing 2×2 blocks of the R of d×d Gaussian matrices X = [A, x, y] (i.i.d. N(0, 1) entries),
 * by real QR arithmetic: `blocks` Gaussian A, each factorised once and shared by draws/blocks
 * fresh Gaussian pairs (x, y). Whatever the law of the block is, draws that share A are draws of
 * X's block given A, so sharing costs independence only if that law depends on A.
 * @returns draws blocks, in the order of their A
 */
export function gaussianTrailingBlocks(rng: Rng, o: TrailingBlockSampling): TrailingBlock[] {
  const fn = "gaussianTrailingBlocks";
  requireInteger(fn, "d", o.d, 3);
  requireInteger(fn, "draws", o.draws, 1);
  requireInteger(fn, "blocks", o.blocks, 1, o.draws);
  const out: TrailingBlock[] = [];
  const x = new Float64Array(o.d);
  const y = new Float64Array(o.d);
  for (let b = 0; b < o.blocks; b++) {
    const r = rng.child(b);
    const A = r.child(0);
    const c = complementOfLeading(gaussianMatrix(A, o.d, o.d - 2));
    const pairs = r.child(1);
    const count = Math.floor(((b + 1) * o.draws) / o.blocks) - Math.floor((b * o.draws) / o.blocks);
    for (let k = 0; k < count; k++) {
      for (let i = 0; i < o.d; i++) x[i] = pairs.normal();
      for (let i = 0; i < o.d; i++) y[i] = pairs.normal();
      out.push(trailingBlockOf(c, x, y));
    }
  }
  return out;
}
