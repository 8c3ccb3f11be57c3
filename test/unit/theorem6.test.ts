/**
 * Theorem 6 (lib/theorems/theorem6.ts) and its studies (lib/experiments/theorem6.ts): condition (8),
 * the attack of eq. (9), the extension to general hidden layers, the union bound of appendix A.3,
 * the laws of φ, and the configuration's limits.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as random from "../../lib/random";
import * as experiments from "../../lib/experiments";
import * as stats from "../../lib/stats";
import * as data from "../../lib/data";
import * as optimal from "../../lib/optimal";
import { theorem6 } from "../../lib/theorems";
import { fisherExactGreater } from "../../lib/stats/twosample";
import { assertArgError, assertClose } from "../helpers";

test("Theorem 6: condition (8) on all points, the attack flips class +1 and leaves class −1", () => {
  const r = random.rng(3);
  const d = 6;
  const A = random.gaussianMatrix(r, d, d);
  const net = theorem6.theorem6Network(A, random.orthonormalColumns(r, 20, d));
  const points = data.hypercubeData(A);
  const out = theorem6.theorem6Outputs(net, points.X);
  out.plus.forEach((f, i) => assertClose(f, points.labels[i], 1e-9, "f_{+1}"));
  const hidden = theorem6.theorem6HiddenOutputs(net, points.X);
  hidden.forEach((f, i) => assertClose(f, out.plus[i], 1e-12, "through the layer = probes"));
  const e = theorem6.theorem6Attack(net);
  assertClose(Math.hypot(...e), 2 * net.RA.get(d - 1, d - 1), 1e-12, "‖e‖ = 2 R_dd (eq. 10)");
  const plus = points.labels.map((l, i) => (l > 0 ? i : -1)).filter((i) => i >= 0);
  const after = theorem6.theorem6Outputs(net, theorem6.perturbColumns(points.X, plus, e));
  plus.forEach((i) => assertClose(after.plus[i], -1, 1e-9, `f_{+1}(x_${i} + e)`));
  points.labels.forEach(
    (l, i) => l < 0 && assertClose(after.plus[i], -1, 1e-9, "class −1 points untouched"),
  );
  assertArgError(
    () => theorem6.perturbColumns(points.X, [0], [1, 2]),
    "perturbColumns",
    "parameter e",
  );
});

test("with orthonormal H_1 the two QRs share R; with Gaussian layers the probe is still A⁻ᵀe_d", () => {
  const r = random.rng(5);
  const d = 5;
  const A = random.gaussianMatrix(r, d, d);
  const ortho = theorem6.theorem6Network(A, random.orthonormalColumns(r, 12, d));
  for (let i = 0; i < d; i++)
    for (let j = 0; j < d; j++)
      assertClose(ortho.R.get(i, j), ortho.RA.get(i, j), 1e-12, `R = R_A at (${i}, ${j})`);
  const deep = theorem6.theorem6Network(
    A,
    random.gaussianMatrix(r, 10, d),
    random.gaussianMatrix(r, 20, 10),
  );
  // p_{+1}ᵀ A = e_dᵀ whatever the layers (condition 8 on a spanning set of points).
  for (let j = 0; j < d; j++) {
    const v = A.getColumn(j).reduce((s, a, i) => s + a * deep.probePlus[i], 0);
    assertClose(v, j === d - 1 ? 1 : 0, 1e-9, `(p₊₁ᵀA)_${j}`);
  }
  assert.ok(Math.abs(deep.R.get(d - 1, d - 1) - deep.RA.get(d - 1, d - 1)) > 1e-3, "R ≠ R_A");
  assertArgError(
    () => theorem6.theorem6Network(A, random.gaussianMatrix(r, 3, d)),
    "theorem6Network",
    "layers[0]",
    `m×${d}`,
  );
});

test("the union bound of A.3 is 1/4 at every d at the α its formula gives; the sharper one is smaller", () => {
  const alpha = experiments.farApartAlpha();
  const b = (alpha * alpha) / 4;
  assertClose(b * Math.exp(1 - b), 1 / 16, 1e-12, "β e^{1−β} = 1/16");
  for (const d of [2, 4, 12, 40, 100]) {
    assertClose(experiments.farApartBound(alpha, d), 0.25, 1e-9, `bound at d = ${d}`);
    const sharp = experiments.farApartSharpBound(alpha, d);
    assert.ok(sharp <= 0.25, `sharper bound ${sharp} ≤ 1/4 at d = ${d}`);
  }
  // Both bound a Monte Carlo estimate at d = 4 (the exact optimum, 99.9% Clopper–Pearson).
  const r = random.rng(6);
  let fails = 0;
  const n = 4000;
  for (let k = 0; k < n; k++) {
    const A = random.gaussianMatrix(r, 4, 4);
    if (2 * optimal.latticeMinimumSphere(A).value < alpha * Math.sqrt(4)) fails++;
  }
  // The sharper bound is nearly exact at small d (the patterns' events hardly overlap).
  const ci = stats.clopperPearson(fails, n, 0.999);
  assert.ok(ci.lo <= experiments.farApartSharpBound(alpha, 4), `MC ${fails}/${n}`);
});

test("digamma and E ln φ: known values, and E ln φ against a Monte Carlo mean (5 s.e.)", () => {
  const gamma = 0.5772156649015329;
  assertClose(experiments.digamma(1), -gamma, 1e-12, "ψ(1)");
  assertClose(experiments.digamma(0.5), -gamma - 2 * Math.LN2, 1e-12, "ψ(½)");
  assertClose(experiments.digamma(10), 2.251752589066721, 1e-12, "ψ(10)");
  for (const x of [0.3, 2.5, 7.9]) {
    assertClose(experiments.digamma(x + 1), experiments.digamma(x) + 1 / x, 1e-12, `ψ(${x} + 1)`);
  }
  const d = 10;
  const phi = experiments.phiSamples(d, 4000, random.rng(7));
  const logs = phi.map(Math.log);
  const se = stats.std(logs) / Math.sqrt(logs.length);
  assertClose(stats.mean(logs), experiments.expectedLogPhi(d), 5 * se, "E ln φ");
  assertClose(
    stats.mean(phi),
    experiments.expectedPhi(d),
    (5 * stats.std(phi)) / Math.sqrt(phi.length),
    "E φ",
  );
  const big = experiments.expectedPhi(400);
  assertClose(big, Math.sqrt(2 / (Math.PI * 400)), 1e-3 * big, "E φ ≈ √(2/(πd))");
});

test("the law of x_i − x_j: standardized entries have mean 0 and variance 1 (k ≥ 1)", () => {
  const c = { ...experiments.theorem6Defaults.quick, d: 6, differenceDraws: 300 };
  const r = experiments.theorem6Differences(c, random.rng(8));
  assert.equal(r.standardized.length, 300 * 6);
  assert.ok(r.minK >= 1);
  assertClose(stats.mean(r.standardized), 0, 5 / Math.sqrt(1800), "mean");
  assertClose(stats.variance(r.standardized), 1, 5 * Math.sqrt(2 / 1800), "variance");
});

test("the studies are deterministic: same seed, same records (no timings)", () => {
  const c = {
    ...experiments.theorem6Defaults.quick,
    optimalDims: [4, 6, 8],
    optimalDraws: 4,
    scaledDims: [4],
    scaledDraws: 30,
  };
  const a = experiments.theorem6OptimalStudy(c, random.rng(9));
  const b = experiments.theorem6OptimalStudy(c, random.rng(9));
  assert.deepEqual(JSON.parse(JSON.stringify(a)), JSON.parse(JSON.stringify(b)));
  assert.ok(a.rows.every((row) => !("ms" in row)));
  assert.equal(a.bruteChecked, 2 * 3 * c.bruteForceDraws);
  assert.ok(a.bruteError < 1e-12);
  const s = experiments.theorem6ScaledOptimum(c, random.rng(10));
  assert.deepEqual(s, experiments.theorem6ScaledOptimum(c, random.rng(10)));
});

test("the validator refuses what Theorem 6's notebook cannot do, naming the bound", () => {
  const base = experiments.theorem6Defaults.paper;
  experiments.validateTheorem6Config(base);
  experiments.validateTheorem6Config(experiments.theorem6Defaults.quick);
  const refuse = (o: Partial<experiments.Theorem6Config>, ...parts: string[]) =>
    assertArgError(
      () => experiments.validateTheorem6Config({ ...base, ...o }),
      "validateTheorem6Config",
      ...parts,
    );
  refuse({ d: 1 }, "parameter d = 1", "[2, 14]");
  refuse({ d: 16 }, "parameter d = 16", "every opposite pair");
  refuse({ m: 8 }, "parameter m = 8", ">= 12");
  refuse({ m: 100000 }, "parameter m = 100000", "multiply-adds");
  refuse({ optimalDims: [4, 60] }, "optimalDims[1] = 60", "<= 48");
  refuse({ optimalDims: [4, 8] }, "optimalDims", "at least 3");
  refuse({ optimalDims: [4, 8, 8] }, "optimalDims", "distinct");
  refuse({ optimalDims: [40, 44, 48] }, "optimalDraws = 100", "sphere decoder");
  refuse({ phiDims: [4, 400], phiDraws: 5000 }, "phiDraws = 5000", "8 ns per d³");
  refuse({ differenceDraws: 5000 }, "differenceDraws = 5000", "KS");
  refuse({ extensionDepth: 9 }, "extensionDepth = 9");
  refuse({ level: 1 }, "parameter level = 1");
});

test("scaledBelowBound: one vector u' has P(‖a_d + g‖ < ‖a_d‖) = P(T_d < −s√(kd)/2), and the union bounds the ×s rate", () => {
  // One u' with k = 2 nonzero entries at s = 1, d = 4: the exact event against 20 000 Monte Carlo
  // draws (standard error about 0.003; tolerance 5 standard errors).
  const r = random.rng(11);
  const d = 4;
  let hits = 0;
  const n = 20000;
  for (let t = 0; t < n; t++) {
    const a = random.gaussianVector(r, d);
    const g = random.gaussianVector(r, d).map((v) => v * Math.SQRT2);
    if (Math.hypot(...a.map((v, i) => v + g[i])) < Math.hypot(...a)) hits++;
  }
  assertClose(hits / n, stats.studentTCdf(-Math.sqrt(2 * d) / 2, d), 0.015, "one u'");
  // The union bound at d = 4, s = 5 against the sphere decoder's rate on 400 draws: the bound
  // (0.039) must not be exceeded beyond 4 binomial standard errors (0.039 + 0.039).
  let below = 0;
  for (let t = 0; t < 400; t++) {
    const A = random.gaussianMatrix(r, d, d);
    const opt = optimal.latticeMinimumSphere(data.scaleLeadingColumns(A, 5)).value;
    if (opt < Math.hypot(...A.getColumn(d - 1)) * (1 - 1e-12)) below++;
  }
  const bound = experiments.scaledBelowBound(d, 5);
  assert.ok(bound > 0.03 && bound < 0.05, `bound ${bound}`);
  assert.ok(
    below / 400 <= bound + 4 * Math.sqrt((bound * (1 - bound)) / 400),
    `rate ${below / 400}`,
  );
  assert.ok(experiments.scaledBelowBound(12, 5) < 1e-4, "small at the paper's d = 12");
  assertArgError(() => experiments.scaledBelowBound(1, 5), "scaledBelowBound", "parameter d");
});

test("sharpBoundAlpha: the exact-χ² union bound is the target at α_d, and below it just under", () => {
  for (const d of [4, 12, 24]) {
    const a = experiments.sharpBoundAlpha(d, 0.5);
    assertClose(experiments.farApartSharpBound(a, d), 0.5, 1e-9, `bound at α_${d}`);
    assert.ok(experiments.farApartSharpBound(a * 0.99, d) < 0.5, `below α_${d}`);
  }
  // α_d grows with d here: the bound at a fixed α falls with d.
  assert.ok(experiments.sharpBoundAlpha(24, 0.5) > experiments.sharpBoundAlpha(4, 0.5));
  assertArgError(() => experiments.sharpBoundAlpha(4, 1), "sharpBoundAlpha", "parameter target");
});

test("fisherExactGreater: one-sided tail of the hypergeometric law, by enumeration", () => {
  // 3 of 5 against 0 of 5: P(X ≥ 3) with X ~ Hypergeometric(10, 3, 5) = C(5,3)/C(10,3) = 10/120.
  assertClose(fisherExactGreater(3, 5, 0, 5).pValue, 10 / 120, 1e-12, "3/5 vs 0/5");
  // Equal rates: the one-sided p-value is above ½; no successes at all: 1.
  assert.ok(fisherExactGreater(2, 4, 2, 4).pValue > 0.5);
  assertClose(fisherExactGreater(0, 7, 0, 9).pValue, 1, 1e-12, "no successes");
  assertArgError(() => fisherExactGreater(6, 5, 0, 5), "fisherExactGreater", "parameter k1");
});
