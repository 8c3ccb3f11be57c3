/** Tables and figures of notebook 10 (trained robustness against d): pure builders. */
import type {
  NetworkKind,
  PhiLaw,
  RatioName,
  Registered,
  ScalingCell,
  SlopeFit,
} from "../experiments/scaling";
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
  { key: "ks", label: "KS p (φ² ~ Beta)", digits: 3 },
];

export function phiRows(p: PhiLaw): object[] {
  return p.perD;
}

export const SLOPE_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "scaling", label: "scaling" },
  { key: "ratio", label: "ratio" },
  { key: "slope", label: "slope of ln ratio on ln d [95% CI]" },
  { key: "n", label: "networks" },
];

const RATIO_LABELS: Record<RatioName | "phi", string> = {
  compression: "compression (|cos θ₁| or ρ)",
  worst: "needed at the worst point / optimal min_u‖Au‖",
  typical: "needed / optimal radius, typical point",
  samePoint: "needed / optimal radius, the network's weakest point",
  phi: "φ",
};

export function slopeRows(slopes: readonly SlopeFit[]): object[] {
  return slopes.map((s) => ({
    network: s.kind,
    scaling: `×${s.scaleFactor}`,
    ratio: RATIO_LABELS[s.ratio],
    slope: ci(s.fit.slope, s.interval.lo, s.interval.hi),
    n: s.fit.n,
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
  const ratios: RatioName[] = ["compression", "worst", "typical", "samePoint"];
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

export const PROTOCOL_COLUMNS: Column[] = [
  { key: "kind", label: "network" },
  { key: "protocol", label: "protocol" },
  { key: "d", label: "d" },
  { key: "networks", label: "accurate networks" },
  { key: "mean", label: "geometric mean", digits: 4 },
];

export const REGISTERED_COLUMNS: Column[] = [
  { key: "network", label: "network" },
  { key: "scaling", label: "scaling" },
  { key: "ratio", label: "ratio" },
  { key: "slope", label: "selection slope", digits: 3 },
  { key: "interval", label: "99% interval" },
  { key: "power", label: "evaluation power at the nearer end", digits: 3 },
  { key: "direction", label: "registered finding" },
];

export function registeredRows(rows: readonly Registered[]): object[] {
  const f = (x: number) => formatNumber(x, 3);
  return rows.map((r) => ({
    network: r.kind,
    scaling: `×${r.scaleFactor}`,
    ratio: RATIO_LABELS[r.ratio],
    slope: r.slope,
    interval: `[${f(r.lo)}, ${f(r.hi)}]`,
    power: Number.isFinite(r.power) ? r.power : "– (holds 0)",
    direction:
      r.ratio === "compression" && r.scaleFactor === 5
        ? "section 6's statement: tested as stated"
        : r.direction === "none"
          ? "none: reported, not claimed"
          : r.direction,
  }));
}
