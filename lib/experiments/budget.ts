/**
 * What a notebook's config validator refuses before any work (issue 16 §4): a study whose estimated
 * time exceeds the per-cell budget (half the runner's per-cell timeout), or whose memory would not fit in V8's heap. The rates
 * are the fastest measured on the project's machine (2 shared cores, Node 20), so an estimate is a
 * lower bound on the time a run takes: what is refused certainly cannot run.
 */
import { fail } from "../check";

/**
 * The time a configuration's estimate must fit per cell. The runner allows twice this before it
 * calls a cell hung (scripts/reproduce.ts, --timeout): notebook 10's training cell took 707 s of
 * this bound at paper scale on the project's machine, and a slower machine must not fail there.
 */
export const CELL_SECONDS = 900;

/** V8's default heap limit on this machine (24 GiB: node -e "v8.getHeapStatistics().heap_size_limit"). */
export const HEAP_BYTES = 4144 * 2 ** 20;

/**
 * Rates timed on this machine with the project's own loops, rounded up to be on the fast side, so
 * that estimates are lower bounds: triangular back substitution ran at 5.5e8 multiply-adds per
 * second (d = 512), Rng.normal at 4.3e7 draws per second, Theorem 1's network and its QRs at 12 ns
 * per unit m·d² (d = m = 800; smaller sizes ran slower per unit, up to 44 ns).
 */
export const RATES = {
  /** Multiply-adds per second in Float64Array loops and ml-matrix products. */
  multiplyAdds: 1e9,
  /** N(0, 1) draws per second (Rng.normal: MT19937 and @stdlib). */
  normals: 4e7,
  /** Seconds per unit m·n² of a QR of an m×n matrix with the ml-matrix work around it. */
  qrUnit: 1e-8,
} as const;

/** One study's estimated cost, and the parameter that drives it. */
export interface Work {
  /** The study and how its cost is counted, e.g. "the far-apart study (≈ draws·Σ d³/2 multiply-adds)". */
  what: string;
  seconds: number;
  bytes: number;
  /** The parameter named in the refusal, and its value. */
  param: string;
  value: unknown;
}

/** Two significant digits, without exponent notation. */
function round2(x: number): string {
  return x >= 100 ? String(Math.round(x)) : x.toPrecision(2);
}

function human(seconds: number): string {
  if (seconds < 120) return `${round2(seconds)} s`;
  if (seconds < 7200) return `${round2(seconds / 60)} min`;
  return `${round2(seconds / 3600)} h`;
}

/**
 * Refuses (throws ArgumentError naming fn, the parameter and its value) the first study whose
 * memory exceeds half of V8's heap (the rest holds the kernel, tfjs and the other studies'
 * results) or whose time exceeds the runner's per-cell timeout; the message gives every bound
 * that study exceeds.
 */
export function requireFeasible(fn: string, work: readonly Work[]): void {
  for (const w of work) {
    const over: string[] = [];
    if (w.bytes > HEAP_BYTES / 2) {
      over.push(
        `≈ ${round2(w.bytes / 2 ** 30)} GiB of memory, over half of V8's ` +
          `${(HEAP_BYTES / 2 ** 30).toPrecision(2)} GiB heap`,
      );
    }
    if (w.seconds > CELL_SECONDS) {
      over.push(`≈ ${human(w.seconds)}, over the runner's ${CELL_SECONDS} s per cell`);
    }
    if (over.length) fail(fn, w.param, w.value, `would need ${over.join(" and ")} for ${w.what}`);
  }
}
