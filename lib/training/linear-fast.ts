/**
 * The WebAssembly trainer for section 6's linear network Linear(d → hidden) → identity →
 * Linear(hidden → 2) (Tables 1–2): the same network, initialisation, loss, Adam rule and batch order
 * as trainLinearNet (tfjs), with one step in four kernel calls instead of about forty tfjs ops
 * (a tfjs op costs about 200 µs here, so small batches were step-bound).
 *
 * A step: w, c of the logit difference t = f_1 − f_0 = w·x + c (w = (H_2[1] − H_2[0])H_1; the
 * cross-entropy of two logits depends on them only through t), t and its slope σ(t) − y at the
 * batch's points, the gradients of every parameter in closed form (∂H_1 = (H_2[1] − H_2[0])ᵀ dw,
 * with dw = Σ_b g_b x_b, and so on: kernels/linear-net.wat), then PyTorch's Adam (adam.ts). No
 * batch × hidden array is formed. Arithmetic is float32 throughout, as PyTorch's; parameters and
 * moments are float32 as torch stores them. Deterministic for a given seed.
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
import { evaluate, type LinearNetParams, type TrainResult } from "./linear64";
import { profile } from "./profile";
import { Arena } from "./wasm";

/** Bumped when the trainer's arithmetic changes (results cached under its name are then recomputed). */
export const LINEAR_NET_FAST_VERSION = 1;

/** The trainer as a provenance and cache-key label. */
export const LINEAR_NET_FAST_TRAINER = `linear WebAssembly trainer v${LINEAR_NET_FAST_VERSION} (float32 SIMD)`;

interface LinearKernels {
  compose(d: number, dp: number, Hp: number, pTheta: number, pVd: number, pWc: number): void;
  forward(dp: number, B: number, pX: number, pIdx: number, pWc: number, pT: number): void;
  backward(
    d: number,
    dp: number,
    Hp: number,
    B: number,
    pX: number,
    pIdx: number,
    pG: number,
    pTheta: number,
    pVd: number,
    pDw: number,
    pGrad: number,
  ): void;
}

function arenaSpec(d: number, Hp: number, n: number) {
  const dp = padTo4(d);
  return {
    ...adamArrays((d + 3) * Hp + 4),
    X: ["f32", n * dp],
    y: ["i32", n],
    idx: ["i32", n],
    t: ["f32", n],
    g: ["f32", n],
    vd: ["f32", Hp],
    wc: ["f32", dp + 4],
    dw: ["f32", dp + 4],
  } as const;
}

/**
 * The training set in kernel memory and the kernels, for one hidden width: `train` for a run
 * (section 6's Tables 1–2), `gradients` for a batch (tests). The data are copied once, so one kernel
 * can train several networks on the same data.
 */
export class LinearNetKernel {
  readonly d: number;
  readonly hidden: number;
  readonly n: number;
  private readonly Hp: number;
  private readonly a: Arena<ReturnType<typeof arenaSpec>>;
  private readonly k: LinearKernels;
  /** The training set as given (for the float64 evaluation). */
  private readonly data: TrainData;

  /**
   * @param data N × d rows (float32) and labels in {0, 1}
   * @param hidden the hidden width
   */
  constructor(data: TrainData, hidden: number) {
    requireInteger("LinearNetKernel", "hidden", hidden, 1);
    requireInteger("LinearNetKernel", "data.d", data.d, 1);
    validateTrainData("LinearNetKernel", data, data.d, 2);
    this.d = data.d;
    this.hidden = hidden;
    this.n = data.y.length;
    this.data = data;
    this.Hp = padTo4(hidden);
    this.a = new Arena(arenaSpec(this.d, this.Hp, this.n));
    const dp = padTo4(this.d);
    for (let i = 0; i < this.n; i++)
      this.a.v.X.set(data.X.subarray(i * this.d, (i + 1) * this.d), i * dp);
    this.a.v.y.set(data.y);
    this.k = this.a.kernels<LinearKernels>("linear-net");
  }

  private requireShape(fn: string, p: LinearNetParams): void {
    if (p.d !== this.d || p.hidden !== this.hidden || p.classes !== 2)
      fail(
        fn,
        "p",
        `${p.d} → ${p.hidden} → ${p.classes}`,
        `must be ${this.d} → ${this.hidden} → 2`,
      );
  }

  /** Writes p into θ's layout (kernels/linear-net.wat). */
  private load(p: LinearNetParams): void {
    const { d, hidden: H, Hp } = this;
    const th = this.a.v.params;
    th.fill(0);
    for (let h = 0; h < H; h++) {
      for (let r = 0; r < d; r++) th[r * Hp + h] = p.H1[h * d + r];
      th[d * Hp + h] = p.b1[h];
      th[(d + 1) * Hp + h] = p.H2[h];
      th[(d + 2) * Hp + h] = p.H2[H + h];
    }
    th[(d + 3) * Hp] = p.b2[0];
    th[(d + 3) * Hp + 1] = p.b2[1];
  }

  /** Reads an array in θ's layout (parameters or gradient) as LinearNetParams. */
  private unload(th: Float32Array): LinearNetParams {
    const { d, hidden: H, Hp } = this;
    const p: LinearNetParams = {
      d,
      hidden: H,
      classes: 2,
      H1: new Float32Array(H * d),
      b1: new Float32Array(H),
      H2: new Float32Array(2 * H),
      b2: Float32Array.of(th[(d + 3) * Hp], th[(d + 3) * Hp + 1]),
    };
    for (let h = 0; h < H; h++) {
      for (let r = 0; r < d; r++) p.H1[h * d + r] = th[r * Hp + h];
      p.b1[h] = th[d * Hp + h];
      p.H2[h] = th[(d + 1) * Hp + h];
      p.H2[H + h] = th[(d + 2) * Hp + h];
    }
    return p;
  }

  /**
   * The batch's gradient into the arena's `grad` (θ's layout), and its mean loss (NaN unless
   * withLoss). `mark` is called after each phase with its name (profileStep).
   */
  private step(
    idx: ArrayLike<number>,
    withLoss = true,
    mark: (phase: string) => void = () => {},
  ): number {
    const { a, k, d, Hp } = this;
    const B = idx.length;
    a.v.idx.set(idx);
    const dp = padTo4(d);
    k.compose(d, dp, Hp, a.at.params, a.at.vd, a.at.wc);
    mark("w, c = (H_2[1] − H_2[0])·(H_1, δ_1)");
    k.forward(dp, B, a.at.X, a.at.idx, a.at.wc, a.at.t);
    mark("forward");
    const { loss } = crossEntropySlopes(a.v.idx, 0, B, a.v.y, a.v.t, a.v.g, B, false, withLoss);
    mark("loss");
    k.backward(d, dp, Hp, B, a.at.X, a.at.idx, a.at.g, a.at.params, a.at.vd, a.at.dw, a.at.grad);
    mark("backward");
    return loss / B;
  }

  /**
   * Where a training step's time goes, for scripts/bench.ts: median wall-clock microseconds per phase
   * (Adam included) over `repeats` steps on the batch idx, each from the parameters p.
   */
  profileStep(p: LinearNetParams, idx: ArrayLike<number>, repeats: number): Record<string, number> {
    this.requireShape("LinearNetKernel.profileStep", p);
    requireInteger("LinearNetKernel.profileStep", "repeats", repeats, 1);
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
   * Mean cross-entropy over the points idx and its gradient with respect to every parameter
   * (float32), shaped as the parameters: what autodiff of the plain network computes, up to rounding.
   */
  gradients(p: LinearNetParams, idx: ArrayLike<number>): { loss: number; grad: LinearNetParams } {
    const fn = "LinearNetKernel.gradients";
    this.requireShape(fn, p);
    if (idx.length === 0) fail(fn, "idx", [], "must not be empty");
    for (let i = 0; i < idx.length; i++)
      if (!(Number.isInteger(idx[i]) && idx[i] >= 0 && idx[i] < this.n))
        fail(fn, `idx[${i}]`, idx[i], `must be a point index in [0, ${this.n})`);
    this.load(p);
    const loss = this.step(idx);
    return { loss, grad: this.unload(this.a.v.grad) };
  }

  /**
   * Trains from `init` (not modified): the shared shuffled batches (batches.ts) and PyTorch's Adam
   * (adam.ts), as trainLinearNet does.
   * @returns the trained parameters and their training accuracy and mean loss (float64)
   */
  train(
    init: LinearNetParams,
    c: OptimConfig,
    rng: Rng,
    onEpoch?: (epoch: number) => void,
  ): TrainResult {
    this.requireShape("LinearNetKernel.train", init);
    validateOptimConfig("LinearNetKernel.train", c);
    this.load(init);
    const a = this.a;
    a.v.grad.fill(0);
    a.v.adamM.fill(0);
    a.v.adamV.fill(0);
    const adam = new Adam(a, c);
    shuffledBatches(
      this.n,
      c,
      rng,
      (idx) => {
        // The run's loss is evaluate()'s, after training: no batch loss needed.
        this.step(idx, false);
        adam.step();
      },
      onEpoch,
    );
    const params = this.unload(a.v.params);
    const ev = evaluate(params, this.data);
    return { params, accuracy: ev.accuracy, loss: ev.loss };
  }
}

/**
 * Trains section 6's linear network from `init` in WebAssembly: the drop-in for trainLinearNet
 * (same arguments; `c.hidden` must match init and `c.formulation` is ignored), synchronous.
 * @param data N × d rows (float32) and labels in {0, 1}
 * @returns the trained parameters and their training accuracy and mean loss (float64)
 */
export function trainLinearNetFast(
  init: LinearNetParams,
  data: TrainData,
  c: OptimConfig & { hidden?: number },
  rng: Rng,
  onEpoch?: (epoch: number) => void,
): TrainResult {
  if (c.hidden !== undefined && c.hidden !== init.hidden)
    fail("trainLinearNetFast", "hidden", c.hidden, `must equal the network's width ${init.hidden}`);
  validateTrainData("trainLinearNetFast", data, init.d, 2);
  return new LinearNetKernel(data, init.hidden).train(init, c, rng, onEpoch);
}
