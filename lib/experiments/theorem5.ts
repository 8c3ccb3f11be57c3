/**
 * Theorem 5's setting: Theorem 1's data (d points, d classes) through a multi-layer linear network
 * with Gaussian hidden layers, and a last layer that is either random or fitted by ridge regression.
 */
import type { Scale } from "./config";

export interface Theorem5Config {
  /** Points, classes and input dimension. */
  d: number;
  /** Hidden layer i has d · growth^i neurons. */
  growth: number;
  /** Hidden layers. */
  depth: number;
  /** Ridge λ as a fraction of the mean squared feature norm: large enough that the fit does not interpolate. */
  ridge: number;
  /** ε of eq. (7), relative to Δ's size. */
  eps: number;
}

export const theorem5Defaults: Record<Scale, Theorem5Config> = {
  quick: { d: 6, growth: 2, depth: 2, ridge: 0.1, eps: 1e-6 },
  paper: { d: 12, growth: 2, depth: 3, ridge: 0.1, eps: 1e-6 },
};
