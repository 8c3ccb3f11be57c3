import { Matrix } from "ml-matrix";
import { requireInteger } from "../check";
import type { Rng } from "./rng";

/** A vector of d independent ±1 entries. */
export function signVector(rng: Rng, d: number): number[] {
  requireInteger("signVector", "d", d, 1);
  const z = new Array<number>(d);
  for (let i = 0; i < d; i++) z[i] = rng.sign();
  return z;
}

/** The largest d for which the hypercube is built in memory (2^20 columns). */
export const MAX_HYPERCUBE_DIM = 20;

/**
 * All 2^d vectors of {±1}^d as the columns of a d×2^d matrix (Theorem 6, section 6). Column k holds
 * the binary digits of k, most significant first, with bit 1 ↦ −1 and bit 0 ↦ +1; so the last
 * entry (the label bit of section 6) is +1 for even k and −1 for odd k.
 */
export function hypercube(d: number): Matrix {
  requireInteger("hypercube", "d", d, 1, MAX_HYPERCUBE_DIM);
  const n = 2 ** d;
  const z = new Matrix(d, n);
  for (let k = 0; k < n; k++) {
    for (let i = 0; i < d; i++) z.set(i, k, (k >> (d - 1 - i)) & 1 ? -1 : 1);
  }
  return z;
}
