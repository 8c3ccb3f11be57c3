/**
 * Section 6's linear network Linear(d → hidden) → identity → Linear(hidden → 2), with biases,
 * initialised as PyTorch's nn.Linear (weights and biases from U(−1/√fan_in, 1/√fan_in)) from our
 * seeded stream, trained with cross-entropy and Adam with PyTorch's update rule and defaults.
 *
 * With identity activation the logits are X (H_2H_1)ᵀ + (H_2δ_1 + δ_2): the loss is computed in
 * that order, so no batch × hidden activation is ever formed; autodiff through W = H_2H_1 gives the
 * same gradients as the plain formulation (test/training.test.ts proves it numerically).
 */
import * as tf from "@tensorflow/tfjs";
import { fail, requireInteger, requirePositive } from "../check";
import type { Rng } from "../random/rng";

export interface TrainConfig {
  /** Hidden width (section 6: 3000). */
  hidden: number;
  /** Epochs (section 6: 20). */
  epochs: number;
  /** Mini-batch size (not given by the paper; see the batch-size sweep). */
  batchSize: number;
  /** Adam, PyTorch defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8. */
  lr: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** "composed": logits from W = H_2H_1 (fast); "plain": through the batch × hidden activation. */
  formulation: "composed" | "plain";
}

export const PYTORCH_ADAM = { lr: 1e-3, beta1: 0.9, beta2: 0.999, eps: 1e-8 } as const;

export function validateTrainConfig(c: TrainConfig): void {
  const fn = "validateTrainConfig";
  requireInteger(fn, "hidden", c.hidden, 1);
  requireInteger(fn, "epochs", c.epochs, 1);
  requireInteger(fn, "batchSize", c.batchSize, 1);
  requirePositive(fn, "lr", c.lr);
  requirePositive(fn, "eps", c.eps);
  if (!(c.beta1 >= 0 && c.beta1 < 1)) fail(fn, "beta1", c.beta1, "must lie in [0, 1)");
  if (!(c.beta2 >= 0 && c.beta2 < 1)) fail(fn, "beta2", c.beta2, "must lie in [0, 1)");
  if (c.formulation !== "composed" && c.formulation !== "plain")
    fail(fn, "formulation", c.formulation, 'must be "composed" or "plain"');
}

/** Parameters as plain float32 arrays (row-major), for initialisation and for results. */
export interface LinearNetParams {
  d: number;
  hidden: number;
  classes: number;
  H1: Float32Array; // hidden × d
  b1: Float32Array; // hidden
  H2: Float32Array; // classes × hidden
  b2: Float32Array; // classes
}

/** PyTorch's nn.Linear default initialisation: U(−1/√fan_in, 1/√fan_in) for weights and biases. */
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

/** The end-to-end map W = H_2H_1 (classes × d) and bias c = H_2δ_1 + δ_2, in float64. */
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

/** The four parameter tensors (for autodiff of either formulation in tests). */
export interface ParamTensors {
  H1: tf.Tensor2D;
  b1: tf.Tensor1D;
  H2: tf.Tensor2D;
  b2: tf.Tensor1D;
}

export function paramTensors(p: LinearNetParams): ParamTensors {
  return {
    H1: tf.tensor2d(p.H1, [p.hidden, p.d]),
    b1: tf.tensor1d(p.b1),
    H2: tf.tensor2d(p.H2, [p.classes, p.hidden]),
    b2: tf.tensor1d(p.b2),
  };
}

/** The mean cross-entropy of a batch (xb: B × d, yb: B × classes one-hot), either formulation. */
export function batchLoss(
  v: ParamTensors,
  xb: tf.Tensor2D,
  yb: tf.Tensor2D,
  formulation: TrainConfig["formulation"],
): tf.Scalar {
  return tf.tidy(() => {
    let logits: tf.Tensor2D;
    if (formulation === "composed") {
      const W = tf.matMul(v.H2, v.H1); // classes × d
      const c = tf.add(tf.matMul(v.H2, tf.reshape(v.b1, [-1, 1])).reshape([-1]), v.b2);
      logits = tf.add(tf.matMul(xb, W, false, true), c);
    } else {
      const hiddenOut = tf.add(tf.matMul(xb, v.H1, false, true), v.b1); // B × hidden
      logits = tf.add(tf.matMul(hiddenOut, v.H2, false, true), v.b2);
    }
    return tf.losses.softmaxCrossEntropy(yb, logits) as tf.Scalar;
  });
}

/**
 * Gradients of the mean cross-entropy in closed form through W = H_2H_1 and c = H_2δ_1 + δ_2:
 * with G = (softmax(logits) − Y)/B, dW = GᵀX, dc = Σ_b G, and
 * ∂/∂H_1 = H_2ᵀdW, ∂/∂δ_1 = H_2ᵀdc, ∂/∂H_2 = dW H_1ᵀ + dc δ_1ᵀ, ∂/∂δ_2 = dc.
 * No batch × hidden tensor is formed. Returned in the order H_1, δ_1, H_2, δ_2.
 */
export function composedGradients(v: ParamTensors, xb: tf.Tensor2D, yb: tf.Tensor2D): tf.Tensor[] {
  return tf.tidy(() => {
    const W = tf.matMul(v.H2, v.H1);
    const b1col = tf.reshape(v.b1, [-1, 1]);
    const c = tf.add(tf.matMul(v.H2, b1col).reshape([-1]), v.b2);
    const logits = tf.add(tf.matMul(xb, W, false, true), c);
    const G = tf.div(tf.sub(tf.softmax(logits), yb), xb.shape[0]) as tf.Tensor2D; // B × classes
    const dW = tf.matMul(G, xb, true, false); // classes × d
    const dc = tf.sum(G, 0); // classes
    const dccol = tf.reshape(dc, [-1, 1]);
    return [
      tf.matMul(v.H2, dW, true, false), // hidden × d
      tf.matMul(v.H2, dccol, true, false).reshape([-1]), // hidden
      tf.add(tf.matMul(dW, v.H1, false, true), tf.matMul(dccol, b1col, false, true)), // classes × hidden
      dc,
    ];
  });
}

export interface TrainData {
  /** N × d row-major inputs. */
  X: Float32Array;
  /** Class indices in {0, …, classes − 1}. */
  y: Int32Array;
  d: number;
}

export interface TrainResult {
  params: LinearNetParams;
  /** Fraction of training points classified correctly after training. */
  accuracy: number;
  /** Mean cross-entropy over the training set after training (float64). */
  loss: number;
}

/** Training-set accuracy and mean loss of the end-to-end map, in float64. */
export function evaluate(p: LinearNetParams, data: TrainData): { accuracy: number; loss: number } {
  const { W, c } = endToEnd(p);
  const n = data.y.length;
  let correct = 0;
  let loss = 0;
  for (let i = 0; i < n; i++) {
    const f = W.map((w, k) => {
      let s = c[k];
      for (let j = 0; j < data.d; j++) s += w[j] * data.X[i * data.d + j];
      return s;
    });
    const m = Math.max(...f);
    const lse = m + Math.log(f.reduce((s, v) => s + Math.exp(v - m), 0));
    loss += lse - f[data.y[i]];
    let best = 0;
    for (let k = 1; k < f.length; k++) if (f[k] > f[best]) best = k;
    if (best === data.y[i]) correct++;
  }
  return { accuracy: correct / n, loss: loss / n };
}

/**
 * Trains from the given initial parameters: every epoch a fresh permutation from rng, mini-batches
 * in that order (the last one smaller), Adam with PyTorch's rule
 * θ ← θ − lr · m̂ / (√v̂ + ε), m̂ = m/(1 − β₁ᵗ), v̂ = v/(1 − β₂ᵗ), applied to one flat parameter
 * vector (a handful of kernel calls per step instead of dozens). "composed" uses the closed-form
 * gradients above, "plain" autodiff through the batch × hidden activation. Frees every tensor it makes.
 */
export async function trainLinearNet(
  init: LinearNetParams,
  data: TrainData,
  c: TrainConfig,
  rng: Rng,
  onEpoch?: (epoch: number) => void,
): Promise<TrainResult> {
  validateTrainConfig(c);
  if (data.d !== init.d)
    fail("trainLinearNet", "data.d", data.d, `must equal the network's input dimension ${init.d}`);
  const n = data.y.length;
  if (n === 0 || data.X.length !== n * data.d)
    fail("trainLinearNet", "data.X", data.X.length, `must hold N × d = ${n} × ${data.d} values`);
  const { d, hidden, classes } = init;
  const sizes = [hidden * d, hidden, classes * hidden, classes];
  const flat = new Float32Array(sizes.reduce((a, b) => a + b, 0));
  flat.set(init.H1, 0);
  flat.set(init.b1, sizes[0]);
  flat.set(init.H2, sizes[0] + sizes[1]);
  flat.set(init.b2, sizes[0] + sizes[1] + sizes[2]);
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(flat)));
  const m = tf.tidy(() => tf.variable(tf.zeros([flat.length])));
  const s2 = tf.tidy(() => tf.variable(tf.zeros([flat.length])));
  const Xall = tf.tensor2d(data.X, [n, d]);
  const Yall = tf.tidy(
    () => tf.oneHot(tf.tensor1d(data.y, "int32"), classes).toFloat() as tf.Tensor2D,
  );
  const unpack = (th: tf.Tensor1D): ParamTensors => {
    const [a, b, e, f] = tf.split(th, sizes);
    return {
      H1: a.reshape([hidden, d]),
      b1: b as tf.Tensor1D,
      H2: e.reshape([classes, hidden]),
      b2: f as tf.Tensor1D,
    };
  };
  let t = 0;
  try {
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const perm = rng.permutation(n);
      for (let start = 0; start < n; start += c.batchSize) {
        const idx = perm.subarray(start, Math.min(n, start + c.batchSize));
        t += 1;
        tf.tidy(() => {
          const ids = tf.tensor1d(idx, "int32");
          const xb = tf.gather(Xall, ids) as tf.Tensor2D;
          const yb = tf.gather(Yall, ids) as tf.Tensor2D;
          let g: tf.Tensor1D;
          if (c.formulation === "composed") {
            g = tf.concat(
              composedGradients(unpack(theta), xb, yb).map((x) => x.reshape([-1])),
            ) as tf.Tensor1D;
          } else {
            g = tf.grad((th: tf.Tensor) => batchLoss(unpack(th as tf.Tensor1D), xb, yb, "plain"))(
              theta,
            ) as tf.Tensor1D;
          }
          m.assign(tf.add(tf.mul(m, c.beta1), tf.mul(g, 1 - c.beta1)));
          s2.assign(tf.add(tf.mul(s2, c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
          const denom = tf.add(tf.sqrt(tf.mul(s2, 1 / (1 - c.beta2 ** t))), c.eps);
          theta.assign(tf.sub(theta, tf.mul(tf.div(m, denom), c.lr / (1 - c.beta1 ** t))));
        });
      }
      onEpoch?.(epoch + 1);
    }
    const out = (await theta.data()) as Float32Array;
    let o = 0;
    const take = (k: number) => out.slice(o, (o += k));
    const params: LinearNetParams = {
      d,
      hidden,
      classes,
      H1: take(sizes[0]),
      b1: take(sizes[1]),
      H2: take(sizes[2]),
      b2: take(sizes[3]),
    };
    const ev = evaluate(params, data);
    return { params, accuracy: ev.accuracy, loss: ev.loss };
  } finally {
    [theta, m, s2, Xall, Yall].forEach((x) => x.dispose());
  }
}
