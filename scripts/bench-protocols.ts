/**
 * Section 6's protocols in `npm run bench`: one 20-epoch run of each network at every batch size of
 * the grid (d = 12, width 3000), and, with `--protocols`, the wall time of notebooks 07 and 09's
 * computations at paper scale from scratch (a temporary cache) on both cores.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../lib/data";
import * as experiments from "../lib/experiments";
import * as random from "../lib/random";
import * as training from "../lib/training";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function benchProtocols(argv: string[]): Promise<void> {
  const backend = (await training.chooseBackend()).name;
  const paper = data.section6();
  const t12 = experiments.tables12Defaults.paper;
  const t3: experiments.Table3Config = {
    ...experiments.table3Defaults.paper,
    alphas: paper.table3.alpha,
  };
  const seed = { seed: 4242, stream: "check" as const, cell: [], run: 0 };
  for (const b of t12.batchSizes) {
    const t0 = process.hrtime.bigint();
    await experiments.linearRun(experiments.tables12RunConfig(t12, b, backend), seed);
    const lin = seconds(t0);
    const t1 = process.hrtime.bigint();
    await experiments.reluRun(
      experiments.table3RunConfig(t3, { batchSize: b, scaleFactor: 5 }, { attack: false, backend }),
      seed,
    );
    const relu = seconds(t1);
    console.log(
      `${`one 20-epoch run, batch ${b}: linear 12→3000→2 / ReLU 12→3000→2`.padEnd(58)} ${lin.toFixed(2)} s / ${relu.toFixed(2)} s`,
    );
  }
  if (!argv.includes("--protocols")) return;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-protocols-"));
  try {
    const o = { seed: 4242, backend, cacheDir: dir };
    const t0 = process.hrtime.bigint();
    const sel = await experiments.tables12Grid(
      t12,
      paper.table2,
      () => t12.selectionRuns,
      random.rng(1),
      { ...o, stream: "selection" },
    );
    const design = experiments.tables12Design(t12, sel);
    await experiments.tables12Grid(t12, paper.table2, (b) => design.runs[b], random.rng(2), {
      ...o,
      stream: "evaluation",
    });
    console.log(
      `${"Tables 1–2: selection and evaluation grids, from scratch".padEnd(58)} ${seconds(t0).toFixed(1)} s wall`,
    );
    const t1 = process.hrtime.bigint();
    const screening = await experiments.table3Screen(t3, paper.table3, random.rng(3), {
      ...o,
      stream: "selection",
    });
    const d3 = experiments.table3Design(t3, screening);
    for (const s of d3.evaluate) {
      await experiments.table3Series(
        t3,
        paper.table3,
        s,
        { runs: t3.maxRuns, networks: t3.networks, attack: true },
        random.rng(4),
        { ...o, stream: "evaluation" },
      );
    }
    console.log(
      `${"Table 3: screening and evaluation, from scratch".padEnd(58)} ${seconds(t1).toFixed(1)} s wall`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
