/**
 * `npm run bench -- linalg` (issue 23): our QR (thin, R only), many small QRs and the product
 * against numpy's LAPACK/BLAS on one thread (OPENBLAS_NUM_THREADS=1). Each numpy timing runs
 * right after ours of the same operation (scripts/numpy-timings.py, a fresh Python each time), so
 * both see the same load on a shared machine. Medians of repeated runs: wall seconds, and CPU
 * seconds (this process's, Python's), which a busy machine inflates less than wall time.
 */
import { spawnSync } from "child_process";
import * as os from "os";
import * as path from "path";
import * as linalg from "../lib/linalg";
import * as optimal from "../lib/optimal";
import * as random from "../lib/random";
import * as rmt from "../lib/rmt";

const ROOT = path.resolve(__dirname, "..", "..");
const NUMPY_SCRIPT = path.join(ROOT, "scripts", "numpy-timings.py");
/** Where to look for a Python with numpy (Debian's python3-numpy is /usr/bin/python3's). */
const PYTHONS = [process.env.FRAGILITY_NUMPY_PYTHON, "/usr/bin/python3", "python3"].filter(
  (p): p is string => typeof p === "string" && p.length > 0,
);
const ONE_THREAD = {
  ...process.env,
  OPENBLAS_NUM_THREADS: "1",
  OMP_NUM_THREADS: "1",
  MKL_NUM_THREADS: "1",
};

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

/** Wall and CPU seconds (medians of `repeats` calls after one warm-up call). */
interface Timing {
  wall: number;
  cpu: number;
}

function ours(repeats: number, fn: () => void): Timing {
  fn();
  const wall: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < repeats; i++) {
    const c0 = process.cpuUsage();
    const t0 = process.hrtime.bigint();
    fn();
    wall.push(Number(process.hrtime.bigint() - t0) / 1e9);
    const c = process.cpuUsage(c0);
    cpu.push((c.user + c.system) / 1e6);
  }
  return { wall: median(wall), cpu: median(cpu) };
}

/** The first interpreter that imports numpy, with numpy's version; null when there is none. */
function findNumpy(): { python: string; version: string } | null {
  for (const python of PYTHONS) {
    const r = spawnSync(python, ["-c", "import numpy; print(numpy.__version__)"], {
      encoding: "utf8",
      env: ONE_THREAD,
    });
    if (r.status === 0) return { python, version: r.stdout.trim() };
  }
  return null;
}

/** numpy's timing of one operation (scripts/numpy-timings.py), or null if it failed. */
function numpyTime(python: string, op: string, n: number, repeats: number): Timing | null {
  const r = spawnSync(python, [NUMPY_SCRIPT, op, String(n), String(repeats)], {
    encoding: "utf8",
    env: ONE_THREAD,
  });
  const [wall, cpu] = r.stdout.trim().split(/\s+/).map(Number);
  return r.status === 0 && Number.isFinite(wall) && Number.isFinite(cpu) ? { wall, cpu } : null;
}

const load = () =>
  os
    .loadavg()
    .map((x) => x.toFixed(2))
    .join(", ");

export function benchLinalg(): void {
  const numpy = findNumpy();
  console.log(
    numpy
      ? `\nLinear algebra against numpy ${numpy.version} (${numpy.python}, OPENBLAS_NUM_THREADS=1); medians, seconds`
      : `\nLinear algebra; numpy is absent (no Python with numpy among ${PYTHONS.join(", ")}): our times only`,
  );
  console.log(`load average before: ${load()}`);
  const cols = ["ours", "numpy", "ratio", "ours CPU", "numpy CPU", "ratio"];
  console.log(`${"operation".padEnd(50)} ${cols.map((c) => c.padStart(9)).join(" ")}`);
  const row = (label: string, t: Timing, op: string, n: number, repeats: number) => {
    const np = numpy ? numpyTime(numpy.python, op, n, repeats) : null;
    const cells = (a: number, b: number | undefined) => [
      a.toFixed(4),
      b === undefined ? (numpy ? "failed" : "absent") : b.toFixed(4),
      b === undefined ? "—" : `${(a / b).toFixed(2)}×`,
    ];
    const all = [...cells(t.wall, np?.wall), ...cells(t.cpu, np?.cpu)];
    console.log(`${label.padEnd(50)} ${all.map((c) => c.padStart(9)).join(" ")}`);
  };
  const rng = random.rng(1);
  for (const n of [256, 512, 1024]) {
    const A = random.gaussianMatrix(rng, n, n);
    const repeats = n <= 512 ? 7 : 5;
    row(
      `QR, thin Q and R, ${n}×${n}`,
      ours(repeats, () => linalg.qr(A)),
      "qr",
      n,
      repeats,
    );
    row(
      `QR, R only, ${n}×${n}`,
      ours(repeats, () => linalg.qrR(A)),
      "qr-r",
      n,
      repeats,
    );
  }
  const small = Array.from({ length: 1000 }, () => random.gaussianMatrix(rng, 16, 16));
  const loop = ours(7, () => small.forEach((A) => linalg.qr(A)));
  row("1000 QRs of 16×16, a loop of qr()", loop, "qr-loop", 1000, 7);
  row(
    "1000 QRs of 16×16, qrBatch()",
    ours(7, () => linalg.qrBatch(small)),
    "qr-loop",
    1000,
    7,
  );
  row("1000 QRs of 16×16, qr() loop; numpy: one call", loop, "qr-stacked", 1000, 7);
  for (const n of [256, 1024]) {
    const A = random.gaussianMatrix(rng, n, n);
    const B = random.gaussianMatrix(rng, n, n);
    const repeats = n <= 512 ? 7 : 3;
    row(
      `product A·B, ${n}×${n}`,
      ours(repeats, () => linalg.multiply(A, B)),
      "matmul",
      n,
      repeats,
    );
  }
  console.log(`load average after: ${load()}`);

  const r = random.rng(2);
  const bartlett = ours(3, () => {
    for (let k = 0; k < 1000; k++) rmt.bartlettFactor(r, 256, 256);
  }).wall;
  console.log(
    `\n${"1000 Bartlett R factors of size 256 (direct sampler)".padEnd(58)} median ${bartlett.toFixed(4)} s`,
  );
  const r3 = random.rng(3);
  const ts: number[] = [];
  for (let k = 0; k < 21; k++) {
    const A = random.gaussianMatrix(r3, 40, 40);
    const t0 = process.hrtime.bigint();
    optimal.latticeMinimumSphere(A);
    ts.push(Number(process.hrtime.bigint() - t0) / 1e9);
  }
  console.log(
    `${"sphere decoder, one instance at d = 40 (A Gaussian)".padEnd(58)} median ${median(ts).toFixed(4)} s over 21 (max ${Math.max(...ts).toFixed(3)} s)`,
  );
}
