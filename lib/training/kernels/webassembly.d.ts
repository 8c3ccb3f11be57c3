// The few WebAssembly globals Node.js provides that this project uses (tsconfig has no DOM lib,
// which is where TypeScript declares them). Internal: no exported type mentions them, so the
// emitted .d.ts files that notebooks read do not depend on this file.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports?: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    constructor(descriptor: { initial: number; maximum?: number });
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
  function validate(bytes: Uint8Array): boolean;
}
