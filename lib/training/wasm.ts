/**
 * The WebAssembly kernels' memory: one linear memory per trainer, with named typed arrays laid out
 * in it (16-byte aligned, so every array can be read as 128-bit SIMD vectors), and the kernels
 * (kernels/*.wat, assembled to .wasm by scripts/build-wasm.ts) instantiated on that memory. Several
 * kernel files can share one arena: the Adam kernel works on the trainer's own parameter arrays.
 */
import * as fs from "fs";
import * as path from "path";
import { fail } from "../check";

/** The element type of an arena array (float32, float64, int32). */
export type ArrayKind = "f32" | "f64" | "i32";
type View<K extends ArrayKind> = K extends "f64"
  ? Float64Array
  : K extends "f32"
    ? Float32Array
    : Int32Array;
/** An arena's arrays: name → [element type, length]. */
export type ArenaSpec = Record<string, readonly [ArrayKind, number]>;

const modules = new Map<string, WebAssembly.Module>();

/** The compiled kernel file kernels/<name>.wasm beside this module (compiled once per process). */
function kernelModule(name: string): WebAssembly.Module {
  let mod = modules.get(name);
  if (!mod) {
    const file = path.join(__dirname, "kernels", `${name}.wasm`);
    if (!fs.existsSync(file))
      fail(
        "kernelModule",
        "kernel",
        file,
        "is missing: build it with `npm run build` (tsc, then scripts/build-wasm)",
      );
    mod = new WebAssembly.Module(fs.readFileSync(file));
    modules.set(name, mod);
  }
  return mod;
}

/** Named arrays in one WebAssembly memory, and the kernels that work on them. */
export class Arena<S extends ArenaSpec> {
  /** Byte offset of every array (what the kernels take as pointers). */
  readonly at: { [K in keyof S]: number };
  /** Typed views of every array. */
  readonly v: { [K in keyof S]: View<S[K][0]> };
  /** Total bytes laid out. */
  readonly bytes: number;
  private readonly memory: WebAssembly.Memory;

  constructor(spec: S) {
    const at = {} as Record<string, number>;
    let bytes = 0;
    for (const [name, [kind, length]] of Object.entries(spec)) {
      if (!(Number.isInteger(length) && length >= 0))
        fail("Arena", `spec.${name}`, length, "must be a non-negative integer length");
      at[name] = bytes;
      bytes += Math.ceil((length * (kind === "f64" ? 8 : 4)) / 16) * 16;
    }
    if (bytes > 2 ** 32 - 65536)
      fail("Arena", "spec", `${bytes} bytes`, "exceeds WebAssembly's 4 GiB memory");
    this.bytes = bytes;
    this.memory = new WebAssembly.Memory({ initial: Math.max(1, Math.ceil(bytes / 65536)) });
    const v = {} as Record<string, Float64Array | Float32Array | Int32Array>;
    for (const [name, [kind, length]] of Object.entries(spec)) {
      const T = kind === "f64" ? Float64Array : kind === "f32" ? Float32Array : Int32Array;
      v[name] = new T(this.memory.buffer, at[name], length);
    }
    this.at = at as { [K in keyof S]: number };
    this.v = v as { [K in keyof S]: View<S[K][0]> };
  }

  /** The exports of kernels/<name>.wasm instantiated on this arena's memory. */
  kernels<E>(name: string): E {
    const instance = new WebAssembly.Instance(kernelModule(name), {
      env: { memory: this.memory },
    });
    return instance.exports as unknown as E;
  }
}
