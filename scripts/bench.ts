/**
 * npm run bench: prints the timings the issues set targets for (median of repeated runs, seconds).
 * Timings are printed, never asserted: tests check properties, this script measures.
 *
 *   npm run bench                      every section
 *   npm run bench -- training          only the named sections (linalg, training, workers, scaling, protocols)
 *
 * Times are wall clock, with this thread's CPU time in parentheses where the machine is shared
 * (CPU time is what a run costs a core; wall time is what it costs when the core is free).
 */
import * as random from "../lib/random";
import * as training from "../lib/training";
import * as data from "../lib/data";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as experiments from "../lib/experiments";
import { benchLinalg } from "./bench-linalg";
import { benchProtocols } from "./bench-protocols";
import { parseCommandLine, requireFreshBuild, runCli, UsageError } from "./cli";

const SECTIONS = ["linalg", "training", "workers", "scaling", "protocols"] as const;
const USAGE = `usage: npm run bench -- [section...]
  prints timings (never asserted); sections (default: all):
  linalg     QR, products and triangular solves against numpy, Bartlett factors, the sphere decoder
  training   section 6's trainers, one run at every batch size of the grid
  workers    section 6's training at 1 worker thread and at every core, and the ratio
  scaling    one run at d = 12, 16 and 18
  protocols  notebooks 07, 09 and 10's training at paper scale from scratch (minutes)
  --help     this text`;
let wanted: string[] = [];
const run = (s: (typeof SECTIONS)[number]) => wanted.length === 0 || wanted.includes(s);

/** Wall and CPU seconds of one call. */
async function clock<T>(
  fn: () => T | Promise<T>,
): Promise<{ wall: number; cpu: number; value: T }> {
  const c0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  const value = await fn();
  const wall = Number(process.hrtime.bigint() - t0) / 1e9;
  const cpu = process.cpuUsage(c0);
  return { wall, cpu: (cpu.user + cpu.system) / 1e6, value };
}
const secs = (t: { wall: number; cpu: number }) => `${t.wall.toFixed(3)} (${t.cpu.toFixed(3)})`;

const GRID = [16, 32, 64, 128, 256, 512, 1024, 2048, 4096];
const WIDTH = 3000;
const EPOCHS = 20;

/** Section 6's data at dimension d (A Gaussian, leading columns ×5), the bench's seed. */
function section6(d: number) {
  const A = data.scaleLeadingColumns(random.gaussianMatrix(random.rng([4242, d, 0]), d, d), 5);
  return { A, rows: data.hypercubeRows(A) };
}

/** One 20-epoch run of each WebAssembly trainer at d, width 3000, batch B: seconds. */
async function oneRun(d: number, B: number, net: training.HypercubeRelu, rows: data.TrainingRows) {
  const c = { epochs: EPOCHS, batchSize: B, ...training.PYTORCH_ADAM };
  const initL = training.pytorchInit(random.rng([4242, d, 1]), d, WIDTH);
  const linear = await clock(() =>
    training.trainLinearNetFast(initL, rows, c, random.rng([4242, d, 2])),
  );
  const initR = training.mlpInit(random.rng([4242, d, 1]), [d, WIDTH, 2]);
  const relu = await clock(() => net.train(initR, c, random.rng([4242, d, 2])));
  return { linear, relu };
}

/**
 * Section 6's trainers (issue 11 §6): one run of each network at every batch size of the grid, the
 * tfjs trainers for comparison, and where a step's time goes at batch 16, 256 and 4096.
 */
async function benchTraining(): Promise<void> {
  const backend = await training.chooseBackend();
  const d = 12;
  const { A, rows } = section6(d);
  const net = new training.HypercubeRelu(A, WIDTH);
  console.log(
    `\nSection 6's trainers: one ${EPOCHS}-epoch run, d = ${d}, width ${WIDTH}; seconds wall (CPU)\n` +
      `  ${training.LINEAR_NET_FAST_TRAINER}; ${training.HYPERCUBE_RELU_TRAINER}`,
  );
  console.log(`${"batch".padStart(6)} ${"steps".padStart(6)}  ${"linear".padEnd(18)}  ReLU (path)`);
  const sum = { linear: 0, relu: 0 };
  for (const B of GRID) {
    const { linear, relu } = await oneRun(d, B, net, rows);
    sum.linear += linear.wall;
    sum.relu += relu.wall;
    console.log(
      `${String(B).padStart(6)} ${String(training.stepsPerRun(rows.y.length, { epochs: EPOCHS, batchSize: B })).padStart(6)}  ${secs(linear).padEnd(18)}  ${secs(relu)} (${training.hypercubePath(d, B)})`,
    );
  }
  console.log(
    `${"one run at every batch size".padEnd(14)}  linear ${sum.linear.toFixed(2)} s, ReLU ${sum.relu.toFixed(2)} s (wall)`,
  );
  console.log(`\nThe tfjs trainers (${backend.name}) on the same runs, for comparison:`);
  for (const B of [16, 256, 4096]) {
    const c = {
      hidden: WIDTH,
      epochs: EPOCHS,
      batchSize: B,
      ...training.PYTORCH_ADAM,
      formulation: "composed" as const,
    };
    const init = training.pytorchInit(random.rng([4242, d, 1]), d, WIDTH);
    const t = await clock(() => training.trainLinearNet(init, rows, c, random.rng([4242, d, 2])));
    console.log(`  linear, trainLinearNet (composed), batch ${B}: ${secs(t)} s`);
  }
  {
    const init = training.mlpInit(random.rng([4242, d, 1]), [d, WIDTH, 2]);
    const c = { epochs: EPOCHS, batchSize: 256, ...training.PYTORCH_ADAM };
    const t = await clock(() => training.trainMlp(init, rows, c, random.rng([4242, d, 2])));
    console.log(`  ReLU, trainMlp (autodiff), batch 256: ${secs(t)} s`);
  }
  await benchDeeper(backend.name, rows);
  console.log("\nWhere a step's time goes (µs per step, median over repeated steps, wall):");
  const perm = random.rng(7).permutation(rows.y.length);
  const kernel = new training.LinearNetKernel(rows, WIDTH);
  const pL = training.pytorchInit(random.rng(8), d, WIDTH);
  const pR = training.mlpInit(random.rng(8), [d, WIDTH, 2]);
  const show = (label: string, phases: Record<string, number>) => {
    const total = Object.values(phases).reduce((a, b) => a + b, 0);
    const parts = Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)}`);
    console.log(`  ${label}: ${total.toFixed(1)} = ${parts.join(" + ")}`);
  };
  for (const B of [16, 256, 4096]) {
    const idx = perm.subarray(0, B);
    const repeats = Math.max(10, Math.floor(20000 / B));
    kernel.profileStep(pL, idx, 3);
    show(`linear, batch ${B}`, kernel.profileStep(pL, idx, repeats));
    // The default path, and the others where they are close (why the default is the default).
    const paths: training.HypercubePath[] = [training.hypercubePath(d, B)];
    if (B === 16) paths.push("points");
    if (B === 256) paths.push("rows");
    if (B === 4096) paths.push("points");
    for (const how of paths) {
      net.profileStep(pR, idx, 2, how);
      show(`ReLU, batch ${B} (${how})`, net.profileStep(pR, idx, Math.ceil(repeats / 4), how));
    }
  }
}

/**
 * Section 6's deeper ReLU networks (Table 3's depth comparison) at d = 12: one run of each trainer,
 * tfjs autodiff (trainMlp) and the WebAssembly MLP trainer (trainMlpFast), from the same
 * initialisation and batches; the ratio is of CPU seconds (what a run costs a core).
 */
async function benchDeeper(backendName: string, rows: data.TrainingRows): Promise<void> {
  const d = rows.d;
  console.log(
    `\nDeeper ReLU networks: one ${EPOCHS}-epoch run, d = ${d}; seconds wall (CPU)\n` +
      `  tfjs ${backendName} (trainMlp) against ${training.MLP_FAST_TRAINER}`,
  );
  for (const widths of [
    [d, 128, 128, 2],
    [d, 128, 128, 128, 2],
  ]) {
    for (const B of [32, 256]) {
      const init = training.mlpInit(random.rng([4242, d, 1]), widths);
      const c = { epochs: EPOCHS, batchSize: B, ...training.PYTORCH_ADAM };
      const tfjs = await clock(() => training.trainMlp(init, rows, c, random.rng([4242, d, 2])));
      const fast = await clock(() =>
        training.trainMlpFast(init, rows, c, random.rng([4242, d, 2])),
      );
      console.log(
        `  [${widths.join(", ")}], batch ${B}: tfjs ${secs(tfjs)}, WebAssembly ${secs(fast)}; ` +
          `CPU ratio ${(tfjs.cpu / fast.cpu).toFixed(1)}`,
      );
    }
  }
  const widths = [d, 128, 128, 2];
  const p = training.mlpInit(random.rng(8), widths);
  const perm = random.rng(7).permutation(rows.y.length);
  for (const B of [32, 256]) {
    const kernel = new training.MlpKernel(rows, widths, B);
    const idx = perm.subarray(0, B);
    kernel.profileStep(p, idx, 5);
    const phases = kernel.profileStep(p, idx, Math.floor(20000 / B));
    const total = Object.values(phases).reduce((a, b) => a + b, 0);
    const parts = Object.entries(phases).map(([k, v]) => `${k} ${v.toFixed(1)}`);
    console.log(
      `  a step of [${widths.join(", ")}], batch ${B} (µs, median, wall): ${total.toFixed(1)} = ${parts.join(" + ")}`,
    );
  }
}

/**
 * Issue 15: one run of each network at d = 12, 16 and 18 (width 3000, 20 epochs), with the batch
 * carried to larger d two ways: the same number of Adam steps (batch 2^d/16, 256 at d = 12) or the
 * same batch (256, so 16 times the steps at d = 16 and 64 times at d = 18).
 */
async function benchScaling(): Promise<void> {
  console.log(
    `\nOne ${EPOCHS}-epoch run at larger d, width ${WIDTH}: seconds wall (CPU), ReLU path in brackets`,
  );
  for (const d of [12, 16, 18]) {
    const { A, rows } = section6(d);
    const net = new training.HypercubeRelu(A, WIDTH);
    for (const [protocol, B] of [
      ["same Adam steps (batch 2^d/16)", 2 ** d / 16],
      ["same batch", 256],
    ] as const) {
      if (d === 12 && protocol === "same batch") continue; // the same run
      const { linear, relu } = await oneRun(d, B, net, rows);
      const steps = training.stepsPerRun(2 ** d, { epochs: EPOCHS, batchSize: B });
      console.log(
        `  d = ${d}, ${protocol}: batch ${B}, ${steps} steps: linear ${secs(linear)}, ReLU ${secs(relu)} [${training.hypercubePath(d, B)}]`,
      );
    }
  }
}

/**
 * Issue 22 §3: section 6's training (the series runner, paper-sized linear networks: d = 12, width
 * 3000, 20 epochs, batch 256) at 1 worker thread and at every core, from scratch each time; the
 * ratio, and whether the runs were the same (they must be: no number depends on the workers).
 */
async function benchWorkers(): Promise<void> {
  const cores = experiments.resolveWorkers("bench", undefined, {});
  // Runs of a few seconds each, several per core: a worker's start-up (tfjs) is then a small part.
  const config = experiments.tables12RunConfig(experiments.tables12Defaults.paper, 64);
  const runs = Math.max(8, 4 * cores);
  console.log(
    `\nSection 6's training on worker threads: ${runs} runs of the linear network (d = ${config.d}, width ${config.hidden}, batch ${config.batchSize}), from scratch`,
  );
  const time = async (workers: number) => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-workers-"));
    try {
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      const s = await experiments.runSeries({
        protocol: "linear",
        config,
        seed: 4242,
        stream: "selection",
        cell: [256, 5000],
        runs,
        backend: "wasm",
        workers,
        cacheDir: dir,
        force: true,
      });
      const cpu = process.cpuUsage(c0);
      return {
        seconds: Number(process.hrtime.bigint() - t0) / 1e9,
        cpu: (cpu.user + cpu.system) / 1e6,
        runs: s.runs,
      };
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  };
  const one = await time(1);
  console.log(
    `  ${"1 worker".padEnd(24)} ${secs({ wall: one.seconds, cpu: one.cpu })} s wall (CPU)`,
  );
  const all = await time(cores);
  console.log(
    `  ${`${cores} workers (every core)`.padEnd(24)} ${secs({ wall: all.seconds, cpu: all.cpu })} s wall (CPU)`,
  );
  const same = JSON.stringify(one.runs) === JSON.stringify(all.runs);
  console.log(
    `  ratio 1 worker / every core: ${(one.seconds / all.seconds).toFixed(2)} (at most ${cores} on ${cores} free cores; a busy machine shows less); the same runs: ${same ? "yes" : "NO"}`,
  );
}

async function main(argv: string[]): Promise<number> {
  requireFreshBuild("bench");
  wanted = parseCommandLine("bench", USAGE, argv, {}, true).positionals;
  for (const w of wanted)
    if (!(SECTIONS as readonly string[]).includes(w))
      throw new UsageError(
        `bench: unknown section ${JSON.stringify(w)} (sections: ${SECTIONS.join(", ")})\n${USAGE}`,
      );
  console.log(`node ${process.version}, ${process.arch}, ${os.availableParallelism()} cores`);
  if (run("linalg")) benchLinalg();
  if (run("training")) await benchTraining();
  if (run("workers")) await benchWorkers();
  if (run("scaling")) await benchScaling();
  if (run("protocols")) await benchProtocols();
  return 0;
}

runCli(() => main(process.argv.slice(2)));
