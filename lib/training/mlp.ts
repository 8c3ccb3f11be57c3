/**
 * Section 6's non-linear networks (Theorem 7, Table 3) in tfjs: the logits of a batch, the input
 * gradients ∇f_j(x) by autodiff, the loss gradients by autodiff (the reference the WebAssembly
 * trainer is tested against) and a trainer through autodiff for any depth. The float64 pieces
 * (initialisation, forward pass, input gradients, classifier) are in relu64.ts, re-exported here.
 */
import * as tf from "@tensorflow/tfjs";
import { fail, requireFiniteArray } from "../check";
import type { Rng } from "../random/rng";
import { Adam } from "./adam";
import { shuffledBatches } from "./batches";
import { validateOptimConfig, validateTrainData, type OptimConfig, type TrainData } from "./config";
import { mlpAccuracy, type MlpParams } from "./relu64";

export * from "./relu64";

/**
 * Bumped when the arithmetic of the tfjs trainers (trainMlp, trainLinearNet) changes. 2: Adam is
 * the shared float32 kernel (adam.ts) instead of tfjs ops.
 */
export const TFJS_TRAINER_VERSION = 2;

function tensors(p: MlpParams): { W: tf.Tensor2D[]; b: tf.Tensor1D[] } {
  return {
    W: p.weights.map((w, i) => tf.tensor2d(w, [p.widths[i + 1], p.widths[i]])),
    b: p.biases.map((b) => tf.tensor1d(b)),
  };
}

/**
 * Logits for a batch: ReLU after every layer but the last.
 * @param W W[i]: widths[i+1] × widths[i]
 * @param b b[i]: widths[i+1]
 * @param X B × d
 * @returns B × classes
 */
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

/**
 * Input gradients ∇f_j(x) for every output j (classes × d), by tfjs autodiff (float32); the
 * reference for mlpInputGradients64.
 * @param x the input, length d
 */
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

/** The parameters as one flat vector, weights then biases, and back. */
function flatten(p: MlpParams): Float32Array {
  const parts = [...p.weights, ...p.biases];
  const flat = new Float32Array(parts.reduce((s, a) => s + a.length, 0));
  let o = 0;
  for (const a of parts) {
    flat.set(a, o);
    o += a.length;
  }
  return flat;
}

function unflatten(widths: number[], flat: Float32Array): MlpParams {
  const L = widths.length - 1;
  let o = 0;
  const take = (k: number) => flat.slice(o, (o += k));
  const weights = Array.from({ length: L }, (_, i) => take(widths[i + 1] * widths[i]));
  const biases = Array.from({ length: L }, (_, i) => take(widths[i + 1]));
  return { widths: [...widths], weights, biases };
}

/** The flat vector's tensors, shaped as mlpLogits takes them. */
function unpack(widths: number[], theta: tf.Tensor1D): { W: tf.Tensor2D[]; b: tf.Tensor1D[] } {
  const L = widths.length - 1;
  const sizes = [
    ...Array.from({ length: L }, (_, i) => widths[i + 1] * widths[i]),
    ...widths.slice(1),
  ];
  const parts = tf.split(theta, sizes);
  return {
    W: parts.slice(0, L).map((t, i) => t.reshape([widths[i + 1], widths[i]]) as tf.Tensor2D),
    b: parts.slice(L) as tf.Tensor1D[],
  };
}

/**
 * Trains with cross-entropy by tfjs autodiff and PyTorch's Adam (adam.ts), on the shared shuffled
 * batches (batches.ts): the trainer for networks of any depth (section 6's deeper networks). Frees
 * every tensor it makes.
 * @param data N × d rows and their class labels
 */
export async function trainMlp(
  init: MlpParams,
  data: TrainData,
  c: OptimConfig,
  rng: Rng,
  onEpoch?: (epoch: number) => void,
): Promise<{ params: MlpParams; accuracy: number }> {
  validateOptimConfig("trainMlp", c);
  const classes = init.widths[init.widths.length - 1];
  validateTrainData("trainMlp", data, init.widths[0], classes);
  const n = data.y.length;
  const { adam, params, grad } = Adam.standalone(
    init.weights.reduce((s, w) => s + w.length, 0) + init.biases.reduce((s, b) => s + b.length, 0),
    c,
  );
  params.set(flatten(init));
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(params)));
  const Xall = tf.tensor2d(data.X, [n, data.d]);
  const Yall = tf.tidy(
    () => tf.oneHot(tf.tensor1d(data.y, "int32"), classes).toFloat() as tf.Tensor2D,
  );
  try {
    shuffledBatches(
      n,
      c,
      rng,
      (idx) => {
        tf.tidy(() => {
          const ids = tf.tensor1d(idx, "int32");
          const xb = tf.gather(Xall, ids) as tf.Tensor2D;
          const yb = tf.gather(Yall, ids) as tf.Tensor2D;
          const g = tf.grad((th: tf.Tensor) => {
            const { W, b } = unpack(init.widths, th as tf.Tensor1D);
            return tf.losses.softmaxCrossEntropy(yb, mlpLogits(W, b, xb)) as tf.Scalar;
          })(theta);
          grad.set(g.dataSync() as Float32Array);
        });
        adam.step();
        tf.tidy(() => theta.assign(tf.tensor1d(params)));
      },
      onEpoch,
    );
    const result = unflatten(init.widths, params);
    return { params: result, accuracy: mlpAccuracy(result, data) };
  } finally {
    tf.dispose([theta, Xall, Yall]);
  }
}

/**
 * Mean cross-entropy over the batch and its gradient with respect to every parameter by tfjs
 * autodiff of the plain network: the reference the WebAssembly trainer is checked against.
 * Frees its tensors.
 * @param X B × d row-major
 * @param y B class labels
 * @returns the loss and the gradients shaped as the parameters (float32)
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
