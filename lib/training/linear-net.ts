/**
 * Section 6's linear network Linear(d → hidden) → identity → Linear(hidden → 2), with biases,
 * trained in tfjs: cross-entropy, gradients by closed form ("composed") or autodiff ("plain"), and
 * PyTorch's Adam (adam.ts) on the shared shuffled batches (batches.ts). The reference formulation
 * for the WebAssembly trainer of linear-fast.ts, which is what the experiments should run.
 *
 * With identity activation the logits are X (H_2H_1)ᵀ + (H_2δ_1 + δ_2): the "composed" loss is
 * computed in that order, so no batch × hidden activation is ever formed; autodiff through
 * W = H_2H_1 gives the same gradients as the plain formulation (test/unit/linear-net.test.ts).
 */
import * as tf from "@tensorflow/tfjs";
import type { Rng } from "../random/rng";
import { Adam } from "./adam";
import { shuffledBatches } from "./batches";
import { validateTrainConfig, validateTrainData, type TrainConfig, type TrainData } from "./config";
import { evaluate, type LinearNetParams, type TrainResult } from "./linear64";

// The shared types and the float64 pieces, re-exported for imports of this module.
export * from "./config";
export * from "./linear64";

/** The four parameter tensors (for autodiff of either formulation in tests). */
export interface ParamTensors {
  /** hidden × d */
  H1: tf.Tensor2D;
  /** hidden */
  b1: tf.Tensor1D;
  /** classes × hidden */
  H2: tf.Tensor2D;
  /** classes */
  b2: tf.Tensor1D;
}

/** The parameters as tensors, H_1 hidden × d and H_2 classes × hidden (the caller disposes them). */
export function paramTensors(p: LinearNetParams): ParamTensors {
  return {
    H1: tf.tensor2d(p.H1, [p.hidden, p.d]),
    b1: tf.tensor1d(p.b1),
    H2: tf.tensor2d(p.H2, [p.classes, p.hidden]),
    b2: tf.tensor1d(p.b2),
  };
}

/**
 * The mean cross-entropy of a batch, either formulation.
 * @param xb B × d
 * @param yb B × classes, one-hot
 */
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
 * @param xb B × d
 * @param yb B × classes, one-hot
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

/**
 * Trains from the given initial parameters (section 6: 20 epochs, Adam with PyTorch's defaults):
 * the shared shuffled batches, gradients in tfjs ("composed": the closed form above; "plain":
 * autodiff through the batch × hidden activation), PyTorch's Adam on one flat float32 vector.
 * Frees every tensor it makes. The WebAssembly trainer trainLinearNetFast gives the same
 * trajectory up to float32 rounding, many times faster at small batches.
 * @param data N × d rows and their class labels
 */
export async function trainLinearNet(
  init: LinearNetParams,
  data: TrainData,
  c: TrainConfig,
  rng: Rng,
  onEpoch?: (epoch: number) => void,
): Promise<TrainResult> {
  validateTrainConfig(c);
  validateTrainData("trainLinearNet", data, init.d, init.classes);
  const n = data.y.length;
  const { d, hidden, classes } = init;
  const sizes = [hidden * d, hidden, classes * hidden, classes];
  const { adam, params, grad } = Adam.standalone(
    sizes.reduce((a, b) => a + b, 0),
    c,
  );
  params.set(init.H1, 0);
  params.set(init.b1, sizes[0]);
  params.set(init.H2, sizes[0] + sizes[1]);
  params.set(init.b2, sizes[0] + sizes[1] + sizes[2]);
  const theta = tf.tidy(() => tf.variable(tf.tensor1d(params)));
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
          const g =
            c.formulation === "composed"
              ? tf.concat(composedGradients(unpack(theta), xb, yb).map((x) => x.reshape([-1])))
              : tf.grad((th: tf.Tensor) => batchLoss(unpack(th as tf.Tensor1D), xb, yb, "plain"))(
                  theta,
                );
          grad.set(g.dataSync() as Float32Array);
        });
        adam.step();
        tf.tidy(() => theta.assign(tf.tensor1d(params)));
      },
      onEpoch,
    );
    let o = 0;
    const take = (k: number) => params.slice(o, (o += k));
    const result: LinearNetParams = {
      d,
      hidden,
      classes,
      H1: take(sizes[0]),
      b1: take(sizes[1]),
      H2: take(sizes[2]),
      b2: take(sizes[3]),
    };
    const ev = evaluate(result, data);
    return { params: result, accuracy: ev.accuracy, loss: ev.loss };
  } finally {
    [theta, Xall, Yall].forEach((x) => x.dispose());
  }
}
