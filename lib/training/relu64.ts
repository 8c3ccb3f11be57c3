/**
 * Section 6's non-linear networks (Theorem 7, Table 3) as plain arrays, in float64 JavaScript:
 * fully connected ReLU networks d → h_1 → … → h_k → classes, PyTorch's initialisation, the forward
 * pass, every layer's pre-activations, the activation pattern, the input gradients ∇f_j(x) and the
 * network as DeepFool's classifier. No tfjs, so lib/theorems/ and the experiments can use these
 * without loading it; the tfjs versions (autodiff, training) are in mlp.ts.
 */
import { fail, requireFiniteArray, requireInteger } from "../check";
import type { Rng } from "../random/rng";
import type { TrainData } from "./config";

/** A ReLU network's parameters as float32 arrays (PyTorch's nn.Linear layout). */
export interface MlpParams {
  /** Layer widths [d, h_1, …, classes]. */
  widths: number[];
  /** weights[i]: widths[i+1] × widths[i], row-major; biases[i]: widths[i+1]. */
  weights: Float32Array[];
  biases: Float32Array[];
}

/**
 * PyTorch's nn.Linear initialisation for every layer (section 6's footnote 1):
 * U(−1/√fan_in, 1/√fan_in) for weights and biases, layer by layer, weights (row-major) first.
 * @param widths [d, h_1, …, classes]
 */
export function mlpInit(rng: Rng, widths: number[]): MlpParams {
  if (widths.length < 2)
    fail("mlpInit", "widths", widths, "must list at least the input and output widths");
  widths.forEach((w, i) => requireInteger("mlpInit", `widths[${i}]`, w, 1));
  const weights: Float32Array[] = [];
  const biases: Float32Array[] = [];
  for (let i = 0; i + 1 < widths.length; i++) {
    const bound = 1 / Math.sqrt(widths[i]);
    weights.push(
      Float32Array.from({ length: widths[i + 1] * widths[i] }, () => rng.uniformIn(-bound, bound)),
    );
    biases.push(Float32Array.from({ length: widths[i + 1] }, () => rng.uniformIn(-bound, bound)));
  }
  return { widths: [...widths], weights, biases };
}

/**
 * Pre-activations of every layer at x in float64: entry i has widths[i+1] values; the last is the
 * output f(x) (ReLU after every layer but the last).
 * @param x the input, length d
 */
export function mlpPreActivations64(p: MlpParams, x: ArrayLike<number>): number[][] {
  if (x.length !== p.widths[0])
    fail("mlpPreActivations64", "x", Array.from(x), `must have length ${p.widths[0]}`);
  let h = Array.from(x);
  return p.weights.map((w, i) => {
    const rows = p.widths[i + 1];
    const cols = p.widths[i];
    const pre = new Array<number>(rows);
    for (let r = 0; r < rows; r++) {
      let s = p.biases[i][r];
      for (let c = 0; c < cols; c++) s += w[r * cols + c] * h[c];
      pre[r] = s;
    }
    h = pre.map((v) => Math.max(0, v));
    return pre;
  });
}

/** The outputs f(x) (classes values) in float64, for finite differences and exact checks. */
export function mlpForward64(p: MlpParams, x: ArrayLike<number>): number[] {
  const layers = mlpPreActivations64(p, x);
  return layers[layers.length - 1];
}

/**
 * The activation pattern at x: for every hidden layer, 1 where the unit's pre-activation is > 0.
 * Two inputs with the same pattern lie in one linear region of the network (Theorem 7's setting).
 */
export function mlpActivationPattern64(p: MlpParams, x: ArrayLike<number>): Uint8Array[] {
  const pre = mlpPreActivations64(p, x);
  return pre.slice(0, -1).map((layer) => Uint8Array.from(layer, (v) => (v > 0 ? 1 : 0)));
}

/**
 * Input gradients ∇f_j(x) for every output j (classes × d) in float64, by back-propagation
 * through x's activation pattern (a ReLU network is affine on each pattern's region; Theorem 7,
 * section 6's ρ). Equal to tfjs autodiff up to float32 rounding (test/unit/hypercube-relu.test.ts).
 * @param x the input, length d
 */
export function mlpInputGradients64(p: MlpParams, x: ArrayLike<number>): number[][] {
  requireFiniteArray("mlpInputGradients64", "x", x);
  const pre = mlpPreActivations64(p, x);
  const L = p.weights.length;
  const classes = p.widths[L];
  return Array.from({ length: classes }, (_, k) => {
    // delta: ∂f_k/∂(pre-activation of the current layer), starting at the output layer.
    let delta = new Float64Array(classes);
    delta[k] = 1;
    for (let i = L - 1; i >= 0; i--) {
      const rows = p.widths[i + 1];
      const cols = p.widths[i];
      const w = p.weights[i];
      const next = new Float64Array(cols);
      for (let r = 0; r < rows; r++) {
        const dr = delta[r];
        if (dr === 0) continue;
        for (let c = 0; c < cols; c++) next[c] += dr * w[r * cols + c];
      }
      if (i > 0) for (let c = 0; c < cols; c++) if (!(pre[i - 1][c] > 0)) next[c] = 0;
      delta = next;
    }
    return Array.from(delta);
  });
}

/** The network as DeepFool's differentiable classifier: float64 outputs and input gradients. */
export function mlpClassifier(p: MlpParams): {
  outputs(x: readonly number[]): number[];
  gradients(x: readonly number[]): number[][];
} {
  return { outputs: (x) => mlpForward64(p, x), gradients: (x) => mlpInputGradients64(p, x) };
}

/** Training-set accuracy (float64 forward; argmax, ties to the lower class). */
export function mlpAccuracy(p: MlpParams, data: TrainData): number {
  let correct = 0;
  for (let i = 0; i < data.y.length; i++) {
    const f = mlpForward64(p, data.X.subarray(i * data.d, (i + 1) * data.d));
    let best = 0;
    for (let k = 1; k < f.length; k++) if (f[k] > f[best]) best = k;
    if (best === data.y[i]) correct++;
  }
  return correct / data.y.length;
}
