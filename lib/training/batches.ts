/**
 * The mini-batch schedule shared by every trainer, as a PyTorch DataLoader(shuffle=True) draws it:
 * every epoch a fresh permutation of the n training points, cut in order into batches of batchSize,
 * the last one smaller when batchSize does not divide n. The permutation comes from our seeded
 * stream (one rng.permutation(n) per epoch), so a run's batches are the same in every trainer and
 * can be handed to PyTorch as index lists (test/pytorch/reference.py).
 */
import { requireInteger } from "../check";
import type { Rng } from "../random/rng";
import type { BatchConfig } from "./config";

/**
 * Runs `step` on every batch of `c.epochs` shuffled epochs over n points.
 * @param step called with the batch's point indices (a view of the epoch's permutation, valid
 *   during the call) and whether this is the last epoch; returns the batch's mean loss (only the
 *   last epoch's are used), or nothing
 * @param onEpoch called after every epoch with its number (1-based)
 * @returns the mean loss over the last epoch's points (NaN when `step` returns nothing)
 */
export function shuffledBatches(
  n: number,
  c: BatchConfig,
  rng: Rng,
  step: (idx: Int32Array, lastEpoch: boolean) => number | void,
  onEpoch?: (epoch: number) => void,
): number {
  requireInteger("shuffledBatches", "n", n, 1);
  requireInteger("shuffledBatches", "epochs", c.epochs, 1);
  requireInteger("shuffledBatches", "batchSize", c.batchSize, 1);
  let lastLoss = NaN;
  for (let epoch = 0; epoch < c.epochs; epoch++) {
    const perm = rng.permutation(n);
    let sum = 0;
    for (let start = 0; start < n; start += c.batchSize) {
      const idx = perm.subarray(start, Math.min(n, start + c.batchSize));
      const loss = step(idx, epoch === c.epochs - 1);
      sum += typeof loss === "number" ? loss * idx.length : NaN;
    }
    lastLoss = sum / n;
    onEpoch?.(epoch + 1);
  }
  return lastLoss;
}

/** Adam steps of a run: epochs × ⌈n / batchSize⌉. */
export function stepsPerRun(n: number, c: BatchConfig): number {
  return c.epochs * Math.ceil(n / c.batchSize);
}
