/**
 * Tables and figures of section 6's notebooks (07, 09, 10): pure builders of rows, columns and
 * Plotly figure objects (display them with show.table and show.plot), and texts printed from the
 * numbers (never typed verdicts).
 */
import type { Section6 } from "../data/paper";
import type { Interval } from "../stats/bootstrap";
import type {
  JointRow,
  Rate,
  Table3Beyond,
  Table3Depth,
  Table3Row,
  Table3Design,
  Tables12Beyond,
  Tables12Cell,
  Tables12Design,
  Tables12Protocol,
  Table3Cell,
} from "../experiments";
import type { Column } from "./render";
import { formatNumber } from "./render";
import type { Figure } from "./figures";

const ci = (r: Rate) =>
  r.trials
    ? `${formatNumber(r.estimate, 3)} [${formatNumber(r.lo, 2)}, ${formatNumber(r.hi, 2)}]`
    : "–";
const p = (x: number) => (Number.isFinite(x) ? formatNumber(x, 3) : "–");
const verdict = (x: number, level: number) =>
  Number.isFinite(x) ? (x > level ? "consistent" : "rejected") : "not testable";

/** The columns of tables12GridRows, labelled with the paper's counts. */
export function tables12GridColumns(paper: Section6["table2"]): Column[] {
  return [
    { key: "batch", label: "batch size" },
    { key: "runs", label: "runs" },
    { key: "valid", label: "valid rate [95% CI]" },
    { key: "kept", label: "kept / valid" },
    { key: "pValid", label: `p (${paper.valid}/${paper.runs} valid)` },
    { key: "pKept", label: `p (${paper.kept}/${paper.valid} kept)` },
    { key: "pMeans", label: "p (Table 2 means)" },
    { key: "p", label: "p (joint)" },
    { key: "verdict", label: "at the level" },
  ];
}

/** One row per batch size: the rates with intervals and the consistency test's p-values. */
export function tables12GridRows(cells: readonly Tables12Cell[], level: number): object[] {
  return cells.map((c) => ({
    batch: c.batchSize,
    runs: c.test.runs,
    valid: ci(c.test.valid),
    kept: `${c.test.kept.successes}/${c.test.kept.trials}`,
    pValid: p(c.test.pValid),
    pKept: p(c.test.pKept),
    pMeans: p(c.test.means ? c.test.means.pValue : Number.NaN),
    p: p(c.test.pValue),
    verdict: verdict(c.test.pValue, level),
  }));
}

export interface GridPoint {
  x: number;
  rate: Rate;
  p: number;
}

/** A rate (with its 95% interval) against the batch size, one series per group, and the paper's rate. */
export function rateFigure(
  series: ReadonlyArray<{ name: string; points: readonly GridPoint[] }>,
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

/** Consistency p-values against the batch size (log scale), one series per group, and the level. */
export function pValueFigure(
  series: ReadonlyArray<{ name: string; points: readonly GridPoint[] }>,
  level: number,
  title: string,
): Figure {
  const xs = series.flatMap((s) => s.points.map((q) => q.x));
  const floor = 1e-6;
  return {
    data: [
      ...series.map((s) => ({
        x: s.points.filter((q) => Number.isFinite(q.p)).map((q) => q.x),
        y: s.points.filter((q) => Number.isFinite(q.p)).map((q) => Math.max(q.p, floor)),
        mode: "lines+markers",
        name: s.name,
      })),
      {
        x: [Math.min(...xs), Math.max(...xs)],
        y: [level, level],
        mode: "lines",
        name: `level ${level}`,
        line: { dash: "dash", color: "#cf222e" },
      },
    ],
    layout: {
      title,
      height: 380,
      xaxis: { title: "batch size", type: "log" },
      yaxis: { title: "p-value (at least 10⁻⁶ shown)", type: "log", range: [-6.2, 0.1] },
    },
  };
}

/** Grid points of Tables 1–2 cells for the two figures. */
export function tables12Points(cells: readonly Tables12Cell[]): GridPoint[] {
  return cells.map((c) => ({ x: c.batchSize, rate: c.test.valid, p: c.test.pValue }));
}

/** Grid points of Table 3 cells with one scale factor. */
export function table3Points(cells: readonly Table3Cell[], scaleFactor: number): GridPoint[] {
  return cells
    .filter((c) => c.scaleFactor === scaleFactor)
    .map((c) => ({ x: c.batchSize, rate: c.test.accurate, p: c.test.pValue }));
}

/** The design decided on the selection stream, in words printed from its numbers. */
export function tables12DesignText(d: Tables12Design, level: number): string {
  const consistent = d.consistent.length ? `batch ${d.consistent.join(", ")}` : "no batch size";
  const claim =
    d.claim === "reproduction"
      ? "a **reproduction**: some batch size of the grid is consistent with the paper (the largest evaluation p-value exceeds the level)"
      : "the **erratum** that no batch size reproduces Tables 1–2 (every selection p-value was at most the level)";
  return `On the selection stream the paper's outcome is consistent (p > ${level}) at ${consistent}; the tables below the tests are shown at batch ${d.best} (the largest selection p-value, ${p(d.bestP)}). The evaluation stream therefore tests ${claim}, with ${Object.entries(
    d.runs,
  )
    .map(([b, n]) => `${n} runs at batch ${b}`)
    .join(", ")}.`;
}

/** The same for Table 3's design. */
export function table3DesignText(d: Table3Design, level: number): string {
  const label = (s: { batchSize: number; scaleFactor: number }) =>
    `×${s.scaleFactor} batch ${s.batchSize}`;
  const consistent = d.consistent.length ? d.consistent.map(label).join(", ") : "no setting";
  const untestable = d.untestable.length
    ? ` Not testable (fewer than ${d.screenNetworks} accurate networks): ${d.untestable.map((u) => `${label(u)} (${u.accurate.successes} of ${u.accurate.trials} accurate)`).join(", ")}.`
    : "";
  const claim =
    d.claim === "reproduction"
      ? `a **reproduction**: Table 3 holds at one of the consistent settings with the largest selection p-values (${d.evaluate.map(label).join(", ")})`
      : "the **erratum** that no testable setting reproduces Table 3";
  return `On the selection stream Table 3 is consistent (p > ${level}) at ${consistent}.${untestable} The evaluation stream therefore tests ${claim}, training ${d.evaluate.map(label).join(", ")} until enough networks are accurate; Table 3 is shown at ${label(d.best)} (the largest selection p-value, ${p(d.bestP)}).`;
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
  { key: "range", label: "95% range over 50-run protocols here" },
  { key: "paper", label: "paper" },
];

const range = (r: [number, number]) => `[${formatNumber(r[0], 3)}, ${formatNumber(r[1], 3)}]`;

/** Table 2 (and the counts before it) from one protocol at a setting, the range over protocols, and the paper's. */
export function table2Rows(protocol: Tables12Protocol, paper: Section6["table2"]): object[] {
  const n = protocol.runs.length;
  return [
    {
      quantity: `valid runs of ${n}`,
      ours: protocol.valid,
      range: range(protocol.ranges.valid),
      paper: `${paper.valid} of ${paper.runs}`,
    },
    {
      quantity: "kept (|cos θ₂| > 0.9)",
      ours: protocol.kept,
      range: range(protocol.ranges.kept),
      paper: paper.kept,
    },
    {
      quantity: "mean |cos θ₁|",
      ours: formatNumber(protocol.means[0]),
      range: range(protocol.ranges.means[0]),
      paper: paper.meanAbsCos1,
    },
    {
      quantity: "mean φ",
      ours: formatNumber(protocol.means[1]),
      range: range(protocol.ranges.means[1]),
      paper: paper.meanPhi,
    },
    {
      quantity: "mean ||cos θ₁| − φ|",
      ours: formatNumber(protocol.means[2]),
      range: range(protocol.ranges.means[2]),
      paper: paper.meanAbsDiff,
    },
  ];
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
        size: 6,
      }),
      group("valid, |cos θ₂| ≤ 0.9", (r) => r.valid && Math.abs(r.cos2) <= cos2Threshold, {
        symbol: "diamond",
        size: 7,
      }),
      group("not valid (accuracy < 1)", (r) => !r.valid, { symbol: "x", color: "#999", size: 6 }),
      { x: [0, 1], y: [0, 1], mode: "lines", name: "y = x", line: { dash: "dash", color: "#444" } },
    ],
    layout: {
      title: "|cos θ₁| against φ, every run",
      height: 440,
      xaxis: { title: "φ = |R_dd| / ‖a_d‖", range: [0, 1] },
      yaxis: { title: "|cos θ₁|", range: [0, 1] },
    },
  };
}

/** Printed under a grid claim at quick scale, where the few runs per setting give the tests little power. */
export const QUICK_SCALE_NOTE =
  "**At quick scale** each setting has a handful of runs, so these tests have little power: the verdict above shows that the machinery runs, not whether the paper is reproduced. The comparison with the paper is the paper-scale run (`--scale paper`).";

/** Which settings the tests found consistent, rejected or untestable, printed from the p-values. */
export function consistentText(
  items: ReadonlyArray<{ label: string; p: number }>,
  level: number,
): string {
  const list = (xs: ReadonlyArray<{ label: string }>) =>
    xs.length ? xs.map((x) => x.label).join(", ") : "none";
  const ok = items.filter((x) => Number.isFinite(x.p) && x.p > level);
  const rejected = items.filter((x) => Number.isFinite(x.p) && x.p <= level);
  const untestable = items.filter((x) => !Number.isFinite(x.p));
  return (
    `Consistent with the paper (p > ${level}): **${list(ok)}**. Rejected: ${list(rejected)}.` +
    (untestable.length ? ` Not testable: ${list(untestable)}.` : "")
  );
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
    { quantity: "Pearson r of φ and |cos θ₁|", estimate: b.phiCos1.r, interval: "" },
  ];
}

/** Labels and p-values of Tables 1–2 cells, for consistentText. */
export function tables12Labels(
  cells: readonly Tables12Cell[],
): Array<{ label: string; p: number }> {
  return cells.map((c) => ({ label: `batch ${c.batchSize}`, p: c.test.pValue }));
}

/** Named series of Tables 1–2 cells (e.g. the selection and evaluation streams) for rateFigure and pValueFigure. */
export function tables12Series(
  named: Record<string, readonly Tables12Cell[]>,
): Array<{ name: string; points: GridPoint[] }> {
  return Object.entries(named).map(([name, cells]) => ({ name, points: tables12Points(cells) }));
}

export const TABLE3_GRID_COLUMNS: Column[] = [
  { key: "scaling", label: "scaling" },
  { key: "batch", label: "batch size" },
  { key: "runs", label: "runs" },
  { key: "accurate", label: "accurate rate [95% CI]" },
  { key: "rho", label: "mean ρ, accurate" },
  { key: "p", label: "p (Table 3)" },
  { key: "verdict", label: "at the level" },
];

/** One row per setting of the Table 3 grid. */
export function table3GridRows(cells: readonly Table3Cell[], level: number): object[] {
  return cells.map((c) => ({
    scaling: `×${c.scaleFactor}`,
    batch: c.batchSize,
    runs: c.runs.length,
    accurate: ci(c.test.accurate),
    rho: c.test.test ? formatNumber(c.test.test.components[0].ours, 3) : "–",
    p: p(c.test.pValue),
    verdict: verdict(c.test.pValue, level),
  }));
}

/** Named series per scale factor of Table 3 cells, for rateFigure and pValueFigure. */
export function table3SeriesByScale(
  cells: readonly Table3Cell[],
): Array<{ name: string; points: GridPoint[] }> {
  const scales = [...new Set(cells.map((c) => c.scaleFactor))];
  return scales.map((s) => ({ name: `×${s}`, points: table3Points(cells, s) }));
}

/** Labels and p-values of Table 3 cells, for consistentText. */
export function table3Labels(cells: readonly Table3Cell[]): Array<{ label: string; p: number }> {
  return cells.map((c) => ({ label: `×${c.scaleFactor} batch ${c.batchSize}`, p: c.test.pValue }));
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
  { key: "interval", label: "95% interval" },
];

/** The attack study's ratios (notebook 09). */
export function table3AttackRows(b: Table3Beyond): object[] {
  const iv = (lo: number, hi: number) => `[${formatNumber(lo, 3)}, ${formatNumber(hi, 3)}]`;
  return [
    {
      quantity: `needed at b₁, b₂ / (ρ‖a_d‖): ρ's first-order prediction (${b.predicted.networks} networks)`,
      estimate: b.predicted.ratio,
      interval: iv(b.predicted.lo, b.predicted.hi),
    },
    {
      quantity: "(smallest needed over attacked points / optimal min_u‖Au‖) / ρ",
      estimate: b.worstOverRho.ratio,
      interval: iv(b.worstOverRho.lo, b.worstOverRho.hi),
    },
    {
      quantity: "Pearson r of ρ (mean over α) and φ of the same data set",
      estimate: b.rhoPhi.r,
      interval: iv(b.rhoPhi.lo, b.rhoPhi.hi),
    },
    {
      quantity: "attacked points flipped by a verified perturbation (by the segment bisection)",
      estimate: `${b.flipped} of ${b.points} (${b.segment})`,
      interval: "",
    },
  ];
}

export const DEPTH_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "accurate", label: "accurate / runs" },
  { key: "rho", label: "mean ρ ± s.e." },
];

export function table3DepthRows(d: Table3Depth, dim: number): object[] {
  return d.rho.map((r, k) => ({
    network: `${dim}→${r.widths.join("→")}→2`,
    accurate: `${d.cells[k].accurate.length}/${d.cells[k].runs.length}`,
    rho: Number.isFinite(r.mean) ? `${formatNumber(r.mean, 3)} ± ${formatNumber(r.se, 2)}` : "–",
  }));
}

export const JOINT_COLUMNS: Column[] = [
  { key: "batch", label: "batch size" },
  { key: "pLinear", label: "p (Tables 1–2, evaluation)" },
  { key: "pRelu", label: "p (Table 3 at ×5)" },
  { key: "stream", label: "Table 3's stream" },
  { key: "both", label: "both consistent" },
];

export function jointRows(rows: readonly JointRow[]): object[] {
  return rows.map((r) => ({
    batch: r.batchSize,
    pLinear: p(r.pLinear),
    pRelu: p(r.pRelu),
    stream: r.reluStream,
    both: r.both === "both" ? "yes" : r.both === "not both" ? "no" : "not tested",
  }));
}

/** Which batch sizes are consistent with both tables, printed from the rows. */
export function jointText(rows: readonly JointRow[]): string {
  const both = rows.filter((r) => r.both === "both").map((r) => r.batchSize);
  const untested = rows.filter((r) => r.both === "not tested").map((r) => r.batchSize);
  const rest = untested.length
    ? ` Not tested (a table has no p-value there): batch ${untested.join(", ")}.`
    : "";
  return (
    (both.length
      ? `Consistent with Tables 1–2 and Table 3 (×5) together: **batch ${both.join(", ")}**.`
      : "No tested batch size at ×5 is consistent with Tables 1–2 and Table 3 together.") + rest
  );
}

/** The depth study's slope, printed from its interval. */
export function depthSlopeText(d: Table3Depth): string {
  const s = d.slope;
  const where = s.hi < 0 ? "smaller" : s.lo > 0 ? "larger" : "neither clearly smaller nor larger";
  return `Slope of ρ on the number of hidden layers: ${formatNumber(s.estimate, 3)} [${formatNumber(s.lo, 3)}, ${formatNumber(s.hi, 3)}] (95%): deeper networks' ρ is ${where} here.`;
}
