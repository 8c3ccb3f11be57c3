/**
 * The WebAssembly trainer for section 6's deeper ReLU networks d → h_1 → … → h_k → 2 (the depth
 * remark beside Table 3, notebook 09): the same network, loss, initialisation (mlpInit), Adam rule
 * (adam.ts) and batch order (batches.ts) as `trainMlp` (tfjs autodiff), so that from the same seed
 * it follows tfjs's trajectory to float32 rounding, at about a tenth of its CPU time on section 6's
 * sizes (scripts/bench.ts prints both). As between any two float32 implementations (PyTorch's
 * float32 and float64 runs included), a long run stays within rounding of tfjs's until some
 * ReLU pre-activation at a batch's point lies within rounding of zero and takes the other side;
 * from then on the two runs separate (measured: 1e-3 to 1e-1 in the parameters after 20 epochs
 * in some runs at d = 12), so runs agree in distribution, not always one by one.
 *
 * A step is a handful of kernel calls on float32 arrays in one WebAssembly memory
 * (kernels/mlp.wat): per layer, the forward product Z = H Wᵀ + b with the ReLU fused, then the
 * two-class cross-entropy's slopes (loss.ts), then per layer backwards ∂W = ∂Zᵀ H, ∂b = Σ ∂Z and
 * ∂H = ∂Z W masked by the ReLU, each a blocked matrix product (4 rows × 8 columns per tile), then
 * PyTorch's Adam on the flat parameter vector. Arithmetic is float32 throughout, as PyTorch's and
 * tfjs's; sums run in a different order than theirs, so results agree to rounding, not bit for bit.
 * The training accuracy is computed in float64 from the float32 parameters, bit for bit as
 * mlpAccuracy computes it (the same sums in the same order), by a float64 product kernel.
 */
import { fail, requireInteger } from "../check";
import type { Rng } from "../random/rng";
import { Adam, adamArrays, padTo4 } from "./adam";
import { shuffledBatches } from "./batches";
import {
  PYTORCH_ADAM,
  validateOptimConfig,
  validateTrainData,
  type OptimConfig,
  type TrainData,
} from "./config";
import { crossEntropySlopes } from "./loss";
import { profile } from "./profile";
import type { MlpParams } from "./relu64";
import { Arena } from "./wasm";

/** Bumped when the trainer's arithmetic changes (results cached under its name are then recomputed). */
export const MLP_FAST_VERSION = 1;

/** The trainer as a provenance and cache-key label. */
export const MLP_FAST_TRAINER = `MLP WebAssembly trainer v${MLP_FAST_VERSION} (float32 SIMD, any depth)`;

/** Rows per chunk of the float64 evaluation (its arrays stay small whatever the data's size). */
const EVAL_ROWS = 256;

/** gemm's epilogue flags (kernels/mlp.wat). */
const BIAS = 1;
const RELU = 2;
const MASK = 4;

interface MlpKernels {
  gemm(
    M: number,
    N: number,
    K: number,
    pA: number,
    sar: number,
    sak: number,
    pB: number,
    ldb: number,
    pC: number,
    ldc: number,
    pBias: number,
    pMask: number,
    flags: number,
  ): void;
  colsum(M: number, N: number, pA: number, lda: number, pOut: number): void;
  transpose(R: number, C: number, pS: number, lds: number, pD: number, ldd: number): void;
  gemm64(
    M: number,
    N: number,
    K: number,
    pA: number,
    lda: number,
    pB: number,
    ldb: number,
    pC: number,
    ldc: number,
    pBias: number,
    flags: number,
  ): void;
}

/**
 * The row stride (floats) of an array whose rows hold w values: w padded to a multiple of 4, plus 4
 * more when that is a multiple of 32, so that consecutive rows do not fall in the same few cache
 * sets (a power-of-two stride such as 128 or 256 floats leaves a column panel of a product a
 * quarter of the cache; measured: the backward pass of [12, 256, 256, 2] at batch 256 ran four
 * times slower).
 */
function stride(w: number): number {
  const p = padTo4(w);
  return p % 32 === 0 ? p + 4 : p;
}

/** Where layer l's weights and biases sit in θ (float32 offsets), and its padded widths. */
interface Layer {
  /** Inputs and outputs, padded to multiples of 4. */
  inP: number;
  outP: number;
  /** Row strides (floats) of arrays with inP and outP columns. */
  inLd: number;
  outLd: number;
  /** W (outP rows of inLd floats) and b in θ. */
  w: number;
  b: number;
  /** Float64 copies for the evaluation: Wᵀ (inP × outP) and b, offsets in wt64 and b64. */
  wt64: number;
  b64: number;
  /** The batch's activations into this layer (rows of inLd floats): offset in `act`. */
  act: number;
}

function plan(widths: readonly number[], rows: number) {
  const wp = widths.map(padTo4);
  const layers: Layer[] = [];
  let theta = 0;
  let wt64 = 0;
  let b64 = 0;
  let act = 0;
  for (let l = 0; l + 1 < wp.length; l++) {
    const inP = wp[l];
    const outP = wp[l + 1];
    const inLd = stride(inP);
    const outLd = stride(outP);
    layers.push({ inP, outP, inLd, outLd, w: theta, b: theta + outP * inLd, wt64, b64, act });
    theta += outP * inLd + outP;
    wt64 += inP * outP;
    b64 += outP;
    act += rows * inLd;
  }
  const widest = Math.max(...wp.map(stride));
  return {
    layers,
    /** Where the logits go (rows of 4 floats). */
    logits: act,
    spec: {
      ...adamArrays(theta),
      act: ["f32", act + rows * stride(wp[wp.length - 1])],
      dz: ["f32", 2 * rows * widest],
      wt: ["f32", Math.max(...layers.map((L) => L.inP * L.outLd))],
      t: ["f32", rows],
      g: ["f32", rows],
      x64: ["f64", EVAL_ROWS * widest],
      y64: ["f64", EVAL_ROWS * widest],
      wt64: ["f64", wt64],
      b64: ["f64", b64],
    } as const,
  };
}
type MlpSpec = ReturnType<typeof plan>["spec"];

/**
 * A training set in kernel memory and the kernels, for one architecture and batch size: `train`
 * for a run (section 6's protocol), `gradients` for a batch (tests), `accuracy` for any parameters
 * of the architecture. The data are copied once, so one kernel can train several networks on them.
 */
export class MlpKernel {
  /** Layer widths [d, h_1, …, 2]. */
  readonly widths: number[];
  /** Training points. */
  readonly n: number;
  /** The largest batch a step takes. */
  readonly maxBatch: number;
  private readonly a: Arena<MlpSpec>;
  private readonly k: MlpKernels;
  private readonly layers: Layer[];
  /** Float32 offset of the logits in `act`. */
  private readonly logits: number;
  private readonly data: TrainData;
  /** The data's rows padded to dp = padTo4(d) values. */
  private readonly X: Float32Array;
  private readonly dp: number;

  /**
   * @param data N × d rows (float32) and labels in {0, 1}
   * @param widths [d, h_1, …, h_k, 2] (mlpInit's widths)
   * @param maxBatch the largest batch `train` or `gradients` will take (a run's batch size)
   */
  constructor(data: TrainData, widths: readonly number[], maxBatch: number) {
    const fn = "MlpKernel";
    if (!Array.isArray(widths) || widths.length < 2)
      fail(fn, "widths", widths, "must list at least the input and output widths");
    widths.forEach((w, i) => requireInteger(fn, `widths[${i}]`, w, 1, 100_000));
    if (widths[widths.length - 1] !== 2)
      fail(fn, "widths", widths, "must end in 2 outputs (two-class cross-entropy)");
    validateTrainData(fn, data, widths[0], 2);
    requireInteger(fn, "maxBatch", maxBatch, 1, data.y.length);
    this.widths = [...widths];
    this.n = data.y.length;
    this.maxBatch = maxBatch;
    this.data = data;
    const rows = padTo4(maxBatch);
    const p = plan(widths, rows);
    this.layers = p.layers;
    this.logits = p.logits;
    this.a = new Arena(p.spec);
    this.k = this.a.kernels<MlpKernels>("mlp");
    const d = data.d;
    this.dp = padTo4(d);
    this.X = new Float32Array(this.n * this.dp);
    for (let i = 0; i < this.n; i++) this.X.set(data.X.subarray(i * d, (i + 1) * d), i * this.dp);
  }

  private requireShape(fn: string, p: MlpParams): void {
    const w = p.widths;
    if (w.length !== this.widths.length || w.some((v, i) => v !== this.widths[i]))
      fail(fn, "p.widths", w, `must be [${this.widths.join(", ")}]`);
    for (let l = 0; l < this.layers.length; l++) {
      if (p.weights[l]?.length !== w[l + 1] * w[l])
        fail(fn, `p.weights[${l}].length`, p.weights[l]?.length, `must be ${w[l + 1] * w[l]}`);
      if (p.biases[l]?.length !== w[l + 1])
        fail(fn, `p.biases[${l}].length`, p.biases[l]?.length, `must be ${w[l + 1]}`);
    }
  }

  private requireBatch(fn: string, idx: ArrayLike<number>): void {
    if (idx.length === 0) fail(fn, "idx", [], "must not be empty");
    if (idx.length > this.maxBatch)
      fail(fn, "idx.length", idx.length, `must be <= the kernel's maxBatch ${this.maxBatch}`);
    for (let i = 0; i < idx.length; i++)
      if (!(Number.isInteger(idx[i]) && idx[i] >= 0 && idx[i] < this.n))
        fail(fn, `idx[${i}]`, idx[i], `must be a point index in [0, ${this.n})`);
  }

  /** Writes p into θ (layer by layer: W out × in row-major, then b; padding zero). */
  private load(p: MlpParams): void {
    const th = this.a.v.params;
    th.fill(0);
    this.layers.forEach((L, l) => {
      const inW = this.widths[l];
      const outW = this.widths[l + 1];
      const W = p.weights[l];
      for (let o = 0; o < outW; o++) th.set(W.subarray(o * inW, (o + 1) * inW), L.w + o * L.inLd);
      th.set(p.biases[l], L.b);
    });
  }

  /** Reads an array in θ's layout (parameters or gradient) into MlpParams-shaped arrays. */
  private unload(th: Float32Array): { weights: Float32Array[]; biases: Float32Array[] } {
    const weights: Float32Array[] = [];
    const biases: Float32Array[] = [];
    this.layers.forEach((L, l) => {
      const inW = this.widths[l];
      const outW = this.widths[l + 1];
      const W = new Float32Array(outW * inW);
      for (let o = 0; o < outW; o++)
        W.set(th.subarray(L.w + o * L.inLd, L.w + o * L.inLd + inW), o * inW);
      weights.push(W);
      biases.push(th.slice(L.b, L.b + outW));
    });
    return { weights, biases };
  }

  /**
   * The batch's gradient into the arena's `grad` (θ's layout) and its mean loss (NaN unless
   * withLoss); `mark` is called after each phase with its name (profileStep).
   */
  private step(
    idx: ArrayLike<number>,
    withLoss = true,
    mark: (phase: string) => void = () => {},
  ): number {
    const { a, k, layers, dp } = this;
    const { v, at } = a;
    const B = idx.length;
    const rows = padTo4(B);
    const act = v.act;
    const ld0 = layers[0].inLd;
    // The batch's rows (zero rows beyond B, so the padding rows are finite).
    for (let i = 0; i < B; i++)
      act.set(this.X.subarray(idx[i] * dp, (idx[i] + 1) * dp), layers[0].act + i * ld0);
    act.fill(0, layers[0].act + B * ld0, layers[0].act + rows * ld0);
    mark("gather");
    const f32 = (o: number) => 4 * o;
    const L = layers.length;
    for (let l = 0; l < L; l++) {
      const { inP, outP, inLd, outLd } = layers[l];
      const out = l + 1 < L ? layers[l + 1].act : this.logits;
      // Z = H Wᵀ + b (ReLU fused below the output layer), with Wᵀ made contiguous by columns.
      k.transpose(outP, inP, at.params + f32(layers[l].w), 4 * inLd, at.wt, 4 * outLd);
      k.gemm(
        rows,
        outP,
        inP,
        at.act + f32(layers[l].act),
        4 * inLd,
        4,
        at.wt,
        4 * outLd,
        at.act + f32(out),
        4 * outLd,
        at.params + f32(layers[l].b),
        0,
        l + 1 < L ? BIAS | RELU : BIAS,
      );
    }
    mark("forward");
    // Two-class cross-entropy through t = f_1 − f_0 (float32, as the logits are): slopes
    // g = (σ(t) − y)/B, so ∂f_1 = g and ∂f_0 = −g (the padding rows' zero). Logit rows: 4 floats.
    const z = this.logits;
    for (let i = 0; i < B; i++) v.t[i] = act[z + 4 * i + 1] - act[z + 4 * i];
    const { loss } = crossEntropySlopes(idx, 0, B, this.data.y, v.t, v.g, B, false, withLoss);
    let dz = 0;
    let dzNext = v.dz.length / 2;
    v.dz.fill(0, 0, 4 * rows);
    for (let i = 0; i < B; i++) {
      v.dz[4 * i] = -v.g[i];
      v.dz[4 * i + 1] = v.g[i];
    }
    mark("loss");
    for (let l = L - 1; l >= 0; l--) {
      const { inP, outP, inLd, outLd } = layers[l];
      // ∂W = ∂Zᵀ H: A[o][b] = ∂Z[b][o].
      k.gemm(
        outP,
        inP,
        rows,
        at.dz + f32(dz),
        4,
        4 * outLd,
        at.act + f32(layers[l].act),
        4 * inLd,
        at.grad + f32(layers[l].w),
        4 * inLd,
        0,
        0,
        0,
      );
      k.colsum(rows, outP, at.dz + f32(dz), 4 * outLd, at.grad + f32(layers[l].b));
      if (l > 0) {
        // ∂Z of the layer below: (∂Z W) where that layer's ReLU passed (its activation > 0).
        k.gemm(
          rows,
          inP,
          outP,
          at.dz + f32(dz),
          4 * outLd,
          4,
          at.params + f32(layers[l].w),
          4 * inLd,
          at.dz + f32(dzNext),
          4 * inLd,
          0,
          at.act + f32(layers[l].act),
          MASK,
        );
        [dz, dzNext] = [dzNext, dz];
      }
    }
    mark("backward");
    return loss / B;
  }

  /**
   * Mean cross-entropy over the points idx and its gradient with respect to every parameter
   * (float32), shaped as the parameters: what tfjs autodiff of the plain network computes
   * (mlpLossGradients), up to rounding.
   * @param idx row indices into the kernel's data
   */
  gradients(
    p: MlpParams,
    idx: ArrayLike<number>,
  ): { loss: number; weights: Float32Array[]; biases: Float32Array[] } {
    const fn = "MlpKernel.gradients";
    this.requireShape(fn, p);
    this.requireBatch(fn, idx);
    this.load(p);
    const loss = this.step(idx);
    return { loss, ...this.unload(this.a.v.grad) };
  }

  /**
   * Where a training step's time goes, for scripts/bench.ts: median wall-clock microseconds per phase
   * (Adam included) over `repeats` steps on the batch idx, each from the parameters p.
   */
  profileStep(p: MlpParams, idx: ArrayLike<number>, repeats: number): Record<string, number> {
    const fn = "MlpKernel.profileStep";
    this.requireShape(fn, p);
    this.requireBatch(fn, idx);
    requireInteger(fn, "repeats", repeats, 1);
    const adam = new Adam(this.a, PYTORCH_ADAM);
    return profile(repeats, (mark) => {
      this.load(p);
      mark("");
      this.step(idx, false, mark);
      adam.step();
      mark("Adam");
    });
  }

  /**
   * The outputs (f_0, f_1) of p at every training point in float64 from the float32 parameters
   * (n × 2, row-major): equal bit for bit to mlpForward64 (the same float64 sums in the same order).
   */
  logits64(p: MlpParams): Float64Array {
    this.requireShape("MlpKernel.logits64", p);
    return this.forward64(p);
  }

  /** Training accuracy of p over the kernel's data (float64; argmax, ties to class 0), as mlpAccuracy. */
  accuracy(p: MlpParams): number {
    this.requireShape("MlpKernel.accuracy", p);
    const f = this.forward64(p);
    const y = this.data.y;
    let correct = 0;
    for (let i = 0; i < this.n; i++) if ((f[2 * i + 1] > f[2 * i] ? 1 : 0) === y[i]) correct++;
    return correct / this.n;
  }

  private forward64(p: MlpParams): Float64Array {
    const { a, k, layers, dp } = this;
    const { v, at } = a;
    // Wᵀ and b of every layer in float64 (the padding zero).
    v.wt64.fill(0);
    v.b64.fill(0);
    layers.forEach((L, l) => {
      const inW = this.widths[l];
      const outW = this.widths[l + 1];
      const W = p.weights[l];
      for (let o = 0; o < outW; o++)
        for (let i = 0; i < inW; i++) v.wt64[L.wt64 + i * L.outP + o] = W[o * inW + i];
      for (let o = 0; o < outW; o++) v.b64[L.b64 + o] = p.biases[l][o];
    });
    const f64 = (o: number) => 8 * o;
    const d = this.data.d;
    const f = new Float64Array(2 * this.n);
    for (let s = 0; s < this.n; s += EVAL_ROWS) {
      const E = Math.min(EVAL_ROWS, this.n - s);
      const rows = padTo4(E);
      v.x64.fill(0, 0, rows * dp);
      for (let i = 0; i < E; i++)
        for (let j = 0; j < d; j++) v.x64[i * dp + j] = this.X[(s + i) * dp + j];
      let src = at.x64;
      let dst = at.y64;
      layers.forEach((L, l) => {
        const last = l + 1 === layers.length;
        k.gemm64(
          rows,
          L.outP,
          L.inP,
          src,
          8 * L.inP,
          at.wt64 + f64(L.wt64),
          8 * L.outP,
          dst,
          8 * L.outP,
          at.b64 + f64(L.b64),
          last ? 0 : RELU,
        );
        [src, dst] = [dst, src];
      });
      // The logits are where the last layer wrote: src after the swap.
      const out = src === at.x64 ? v.x64 : v.y64;
      for (let i = 0; i < E; i++) {
        f[2 * (s + i)] = out[4 * i];
        f[2 * (s + i) + 1] = out[4 * i + 1];
      }
    }
    return f;
  }

  /**
   * Trains from `init` (not modified) with PyTorch's Adam (adam.ts) on the shared shuffled batches
   * (batches.ts), as trainMlp does.
   * @returns the trained parameters, their training accuracy (float64) and the mean loss over the
   *   last epoch's batches as training met them
   */
  train(
    init: MlpParams,
    c: OptimConfig,
    rng: Rng,
    onEpoch?: (epoch: number) => void,
  ): { params: MlpParams; accuracy: number; loss: number } {
    const fn = "MlpKernel.train";
    this.requireShape(fn, init);
    validateOptimConfig(fn, c);
    // A batch size beyond the data means whole-data batches (shuffledBatches).
    if (Math.min(c.batchSize, this.n) > this.maxBatch)
      fail(fn, "batchSize", c.batchSize, `must be <= the kernel's maxBatch ${this.maxBatch}`);
    this.load(init);
    const { v } = this.a;
    v.grad.fill(0);
    v.adamM.fill(0);
    v.adamV.fill(0);
    const adam = new Adam(this.a, c);
    const loss = shuffledBatches(
      this.n,
      c,
      rng,
      (idx, lastEpoch) => {
        // Only the last epoch's losses are reported: skip the logarithms before it.
        const l = this.step(idx, lastEpoch);
        adam.step();
        return l;
      },
      onEpoch,
    );
    const params: MlpParams = { widths: [...this.widths], ...this.unload(v.params) };
    return { params, accuracy: this.accuracy(params), loss };
  }
}

/**
 * Trains a ReLU network d → h_1 → … → 2 from `init` in WebAssembly: the drop-in for trainMlp
 * (same arguments and result, plus the last epoch's mean loss), synchronous. Section 6's deeper
 * networks (Table 3's depth comparison).
 * @param data N × d rows (float32) and labels in {0, 1}
 */
export function trainMlpFast(
  init: MlpParams,
  data: TrainData,
  c: OptimConfig,
  rng: Rng,
  onEpoch?: (epoch: number) => void,
): { params: MlpParams; accuracy: number; loss: number } {
  const fn = "trainMlpFast";
  validateOptimConfig(fn, c);
  if (!Array.isArray(init.widths) || init.widths.length < 2)
    fail(fn, "init.widths", init.widths, "must list at least the input and output widths");
  if (init.widths[init.widths.length - 1] !== 2)
    fail(fn, "init.widths", init.widths, "must end in 2 outputs (two-class cross-entropy)");
  validateTrainData(fn, data, init.widths[0], 2);
  const kernel = new MlpKernel(data, init.widths, Math.min(c.batchSize, data.y.length));
  return kernel.train(init, c, rng, onEpoch);
}
