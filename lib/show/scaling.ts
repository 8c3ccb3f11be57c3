/** Tables and figures of notebook 10 (trained robustness against d): pure builders. */
import type {
  NetworkKind,
  RatioName,
  ScalingCell,
  ScalingVerdicts,
  SlopeFit,
} from "../experiments/scaling";
import { studentTQuantile } from "../stats/distributions";
import { expectedPhi } from "../experiments/theorem6";
import type { Rng } from "../random/rng";
import { cellRatio } from "../experiments/scaling";
import type { Figure } from "./figures";
import { formatNumber, type Column } from "./render";

const ci = (e: number, lo: number, hi: number) =>
  Number.isFinite(e)
    ? `${formatNumber(e, 3)}${Number.isFinite(lo) ? ` [${formatNumber(lo, 2)}, ${formatNumber(hi, 2)}]` : ""}`
    : "–";

export const SCALING_CELL_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "d", label: "d" },
  { key: "scaling", label: "scaling" },
  { key: "batch", label: "batch" },
  { key: "runs", label: "runs" },
  { key: "accurate", label: "accurate rate [95% CI]" },
  { key: "networks", label: "accurate networks" },
];

export function scalingCellRows(cells: readonly ScalingCell[]): object[] {
  return cells.map((c) => ({
    network: `${c.kind}`,
    d: c.d,
    scaling: `×${c.scaleFactor}`,
    batch: c.batchSize,
    runs: c.runs,
    accurate: ci(c.accurate.estimate, c.accurate.lo, c.accurate.hi),
    networks: c.networks.length,
  }));
}

export const PHI_COLUMNS: Column[] = [
  { key: "d", label: "d" },
  { key: "runs", label: "data sets" },
  { key: "mean", label: "mean φ", digits: 4 },
  { key: "expected", label: "E φ (Beta law)", digits: 4 },
];

export const SLOPE_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "scaling", label: "scaling" },
  { key: "ratio", label: "ratio" },
  { key: "slope", label: "slope of ln ratio on ln d [95% CI, clustered]" },
  { key: "range", label: "d" },
  { key: "n", label: "networks" },
  { key: "lack", label: "lack of fit (F test p)" },
];

const RATIO_LABELS: Record<RatioName, string> = {
  compression: "compression (|cos θ₁| or ρ)",
  part: "compression / φ (the network's part)",
  worst: "worst needed / worst optimal, same points",
  typical: "needed / optimal radius, typical point",
  samePoint: "needed / optimal radius, the network's weakest point",
};

export function slopeRows(slopes: readonly SlopeFit[]): object[] {
  return slopes.map((s) => {
    const q = studentTQuantile(0.975, s.fit.df);
    const lof = s.fit.lackOfFit;
    return {
      network: s.kind,
      scaling: `×${s.scaleFactor}`,
      ratio: RATIO_LABELS[s.ratio],
      slope: ci(s.fit.slope, s.fit.slope - q * s.fit.se, s.fit.slope + q * s.fit.se),
      range: `${Math.round(Math.exp(s.fit.range[0]))}…${Math.round(Math.exp(s.fit.range[1]))}`,
      n: s.fit.n,
      lack: lof ? formatNumber(lof.pValue, 3) : "–",
    };
  });
}

export const DECOMPOSITION_COLUMNS: Column[] = [
  { key: "network", label: "network (×5)" },
  { key: "compression", label: "slope of ln(compression) [95% CI]" },
  { key: "phi", label: "= slope of ln φ (accurate networks' data sets)" },
  { key: "part", label: "+ slope of ln(compression / φ) [95% CI]" },
];

/** Section 6's sentence split into φ's part (the data sets) and the network's part. */
export function decompositionRows(v: ScalingVerdicts): object[] {
  const f = (x: number) => formatNumber(x, 3);
  const iv = (s: SlopeFit) => {
    const q = studentTQuantile(0.975, s.fit.df);
    return `${f(s.fit.slope)} [${f(s.fit.slope - q * s.fit.se)}, ${f(s.fit.slope + q * s.fit.se)}]`;
  };
  return v.decomposition.map((d) => ({
    network: d.kind,
    compression: iv(d.compression),
    phi: f(d.phi),
    part: iv(d.part),
  }));
}

export const CARRY_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "d", label: "d" },
  { key: "batches", label: "batch: same Adam steps; fixed" },
  { key: "pairs", label: "data sets with both accurate" },
  { key: "ratio", label: "compression, fixed / same steps [90% CI]" },
  { key: "outcome", label: "within ×[0.8, 1.25]" },
];

/** What the carry-over changes: the paired ratio of the compressions at each d of the alternative. */
export function carryOverRows(v: ScalingVerdicts): object[] {
  const mark = (o: string) => (o === "reproduced" ? "✓" : o === "contradicted" ? "✗" : "?");
  const f = (x: number) => formatNumber(x, 3);
  return v.carryOver.map((c) => ({
    network: c.kind,
    d: c.d,
    batches: `${c.batches[0]}; ${c.batches[1]}`,
    pairs: c.pairs,
    ratio: c.verdict.untestable
      ? `not testable: ${c.verdict.untestable}`
      : `${f(c.verdict.estimate)} [${f(c.verdict.interval[0])}, ${f(c.verdict.interval[1])}]`,
    outcome: `${mark(c.verdict.outcome)} ${c.verdict.outcome}`,
  }));
}

/** Log–log: each ratio's geometric mean (95% bootstrap interval) against d, for one network kind and scaling, with E φ and √(2/(πd)). */
export function scalingFigure(
  cells: readonly ScalingCell[],
  kind: NetworkKind,
  scaleFactor: number,
  rng: Rng,
): Figure {
  const mine = cells
    .filter((c) => c.kind === kind && c.scaleFactor === scaleFactor)
    .sort((a, b) => a.d - b.d);
  const ds = mine.map((c) => c.d);
  const ratios: RatioName[] =
    scaleFactor === 5
      ? ["compression", "part", "samePoint"]
      : ["compression", "part", "samePoint", "worst", "typical"];
  const data: Array<Record<string, unknown>> = ratios.map((r, k) => {
    const pts = mine.map((c) => cellRatio(c, r, rng.child(c.d, k)));
    return {
      x: ds,
      y: pts.map((p) => p.estimate),
      error_y: {
        type: "data",
        symmetric: false,
        array: pts.map((p) => (Number.isFinite(p.hi) ? p.hi - p.estimate : 0)),
        arrayminus: pts.map((p) => (Number.isFinite(p.lo) ? p.estimate - p.lo : 0)),
      },
      mode: "lines+markers",
      name: RATIO_LABELS[r],
    };
  });
  const dense = Array.from(
    { length: 50 },
    (_, i) => ds[0] * (ds[ds.length - 1] / ds[0]) ** (i / 49),
  );
  data.push({
    x: dense,
    y: dense.map((d) => expectedPhi(Math.round(d))),
    mode: "lines",
    name: "E φ (Beta law, Γ formula)",
    line: { dash: "dash", color: "#444" },
  });
  data.push({
    x: dense,
    y: dense.map((d) => Math.sqrt(2 / (Math.PI * d))),
    mode: "lines",
    name: "√(2/(πd))",
    line: { dash: "dot", color: "#888" },
  });
  return {
    data,
    layout: {
      title: `${kind === "linear" ? "Linear" : "ReLU"} networks, ×${scaleFactor}: robustness ratios against d`,
      height: 480,
      xaxis: { title: "d", type: "log" },
      yaxis: { title: "ratio (geometric mean over accurate networks)", type: "log" },
    },
  };
}

/** The accurate rate against d, one series per (kind, scaling). */
export function accuracyFigure(cells: readonly ScalingCell[]): Figure {
  const keys = [...new Set(cells.map((c) => `${c.kind} ×${c.scaleFactor}`))];
  return {
    data: keys.map((key) => {
      const mine = cells
        .filter((c) => `${c.kind} ×${c.scaleFactor}` === key)
        .sort((a, b) => a.d - b.d);
      return {
        x: mine.map((c) => c.d),
        y: mine.map((c) => c.accurate.estimate),
        error_y: {
          type: "data",
          symmetric: false,
          array: mine.map((c) => c.accurate.hi - c.accurate.estimate),
          arrayminus: mine.map((c) => c.accurate.estimate - c.accurate.lo),
        },
        mode: "lines+markers",
        name: key,
      };
    }),
    layout: {
      title: "Runs reaching training accuracy 1",
      height: 380,
      xaxis: { title: "d" },
      yaxis: { title: "accurate rate", range: [0, 1.05] },
    },
  };
}

export const SELECTION_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "d", label: "d" },
  { key: "scaling", label: "scaling" },
  { key: "accurate", label: "mean φ, accurate", digits: 4 },
  { key: "all", label: "mean φ, all runs", digits: 4 },
  { key: "expected", label: "E φ", digits: 4 },
];

export function selectionRows(
  rows: ReadonlyArray<{
    kind: string;
    d: number;
    scaleFactor: number;
    accurate: number;
    all: number;
    expected: number;
  }>,
): object[] {
  return rows.map((r) => ({
    network: r.kind,
    d: r.d,
    scaling: `×${r.scaleFactor}`,
    accurate: r.accurate,
    all: r.all,
    expected: r.expected,
  }));
}
