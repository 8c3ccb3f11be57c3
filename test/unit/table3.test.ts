/** Table 3's protocol (lib/experiments/table3.ts, relu-run.ts, series.ts): series, cache, tests, design. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as os from "os";
import * as path from "path";
import * as fs from "fs";
import * as data from "../../lib/data";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import { assertArgError } from "../helpers";

const paper = data.section6().table3;
const small: experiments.Table3Config = {
  ...experiments.table3Defaults.quick,
  alphas: paper.alpha,
  run: { ...experiments.table3Defaults.quick.run, d: 6, hidden: [32] },
  batchSizes: [16],
  scaleFactors: [1],
  networks: 3,
  maxRuns: 12,
  attack: { points: 2, restarts: 0 },
};

test("a series stops at the run completing the wanted accurate networks, the same from the cache, and caches each run", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "table3-"));
  try {
    const o = { seed: 3, stream: "evaluation" as const, backend: "wasm", cacheDir: dir };
    const s = { batchSize: 16, scaleFactor: 1 };
    const plan = { runs: small.maxRuns, networks: 3, attack: true };
    const first = await experiments.table3Series(small, paper, s, plan, o);
    assert.equal(first.accurate.length, 3, "three accurate networks");
    assert.equal(
      first.runs[first.runs.length - 1].valid,
      true,
      "the series ends at the run completing them",
    );
    assert.ok(
      first.runs.every((r, i) => r.run === i),
      "runs in index order",
    );
    for (const r of first.accurate) {
      assert.ok(r.attack && r.attack.points.length === 2, "accurate networks are attacked");
      for (const pt of r.attack!.points)
        assert.ok(pt.actual > 0 && Number.isFinite(pt.optimalRadius));
      assert.equal(r.rho.length, small.alphas.length);
      assert.ok(
        r.rho.every((v) => v >= 0 && v <= 1 + 1e-12),
        "ρ is a cosine",
      );
      assert.ok(experiments.isReluRun(r));
    }
    const second = await experiments.table3Series(small, paper, s, plan, o);
    assert.ok(
      second.cache.every((c) => c === "hit"),
      "the second series comes from the cache",
    );
    assert.deepEqual(second.runs, first.runs, "and equals the first");
    assert.ok(Number.isNaN(first.test.pValue), "3 accurate networks are too few to test");
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("Table 3's consistency test accepts the paper's own profile and rejects a far one", () => {
  const r = random.rng(8);
  const net = (center: number): experiments.ReluRun => {
    const level = center + 0.1 * (r.uniform() - 0.5);
    return {
      run: 0,
      accuracy: 1,
      valid: true,
      loss: 0,
      rho: paper.alpha.map(() => level),
      phi: 0.3,
      adNorm: 1,
    };
  };
  const near = Array.from({ length: 60 }, () => net(0.3275));
  assert.ok(experiments.table3Consistency(near, paper, 50).pValue > 0.05);
  const far = Array.from({ length: 60 }, () => net(0.5));
  assert.ok(experiments.table3Consistency(far, paper, 50).pValue < 0.001);
  const none = experiments.table3Consistency(
    [{ ...far[0], valid: false }, ...far.slice(1, 4)],
    paper,
    50,
  );
  assert.ok(Number.isNaN(none.pValue), "three accurate networks: too few to test");
  const seven = far.slice(0, 7);
  assert.ok(Number.isNaN(experiments.table3Consistency(seven, paper, 50, 8).pValue), "7 < 8");
  assert.ok(experiments.table3Consistency(far.slice(0, 8), paper, 50, 8).pValue < 0.01);
  assert.throws(() => experiments.table3Consistency(far, paper, 50, 2), /minNetworks/);
});

test("the design evaluates the consistent settings by p (capped), or every testable one for an erratum", () => {
  const cell = (batchSize: number, p: number): experiments.Table3Cell => ({
    batchSize,
    scaleFactor: 5,
    stream: "selection",
    runs: [],
    accurate: [],
    cache: [],
    test: { runs: 8, accurate: experiments.rate(2, 8), test: null, pValue: p },
  });
  const capped = { ...small, evaluateCap: 2 };
  const d1 = experiments.table3Design(capped, [
    cell(16, 0.3),
    cell(32, 0.001),
    cell(64, Number.NaN),
    cell(128, 0.5),
    cell(256, 0.2),
  ]);
  assert.equal(d1.claim, "reproduction");
  assert.deepEqual(d1.best, { batchSize: 128, scaleFactor: 5 });
  assert.deepEqual(d1.evaluate, [
    { batchSize: 128, scaleFactor: 5 },
    { batchSize: 16, scaleFactor: 5 },
  ]);
  assert.deepEqual(
    d1.untestable.map((u) => u.batchSize),
    [64],
  );
  const d2 = experiments.table3Design(small, [cell(16, 0.004), cell(32, 0.001)]);
  assert.equal(d2.claim, "erratum");
  assert.equal(d2.evaluate.length, 2);
});

test("table3: bad configuration names the parameter and the value", () => {
  assertArgError(
    () => experiments.validateTable3Config({ ...small, maxRuns: 1 }),
    "validateTable3Config",
    "maxRuns",
    "1",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...small, run: { ...small.run, hidden: [] } }),
    "setting.hidden",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...small, alphas: [0, 1.5] }),
    "alphas[1]",
    "1.5",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...small, batchSizes: [1e9] }),
    "setting.batchSize",
    "1000000000",
  );
  assertArgError(
    () => experiments.validateTable3Config({ ...small, maxRuns: 1e7 }),
    "maxRuns",
    "<= 2000",
  );
});

test("the depth claim takes the form the selection stream registered", () => {
  const at = (p: number): experiments.Table3Depth => ({
    cells: [],
    rho: [],
    slope: { estimate: 0, lo: 0, hi: 0 },
    tests: { notMoreRobust: { pValue: p, hypothesis: "h", method: "m" } },
  });
  const reproduction = experiments.depthClaim(at(0.2), at(0.003), 0.01);
  assert.equal(reproduction.kind, "reproduction");
  assert.equal(reproduction.test.passWhen, "not rejected");
  assert.equal(reproduction.test.pValue, 0.003, "the evaluation stream's p");
  const erratum = experiments.depthClaim(at(0.001), at(0.4), 0.01);
  assert.equal(erratum.kind, "erratum");
  assert.equal(erratum.test.passWhen, "rejected");
  assert.equal(erratum.test.pValue, 0.4);
  assert.throws(() => experiments.depthClaim(at(0.1), at(0.1), 0.7), /level/);
});
