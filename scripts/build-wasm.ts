/**
 * Assembles the WebAssembly kernels (lib/**\/kernels/*.wat) into dist/ beside the compiled library,
 * with wabt (an npm devDependency; no download at build time). Run by `npm run build` and setup.sh
 * after tsc. Exits 1, naming the file, if a kernel does not assemble or validate. The kernels use
 * 128-bit SIMD and bulk memory, and import their memory (env.memory) so that one trainer's kernel
 * files share it (lib/training/wasm.ts).
 */
import * as fs from "fs";
import * as path from "path";
import wabtInit from "wabt";

const root = path.resolve(__dirname, "..", "..");

function kernels(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return kernels(p);
    return e.name.endsWith(".wat") && path.basename(dir) === "kernels" ? [p] : [];
  });
}

async function main(): Promise<void> {
  const wabt = await wabtInit();
  for (const src of kernels(path.join(root, "lib"))) {
    const rel = path.relative(root, src);
    const out = path.join(root, "dist", rel.replace(/\.wat$/, ".wasm"));
    try {
      const mod = wabt.parseWat(rel, fs.readFileSync(src, "utf8"), {
        simd: true,
        bulk_memory: true,
      });
      mod.validate();
      const { buffer } = mod.toBinary({});
      mod.destroy();
      if (!WebAssembly.validate(buffer))
        throw new Error("this Node.js does not accept the module (WebAssembly SIMD needed)");
      fs.mkdirSync(path.dirname(out), { recursive: true });
      fs.writeFileSync(out, buffer);
      console.log(`build-wasm: ${rel} → ${path.relative(root, out)} (${buffer.length} bytes)`);
    } catch (e) {
      console.error(`build-wasm: ${rel} failed: ${e instanceof Error ? e.message : String(e)}`);
      process.exit(1);
    }
  }
}

if (process.argv.length > 2) {
  const help = ["--help", "-h"].includes(process.argv[2]);
  if (!help) console.error(`build-wasm: unexpected argument ${JSON.stringify(process.argv[2])}`);
  (help ? console.log : console.error)(
    "usage: node dist/scripts/build-wasm.js\n  assembles lib/**/kernels/*.wat into dist/ (run by npm run build)",
  );
  process.exit(help ? 0 : 2);
} else void main();
