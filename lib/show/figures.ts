/**
 * Pure builders of Plotly figure objects that several notebooks use (display them with show.plot).
 */
import { quantile, sorted } from "../stats/summary";

export interface Figure {
  data: Array<Record<string, unknown>>;
  layout: Record<string, unknown>;
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
