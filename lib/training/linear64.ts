/**
 * Section 6's linear network Linear(d → hidden) → identity → Linear(hidden → 2) as plain arrays:
 * PyTorch's initialisation from our seeded stream, the end-to-end map W = H_2H_1 (Theorem 6's
 * object; section 6's W_1, W_2 are its rows) and the training-set accuracy and loss, in float64.
 * No tfjs: the trainers of linear-net.ts (tfjs) and linear-fast.ts (WebAssembly) both use it.
 */
import { requireInteger } from "../check";
import type { Rng } from "../random/rng";
import type { TrainData } from "./config";

/** Parameters as plain float32 arrays (row-major), for initialisation and for results. */
export interface LinearNetParams {
  d: number;
  hidden: number;
  classes: number;
  /** H_1: hidden × d. */
  H1: Float32Array;
  /** δ_1: hidden. */
  b1: Float32Array;
  /** H_2: classes × hidden. */
  H2: Float32Array;
  /** δ_2: classes. */
  b2: Float32Array;
}

/** What a linear trainer returns. */
export interface TrainResult {
  params: LinearNetParams;
  /** Fraction of training points classified correctly after training (float64). */
  accuracy: number;
  /** Mean cross-entropy over the training set after training (float64). */
  loss: number;
}

/**
 * PyTorch's nn.Linear default initialisation (section 6's footnote 1): U(−1/√fan_in, 1/√fan_in)
 * for weights and biases, drawn from rng in the order H_1 (row-major), δ_1, H_2, δ_2.
 */
export function pytorchInit(rng: Rng, d: number, hidden: number, classes = 2): LinearNetParams {
  requireInteger("pytorchInit", "d", d, 1);
  requireInteger("pytorchInit", "hidden", hidden, 1);
  requireInteger("pytorchInit", "classes", classes, 2);
  const u = (n: number, fanIn: number) => {
    const a = new Float32Array(n);
    const bound = 1 / Math.sqrt(fanIn);
    for (let i = 0; i < n; i++) a[i] = rng.uniformIn(-bound, bound);
    return a;
  };
  return {
    d,
    hidden,
    classes,
    H1: u(hidden * d, d),
    b1: u(hidden, d),
    H2: u(classes * hidden, hidden),
    b2: u(classes, hidden),
  };
}

/**
 * The end-to-end map of the network in float64: W = H_2H_1 (classes × d) and c = H_2δ_1 + δ_2, so
 * that f(x) = Wx + c (section 6: W_1, W_2 are the rows of W = H_2H_1).
 */
export function endToEnd(p: LinearNetParams): { W: number[][]; c: number[] } {
  const W = Array.from({ length: p.classes }, () => new Array<number>(p.d).fill(0));
  const c = Array.from(p.b2, (v) => v);
  for (let k = 0; k < p.classes; k++) {
    for (let h = 0; h < p.hidden; h++) {
      const w = p.H2[k * p.hidden + h];
      c[k] += w * p.b1[h];
      for (let j = 0; j < p.d; j++) W[k][j] += w * p.H1[h * p.d + j];
    }
  }
  return { W, c };
}

/** Training-set accuracy (argmax, ties to the lower class) and mean cross-entropy, in float64. */
export function evaluate(p: LinearNetParams, data: TrainData): { accuracy: number; loss: number } {
  const { W, c } = endToEnd(p);
  const n = data.y.length;
  const f = new Float64Array(p.classes);
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < p.classes; k++) {
      let s = c[k];
      for (let j = 0; j < data.d; j++) s += W[k][j] * data.X[i * data.d + j];
      f[k] = s;
    }
    let best = 0;
    for (let k = 1; k < p.classes; k++) if (f[k] > f[best]) best = k;
    let lse = 0;
    for (let k = 0; k < p.classes; k++) lse += Math.exp(f[k] - f[best]);
    loss += f[best] + Math.log(lse) - f[data.y[i]];
    if (best === data.y[i]) correct++;
  }
  return { accuracy: correct / n, loss: loss / n };
}
