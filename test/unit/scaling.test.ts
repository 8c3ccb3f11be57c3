/** Notebook 10's study (lib/experiments/scaling.ts): the protocol's carry-over to other d, the law of ln φ, a small grid. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as data from "../../lib/data";
import * as experiments from "../../lib/experiments";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { assertArgError, assertClose } from "../helpers";

test("E ln φ = (ψ(½) − ψ(d/2))/2 matches Monte Carlo (4 standard errors)", () => {
  const r = random.rng(21);
  for (const d of [2, 5, 12]) {
    const v = Array.from({ length: 4000 }, () => {
      const A = random.gaussianMatrix(r, d, d);
      const R = linalg.qrR(A);
      return Math.log(Math.abs(R.get(d - 1, d - 1)) / linalg.norm(A.getColumn(d - 1)));
    });
    const se = stats.std(v) / Math.sqrt(v.length);
    assertClose(stats.mean(v), experiments.expectedLogPhi(d), 4 * se, `d = ${d}`);
  }
});

test("the protocol keeps the number of Adam steps: batch = 2^d / 16", () => {
  const c = experiments.scalingDefaults.paper;
  assert.equal(experiments.protocolBatch(c, 12), 256);
  assert.equal(experiments.protocolBatch(c, 4), 1);
  assert.equal(experiments.protocolBatch(c, 18), 16384);
});

test("a small grid: cells stop at their accurate networks, ratios are positive, slopes and the φ law compute", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scaling-"));
  try {
    const c: experiments.ScalingConfig = {
      ...experiments.scalingDefaults.quick,
      alphas: data.section6().table3.alpha,
      dims: [4, 5, 6],
      scaleFactors: [5],
      linear: { hidden: 16, networks: 3, maxRuns: 20 },
      relu: { hidden: 16, networks: 3, maxRuns: 20 },
      alternative: { batchSize: 4, dims: [4, 6] },
    };
    const grid = await experiments.scalingGrid(c, {
      seed: 5,
      stream: "scaling",
      backend: "wasm",
      cacheDir: dir,
    });
    assert.equal(grid.main.length, 2 * 3);
    assert.deepEqual(
      grid.alternative.map((x) => [x.kind, x.d, x.scaleFactor]),
      [
        ["linear", 4, 5],
        ["linear", 6, 5],
        ["relu", 4, 5],
        ["relu", 6, 5],
      ],
    );
    for (const cell of grid.main) {
      assert.ok(cell.networks.length <= 3 && cell.runs <= 20);
      for (const n of cell.networks)
        for (const k of ["worst", "compression"] as const) assert.ok(n[k] > 0, `${cell.kind} ${k}`);
    }
    const slope = experiments.ratioSlope(grid.main, "linear", 5, "worst");
    assert.ok(Number.isFinite(slope.fit.slope) && slope.interval.lo <= slope.fit.slope);
    const law = experiments.phiLaw(grid.main);
    assert.equal(law.perD.length, 3);
    assert.ok(law.tests.slope.pValue >= 0 && law.tests.slope.pValue <= 1);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the scaling config is refused beyond what the machine can run", () => {
  const c = { ...experiments.scalingDefaults.quick, alphas: [0, 1] };
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, dims: [4, 6, 30] }),
    "validateScalingConfig",
    "dims[2]",
    "30",
  );
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, scaleFactors: [1] }),
    "validateScalingConfig",
    "scaleFactors",
    "must include 5",
  );
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, dims: [4, 6] }),
    "dims",
    "at least 3",
  );
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, alternative: { batchSize: 4, dims: [5, 8] } }),
    "alternative.dims[0]",
  );
});
