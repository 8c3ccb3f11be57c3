/**
 * Theorem 7 on trained ReLU networks (section 6's data): networks trained until training accuracy 1
 * (or the best of a few runs), and the activation pattern that tells whether points share one
 * linear region of the network.
 */
import type { Matrix } from "ml-matrix";
import { requireInteger } from "../check";
import { Rng } from "../random/rng";
import { mlpInit, mlpPreActivations64, trainMlp, type MlpParams } from "../training/mlp";
import { PYTORCH_ADAM } from "../training/linear-net";
import type { Scale } from "./config";
import { hypercubeRows, scaleLeadingColumns } from "../data/hypercube";
import { gaussianMatrix } from "../random/gaussian";

export interface Theorem7Config {
  d: number;
  /** Hidden widths of the two networks shown: one hidden layer, and several. */
  networks: number[][];
  epochs: number;
  batchSize: number;
  /** Runs tried per network until one reaches training accuracy 1 (else the most accurate is used). */
  maxRuns: number;
  /** ε sweep of the Theorem 7 check. */
  epsilons: number[];
  /** The α of x = αb_1 + (1 − α)b_2 (section 6's stencil point 0.444). */
  alpha: number;
  /** Dimensions and draws of the Gaussian case. */
  gaussianDims: number[];
  gaussianDraws: number;
}

export const theorem7Defaults: Record<Scale, Theorem7Config> = {
  quick: {
    d: 8,
    networks: [[64], [32, 32]],
    epochs: 20,
    batchSize: 64,
    maxRuns: 3,
    epsilons: [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6],
    alpha: 0.444,
    gaussianDims: [12, 50, 200],
    gaussianDraws: 2000,
  },
  paper: {
    d: 12,
    networks: [[3000], [256, 256]],
    epochs: 20,
    batchSize: 512,
    maxRuns: 3,
    epsilons: [1e-1, 1e-2, 1e-3, 1e-4, 1e-5, 1e-6, 1e-7],
    alpha: 0.444,
    gaussianDims: [12, 50, 200, 1000],
    gaussianDraws: 5000,
  },
};

export interface TrainedNetwork {
  hidden: number[];
  run: number;
  accuracy: number;
  params: MlpParams;
}

/** Trains a ReLU network d → hidden… → 2 on run r's section 6 data until accuracy 1 (at most maxRuns runs). */
export async function trainAccurateRelu(
  c: Theorem7Config,
  hidden: number[],
  seed: number,
): Promise<TrainedNetwork & { A: Matrix }> {
  requireInteger("trainAccurateRelu", "maxRuns", c.maxRuns, 1);
  let best: (TrainedNetwork & { A: Matrix }) | null = null;
  for (let run = 0; run < c.maxRuns; run++) {
    const A = scaleLeadingColumns(gaussianMatrix(new Rng([seed, run, 0]), c.d, c.d), 5);
    const { X, y } = hypercubeRows(A);
    const res = await trainMlp(
      mlpInit(new Rng([seed, run, 1]), [c.d, ...hidden, 2]),
      { X, y, d: c.d },
      { epochs: c.epochs, batchSize: c.batchSize, ...PYTORCH_ADAM },
      new Rng([seed, run, 2]),
    );
    if (!best || res.accuracy > best.accuracy)
      best = { hidden, run, accuracy: res.accuracy, params: res.params, A };
    if (res.accuracy === 1) break;
  }
  return best!;
}

/** The on/off pattern of every hidden unit at x: equal patterns at several points put them in one linear region. */
export function activationPattern(p: MlpParams, x: ArrayLike<number>): string {
  return mlpPreActivations64(p, x)
    .slice(0, -1)
    .map((layer) => layer.map((v) => (v > 0 ? "1" : "0")).join(""))
    .join("");
}
