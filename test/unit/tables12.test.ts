/**
 * Tables 1–2's protocol (lib/experiments/tables12.ts, linear-run.ts, series.ts, consistency.ts):
 * runs, their streams and cache, the grid's consistency test and the evaluation design.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../../lib/data";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import * as training from "../../lib/training";
import { assertArgError } from "../helpers";

const paper = data.section6().table2;
const small: experiments.Tables12Config = {
  ...experiments.tables12Defaults.quick,
  run: { ...experiments.tables12Defaults.quick.run, d: 5, hidden: 16, epochs: 3 },
  batchSizes: [4, 32],
  selectionRuns: 4,
  evaluationRuns: { halfWidth: 0.3, min: 4, max: 6 },
  protocolRuns: 4,
  table1Count: 2,
  resamples: 200,
};

test("a run is the same in a worker thread and in this thread, and each stream has its own runs", async () => {
  await training.chooseBackend("wasm");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tables12-"));
  try {
    const config = experiments.tables12RunConfig(small, 8);
    const s = { seed: 9, stream: "selection" as const, cell: [8, 5000], run: 1 };
    const direct = await experiments.linearRun(config, s);
    const series = await experiments.runSeries({
      protocol: "linear",
      config,
      seed: 9,
      stream: "selection",
      cell: [8, 5000],
      runs: 2,
      backend: "wasm",
      workers: 2,
      cacheDir: dir,
    });
    assert.deepEqual(series.runs[1], direct);
    assert.ok(experiments.isLinearRun(direct));
    const other = await experiments.linearRun(config, { ...s, stream: "evaluation" });
    assert.notEqual(other.phi, direct.phi, "the evaluation stream draws another data set");
    const again = await experiments.runSeries({
      protocol: "linear",
      config,
      seed: 9,
      stream: "selection",
      cell: [8, 5000],
      runs: 2,
      backend: "wasm",
      workers: 2,
      cacheDir: dir,
    });
    assert.deepEqual(again.cache, ["hit", "hit"]);
    assert.deepEqual(again.runs, series.runs);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the grid tests every cell, and the design chooses on the selection stream only", async () => {
  await training.chooseBackend("wasm");
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tables12-"));
  try {
    const o = { seed: 3, stream: "selection" as const, backend: "wasm", cacheDir: dir };
    const sel = await experiments.tables12Grid(small, paper, () => small.selectionRuns, o);
    assert.deepEqual(
      sel.map((c) => c.batchSize),
      small.batchSizes,
    );
    for (const c of sel) {
      assert.equal(c.runs.length, small.selectionRuns);
      assert.ok(c.test.pValue >= 0 && c.test.pValue <= 1);
      assert.equal(c.test.valid.trials, small.selectionRuns);
    }
    const design = experiments.tables12Design(small, sel);
    assert.ok(small.batchSizes.includes(design.best));
    assert.equal(design.bestP, Math.max(...sel.map((c) => c.test.pValue)));
    for (const b of small.batchSizes) assert.ok(design.runs[b] >= 4 && design.runs[b] <= 6);
    assert.equal(design.claim, design.consistent.length ? "reproduction" : "erratum");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("consistency: the paper's own outcome, replayed as our runs, is consistent; a different one is not", () => {
  // 50 runs shaped like the paper's: 20 valid, 18 of them kept, means near Table 2's.
  const r = random.rng(4);
  const mk = (valid: boolean, kept: boolean, phi: number): experiments.LinearRun => ({
    run: 0,
    accuracy: valid ? 1 : 0.9,
    valid,
    loss: 0,
    cos1: -(phi + 0.0367 * 2 * r.uniform()),
    cos2: kept ? -0.99 : -0.1,
    phi,
    adNorm: 1,
    minimalWorst: 0,
    minimalMedian: 0,
    othersShare: 0,
    biasShare: 0,
    optimal: 1,
    optimalAtWorst: 1,
    optimalAtMedian: 1,
  });
  const like = Array.from({ length: 200 }, (_, k) =>
    mk(k % 5 < 2, k % 5 < 2 && k % 10 !== 1, 0.2 + 0.256 * r.uniform()),
  );
  const t = experiments.tables12Consistency(like, paper, 0.9);
  assert.ok(t.pValue > 0.05, `consistent: p = ${t.pValue}`);
  const unlike = like.map((x) => ({ ...x, valid: true, accuracy: 1 }));
  assert.ok(
    experiments.tables12Consistency(unlike, paper, 0.9).pValue < 1e-6,
    "every run valid is not 20 of 50",
  );
  assert.equal(experiments.runsForPrecision(0.5, 0.07, 50, 250), 196);
  assert.equal(experiments.runsForPrecision(0, 0.07, 50, 250), 50);
});

test("Tables 1–2's config is refused beyond what the machine can run, naming the parameter and value", () => {
  const q = experiments.tables12Defaults.quick;
  assertArgError(
    () => experiments.validateTables12Config({ ...q, run: { ...q.run, d: 1 } }),
    "validateTables12Config",
    "d",
    "1",
  );
  assertArgError(
    () => experiments.validateTables12Config({ ...q, run: { ...q.run, d: 25 } }),
    "d",
    "25",
    "<= 20",
  );
  assertArgError(
    () => experiments.validateTables12Config({ ...q, batchSizes: [1e9] }),
    "batchSizes[0]",
    "1000000000",
  );
  assertArgError(
    () => experiments.validateTables12Config({ ...q, selectionRuns: 1e6 }),
    "selectionRuns",
    "<= 1000",
  );
  assertArgError(
    () => experiments.validateTables12Config({ ...q, batchSizes: [] }),
    "batchSizes",
    "empty",
  );
});
