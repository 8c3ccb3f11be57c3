/**
 * npm run bench: prints the timings the issues set targets for (median of repeated runs, seconds).
 * Timings are printed, never asserted: tests check properties, this script measures.
 */
import * as random from "../lib/random";
import * as linalg from "../lib/linalg";
import * as rmt from "../lib/rmt";
import * as optimal from "../lib/optimal";
import * as experiments from "../lib/experiments";
import * as training from "../lib/training";
import * as data from "../lib/data";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";

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

/** Section 6 (Tables 1–2): one 20-epoch run at the default batch size, and the 50-run protocol on both cores. */
async function benchTraining(): Promise<void> {
  const backend = await training.chooseBackend();
  const c = experiments.tables12Defaults.paper;
  const t0 = process.hrtime.bigint();
  await experiments.tables12Run(c, 4242, 0);
  const one = Number(process.hrtime.bigint() - t0) / 1e9;
  console.log(
    `${`linear network, one 20-epoch run (d = 12, 3000 hidden, batch ${c.batchSize}, ${backend.name})`.padEnd(58)} ${one.toFixed(3)} s`,
  );
  const t1 = process.hrtime.bigint();
  await experiments.tables12Runs(
    c,
    4242,
    Array.from({ length: c.runs }, (_, i) => i),
    backend.name,
  );
  console.log(
    `${`linear network, the ${c.runs}-run protocol on ${c.workers} worker threads`.padEnd(58)} ${(Number(process.hrtime.bigint() - t1) / 1e9).toFixed(2)} s wall`,
  );
}
/**
 * Section 6 (Table 3): seconds per 20-epoch run of the width-3000 ReLU network (the exact hypercube
 * trainer at several batch sizes, and tfjs for comparison), and the wall time of the whole Table 3
 * protocol (train until 50 are accurate, with ρ and the attacks) from scratch on both cores: no
 * cache (a temporary cache directory, forced).
 */
async function benchTable3(): Promise<void> {
  const backend = await training.chooseBackend();
  const c = experiments.table3Defaults.paper;
  const runOnce = async (s: experiments.Table3Setting) => {
    const t0 = process.hrtime.bigint();
    const r = await experiments.table3Train(s, c, 4242, 0);
    return { seconds: Number(process.hrtime.bigint() - t0) / 1e9, accuracy: r.accuracy };
  };
  for (const batchSize of [c.setting.batchSize, 2048, 64]) {
    const { seconds } = await runOnce({ ...c.setting, batchSize });
    console.log(
      `${`ReLU 12→3000→2, one 20-epoch run, batch ${batchSize} (hypercube trainer)`.padEnd(58)} ${seconds.toFixed(3)} s`,
    );
  }
  {
    const A = experiments.table3Matrix(c.setting, 4242, 0);
    const init = training.mlpInit(random.rng([4242, 0, 1]), [12, 3000, 2]);
    const t0 = process.hrtime.bigint();
    await training.trainMlp(
      init,
      data.hypercubeRows(A),
      { epochs: c.epochs, batchSize: c.setting.batchSize, ...training.PYTORCH_ADAM },
      random.rng([4242, 0, 2]),
    );
    console.log(
      `${`the same run with tfjs autodiff (${backend.name}), for comparison`.padEnd(58)} ${(Number(process.hrtime.bigint() - t0) / 1e9).toFixed(3)} s`,
    );
  }
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-table3-"));
  try {
    for (const s of [c.setting, { ...c.setting, scaleFactor: 1, batchSize: 2048 }]) {
      const t1 = process.hrtime.bigint();
      const res = await experiments.table3Series(
        c,
        4242,
        { setting: s, want: c.accurate, runs: c.maxRuns, attack: true },
        backend.name,
        { force: true, cacheDir: dir },
      );
      const label = `Table 3 protocol, ×${s.scaleFactor}, batch ${s.batchSize}: ${res.accurate.length} accurate in ${res.runsNeeded} runs`;
      console.log(
        `${label.padEnd(58)} ${(Number(process.hrtime.bigint() - t1) / 1e9).toFixed(1)} s wall (${c.workers} workers)`,
      );
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void benchTraining().then(benchTable3);
