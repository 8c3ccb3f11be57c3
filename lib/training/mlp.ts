/**
 * Section 6's non-linear networks (Theorem 7, Table 3): fully connected ReLU networks
 * d → h_1 → … → h_k → classes, initialised as PyTorch's nn.Linear, trained with cross-entropy and
 * Adam (PyTorch's rule) through tfjs autodiff, and their input gradients ∇f_j(x) (tfjs autodiff),
 * with a float64 forward pass for finite-difference checks.
 */
import * as tf from "@tensorflow/tfjs";
import { fail, requireFiniteArray, requireInteger } from "../check";
import type { Rng } from "../random/rng";
import type { TrainConfig, TrainData } from "./linear-net";

export interface MlpParams {
  /** Layer widths [d, h_1, …, classes]. */
  widths: number[];
  /** weights[i]: widths[i+1] × widths[i], row-major; biases[i]: widths[i+1]. */
  weights: Float32Array[];
  biases: Float32Array[];
}

/** PyTorch's nn.Linear initialisation for every layer: U(−1/√fan_in, 1/√fan_in). */
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

function tensors(p: MlpParams): { W: tf.Tensor2D[]; b: tf.Tensor1D[] } {
  return {
    W: p.weights.map((w, i) => tf.tensor2d(w, [p.widths[i + 1], p.widths[i]])),
    b: p.biases.map((b) => tf.tensor1d(b)),
  };
}

/** Logits for a batch X (B × d): ReLU after every layer but the last. */
export function mlpLogits(W: tf.Tensor2D[], b: tf.Tensor1D[], X: tf.Tensor2D): tf.Tensor2D {
  return tf.tidy(() => {
    let h: tf.Tensor2D = X;
    W.forEach((w, i) => {
      h = tf.add(tf.matMul(h, w, false, true), b[i]);
      if (i < W.length - 1) h = tf.relu(h);
    });
    return h;
  });
}

/** Pre-activations of every layer at x in float64 (plain JavaScript); the last is the output f(x). */
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

/** The outputs f(x) in float64, for finite differences and exact checks. */
export function mlpForward64(p: MlpParams, x: ArrayLike<number>): number[] {
  const layers = mlpPreActivations64(p, x);
  return layers[layers.length - 1];
}

/**
 * Input gradients ∇f_j(x) for every output j (classes × d) in float64 plain JavaScript, by
 * back-propagation through x's activation pattern (a ReLU network is affine on each pattern's
 * region); equal to tfjs autodiff up to float32 rounding (test/relu.test.ts). Fast for small inputs.
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

/** Input gradients ∇f_j(x) for every output j (classes × d), by tfjs autodiff. */
export function mlpInputGradients(p: MlpParams, x: ArrayLike<number>): number[][] {
  requireFiniteArray("mlpInputGradients", "x", x);
  if (x.length !== p.widths[0])
    fail("mlpInputGradients", "x", Array.from(x), `must have length ${p.widths[0]}`);
  const classes = p.widths[p.widths.length - 1];
  const { W, b } = tensors(p);
  try {
    return Array.from({ length: classes }, (_, j) =>
      tf.tidy(() => {
        // Output j through a one-hot mask: the gradient of gather needs a kernel the WASM backend lacks.
        const mask = tf.oneHot(tf.tensor1d([j], "int32"), classes).toFloat();
        const g = tf.grad((xt: tf.Tensor) =>
          tf.sum(tf.mul(mlpLogits(W, b, xt.reshape([1, -1]) as tf.Tensor2D), mask)),
        )(tf.tensor1d(Array.from(x)));
        return Array.from(g.dataSync());
      }),
    );
  } finally {
    tf.dispose([...W, ...b]);
  }
}

/** Training-set accuracy (float64 forward). */
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

/**
 * Trains with cross-entropy and Adam (PyTorch's rule θ ← θ − lr·m̂/(√v̂ + ε)), a fresh permutation
 * from rng every epoch. Only hidden/epochs/batchSize/lr/betas/eps of the config are used. Frees every
 * tensor it makes.
 */
export async function trainMlp(
  init: MlpParams,
  data: TrainData,
  c: Omit<TrainConfig, "formulation" | "hidden">,
  rng: Rng,
  onEpoch?: (epoch: number) => void,
): Promise<{ params: MlpParams; accuracy: number }> {
  requireInteger("trainMlp", "epochs", c.epochs, 1);
  requireInteger("trainMlp", "batchSize", c.batchSize, 1);
  if (data.d !== init.widths[0])
    fail("trainMlp", "data.d", data.d, `must equal the input width ${init.widths[0]}`);
  const n = data.y.length;
  const classes = init.widths[init.widths.length - 1];
  const t0 = tensors(init);
  const vars = [...t0.W, ...t0.b].map((t) => tf.variable(t));
  tf.dispose([...t0.W, ...t0.b]);
  const L = init.weights.length;
  const m = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v))));
  const s = vars.map((v) => tf.tidy(() => tf.variable(tf.zerosLike(v))));
  const Xall = tf.tensor2d(data.X, [n, data.d]);
  const Yall = tf.tidy(
    () => tf.oneHot(tf.tensor1d(data.y, "int32"), classes).toFloat() as tf.Tensor2D,
  );
  let t = 0;
  try {
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const perm = rng.permutation(n);
      for (let start = 0; start < n; start += c.batchSize) {
        t += 1;
        const idx = perm.subarray(start, Math.min(n, start + c.batchSize));
        tf.tidy(() => {
          const ids = tf.tensor1d(idx, "int32");
          const xb = tf.gather(Xall, ids) as tf.Tensor2D;
          const yb = tf.gather(Yall, ids) as tf.Tensor2D;
          const { grads } = tf.variableGrads(
            () =>
              tf.losses.softmaxCrossEntropy(
                yb,
                mlpLogits(vars.slice(0, L) as tf.Tensor2D[], vars.slice(L) as tf.Tensor1D[], xb),
              ) as tf.Scalar,
            vars,
          );
          const bc1 = 1 - c.beta1 ** t;
          const bc2 = 1 - c.beta2 ** t;
          vars.forEach((v, k) => {
            const g = grads[v.name];
            m[k].assign(tf.add(tf.mul(m[k], c.beta1), tf.mul(g, 1 - c.beta1)));
            s[k].assign(tf.add(tf.mul(s[k], c.beta2), tf.mul(tf.square(g), 1 - c.beta2)));
            v.assign(
              tf.sub(
                v,
                tf.mul(tf.div(m[k], tf.add(tf.sqrt(tf.mul(s[k], 1 / bc2)), c.eps)), c.lr / bc1),
              ),
            );
          });
        });
      }
      onEpoch?.(epoch + 1);
    }
    const arrays = await Promise.all(vars.map((v) => v.data() as Promise<Float32Array>));
    const params: MlpParams = {
      widths: [...init.widths],
      weights: arrays.slice(0, L),
      biases: arrays.slice(L),
    };
    return { params, accuracy: mlpAccuracy(params, data) };
  } finally {
    tf.dispose([...vars, ...m, ...s, Xall, Yall]);
  }
}

/** The network as DeepFool's differentiable classifier: float64 outputs and input gradients. */
export function mlpClassifier(p: MlpParams): {
  outputs(x: readonly number[]): number[];
  gradients(x: readonly number[]): number[][];
} {
  return { outputs: (x) => mlpForward64(p, x), gradients: (x) => mlpInputGradients64(p, x) };
}

/**
 * Mean cross-entropy over the batch (X: B × d row-major, y: labels) and its gradient with respect to
 * every parameter by tfjs autodiff of the plain network: the reference the exact hypercube trainer is
 * checked against. Returns [weights…, biases…] gradients as float32 arrays; frees its tensors.
 */
export function mlpLossGradients(
  p: MlpParams,
  X: Float32Array,
  y: Int32Array,
): { loss: number; weights: Float32Array[]; biases: Float32Array[] } {
  const d = p.widths[0];
  if (X.length !== y.length * d)
    fail("mlpLossGradients", "X", `length ${X.length}`, `must be ${y.length} × ${d}`);
  const classes = p.widths[p.widths.length - 1];
  const { W, b } = tensors(p);
  const vars = [...W, ...b].map((t) => tf.variable(t));
  tf.dispose([...W, ...b]);
  const L = p.weights.length;
  try {
    return tf.tidy(() => {
      const xb = tf.tensor2d(X, [y.length, d]);
      const yb = tf.oneHot(tf.tensor1d(y, "int32"), classes).toFloat() as tf.Tensor2D;
      const { value, grads } = tf.variableGrads(
        () =>
          tf.losses.softmaxCrossEntropy(
            yb,
            mlpLogits(vars.slice(0, L) as tf.Tensor2D[], vars.slice(L) as tf.Tensor1D[], xb),
          ) as tf.Scalar,
        vars,
      );
      const arrays = vars.map((v) => grads[v.name].dataSync() as Float32Array);
      return { loss: value.dataSync()[0], weights: arrays.slice(0, L), biases: arrays.slice(L) };
    });
  } finally {
    tf.dispose(vars);
  }
}
