/**
 * Theorem 4: deep linear networks with Gaussian hidden layers and a last layer fitted to condition (5).
 */
import { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { minimalPerturbationLinear } from "../attacks/linear";
import { gaussianMatrix } from "../random/gaussian";
import type { Rng } from "../random/rng";
import { gaussianLayers } from "../rmt/bartlett";
import * as theorem1 from "../theorems/theorem1";
import * as theorem4 from "../theorems/theorem4";
import type { Scale } from "./config";

export interface Theorem4Config {
  /** d of the step-through instance. */
  d: number;
  /** Hidden depths l − 1 shown (number of Gaussian layers before the fitted last layer). */
  depths: number[];
  /** Width growth: layer i has n_{i+1} = d · growth^i neurons (n_{i+1} ≥ n_i as Lemma 3 assumes). */
  growth: number;
  /** The scaling study: dimensions and draws per (d, depth). */
  scalingDims: number[];
  scalingDraws: number;
}

export const theorem4Defaults: Record<Scale, Theorem4Config> = {
  quick: { d: 8, depths: [1, 2, 3, 4], growth: 2, scalingDims: [4, 8, 16, 32], scalingDraws: 5 },
  paper: {
    d: 12,
    depths: [1, 2, 3, 4, 5, 6],
    growth: 2,
    scalingDims: [4, 8, 16, 32, 64],
    scalingDraws: 10,
  },
};

export function validateTheorem4Config(c: Theorem4Config): void {
  const fn = "validateTheorem4Config";
  requireInteger(fn, "d", c.d, 2);
  if (c.depths.length === 0) fail(fn, "depths", c.depths, "must not be empty");
  c.depths.forEach((l, i) => requireInteger(fn, `depths[${i}]`, l, 1, 12));
  if (!(c.growth >= 1)) fail(fn, "growth", c.growth, "must be >= 1 (Lemma 3 needs n_{i+1} ≥ n_i)");
  c.scalingDims.forEach((d, i) => requireInteger(fn, `scalingDims[${i}]`, d, 2));
  requireInteger(fn, "scalingDraws", c.scalingDraws, 2);
}

/** Widths [d, d·g, d·g², …] for a network with `depth` hidden layers. */
export function theorem4Widths(d: number, depth: number, growth: number): number[] {
  return Array.from({ length: depth + 1 }, (_, i) => Math.round(d * growth ** i));
}

export interface Theorem4Row {
  d: number;
  depth: number;
  draw: number;
  /** max |W H X − I| (condition 5) */
  conditionError: number;
  /** max |W H − X⁻¹| / max |X⁻¹| */
  endToEndError: number;
  /** ‖e‖ of Theorem 1's attack with the R of X; outputs f_{d−1}, f_d at x_d + e. */
  attack: number;
  fPrev: number;
  fLast: number;
  exactMinimal: number;
  /** |R_{d−1,d−1}| + |R_{d−1,d}| + |R_dd| of R_H and the paper's Π ‖R_i‖_{1B}. */
  paperQuantity: number;
  paperBound: number;
}

/** One row per (d, depth, draw); the same X serves every depth of a draw. */
export function theorem4Study(
  dims: number[],
  depths: number[],
  growth: number,
  draws: number,
  rng: Rng,
): Theorem4Row[] {
  const rows: Theorem4Row[] = [];
  for (const d of dims) {
    for (let k = 0; k < draws; k++) {
      const r = rng.child(d, k);
      const X = gaussianMatrix(r, d, d);
      const shallow = theorem1.theorem1Network(X, Matrix.eye(d)); // H_1 = I: W = X⁻¹, and Theorem 1's attack
      const Xinv = shallow.W;
      const scale = Math.max(...Xinv.to1DArray().map(Math.abs));
      const att = theorem1.theorem1Attack(shallow);
      const xd = X.getColumn(d - 1);
      for (const depth of depths) {
        const net = theorem4.theorem4Network(
          X,
          gaussianLayers(r.child(depth), theorem4Widths(d, depth, growth)),
        );
        const E = net.endToEnd;
        const after = E.mmul(Matrix.columnVector(xd.map((v, i) => v + att.e[i]))).getColumn(0);
        rows.push({
          d,
          depth,
          draw: k,
          conditionError: Math.max(...E.mmul(X).sub(Matrix.eye(d)).to1DArray().map(Math.abs)),
          endToEndError: Math.max(...E.clone().sub(Xinv).to1DArray().map(Math.abs)) / scale,
          attack: att.norm,
          fPrev: after[d - 2],
          fLast: after[d - 1],
          exactMinimal: minimalPerturbationLinear(E, null, xd).norm,
          paperQuantity: net.paperQuantity,
          paperBound: net.paperBound,
        });
      }
    }
  }
  return rows;
}
