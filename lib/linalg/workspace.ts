/**
 * The memory the linear-algebra kernels work in: one growable WebAssembly memory shared by the
 * kernel files (kernels/*.wat, assembled to .wasm by scripts/build-wasm.ts), with arrays taken
 * from it as a stack (every public routine releases what it took, so a routine may call another).
 * Created on first use: nothing runs at import.
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../check";

/** How gemm writes its product into C. */
export const enum Product {
  /** C = A·B */
  Set = 0,
  /** C += A·B */
  Add = 1,
  /** C −= A·B */
  Subtract = 2,
}

/** kernels/gemm.wat: C (m×n) =, += or −= A (m×k, packed by pack()) · B (k×n); byte addresses. */
export interface ProductKernels {
  gemm(
    m: number,
    n: number,
    k: number,
    pA: number,
    pB: number,
    ldb: number,
    pC: number,
    ldc: number,
    mode: Product,
  ): void;
  /** Packs the m×k matrix S(i, l) = S[i·rs + l·cs] (strides in elements) for gemm's A. */
  pack(m: number, k: number, pS: number, rs: number, cs: number, pP: number): void;
}

/** Entries of the packed form of an m×k matrix (rows rounded up to a multiple of 4). */
export function packedLength(m: number, k: number): number {
  return Math.ceil(m / 4) * 4 * k;
}

/** kernels/householder.wat: LAPACK's dgeqr2, dorg2r and dlarft, and V's explicit form. */
export interface HouseholderKernels {
  geqr2(m: number, n: number, pA: number, lda: number, pTau: number): void;
  org2r(
    m: number,
    k: number,
    q: number,
    pA: number,
    lda: number,
    pTau: number,
    pQ: number,
    ldq: number,
  ): void;
  unpackV(m: number, k: number, pA: number, lda: number, pV: number, ldv: number): void;
  larft(k: number, pG: number, pTau: number, pT: number): void;
}

/** kernels/triangular.wat: back substitution and the inverse of an upper triangular matrix. */
export interface TriangularKernels {
  trsv(n: number, pR: number, ldr: number, pX: number): void;
  trtri(n: number, pR: number, ldr: number, pInv: number, ldi: number): void;
}

/** Bytes of slack after every array: gemm's edge tiles read up to three rows past a column. */
const SLACK = 64;
/** The kernels compare addresses as signed 32-bit integers: the memory stays below 2 GiB. */
const MAX_PAGES = 32768;
const PAGE = 65536;

function kernelModule(name: string): WebAssembly.Module {
  const file = path.join(__dirname, "kernels", `${name}.wasm`);
  if (!fs.existsSync(file))
    fail(
      "linalg workspace",
      "kernel",
      file,
      "is missing: build it with `npm run build` (tsc, then scripts/build-wasm)",
    );
  return new WebAssembly.Module(fs.readFileSync(file));
}

/** The kernels and the memory they share. */
export class Workspace {
  readonly products: ProductKernels;
  readonly householder: HouseholderKernels;
  readonly triangular: TriangularKernels;
  private readonly memory: WebAssembly.Memory;
  private view: Float64Array;
  /** First free byte. */
  private top = 0;

  constructor() {
    this.memory = new WebAssembly.Memory({ initial: 16, maximum: MAX_PAGES });
    const env = { memory: this.memory };
    const instance = (name: string, imports: object) =>
      new WebAssembly.Instance(kernelModule(name), imports).exports;
    const vector = instance("vector", { env });
    this.products = instance("gemm", { env }) as unknown as ProductKernels;
    this.householder = instance("householder", {
      env,
      vector,
    }) as unknown as HouseholderKernels;
    this.triangular = instance("triangular", { env, vector }) as unknown as TriangularKernels;
    this.view = new Float64Array(this.memory.buffer);
  }

  /** The whole memory as float64 (entry i at byte 8i); take it again after alloc, which may grow it. */
  get f64(): Float64Array {
    if (this.view.buffer !== this.memory.buffer) this.view = new Float64Array(this.memory.buffer);
    return this.view;
  }

  /** Byte address of a new array of `length` float64 entries (16-byte aligned, zeros not promised). */
  alloc(length: number): number {
    const at = this.top;
    const end = at + Math.ceil((length * 8 + SLACK) / 16) * 16;
    const pages = Math.ceil(end / PAGE);
    const have = this.memory.buffer.byteLength / PAGE;
    if (pages > have) {
      if (pages > MAX_PAGES)
        fail(
          "linalg workspace",
          "bytes",
          end,
          `exceed the ${(MAX_PAGES * PAGE) / 2 ** 30} GiB the kernels address (matrices too large)`,
        );
      this.memory.grow(Math.min(MAX_PAGES, Math.max(pages, 2 * have)) - have);
    }
    this.top = end;
    return at;
  }

  /**
   * Refuses, naming fn, param and value, work whose arrays (about `entries` float64 entries) would
   * not fit the memory the kernels address: checked before any work.
   */
  requireRoom(fn: string, param: string, value: unknown, entries: number): void {
    const bytes = this.top + entries * 8;
    if (bytes > MAX_PAGES * PAGE)
      fail(
        fn,
        param,
        value,
        `needs about ${(bytes / 2 ** 30).toFixed(1)} GiB of working memory, more than the ${(MAX_PAGES * PAGE) / 2 ** 30} GiB the WebAssembly kernels address`,
      );
  }

  /** The stack position, to hand back to release(). */
  mark(): number {
    return this.top;
  }

  /** Frees every array taken since mark(). */
  release(mark: number): void {
    this.top = mark;
  }

  /** Runs fn with the arrays it takes released afterwards (also when it throws). */
  frame<T>(fn: () => T): T {
    const mark = this.top;
    try {
      return fn();
    } finally {
      this.top = mark;
    }
  }
}

let shared: Workspace | null = null;

/** The process's workspace (created on first use). */
export function workspace(): Workspace {
  if (!shared) shared = new Workspace();
  return shared;
}

/**
 * Leading dimension for an m-row column-major array: even (16-byte aligned columns) and never a
 * multiple of 64 entries, whose 512-byte strides make the columns of a tile collide in the caches.
 */
export function leadingDimension(m: number): number {
  const ld = m + (m % 2);
  return ld % 64 === 0 ? ld + 2 : ld;
}
