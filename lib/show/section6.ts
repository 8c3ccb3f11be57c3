/**
 * Tables and figures of section 6's notebooks (07, 09): pure builders of rows, columns and Plotly
 * figure objects (display them with show.table and show.plot), and texts printed from the numbers
 * (never typed verdicts).
 */
import type { Section6 } from "../data/paper";
import type { Interval } from "../stats/bootstrap";
import type { CompositeVerdict, Outcome, VerdictNumbers } from "../stats/verdict";
import type {
  JointVerdicts,
  Rate,
  Table3Cell,
  Table3Depth,
  Table3GridVerdicts,
  Table3Row,
  Table3Study,
  Tables12Beyond,
  Tables12Cell,
  Tables12GridVerdicts,
  Tables12Protocol,
} from "../experiments";
import type { Column } from "./render";
import { formatNumber } from "./render";
import type { Figure } from "./figures";

const ci = (r: Rate) =>
  r.trials
    ? `${formatNumber(r.estimate, 3)} [${formatNumber(r.lo, 2)}, ${formatNumber(r.hi, 2)}]`
    : "–";

/** ✓ reproduced, ✗ contradicted, ? inconclusive (the legend is printed under every verdict table). */
export function outcomeMark(o: Outcome): string {
  return o === "reproduced" ? "✓" : o === "contradicted" ? "✗" : "?";
}

export const OUTCOME_LEGEND =
  "✓ reproduced (the interval lies within the margin), ✗ contradicted (it lies outside), ? inconclusive (it straddles a bound: the data cannot tell).";

/** One part of a verdict in a grid cell: our value and the outcome's mark. */
function partCell(v: VerdictNumbers, digits = 3): string {
  if (v.untestable) return "– ?";
  return `${formatNumber(v.ours, digits)} ${outcomeMark(v.outcome)}`;
}

/** The columns of tables12GridRows, labelled with the paper's numbers. */
export function tables12GridColumns(paper: Pick<Section6, "table1" | "table2">): Column[] {
  const t = paper.table2;
  const half = `${paper.table1.rows.length / 2}/${paper.table1.rows.length}`;
  return [
    { key: "batch", label: "batch size" },
    { key: "valid", label: "valid rate [95% CI]" },
    { key: "cos1", label: `T1 |cos θ₁| > median (paper ${half})` },
    { key: "cos2", label: `T1 |cos θ₂| > median (paper ${half})` },
    { key: "phi", label: `T1 φ > median (paper ${half})` },
    { key: "t1", label: "Table 1" },
    { key: "pValid", label: `T2 valid (paper ${t.valid}/${t.runs})` },
    { key: "kept", label: `T2 kept (paper ${t.kept}/${t.valid})` },
    { key: "meanCos1", label: `T2 mean |cos θ₁| (${t.meanAbsCos1})` },
    { key: "meanPhi", label: `T2 mean φ (${t.meanPhi})` },
    { key: "meanGap", label: `T2 mean gap (${t.meanAbsDiff})` },
    { key: "t2", label: "Table 2" },
    { key: "both", label: "both" },
  ];
}

/** One row per batch size: every part's value with its outcome, and the composites. */
export function tables12GridRows(
  cells: readonly Tables12Cell[],
  v: Tables12GridVerdicts,
): object[] {
  return v.perBatch.map((b, k) => ({
    batch: b.batchSize,
    valid: ci(cells[k].valid),
    cos1: partCell(b.table1.cos1.numbers),
    cos2: partCell(b.table1.cos2.numbers),
    phi: partCell(b.table1.phi.numbers),
    t1: `${outcomeMark(b.t1.outcome)} ${b.t1.outcome}`,
    pValid: partCell(b.table2.valid.numbers),
    kept: partCell(b.table2.kept.numbers),
    meanCos1: partCell(b.table2.meanCos1.numbers),
    meanPhi: partCell(b.table2.meanPhi.numbers),
    meanGap: partCell(b.table2.meanGap.numbers, 2),
    t2: `${outcomeMark(b.t2.outcome)} ${b.t2.outcome}`,
    both: `${outcomeMark(b.both.outcome)} ${b.both.outcome}`,
  }));
}

export const VERDICT_COLUMNS: Column[] = [
  { key: "what", label: "verdict" },
  { key: "outcome", label: "outcome" },
  { key: "decidedBy", label: "decided by" },
  { key: "deviation", label: "deviation [90% CI]" },
  { key: "margin", label: "margin" },
  { key: "detectable", label: "resolves with 90% power" },
];

const dev = (v: VerdictNumbers) => {
  const f = (x: number) =>
    v.scale === "ratio" ? `×${formatNumber(x, 3)}` : `${x > 0 ? "+" : ""}${formatNumber(x, 3)}`;
  return v.untestable
    ? `not testable: ${v.untestable}`
    : `${f(v.estimate)} [${f(v.interval[0])}, ${f(v.interval[1])}]`;
};
const marginOf = (v: VerdictNumbers) =>
  v.scale === "ratio"
    ? v.margin[0] > 0
      ? `×[${formatNumber(v.margin[0], 3)}, ${formatNumber(v.margin[1], 3)}]`
      : `at most ×${formatNumber(v.margin[1], 3)}`
    : Number.isFinite(v.margin[0])
      ? Math.abs(v.margin[0] + v.margin[1]) < 1e-12
        ? `±${formatNumber(v.margin[1], 3)}`
        : `[${formatNumber(v.margin[0], 3)}, +${formatNumber(v.margin[1], 3)}]`
      : `at most +${formatNumber(v.margin[1], 3)}`;
const resolves = (v: VerdictNumbers) => {
  const f = (x: number) =>
    v.scale === "ratio" ? `×${formatNumber(x, 3)}` : `${x > 0 ? "+" : ""}${formatNumber(x, 3)}`;
  if (v.untestable) return "–";
  const floor =
    v.scale === "ratio" ? `×${formatNumber(Math.exp(v.floor), 3)}` : formatNumber(v.floor, 3);
  const rep = !v.reproducible
    ? `reproduced: never (the paper's own sample leaves ±${floor}, wider than the margin)`
    : v.detectable.reproduced === null
      ? "reproduced: not with this many runs of ours"
      : `reproduced within ${f(v.detectable.reproduced)}`;
  return `contradicted beyond ${f(v.detectable.contradicted)}; ${rep}`;
};

/** A verdict (composite or single) as one row of VERDICT_COLUMNS. */
export function verdictRow(what: string, v: VerdictNumbers & { decidedBy?: string }): object {
  return {
    what,
    outcome: `${outcomeMark(v.outcome)} ${v.outcome}`,
    decidedBy: v.decidedBy ?? "",
    deviation: dev(v),
    margin: marginOf(v),
    detectable: resolves(v),
  };
}

export const TABLE1_COLUMNS: Column[] = [
  { key: "experiment", label: "experiment" },
  { key: "run", label: "run" },
  { key: "cos1", label: "cos θ₁", digits: 4 },
  { key: "cos2", label: "cos θ₂", digits: 4 },
  { key: "phi", label: "φ", digits: 4 },
  { key: "paperCos1", label: "paper cos θ₁", digits: 4 },
  { key: "paperCos2", label: "paper cos θ₂", digits: 4 },
  { key: "paperPhi", label: "paper φ", digits: 4 },
];

/** Table 1: our first valid experiments beside the paper's (other random draws: only the laws can agree). */
export function table1Rows(protocol: Tables12Protocol, paper: Section6["table1"]): object[] {
  return protocol.table1.map((r, k) => ({
    experiment: k + 1,
    run: r.run,
    cos1: r.cos1,
    cos2: r.cos2,
    phi: r.phi,
    paperCos1: paper.rows[k]?.cos1 ?? "",
    paperCos2: paper.rows[k]?.cos2 ?? "",
    paperPhi: paper.rows[k]?.phi ?? "",
  }));
}

export const TABLE2_COLUMNS: Column[] = [
  { key: "quantity", label: "quantity" },
  { key: "ours", label: "ours (one 50-run protocol)" },
  { key: "paper", label: "paper" },
];

/** Table 2 (and the counts before it) from one protocol at a batch size, beside the paper's. */
export function table2Rows(protocol: Tables12Protocol, paper: Section6["table2"]): object[] {
  const n = protocol.runs.length;
  return [
    {
      quantity: `valid runs of ${n}`,
      ours: protocol.valid,
      paper: `${paper.valid} of ${paper.runs}`,
    },
    { quantity: "kept (|cos θ₂| > 0.9)", ours: protocol.kept, paper: paper.kept },
    { quantity: "mean |cos θ₁|", ours: formatNumber(protocol.means[0]), paper: paper.meanAbsCos1 },
    { quantity: "mean φ", ours: formatNumber(protocol.means[1]), paper: paper.meanPhi },
    {
      quantity: "mean ||cos θ₁| − φ|",
      ours: formatNumber(protocol.means[2]),
      paper: paper.meanAbsDiff,
    },
  ];
}

/** A rate (with its 95% interval) against the batch size, one series per group, and the paper's rate. */
export function rateFigure(
  series: ReadonlyArray<{ name: string; points: ReadonlyArray<{ x: number; rate: Rate }> }>,
  paperRate: number | null,
  title: string,
  yTitle: string,
): Figure {
  const xs = series.flatMap((s) => s.points.map((q) => q.x));
  const data: Array<Record<string, unknown>> = series.map((s) => ({
    x: s.points.map((q) => q.x),
    y: s.points.map((q) => q.rate.estimate),
    error_y: {
      type: "data",
      symmetric: false,
      array: s.points.map((q) => q.rate.hi - q.rate.estimate),
      arrayminus: s.points.map((q) => q.rate.estimate - q.rate.lo),
    },
    mode: "lines+markers",
    name: s.name,
  }));
  if (paperRate !== null) {
    data.push({
      x: [Math.min(...xs), Math.max(...xs)],
      y: [paperRate, paperRate],
      mode: "lines",
      name: "paper",
      line: { dash: "dash", color: "#444" },
    });
  }
  return {
    data,
    layout: {
      title,
      height: 380,
      xaxis: { title: "batch size", type: "log" },
      yaxis: { title: yTitle, range: [0, 1.05] },
    },
  };
}

/** |cos θ₁| against φ over runs, by whether each run is valid and kept, with y = x. */
export function cos1PhiFigure(cells: readonly Tables12Cell[], cos2Threshold: number): Figure {
  const runs = cells.flatMap((c) => c.runs);
  const group = (
    name: string,
    keep: (r: (typeof runs)[number]) => boolean,
    marker: Record<string, unknown>,
  ) => ({
    x: runs.filter(keep).map((r) => r.phi),
    y: runs.filter(keep).map((r) => Math.abs(r.cos1)),
    mode: "markers",
    name,
    marker,
  });
  return {
    data: [
      group("valid, |cos θ₂| > 0.9", (r) => r.valid && Math.abs(r.cos2) > cos2Threshold, {
        size: 5,
      }),
      group("valid, |cos θ₂| ≤ 0.9", (r) => r.valid && Math.abs(r.cos2) <= cos2Threshold, {
        symbol: "diamond",
        size: 6,
      }),
      group("not valid (accuracy < 1)", (r) => !r.valid, { symbol: "x", color: "#999", size: 5 }),
      { x: [0, 1], y: [0, 1], mode: "lines", name: "y = x", line: { dash: "dash", color: "#444" } },
    ],
    layout: {
      title: "|cos θ₁| against φ, every run of every batch size",
      height: 440,
      xaxis: { title: "φ = |R_dd| / ‖a_d‖", range: [0, 1] },
      yaxis: { title: "|cos θ₁|", range: [0, 1] },
    },
  };
}

/** Printed under the verdicts at quick scale: d and the widths are not the paper's. */
export const QUICK_SCALE_NOTE =
  "**At quick scale** the networks are smaller and d is not the paper's, so these verdicts compare different experiments with the paper's numbers: they show that the machinery runs, not whether the paper is reproduced. The comparison with the paper is the paper-scale run (`--scale paper`).";

/** Which settings a verdict reproduced, contradicted or left undecided, printed from the outcomes. */
export function outcomesText(items: ReadonlyArray<{ label: string; outcome: Outcome }>): string {
  const list = (o: Outcome) => {
    const xs = items.filter((x) => x.outcome === o).map((x) => x.label);
    return xs.length ? xs.join(", ") : "none";
  };
  return `Inconclusive: ${list("inconclusive")}. Contradicted: ${list("contradicted")}. Reproduced: ${list("reproduced")}.`;
}

export const BEYOND_COLUMNS: Column[] = [
  { key: "quantity", label: "quantity" },
  { key: "estimate", label: "estimate" },
  { key: "interval", label: "95% interval" },
];

/** The exact-robustness ratios of notebook 07's Step 5, one row each. */
export function tables12BeyondRows(b: Tables12Beyond): object[] {
  const iv = (lo: number, hi: number) => `[${formatNumber(lo, 3)}, ${formatNumber(hi, 3)}]`;
  return [
    {
      quantity: "needed at the median point / (|cos θ₁|·‖a_d‖), geometric mean",
      estimate: b.median.ratio,
      interval: iv(b.median.lo, b.median.hi),
    },
    {
      quantity: "bias share |b| / |c_d| (the median ratio is at least 1 minus it), median",
      estimate: b.biasOverFeature.median,
      interval: `largest ${formatNumber(b.biasOverFeature.max, 3)}`,
    },
    {
      quantity: "needed at the worst point / (|cos θ₁|·‖a_d‖), geometric mean",
      estimate: b.worst.ratio,
      interval: iv(b.worst.lo, b.worst.hi),
    },
    {
      quantity: "needed at the worst point / optimal min_u‖Au‖, median",
      estimate: b.overOptimal.median,
      interval: iv(b.overOptimal.lo, b.overOptimal.hi),
    },
    { quantity: "Pearson r of φ and |cos θ₁|", estimate: b.phiCos1, interval: "" },
  ];
}

export const TABLE3_GRID_COLUMNS: Column[] = [
  { key: "scaling", label: "scaling" },
  { key: "batch", label: "batch size" },
  { key: "accurate", label: "accurate / runs" },
  { key: "meanRow", label: "mean row" },
  { key: "medianRow", label: "median row" },
  { key: "outcome", label: "Table 3" },
  { key: "deviation", label: "deciding deviation [90% CI]" },
];

/** One row per setting of the Table 3 grid: both rows' values with their outcomes. */
export function table3GridRows(cells: readonly Table3Cell[], v: Table3GridVerdicts): object[] {
  return v.perSetting.map((s, k) => {
    const [meanRow, medianRow] = s.verdict.parts.map((p) => p.numbers);
    return {
      scaling: `×${s.scaleFactor}`,
      batch: s.batchSize,
      accurate: `${cells[k].accurate.length}/${cells[k].runs.length}`,
      meanRow: partCell(meanRow),
      medianRow: partCell(medianRow),
      outcome: `${outcomeMark(s.verdict.outcome)} ${s.verdict.outcome}`,
      deviation: `${s.verdict.decidedBy}: ${dev(s.verdict)}`,
    };
  });
}

/** The accurate rate against the batch size, one series per scaling. */
export function table3RateSeries(
  cells: readonly Table3Cell[],
): Array<{ name: string; points: Array<{ x: number; rate: Rate }> }> {
  const scales = [...new Set(cells.map((c) => c.scaleFactor))];
  return scales.map((s) => ({
    name: `×${s}`,
    points: cells.filter((c) => c.scaleFactor === s).map((c) => ({ x: c.batchSize, rate: c.rate })),
  }));
}

export const TABLE3_COLUMNS: Column[] = [
  { key: "alpha", label: "α" },
  { key: "mean", label: "mean ρ [95% CI]" },
  { key: "paperMean", label: "paper mean", digits: 4 },
  { key: "median", label: "median ρ [95% CI]" },
  { key: "paperMedian", label: "paper median", digits: 4 },
];

/** Table 3 beside the paper's, one row per α. */
export function table3Rows(rows: readonly Table3Row[]): object[] {
  const iv = (x: Interval) =>
    `${formatNumber(x.estimate, 4)} [${formatNumber(x.lo, 3)}, ${formatNumber(x.hi, 3)}]`;
  return rows.map((r) => ({
    alpha: r.alpha,
    mean: iv(r.mean),
    paperMean: r.paperMean,
    median: iv(r.median),
    paperMedian: r.paperMedian,
  }));
}

/** ρ along the segment from b₂ (α = 0) to b₁ (α = 1): our mean (95% CI) and median against the paper's, and single networks. */
export function table3Figure(rows: readonly Table3Row[], cell: Table3Cell): Figure {
  const a = rows.map((r) => r.alpha);
  return {
    data: [
      {
        x: a,
        y: rows.map((r) => r.mean.estimate),
        error_y: {
          type: "data",
          symmetric: false,
          array: rows.map((r) => r.mean.hi - r.mean.estimate),
          arrayminus: rows.map((r) => r.mean.estimate - r.mean.lo),
        },
        mode: "lines+markers",
        name: "ours: mean (95% CI)",
      },
      {
        x: a,
        y: rows.map((r) => r.median.estimate),
        mode: "lines+markers",
        name: "ours: median",
        line: { dash: "dot" },
      },
      {
        x: a,
        y: rows.map((r) => r.paperMean),
        mode: "markers",
        name: "paper: mean",
        marker: { symbol: "x", size: 9 },
      },
      {
        x: a,
        y: rows.map((r) => r.paperMedian),
        mode: "markers",
        name: "paper: median",
        marker: { symbol: "diamond-open", size: 9 },
      },
      ...cell.accurate.slice(0, 12).map((r) => ({
        x: a,
        y: r.rho,
        mode: "lines",
        line: { width: 1, color: "#bbb" },
        showlegend: false,
      })),
    ],
    layout: {
      title: "ρ along the segment from b₂ (α = 0) to b₁ (α = 1); grey: single networks",
      height: 440,
      xaxis: { title: "α" },
      yaxis: { title: "ρ", range: [0, 1] },
    },
  };
}

export const CHECK_COLUMNS: Column[] = [
  { key: "batch", label: "batch" },
  { key: "path", label: "trainer path" },
  { key: "loss", label: "loss (exact trainer)" },
  { key: "lossTfjs", label: "loss (tfjs)" },
  { key: "error", label: "largest relative gradient error", digits: 3 },
];

export const ATTACK_COLUMNS: Column[] = [
  { key: "quantity", label: "quantity" },
  { key: "estimate", label: "estimate" },
  { key: "interval", label: "interval" },
];

/** The study's measured ratios (notebook 09), reported beside its verdicts. */
export function table3StudyRows(s: Table3Study): object[] {
  const iv = (lo: number, hi: number) => `[${formatNumber(lo, 3)}, ${formatNumber(hi, 3)}]`;
  return [
    {
      quantity: "Pearson r of ρ (mean over α) and φ of the same data set",
      estimate: s.rhoPhi.r,
      interval: `${iv(s.rhoPhi.lo, s.rhoPhi.hi)} (95% Fisher z)`,
    },
    {
      quantity: "attacked points flipped by a verified perturbation (by the segment bisection)",
      estimate: `${s.flipped} of ${s.points} (${s.segment})`,
      interval: "",
    },
  ];
}

export const DEPTH_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "accurate", label: "accurate / data sets" },
  { key: "pairs", label: "data sets with both accurate" },
  { key: "rho", label: "mean ρ (deeper; one layer)" },
  { key: "outcome", label: "deeper / one layer" },
];

/** The depth remark's arms and their paired verdicts. */
export function table3DepthRows(d: Table3Depth, dim: number): object[] {
  return d.cells.map(({ width, depth, cell }) => {
    const p = d.pairs.find((x) => x.width === width && x.depth === depth);
    return {
      network: `${dim}→${Array<number>(depth).fill(width).join("→")}→2`,
      accurate: `${cell.accurate.length}/${cell.runs.length}`,
      pairs: p ? p.pairs : "baseline",
      rho: p ? `${formatNumber(p.rho, 3)}; ${formatNumber(p.baseline, 3)}` : "",
      outcome: p ? `${outcomeMark(p.verdict.outcome)} ${dev(p.verdict)}` : "",
    };
  });
}

export const JOINT_COLUMNS: Column[] = [
  { key: "batch", label: "batch size" },
  { key: "tables12", label: "Tables 1–2 (notebook 07)" },
  { key: "table3", label: "Table 3 (either scaling)" },
  { key: "all", label: "all three" },
];

export function jointRows(j: JointVerdicts): object[] {
  const cell = (v: CompositeVerdict) => `${outcomeMark(v.outcome)} ${v.outcome} (${v.decidedBy})`;
  return j.perBatch.map((b) => ({
    batch: b.batchSize,
    tables12: cell(b.tables12),
    table3: cell(b.table3),
    all: `${outcomeMark(b.all.outcome)} ${b.all.outcome}`,
  }));
}
