/**
 * The named random streams of section 6's protocols. Every run of a protocol draws its data set,
 * initial weights, batch order and measurement points from streams derived from
 * [seed, stream, cell…, run, part], so that:
 * - a choice of an unstated setting (batch size, ×5 scaling) is made on the `selection` stream and
 *   every claim about the paper is evaluated on the fresh `evaluation` stream (new data sets, initial
 *   weights and shuffles: issue "Section 6 without circular selection");
 * - each cell of a grid of settings has its own runs (`cell`), so that one draw of data sets does not
 *   colour every comparison of the grid;
 * - arms that are compared share their randomness (REFEREE.md item 9): a run's `arm` (a batch size,
 *   a depth) enters only the parts that must differ between arms (the batch order and the attack's
 *   restarts), so run r of every arm of a cell trains on the same data set, from the same initial
 *   weights where the shapes agree, and is measured at the same pair of points;
 * - run r is the same whether it runs alone, in a worker, or after other runs.
 */
import { fail, requireInteger } from "../check";
import { Rng } from "../random/rng";

/** The streams a protocol can run on; the numbers are part of every seed path (never renumber). */
export const STREAMS = { selection: 1, evaluation: 2, scaling: 3, check: 4, study: 5 } as const;
export type StreamName = keyof typeof STREAMS;

/** Where a run's randomness comes from: the seed, the stream, the cell of a grid and the run index. */
export interface RunSeed {
  seed: number;
  stream: StreamName;
  /** Identifies the cell of a grid (e.g. [batch size, scale factor × 1000]); [] for no grid. */
  cell: readonly number[];
  run: number;
  /** The arm within the cell (e.g. [batch size]): only the parts in ARM_PARTS depend on it. */
  arm?: readonly number[];
}

/** The parts of one run, each an independent stream. */
export const PARTS = { data: 0, init: 1, shuffle: 2, pair: 3, attackPoints: 4, attack: 5 } as const;
export type PartName = keyof typeof PARTS;

/** The parts that differ between the arms of a cell; every other part is shared by its arms. */
export const ARM_PARTS: readonly PartName[] = ["shuffle", "attack"];

function requireRunSeed(fn: string, s: RunSeed): void {
  requireInteger(fn, "seed", s.seed, 0, 2 ** 32 - 1);
  if (!(s.stream in STREAMS))
    fail(fn, "stream", s.stream, `must be one of ${Object.keys(STREAMS).join(", ")}`);
  s.cell.forEach((c, i) => requireInteger(fn, `cell[${i}]`, c, 0, 2 ** 32 - 1));
  (s.arm ?? []).forEach((c, i) => requireInteger(fn, `arm[${i}]`, c, 0, 2 ** 32 - 1));
  requireInteger(fn, "run", s.run, 0, 2 ** 32 - 1);
}

/** The seed path of one part of a run (extra: e.g. the attacked point's index). */
export function seedPath(s: RunSeed, part: PartName, ...extra: number[]): number[] {
  requireRunSeed("seedPath", s);
  // An arm adds a marker and its numbers, so that [cell, arm] never collides with a longer cell.
  const arm = s.arm && ARM_PARTS.includes(part) ? [ARM_MARK, ...s.arm] : [];
  return [s.seed, STREAMS[s.stream], ...s.cell, ...arm, s.run, PARTS[part], ...extra];
}

/** Separates a cell from its arm in a seed path (above every cell number in use). */
const ARM_MARK = 2 ** 32 - 1;

/** A fresh random stream for one part of a run. */
export function runRng(s: RunSeed, part: PartName, ...extra: number[]): Rng {
  return new Rng(seedPath(s, part, ...extra));
}

/** How a stream is named in notebooks and results files, e.g. "[20240607, 2] (evaluation)". */
export function streamLabel(seed: number, stream: StreamName): string {
  return `[${seed}, ${STREAMS[stream]}, cell…, run] (${stream})`;
}

/**
 * A random stream for an analysis step (resampling tests, bootstrap intervals), named for what it
 * serves so that adding a step never shifts another step's numbers.
 */
export function analysisRng(seed: number, purpose: string): Rng {
  requireInteger("analysisRng", "seed", seed, 0, 2 ** 32 - 1);
  if (!purpose) fail("analysisRng", "purpose", purpose, "must name the analysis step");
  let h = 2166136261; // FNV-1a of the purpose
  for (let i = 0; i < purpose.length; i++) h = Math.imul(h ^ purpose.charCodeAt(i), 16777619) >>> 0;
  return new Rng([seed, 100, h]);
}
