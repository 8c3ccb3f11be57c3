/**
 * Section 6, non-linear networks (Table 3), without circular selection: the unstated batch size and
 * ×5 column scaling form a grid; every cell's runs are on a named stream of their own; the setting
 * evaluated against the paper is chosen on the selection stream, and every claim about the paper is
 * evaluated on the evaluation stream's fresh runs.
 */
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import type { Section6 } from "../data/paper";
import { streamLabel, type StreamName } from "../data/streams";
import type { Rng } from "../random/rng";
import type { TestInput } from "../claims/ledger";
import { bootstrapInterval, type Interval } from "../stats/bootstrap";
import { studentTCdf } from "../stats/distributions";
import { linearFit, mean, median, slopeInterval, std, variance } from "../stats/summary";
import { correlationInterval, equivalenceTest, reportedMeansMinRecords } from "../stats/twosample";
import { consistencyRow, formatP, type GridClaim } from "./tables12";
import type { ResultsFile } from "../claims/outputs";
import { HYPERCUBE_RELU_TRAINER } from "../training/hypercube-relu";
import { TFJS_TRAINER_VERSION } from "../training/mlp";
import type { CacheStatus } from "./cache";
import type { Scale } from "./config";
import { type Rate, table3Consistency, type Table3Test } from "./consistency";
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
  /**
   * Accurate networks a screening cell needs for its test to count: with fewer, a setting is
   * "not testable" rather than "consistent" (a t test on a handful of networks has too little
   * power for its p > level to pre-register a reproduction).
   */
  screenNetworks: number;
  /** Accurate networks the paper averages over (50); an evaluated cell trains until it has them. */
  networks: number;
  /** The most runs an evaluated cell may train for them. */
  maxRuns: number;
  /** For a reproduction, the evaluation stream trains the consistent settings with the largest selection p-values, at most this many. */
  evaluateCap: number;
  /** The attack study on the evaluated setting's accurate networks. */
  attack: { points: number; restarts: number };
  /** The depth remark, at the chosen setting: hidden widths tried, accurate networks per depth, run cap. */
  depth: { hidden: number[][]; networks: number; maxRuns: number };
  resamples: number;
  /** Level of each consistency test. */
  level: number;
  /** Worker threads; default every core (resolveWorkers: FRAGILITY_WORKERS, --set workers=N). */
  workers?: number;
}

const ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 };

export const table3Defaults: Record<Scale, Omit<Table3Config, "alphas">> = {
  quick: {
    run: { d: 8, hidden: [128], epochs: 20, ...ADAM },
    batchSizes: [16, 64],
    scaleFactors: [5, 1],
    selectionRuns: 24,
    screenNetworks: 8,
    networks: 60,
    maxRuns: 800,
    evaluateCap: 2,
    attack: { points: 6, restarts: 1 },
    depth: { hidden: [[128], [128, 128]], networks: 4, maxRuns: 80 },
    resamples: 500,
    level: 0.01,
  },
  paper: {
    run: { d: 12, hidden: [3000], epochs: 20, ...ADAM },
    batchSizes: [16, 32, 64, 128, 256, 512, 1024, 2048, 4096],
    scaleFactors: [5, 1],
    selectionRuns: 8,
    screenNetworks: 4,
    networks: 50,
    maxRuns: 400,
    evaluateCap: 2,
    attack: { points: 8, restarts: 2 },
    depth: { hidden: [[128], [128, 128], [128, 128, 128]], networks: 8, maxRuns: 40 },
    resamples: 4000,
    level: 0.01,
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
  requireInteger(fn, "screenNetworks", c.screenNetworks, reportedMeansMinRecords(1), max);
  requireInteger(fn, "networks", c.networks, 2, max);
  requireInteger(fn, "maxRuns", c.maxRuns, c.networks, max);
  requireInteger(fn, "evaluateCap", c.evaluateCap, 1, c.batchSizes.length * c.scaleFactors.length);
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
}

/** The trainer of a setting: the exact hypercube trainer for one hidden layer, tfjs otherwise (part of the cache key). */
export function reluTrainer(hidden: readonly number[], backend: string): string {
  return hidden.length === 1
    ? HYPERCUBE_RELU_TRAINER
    : `tfjs ${backend} trainer v${TFJS_TRAINER_VERSION}`;
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
export function table3CellId(s: Table3Setting, depth = 1): number[] {
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
  plan: {
    runs: number;
    networks?: number;
    attack: boolean;
    hidden?: number[];
    /** Accurate networks the consistency test needs (default: the test's minimum). */
    minNetworks?: number;
  },
  o: Table3GridOptions,
): Promise<Table3Cell> {
  const depth = (plan.hidden ?? c.run.hidden).length;
  const want = plan.networks;
  const series = await runSeries({
    protocol: "relu",
    config: table3RunConfig(c, s, { hidden: plan.hidden, attack: plan.attack, backend: o.backend }),
    seed: o.seed,
    stream: o.stream,
    cell: table3CellId(s, depth),
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
  const test = table3Consistency(series.runs, paper, c.networks, plan.minNetworks);
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
export async function table3Screen(
  c: Table3Config,
  paper: Section6["table3"],
  o: Table3GridOptions,
): Promise<Table3Cell[]> {
  validateTable3Config(c);
  const cells: Table3Cell[] = [];
  for (const scaleFactor of c.scaleFactors) {
    for (const batchSize of c.batchSizes) {
      const s = { batchSize, scaleFactor };
      const plan = { runs: c.selectionRuns, attack: false, minNetworks: c.screenNetworks };
      cells.push(await table3Series(c, paper, s, plan, o));
    }
  }
  return cells;
}

/** Screening runs per setting in the "full" mode: a ±0.07 interval on an accurate rate near ½. */
export const TABLE3_FULL_SCREENING_RUNS = 200;

/** The config of a scale with the paper's α stencil and the screening mode ("main": the main job's budget). */
export function table3Config(
  base: Omit<Table3Config, "alphas">,
  alphas: readonly number[],
  screening: "main" | "full",
): Table3Config {
  if (screening !== "main" && screening !== "full")
    fail("table3Config", "screening", screening, 'must be "main" or "full"');
  return {
    ...base,
    alphas: [...alphas],
    selectionRuns: screening === "full" ? TABLE3_FULL_SCREENING_RUNS : base.selectionRuns,
  };
}

/** The cell of a setting among cells. */
export function cellAt<T extends Table3Setting>(cells: readonly T[], s: Table3Setting): T {
  const c = cells.find((x) => x.batchSize === s.batchSize && x.scaleFactor === s.scaleFactor);
  if (!c) fail("cellAt", "setting", settingLabel(s), "is not among the cells");
  return c;
}

/** The evaluation stream's cells of a design: each trained until `networks` are accurate (at most maxRuns), accurate ones attacked. */
export async function table3Evaluate(
  c: Table3Config,
  paper: Section6["table3"],
  design: Table3Design,
  o: Table3GridOptions,
): Promise<Table3Cell[]> {
  const cells: Table3Cell[] = [];
  for (const s of design.evaluate) {
    const plan = { runs: c.maxRuns, networks: c.networks, attack: true };
    cells.push(await table3Series(c, paper, s, plan, o));
  }
  return cells;
}

/** What the selection stream decides for the evaluation stream. */
export interface Table3Design {
  /** Settings consistent with Table 3 on the selection stream (p > level), by decreasing p-value. */
  consistent: Table3Setting[];
  /** Settings with too few accurate networks on the selection stream to test, with their accurate rates. */
  untestable: Array<Table3Setting & { accurate: Rate }>;
  /** The setting of Table 3's display (largest selection p-value) and its p-value. */
  best: Table3Setting;
  bestP: number;
  /** "reproduction" when some setting was consistent on the selection stream, else "erratum". */
  claim: "reproduction" | "erratum";
  /** Accurate networks a screening cell needed to be tested (config.screenNetworks). */
  screenNetworks: number;
  /** Settings the evaluation stream trains: the consistent ones (at most evaluateCap, by p); for an erratum every testable one. */
  evaluate: Table3Setting[];
}

export function table3Design(c: Table3Config, screening: readonly Table3Cell[]): Table3Design {
  const testable = screening
    .filter((s) => Number.isFinite(s.test.pValue))
    .sort((a, b) => b.test.pValue - a.test.pValue);
  const untestable = screening
    .filter((s) => !Number.isFinite(s.test.pValue))
    .map((s) => ({ ...pick(s), accurate: s.test.accurate }));
  if (testable.length === 0)
    fail(
      "table3Design",
      "screening",
      screening.length,
      `has no setting with ${c.screenNetworks} accurate networks`,
    );
  const consistent = testable.filter((s) => s.test.pValue > c.level).map(pick);
  const claim = consistent.length ? "reproduction" : "erratum";
  return {
    consistent,
    untestable,
    best: pick(testable[0]),
    bestP: testable[0].test.pValue,
    claim,
    screenNetworks: c.screenNetworks,
    evaluate: claim === "reproduction" ? consistent.slice(0, c.evaluateCap) : testable.map(pick),
  };
}

function pick(s: Table3Setting): Table3Setting {
  return { batchSize: s.batchSize, scaleFactor: s.scaleFactor };
}

/**
 * Table 3's claim over the evaluated settings, in the form the selection stream pre-registered.
 * Both test H₀ "some evaluated setting produces Table 3's mean row" by the intersection–union test
 * (p = the largest p-value of the evaluated settings): a reproduction (the evaluated settings are
 * the selection stream's consistent ones; passes when H₀ survives) or an erratum (no setting was
 * consistent, every testable one is evaluated; passes when H₀ is rejected). Settings with too few
 * accurate networks cannot be tested and are named in the claim.
 */
export function table3Claim(design: Table3Design, evaluated: readonly Table3Cell[]): GridClaim {
  const ps = evaluated.map((c) => c.test.pValue).filter(Number.isFinite);
  if (ps.length === 0)
    fail("table3Claim", "evaluated", evaluated.length, "has no testable setting");
  const labels = evaluated.map(settingLabel).join("; ");
  const test = {
    pValue: Math.max(...ps),
    hypothesis: `some evaluated setting (${labels}) produces Table 3's mean row`,
    method:
      "per setting: two-sided t test of the stencil average of Table 3's mean row (50 networks against ours); intersection–union over the evaluated settings (largest p)",
  };
  if (design.claim === "reproduction") {
    return {
      kind: "reproduction",
      name: `Table 3's mean row (50 accurate networks) is reproduced at a setting consistent on the selection stream (${labels})`,
      test,
    };
  }
  const untestable = design.untestable.length
    ? `; not testable, too few accurate networks on the selection stream: ${design.untestable
        .map((u) => `${settingLabel(u)} (${u.accurate.successes} of ${u.accurate.trials})`)
        .join("; ")}`
    : "";
  return {
    kind: "erratum",
    name: `no setting of the grid with ${design.screenNetworks} or more accurate networks on the selection stream reproduces Table 3's mean row${untestable}`,
    test,
  };
}

export interface Table3Row {
  alpha: number;
  mean: Interval;
  median: Interval;
  paperMean: number;
  paperMedian: number;
}

/** Table 3 at a setting: the mean and median of ρ over its accurate networks at each α, with 95% bootstrap intervals. */
export function table3Table(cell: Table3Cell, paper: Section6["table3"], rng: Rng): Table3Row[] {
  if (cell.accurate.length < 2)
    fail("table3Table", "cell", settingLabel(cell), "has fewer than 2 accurate networks");
  return paper.alpha.map((alpha, i) => {
    const v = cell.accurate.map((r) => r.rho[i]);
    return {
      alpha,
      mean: bootstrapInterval(v, mean, rng.child(i, 0)),
      median: bootstrapInterval(v, median, rng.child(i, 1)),
      paperMean: paper.mean[i],
      paperMedian: paper.median[i],
    };
  });
}

/** What section 6 says about ρ besides Table 3, and what it leaves out, over a setting's accurate networks. */
export interface Table3Beyond {
  networks: number;
  /** Per network, the least-squares slope of ρ(α) on α: mean and standard error over networks. */
  alphaSlope: { mean: number; se: number };
  /** The equivalence margin of "ρ barely depends on α": |mean slope| < margin. */
  flatMargin: number;
  /** ρ (averaged over α) against Theorem 6's φ of the same data set: Pearson's r, 95% Fisher-z interval. */
  rhoPhi: { r: number; lo: number; hi: number };
  /** Per attacked network, the geometric mean of needed/(ρ‖a_d‖) at b₁ and b₂ (ρ's first-order prediction); geometric mean over networks and its 95% interval. */
  predicted: { ratio: number; lo: number; hi: number; networks: number };
  /** Per network: the smallest needed perturbation over the attacked points over the optimal min_u‖Au‖, over ρ. */
  worstOverRho: { ratio: number; lo: number; hi: number };
  /** Attacked points, those flipped by a verified perturbation, and those where DeepFool found none (the segment bisection did). */
  points: number;
  flipped: number;
  segment: number;
  tests: { alphaFlat: TestInput; rhoPredicts: TestInput };
}

/**
 * The equivalence margin of "ρ barely depends on α", fixed from the paper before any run: the mean
 * slope of ρ on α (the change of ρ from α = 0 to α = 1) within a tenth of Table 3's mean ρ.
 */
export function table3FlatMargin(paper: Section6["table3"]): number {
  return 0.1 * mean(paper.mean);
}

export function table3Beyond(
  cell: Table3Cell,
  paper: Section6["table3"],
  rng: Rng,
  margin = 1.25,
): Table3Beyond {
  const alphas = paper.alpha;
  const nets = cell.accurate.filter((r) => r.attack);
  if (cell.accurate.length < 4)
    fail("table3Beyond", "cell", settingLabel(cell), "has fewer than 4 accurate networks");
  if (nets.length < 3)
    fail("table3Beyond", "cell", settingLabel(cell), "has fewer than 3 attacked networks");
  const slopes = cell.accurate.map((r) => linearFit(alphas, r.rho).slope);
  const flatMargin = table3FlatMargin(paper);
  const flat = equivalenceTest(slopes, -flatMargin, flatMargin);
  const rhoPhi = correlationInterval(
    cell.accurate.map((r) => r.phi),
    cell.accurate.map((r) => mean(r.rho)),
  );
  // One value per network (its two points share the network): the mean of the log ratios at b₁ (ρ
  // at α = 1) and b₂ (ρ at α = 0).
  const logPred = nets.map((r) => {
    const [p1, p2] = r.attack!.points;
    const l1 = Math.log(p1.actual / (r.rho[r.rho.length - 1] * r.adNorm));
    const l2 = Math.log(p2.actual / (r.rho[0] * r.adNorm));
    return (l1 + l2) / 2;
  });
  const pred = bootstrapInterval(logPred, mean, rng.child(1));
  const eq = equivalenceTest(logPred, -Math.log(margin), Math.log(margin));
  const logWorst = nets.map((r) =>
    Math.log(
      Math.min(...r.attack!.points.map((p) => p.actual)) / r.attack!.optimalWorst / mean(r.rho),
    ),
  );
  const worst = bootstrapInterval(logWorst, mean, rng.child(2));
  const points = nets.reduce((s, r) => s + r.attack!.points.length, 0);
  const flipped = nets.reduce(
    (s, r) => s + r.attack!.points.filter((p) => Number.isFinite(p.actual) && p.actual > 0).length,
    0,
  );
  const segment = nets.reduce(
    (s, r) => s + r.attack!.points.filter((p) => p.method === "segment").length,
    0,
  );
  return {
    networks: cell.accurate.length,
    alphaSlope: { mean: flat.mean, se: flat.se },
    flatMargin,
    rhoPhi: { r: rhoPhi.r, lo: rhoPhi.lo, hi: rhoPhi.hi },
    predicted: {
      ratio: Math.exp(pred.estimate),
      lo: Math.exp(pred.lo),
      hi: Math.exp(pred.hi),
      networks: nets.length,
    },
    worstOverRho: {
      ratio: Math.exp(worst.estimate),
      lo: Math.exp(worst.lo),
      hi: Math.exp(worst.hi),
    },
    points,
    flipped,
    segment,
    tests: {
      alphaFlat: {
        pValue: flat.pValue,
        statistic: flat.mean,
        hypothesis: `the mean over networks of the slope of ρ on α is outside ±${flatMargin.toFixed(4)} (a tenth of Table 3's mean ρ)`,
        method: `two one-sided t tests over ${slopes.length} networks`,
        passWhen: "rejected",
      },
      rhoPredicts: {
        pValue: eq.pValue,
        hypothesis: `the geometric mean over networks of needed / (ρ‖a_d‖) at b₁, b₂ is outside [${(1 / margin).toFixed(2)}, ${margin}]`,
        method: `two one-sided t tests over ${logPred.length} networks (each: the mean of its two log ratios)`,
        passWhen: "rejected",
      },
    },
  };
}

/** The depth remark ("similarly small with more layers"), at a setting: one series per depth. */
export interface Table3Depth {
  cells: Table3Cell[];
  /** Mean ρ (averaged over α) per network, per depth. */
  rho: Array<{ layers: number; widths: number[]; values: number[]; mean: number; se: number }>;
  /** The least-squares slope of ρ on the number of hidden layers, with its 95% interval (reported, not claimed). */
  slope: { estimate: number; lo: number; hi: number };
  tests: { notMoreRobust: TestInput };
}

export async function table3Depth(
  c: Table3Config,
  paper: Section6["table3"],
  s: Table3Setting,
  o: Table3GridOptions,
): Promise<Table3Depth> {
  const cells: Table3Cell[] = [];
  for (const hidden of c.depth.hidden) {
    cells.push(
      await table3Series(
        c,
        paper,
        s,
        { runs: c.depth.maxRuns, networks: c.depth.networks, attack: false, hidden },
        o,
      ),
    );
  }
  const rho = cells.map((cell, k) => {
    const values = cell.accurate.map((r) => mean(r.rho));
    return {
      layers: c.depth.hidden[k].length,
      widths: c.depth.hidden[k],
      values,
      mean: values.length ? mean(values) : Number.NaN,
      se: values.length > 1 ? std(values) / Math.sqrt(values.length) : Number.NaN,
    };
  });
  const shallow = rho[0];
  const deep = rho.slice(1).flatMap((r) => r.values);
  if (shallow.values.length < 2 || deep.length < 2)
    fail(
      "table3Depth",
      "networks",
      [shallow.values.length, deep.length],
      "needs 2 accurate networks per group",
    );
  const more = welchOneSided(deep, shallow.values);
  const fit = linearFit(
    rho.flatMap((r) => r.values.map(() => r.layers)),
    rho.flatMap((r) => r.values),
  );
  const iv = slopeInterval(fit, 0.95);
  return {
    cells,
    rho,
    slope: { estimate: fit.slope, lo: iv.lo, hi: iv.hi },
    tests: {
      notMoreRobust: {
        pValue: more,
        hypothesis: "deeper networks' mean ρ is at most the one-hidden-layer networks'",
        method: "one-sided Welch t test",
      },
    },
  };
}

/**
 * The depth remark's claim on the evaluation stream, in the form the selection stream's depth runs
 * pre-registered. When the selection stream's one-sided Welch test already found deeper networks
 * more robust (p ≤ level), the claim is the erratum "deeper networks' ρ is larger" (H₀: it is at
 * most the one-hidden-layer networks', passing when the evaluation stream rejects it); otherwise
 * the reproduction "ρ is no larger with more layers" (the same H₀, passing unless rejected).
 */
export function depthClaim(
  selection: Table3Depth,
  evaluation: Table3Depth,
  level: number,
): { kind: "reproduction" | "erratum"; name: string; test: TestInput } {
  requireInRange("depthClaim", "level", level, 0, 0.5, [false, true]);
  const test = evaluation.tests.notMoreRobust;
  return selection.tests.notMoreRobust.pValue <= level
    ? {
        kind: "erratum",
        name: "deeper networks' ρ is larger than one hidden layer's (section 6: similarly small)",
        test: { ...test, passWhen: "rejected" },
      }
    : {
        kind: "reproduction",
        name: "ρ is no larger with more layers (section 6: similarly small)",
        test: { ...test, passWhen: "not rejected" },
      };
}

/** One-sided Welch test of H₀: mean(a) ≤ mean(b) against mean(a) > mean(b). */
function welchOneSided(a: readonly number[], b: readonly number[]): number {
  const va = variance(a) / a.length;
  const vb = variance(b) / b.length;
  const t = (mean(a) - mean(b)) / Math.sqrt(va + vb);
  const nu = (va + vb) ** 2 / (va ** 2 / (a.length - 1) + vb ** 2 / (b.length - 1));
  return 1 - studentTCdf(t, nu);
}

/** Tables 1–2 and Table 3 at one batch size (×5, the linear experiments' scaling): are both consistent? */
export interface JointRow {
  batchSize: number;
  /** Tables 1–2's p-value on the evaluation stream. */
  pLinear: number;
  /** Table 3's p-value at ×5: the evaluation stream's where evaluated, else the selection stream's (NaN: not testable). */
  pRelu: number;
  reluStream: StreamName;
  /** "both": both consistent; "not both": one is rejected; "not tested": a p-value is missing. */
  both: "both" | "not both" | "not tested";
}

export function jointSettings(
  linear: readonly { batchSize: number; test: { pValue: number } }[],
  screening: readonly Table3Cell[],
  evaluated: readonly Table3Cell[],
  level: number,
  scaleFactor = 5,
): JointRow[] {
  return linear.map((l) => {
    const at = (cells: readonly Table3Cell[]) =>
      cells.find((c) => c.batchSize === l.batchSize && c.scaleFactor === scaleFactor);
    const relu = at(evaluated) ?? at(screening);
    const pRelu = relu ? relu.test.pValue : Number.NaN;
    const tested = Number.isFinite(l.test.pValue) && Number.isFinite(pRelu);
    return {
      batchSize: l.batchSize,
      pLinear: l.test.pValue,
      pRelu,
      reluStream: relu ? relu.stream : "selection",
      both: !tested ? "not tested" : l.test.pValue > level && pRelu > level ? "both" : "not both",
    };
  });
}

/** Everything notebook 09 reports, as its results file. */
export function table3Results(r: {
  notebook: string;
  scale: string;
  seed: number;
  backend: string;
  config: Table3Config;
  screening: readonly Table3Cell[];
  design: Table3Design;
  evaluated: readonly Table3Cell[];
  claim: GridClaim & { passed: boolean };
  table: readonly Table3Row[];
  beyond: Table3Beyond;
  joint: readonly JointRow[];
}): ResultsFile {
  const level = r.config.level;
  const row = (c: Table3Cell) =>
    consistencyRow(c.batchSize, c.scaleFactor, c.test.accurate, c.test.pValue, level);
  const best = r.evaluated.find(
    (c) => c.batchSize === r.design.best.batchSize && c.scaleFactor === r.design.best.scaleFactor,
  );
  const at444 =
    r.table.find((t) => Math.abs(t.alpha - 0.444) < 1e-9) ??
    r.table[Math.floor(r.table.length / 2)];
  const both = r.joint.filter((j) => j.both === "both").map((j) => j.batchSize);
  return {
    notebook: r.notebook,
    scale: r.scale,
    seed: r.seed,
    backend: r.backend,
    streams: {
      selection: streamLabel(r.seed, "selection"),
      evaluation: streamLabel(r.seed, "evaluation"),
    },
    consistency: [...r.evaluated.map(row)],
    selection: r.screening.map(row),
    design: r.design,
    config: r.config,
    headline: [
      {
        quantity: `settings consistent with Table 3 on the selection stream (p > ${level})`,
        ours: r.design.consistent.length
          ? r.design.consistent.map(settingLabel).join("; ")
          : "none",
        paper: "batch size and scaling not stated",
      },
      {
        quantity: `Table 3 at ${settingLabel(r.design.best)} (chosen on the selection stream), evaluation stream`,
        ours: best
          ? `p = ${formatP(best.test.pValue)} (${best.accurate.length} accurate in ${best.runs.length} runs)`
          : "–",
        paper: "50 accurate networks",
        verdict: `${r.claim.kind} ${r.claim.passed ? "holds" : "fails"} (p = ${formatP(r.claim.test.pValue)})`,
      },
      {
        quantity: `Table 3 mean ρ at α = ${at444.alpha}`,
        ours: at444.mean.estimate,
        interval: { lo: at444.mean.lo, hi: at444.mean.hi, level: 0.95 },
        paper: at444.paperMean,
      },
      {
        quantity: `Table 3 median ρ at α = ${at444.alpha}`,
        ours: at444.median.estimate,
        interval: { lo: at444.median.lo, hi: at444.median.hi, level: 0.95 },
        paper: at444.paperMedian,
      },
      {
        quantity:
          "attack: needed / (ρ‖a_d‖) at b₁, b₂ (ρ's first-order prediction), geometric mean",
        ours: r.beyond.predicted.ratio,
        interval: { lo: r.beyond.predicted.lo, hi: r.beyond.predicted.hi, level: 0.95 },
        paper: "1 (ρ is the robustness ratio, locally)",
      },
      {
        quantity: "attack: (worst needed / optimal min_u‖Au‖) / ρ, geometric mean",
        ours: r.beyond.worstOverRho.ratio,
        interval: { lo: r.beyond.worstOverRho.lo, hi: r.beyond.worstOverRho.hi, level: 0.95 },
        paper:
          '1: ρ is the worst-case robustness ratio to the optimal classifier, "locally" (section 6)',
      },
      {
        quantity: "batch sizes consistent with Tables 1–2 and Table 3 (×5) together",
        ours: both.length ? both.join(", ") : "none",
        paper: "one protocol (section 6)",
      },
    ],
    table3: r.table.map((t) => ({ alpha: t.alpha, mean: t.mean, median: t.median })),
    joint: r.joint,
  };
}
