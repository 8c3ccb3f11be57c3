/**
 * Section 6's protocols in `npm run bench -- protocols`: the wall time of notebooks 07, 09 and 10's
 * training at paper scale from scratch (a temporary cache), study by study, so that the main job's
 * budget can be read off (the issue on section 6's verdicts: what each study costs), on every core.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../lib/data";
import * as experiments from "../lib/experiments";
import * as training from "../lib/training";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function timed<T>(label: string, fn: () => Promise<T>): Promise<T> {
  const t0 = process.hrtime.bigint();
  const c0 = process.cpuUsage();
  const value = await fn();
  const cpu = process.cpuUsage(c0);
  console.log(
    `${label.padEnd(62)} ${seconds(t0).toFixed(1)} s wall (this thread ${((cpu.user + cpu.system) / 1e6).toFixed(1)} s CPU)`,
  );
  return value;
}

export async function benchProtocols(): Promise<void> {
  const backend = (await training.chooseBackend()).name;
  const paper = data.section6();
  const margins = data.margins().section6;
  const t12 = experiments.tables12Defaults.paper;
  const t3 = experiments.table3Config(experiments.table3Defaults.paper, paper.table3.alpha);
  const sc: experiments.ScalingConfig = {
    ...experiments.scalingDefaults.paper,
    alphas: paper.table3.alpha,
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bench-protocols-"));
  try {
    const o = { seed: 4242, backend, cacheDir: dir };
    const total = process.hrtime.bigint();
    await timed(`07: ${t12.batchSizes.length} batch sizes × ${t12.runs} paired runs`, () =>
      experiments.tables12Grid(t12, o),
    );
    const cells = await timed(
      `09: Table 3 grid (${t3.batchSizes.length * t3.scaleFactors.length} settings, ${t3.networks} accurate each)`,
      () => experiments.table3Grid(t3, o),
    );
    const setting = experiments.studySetting(cells, paper.table3, t3.networks);
    await timed(`09: the attack study (${t3.attack.networks} accurate networks, attacked)`, () =>
      experiments.table3Series(
        t3,
        setting,
        { stream: "study", runs: t3.attack.maxRuns, networks: t3.attack.networks, attack: true },
        o,
      ),
    );
    await timed(
      `09: depth (${t3.depth.arms.map((a) => `${a.width}×${a.depth}`).join(", ")}; ${t3.depth.runs} data sets)`,
      () => experiments.table3Depth(t3, setting, margins, o),
    );
    await timed("10: the grid in d (both carry-overs)", () => experiments.scalingGrid(sc, o));
    console.log(
      `${"07, 09 and 10's training in all".padEnd(62)} ${seconds(total).toFixed(1)} s wall`,
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
