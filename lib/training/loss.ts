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
 * The summed cross-entropy over positions i < B with logit differences t[at(i)] and classes y(i),
 * writing the slopes (σ(t) − y)/batch (∂ of the batch's mean loss; the B points may be a chunk of
 * the batch) to g[at(i)] (float32, as PyTorch stores the logits' gradient). One exponential per point: with e = exp(−|t|),
 * softplus(±t) = max(±t, 0) + log1p(e) and σ(t) = 1/(1 + e) or e/(1 + e).
 * @returns the sum of the B losses and the sum of the B slopes
 */
export function crossEntropySlopes(
  B: number,
  t: ArrayLike<number>,
  at: (i: number) => number,
  y: (i: number) => number,
  g: Float32Array,
  batch = B,
): { loss: number; slope: number } {
  let loss = 0;
  let slope = 0;
  for (let i = 0; i < B; i++) {
    const k = at(i);
    const ti = t[k];
    const e = Math.exp(-Math.abs(ti));
    const z = y(i) === 1 ? -ti : ti;
    loss += (z > 0 ? z : 0) + Math.log1p(e);
    const s = (ti >= 0 ? 1 / (1 + e) : e / (1 + e)) - y(i);
    slope += s / batch;
    g[k] = s / batch;
  }
  return { loss, slope };
}
