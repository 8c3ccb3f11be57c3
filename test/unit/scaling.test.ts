/** Notebook 10's study (lib/experiments/scaling.ts): the protocol's carry-over to other d, the law of ln φ, a small grid, clustered slopes. */
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

test("a small grid: cells stop at their accurate networks, ratios are positive, slopes and verdicts compute", async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "scaling-"));
  try {
    const c: experiments.ScalingConfig = {
      ...experiments.scalingDefaults.quick,
      alphas: data.section6().table3.alpha,
      dims: [6, 7, 8],
      scaleFactors: [5],
      linear: { hidden: 16, networks: 3, maxRuns: 20 },
      relu: { hidden: 64, networks: 3, maxRuns: 30 },
      alternative: { batchSize: 8, dims: [6, 8] },
    };
    const grid = await experiments.scalingGrid(c, { seed: 5, backend: "wasm", cacheDir: dir });
    assert.equal(grid.main.length, 2 * 3);
    assert.deepEqual(
      grid.alternative.map((x) => [x.kind, x.d, x.scaleFactor]),
      [
        ["linear", 6, 5],
        ["linear", 8, 5],
        ["relu", 6, 5],
        ["relu", 8, 5],
      ],
    );
    for (const cell of grid.main) {
      assert.ok(cell.networks.length <= 3 && cell.runs <= 30);
      for (const n of cell.networks) {
        for (const k of ["worst", "compression", "part"] as const)
          assert.ok(n[k] > 0, `${cell.kind} ${k}`);
        assertClose(n.part, n.compression / n.phi, 1e-12, "the part is the compression over φ");
      }
    }
    // Paired arms: run 0 of the alternative carry-over shares the main carry-over's data set.
    const main4 = grid.main.find((x) => x.kind === "linear" && x.d === 6)!;
    const alt4 = grid.alternative.find((x) => x.kind === "linear" && x.d === 6)!;
    assert.equal(main4.phiAll[0], alt4.phiAll[0]);
    const slopes = experiments.scalingSlopes(grid.main, c);
    assert.deepEqual(
      slopes.filter((s) => s.kind === "linear").map((s) => s.ratio),
      ["compression", "part", "samePoint"],
      "at ×5 the duplicates (worst, typical) are left out",
    );
    const v = experiments.scalingVerdicts(
      slopes,
      grid.main,
      grid.alternative,
      c,
      data.margins().section6,
    );
    assert.equal(v.decomposition.length, 2);
    for (const x of v.decomposition)
      assertClose(x.phi + x.part.fit.slope, x.compression.fit.slope, 1e-12, "slopes add up");
    assert.equal(v.carryOver.length, 4);
    for (const x of v.carryOver) assert.ok(x.pairs <= 3 && x.batches[0] !== x.batches[1]);
    for (const x of v.part) assert.ok(Number.isFinite(x.fit.fit.se));
    assertClose(v.part[0].margin, Math.log(1.25) / Math.log(8 / 6), 1e-12, "the slope margin");
    assert.equal(experiments.phiByD(grid.main).length, 3);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test("the scaling config is refused beyond what the machine can run", () => {
  const c = { ...experiments.scalingDefaults.quick, alphas: [0, 1] };
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, dims: [6, 8, 30] }),
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
    () => experiments.validateScalingConfig({ ...c, dims: [6, 8] }),
    "dims",
    "at least 3",
  );
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, dims: [4, 6, 8] }),
    "dims[0]",
    "4",
  );
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, alternative: { batchSize: 8, dims: [7, 8] } }),
    "alternative.dims[0]",
  );
  assertArgError(
    () => experiments.validateScalingConfig({ ...c, alternative: { batchSize: 16, dims: [8] } }),
    "alternative.dims[0]",
    "same batch",
  );
});

test("clustered slope: CR1 errors, robust to repeated points of one cluster; lack of fit detects a curve", () => {
  const r = random.rng(11);
  // 200 clusters of 5 identical points: the naive error would be √5 too small.
  const x: number[] = [];
  const y: number[] = [];
  const id: number[] = [];
  for (let g = 0; g < 200; g++) {
    const xg = 1 + (g % 8);
    const yg = 0.5 * xg + r.normal();
    for (let k = 0; k < 5; k++) {
      x.push(xg);
      y.push(yg);
      id.push(g);
    }
  }
  const c = stats.clusteredSlope(x, y, id);
  const one = stats.clusteredSlope(
    Array.from({ length: 200 }, (_, g) => x[5 * g]),
    Array.from({ length: 200 }, (_, g) => y[5 * g]),
  );
  assertClose(c.slope, one.slope, 1e-12, "same slope");
  assertClose(c.se, one.se, 0.02 * one.se, "clustered error = one point per cluster's");
  assert.equal(c.clusters, 200);
  // A quadratic relation over the range fails the lack-of-fit test; a line passes it.
  const xs = Array.from({ length: 400 }, (_, i) => 1 + (i % 8));
  const curved = stats.clusteredSlope(
    xs,
    xs.map((t) => (t - 4.5) ** 2 + 0.3 * r.normal()),
  );
  assert.ok(curved.lackOfFit && curved.lackOfFit.pValue < 1e-6);
  const line = stats.clusteredSlope(
    xs,
    xs.map((t) => t + 0.3 * r.normal()),
  );
  assert.ok(line.lackOfFit && line.lackOfFit.pValue > 1e-4);
  assertArgError(() => stats.clusteredSlope([1, 1, 1], [1, 2, 3]), "clusteredSlope", "x");
});

test("fallsVerdict: below −margin reproduces 'smaller when d increases', above contradicts it", () => {
  const fit = (slope: number, se: number) =>
    ({ fit: { slope, se, df: 40 } }) as unknown as experiments.SlopeFit;
  const m = 0.2;
  assert.equal(experiments.fallsVerdict(fit(-0.5, 0.05), m, "t").outcome, "reproduced");
  assert.equal(experiments.fallsVerdict(fit(0.0, 0.05), m, "t").outcome, "contradicted");
  assert.equal(experiments.fallsVerdict(fit(-0.2, 0.05), m, "t").outcome, "inconclusive");
  const v = experiments.fallsVerdict(fit(-0.5, 0.05), m, "t");
  // What it resolves at 90% power lies on either side of −margin, by (t + z) standard errors.
  assert.ok(v.detectable.reproduced! < -m && v.detectable.contradicted > -m);
  assert.throws(() => experiments.fallsVerdict(fit(-0.5, 0.05), -1, "t"), /fallsVerdict.*margin/);
});
