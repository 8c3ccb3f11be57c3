/**
 * A fast trainer for section 6's one-hidden-layer ReLU network d → hidden → 2 (Table 3, Theorem 7)
 * on section 6's data x_k = A z_k, z_k ∈ {±1}^d (all 2^d points), label = [z_k(d) = +1]. Same
 * network, loss, initialisation, Adam rule (adam.ts) and batch order (batches.ts) as `trainMlp`
 * (tfjs) and as PyTorch; different arithmetic.
 *
 * Why it is fast: a hidden unit's pre-activation is w·x_k + b = u·z_k + b with u = Aᵀw. Split the d
 * sign bits of k into a low and a high half; the 2^{d/2} partial sums of u over each half are built
 * with one addition each (flip one sign at a time), and then every point's pre-activation costs one
 * addition: P_lo[k mod 2^L] + P_hi[k div 2^L], instead of d multiply-adds. Backwards, the gradient
 * with respect to u is Σ_k δ_k z_k, which is read off two tables of 2^{d/2} sums of δ the same way,
 * and ∂L/∂w = A ∂L/∂u. The two logits enter the cross-entropy only through their difference, so one
 * pass over (point, unit) pairs gives both output rows. Small batches skip the tables ("rows": the
 * batch's rows times W_1 directly), large ones run over the whole grid of points with zero weight
 * off the batch; every path computes the same gradient (tests check each against tfjs autodiff).
 *
 * Arithmetic: float32 inside a step, as PyTorch computes, with parameters and Adam moments float32
 * as PyTorch stores them; the kernels (kernels/hypercube-relu.wat) take four units per 128-bit SIMD
 * vector. The training accuracy is computed in float64 from the float32 parameters.
 */
import type { Matrix } from "ml-matrix";
import { fail, requireInteger } from "../check";
import { pointLabel } from "../data/hypercube";
import type { Rng } from "../random/rng";
import { Adam, adamArrays, padTo4 } from "./adam";
import { shuffledBatches } from "./batches";
import { PYTORCH_ADAM, validateOptimConfig, type OptimConfig } from "./config";
import { crossEntropySlopes } from "./loss";
import { profile } from "./profile";
import type { MlpParams } from "./relu64";
import { Arena } from "./wasm";

/**
 * Bumped when the kernels' arithmetic changes (results cached under the trainer's name are then
 * recomputed). 3: float32 steps, four units per vector, the rows path, the shared Adam kernel.
 */
export const HYPERCUBE_RELU_VERSION = 3;

/** The trainer as a provenance and cache-key label. */
export const HYPERCUBE_RELU_TRAINER = `hypercube ReLU trainer v${HYPERCUBE_RELU_VERSION} (WebAssembly SIMD, float32 steps)`;

/** The largest d the trainer takes (tables of 2^{d/2} entries per unit; 2^d points). */
export const HYPERCUBE_RELU_MAX_D = 22;

/** The settings `train` uses (no hidden width: the trainer has its own). */
export type HypercubeTrainConfig = OptimConfig;

/** How a step reaches the batch's pre-activations (see the module comment). */
export type HypercubePath = "rows" | "points" | "grid";

/** The rows path keeps every point's float32 row up to this d (2^d·d floats; computed on the fly beyond). */
const ROWS_TABLE_MAX_D = 18;

/** Points per chunk on the rows path (a chunk's pre-activations, 4·width floats each, stay in cache). */
const ROWS_CHUNK = 32;

/**
 * The path a batch of B of the n = 2^d points takes by default: rows while B·d multiply-adds per
 * unit cost less than building, reading and folding the tables (taken as 2.5(d² + 3·2^{⌊d/2⌋} +
 * 3·2^{⌈d/2⌉}) per unit, fitted to the crossovers measured at d = 12, 16 and 18, width 3000:
 * near batch 100, 300 and 500), the grid once B ≥ 3n/5 (a pass over all points then costs less
 * than the batch's scattered table reads; measured crossover at d = 12 and 16: B ≈ 0.55n), else
 * points. scripts/bench.ts prints each path's cost.
 */
export function hypercubePath(d: number, B: number): HypercubePath {
  const n = 2 ** d;
  const L = Math.floor(d / 2);
  const tableCost = 2.5 * (d * d + 3 * 2 ** L + 3 * 2 ** (d - L));
  if (B * d <= tableCost) return "rows";
  return 5 * B >= 3 * n ? "grid" : "points";
}

interface Kernels {
  tables(
    Hq: number,
    d: number,
    dp: number,
    L: number,
    pAT: number,
    pW: number,
    pB: number,
    pV0: number,
    pV1: number,
    pVd: number,
    pPlo: number,
    pPhi: number,
    pU: number,
  ): void;
  pointsForward(
    Hq: number,
    d: number,
    dp: number,
    L: number,
    pAT: number,
    pW: number,
    pB: number,
    pV0: number,
    pV1: number,
    pVd: number,
    pPlo: number,
    pPhi: number,
    pU: number,
    B: number,
    pLo: number,
    pHi: number,
    pS4: number,
    c: number,
    pT: number,
  ): void;
  pointsBackward(
    Hq: number,
    d: number,
    dp: number,
    L: number,
    pA: number,
    pVd: number,
    pPlo: number,
    pPhi: number,
    B: number,
    pLo: number,
    pHi: number,
    pG: number,
    pTlo: number,
    pThi: number,
    pU: number,
    pGW: number,
    pGB: number,
    pGV0: number,
    pGV1: number,
  ): void;
  gridForward(
    Hq: number,
    nlo: number,
    nhi: number,
    QB: number,
    pPlo: number,
    pPhi: number,
    pVd: number,
    pS4: number,
    c: number,
    pT: number,
  ): void;
  gridBackward(
    Hq: number,
    nlo: number,
    nhi: number,
    QB: number,
    pPlo: number,
    pPhi: number,
    pG: number,
    pDv: number,
    pTlo: number,
    pThi: number,
  ): void;
  finish(
    Hq: number,
    d: number,
    dp: number,
    L: number,
    pA: number,
    pVd: number,
    pDv: number,
    pTlo: number,
    pThi: number,
    pU: number,
    pGW: number,
    pGB: number,
    pGV0: number,
    pGV1: number,
  ): void;
  rowsForward(
    Hq: number,
    d: number,
    dp: number,
    B4: number,
    pX: number,
    pW: number,
    pB: number,
    pV0: number,
    pV1: number,
    pVd: number,
    pPre: number,
    pS4: number,
    c: number,
    pT: number,
  ): void;
  rowsBackward(
    Hq: number,
    dp: number,
    B4: number,
    pX: number,
    pG: number,
    pPre: number,
    pVd: number,
    pGM: number,
    pGW: number,
    pGB: number,
    pGV0: number,
    pGV1: number,
  ): void;
  tables64(
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
  forward64(
    H: number,
    nlo: number,
    nhi: number,
    pPlo: number,
    pPhi: number,
    pB: number,
    pVd: number,
    pS: number,
  ): void;
}

function arenaSpec(d: number, Hp: number, nlo: number, nhi: number) {
  const n = nlo * nhi;
  const dp = padTo4(d);
  return {
    ...adamArrays((dp + 3) * Hp + 4),
    // A and Aᵀ with dp rows (the rows beyond d zero), for the kernels' four-row matrix products.
    A32: ["f32", dp * d],
    AT32: ["f32", dp * d],
    loCoord: ["i32", nlo],
    hiCoord: ["i32", nhi],
    Plo: ["f32", Hp * nlo],
    Phi: ["f32", Hp * nhi],
    Tlo: ["f32", Hp * nlo],
    Thi: ["f32", Hp * nhi],
    U: ["f32", 4 * dp],
    vd: ["f32", Hp],
    dv: ["f32", Hp],
    s4: ["f32", 4 * n],
    t: ["f32", n],
    g: ["f32", n],
    lo: ["i32", n],
    hi: ["i32", n],
    X: ["f32", ROWS_CHUNK * dp],
    pre: ["f32", ROWS_CHUNK * Hp],
    gm: ["f32", ROWS_CHUNK * Hp],
    // Evaluation in float64.
    A64: ["f64", d * d],
    W64: ["f64", Hp * d],
    b64: ["f64", Hp],
    vd64: ["f64", Hp],
    Plo64: ["f64", Hp * nlo],
    Phi64: ["f64", Hp * nhi],
    U64: ["f64", 2 * d],
    s64: ["f64", n],
  } as const;
}

/**
 * The trainer for one data set A (section 6: one per run): its points, tables and kernels live in
 * one WebAssembly memory, sized for the width. `train` runs section 6's protocol from given initial
 * weights; `gradients`, `logitDifferences` and `accuracy` expose the pieces for tests and checks.
 */
export class HypercubeRelu {
  readonly d: number;
  readonly hidden: number;
  /** 2^d, the number of points. */
  readonly n: number;
  /** d rounded up to a multiple of 4 (W_1's rows in θ are padded with zero weights). */
  private readonly dp: number;
  private readonly L: number;
  private readonly nlo: number;
  private readonly nhi: number;
  /** Units as the kernels see them: hidden rounded up to a multiple of 8 (the extra ones all zero). */
  private readonly Hp: number;
  private readonly a: Arena<ReturnType<typeof arenaSpec>>;
  private readonly k: Kernels;
  /** Byte offsets of θ's parts (kernels/hypercube-relu.wat) in `params` and `grad`. */
  private readonly off: { W: number; b: number; v0: number; v1: number; b2: number };
  /** The rows of A as float64 (x_k = A z_k for the rows path). */
  private readonly Arows: Float64Array;
  /** Every point's class (pointLabel). */
  private readonly labels: Int32Array;
  /**
   * Every point's row x_k = A z_k in float32 (dp values), for d ≤ ROWS_TABLE_MAX_D: built on the
   * rows path's first use.
   */
  private X32: Float32Array | null = null;
  /** Quads per block in the grid passes: a block's tables stay in cache. */
  private readonly QB: number;
  /**
   * Gradients of the last `gradients` call (float32), shaped like MlpParams: W1 (hidden × d), b1,
   * W2 (2 × hidden), b2.
   */
  readonly grad: { W1: Float32Array; b1: Float32Array; W2: Float32Array; b2: Float32Array };

  /**
   * @param A d × d, the data's matrix (section 6: Gaussian, leading columns ×5 or not)
   * @param hidden the hidden width (section 6: 3000)
   */
  constructor(A: Matrix, hidden: number) {
    const d = A.rows;
    if (A.columns !== d)
      fail("HypercubeRelu", "A", `${A.rows}×${A.columns}`, "must be square (d×d)");
    requireInteger("HypercubeRelu", "d", d, 2, HYPERCUBE_RELU_MAX_D);
    requireInteger("HypercubeRelu", "hidden", hidden, 1);
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++)
        if (!Number.isFinite(A.get(r, c)))
          fail("HypercubeRelu", `A[${r}][${c}]`, A.get(r, c), "must be finite");
    this.d = d;
    this.hidden = hidden;
    this.n = 2 ** d;
    this.dp = padTo4(d);
    this.L = Math.floor(d / 2);
    this.nlo = 1 << this.L;
    this.nhi = 1 << (d - this.L);
    // Two quads of four units at a time on the rows path.
    const Hp = (this.Hp = 8 * Math.ceil(hidden / 8));
    this.a = new Arena(arenaSpec(d, Hp, this.nlo, this.nhi));
    this.k = this.a.kernels<Kernels>("hypercube-relu");
    const v = this.a.v;
    this.Arows = new Float64Array(d * d);
    for (let r = 0; r < d; r++)
      for (let c = 0; c < d; c++) {
        this.Arows[r * d + c] = A.get(r, c);
        v.A32[r * d + c] = A.get(r, c);
        v.AT32[c * d + r] = A.get(r, c);
        v.A64[r * d + c] = A.get(r, c);
      }
    // The sign (coordinate i = d−1−bit) flipped by the lowest set bit of each table index.
    for (let m = 1; m < this.nlo; m++) v.loCoord[m] = d - 1 - (31 - Math.clz32(m & -m));
    for (let m = 1; m < this.nhi; m++) v.hiCoord[m] = d - 1 - (this.L + 31 - Math.clz32(m & -m));
    const W = this.a.at.params;
    const dp = this.dp;
    this.off = {
      W,
      b: W + 4 * Hp * dp,
      v0: W + 4 * Hp * (dp + 1),
      v1: W + 4 * Hp * (dp + 2),
      b2: W + 4 * Hp * (dp + 3),
    };
    this.QB = Math.max(1, Math.floor(2 ** 18 / (16 * this.nlo)));
    this.labels = Int32Array.from({ length: this.n }, (_, k) => pointLabel(k));

    this.grad = {
      W1: new Float32Array(hidden * d),
      b1: new Float32Array(hidden),
      W2: new Float32Array(2 * hidden),
      b2: new Float32Array(2),
    };
  }

  private requireShape(fn: string, p: MlpParams): void {
    const w = p.widths;
    if (w.length !== 3 || w[0] !== this.d || w[1] !== this.hidden || w[2] !== 2)
      fail(fn, "p.widths", w, `must be [${this.d}, ${this.hidden}, 2]`);
  }

  /** Writes p into θ's layout: W_1 by quads, b_1, W_2's rows, b_2. */
  private load(p: MlpParams): void {
    const { d, dp, hidden: H, Hp } = this;
    const th = this.a.v.params;
    th.fill(0);
    const [W1, W2] = p.weights;
    const [b1, b2] = p.biases;
    for (let j = 0; j < H; j++) {
      const base = (j >> 2) * 4 * dp + (j & 3);
      for (let r = 0; r < d; r++) th[base + 4 * r] = W1[j * d + r];
      th[Hp * dp + j] = b1[j];
      th[Hp * (dp + 1) + j] = W2[j];
      th[Hp * (dp + 2) + j] = W2[H + j];
    }
    th[Hp * (dp + 3)] = b2[0];
    th[Hp * (dp + 3) + 1] = b2[1];
  }

  /** Reads an array in θ's layout into MlpParams-shaped arrays. */
  private unload(
    th: Float32Array,
    out: { W1: Float32Array; b1: Float32Array; W2: Float32Array; b2: Float32Array },
  ): void {
    const { d, dp, hidden: H, Hp } = this;
    for (let j = 0; j < H; j++) {
      const base = (j >> 2) * 4 * dp + (j & 3);
      for (let r = 0; r < d; r++) out.W1[j * d + r] = th[base + 4 * r];
      out.b1[j] = th[Hp * dp + j];
      out.W2[j] = th[Hp * (dp + 1) + j];
      out.W2[H + j] = th[Hp * (dp + 2) + j];
    }
    out.b2[0] = th[Hp * (dp + 3)];
    out.b2[1] = th[Hp * (dp + 3) + 1];
  }

  /**
   * The batch's gradient into the arena's `grad` (θ's layout), by `how`, and its mean loss (NaN
   * unless withLoss); `mark` is called after each phase with its name (profileStep).
   */
  private step(
    idx: ArrayLike<number>,
    how: HypercubePath,
    withLoss = true,
    mark: (phase: string) => void = () => {},
  ): number {
    const { a, k, d, dp, L, nlo, nhi, Hp, off } = this;
    const { v, at } = a;
    const Hq = Hp / 4;
    const B = idx.length;
    const th = v.params;
    const c = Math.fround(th[Hp * (dp + 3) + 1] - th[Hp * (dp + 3)]);
    const gAt = this.a.at.grad;
    const gOff = (o: number) => gAt + (o - at.params);
    // Where the kernels write ∂W_1, ∂b_1 and the two rows of ∂W_2.
    const grads = [gOff(off.W), gOff(off.b), gOff(off.v0), gOff(off.v1)] as const;
    let loss: number;
    let slope: number;
    if (how === "rows") {
      // In chunks of ROWS_CHUNK points, so that the chunk's pre-activations stay in cache; the
      // gradient adds up over the chunks.
      v.grad.fill(0, 0, Hp * (dp + 3));
      loss = 0;
      slope = 0;
      for (let s0 = 0; s0 < B; s0 += ROWS_CHUNK) {
        const C = Math.min(ROWS_CHUNK, B - s0);
        const C4 = padTo4(C);
        this.rows(idx, s0, C, C4);
        mark("rows x = Az");
        k.rowsForward(
          Hq,
          d,
          dp,
          C4,
          at.X,
          off.W,
          off.b,
          off.v0,
          off.v1,
          at.vd,
          at.pre,
          at.s4,
          c,
          at.t,
        );
        mark("forward (rows)");
        const r = crossEntropySlopes(idx, s0, C, this.labels, v.t, v.g, B, false, withLoss);
        loss += r.loss;
        slope += r.slope;
        v.g.fill(0, C, C4);
        mark("loss");
        k.rowsBackward(
          Hq,
          dp,
          C4,
          at.X,
          at.g,
          at.pre,
          at.vd,
          at.gm,
          gOff(off.W),
          gOff(off.b),
          gOff(off.v0),
          gOff(off.v1),
        );
        mark("backward (rows)");
      }
    } else if (how === "grid") {
      k.tables(Hq, d, dp, L, at.AT32, off.W, off.b, off.v0, off.v1, at.vd, at.Plo, at.Phi, at.U);
      mark("tables");
      k.gridForward(Hq, nlo, nhi, this.QB, at.Plo, at.Phi, at.vd, at.s4, c, at.t);
      mark("forward (grid)");
      v.g.fill(0);
      ({ loss, slope } = crossEntropySlopes(idx, 0, B, this.labels, v.t, v.g, B, true, withLoss));
      mark("loss");
      k.gridBackward(Hq, nlo, nhi, this.QB, at.Plo, at.Phi, at.g, at.dv, at.Tlo, at.Thi);
      mark("backward (grid)");
      k.finish(Hq, d, dp, L, at.A32, at.vd, at.dv, at.Tlo, at.Thi, at.U, ...grads);
      mark("finish (∂u, ∂W_1)");
    } else {
      for (let i = 0; i < B; i++) {
        v.lo[i] = (idx[i] & (nlo - 1)) << 4;
        v.hi[i] = (idx[i] >>> L) << 4;
      }
      k.pointsForward(
        Hq,
        d,
        dp,
        L,
        at.AT32,
        off.W,
        off.b,
        off.v0,
        off.v1,
        at.vd,
        at.Plo,
        at.Phi,
        at.U,
        B,
        at.lo,
        at.hi,
        at.s4,
        c,
        at.t,
      );
      mark("tables, forward (points)");
      ({ loss, slope } = crossEntropySlopes(idx, 0, B, this.labels, v.t, v.g, B, false, withLoss));
      mark("loss");
      // One quad's scratch tables: the first quad's place in Tlo and Thi.
      k.pointsBackward(
        Hq,
        d,
        dp,
        L,
        at.A32,
        at.vd,
        at.Plo,
        at.Phi,
        B,
        at.lo,
        at.hi,
        at.g,
        at.Tlo,
        at.Thi,
        at.U,
        ...grads,
      );
      mark("backward, ∂u, ∂W_1 (points)");
    }
    const gb2 = Hp * (dp + 3);
    v.grad[gb2] = -slope;
    v.grad[gb2 + 1] = slope;
    return loss / B;
  }

  /** x_k = A z_k (float64, then float32 as PyTorch's inputs) into out[o … o+d). */
  private pointRow(k: number, out: Float32Array, o: number): void {
    const { d, Arows } = this;
    for (let r = 0; r < d; r++) {
      let s = 0;
      for (let j = 0; j < d; j++) {
        // z_k(j) = −1 exactly when bit d−1−j of k is set (lib/data/hypercube.ts).
        const a = Arows[r * d + j];
        s += (k >>> (d - 1 - j)) & 1 ? -a : a;
      }
      out[o + r] = s;
    }
  }

  /**
   * The rows x_k of the batch's points idx[s0 … s0+C) into X: C4 rows of dp values, zero beyond
   * the chunk and beyond d.
   */
  private rows(idx: ArrayLike<number>, s0: number, C: number, C4: number): void {
    const dp = this.dp;
    const X = this.a.v.X;
    if (!this.X32 && this.d <= ROWS_TABLE_MAX_D) {
      this.X32 = new Float32Array(this.n * dp);
      for (let k = 0; k < this.n; k++) this.pointRow(k, this.X32, k * dp);
    }
    const X32 = this.X32;
    if (C < C4) X.fill(0, C * dp, C4 * dp);
    for (let i = 0; i < C; i++) {
      const k = idx[s0 + i];
      if (X32) X.set(X32.subarray(k * dp, (k + 1) * dp), i * dp);
      else this.pointRow(k, X, i * dp);
    }
  }

  private requireBatch(fn: string, idx: ArrayLike<number>): void {
    if (idx.length === 0) fail(fn, "idx", [], "must not be empty");
    for (let t = 0; t < idx.length; t++) {
      const k = idx[t];
      if (!(Number.isInteger(k) && k >= 0 && k < this.n))
        fail(fn, `idx[${t}]`, k, `must be a point index in [0, ${this.n})`);
    }
  }

  /**
   * Mean cross-entropy over the points idx and its gradient with respect to every parameter (into
   * this.grad, float32), as autodiff of the plain network computes them (up to rounding). Every path
   * gives the same gradient; the default is hypercubePath(d, idx.length).
   * @param idx point indices (k ↔ z_k as lib/data/hypercube.ts encodes them)
   */
  gradients(p: MlpParams, idx: ArrayLike<number>, path?: HypercubePath): number {
    const fn = "HypercubeRelu.gradients";
    this.requireShape(fn, p);
    this.requireBatch(fn, idx);
    const how = path ?? hypercubePath(this.d, idx.length);
    if (how !== "grid" && how !== "points" && how !== "rows")
      fail(fn, "path", how, 'must be "rows", "points" or "grid"');
    this.load(p);
    const loss = this.step(idx, how);
    this.unload(this.a.v.grad, this.grad);
    return loss;
  }

  /**
   * Where a training step's time goes, for scripts/bench.ts: median wall-clock microseconds per phase
   * (Adam included) over `repeats` steps on the batch idx, each from the parameters p.
   */
  profileStep(
    p: MlpParams,
    idx: ArrayLike<number>,
    repeats: number,
    path?: HypercubePath,
  ): Record<string, number> {
    this.requireShape("HypercubeRelu.profileStep", p);
    this.requireBatch("HypercubeRelu.profileStep", idx);
    requireInteger("HypercubeRelu.profileStep", "repeats", repeats, 1);
    const how = path ?? hypercubePath(this.d, idx.length);
    const adam = new Adam(this.a, PYTORCH_ADAM);
    return profile(repeats, (mark) => {
      this.load(p);
      mark("");
      this.step(idx, how, false, mark);
      adam.step();
      mark("Adam");
    });
  }

  /** Logit differences f_1 − f_0 at every point in float64 (from the float32 parameters). */
  logitDifferences(p: MlpParams): Float64Array {
    this.requireShape("HypercubeRelu.logitDifferences", p);
    const { d, L, nlo, nhi, hidden: H, Hp } = this;
    const { v, at } = this.a;
    const [W1, W2] = p.weights;
    v.W64.fill(0);
    v.b64.fill(0);
    v.vd64.fill(0);
    v.W64.set(W1);
    v.b64.set(p.biases[0]);
    for (let j = 0; j < H; j++) v.vd64[j] = W2[H + j] - W2[j];
    this.k.tables64(Hp, d, L, at.A64, at.W64, at.loCoord, at.hiCoord, at.Plo64, at.Phi64, at.U64);
    v.s64.fill(p.biases[1][1] - p.biases[1][0]);
    this.k.forward64(Hp, nlo, nhi, at.Plo64, at.Phi64, at.b64, at.vd64, at.s64);
    return Float64Array.from(v.s64);
  }

  /** Training accuracy over all 2^d points in float64 (ties f_1 = f_0 go to class 0, as argmax does). */
  accuracy(p: MlpParams): number {
    const t = this.logitDifferences(p);
    let correct = 0;
    for (let k = 0; k < this.n; k++) if ((t[k] > 0 ? 1 : 0) === pointLabel(k)) correct++;
    return correct / this.n;
  }

  /**
   * Trains from `init` (not modified) with PyTorch's Adam (adam.ts) on the shared shuffled batches
   * (batches.ts), as `trainMlp` does: section 6's Table 3 networks.
   * @param path forces one path for every batch (tests); default hypercubePath(d, batch size)
   * @returns the trained parameters, their training accuracy (float64, all points) and the mean
   *   loss over the last epoch's batches as training met them
   */
  train(
    init: MlpParams,
    c: HypercubeTrainConfig,
    rng: Rng,
    onEpoch?: (epoch: number) => void,
    path?: HypercubePath,
  ): { params: MlpParams; accuracy: number; loss: number } {
    const fn = "HypercubeRelu.train";
    this.requireShape(fn, init);
    validateOptimConfig(fn, c);
    this.load(init);
    const { v } = this.a;
    v.adamM.fill(0);
    v.adamV.fill(0);
    const adam = new Adam(this.a, c);
    const loss = shuffledBatches(
      this.n,
      c,
      rng,
      (idx, lastEpoch) => {
        // Only the last epoch's losses are reported: skip the logarithms before it.
        const l = this.step(idx, path ?? hypercubePath(this.d, idx.length), lastEpoch);
        adam.step();
        return l;
      },
      onEpoch,
    );
    const H = this.hidden;
    const out = {
      W1: new Float32Array(H * this.d),
      b1: new Float32Array(H),
      W2: new Float32Array(2 * H),
      b2: new Float32Array(2),
    };
    this.unload(v.params, out);
    const params: MlpParams = {
      widths: [this.d, H, 2],
      weights: [out.W1, out.W2],
      biases: [out.b1, out.b2],
    };
    return { params, accuracy: this.accuracy(params), loss };
  }
}
