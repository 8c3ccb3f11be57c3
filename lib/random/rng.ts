import mt19937 from "@stdlib/random-base-mt19937";
import normal from "@stdlib/random-base-normal";
import chi from "@stdlib/random-base-chi";
import chisquare from "@stdlib/random-base-chisquare";
import beta from "@stdlib/random-base-beta";
import { fail, requireInteger, requirePositive } from "../check";

/** A seed: one unsigned 32-bit integer, or a path of them (a stream derived from a parent). */
export type Seed = number | readonly number[];

/**
 * A seeded random stream (Mersenne Twister MT19937 from @stdlib, seeded by the whole seed path).
 * The same seed gives the same numbers on every machine; streams are passed in, never global.
 * `child(i)` derives an independent stream whose numbers do not depend on how many numbers the
 * parent has drawn, so run i of an experiment is the same whether it runs alone, in a worker, or
 * after other runs.
 */
export class Rng {
  /** The full seed path, e.g. [seed, run, stage]. */
  readonly seed: readonly number[];
  private readonly u: () => number;
  private readonly n: (mu: number, sigma: number) => number;
  private readonly chiDraw: (k: number) => number;
  private readonly chisqDraw: (k: number) => number;
  private readonly betaDraw: (a: number, b: number) => number;

  constructor(seed: Seed) {
    const path = typeof seed === "number" ? [seed] : [...seed];
    if (path.length === 0) fail("Rng", "seed", path, "must hold at least one integer");
    path.forEach((s, i) => requireInteger("Rng", `seed[${i}]`, s, 0, 2 ** 32 - 1));
    this.seed = Object.freeze(path);
    // @stdlib's typings omit `normalized` (uniform on [0, 1) with 53 random bits) on the factory's generator.
    const gen = mt19937.factory({ seed: new Uint32Array(path) }) as unknown as {
      normalized: () => number;
    };
    const prng = gen.normalized;
    this.u = prng;
    this.n = normal.factory({ prng });
    this.chiDraw = chi.factory({ prng });
    this.chisqDraw = chisquare.factory({ prng });
    this.betaDraw = beta.factory({ prng });
  }

  /** An independent stream derived from this seed and the given path (e.g. the run index). */
  child(...path: number[]): Rng {
    return new Rng([...this.seed, ...path]);
  }

  /** Uniform on [0, 1). */
  uniform(): number {
    return this.u();
  }

  /** Uniform on [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.u();
  }

  /** Standard normal N(0, 1). */
  normal(): number {
    return this.n(0, 1);
  }

  /** Chi with k > 0 degrees of freedom. */
  chi(k: number): number {
    requirePositive("Rng.chi", "k", k);
    return this.chiDraw(k);
  }

  /** Chi-square with k > 0 degrees of freedom. */
  chiSquare(k: number): number {
    requirePositive("Rng.chiSquare", "k", k);
    return this.chisqDraw(k);
  }

  /** Beta(a, b). */
  beta(a: number, b: number): number {
    requirePositive("Rng.beta", "a", a);
    requirePositive("Rng.beta", "b", b);
    return this.betaDraw(a, b);
  }

  /** Uniform integer in {0, …, n − 1}. */
  int(n: number): number {
    requireInteger("Rng.int", "n", n, 1);
    return Math.floor(this.u() * n);
  }

  /** +1 or −1 with probability ½ each. */
  sign(): number {
    return this.u() < 0.5 ? -1 : 1;
  }

  /** A uniformly random permutation of {0, …, n − 1} (Fisher–Yates). */
  permutation(n: number): Int32Array {
    requireInteger("Rng.permutation", "n", n, 0);
    const p = new Int32Array(n);
    for (let i = 0; i < n; i++) p[i] = i;
    for (let i = n - 1; i > 0; i--) {
      const j = Math.floor(this.u() * (i + 1));
      const t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    return p;
  }
}

/** A new stream from a seed. */
export function rng(seed: Seed): Rng {
  return new Rng(seed);
}
