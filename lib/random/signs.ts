import { requireInteger } from "../check";
import type { Rng } from "./rng";

/** A vector of d independent ±1 entries. */
export function signVector(rng: Rng, d: number): number[] {
  requireInteger("signVector", "d", d, 1);
  const z = new Array<number>(d);
  for (let i = 0; i < d; i++) z[i] = rng.sign();
  return z;
}
