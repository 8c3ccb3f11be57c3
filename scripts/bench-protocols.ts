/**
 * Section 6's protocols in `npm run bench -- protocols`: the wall time of notebooks 07, 09 and 10's
 * training at paper scale from scratch (a temporary cache) on every core.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../lib/data";
import * as experiments from "../lib/experiments";
import * as training from "../lib/training";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

export async function benchProtocols(): Promise<void> {
  const backend = (await training.chooseBackend()).name;
  const paper = data.section6();
  const t12 = experiments.tables12Defaults.paper;
  const t3: experiments.Table3Config = experiments.table3Config(
    experiments.table3Defaults.paper,
    paper.table3.alpha,
    "main",
  );
  const sc: experiments.ScalingConfig = {
    ...experiments.scalingDefaults.paper,
    alphas: paper.table3.alpha,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-protocols-"));
  try {
    const o = { seed: 4242, backend, cacheDir: dir };
    const t0 = process.hrtime.bigint();
    const sel = await experiments.tables12Grid(t12, paper.table2, () => t12.selectionRuns, {
      ...o,
      stream: "selection",
    });
    const design = experiments.tables12Design(t12, sel);
    await experiments.tables12Grid(t12, paper.table2, (b) => design.runs[b], {
      ...o,
      stream: "evaluation",
    });
    console.log(
      `${"notebook 07: selection and evaluation grids, from scratch".padEnd(58)} ${seconds(t0).toFixed(1)} s wall`,
    );
    const t1 = process.hrtime.bigint();
    const screening = await experiments.table3Screen(t3, paper.table3, {
      ...o,
      stream: "selection",
    });
    const d3 = experiments.table3Design(t3, screening);
    await experiments.table3Evaluate(t3, paper.table3, d3, {
      ...o,
      stream: "evaluation",
    });
    console.log(
      `${"notebook 09: screening and evaluation, from scratch".padEnd(58)} ${seconds(t1).toFixed(1)} s wall`,
    );
    const t2 = process.hrtime.bigint();
    await experiments.scalingGrid(sc, { ...o, stream: "selection" });
    await experiments.scalingGrid(sc, { ...o, stream: "scaling" });
    console.log(
      `${"notebook 10: selection and evaluation grids, from scratch".padEnd(58)} ${seconds(t2).toFixed(1)} s wall`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
