/**
 * Cross-entropy of section 6's two-class networks through the logit difference t = f_1 − f_0:
 * CE((f_0, f_1), y) = softplus(−t) for class 1 and softplus(t) for class 0, with ∂/∂t = σ(t) − y.
 * Shared by the WebAssembly trainers (the kernels give t, this gives the loss and the slopes).
 */

/** The cross-entropy of one point with logit difference t and class y ∈ {0, 1} (float64). */
export function crossEntropy2(t: number, y: number): number {
  const z = y === 1 ? -t : t;
  return z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
}

/** ∂CE/∂t = σ(t) − y, computed without overflow. */
export function crossEntropy2Slope(t: number, y: number): number {
  const p1 = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  return p1 - y;
}

/**
 * The batch's mean cross-entropy, and its slopes g[i] = (σ(t[i]) − y_i)/B (∂ of the mean loss).
 * @param t logit differences at the B batch positions
 * @param idx the batch's point indices (label(idx[i]) is the class of position i)
 * @param g output: B slopes (float32, as PyTorch stores the logits' gradient)
 */
export function crossEntropySlopes(
  t: ArrayLike<number>,
  idx: ArrayLike<number>,
  B: number,
  label: (point: number) => number,
  g: Float32Array,
): number {
  let loss = 0;
  for (let i = 0; i < B; i++) {
    const y = label(idx[i]);
    loss += crossEntropy2(t[i], y);
    g[i] = crossEntropy2Slope(t[i], y) / B;
  }
  return loss / B;
}
