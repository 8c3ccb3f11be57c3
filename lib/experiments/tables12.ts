/**
 * Section 6, linear networks (Tables 1 and 2): train Linear(d → hidden) → identity → Linear(hidden → 2)
 * on x = A z over all z ∈ {±1}^d (every column of A but the last ×5), label = z_d; keep the runs with
 * training accuracy 1, and measure cos θ₁ = cos∠(W₁ − W₂, a_d), cos θ₂ = cos∠(W₁, last row of A⁻¹)
 * and φ = |R_dd|/‖a_d‖, plus what the paper leaves out: each network's exact minimal perturbation and
 * the optimal classifier's exact robustness on the same data.
 */
import * as path from "path";
import { inverse } from "ml-matrix";
import { fail, requireInRange, requireInteger, requirePositive } from "../check";
import { qrR } from "../linalg/qr";
import { cosine, norm, sub } from "../linalg/vectors";
import { latticeMinimumSphere } from "../optimal/lattice";
import { gaussianMatrix } from "../random/gaussian";
import { Rng } from "../random/rng";
import { hypercubeRows, scaleLeadingColumns } from "../data/hypercube";
import {
  endToEnd,
  PYTORCH_ADAM,
  pytorchInit,
  trainLinearNet,
  type TrainConfig,
} from "../training/linear-net";
import type { Scale } from "./config";
import { runPool } from "./pool";

export interface Tables12Config {
  /** Input dimension (section 6: 12; all 2^d points are the training set). */
  d: number;
  /** Hidden width (section 6: 3000). */
  hidden: number;
  /** Every column of A but the last is multiplied by this (section 6: 5). */
  scaleFactor: number;
  /** Epochs (section 6: 20). */
  epochs: number;
  /** Mini-batch size: not given by the paper; the default is the sweep's closest match to 20 valid of 50. */
  batchSize: number;
  /** Runs of the protocol (section 6: 50) and valid experiments shown in Table 1 (10). */
  runs: number;
  table1Count: number;
  /** Table 2 keeps the valid runs with |cos θ₂| above this (0.9). */
  cos2Threshold: number;
  /** Adam (PyTorch defaults). */
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** Worker threads for independent runs (both cores). */
  workers: number;
}

export const tables12Defaults: Record<Scale, Tables12Config> = {
  quick: {
    d: 8,
    hidden: 256,
    scaleFactor: 5,
    epochs: 20,
    batchSize: 64,
    runs: 10,
    table1Count: 3,
    cos2Threshold: 0.9,
    ...PYTORCH_ADAM,
    workers: 2,
  },
  paper: {
    d: 12,
    hidden: 3000,
    scaleFactor: 5,
    epochs: 20,
    batchSize: 2048,
    runs: 50,
    table1Count: 10,
    cos2Threshold: 0.9,
    ...PYTORCH_ADAM,
    workers: 2,
  },
};

export function validateTables12Config(c: Tables12Config): void {
  const fn = "validateTables12Config";
  requireInteger(fn, "d", c.d, 2, 16);
  requireInteger(fn, "hidden", c.hidden, 1);
  requirePositive(fn, "scaleFactor", c.scaleFactor);
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "batchSize", c.batchSize, 1);
  requireInteger(fn, "runs", c.runs, 1);
  requireInteger(fn, "table1Count", c.table1Count, 1);
  requireInRange(fn, "cos2Threshold", c.cos2Threshold, 0, 1);
  requirePositive(fn, "lr", c.lr);
  requireInteger(fn, "workers", c.workers, 1, 64);
}

export interface RunResult {
  run: number;
  accuracy: number;
  /** Training accuracy exactly 1 (a valid experiment). */
  valid: boolean;
  loss: number;
  cos1: number;
  cos2: number;
  phi: number;
  /** The trained network's exact minimal perturbation (closed form, biases included), over ‖a_d‖: the smallest over all training points and the median. */
  minimalWorst: number;
  minimalMedian: number;
  /** The optimal classifier's exact robustness min_u ‖A u‖ (sphere decoder), over ‖a_d‖. */
  optimal: number;
  /** End-to-end map (2 × d) and bias. */
  W: number[][];
  c: number[];
}

/** The data of run `run` (seeded by [seed, run]): A (scaled), inputs as N × d rows, labels (class 1 ↔ z_d = +1). */
export function tables12Data(c: Tables12Config, seed: number, run: number) {
  const rng = new Rng([seed, run, 0]);
  const A = scaleLeadingColumns(gaussianMatrix(rng, c.d, c.d), c.scaleFactor);
  return { A, ...hypercubeRows(A) };
}

/** Trains and measures one run; deterministic given (config, seed, run) and the backend. */
export async function tables12Run(
  c: Tables12Config,
  seed: number,
  run: number,
  onEpoch?: (epoch: number) => void,
): Promise<RunResult> {
  const { A, X, y, Xd } = tables12Data(c, seed, run);
  const train: TrainConfig = {
    hidden: c.hidden,
    epochs: c.epochs,
    batchSize: c.batchSize,
    lr: c.lr,
    beta1: c.beta1,
    beta2: c.beta2,
    eps: c.eps,
    formulation: "composed",
  };
  const res = await trainLinearNet(
    pytorchInit(new Rng([seed, run, 1]), c.d, c.hidden),
    { X, y, d: c.d },
    train,
    new Rng([seed, run, 2]),
    onEpoch,
  );
  const { W, c: bias } = endToEnd(res.params);
  const d = c.d;
  const ad = A.getColumn(d - 1);
  const adNorm = norm(ad);
  const lastRowInv = inverse(A).getRow(d - 1);
  const dw = sub(W[0], W[1]);
  const dwNorm = norm(dw);
  const distances = Array.from({ length: y.length }, (_, i) => {
    let f = bias[0] - bias[1];
    for (let j = 0; j < d; j++) f += dw[j] * Xd.get(j, i);
    return Math.abs(f) / dwNorm;
  }).sort((a, b) => a - b);
  return {
    run,
    accuracy: res.accuracy,
    valid: res.accuracy === 1,
    loss: res.loss,
    cos1: cosine(dw, ad),
    cos2: cosine(W[0], lastRowInv),
    phi: qrR(A).get(d - 1, d - 1) / adNorm,
    minimalWorst: distances[0] / adNorm,
    minimalMedian: distances[Math.floor(distances.length / 2)] / adNorm,
    optimal: latticeMinimumSphere(A).value / adNorm,
    W,
    c: bias,
  };
}

export interface Progress {
  done: number;
  total: number;
  /** Latest epoch of each run in progress. */
  running: Map<number, number>;
}

/**
 * Runs the given run indices on `workers` threads (each with its own tfjs backend), calling
 * onProgress as epochs and runs finish. Results come back sorted by run index; a run's numbers do not
 * depend on which thread ran it.
 */
export async function tables12Runs(
  c: Tables12Config,
  seed: number,
  runs: number[],
  backend: string,
  onProgress?: (p: Progress) => void,
): Promise<RunResult[]> {
  validateTables12Config(c);
  const queue = [...runs];
  const results: RunResult[] = [];
  const progress: Progress = { done: 0, total: runs.length, running: new Map() };
  await runPool<number, RunResult>({
    script: path.join(__dirname, "tables12-worker.js"),
    workerData: { config: c, seed, backend },
    workers: Math.min(c.workers, runs.length),
    next: () => queue.shift(),
    onResult: (run, result) => {
      results.push(result);
      progress.running.delete(run);
      progress.done += 1;
      onProgress?.(progress);
    },
    onProgress: (run, epoch) => {
      progress.running.set(run, epoch);
      onProgress?.(progress);
    },
  });
  if (results.length !== runs.length)
    fail("tables12Runs", "runs", runs, `returned ${results.length} results`);
  return results.sort((a, b) => a.run - b.run);
}
