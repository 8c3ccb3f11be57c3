/**
 * npm run bench: prints the timings the issues set targets for (median of repeated runs, seconds).
 * Timings are printed, never asserted: tests check properties, this script measures.
 */
import * as random from "../lib/random";
import * as linalg from "../lib/linalg";
import * as rmt from "../lib/rmt";
import * as optimal from "../lib/optimal";

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function time(label: string, repeats: number, fn: () => void): void {
  fn(); // warm-up
  const ts: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const t0 = process.hrtime.bigint();
    fn();
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(`${label.padEnd(58)} median ${median(ts).toFixed(4)} s over ${repeats}`);
}

console.log(`node ${process.version}, ${process.arch}`);
const rng = random.rng(1);
for (const n of [256, 512, 1024]) {
  const A = random.gaussianMatrix(rng, n, n);
  time(`QR with non-negative diagonal, ${n}×${n} (thin)`, n <= 512 ? 5 : 3, () => linalg.qr(A));
}

{
  const r = random.rng(2);
  time("1000 Bartlett R factors of size 256 (direct sampler)", 3, () => {
    for (let k = 0; k < 1000; k++) rmt.bartlettFactor(r, 256, 256);
  });
  const G = random.gaussianMatrix(r, 256, 256);
  time("one R factor of size 256 by QR (for comparison)", 5, () => linalg.qrR(G));
}

{
  const r = random.rng(3);
  const ts: number[] = [];
  for (let k = 0; k < 21; k++) {
    const A = random.gaussianMatrix(r, 40, 40);
    const t0 = process.hrtime.bigint();
    optimal.latticeMinimumSphere(A);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(
    `${"sphere decoder, one instance at d = 40 (A Gaussian)".padEnd(58)} median ${median(ts).toFixed(4)} s over 21 (max ${Math.max(...ts).toFixed(3)} s)`,
  );
}

void import("./bench-protocols").then((m) => m.benchProtocols(process.argv.slice(2)));
