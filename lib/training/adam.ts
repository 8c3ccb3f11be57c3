/**
 * PyTorch's Adam, the optimiser of section 6 ("we use the Adam package in PyTorch"), shared by every
 * trainer: one flat float32 parameter vector with its float32 moments, as torch.optim.Adam stores
 * them, updated in float32 arithmetic in PyTorch's order of operations (kernels/adam.wat):
 *
 *   m ← β₁m + (1 − β₁)g,   v ← β₂v + (1 − β₂)g²,   θ ← θ − lr/(1 − β₁ᵗ) · m / (√v/√(1 − β₂ᵗ) + ε).
 *
 * The WebAssembly trainers keep the vector in their own kernel memory (spread `adamArrays(n)` into
 * the arena's spec); the tfjs trainers use `Adam.standalone` and copy gradients in and parameters out.
 */
import { requireInteger } from "../check";
import { validateOptimConfig, type AdamConfig } from "./config";
import { Arena, type ArenaSpec } from "./wasm";

/** n rounded up to a multiple of 4 (the kernels take four float32 lanes at a time). */
export function padTo4(n: number): number {
  return Math.ceil(n / 4) * 4;
}

/** The arrays Adam works on, to spread into a trainer's arena spec: n parameters, padded to 4. */
export function adamArrays(n: number) {
  const len = padTo4(n);
  return {
    params: ["f32", len],
    grad: ["f32", len],
    adamM: ["f32", len],
    adamV: ["f32", len],
  } as const satisfies ArenaSpec;
}
/** The arena spec Adam needs (what adamArrays returns). */
export type AdamSpec = ReturnType<typeof adamArrays>;

interface AdamKernel {
  adam(
    n: number,
    pP: number,
    pG: number,
    pM: number,
    pV: number,
    beta1: number,
    oneMinusBeta1: number,
    beta2: number,
    oneMinusBeta2: number,
    negStepSize: number,
    bc2sqrt: number,
    eps: number,
  ): void;
}

/** PyTorch's Adam on the arena's `params`, reading the gradient from its `grad` (zero moments at start). */
export class Adam {
  /** Adam steps taken (PyTorch's state["step"]). */
  steps = 0;
  private readonly kernel: AdamKernel;
  private readonly n: number;

  constructor(
    private readonly arena: Arena<AdamSpec>,
    readonly config: AdamConfig,
  ) {
    validateOptimConfig("Adam", { epochs: 1, batchSize: 1, ...config });
    this.kernel = arena.kernels<AdamKernel>("adam");
    this.n = arena.v.params.length;
  }

  /** Adam with its own memory for n parameters: write `.grad`, call `step()`, read `.params`. */
  static standalone(
    n: number,
    config: AdamConfig,
  ): { adam: Adam; params: Float32Array; grad: Float32Array } {
    requireInteger("Adam.standalone", "n", n, 1);
    const arena = new Arena(adamArrays(n));
    return {
      adam: new Adam(arena, config),
      params: arena.v.params.subarray(0, n),
      grad: arena.v.grad.subarray(0, n),
    };
  }

  /** One step θ ← θ − lr·m̂/(√v̂ + ε) from the gradient in `grad` (torch.optim.Adam.step). */
  step(): void {
    const { lr, beta1, beta2, eps } = this.config;
    const t = ++this.steps;
    // As in torch/optim/adam.py: Python floats, then rounded to float32 inside the kernel call.
    const stepSize = lr / (1 - beta1 ** t);
    const bc2sqrt = Math.sqrt(1 - beta2 ** t);
    const at = this.arena.at;
    this.kernel.adam(
      this.n,
      at.params,
      at.grad,
      at.adamM,
      at.adamV,
      beta1,
      1 - beta1,
      beta2,
      1 - beta2,
      -stepSize,
      bc2sqrt,
      eps,
    );
  }
}
