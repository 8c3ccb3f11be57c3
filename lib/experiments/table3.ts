/**
 * Section 6, non-linear networks (Table 3), without circular selection: the unstated batch size and
 * ×5 column scaling form a grid; every cell's runs are on a named stream of their own; the setting
 * evaluated against the paper is chosen on the selection stream, and every claim about the paper is
 * evaluated on the evaluation stream's fresh runs.
 */
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import type { Section6 } from "../data/paper";
import type { StreamName } from "../data/streams";
import type { Rng } from "../random/rng";
import { HYPERCUBE_RELU_VERSION } from "../training";
import type { CacheStatus } from "./cache";
import type { Scale } from "./config";
import { table3Consistency, type Table3Test } from "./consistency";
import {
  validateReluRunConfig,
  type ReluRun,
  type ReluRunConfig,
  type ReluSetting,
} from "./relu-run";
import { runSeries, type SeriesProgress } from "./series";

/** Table 3's α stencil, from the paper's table (data/paper/section6.json). */
export interface Table3Config {
  /** What section 6 states about a run: d = 12, one hidden layer of 3000, 20 epochs, PyTorch's Adam. */
  run: {
    d: number;
    hidden: number[];
    epochs: number;
    lr: number;
    beta1: number;
    beta2: number;
    eps: number;
  };
  /** The α stencil of Table 3. */
  alphas: number[];
  /** The unstated settings: batch size × column scaling (5: the linear experiments' ×5; 1: none). */
  batchSizes: number[];
  scaleFactors: number[];
  /** Runs per cell on the selection stream (the screening that chooses the setting evaluated). */
  selectionRuns: number;
  /** Accurate networks the paper averages over (50); an evaluated cell trains until it has them. */
  networks: number;
  /** The most runs an evaluated cell may train for them. */
  maxRuns: number;
  /** The attack study on the evaluated setting's accurate networks. */
  attack: { points: number; restarts: number };
  /** The depth remark, at the chosen setting: hidden widths tried, accurate networks per depth, run cap. */
  depth: { hidden: number[][]; networks: number; maxRuns: number };
  resamples: number;
  /** Level of each consistency test. */
  level: number;
  workers: number;
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export const table3Defaults: Record<Scale, Omit<Table3Config, "alphas">> = {
  quick: {
    run: { d: 8, hidden: [128], epochs: 20, ...ADAM },
    batchSizes: [8, 64],
    scaleFactors: [5, 1],
    selectionRuns: 6,
    networks: 6,
    maxRuns: 30,
    attack: { points: 4, restarts: 1 },
    depth: { hidden: [[64], [64, 64]], networks: 3, maxRuns: 12 },
    resamples: 500,
    level: 0.01,
    workers: 2,
  },
  paper: {
    run: { d: 12, hidden: [3000], epochs: 20, ...ADAM },
    batchSizes: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096],
    scaleFactors: [5, 1],
    selectionRuns: 8,
    networks: 50,
    maxRuns: 400,
    attack: { points: 8, restarts: 2 },
    depth: { hidden: [[128], [128, 128], [128, 128, 128]], networks: 12, maxRuns: 60 },
    resamples: 4000,
    level: 0.01,
    workers: 2,
  },
};

/**
 * The most runs a cell may train: a run of the paper's network takes up to about 12 s on one busy
 * core at the smallest batch (measured), so 2000 runs is about 3 hours of both cores.
 */
export const TABLE3_MAX_RUNS_PER_CELL = 2000;

/** Refuses, before any work, a config the machine cannot run. */
export function validateTable3Config(c: Table3Config): void {
  const fn = "validateTable3Config";
  const base = { ...c.run, alphas: c.alphas, attack: c.attack, trainer: "any" };
  for (const batchSize of c.batchSizes) {
    for (const scaleFactor of c.scaleFactors) {
      validateReluRunConfig(fn, {
        ...base,
        setting: { d: c.run.d, hidden: c.run.hidden, scaleFactor, batchSize },
      });
    }
  }
  if (c.batchSizes.length === 0) fail(fn, "batchSizes", c.batchSizes, "must not be empty");
  if (c.scaleFactors.length === 0) fail(fn, "scaleFactors", c.scaleFactors, "must not be empty");
  c.scaleFactors.forEach((s, i) => requirePositive(fn, `scaleFactors[${i}]`, s));
  const max = TABLE3_MAX_RUNS_PER_CELL;
  requireInteger(fn, "selectionRuns", c.selectionRuns, 2, max);
  requireInteger(fn, "networks", c.networks, 2, max);
  requireInteger(fn, "maxRuns", c.maxRuns, c.networks, max);
  c.depth.hidden.forEach((h) =>
    validateReluRunConfig(fn, {
      ...base,
      setting: { d: c.run.d, hidden: h, scaleFactor: 1, batchSize: 1 },
    }),
  );
  if (c.depth.hidden.length > 0 && c.depth.hidden[0].length !== 1) {
    fail(
      fn,
      "depth.hidden[0]",
      c.depth.hidden[0],
      "must be one hidden layer (the depth comparison's baseline)",
    );
  }
  requireInteger(fn, "depth.networks", c.depth.networks, 2, max);
  requireInteger(fn, "depth.maxRuns", c.depth.maxRuns, c.depth.networks, max);
  requireInteger(fn, "resamples", c.resamples, 100, 100_000);
  requireInRange(fn, "level", c.level, 0, 0.5, [false, true]);
  requireInteger(fn, "workers", c.workers, 1, 64);
}

/** The trainer of a setting: the exact hypercube trainer for one hidden layer, tfjs otherwise. */
export function reluTrainer(hidden: readonly number[], backend: string): string {
  return hidden.length === 1 ? `hypercube trainer v${HYPERCUBE_RELU_VERSION}` : `tfjs ${backend}`;
}

export interface Table3Setting {
  batchSize: number;
  scaleFactor: number;
}

export function settingLabel(s: Table3Setting): string {
  return `×${s.scaleFactor}, batch ${s.batchSize}`;
}

/** The run config of a setting (attack: whether accurate networks are attacked). */
export function table3RunConfig(
  c: Table3Config,
  s: Table3Setting,
  o: { hidden?: number[]; attack: boolean; backend: string },
): ReluRunConfig {
  const hidden = o.hidden ?? c.run.hidden;
  const setting: ReluSetting = {
    d: c.run.d,
    hidden,
    scaleFactor: s.scaleFactor,
    batchSize: s.batchSize,
  };
  const { epochs, lr, beta1, beta2, eps } = c.run;
  return {
    setting,
    epochs,
    lr,
    beta1,
    beta2,
    eps,
    alphas: c.alphas,
    attack: o.attack ? c.attack : null,
    trainer: reluTrainer(hidden, o.backend),
  };
}

/** A cell's identifier in the seed path: batch size, scale factor × 1000, and the depth. */
export function table3Cell(s: Table3Setting, depth = 1): number[] {
  return [s.batchSize, Math.round(s.scaleFactor * 1000), depth];
}

export interface Table3Cell extends Table3Setting {
  stream: StreamName;
  runs: ReluRun[];
  accurate: ReluRun[];
  cache: CacheStatus[];
  test: Table3Test;
}

export interface Table3GridOptions {
  seed: number;
  stream: StreamName;
  backend: string;
  force?: boolean;
  cacheDir?: string;
  onProgress?: (label: string, p: SeriesProgress) => void;
}

/**
 * The runs of one setting on one stream: `runs` runs, or, with `networks`, until that many are
 * accurate (at most `runs`); then the consistency test of Table 3 against its accurate networks.
 */
export async function table3Series(
  c: Table3Config,
  paper: Section6["table3"],
  s: Table3Setting,
  plan: { runs: number; networks?: number; attack: boolean; hidden?: number[] },
  rng: Rng,
  o: Table3GridOptions,
): Promise<Table3Cell> {
  const depth = (plan.hidden ?? c.run.hidden).length;
  const want = plan.networks;
  const series = await runSeries({
    protocol: "relu",
    config: table3RunConfig(c, s, { hidden: plan.hidden, attack: plan.attack, backend: o.backend }),
    seed: o.seed,
    stream: o.stream,
    cell: table3Cell(s, depth),
    runs: plan.runs,
    stopWhen: want === undefined ? undefined : (p) => p.filter((r) => r.valid).length >= want,
    backend: o.backend,
    workers: c.workers,
    force: o.force,
    cacheDir: o.cacheDir,
    onProgress:
      o.onProgress &&
      ((p) =>
        o.onProgress!(`${o.stream}, ${settingLabel(s)}${depth > 1 ? `, ${depth} layers` : ""}`, p)),
  });
  const test = table3Consistency(series.runs, paper, c.networks, rng, c.resamples);
  return {
    ...s,
    stream: o.stream,
    runs: series.runs,
    accurate: series.runs.filter((r) => r.valid),
    cache: series.cache,
    test,
  };
}

/** Every setting of the grid on the selection stream, selectionRuns runs each. */
export async function table3Screening(
  c: Table3Config,
  paper: Section6["table3"],
  rng: Rng,
  o: Table3GridOptions,
): Promise<Table3Cell[]> {
  validateTable3Config(c);
  const cells: Table3Cell[] = [];
  for (const scaleFactor of c.scaleFactors) {
    for (const batchSize of c.batchSizes) {
      const s = { batchSize, scaleFactor };
      cells.push(
        await table3Series(
          c,
          paper,
          s,
          { runs: c.selectionRuns, attack: false },
          rng.child(batchSize, scaleFactor),
          o,
        ),
      );
    }
  }
  return cells;
}

/** What the selection stream decides for the evaluation stream. */
export interface Table3Design {
  /** Settings consistent with Table 3 on the selection stream (p > level). */
  consistent: Table3Setting[];
  /** Settings with fewer than 2 accurate networks on the selection stream: not testable there. */
  untestable: Table3Setting[];
  /** The setting evaluated (largest selection p-value) and its p-value. */
  best: Table3Setting;
  bestP: number;
  /** "reproduction" when some setting was consistent on the selection stream, else "erratum". */
  claim: "reproduction" | "erratum";
  /** Settings the evaluation stream trains: the best one; for an erratum every testable one. */
  evaluate: Table3Setting[];
}

export function table3Design(c: Table3Config, screening: readonly Table3Cell[]): Table3Design {
  const testable = screening.filter((s) => Number.isFinite(s.test.pValue));
  const untestable = screening.filter((s) => !Number.isFinite(s.test.pValue)).map(pick);
  if (testable.length === 0)
    fail("table3Design", "screening", screening.length, "has no setting with 2 accurate networks");
  const best = testable.reduce((a, b) => (b.test.pValue > a.test.pValue ? b : a));
  const consistent = testable.filter((s) => s.test.pValue > c.level).map(pick);
  const claim = consistent.length ? "reproduction" : "erratum";
  return {
    consistent,
    untestable,
    best: pick(best),
    bestP: best.test.pValue,
    claim,
    evaluate: claim === "reproduction" ? [pick(best)] : testable.map(pick),
  };
}

function pick(s: Table3Setting): Table3Setting {
  return { batchSize: s.batchSize, scaleFactor: s.scaleFactor };
}
