/**
 * A fast, exact trainer for section 6's one-hidden-layer ReLU network d → hidden → 2 on section 6's
 * data x_k = A z_k, z_k ∈ {±1}^d (all 2^d points), label = [z_k(d) = +1]. Same network, loss, Adam
 * rule, initialisation and batch order as `trainMlp` (tfjs); different arithmetic.
 *
 * Why it is fast: a hidden unit's pre-activation is w·x_k + b = u·z_k + b with u = Aᵀw. Split the d
 * sign bits of k into a low and a high half; the 2^{d/2} partial sums of u over each half are built
 * with one addition each (flip one sign at a time), and then every point's pre-activation costs one
 * addition: P_lo[k mod 2^L] + P_hi[k div 2^L] + b, instead of d multiply-adds. Backwards, the
 * gradient with respect to u is Σ_k δ_k z_k, which is read off two tables of 2^{d/2} sums of δ the
 * same way, and ∂L/∂w = A ∂L/∂u. The two logits enter the cross-entropy only through their
 * difference, so one pass over (point, unit) pairs gives both output rows.
 *
 * The per-unit loops run in WebAssembly (kernels/hypercube-relu.wat, assembled at build time), two
 * units at a time in 128-bit SIMD: over the batch's points ("points"), or, for large batches, over
 * all 2^d points with zero weight off the batch ("grid"); JavaScript does the loss, the bookkeeping
 * and Adam.
 *
 * Arithmetic: float64 inside a step; parameters and Adam moments are stored as float32 (as PyTorch
 * and tfjs store them), so the trajectory follows float32 training up to rounding. A test checks
 * the gradients against tfjs autodiff of the plain network, and whole runs against `trainMlp`.
 */
import * as fs from "fs";
import * as path from "path";
import type { Matrix } from "ml-matrix";
import { fail, requireInteger, requirePositive } from "../check";
import { pointLabel } from "../data/hypercube";
import type { Rng } from "../random/rng";
import type { TrainConfig } from "./linear-net";
import type { MlpParams } from "./mlp";

/** Bumped when the kernels' arithmetic changes (results cached under the trainer's name are then recomputed). */
export const HYPERCUBE_RELU_VERSION = 2;

export type HypercubeTrainConfig = Omit<TrainConfig, "formulation" | "hidden">;

export class HypercubeRelu {
  readonly d: number;
  readonly hidden: number;
  readonly n: number;
  private readonly L: number;
  private readonly nlo: number;
  private readonly nhi: number;
  /** Units as the kernels see them: hidden rounded up to even (they take units in pairs; the extra one is all zeros). */
  private readonly units: number;
  private readonly k: KernelMemory;
  /**
   * Gradients of the last `gradients` call (float64), shaped like MlpParams: W1 (hidden × d), b1,
   * W2 (2 × hidden), b2. W1 and b1 are views of the kernels' memory.
   */
  readonly grad: { W1: Float64Array; b1: Float64Array; W2: Float64Array; b2: Float64Array };

  constructor(A: Matrix, hidden: number) {
    const d = A.rows;
    if (A.columns !== d)
      fail("HypercubeRelu", "A", `${A.rows}×${A.columns}`, "must be square (d×d)");
    requireInteger("HypercubeRelu", "d", d, 2, 20);
    requireInteger("HypercubeRelu", "hidden", hidden, 1);
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++)
        if (!Number.isFinite(A.get(r, c)))
          fail("HypercubeRelu", `A[${r}][${c}]`, A.get(r, c), "must be finite");
    this.d = d;
    this.hidden = hidden;
    this.n = 2 ** d;
    this.L = Math.floor(d / 2);
    this.nlo = 1 << this.L;
    this.nhi = 1 << (d - this.L);
    const U = (this.units = hidden + (hidden & 1));
    this.k = kernelMemory(
      {
        A: d * d,
        W: U * d,
        b: U,
        vd: U,
        Plo: U * this.nlo,
        Phi: U * this.nhi,
        U: 2 * d,
        s: this.n,
        g: this.n,
        dv: U,
        Tlo: U * this.nlo,
        Thi: U * this.nhi,
        GW: U * d,
        GB: U,
      },
      { loCoord: this.nlo, hiCoord: this.nhi, lo: this.n, hi: this.n },
    );
    for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) this.k.f.A[r * d + c] = A.get(r, c);
    // The sign (coordinate i = d−1−bit) flipped by the lowest set bit of each table index.
    for (let m = 1; m < this.nlo; m++) this.k.i.loCoord[m] = d - 1 - (31 - Math.clz32(m & -m));
    for (let m = 1; m < this.nhi; m++)
      this.k.i.hiCoord[m] = d - 1 - (this.L + 31 - Math.clz32(m & -m));
    this.grad = {
      W1: this.k.f.GW.subarray(0, hidden * d),
      b1: this.k.f.GB.subarray(0, hidden),
      W2: new Float64Array(2 * hidden),
      b2: new Float64Array(2),
    };
  }

  private requireShape(fn: string, p: MlpParams): void {
    const w = p.widths;
    if (w.length !== 3 || w[0] !== this.d || w[1] !== this.hidden || w[2] !== 2)
      fail(fn, "p.widths", w, `must be [${this.d}, ${this.hidden}, 2]`);
  }

  /** Copies the first layer and the output-row differences into the kernels' memory and builds every unit's tables. */
  private load(p: MlpParams): void {
    const f = this.k.f;
    const H = this.hidden;
    f.W.set(p.weights[0]);
    f.b.set(p.biases[0]);
    const W2 = p.weights[1];
    for (let j = 0; j < H; j++) f.vd[j] = W2[H + j] - W2[j];
    this.k.kernels.tables(
      this.units,
      this.d,
      this.L,
      this.k.at.A,
      this.k.at.W,
      this.k.at.loCoord,
      this.k.at.hiCoord,
      this.k.at.Plo,
      this.k.at.Phi,
      this.k.at.U,
    );
  }

  /** Logit differences f_1 − f_0 into s: at all 2^d points (grid) or at the B points set in lo/hi. */
  private forward(p: MlpParams, how: "grid" | "points", B: number): void {
    const { kernels, at, f } = this.k;
    this.load(p);
    const c = p.biases[1][1] - p.biases[1][0];
    if (how === "grid") {
      f.s.fill(c);
      kernels.forward(this.units, this.nlo, this.nhi, at.Plo, at.Phi, at.b, at.vd, at.s);
    } else {
      f.s.fill(c, 0, B);
      kernels.pointsForward(
        this.units,
        this.nlo,
        this.nhi,
        B,
        at.Plo,
        at.Phi,
        at.b,
        at.vd,
        at.lo,
        at.hi,
        at.s,
      );
    }
  }

  /**
   * Mean cross-entropy over the points idx and its gradient with respect to every parameter (into
   * this.grad), as autodiff of the plain network computes them (up to rounding). Both paths are
   * exact; the default takes "grid" for batches of more than half the points, where it is faster (measured at d = 12, width 3000).
   */
  gradients(p: MlpParams, idx: ArrayLike<number>, path?: "grid" | "points"): number {
    const fn = "HypercubeRelu.gradients";
    this.requireShape(fn, p);
    const B = idx.length;
    if (B === 0) fail(fn, "idx", [], "must not be empty");
    const how = path ?? (2 * B > this.n ? "grid" : "points");
    if (how !== "grid" && how !== "points") fail(fn, "path", how, 'must be "grid" or "points"');
    const { kernels, at, f, i: ints } = this.k;
    for (let t = 0; t < B; t++) {
      const k = idx[t];
      if (!(Number.isInteger(k) && k >= 0 && k < this.n))
        fail(fn, `idx[${t}]`, k, `must be a point index in [0, ${this.n})`);
      ints.lo[t] = k & (this.nlo - 1);
      ints.hi[t] = k >>> this.L;
    }
    this.forward(p, how, B);
    if (how === "grid") f.g.fill(0);
    let loss = 0;
    let slope = 0;
    for (let t = 0; t < B; t++) {
      const k = idx[t];
      const [l, g] = lossAndSlope(f.s[how === "grid" ? k : t], k, B);
      loss += l;
      slope += g;
      if (how === "grid") f.g[k] += g;
      else f.g[t] = g;
    }
    const H = this.hidden;
    const U = this.units;
    if (how === "grid")
      kernels.backward(U, this.nlo, this.nhi, at.Plo, at.Phi, at.b, at.g, at.dv, at.Tlo, at.Thi);
    else
      kernels.pointsBackward(
        U,
        this.nlo,
        this.nhi,
        B,
        at.Plo,
        at.Phi,
        at.b,
        at.lo,
        at.hi,
        at.g,
        at.dv,
        at.Tlo,
        at.Thi,
      );
    kernels.finish(U, this.d, this.L, at.A, at.vd, at.Tlo, at.Thi, at.U, at.GW, at.GB);
    const G = this.grad;
    for (let j = 0; j < H; j++) {
      G.W2[H + j] = f.dv[j];
      G.W2[j] = -f.dv[j];
    }
    G.b2[1] = slope;
    G.b2[0] = -slope;
    return loss;
  }

  /** Logit differences f_1 − f_0 at every point (float64), e.g. for the training accuracy. */
  logitDifferences(p: MlpParams): Float64Array {
    this.requireShape("HypercubeRelu.logitDifferences", p);
    this.forward(p, "grid", this.n);
    return Float64Array.from(this.k.f.s);
  }

  /** Training accuracy over all 2^d points (ties f_1 = f_0 go to class 0, as argmax does). */
  accuracy(p: MlpParams): number {
    const t = this.logitDifferences(p);
    let correct = 0;
    for (let k = 0; k < this.n; k++) if ((t[k] > 0 ? 1 : 0) === pointLabel(k)) correct++;
    return correct / this.n;
  }

  /**
   * Trains from `init` (not modified) with Adam (PyTorch's rule θ ← θ − lr·m̂/(√v̂ + ε)) and a fresh
   * permutation from rng every epoch, the batches cut from it in order, as `trainMlp` does.
   */
  train(
    init: MlpParams,
    c: HypercubeTrainConfig,
    rng: Rng,
    onEpoch?: (epoch: number) => void,
  ): { params: MlpParams; accuracy: number; loss: number } {
    this.requireShape("HypercubeRelu.train", init);
    requireInteger("HypercubeRelu.train", "epochs", c.epochs, 1);
    requireInteger("HypercubeRelu.train", "batchSize", c.batchSize, 1);
    requirePositive("HypercubeRelu.train", "lr", c.lr);
    const p: MlpParams = {
      widths: [...init.widths],
      weights: init.weights.map((w) => Float32Array.from(w)),
      biases: init.biases.map((b) => Float32Array.from(b)),
    };
    const params = [p.weights[0], p.biases[0], p.weights[1], p.biases[1]];
    const grads = [this.grad.W1, this.grad.b1, this.grad.W2, this.grad.b2];
    const m = params.map((a) => new Float32Array(a.length));
    const v = params.map((a) => new Float32Array(a.length));
    let t = 0;
    let loss = 0;
    for (let epoch = 0; epoch < c.epochs; epoch++) {
      const perm = rng.permutation(this.n);
      let epochLoss = 0;
      for (let start = 0; start < this.n; start += c.batchSize) {
        const idx = perm.subarray(start, Math.min(this.n, start + c.batchSize));
        epochLoss += this.gradients(p, idx) * idx.length;
        t += 1;
        const bc1 = 1 - c.beta1 ** t;
        const bc2 = 1 - c.beta2 ** t;
        for (let q = 0; q < params.length; q++) {
          const P = params[q];
          const Gq = grads[q];
          const M = m[q];
          const V = v[q];
          for (let i = 0; i < P.length; i++) {
            const gi = Gq[i];
            M[i] = c.beta1 * M[i] + (1 - c.beta1) * gi;
            V[i] = c.beta2 * V[i] + (1 - c.beta2) * gi * gi;
            P[i] = P[i] - (c.lr / bc1) * (M[i] / (Math.sqrt(V[i] / bc2) + c.eps));
          }
        }
      }
      loss = epochLoss / this.n;
      onEpoch?.(epoch + 1);
    }
    return { params: p, accuracy: this.accuracy(p), loss };
  }
}

/** Mean cross-entropy term of one point (logit difference t, point k, batch B) and its ∂/∂t. */
function lossAndSlope(t: number, k: number, B: number): [number, number] {
  const y = pointLabel(k);
  // CE with logits (f_0, f_1) is softplus(−t) for class 1 and softplus(t) for class 0; ∂/∂t = σ(t) − y.
  const z = y === 1 ? -t : t;
  const loss = z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z));
  const p1 = t >= 0 ? 1 / (1 + Math.exp(-t)) : Math.exp(t) / (1 + Math.exp(t));
  return [loss / B, (p1 - y) / B];
}

interface Kernels {
  tables(
    H: number,
    d: number,
    L: number,
    pA: number,
    pW: number,
    pLoCoord: number,
    pHiCoord: number,
    pPlo: number,
    pPhi: number,
    pU: number,
  ): void;
  forward(
    H: number,
    nlo: number,
    nhi: number,
    pPlo: number,
    pPhi: number,
    pB: number,
    pVd: number,
    pS: number,
  ): void;
  backward(
    H: number,
    nlo: number,
    nhi: number,
    pPlo: number,
    pPhi: number,
    pB: number,
    pG: number,
    pDv: number,
    pTlo: number,
    pThi: number,
  ): void;
  pointsForward(
    H: number,
    nlo: number,
    nhi: number,
    B: number,
    pPlo: number,
    pPhi: number,
    pB: number,
    pVd: number,
    pLo: number,
    pHi: number,
    pS: number,
  ): void;
  pointsBackward(
    H: number,
    nlo: number,
    nhi: number,
    B: number,
    pPlo: number,
    pPhi: number,
    pB: number,
    pLo: number,
    pHi: number,
    pG: number,
    pDv: number,
    pTlo: number,
    pThi: number,
  ): void;
  finish(
    H: number,
    d: number,
    L: number,
    pA: number,
    pVd: number,
    pTlo: number,
    pThi: number,
    pU: number,
    pGW: number,
    pGB: number,
  ): void;
}

type Floats =
  "A" | "W" | "b" | "vd" | "Plo" | "Phi" | "U" | "s" | "g" | "dv" | "Tlo" | "Thi" | "GW" | "GB";
type Ints = "loCoord" | "hiCoord" | "lo" | "hi";
interface KernelMemory {
  kernels: Kernels;
  /** Byte offset of every array. */
  at: Record<Floats | Ints, number>;
  f: Record<Floats, Float64Array>;
  i: Record<Ints, Int32Array>;
}

let kernelModule: WebAssembly.Module | null = null;

/** A fresh instance of the kernels (its own memory), with the given float64 and int32 arrays laid out in it. */
function kernelMemory(floats: Record<Floats, number>, ints: Record<Ints, number>): KernelMemory {
  if (!kernelModule) {
    const file = path.join(__dirname, "kernels", "hypercube-relu.wasm");
    if (!fs.existsSync(file))
      fail(
        "HypercubeRelu",
        "kernel",
        file,
        "is missing: build it with `npm run build` (tsc, then scripts/build-wasm)",
      );
    kernelModule = new WebAssembly.Module(fs.readFileSync(file));
  }
  const instance = new WebAssembly.Instance(kernelModule, {});
  const memory = instance.exports.memory as WebAssembly.Memory;
  const at = {} as Record<Floats | Ints, number>;
  let bytes = 0;
  const place = (name: Floats | Ints, size: number) => {
    at[name] = bytes;
    bytes += Math.ceil(size / 16) * 16;
  };
  for (const [name, len] of Object.entries(floats) as [Floats, number][]) place(name, len * 8);
  for (const [name, len] of Object.entries(ints) as [Ints, number][]) place(name, len * 4);
  const pages = Math.ceil(bytes / 65536) - memory.buffer.byteLength / 65536;
  if (pages > 0) memory.grow(pages);
  const f = {} as Record<Floats, Float64Array>;
  const i = {} as Record<Ints, Int32Array>;
  for (const [name, len] of Object.entries(floats) as [Floats, number][])
    f[name] = new Float64Array(memory.buffer, at[name], len);
  for (const [name, len] of Object.entries(ints) as [Ints, number][])
    i[name] = new Int32Array(memory.buffer, at[name], len);
  return { kernels: instance.exports as unknown as Kernels, at, f, i };
}
