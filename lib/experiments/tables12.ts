/**
 * Section 6, linear networks (Tables 1 and 2), without circular selection: the unstated batch size
 * is a grid; every cell's runs are on a named stream of their own; the setting shown beside the
 * paper's tables is chosen on the selection stream, and every claim about the paper is evaluated on
 * the evaluation stream's fresh runs (new data sets, initial weights and shuffles).
 */
import { fail, requireInRange, requireInteger } from "../check";
import type { Section6 } from "../data/paper";
import { streamLabel, type StreamName } from "../data/streams";
import type { ConsistencyRow, ResultsFile } from "../claims/outputs";
import type { TestInput } from "../claims/ledger";
import type { Rng } from "../random/rng";
import { bootstrapInterval } from "../stats/bootstrap";
import { betaCdf } from "../stats/distributions";
import { mean, median, quantile, std } from "../stats/summary";
import { ksTest, ksTest2 } from "../stats/tests";
import { positiveCorrelationTest } from "../stats/twosample";
import { expectedPhi } from "./theorem6";
import type { CacheStatus } from "./cache";
import type { Scale } from "./config";
import {
  type Rate,
  keptRuns,
  runsForPrecision,
  table2Means,
  tables12Consistency,
  type Tables12Test,
} from "./consistency";
import {
  LINEAR_TRAINER,
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
  /** Worker threads; default every core (resolveWorkers: FRAGILITY_WORKERS, --set workers=N). */
  workers?: number;
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export const tables12Defaults: Record<Scale, Tables12Config> = {
  quick: {
    run: { d: 8, hidden: 256, scaleFactor: 5, epochs: 20, ...ADAM },
    batchSizes: [8, 32, 128],
    selectionRuns: 16,
    evaluationRuns: { halfWidth: 0.15, min: 48, max: 56 },
    protocolRuns: 16,
    table1Count: 3,
    cos2Threshold: 0.9,
    resamples: 500,
    level: 0.01,
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
}

/** The run config of one cell of the grid. */
export function tables12RunConfig(c: Tables12Config, batchSize: number): LinearRunConfig {
  return { ...c.run, batchSize, trainer: LINEAR_TRAINER };
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
  o: GridOptions,
): Promise<Tables12Cell[]> {
  validateTables12Config(c);
  const cells: Tables12Cell[] = [];
  for (const batchSize of c.batchSizes) {
    const n = runs(batchSize);
    requireInteger("tables12Grid", `runs(${batchSize})`, n, 2, TABLES12_MAX_RUNS_PER_CELL);
    const s = await runSeries({
      protocol: "linear",
      config: tables12RunConfig(c, batchSize),
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
    const test = tables12Consistency(s.runs, paper, c.cos2Threshold);
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

/** The claim the evaluation stream decides, pre-registered by the design (selection stream). */
export interface GridClaim {
  kind: "reproduction" | "erratum";
  name: string;
  test: { pValue: number; hypothesis: string; method: string };
}

/** The paper's reported outcome of Tables 1–2 in words, from its numbers. */
export function tables12Outcome(paper: Section6["table2"]): string {
  return `${paper.valid} of ${paper.runs} valid, ${paper.kept} kept, Table 2's three means`;
}

/**
 * Tables 1–2's claim over the evaluation grid, in the form the selection stream pre-registered.
 * Both forms test H₀ "some batch size of the grid produces the paper's outcome" by the
 * intersection–union test (p = the largest p-value over the grid: H₀ is rejected only when every
 * batch size is): a reproduction (some batch size was consistent on the selection stream; passes
 * when H₀ survives, i.e. the confidence set of batch sizes is not empty) or an erratum (none was;
 * passes when H₀ is rejected).
 */
export function tables12Claim(
  design: Tables12Design,
  evaluation: readonly Tables12Cell[],
  paper: Section6["table2"],
): GridClaim {
  const ps = evaluation.map((c) => c.test.pValue).filter(Number.isFinite);
  if (ps.length === 0)
    fail("tables12Claim", "evaluation", evaluation.length, "has no testable batch size");
  const test = {
    pValue: Math.max(...ps),
    hypothesis: "some batch size of the grid produces the paper's outcome",
    method:
      `per batch size: Fisher's exact tests of ${paper.valid}/${paper.runs} valid and ` +
      `${paper.kept}/${paper.valid} kept, Hotelling's T² test of Table 2's three means; ` +
      `Bonferroni; intersection–union over the ${ps.length} batch sizes (largest p)`,
  };
  const outcome = `Tables 1–2 (${tables12Outcome(paper)})`;
  return design.claim === "reproduction"
    ? { kind: "reproduction", name: `some batch size of the grid reproduces ${outcome}`, test }
    : { kind: "erratum", name: `no batch size of the grid reproduces ${outcome}`, test };
}

/** What the paper leaves out, over the kept runs of a setting (section 6, linear networks). */
export interface Tables12Beyond {
  kept: number;
  /** Valid runs behind the exact checks (every valid run of the cells). */
  valid: number;
  /** Needed at the median point over |cos θ₁|‖a_d‖ (section 6's reading of |cos θ₁|): geometric mean, 95% bootstrap interval. */
  median: { ratio: number; lo: number; hi: number };
  /** The bias's share |b|/|c_d| of the feature's term, which bounds how far the median ratio may fall below 1: median and largest. */
  biasOverFeature: { median: number; max: number };
  /** Needed at the worst point (the smallest over all 2^d points) over |cos θ₁|‖a_d‖: geometric mean, 95% interval. */
  worst: { ratio: number; lo: number; hi: number };
  /** The network's worst-point perturbation over the optimal classifier's min_u‖Au‖: median, 95% bootstrap interval. */
  overOptimal: { median: number; lo: number; hi: number };
  /** "When φ is small, |cos θ₁| is also very small": the one-sided test of a positive correlation. */
  phiCos1: { r: number; pValue: number };
  /**
   * Exact identities of an accurate linear classifier f(z) = Σ c_i z_i + b, checked over every valid
   * run (they can only fail through a bug in the perturbation code, which enumerates the 2^d
   * points): the largest |worst − (|c_d| − Σ_{i<d}|c_i| − |b|)/‖w‖| over ‖a_d‖; the largest
   * shortfall of the median point below (|c_d| − |b|)/‖w‖ (at most half the points have
   * |f| < |c_d| − |b|, by the symmetry z_{<d} → −z_{<d}); the largest worst / min_u‖Au‖ (no
   * classifier's worst-point perturbation exceeds the optimal classifier's).
   */
  exact: { worstClosedForm: number; medianShortfall: number; worstOverOptimal: number };
  tests: { smallPhiSmallCos1: TestInput };
}

/**
 * What the paper leaves out, over the kept runs of the given cells (notebook 07 pools every batch
 * size of the evaluation stream: these are statements about trained networks, not about the
 * paper's table); the exact identities over every valid run.
 */
export function tables12Beyond(
  c: Tables12Config,
  cells: readonly Tables12Cell[],
  rng: Rng,
): Tables12Beyond {
  const kept = cells.flatMap((cell) => keptRuns(cell.runs, c.cos2Threshold));
  const valid = cells.flatMap((cell) => cell.runs.filter((r) => r.valid));
  if (kept.length < 4)
    fail("tables12Beyond", "cells", cells.length, `hold ${kept.length} kept runs (needs 4)`);
  const geometric = (x: number[], child: number) => {
    const b = bootstrapInterval(x.map(Math.log), mean, rng.child(child));
    return { ratio: Math.exp(b.estimate), lo: Math.exp(b.lo), hi: Math.exp(b.hi) };
  };
  const overOptimal = bootstrapInterval(
    kept.map((r) => r.minimalWorst / r.optimal),
    median,
    rng.child(2),
  );
  const phiCos1 = positiveCorrelationTest(
    kept.map((r) => r.phi),
    kept.map((r) => Math.abs(r.cos1)),
  );
  const bias = kept.map((r) => r.biasShare / Math.abs(r.cos1));
  const maxOf = (x: number[]) => x.reduce((a, v) => Math.max(a, v), -Infinity);
  return {
    kept: kept.length,
    valid: valid.length,
    median: geometric(
      kept.map((r) => r.minimalMedian / Math.abs(r.cos1)),
      1,
    ),
    biasOverFeature: { median: median(bias), max: maxOf(bias) },
    worst: geometric(
      kept.map((r) => r.minimalWorst / Math.abs(r.cos1)),
      3,
    ),
    overOptimal: { median: overOptimal.estimate, lo: overOptimal.lo, hi: overOptimal.hi },
    phiCos1,
    exact: {
      worstClosedForm: maxOf(
        valid.map((r) =>
          Math.abs(r.minimalWorst - (Math.abs(r.cos1) - r.othersShare - r.biasShare)),
        ),
      ),
      medianShortfall: maxOf(valid.map((r) => Math.abs(r.cos1) - r.biasShare - r.minimalMedian)),
      worstOverOptimal: maxOf(valid.map((r) => r.minimalWorst / r.optimal)),
    },
    tests: {
      smallPhiSmallCos1: {
        pValue: phiCos1.pValue,
        statistic: phiCos1.r,
        hypothesis: "φ and |cos θ₁| are not positively correlated over kept runs",
        method: "one-sided t test of Pearson's r",
        passWhen: "rejected",
      },
    },
  };
}

/** Selection by accuracy (section 6 keeps the valid runs): φ over all, valid and kept runs. */
export interface SelectionBias {
  sets: Array<{ name: string; n: number; mean: number; se: number }>;
  /** E φ for Gaussian A (Beta law; the ×5 scaling leaves φ unchanged). */
  expected: number;
  /** KS test of φ² over all runs against Beta(½, (d−1)/2): the data sets are what Theorem 6 says. */
  law: { statistic: number; pValue: number };
  /** Permutation test of mean φ(valid) − mean φ(not valid) > 0. */
  valid: { difference: number; pValue: number };
  tests: { law: TestInput; validLarger: TestInput };
}

/**
 * Over the runs of the given cells (notebook 07: every batch size of the evaluation stream); the
 * permutation test relabels valid and invalid runs within each cell, so that batch sizes with
 * different valid rates are not mixed.
 */
export function selectionBias(
  c: Tables12Config,
  cells: readonly Tables12Cell[],
  rng: Rng,
): SelectionBias {
  const all = cells.flatMap((cell) => cell.runs);
  const valid = all.filter((r) => r.valid);
  const kept = keptRuns(all, c.cos2Threshold);
  const set = (name: string, runs: readonly LinearRun[]) => {
    const v = runs.map((r) => r.phi);
    return {
      name,
      n: v.length,
      mean: v.length ? mean(v) : Number.NaN,
      se: v.length > 1 ? std(v) / Math.sqrt(v.length) : Number.NaN,
    };
  };
  const d = c.run.d;
  const ks = ksTest(
    all.map((r) => r.phi ** 2),
    (t) => betaCdf(t, 0.5, (d - 1) / 2),
  );
  const perm = stratifiedPermutation(
    cells.map((cell) => cell.runs),
    rng,
    10000,
  );
  return {
    sets: [set("all runs", all), set("valid runs", valid), set("kept runs (|cos θ₂| > 0.9)", kept)],
    expected: expectedPhi(d),
    law: { statistic: ks.statistic, pValue: ks.pValue },
    valid: perm,
    tests: {
      law: {
        pValue: ks.pValue,
        statistic: ks.statistic,
        hypothesis: "φ² ~ Beta(½, (d−1)/2)",
        method: `one-sample KS over ${all.length} runs`,
      },
      validLarger: {
        pValue: perm.pValue,
        statistic: perm.difference,
        hypothesis: "mean φ(valid) ≤ mean φ(not valid)",
        method: "permutation test within batch sizes, 10000 relabellings",
      },
    },
  };
}

/**
 * One-sided permutation test of mean φ(valid) − mean φ(not valid) > 0, relabelling within strata:
 * (count + 1)/(resamples + 1) of relabellings at least as large as observed.
 */
function stratifiedPermutation(
  strata: ReadonlyArray<readonly LinearRun[]>,
  rng: Rng,
  resamples: number,
): { difference: number; pValue: number } {
  const groups = strata.filter((g) => g.some((r) => r.valid) && g.some((r) => !r.valid));
  if (groups.length === 0) return { difference: Number.NaN, pValue: Number.NaN };
  const phis = groups.map((g) => g.map((r) => r.phi));
  const labels = groups.map((g) => g.map((r) => r.valid));
  const diff = (lab: boolean[][]) => {
    const sum = { valid: 0, invalid: 0 };
    const n = { valid: 0, invalid: 0 };
    lab.forEach((l, k) =>
      l.forEach((isValid, i) => {
        const g = isValid ? "valid" : "invalid";
        sum[g] += phis[k][i];
        n[g] += 1;
      }),
    );
    return sum.valid / n.valid - sum.invalid / n.invalid;
  };
  const observed = diff(labels);
  let count = 0;
  for (let b = 0; b < resamples; b++) {
    const shuffled = labels.map((l) => {
      const p = rng.permutation(l.length);
      return Array.from(p, (i) => l[i]);
    });
    if (diff(shuffled) >= observed - 1e-15) count++;
  }
  return { difference: observed, pValue: (count + 1) / (resamples + 1) };
}

/** Table 1's values (the paper's first 10 valid experiments) against our valid runs at a setting: two-sample KS tests. */
export function table1Tests(
  cell: Tables12Cell,
  paper: Section6["table1"],
): { phi: TestInput; cos1: TestInput } {
  const valid = cell.runs.filter((r) => r.valid);
  if (valid.length < 2)
    fail("table1Tests", "cell", cell.batchSize, `has ${valid.length} valid runs (needs 2)`);
  const method = `two-sample KS, the paper's ${paper.rows.length} against our ${valid.length} valid runs`;
  const ks = (a: number[], b: number[]): TestInput => {
    const t = ksTest2(a, b);
    return { pValue: t.pValue, statistic: t.statistic, hypothesis: "one law for both", method };
  };
  return {
    phi: ks(
      paper.rows.map((r) => r.phi),
      valid.map((r) => r.phi),
    ),
    cos1: ks(
      paper.rows.map((r) => Math.abs(r.cos1)),
      valid.map((r) => Math.abs(r.cos1)),
    ),
  };
}

/** Everything notebook 07 reports, as its results file (build/results/07-tables12-linear.json). */
export function tables12Results(r: {
  notebook: string;
  scale: string;
  seed: number;
  backend: string;
  config: Tables12Config;
  selection: readonly Tables12Cell[];
  design: Tables12Design;
  evaluation: readonly Tables12Cell[];
  claim: GridClaim & { passed: boolean };
  protocol: Tables12Protocol;
  paper: Section6["table2"];
}): ResultsFile {
  const level = r.config.level;
  const consistent = r.evaluation.filter((c) => c.test.pValue > level).map((c) => c.batchSize);
  const best = r.evaluation.find((c) => c.batchSize === r.design.best)!;
  const pr = r.protocol;
  const decided = `${r.claim.kind} ${r.claim.passed ? "holds" : "fails"} (p = ${formatP(r.claim.test.pValue)})`;
  const row = (c: Tables12Cell) =>
    consistencyRow(c.batchSize, r.config.run.scaleFactor, c.test.valid, c.test.pValue, level);
  return {
    notebook: r.notebook,
    scale: r.scale,
    seed: r.seed,
    backend: r.backend,
    streams: {
      selection: streamLabel(r.seed, "selection"),
      evaluation: streamLabel(r.seed, "evaluation"),
    },
    consistency: r.evaluation.map(row),
    selection: r.selection.map(row),
    design: r.design,
    config: r.config,
    headline: [
      {
        quantity: `batch sizes consistent with Tables 1–2 (evaluation stream, p > ${level})`,
        ours: consistent.length ? consistent.join(", ") : "none",
        paper: "batch size not stated",
        verdict: consistent.length
          ? `consistent at ${consistent.length} of ${r.evaluation.length} batch sizes`
          : "no batch size of the grid",
      },
      {
        quantity: `Tables 1–2 at batch ${r.design.best} (chosen on the selection stream)`,
        ours: `p = ${formatP(best.test.pValue)}`,
        paper: tables12Outcome(r.paper),
        verdict: decided,
      },
      {
        quantity: `valid rate at batch ${r.design.best} (${best.test.runs} runs)`,
        ours: best.test.valid.estimate,
        interval: { lo: best.test.valid.lo, hi: best.test.valid.hi, level: 0.95 },
        paper: r.paper.valid / r.paper.runs,
      },
      ...(["mean |cos θ₁|", "mean φ", "mean ||cos θ₁| − φ|"] as const).map((q, i) => ({
        quantity: `Table 2 ${q}, one 50-run protocol at batch ${r.design.best}`,
        ours: pr.means[i],
        interval: { lo: pr.ranges.means[i][0], hi: pr.ranges.means[i][1], level: 0.95 },
        paper: [r.paper.meanAbsCos1, r.paper.meanPhi, r.paper.meanAbsDiff][i],
        note: "interval: 95% range of the mean over resampled 50-run protocols at this batch size",
      })),
    ],
    table1: pr.table1.map((x) => ({ run: x.run, cos1: x.cos1, cos2: x.cos2, phi: x.phi })),
    table2: { valid: pr.valid, kept: pr.kept, means: pr.means, ranges: pr.ranges },
  };
}

/** A p-value as the headlines print it. */
export function formatP(p: number): string {
  return Number.isFinite(p) ? (p < 1e-4 ? p.toExponential(1) : p.toPrecision(2)) : "–";
}

/** A consistency row of the results file (lib/claims ResultsFile.consistency). */
export function consistencyRow(
  batchSize: number,
  scaleFactor: number,
  r: Rate,
  pValue: number,
  level: number,
): ConsistencyRow {
  return {
    setting: { batchSize, scaleFactor },
    runs: r.trials,
    rate: { estimate: r.estimate, lo: r.lo, hi: r.hi },
    pValue,
    consistent: Number.isFinite(pValue) && pValue > level,
  };
}

/**
 * Notebook 07's evaluation grid, as notebook 09 needs it for the joint question: the selection grid,
 * the design and the evaluation grid (the same runs as 07's, so read from the cache after 07).
 */
export async function tables12EvaluationGrid(
  c: Tables12Config,
  paper: Section6["table2"],
  o: Omit<GridOptions, "stream">,
): Promise<Tables12Cell[]> {
  const selection = await tables12Grid(c, paper, () => c.selectionRuns, {
    ...o,
    stream: "selection",
  });
  const design = tables12Design(c, selection);
  return tables12Grid(c, paper, (b) => design.runs[b], { ...o, stream: "evaluation" });
}
