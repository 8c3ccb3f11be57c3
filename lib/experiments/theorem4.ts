/**
 * Theorem 4's studies: deep linear networks with Gaussian hidden layers and a last layer fitted to
 * condition (5); the proof's quantity and bound against the perturbation actually needed; Lemma
 * 3's factors' ‖R_i‖_1B against the width n_{i+1}; the scaling in d.
 */
import { inverse, Matrix } from "ml-matrix";
import type { TestInput } from "../claims/ledger";
import type { Headline } from "../claims/outputs";
import { fail, requireInRange, requireInteger } from "../check";
import { minimalPerturbationLinear } from "../attacks/linear";
import { qrR } from "../linalg/qr";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { bottomBlockNorm1, gaussianLayers } from "../rmt/bartlett";
import { median } from "../stats/summary";
import { clopperPearson, ksTest, ksTest2 } from "../stats/tests";
import type { Column } from "../show/render";
import * as theorem1 from "../theorems/theorem1";
import * as theorem4 from "../theorems/theorem4";
import { RATES, requireFeasible, type Work } from "./budget";
import type { Scale } from "./config";
import { meanTest, medianInterval, slopeStudy, type SlopeStudy } from "./intervals";
import { argmax } from "../attacks/linear";
import { theoremMargin } from "../data/margins";
import { gaussianVector } from "../random/gaussian";
import { slopeVerdict } from "../stats/theorem-verdicts";
import type { VerdictNumbers } from "../stats/verdict";

export interface Theorem4Config {
  /** d of the step-through instance, the looseness study and the square networks. */
  d: number;
  /** Hidden depths l − 1 (Gaussian layers before the fitted last layer) of the step-through and the looseness study. */
  depths: number[];
  /** Width growth: layer i has n_{i+1} = d · growth^i neurons (n_{i+1} ≥ n_1, as Lemma 3 needs). */
  growth: number;
  /** Draws of X and the layers per depth in the looseness study. */
  looseDraws: number;
  /**
   * Square networks (every n_i = d) searched for instances where the proof's quantity is below the
   * needed perturbation. Deeper products are worse conditioned: at 12 layers of width 12 the last
   * layer of condition (5) cannot be formed in float64 (W H X = I fails at 1e-8), so the worst
   * counterexample could not be pushed through its network.
   */
  squareDepth: number;
  squareDraws: number;
  /** Widths n_2 = d·factor of one Gaussian layer whose ‖R_1‖_1B is measured (the constant D). */
  widthFactors: number[];
  widthDraws: number;
  /** The scaling study: dimensions, the hidden depth and draws per d. */
  scalingDims: number[];
  scalingDepth: number;
  scalingDraws: number;
  /**
   * Draws per d of the proof's D^l at square widths (scalingDepth layers of width d, no X needed):
   * cheap, and as many as the verdict on its slope needs to be decided.
   */
  squareScalingDraws: number;
  /** Confidence level of the intervals shown. */
  level: number;
}

export const theorem4Defaults: Record<Scale, Theorem4Config> = {
  quick: {
    d: 8,
    depths: [1, 2, 3, 4],
    growth: 2,
    looseDraws: 100,
    squareDepth: 8,
    squareDraws: 300,
    widthFactors: [1, 2, 4, 8, 16, 32],
    widthDraws: 200,
    scalingDims: [4, 8, 16, 32],
    scalingDepth: 2,
    scalingDraws: 200,
    squareScalingDraws: 2000,
    level: 0.99,
  },
  paper: {
    d: 12,
    depths: [1, 2, 3, 4, 5, 6],
    growth: 2,
    looseDraws: 200,
    squareDepth: 8,
    squareDraws: 400,
    widthFactors: [1, 2, 4, 8, 16, 32, 64, 128, 256],
    widthDraws: 300,
    scalingDims: [4, 8, 16, 32, 64],
    scalingDepth: 2,
    scalingDraws: 300,
    squareScalingDraws: 1000,
    level: 0.99,
  },
};

/** Widths [d, d·g, d·g², …] for a network with `depth` hidden layers. */
export function theorem4Widths(d: number, depth: number, growth: number): number[] {
  return Array.from({ length: depth + 1 }, (_, i) => Math.round(d * growth ** i));
}

/**
 * Seconds and bytes of one network of theorem4Network: the layers' normals, the products H_{i+1}·H
 * and H_{i+1}Q_i (ml-matrix), the QRs of HX, H and the recursion.
 */
function networkCost(widths: number[]): { seconds: number; bytes: number } {
  const d = widths[0];
  let entries = 0;
  let products = 0;
  let largest = 0;
  for (let i = 1; i < widths.length; i++) {
    entries += widths[i] * widths[i - 1];
    products += 2 * widths[i] * widths[i - 1] * d;
    largest = Math.max(largest, widths[i] * widths[i - 1]);
  }
  const nl = widths[widths.length - 1];
  return {
    seconds:
      entries / RATES.normals +
      products / RATES.multiplyAdds +
      RATES.qrUnit * (2 * nl * d * d + (widths.length - 1) * nl * d * d),
    bytes: 40 * (largest + 4 * nl * d),
  };
}

/** Estimated time and memory of each study of the notebook (see budget.ts for the rates). */
export function theorem4Work(c: Theorem4Config): Work[] {
  const deepest = Math.max(...c.depths);
  const grown = (d: number, depth: number) => networkCost(theorem4Widths(d, depth, c.growth));
  const loose = c.depths.map((l) => grown(c.d, l));
  const sumS = (xs: Array<{ seconds: number }>) => xs.reduce((s, x) => s + x.seconds, 0);
  const maxB = (xs: Array<{ bytes: number }>) => Math.max(...xs.map((x) => x.bytes));
  const square = networkCost(new Array<number>(c.squareDepth + 1).fill(c.d));
  const scaling = c.scalingDims.map((d) => grown(d, c.scalingDepth));
  const widths = c.widthFactors.map((f) => ({
    seconds: RATES.qrUnit * f * c.d ** 3 + (f * c.d * c.d) / RATES.normals,
    bytes: 100 * f * c.d * c.d,
  }));
  const how = `layers' normals at ${RATES.normals}/s, products at ${RATES.multiplyAdds}/s, QRs`;
  return [
    {
      what: `the networks of every depth (up to ${deepest} layers, growth ${c.growth}: ${how})`,
      seconds: c.looseDraws * sumS(loose),
      bytes: maxB(loose),
      param: "d",
      value: c.d,
    },
    {
      what: `the square networks (${c.squareDepth} layers of width d: ${how})`,
      seconds: c.squareDraws * square.seconds,
      bytes: square.bytes,
      param: "squareDraws",
      value: c.squareDraws,
    },
    {
      what: `the width study (QR of n×d layers, n up to ${Math.max(...c.widthFactors) * c.d})`,
      seconds: c.widthDraws * sumS(widths),
      bytes: maxB(widths),
      param: "widthFactors",
      value: c.widthFactors,
    },
    {
      what: `the scaling study (${c.scalingDepth} layers, d up to ${Math.max(...c.scalingDims)}: ${how})`,
      seconds: c.scalingDraws * sumS(scaling),
      bytes: maxB(scaling),
      param: "scalingDims",
      value: c.scalingDims,
    },
    {
      what: `the square layers of the scaling study (${c.scalingDepth} of width d, d up to ${Math.max(...c.scalingDims)}: ${how})`,
      seconds:
        c.squareScalingDraws *
        sumS(c.scalingDims.map((d) => networkCost(new Array<number>(c.scalingDepth + 1).fill(d)))),
      bytes: maxB(
        c.scalingDims.map((d) => networkCost(new Array<number>(c.scalingDepth + 1).fill(d))),
      ),
      param: "squareScalingDraws",
      value: c.squareScalingDraws,
    },
  ];
}

/**
 * Refuses, before any work, a config that is malformed or that this machine cannot run: each
 * study's estimated time must fit the runner's per-cell timeout and its memory half of V8's heap
 * (theorem4Work gives the estimates and budget.ts the measured rates).
 */
export function validateTheorem4Config(c: Theorem4Config): void {
  const fn = "validateTheorem4Config";
  requireInteger(fn, "d", c.d, 2);
  if (c.depths.length < 2) fail(fn, "depths", c.depths, "must hold at least 2 depths");
  c.depths.forEach((l, i) => requireInteger(fn, `depths[${i}]`, l, 1, 40));
  if (!(c.growth >= 1)) fail(fn, "growth", c.growth, "must be >= 1 (Lemma 3 needs n_{i+1} ≥ n_1)");
  requireInteger(fn, "looseDraws", c.looseDraws, 3);
  requireInteger(fn, "squareDepth", c.squareDepth, 1, 40);
  requireInteger(fn, "squareDraws", c.squareDraws, 1);
  if (c.widthFactors.length < 2)
    fail(fn, "widthFactors", c.widthFactors, "must hold at least 2 widths for a slope");
  c.widthFactors.forEach((f, i) => requireInteger(fn, `widthFactors[${i}]`, f, 1));
  requireInteger(fn, "widthDraws", c.widthDraws, 3);
  c.scalingDims.forEach((d, i) => requireInteger(fn, `scalingDims[${i}]`, d, 2));
  if (new Set(c.scalingDims).size < 2)
    fail(fn, "scalingDims", c.scalingDims, "must hold at least 2 dimensions for a slope");
  requireInteger(fn, "scalingDepth", c.scalingDepth, 1, 40);
  requireInteger(fn, "scalingDraws", c.scalingDraws, 3);
  requireInteger(fn, "squareScalingDraws", c.squareScalingDraws, 3);
  requireInRange(fn, "level", c.level, 0, 1, [false, false]);
  requireFeasible(fn, theorem4Work(c));
}

/** X, the fitted deep network, and Theorem 1's attack e (from the R of X) pushed through it. */
interface Case {
  X: Matrix;
  net: theorem4.Theorem4Network;
  /** ‖e‖ of Theorem 1's attack, and f(x_d + e) through the deep network */
  attack: number;
  after: number[];
  /** The exact minimal perturbation of the deep network at x_d (closed form on W H). */
  exactMinimal: number;
}

/** f(x) = W H_{l−1}⋯H_1 x evaluated layer by layer (not through the product W H). */
export function throughLayers(
  layers: readonly Matrix[],
  W: Matrix,
  x: readonly number[],
): number[] {
  let v = Matrix.columnVector([...x]);
  for (const L of layers) v = L.mmul(v);
  return W.mmul(v).getColumn(0);
}

function deepCase(X: Matrix, layers: Matrix[]): Case {
  const d = X.rows;
  const att = theorem1.theorem1Attack(theorem1.theorem1Network(X, Matrix.eye(d)));
  const net = theorem4.theorem4Network(X, layers);
  const xd = X.getColumn(d - 1);
  return {
    X,
    net,
    attack: att.norm,
    after: throughLayers(
      layers,
      net.Wlast,
      xd.map((v, i) => v + att.e[i]),
    ),
    exactMinimal: minimalPerturbationLinear(net.endToEnd, null, xd).norm,
  };
}

export type StepRow = {
  depth: number;
  widths: string;
  /** max |W H X − I| and max |W H − X⁻¹| / max |X⁻¹| (X⁻¹ by ml-matrix's LU, another route) */
  conditionError: number;
  endToEndError: number;
  /** f_{d−1}(x_d + e), f_d(x_d + e) for Theorem 1's e */
  fPrev: number;
  fLast: number;
  exactMinimal: number;
  factorisationError: number;
  bottomBlockError: number;
  proofQuantity: number;
  paperBound: number;
};

export interface Theorem4Step {
  d: number;
  /** ‖e‖ of Theorem 1's attack (from the R of X alone) */
  attack: number;
  rows: StepRow[];
  /** Maxima over depths: condition (5), WH = X⁻¹, eq. (3), the factorisations */
  conditionError: number;
  endToEndError: number;
  eq3Error: number;
  factorisationError: number;
  bottomBlockError: number;
  /** (max − min) / min of the exact minimal perturbation over depths */
  exactSpread: number;
  /** max / min over depths of the proof's quantity for R of H (Lemma 3's route) */
  quantitySpread: number;
}

/** One X and, for each depth of config.depths, Gaussian layers of widths d·growth^i. */
export function theorem4Step(c: Theorem4Config, rng: Rng): Theorem4Step {
  const d = c.d;
  const X = gaussianMatrix(rng.child(0), d, d);
  const Xinv = inverse(X);
  const scale = Math.max(...Xinv.to1DArray().map(Math.abs));
  const cases = c.depths.map((l) => {
    const widths = theorem4Widths(d, l, c.growth);
    return { l, widths, k: deepCase(X, gaussianLayers(rng.child(1, l), widths)) };
  });
  const rows = cases.map(({ l, widths, k }) => ({
    depth: l,
    widths: widths.join("→"),
    conditionError: k.net.conditionError,
    endToEndError: Math.max(...k.net.endToEnd.clone().sub(Xinv).to1DArray().map(Math.abs)) / scale,
    fPrev: k.after[d - 2],
    fLast: k.after[d - 1],
    exactMinimal: k.exactMinimal,
    factorisationError: k.net.factorisationError,
    bottomBlockError: k.net.bottomBlockError,
    proofQuantity: k.net.proofQuantity,
    paperBound: k.net.paperBound,
  }));
  const max = (f: (r: StepRow) => number) => Math.max(...rows.map(f));
  const exact = rows.map((r) => r.exactMinimal);
  return {
    d,
    attack: cases[0].k.attack,
    rows,
    conditionError: max((r) => r.conditionError),
    endToEndError: max((r) => r.endToEndError),
    eq3Error: max((r) => Math.max(Math.abs(r.fPrev - 1), Math.abs(r.fLast))),
    factorisationError: max((r) => r.factorisationError),
    bottomBlockError: max((r) => r.bottomBlockError),
    exactSpread: (Math.max(...exact) - Math.min(...exact)) / Math.min(...exact),
    quantitySpread:
      Math.max(...rows.map((r) => r.proofQuantity)) / Math.min(...rows.map((r) => r.proofQuantity)),
  };
}

/**
 * One small instance of condition (5), its three matrices side by side (a step a reader can
 * follow): d = 3 Gaussian points X, one Gaussian hidden layer of 6 rows, the fitted last layer
 * W; rows of W H, of X⁻¹ (LU, another route) and of W H X.
 * @param rng child 0 X, child 1 the layer
 */
export function theorem4SmallInstance(rng: Rng): Array<Record<string, number | string>> {
  const d = 3;
  const X = gaussianMatrix(rng.child(0), d, d);
  const layers = gaussianLayers(rng.child(1), [d, 2 * d]);
  const net = theorem4.theorem4Network(X, layers);
  const Xinv = inverse(X);
  const WHX = net.endToEnd.mmul(X);
  return Array.from({ length: d }, (_, i) => {
    const row: Record<string, number | string> = { row: i + 1 };
    for (let j = 0; j < d; j++) {
      row[`wh${j}`] = net.endToEnd.get(i, j);
      row[`inv${j}`] = Xinv.get(i, j);
      row[`whx${j}`] = WHX.get(i, j);
    }
    return row;
  });
}

export type GapRow = {
  draw: number;
  exactMinimal: number;
  proofQuantity: number;
  proofQuantityHX: number;
  paperBound: number;
};

export interface Theorem4ProofGap {
  d: number;
  depth: number;
  draws: number;
  /** Instances where no perturbation of size ≤ the proof's quantity changes the decision. */
  counterexamples: number;
  /** The same with R of HX, and with the bound Π ‖R_i‖_1B. */
  counterexamplesHX: number;
  counterexamplesBound: number;
  /** Clopper–Pearson interval of the frequency of counterexamples (R of H) at config.level. */
  lo: number;
  hi: number;
  /** The instances with the smallest proof quantity / exact minimal. */
  worst: GapRow[];
  /**
   * The worst counterexample (R of H) whose network float64 can fit (W H X = I to 1e-8; the
   * worst ones have a nearly singular H) pushed through that network, layer by layer (null when
   * there is none): at x_d, the smallest decision-changing direction u of the network's
   * end-to-end map scaled to the proof's quantity, and to (1 + 10⁻⁶) times the needed size; and
   * `randomDirections` random unit directions scaled to the proof's quantity.
   */
  endToEnd: {
    draw: number;
    /** Its place among the counterexamples, worst first (the worse ones cannot be fitted). */
    rank: number;
    proofQuantity: number;
    exactMinimal: number;
    /** The labels (1-based) at x_d, at x_d + quantity·u and at x_d + (1 + 10⁻⁶)·needed·u. */
    labelAtX: number;
    labelAtQuantity: number;
    labelBeyond: number;
    randomDirections: number;
    /** Random directions at the proof's size that change the label (0: none can). */
    randomFlips: number;
  } | null;
}

/** Random directions tried at the proof's size on the worst counterexample. */
const GAP_DIRECTIONS = 200;

/**
 * The proof of Theorem 4 says the needed perturbation is at most |R_{d−1,d−1}| + |R_{d−1,d}| + |R_dd|
 * for R of H_{l−1}⋯H_1. Square networks (every width d, config.squareDepth layers), where that R's
 * bottom entries are products of χ₂ and χ₁ factors, searched for instances where it is not.
 */
export function theorem4ProofGap(c: Theorem4Config, rng: Rng): Theorem4ProofGap {
  const d = c.d;
  const widths = new Array<number>(c.squareDepth + 1).fill(d);
  const rows: GapRow[] = [];
  for (let k = 0; k < c.squareDraws; k++) {
    const r = rng.child(k);
    const X = gaussianMatrix(r, d, d);
    const f = theorem4.theorem4Factors(X, gaussianLayers(r, widths));
    rows.push({
      draw: k,
      // condition (5) makes W H = X⁻¹ for every such network (Step 1): X⁻¹'s exact minimal perturbation
      exactMinimal: theorem1.robustnessFromR(qrR(X)).exactMinimal,
      proofQuantity: f.proofQuantity,
      proofQuantityHX: f.proofQuantityHX,
      paperBound: f.paperBound,
    });
  }
  const count = (f: (r: GapRow) => boolean) => rows.filter(f).length;
  const counterexamples = count((r) => r.exactMinimal > r.proofQuantity);
  const ci = clopperPearson(counterexamples, c.squareDraws, c.level);
  // The worst counterexample whose network float64 can fit (W H X = I to 1e-8): the worst ones
  // have a nearly singular H, whose fitted last layer cannot be formed.
  const ranked = [...rows]
    .filter((r) => r.exactMinimal > r.proofQuantity)
    .sort((a, b) => a.proofQuantity / a.exactMinimal - b.proofQuantity / b.exactMinimal);
  let endToEnd: Theorem4ProofGap["endToEnd"] = null;
  for (const [rank, row] of ranked.entries()) {
    // The same draw again (stream rng.child(k): X, then its layers), and its network.
    const r = rng.child(row.draw);
    const X = gaussianMatrix(r, d, d);
    const layers = gaussianLayers(r, widths);
    let net: theorem4.Theorem4Network;
    try {
      net = theorem4.theorem4Network(X, layers);
    } catch {
      continue; // R of HX singular in float64
    }
    if (!(net.conditionError <= 1e-8)) continue;
    const xd = X.getColumn(d - 1);
    const f = (y: readonly number[]) => throughLayers(layers, net.Wlast, y);
    const label = (y: readonly number[]) => argmax(f(y)) + 1;
    const min = minimalPerturbationLinear(net.endToEnd, null, xd);
    const u = min.e.map((v) => v / min.norm);
    const step = (t: number, v: readonly number[]) => xd.map((x, i) => x + t * v[i]);
    const dirs = rng.child(c.squareDraws, 1);
    let randomFlips = 0;
    for (let k = 0; k < GAP_DIRECTIONS; k++) {
      const v = gaussianVector(dirs, d);
      const n = Math.hypot(...v);
      if (label(step(row.proofQuantity / n, v)) !== d) randomFlips++;
    }
    endToEnd = {
      draw: row.draw,
      rank: rank + 1,
      proofQuantity: row.proofQuantity,
      exactMinimal: min.norm,
      labelAtX: label(xd),
      labelAtQuantity: label(step(row.proofQuantity, u)),
      labelBeyond: label(step((1 + 1e-6) * min.norm, u)),
      randomDirections: GAP_DIRECTIONS,
      randomFlips,
    };
    break;
  }
  return {
    d,
    depth: c.squareDepth,
    draws: c.squareDraws,
    counterexamples,
    counterexamplesHX: count((r) => r.exactMinimal > r.proofQuantityHX),
    counterexamplesBound: count((r) => r.exactMinimal > r.paperBound),
    lo: ci.lo,
    hi: ci.hi,
    worst: [...rows]
      .sort((a, b) => a.proofQuantity / a.exactMinimal - b.proofQuantity / b.exactMinimal)
      .slice(0, 5),
    endToEnd,
  };
}

/** A least-squares slope with its interval at a level and a t test against a value. */

export type LoosenessRow = {
  depth: number;
  widths: string;
  medianQuantity: number;
  medianBound: number;
  medianExact: number;
  /** Median of Π‖R_i‖_1B / exact minimal, with its order-statistics interval at config.level */
  medianRatio: number;
  ratioLo: number;
  ratioHi: number;
};

export interface Theorem4Looseness {
  rows: LoosenessRow[];
  /** Draws (over every depth) and those in which Π‖R_i‖_1B is below the exact minimal. */
  draws: number;
  boundBelowNeeded: number;
}

/** The proof's bound Π ‖R_i‖_1B against the needed perturbation, over depths (same X per draw). */
export function theorem4Looseness(c: Theorem4Config, rng: Rng): Theorem4Looseness {
  const d = c.d;
  const byDepth = new Map<number, { q: number[]; b: number[]; e: number[] }>();
  for (const l of c.depths) byDepth.set(l, { q: [], b: [], e: [] });
  for (let k = 0; k < c.looseDraws; k++) {
    const r = rng.child(k);
    const X = gaussianMatrix(r.child(0), d, d);
    const exact = theorem1.robustnessFromR(qrR(X)).exactMinimal; // W H = X⁻¹ at every depth
    for (const l of c.depths) {
      const layers = gaussianLayers(r.child(1, l), theorem4Widths(d, l, c.growth));
      const net = theorem4.theorem4Factors(X, layers);
      const s = byDepth.get(l)!;
      s.q.push(net.proofQuantity);
      s.b.push(net.paperBound);
      s.e.push(exact);
    }
  }
  const rows = c.depths.map((l) => {
    const s = byDepth.get(l)!;
    const ratio = medianInterval(
      s.b.map((b, i) => b / s.e[i]),
      c.level,
    );
    return {
      depth: l,
      widths: theorem4Widths(d, l, c.growth).join("→"),
      medianQuantity: median(s.q),
      medianBound: median(s.b),
      medianExact: median(s.e),
      medianRatio: ratio.estimate,
      ratioLo: ratio.lo,
      ratioHi: ratio.hi,
    };
  });
  let draws = 0;
  let boundBelowNeeded = 0;
  for (const s of byDepth.values()) {
    draws += s.b.length;
    boundBelowNeeded += s.b.filter((b, i) => b < s.e[i]).length;
  }
  return { rows, draws, boundBelowNeeded };
}

export type WidthNormRow = {
  /** n_{i+1} = d·factor: the layer's rows */
  n: number;
  draws: number;
  /** Mean ‖R_1‖_1B with its t interval and the mean under Lemma 3's law */
  mean: number;
  lo: number;
  hi: number;
  expectedMean: number;
  median: number;
  /** KS distance to draws of Lemma 3's law (χ_{n−d+2} + |N(0, 1)| + χ_{n−d+1}), its p-value */
  ksDistance: number;
  pValue: number;
  /** H₀: ‖R_1‖_1B (real QR) has Lemma 3's law at this width; two-sample KS test. */
  test: TestInput;
};

export interface Theorem4ConstantD {
  d: number;
  rows: WidthNormRow[];
  /** ln ‖R_1‖_1B on ln n_2 with its interval (reported, not tested: Lemma 3's law implies it) */
  widthSlope: SlopeStudy;
}

/** Draws of Lemma 3's law per real-QR draw in the two-sample tests of theorem4ConstantD. */
const REFERENCE_PER_DRAW = 4;

/**
 * The proof's constant D bounding ‖R_i‖_1B "whatever the widths": ‖R_1‖_1B of one Gaussian layer
 * H_1 (n×d, real QR) at n = d·factor. By Lemma 3 its bottom block holds χ_{n−d+2}, N(0, 1) and
 * χ_{n−d+1}; the same law holds for every R_i of a deeper network with n_{i+1} = n.
 */
export function theorem4ConstantD(c: Theorem4Config, rng: Rng): Theorem4ConstantD {
  const d = c.d;
  const x: number[] = [];
  const y: number[] = [];
  const rows = c.widthFactors.map((f): WidthNormRow => {
    const n = f * d;
    const v = Array.from({ length: c.widthDraws }, (_, k) =>
      bottomBlockNorm1(qrR(gaussianMatrix(rng.child(n, k), n, d))),
    );
    v.forEach((t) => {
      x.push(Math.log(n));
      y.push(Math.log(t));
    });
    const expected = theorem4.bottomBlockNormMean(n, d);
    const mt = meanTest(v, expected, c.level, `E‖R₁‖₁B at n₂ = ${n} (Lemma 3's law)`);
    // Lemma 3: the bottom block of R_1 holds χ_{n−d+2}, N(0, 1) above the diagonal, χ_{n−d+1}
    const law = rng.child(0, n); // n ≥ 2: apart from the real-QR streams rng.child(n, k)
    const reference = Array.from(
      { length: REFERENCE_PER_DRAW * c.widthDraws },
      () => law.chi(n - d + 2) + Math.abs(law.normal()) + law.chi(n - d + 1),
    );
    const ks = ksTest2(v, reference);
    return {
      n,
      draws: c.widthDraws,
      mean: mt.estimate,
      lo: mt.lo,
      hi: mt.hi,
      expectedMean: expected,
      median: median(v),
      ksDistance: ks.statistic,
      pValue: ks.pValue,
      test: {
        pValue: ks.pValue,
        hypothesis: `‖R₁‖₁B at n₂ = ${n}, d = ${d} (real QR) has Lemma 3's law`,
        method:
          `two-sample Kolmogorov–Smirnov against ${reference.length} draws of ` +
          `χ₍n−d+2₎ + |N(0, 1)| + χ₍n−d+1₎, ${v.length} real-QR draws`,
        statistic: ks.statistic,
        power: { kind: "ks", n: v.length, m: reference.length },
      },
    };
  });
  const what = "ln ‖R₁‖₁B on ln n₂";
  return { d, rows, widthSlope: slopeStudy(x, y, 0, "greater", c.level, what) };
}

export type Theorem4ScalingRow = {
  d: number;
  /** Median Π‖R_i‖_1B at square widths (every n_{i+1} = d). */
  medianSquare: number;
  draws: number;
  medianAttack: number;
  medianExact: number;
  /** Median Π‖R_i‖_1B with its order-statistics interval at config.level */
  medianBound: number;
  boundLo: number;
  boundHi: number;
  guarantee: number;
  /** KS distance of this d's ‖e‖ to √2·χ₂ and its p-value; the test (H₀: ‖e‖ ~ √2·χ₂ at d) */
  ksDistance: number;
  pValue: number;
  normLaw: TestInput;
};

export interface Theorem4Scaling {
  rows: Theorem4ScalingRow[];
  /** Every draw: d, ‖e‖, the exact minimal perturbation, the proof's bound */
  draws: { d: number[]; attack: number[]; exact: number[]; bound: number[] };
  /** max over every network of |f_{d−1}(x_d + e) − 1| and |f_d(x_d + e)| (eq. 3) */
  eq3Error: number;
  /** ln ‖e‖ on ln d, tested against 0 (two-sided) */
  attackSlope: SlopeStudy;
  /** ln Π‖R_i‖_1B on ln d at fixed depth and growth, tested against slope ≤ 0 (a d-free D) */
  boundSlope: SlopeStudy;
  /**
   * The proof's D^l at square widths (every n_{i+1} = d, so n_{i+1} − d = 0): Π‖R_i‖_1B per draw,
   * and the slope of its log on ln d against 0 (margins.json): the case the proof's argument needs.
   */
  squareBound: number[];
  square: VerdictNumbers;
  /** Median Π‖R_i‖_1B at square widths, per d (for the table). */
  squareMedians: number[];
}

/** Theorem 4 "C independent of d": networks of config.scalingDepth layers at each d. */
export function theorem4Scaling(c: Theorem4Config, rng: Rng): Theorem4Scaling {
  const draws = {
    d: [] as number[],
    attack: [] as number[],
    exact: [] as number[],
    bound: [] as number[],
  };
  let eq3Error = 0;
  const squareBound: number[] = [];
  const squareD: number[] = [];
  const squareMedians: number[] = [];
  const rows = c.scalingDims.map((d) => {
    const at: number[] = [];
    const ex: number[] = [];
    const bd: number[] = [];
    const sq: number[] = [];
    for (let k = 0; k < c.scalingDraws; k++) {
      const r = rng.child(d, k);
      const X = gaussianMatrix(r.child(0), d, d);
      const kase = deepCase(
        X,
        gaussianLayers(r.child(1), theorem4Widths(d, c.scalingDepth, c.growth)),
      );
      eq3Error = Math.max(eq3Error, Math.abs(kase.after[d - 2] - 1), Math.abs(kase.after[d - 1]));
      at.push(kase.attack);
      ex.push(kase.exactMinimal);
      bd.push(kase.net.paperBound);
      draws.d.push(d);
      draws.attack.push(kase.attack);
      draws.exact.push(kase.exactMinimal);
      draws.bound.push(kase.net.paperBound);
    }
    // Square layers (every width d): the proof's D^l there (Lemma 3's factors of the layers alone).
    for (let k = 0; k < c.squareScalingDraws; k++) {
      const square = gaussianLayers(
        rng.child(d, k, 2),
        new Array<number>(c.scalingDepth + 1).fill(d),
      );
      sq.push(theorem4.layersBound(square));
      squareD.push(d);
    }
    squareBound.push(...sq);
    squareMedians.push(median(sq));
    const ks = ksTest(at, theorem1.normECdf);
    const bound = medianInterval(bd, c.level);
    return {
      d,
      medianSquare: median(sq),
      draws: c.scalingDraws,
      medianAttack: median(at),
      medianExact: median(ex),
      medianBound: bound.estimate,
      boundLo: bound.lo,
      boundHi: bound.hi,
      guarantee: Math.sqrt(2 * d) / 2,
      ksDistance: ks.statistic,
      pValue: ks.pValue,
      normLaw: {
        pValue: ks.pValue,
        hypothesis: `‖e‖ ~ √2·χ₂ at d = ${d} (deep networks: e from the R of X)`,
        method: `one-sample Kolmogorov–Smirnov, exact p-value, ${at.length} draws`,
        statistic: ks.statistic,
        power: { kind: "ks" as const, n: at.length },
      },
    };
  });
  const span = `d ∈ [${c.scalingDims[0]}, ${c.scalingDims[c.scalingDims.length - 1]}]`;
  return {
    rows,
    draws,
    eq3Error,
    squareBound,
    squareMedians,
    square: slopeVerdict({
      x: squareD.map(Math.log),
      y: squareBound.map(Math.log),
      target: 0,
      margin: theoremMargin("theorem4.square-bound-in-d").margin,
      what: `ln Π‖R_i‖₁B on ln d over ${span}, ${c.scalingDepth} square layers`,
    }),
    boundSlope: slopeStudy(
      draws.d.map(Math.log),
      draws.bound.map(Math.log),
      0,
      "greater",
      c.level,
      `ln Π ‖R_i‖₁B on ln d (${c.scalingDepth} layers, growth ${c.growth})`,
    ),
    attackSlope: slopeStudy(
      draws.d.map(Math.log),
      draws.attack.map(Math.log),
      0,
      "two-sided",
      c.level,
      "ln ‖e‖ on ln d",
    ),
  };
}

/** The notebook's headline numbers, each with its interval and a verdict computed from its test. */
export function theorem4Headlines(
  loose: Theorem4Looseness,
  gap: Theorem4ProofGap,
  widths: Theorem4ConstantD,
  scaling: Theorem4Scaling,
): Headline[] {
  const p = (t: TestInput) => (t.pValue > 0 ? `p = ${t.pValue.toPrecision(3)}` : "p < 1e-300");
  const first = loose.rows[0];
  const last = loose.rows[loose.rows.length - 1];
  const ratio = (r: LoosenessRow): Headline => ({
    quantity: `median paper bound / exact minimal, ${r.depth} hidden layer(s)`,
    ours: r.medianRatio,
    interval: { lo: r.ratioLo, hi: r.ratioHi, level: widths.widthSlope.level },
    paper: "D^l (a constant)",
  });
  return [
    ratio(first),
    ratio(last),
    {
      quantity: `instances where the proof's quantity is below the needed perturbation (${gap.depth} square layers)`,
      ours: gap.counterexamples / gap.draws,
      interval: { lo: gap.lo, hi: gap.hi, level: widths.widthSlope.level },
      paper: 0,
      verdict: `${gap.counterexamples} of ${gap.draws}`,
    },
    {
      quantity: "slope of ln ‖R₁‖₁B on ln n₂ at fixed d",
      ours: widths.widthSlope.fit.slope,
      interval: {
        lo: widths.widthSlope.lo,
        hi: widths.widthSlope.hi,
        level: widths.widthSlope.level,
      },
      paper: "(not stated: the theorem's C is independent of d only)",
      note: `d = ${widths.d}; Lemma 3's law (tested per width) makes it grow like √n₂`,
    },
    {
      quantity: "slope of ln Π ‖R_i‖₁B on ln d (widths proportional to d)",
      ours: scaling.boundSlope.fit.slope,
      interval: {
        lo: scaling.boundSlope.lo,
        hi: scaling.boundSlope.hi,
        level: scaling.boundSlope.level,
      },
      paper: "≤ 0 (D^l independent of d)",
      verdict: `t test of slope ≤ 0: ${p(scaling.boundSlope.test)}`,
    },
  ];
}

/** Table columns (data key → label) for the notebook's tables. */
export const theorem4Columns: Record<
  "config" | "small" | "step" | "factors" | "gap" | "looseness" | "widths" | "scaling",
  Column[]
> = {
  small: [
    { key: "row", label: "row" },
    ...[0, 1, 2].map((j) => ({ key: `wh${j}`, label: `W H, column ${j + 1}` })),
    ...[0, 1, 2].map((j) => ({ key: `inv${j}`, label: `X⁻¹, column ${j + 1}` })),
    ...[0, 1, 2].map((j) => ({ key: `whx${j}`, label: `W H X, column ${j + 1}` })),
  ],
  config: [
    { key: "key", label: "parameter" },
    { key: "value", label: "value" },
  ],
  step: [
    { key: "depth", label: "hidden layers" },
    { key: "widths", label: "widths" },
    { key: "conditionError", label: "max |WHX − I|" },
    { key: "endToEndError", label: "max |WH − X⁻¹| (relative)" },
    { key: "fPrev", label: "f₍d−1₎(x_d + e)" },
    { key: "fLast", label: "f_d(x_d + e)" },
    { key: "exactMinimal", label: "exact minimal" },
  ],
  factors: [
    { key: "depth", label: "hidden layers" },
    { key: "factorisationError", label: "max |R_H − R₍l−1₎⋯R₁| (relative)" },
    { key: "bottomBlockError", label: "bottom blocks (relative)" },
    { key: "proofQuantity", label: "|R₍d−1,d−1₎| + |R₍d−1,d₎| + |R₍d,d₎| of R_H" },
    { key: "paperBound", label: "Π ‖R_i‖₁B" },
    { key: "exactMinimal", label: "exact minimal" },
  ],
  gap: [
    { key: "draw", label: "draw" },
    { key: "exactMinimal", label: "needed (exact minimal)" },
    { key: "proofQuantity", label: "proof's quantity, R of H" },
    { key: "proofQuantityHX", label: "proof's quantity, R of HX" },
    { key: "paperBound", label: "Π ‖R_i‖₁B" },
  ],
  looseness: [
    { key: "depth", label: "hidden layers" },
    { key: "widths", label: "widths" },
    { key: "medianQuantity", label: "median proof's quantity" },
    { key: "medianBound", label: "median Π ‖R_i‖₁B" },
    { key: "medianExact", label: "median exact minimal" },
    { key: "medianRatio", label: "median bound / exact" },
    { key: "ratioLo", label: "lo" },
    { key: "ratioHi", label: "hi" },
  ],
  widths: [
    { key: "n", label: "n₂ (rows of H₁)" },
    { key: "draws", label: "draws" },
    { key: "mean", label: "mean ‖R₁‖₁B" },
    { key: "lo", label: "lo" },
    { key: "hi", label: "hi" },
    { key: "expectedMean", label: "mean under Lemma 3's law" },
    { key: "median", label: "median" },
    { key: "ksDistance", label: "KS distance to Lemma 3's law" },
    { key: "pValue", label: "p" },
  ],
  scaling: [
    { key: "d", label: "d" },
    { key: "draws", label: "draws" },
    { key: "medianAttack", label: "median ‖e‖" },
    { key: "medianExact", label: "median exact minimal" },
    { key: "medianBound", label: "median Π ‖R_i‖₁B" },
    { key: "boundLo", label: "lo" },
    { key: "boundHi", label: "hi" },
    { key: "medianSquare", label: "median Π ‖R_i‖₁B, square widths" },
    { key: "guarantee", label: "√(2d)/2" },
    { key: "ksDistance", label: "KS distance of ‖e‖ to √2·χ₂" },
    { key: "pValue", label: "p" },
  ],
};

/** The scaling study's series for show.logLogBands: per-draw values against d. */
export function theorem4ScalingSeries(
  s: Theorem4Scaling,
): Array<{ name: string; d: number[]; y: number[] }> {
  return [
    { name: "‖e‖ (Theorem 1's attack)", d: s.draws.d, y: s.draws.attack },
    { name: "exact minimal perturbation", d: s.draws.d, y: s.draws.exact },
    { name: "the proof's bound Π ‖R_i‖₁B", d: s.draws.d, y: s.draws.bound },
    { name: "√(2d)/2", d: s.rows.map((r) => r.d), y: s.rows.map((r) => r.guarantee) },
  ];
}
