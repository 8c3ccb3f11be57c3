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
 * The summed cross-entropy of the batch positions s0 … s0+B−1 (points points[s0+i], classes
 * y[points[s0+i]]), writing the slopes (σ(t) − y)/batch (∂ of the batch's mean loss; the B
 * positions may be a chunk of the batch) as float32, as PyTorch stores the logits' gradient. t and
 * g are indexed by position i (t[i] for position s0+i) or, with byPoint, by point. One exponential
 * per point: with e = exp(−|t|), softplus(±t) = max(±t, 0) + log1p(e) and σ(t) = 1/(1 + e) or
 * e/(1 + e).
 * @param withLoss false to skip the losses (training needs only the slopes)
 * @returns the sum of the B losses (NaN without them) and of the B slopes
 */
export function crossEntropySlopes(
  points: ArrayLike<number>,
  s0: number,
  B: number,
  y: ArrayLike<number>,
  t: ArrayLike<number>,
  g: Float32Array,
  batch: number,
  byPoint: boolean,
  withLoss = true,
): { loss: number; slope: number } {
  let loss = 0;
  let slope = 0;
  for (let i = 0; i < B; i++) {
    const p = points[s0 + i];
    const k = byPoint ? p : i;
    const ti = t[k];
    const yi = y[p];
    const e = Math.exp(-Math.abs(ti));
    const z = yi === 1 ? -ti : ti;
    if (withLoss) loss += (z > 0 ? z : 0) + Math.log1p(e);
    const s = ((ti >= 0 ? 1 : e) / (1 + e) - yi) / batch;
    slope += s;
    g[k] = s;
  }
  return { loss: withLoss ? loss : NaN, slope };
}
