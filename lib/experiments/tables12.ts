/**
 * Section 6, linear networks (Tables 1 and 2), without circular selection: the unstated batch size
 * is a grid; every cell's runs are on a named stream of their own; the setting shown beside the
 * paper's tables is chosen on the selection stream, and every claim about the paper is evaluated on
 * the evaluation stream's fresh runs (new data sets, initial weights and shuffles).
 */
import { fail, requireInRange, requireInteger } from "../check";
import type { Section6 } from "../data/paper";
import type { StreamName } from "../data/streams";
import type { Rng } from "../random/rng";
import { quantile } from "../stats/summary";
import type { CacheStatus } from "./cache";
import type { Scale } from "./config";
import {
  keptRuns,
  runsForPrecision,
  table2Means,
  tables12Consistency,
  type Tables12Test,
} from "./consistency";
import {
  linearTrainer,
  validateLinearRunConfig,
  type LinearRun,
  type LinearRunConfig,
} from "./linear-run";
import { runSeries, type SeriesProgress } from "./series";

export interface Tables12Config {
  /** What section 6 states about a run (d = 12, width 3000, ×5, 20 epochs, PyTorch's Adam). */
  run: Omit<LinearRunConfig, "batchSize" | "trainer">;
  /** The unstated batch size: the grid. */
  batchSizes: number[];
  /** Runs per cell on the selection stream (the choice of the setting shown, and of the runs per cell below). */
  selectionRuns: number;
  /** Runs per cell on the evaluation stream: enough for the valid rate's 95% interval to be ±halfWidth at the selection rate, within [min, max]. */
  evaluationRuns: { halfWidth: number; min: number; max: number };
  /** The paper's protocol: 50 runs; Table 1 shows the first 10 valid; Table 2 keeps |cos θ₂| > 0.9. */
  protocolRuns: number;
  table1Count: number;
  cos2Threshold: number;
  /** Resamples of the two-sample tests and of the protocol's sampling distribution. */
  resamples: number;
  /** Level of each consistency test (a setting is consistent when its p-value exceeds it). */
  level: number;
  /** Worker threads (both cores). */
  workers: number;
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export const tables12Defaults: Record<Scale, Tables12Config> = {
  quick: {
    run: { d: 8, hidden: 256, scaleFactor: 5, epochs: 20, ...ADAM },
    batchSizes: [8, 32, 128],
    selectionRuns: 10,
    evaluationRuns: { halfWidth: 0.2, min: 16, max: 24 },
    protocolRuns: 16,
    table1Count: 3,
    cos2Threshold: 0.9,
    resamples: 500,
    level: 0.01,
    workers: 2,
  },
  paper: {
    run: { d: 12, hidden: 3000, scaleFactor: 5, epochs: 20, ...ADAM },
    batchSizes: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096],
    selectionRuns: 40,
    evaluationRuns: { halfWidth: 0.07, min: 50, max: 250 },
    protocolRuns: 50,
    table1Count: 10,
    cos2Threshold: 0.9,
    resamples: 4000,
    level: 0.01,
    workers: 2,
  },
};

/**
 * The most runs a cell may train: a run of the paper's network takes up to about a second on one
 * core at the smallest batch, so 1000 runs per cell is about 8 minutes of both cores.
 */
export const TABLES12_MAX_RUNS_PER_CELL = 1000;

/** Refuses, before any work, a config the machine cannot run; errors name the parameter and value. */
export function validateTables12Config(c: Tables12Config): void {
  const fn = "validateTables12Config";
  validateLinearRunConfig(fn, { ...c.run, batchSize: 1, trainer: "any" });
  if (c.batchSizes.length === 0) fail(fn, "batchSizes", c.batchSizes, "must not be empty");
  c.batchSizes.forEach((b, i) => requireInteger(fn, `batchSizes[${i}]`, b, 1, 2 ** c.run.d));
  const max = TABLES12_MAX_RUNS_PER_CELL;
  requireInteger(fn, "selectionRuns", c.selectionRuns, 2, max);
  requireInRange(fn, "evaluationRuns.halfWidth", c.evaluationRuns.halfWidth, 0.01, 0.5);
  requireInteger(fn, "evaluationRuns.min", c.evaluationRuns.min, 2, max);
  requireInteger(fn, "evaluationRuns.max", c.evaluationRuns.max, c.evaluationRuns.min, max);
  requireInteger(fn, "protocolRuns", c.protocolRuns, 1, c.evaluationRuns.min);
  requireInteger(fn, "table1Count", c.table1Count, 1, c.protocolRuns);
  requireInRange(fn, "cos2Threshold", c.cos2Threshold, 0, 1);
  requireInteger(fn, "resamples", c.resamples, 100, 100_000);
  requireInRange(fn, "level", c.level, 0, 0.5, [false, true]);
  requireInteger(fn, "workers", c.workers, 1, 64);
}

/** The run config of one cell of the grid. */
export function tables12RunConfig(
  c: Tables12Config,
  batchSize: number,
  backend: string,
): LinearRunConfig {
  return { ...c.run, batchSize, trainer: linearTrainer(backend) };
}

/** A cell's identifier in the seed path: the batch size and the scale factor (× 1000). */
export function tables12Cell(c: Tables12Config, batchSize: number): number[] {
  return [batchSize, Math.round(c.run.scaleFactor * 1000)];
}

export interface Tables12Cell {
  batchSize: number;
  stream: StreamName;
  runs: LinearRun[];
  cache: CacheStatus[];
  test: Tables12Test;
}

export interface GridOptions {
  seed: number;
  stream: StreamName;
  /** tfjs backend for the workers. */
  backend: string;
  force?: boolean;
  cacheDir?: string;
  onProgress?: (label: string, p: SeriesProgress) => void;
}

/**
 * Trains (or reads from the cache) every cell of the batch-size grid on one stream, `runs(batch)`
 * runs each, and tests the paper's Tables 1–2 outcome against each cell.
 */
export async function tables12Grid(
  c: Tables12Config,
  paper: Section6["table2"],
  runs: (batchSize: number) => number,
  rng: Rng,
  o: GridOptions,
): Promise<Tables12Cell[]> {
  validateTables12Config(c);
  const cells: Tables12Cell[] = [];
  for (const batchSize of c.batchSizes) {
    const n = runs(batchSize);
    requireInteger("tables12Grid", `runs(${batchSize})`, n, 2, TABLES12_MAX_RUNS_PER_CELL);
    const s = await runSeries({
      protocol: "linear",
      config: tables12RunConfig(c, batchSize, o.backend),
      seed: o.seed,
      stream: o.stream,
      cell: tables12Cell(c, batchSize),
      runs: n,
      backend: o.backend,
      workers: c.workers,
      force: o.force,
      cacheDir: o.cacheDir,
      onProgress: o.onProgress && ((p) => o.onProgress!(`${o.stream}, batch ${batchSize}`, p)),
    });
    const test = tables12Consistency(
      s.runs,
      paper,
      c.cos2Threshold,
      rng.child(batchSize),
      c.resamples,
    );
    cells.push({ batchSize, stream: o.stream, runs: s.runs, cache: s.cache, test });
  }
  return cells;
}

/** What the selection stream decides for the evaluation stream. */
export interface Tables12Design {
  /** Runs per cell on the evaluation stream (the valid rate's precision at the selection rate). */
  runs: Record<number, number>;
  /** The setting shown beside the paper's tables: the largest selection p-value. */
  best: number;
  bestP: number;
  /** Settings consistent on the selection stream (p > level). */
  consistent: number[];
  /**
   * The claim the evaluation stream tests: "reproduction" (the paper's outcome at `best` is not
   * rejected) when some setting was consistent on the selection stream, else "erratum" (every
   * setting rejected: the intersection–union test over the evaluation grid).
   */
  claim: "reproduction" | "erratum";
}

/** The evaluation design, from the selection grid only. */
export function tables12Design(
  c: Tables12Config,
  selection: readonly Tables12Cell[],
): Tables12Design {
  const runs: Record<number, number> = {};
  for (const cell of selection) {
    const e = c.evaluationRuns;
    runs[cell.batchSize] = runsForPrecision(cell.test.valid.estimate, e.halfWidth, e.min, e.max);
  }
  const best = selection.reduce((a, b) => (b.test.pValue > a.test.pValue ? b : a));
  const consistent = selection.filter((s) => s.test.pValue > c.level).map((s) => s.batchSize);
  return {
    runs,
    best: best.batchSize,
    bestP: best.test.pValue,
    consistent,
    claim: consistent.length ? "reproduction" : "erratum",
  };
}

/** The paper's protocol as one realisation at a setting: the first 50 runs of the cell. */
export interface Tables12Protocol {
  batchSize: number;
  runs: LinearRun[];
  /** Table 1: the first table1Count valid runs, in run order. */
  table1: LinearRun[];
  valid: number;
  kept: number;
  /** Table 2's means over this protocol's kept runs. */
  means: [number, number, number];
  /** 95% range of each reported number over resampled 50-run protocols at this setting. */
  ranges: { valid: [number, number]; kept: [number, number]; means: Array<[number, number]> };
}

/** Tables 1 and 2 as the paper's protocol would produce them at this setting (evaluation runs). */
export function tables12Protocol(
  c: Tables12Config,
  cell: Tables12Cell,
  rng: Rng,
): Tables12Protocol {
  const runs = cell.runs.slice(0, c.protocolRuns);
  const kept = keptRuns(runs, c.cos2Threshold);
  const replicate = () => {
    const p = Array.from({ length: c.protocolRuns }, () => cell.runs[rng.int(cell.runs.length)]);
    const k = keptRuns(p, c.cos2Threshold);
    return { valid: p.filter((r) => r.valid).length, kept: k.length, means: table2Means(k) };
  };
  const reps = Array.from({ length: c.resamples }, replicate);
  const range = (v: number[]): [number, number] => {
    const f = v.filter(Number.isFinite);
    return f.length ? [quantile(f, 0.025), quantile(f, 0.975)] : [Number.NaN, Number.NaN];
  };
  return {
    batchSize: cell.batchSize,
    runs,
    table1: runs.filter((r) => r.valid).slice(0, c.table1Count),
    valid: runs.filter((r) => r.valid).length,
    kept: kept.length,
    means: table2Means(kept),
    ranges: {
      valid: range(reps.map((r) => r.valid)),
      kept: range(reps.map((r) => r.kept)),
      means: [0, 1, 2].map((i) => range(reps.map((r) => r.means[i]))),
    },
  };
}
