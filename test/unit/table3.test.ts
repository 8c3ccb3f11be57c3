/** Table 3 and the sentences on ρ (lib/experiments/table3.ts, relu-run.ts, series.ts): series, cache, verdicts. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import * as data from "../../lib/data";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import { assertArgError } from "../helpers";

const section6 = data.section6();
const paper = section6.table3;
const margins = data.margins().section6;
const small: experiments.Table3Config = {
  ...experiments.table3Defaults.quick,
  alphas: paper.alpha,
  run: { ...experiments.table3Defaults.quick.run, d: 6, hidden: [32] },
  batchSizes: [16],
  scaleFactors: [1],
  networks: 4,
  maxRuns: 12,
  attack: { networks: 3, maxRuns: 12, points: 2, marginPoints: 1, restarts: 0 },
};

test("a series stops at the run completing the wanted accurate networks, the same from the cache, and caches each run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "table3-"));
  try {
    const o = { seed: 3, backend: "wasm", cacheDir: dir };
    const s = { batchSize: 16, scaleFactor: 1 };
    const plan = { stream: "evaluation" as const, runs: small.maxRuns, networks: 3, attack: true };
    const first = await experiments.table3Series(small, s, plan, o);
    assert.equal(first.accurate.length, 3, "three accurate networks");
    assert.equal(first.runs[first.runs.length - 1].valid, true, "ends at the run completing them");
    assert.ok(
      first.runs.every((r, i) => r.run === i),
      "runs in index order",
    );
    for (const r of first.accurate) {
      // Two points (the pair) and one smallest-margin point.
      assert.ok(r.attack && r.attack.points.length === 3, "accurate networks are attacked");
      assert.equal(r.attack!.points.filter((p) => p.kind === "margin").length, 1);
      for (const pt of r.attack!.points)
        assert.ok(pt.actual > 0 && Number.isFinite(pt.optimalRadius));
      assert.equal(r.rho.length, small.alphas.length);
      assert.ok(
        r.rho.every((v) => v >= 0 && v <= 1 + 1e-12),
        "ρ is a cosine",
      );
      assert.ok(experiments.isReluRun(r));
    }
    const second = await experiments.table3Series(small, s, plan, o);
    assert.ok(
      second.cache.every((c) => c === "hit"),
      "the second series comes from the cache",
    );
    assert.deepEqual(second.runs, first.runs, "and equals the first");
    // The same data set at another setting (paired arms), another at the next run.
    const other = await experiments.table3Series(
      small,
      { batchSize: 64, scaleFactor: 1 },
      { ...plan, networks: 1 },
      o,
    );
    assert.equal(other.runs[0].phi, first.runs[0].phi);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

/** An accurate network whose ρ is `level` at every α. */
function net(level: number, r: random.Rng, run = 0): experiments.ReluRun {
  const v = level + 0.1 * (r.uniform() - 0.5);
  return {
    run,
    accuracy: 1,
    valid: true,
    loss: 0,
    rho: paper.alpha.map(() => v),
    phi: 0.3,
    adNorm: 1,
  };
}

function cellOf(nets: experiments.ReluRun[], batchSize = 16): experiments.Table3Cell {
  return {
    batchSize,
    scaleFactor: 5,
    stream: "evaluation",
    runs: nets,
    accurate: nets,
    cache: [],
    rate: experiments.rate(nets.length, nets.length),
  };
}

test("Table 3 at a setting: near the paper's rows not contradicted; far from them contradicted", () => {
  const r = random.rng(8);
  const near = cellOf(Array.from({ length: 200 }, () => net(0.3285, r)));
  const far = cellOf(Array.from({ length: 60 }, () => net(0.5, r)));
  const v = experiments.table3Verdict(near, paper, margins, random.rng(1), 300);
  assert.notEqual(v.outcome, "contradicted");
  assert.equal(v.parts.length, 2, "the mean row and the median row");
  const w = experiments.table3Verdict(far, paper, margins, random.rng(2), 300);
  assert.equal(w.outcome, "contradicted");
  // Three networks: the mean row is not testable, and that is said.
  const few = experiments.table3Verdict(
    cellOf([net(0.3, r), net(0.3, r)]),
    paper,
    margins,
    random.rng(3),
    300,
  );
  assert.equal(few.outcome, "inconclusive");
  assert.match(few.untestable ?? "", /accurate networks/);
  const grid = experiments.table3GridVerdicts(
    [far, cellOf(near.accurate, 32)],
    paper,
    margins,
    random.rng(4),
    300,
  );
  assert.notEqual(grid.some.outcome, "contradicted", "one setting is still open");
});

test("the study setting is the grid's nearest to Table 3; depth pairs networks on the same data set", () => {
  const r = random.rng(5);
  const cells = [0.5, 0.34, 0.2].map((l, k) =>
    cellOf(
      Array.from({ length: 10 }, () => net(l, r)),
      16 << k,
    ),
  );
  assert.deepEqual(experiments.studySetting(cells, paper, 5), { batchSize: 32, scaleFactor: 5 });
  assertArgError(() => experiments.studySetting(cells, paper, 50), "studySetting", "cells");
  // Deeper networks with twice the one-layer ρ on the same data sets: contradicted.
  const one = Array.from({ length: 40 }, (_, i) => net(0.25, r, i));
  const two = one.map((x) => ({ ...x, rho: x.rho.map((v) => 2 * v) }));
  const d = experiments.depthVerdicts(
    [
      { width: 8, depth: 1, cell: cellOf(one) },
      { width: 8, depth: 2, cell: cellOf(two) },
    ],
    margins,
  );
  assert.equal(d.pairs[0].pairs, 40);
  assert.ok(Math.abs(d.pairs[0].verdict.estimate - 2) < 1e-9, "the ratio is paired, per data set");
  assert.equal(d.similar.outcome, "contradicted");
  const same = experiments.depthVerdicts(
    [
      { width: 8, depth: 1, cell: cellOf(one) },
      { width: 8, depth: 2, cell: cellOf(one.map((x) => ({ ...x }))) },
    ],
    margins,
  );
  assert.equal(same.similar.outcome, "reproduced");
});

test("Table 3's config is refused beyond what the machine can run", () => {
  assertArgError(
    () => experiments.validateTable3Config({ ...small, maxRuns: 1e6 }),
    "validateTable3Config",
    "maxRuns",
  );
  assertArgError(
    () =>
      experiments.validateTable3Config({
        ...small,
        depth: { ...small.depth, arms: [{ width: 8, depth: 2 }] },
      }),
    "depth.arms[0]",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...small, batchSizes: [] }),
    "batchSizes",
    "empty",
  );
});
