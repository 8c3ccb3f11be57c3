/**
 * What every trainer of section 6 takes: the optimiser's settings (Adam with PyTorch's defaults,
 * section 6: "we use the Adam package in PyTorch"), the batch schedule, and the data. No tfjs here,
 * so the WebAssembly trainers and the float64 modules load without it.
 */
import { fail, requireInteger, requirePositive } from "../check";

/** Adam's settings, named as torch.optim.Adam names them (lr, betas, eps). */
export interface AdamConfig {
  /** Learning rate (PyTorch's default 1e-3). */
  lr: number;
  /** betas (PyTorch's default (0.9, 0.999)). */
  beta1: number;
  beta2: number;
  /** Added to √v̂ (PyTorch's default 1e-8; tfjs's is 1e-7). */
  eps: number;
}

/** torch.optim.Adam's defaults: section 6 states none, so the package's are the paper's. */
export const PYTORCH_ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

/** The batch schedule: `epochs` passes, each over a fresh shuffle cut into batches of `batchSize`. */
export interface BatchConfig {
  /** Epochs (section 6: 20). */
  epochs: number;
  /** Mini-batch size (not given by the paper: the lead's grid runs 16 … 4096). */
  batchSize: number;
}

/** What the trainers without a hidden width or formulation of their own take (ReLU trainers). */
export type OptimConfig = BatchConfig & AdamConfig;

/** The linear trainers' settings: section 6's network d → hidden → 2 and its optimiser. */
export interface TrainConfig extends OptimConfig {
  /** Hidden width (section 6: 3000). */
  hidden: number;
  /** "composed": logits from W = H_2H_1 (fast); "plain": through the batch × hidden activation. */
  formulation: "composed" | "plain";
}

/** A training set as the trainers take it. */
export interface TrainData {
  /** N × d row-major inputs. */
  X: Float32Array;
  /** Class indices in {0, …, classes − 1}. */
  y: Int32Array;
  d: number;
}

/** Refuses a bad batch schedule or Adam setting, naming `fn`, the parameter and the value. */
export function validateOptimConfig(fn: string, c: OptimConfig): void {
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "batchSize", c.batchSize, 1);
  requirePositive(fn, "lr", c.lr);
  requirePositive(fn, "eps", c.eps);
  if (!(c.beta1 >= 0 && c.beta1 < 1)) fail(fn, "beta1", c.beta1, "must lie in [0, 1)");
  if (!(c.beta2 >= 0 && c.beta2 < 1)) fail(fn, "beta2", c.beta2, "must lie in [0, 1)");
}

/** Refuses a bad linear-network training config (the message names validateTrainConfig). */
export function validateTrainConfig(c: TrainConfig): void {
  const fn = "validateTrainConfig";
  requireInteger(fn, "hidden", c.hidden, 1);
  validateOptimConfig(fn, c);
  if (c.formulation !== "composed" && c.formulation !== "plain")
    fail(fn, "formulation", c.formulation, 'must be "composed" or "plain"');
}

/** Refuses data whose shape does not match: X holds N × d values, y N labels in [0, classes). */
export function validateTrainData(fn: string, data: TrainData, d: number, classes = 2): void {
  if (data.d !== d) fail(fn, "data.d", data.d, `must equal the network's input dimension ${d}`);
  const n = data.y.length;
  if (n === 0 || data.X.length !== n * data.d)
    fail(fn, "data.X", data.X.length, `must hold N × d = ${n} × ${data.d} values`);
  for (let i = 0; i < n; i++)
    if (!(Number.isInteger(data.y[i]) && data.y[i] >= 0 && data.y[i] < classes))
      fail(fn, `data.y[${i}]`, data.y[i], `must be a class index in [0, ${classes})`);
}
