/**
 * Pure builders of Plotly figure objects that several notebooks use (display them with show.plot).
 */
import type { Annotations, AxisName, Data, Layout, LayoutAxis, PlotData } from "plotly.js";
import { quantile, sorted } from "../stats/summary";

/** A trace as @types/plotly.js types it, with the histogram attributes those types lack. */
export type Trace = Data | (Partial<PlotData> & { nbinsx?: number; nbinsy?: number });

/**
 * Plotly's layout (@types/plotly.js), every part optional, where a title may also be a plain
 * string: show.plot writes it as `{ text }`, the form plotly.js 3 reads (render.ts normaliseTitles).
 */
export type FigureLayout = Loose<Layout> & {
  /** The axes of further panels (xaxis2, yaxis3, …). */
  [axis: `${"x" | "y"}axis${string}`]: Loose<LayoutAxis> | undefined;
};
type Loose<T> = T extends readonly unknown[]
  ? T
  : T extends object
    ? { [K in keyof T]?: K extends "title" ? string | Loose<T[K]> : Loose<T[K]> }
    : T;

/**
 * A Plotly figure typed by @types/plotly.js: a misspelt trace or layout attribute does not compile
 * (attributes of the trace types the cartesian bundle draws; show.plot refuses other types).
 */
export interface Figure {
  data: Trace[];
  layout: FigureLayout;
}

/** A normalised histogram of samples with a density curve over it. */
export function histogramWithDensity(
  samples: ArrayLike<number>,
  density: (x: number) => number,
  title: string,
  densityName: string,
): Figure {
  const s = sorted(samples);
  const lo = Math.min(0, s[0]);
  const hi = s[s.length - 1];
  const xs = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
  return {
    data: [
      {
        type: "histogram",
        x: Array.from(samples),
        histnorm: "probability density",
        name: "samples",
        opacity: 0.6,
        nbinsx: 60,
      },
      { x: xs, y: xs.map(density), mode: "lines", name: densityName, line: { width: 2 } },
    ],
    layout: {
      title,
      bargap: 0.02,
      height: 340,
      xaxis: { title: "value" },
      yaxis: { title: "density" },
    },
  };
}

/** Quantile–quantile plot of two samples (99 percentiles) with the line y = x. */
export function qqPlot(
  a: ArrayLike<number>,
  b: ArrayLike<number>,
  title: string,
  nameA: string,
  nameB: string,
): Figure {
  const ps = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const qa = ps.map((p) => quantile(a, p));
  const qb = ps.map((p) => quantile(b, p));
  const lo = Math.min(qa[0], qb[0]);
  const hi = Math.max(qa[98], qb[98]);
  return {
    data: [
      { x: qa, y: qb, mode: "markers", name: "percentiles", marker: { size: 5 } },
      {
        x: [lo, hi],
        y: [lo, hi],
        mode: "lines",
        name: "y = x",
        line: { dash: "dash", color: "#888" },
      },
    ],
    layout: { title, height: 340, xaxis: { title: nameA }, yaxis: { title: nameB } },
  };
}

/** Points per draw and a median line per series against d, on log–log axes. */
export function logLogSeries(
  series: Array<{ name: string; d: number[]; y: number[] }>,
  title: string,
  yTitle: string,
): Figure {
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  const data = series.flatMap((s, k) => {
    const color = palette[k % palette.length];
    const ds = [...new Set(s.d)].sort((a, b) => a - b);
    const med = ds.map((d) =>
      quantile(
        s.y.filter((_, i) => s.d[i] === d),
        0.5,
      ),
    );
    return [
      {
        x: s.d,
        y: s.y,
        mode: "markers",
        name: `${s.name} (draws)`,
        marker: { color, size: 5, opacity: 0.45 },
        showlegend: false,
      },
      { x: ds, y: med, mode: "lines+markers", name: `${s.name} (median)`, line: { color } },
    ];
  });
  return {
    data,
    layout: {
      title,
      height: 460,
      xaxis: { title: "d", type: "log" },
      yaxis: { title: yTitle, type: "log" },
    },
  };
}

/** One coloured group of an interval-series figure: lines over x and, optionally, points with error bars. */
export interface IntervalSeries {
  /** The group's name (its colour is shared by its lines and points), e.g. "α = 0.5". */
  name: string;
  x: number[];
  /** Curves over x; `dash` draws a dashed or dotted line (e.g. a bound beside the exact value). */
  lines: Array<{ label: string; y: number[]; dash?: "dash" | "dot" }>;
  /** Estimates with their interval [lo, hi] at each x (NaN leaves a point out). */
  points?: { label: string; y: number[]; lo: number[]; hi: number[] };
}

/**
 * Lines and points with asymmetric error bars, one colour per group (Lemma 2: bound, exact
 * probability and Monte Carlo frequency against d for each α; ln P/d against α for each d).
 */
export function intervalSeriesFigure(
  series: IntervalSeries[],
  options: { title: string; xTitle: string; yTitle: string; logX?: boolean; logY?: boolean },
): Figure {
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b", "#e377c2"];
  const finite = (v: number) => (Number.isFinite(v) ? v : null);
  const data = series.flatMap((s, k) => {
    const color = palette[k % palette.length];
    const traces: Trace[] = s.lines.map((l) => ({
      x: s.x,
      y: l.y.map(finite),
      name: l.label,
      mode: "lines",
      legendgroup: s.name,
      line: { color, dash: l.dash ?? "solid" },
    }));
    if (s.points) {
      const p = s.points;
      traces.push({
        x: s.x,
        y: p.y.map(finite),
        name: p.label,
        mode: "markers",
        legendgroup: s.name,
        showlegend: false,
        marker: { color, size: 6 },
        error_y: {
          type: "data",
          symmetric: false,
          array: p.y.map((y, i) => finite(p.hi[i] - y)),
          arrayminus: p.y.map((y, i) => finite(y - p.lo[i])),
          color,
        },
      });
    }
    return traces;
  });
  const axis = (title: string, log?: boolean) =>
    log ? { title, type: "log" as const, exponentformat: "power" as const } : { title };
  return {
    data,
    layout: {
      title: options.title,
      height: 480,
      xaxis: axis(options.xTitle, options.logX),
      yaxis: axis(options.yTitle, options.logY),
    },
  };
}

/**
 * Quantile–quantile plots of pairs of samples (99 percentiles each, with y = x) in a grid of
 * panels, two per row (Lemma 3: entries of R by two routes).
 */
export function qqPanels(
  panels: Array<{ title: string; a: ArrayLike<number>; b: ArrayLike<number> }>,
  options: { title: string; nameA: string; nameB: string },
): Figure {
  const columns = Math.min(2, panels.length);
  const rows = Math.ceil(panels.length / columns);
  const ps = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
  const layout: FigureLayout = {
    title: options.title,
    height: 300 * rows + 80,
    showlegend: false,
    grid: { rows, columns, pattern: "independent", xgap: 0.15, ygap: 0.3 },
  };
  const annotations: Array<Partial<Annotations>> = [];
  const data = panels.flatMap((panel, k): Trace[] => {
    const sa = sorted(panel.a);
    const sb = sorted(panel.b);
    const qa = ps.map((p) => quantile(sa, p));
    const qb = ps.map((p) => quantile(sb, p));
    const lo = Math.min(qa[0], qb[0]);
    const hi = Math.max(qa[98], qb[98]);
    const suffix = k === 0 ? "" : String(k + 1);
    layout[`xaxis${suffix}`] = { title: k >= panels.length - columns ? options.nameA : "" };
    layout[`yaxis${suffix}`] = { title: k % columns === 0 ? options.nameB : "" };
    annotations.push({
      text: panel.title,
      // "x2 domain": relative to the panel (plotly.js 1.58 and later; @types/plotly.js lacks it).
      xref: `x${suffix} domain` as Annotations["xref"],
      yref: `y${suffix} domain` as Annotations["yref"],
      x: 0.5,
      y: 1.12,
      showarrow: false,
    });
    const axes = { xaxis: `x${suffix}`, yaxis: `y${suffix}` };
    return [
      { ...axes, x: qa, y: qb, mode: "markers", name: panel.title, marker: { size: 4 } },
      { ...axes, x: [lo, hi], y: [lo, hi], mode: "lines", line: { dash: "dash", color: "#888" } },
    ];
  });
  layout.annotations = annotations;
  return { data, layout };
}
/**
 * Several histograms with their densities side by side in one figure (one panel each), e.g. the
 * laws of the entries of R in Theorem 1's proof.
 */
export function histogramPanels(
  panels: Array<{
    samples: ArrayLike<number>;
    density: (x: number) => number;
    title: string;
    densityName: string;
  }>,
): Figure {
  const n = panels.length;
  const gap = 0.04;
  const width = (1 - gap * (n - 1)) / n;
  const data: Trace[] = [];
  const layout: FigureLayout = { height: 340, bargap: 0.02, showlegend: false };
  const annotations: Array<Partial<Annotations>> = [];
  panels.forEach((p, k) => {
    const axis = k === 0 ? "" : String(k + 1);
    const s = sorted(p.samples);
    const lo = Math.min(0, s[0]);
    const hi = s[s.length - 1];
    const xs = Array.from({ length: 200 }, (_, i) => lo + ((hi - lo) * i) / 199);
    const ref = { xaxis: `x${axis}`, yaxis: `y${axis}` };
    data.push(
      {
        type: "histogram",
        x: Array.from(p.samples),
        histnorm: "probability density",
        name: "samples",
        opacity: 0.6,
        nbinsx: 50,
        marker: { color: "#1f77b4" },
        ...ref,
      },
      {
        x: xs,
        y: xs.map(p.density),
        mode: "lines",
        name: p.densityName,
        line: { width: 2, color: "#d62728" },
        ...ref,
      },
    );
    const from = k * (width + gap);
    layout[`xaxis${axis}`] = { domain: [from, from + width], title: p.densityName };
    layout[`yaxis${axis}`] = {
      anchor: `x${axis}` as AxisName,
      title: k === 0 ? "density" : undefined,
    };
    annotations.push({
      text: p.title,
      x: from + width / 2,
      y: 1.08,
      xref: "paper",
      yref: "paper",
      showarrow: false,
    });
  });
  layout.annotations = annotations;
  return { data, layout };
}

/**
 * Medians per d with a band between two quantiles (default 10% and 90%) for each series, on
 * log–log axes: scaling studies with many draws per d (no marker per draw).
 */
export function logLogBands(
  series: Array<{ name: string; d: ArrayLike<number>; y: ArrayLike<number> }>,
  title: string,
  yTitle: string,
  band: [number, number] = [0.1, 0.9],
): Figure {
  const palette = ["#1f77b4", "#d62728", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"];
  const data = series.flatMap((s, k) => {
    const color = palette[k % palette.length];
    const d = Array.from(s.d);
    const y = Array.from(s.y);
    const ds = [...new Set(d)].sort((a, b) => a - b);
    const at = (p: number) =>
      ds.map((v) =>
        quantile(
          y.filter((_, i) => d[i] === v),
          p,
        ),
      );
    const med = at(0.5);
    const lo = at(band[0]);
    const hi = at(band[1]);
    return [
      {
        x: ds,
        y: med,
        mode: "lines+markers",
        name: `${s.name} (median, ${band[0] * 100}–${band[1] * 100}% band)`,
        line: { color },
        error_y: {
          type: "data",
          symmetric: false,
          array: hi.map((v, i) => v - med[i]),
          arrayminus: lo.map((v, i) => med[i] - v),
          color,
        },
      },
    ];
  });
  return {
    data,
    layout: {
      title,
      height: 460,
      xaxis: { title: "d", type: "log" },
      yaxis: { title: yTitle, type: "log" },
    },
  };
}

/** Overlaid histograms of several samples on one axis (e.g. a ratio per last layer, notebook 05). */
export function overlaidHistograms(
  series: ReadonlyArray<{ name: string; x: ArrayLike<number> }>,
  title: string,
  xTitle: string,
  yTitle = "count",
): Figure {
  return {
    data: series.map((s) => ({
      type: "histogram",
      x: Array.from(s.x),
      name: s.name,
      opacity: 0.6,
      nbinsx: 40,
    })),
    layout: {
      title,
      barmode: "overlay",
      height: 360,
      xaxis: { title: xTitle },
      yaxis: { title: yTitle },
    },
  };
}
