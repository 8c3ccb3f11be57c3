import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix, inverse } from "ml-matrix";
import * as attacks from "../../lib/attacks";
import * as experiments from "../../lib/experiments";
import * as intervals from "../../lib/experiments/intervals";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as rmt from "../../lib/rmt";
import * as stats from "../../lib/stats";
import { theorem1 } from "../../lib/theorems";
import { assertArgError, assertClose, maxAbsDiff } from "../helpers";

test("Theorem 1's network: shared R, Q₁ = H₁Q₂, condition (1) and W = X⁻¹ (1e-12 to 1e-8)", () => {
  const r = random.rng(1);
  for (const [d, m] of [
    [3, 3],
    [8, 40],
    [20, 25],
  ]) {
    const net = theorem1.theorem1Instance({ d, m }, r);
    assert.ok(net.residuals.orthonormality < 1e-12, "H₁ᵀH₁ = I");
    assert.ok(net.residuals.sharedR < 1e-12, "R(H₁X) = R(X)");
    assert.ok(net.residuals.q1 < 1e-12, "Q₁ = H₁Q₂");
    assert.ok(net.residuals.condition1 < 1e-9, "H₂H₁X = I");
    // the residuals measure what they say: recomputed here by ml-matrix
    assert.ok(maxAbsDiff(net.R, net.RX) <= net.residuals.sharedR * 10 + 1e-15);
    const Xinv = inverse(net.X);
    assert.ok(maxAbsDiff(net.W, Xinv) < 1e-8 * Math.max(...Xinv.to1DArray().map(Math.abs)));
  }
  assertArgError(
    () => theorem1.theorem1Network(new Matrix(3, 2), Matrix.eye(3)),
    "theorem1Network",
    "parameter X",
    "square",
  );
  assertArgError(
    () => theorem1.theorem1Network(Matrix.eye(3), new Matrix(2, 3)),
    "theorem1Network",
    "parameter H1",
    "m >= d",
  );
  assertArgError(() => theorem1.theorem1Instance({ d: 5, m: 4 }, r), "theorem1Instance", "m");
});

test("the attack: eq. (3) through the network, ‖e‖ in closed form, the printed rows of R⁻¹ (1e-9)", () => {
  const r = random.rng(2);
  for (const [d, m] of [
    [2, 2],
    [6, 30],
    [15, 15],
  ]) {
    const att = theorem1.theorem1Attack(theorem1.theorem1Instance({ d, m }, r));
    assertClose(att.outputsBefore[d - 1], 1, 1e-9, "f_d(x_d)");
    assertClose(att.outputsAfter[d - 2], 1, 1e-9, "f_{d−1}(x_d + e)");
    assertClose(att.outputsAfter[d - 1], 0, 1e-9, "f_d(x_d + e)");
    assert.notEqual(att.predictedAfter, d - 1, "the decision changes");
    assertClose(att.norm, att.normClosedForm, 1e-12 * att.norm, "‖e‖");
    att.rInverse.computed.forEach((v, i) =>
      assertClose(v, att.rInverse.paper[i], 1e-10 * Math.abs(v), `(R⁻¹) entry ${i}`),
    );
    assert.equal(att.outputs.length, d);
    assert.equal(att.outputs[d - 1].label, d);
  }
});

test("robustness from R alone equals the closed form on X⁻¹, and the direction attack flips exactly at δ", () => {
  const r = random.rng(3);
  for (const d of [2, 5, 12, 40]) {
    const net = theorem1.theorem1Instance({ d, m: d + 3 }, r);
    const rob = theorem1.theorem1Robustness(net);
    const onInverse = attacks.minimalPerturbationLinear(
      inverse(net.X),
      null,
      net.X.getColumn(d - 1),
    );
    assertClose(rob.fromR.exactMinimal, onInverse.norm, 1e-9 * onInverse.norm, `exact, d = ${d}`);
    assertClose(rob.exact.norm, onInverse.norm, 1e-9 * onInverse.norm, `W = H₂H₁, d = ${d}`);
    assert.notEqual(rob.labelBeyond, d - 1);
    assert.ok(rob.exact.norm <= rob.summary.attack * (1 + 1e-12), "exact ≤ ‖e‖");
    assertClose(rob.minimumDistanceLinear, rob.minimumDistanceHalfGap, 1e-10, "min-distance");
    assertClose(rob.fromR.nearestMargin, rob.minimumDistanceHalfGap, 1e-10, "margin from R");
    const dir = theorem1.theorem1DirectionAttack(net);
    assert.ok(dir.lastRowError < 1e-10, "W's last row is (Q₂)_{:,d}ᵀ / R_dd");
    assert.equal(dir.labelBefore, d - 1, "no flip just before δ");
    assert.notEqual(dir.labelBeyond, d - 1, "a flip just beyond δ");
    assert.ok(
      Math.abs(dir.delta) >= rob.exact.norm * (1 - 1e-9),
      "a line is no shorter than the exact minimum",
    );
  }
  assertArgError(() => theorem1.robustnessFromR(new Matrix(3, 2)), "robustnessFromR", "R");
});

test("‖e‖ ~ √2·χ₂: E‖e‖ = √π by quadrature (1e-9); Bartlett and QR draws pass KS (p > 1e-3) and the mean t test", () => {
  assertClose(theorem1.normEMeanByQuadrature(), Math.sqrt(Math.PI), 1e-9, "quadrature");
  assertClose(theorem1.normEMeanByQuadrature(400), Math.sqrt(Math.PI), 1e-7, "coarser grid");
  assertClose(theorem1.normECdf(2 * Math.sqrt(Math.LN2)), 0.5, 1e-15, "median 2√ln 2");
  const r = random.rng(4);
  const bartlett = Array.from({ length: 4000 }, () =>
    theorem1.attackNorm(theorem1.trailingEntries(rmt.bartlettFactor(r, 2, 2))),
  );
  const viaQr = Array.from({ length: 1500 }, () =>
    theorem1.attackNorm(theorem1.trailingEntries(linalg.qrR(random.gaussianMatrix(r, 9, 9)))),
  );
  for (const x of [bartlett, viaQr]) {
    assert.ok(stats.ksTest(x, theorem1.normECdf).pValue > 1e-3, "KS against √2·χ₂");
    assert.ok(intervals.meanTest(x, Math.sqrt(Math.PI), 0.99, "E‖e‖").test.pValue > 1e-3);
  }
  assertClose(theorem1.chiMean(1), Math.sqrt(2 / Math.PI), 1e-14, "E χ₁");
  assertClose(theorem1.chiMean(2), Math.sqrt(Math.PI / 2), 1e-14, "E χ₂");
});

test("ε for the union bound: the bound at that ε is the target (1e-9), ε decreases in d from 4, bad targets refused", () => {
  let last = 1;
  for (const d of [4, 16, 128, 1024]) {
    const eps = theorem1.epsForUnionBound(d, 0.25);
    assertClose(theorem1.logUnionBoundFarApart(d, eps), Math.log(0.25), 1e-9, `d = ${d}`);
    assert.ok(eps > 0 && eps < last, `ε(${d}) = ${eps}`);
    last = eps;
  }
  assertArgError(() => theorem1.epsForUnionBound(4, 1.5), "epsForUnionBound", "bound");
  assertArgError(() => theorem1.epsForUnionBound(1, 0.25), "epsForUnionBound", "d");
});

test("the far-apart study: ε per d sets the union bound, failures counted against (1−ε)√(2d)", () => {
  const c = { ...experiments.theorem1Defaults.quick, distanceDims: [4, 9], distanceDraws: 60 };
  const far = experiments.theorem1FarApart(c, random.rng(5));
  for (const row of far.rows) {
    assertClose(row.unionBound, c.farBound, 1e-9, `bound at d = ${row.d}`);
    assert.ok(
      row.exactUnionBound <= row.unionBound,
      "the exact χ² probability is below Lemma 2's bound",
    );
    assert.ok(row.failures >= 0 && row.failures <= row.draws);
    assert.equal(
      row.failures > 0,
      row.minRatio < 1 - row.eps,
      "failures ⇔ the smallest ratio is below 1 − ε",
    );
    assert.ok(row.test.pValue >= 0 && row.test.pValue <= 1);
    assert.ok(row.fixedFailures >= 0 && row.fixedFailures <= row.draws);
  }
  assert.equal(far.trend.passWhen, "rejected");
  assert.ok(far.trend.pValue >= 0 && far.trend.pValue <= 1);
});

test("the scaling study: rows per d, exact ≤ ‖e‖ in every draw of R, the slope over d ≥ exactMinD", () => {
  const c = {
    ...experiments.theorem1Defaults.quick,
    scalingDims: [4, 8, 16, 64],
    scalingDraws: 40,
    exactMinD: 16,
  };
  const s = experiments.theorem1Scaling(c, random.rng(6));
  assert.deepEqual(
    s.rows.map((row) => row.d),
    [4, 8, 16, 64],
  );
  assert.equal(s.draws.d.length, 160);
  assert.equal(s.exactAboveAttack, 0);
  assert.equal(s.exactSlope.fit.n, 80, "only the draws at d = 16 and 64");
  assert.ok(s.exactSlope.lo < s.exactSlope.fit.slope && s.exactSlope.fit.slope < s.exactSlope.hi);
});

test("the real-QR study: projected blocks match full QRs (1e-10), per-d KS tests, headlines", () => {
  const c = {
    ...experiments.theorem1Defaults.quick,
    realQrDims: [5, 40],
    realQrDraws: 30,
    realQrBlocks: 3,
  };
  const q = experiments.theorem1RealQr(c, random.rng(9));
  assert.deepEqual(
    q.rows.map((row) => [row.d, row.draws]),
    [
      [5, 30],
      [40, 30],
    ],
  );
  assert.equal(q.draws.attack.length, 60);
  assert.equal(q.checked, 4, "two pairs of the first block at each d");
  assert.ok(q.blockError < 1e-10, `block error ${q.blockError}`);
  for (const row of q.rows) assert.ok(row.test.pValue >= 0 && row.test.pValue <= 1);
  const s = experiments.theorem1Scaling(
    { ...c, scalingDims: [4, 16, 32], scalingDraws: 10, exactMinD: 16 },
    random.rng(10),
  );
  assert.equal(experiments.theorem1Headlines(q, s).length, 3);
});

test("the widths study: the same ‖e‖, exact minimal and eq. (3) at every m (1e-9)", () => {
  const c = { ...experiments.theorem1Defaults.quick, widthFactors: [1, 3, 50] };
  const X = random.gaussianMatrix(random.rng(7), 6, 6);
  const w = experiments.theorem1Widths(c, X, random.rng(8));
  assert.deepEqual(
    w.rows.map((row) => row.m),
    [6, 18, 300],
  );
  assert.ok(w.attackSpread < 1e-10 && w.exactSpread < 1e-9 && w.eq3Error < 1e-9);
});

test("the validator refuses, naming the parameter and the bound, what this machine cannot run", () => {
  for (const scale of ["quick", "paper"] as const)
    experiments.validateTheorem1Config(experiments.theorem1Defaults[scale]);
  const paper = experiments.theorem1Defaults.paper;
  assertArgError(
    () => experiments.validateTheorem1Config({ ...paper, d: 30000, m: 30000 }),
    "validateTheorem1Config",
    "parameter m = 30000",
    "GiB of memory",
    "900 s per cell",
  );
  assertArgError(
    () => experiments.validateTheorem1Config({ ...paper, scalingDims: [16, 4096] }),
    "validateTheorem1Config",
    "parameter scalingDims = [16, 4096]",
    "900 s per cell",
  );
  assertArgError(
    () => experiments.validateTheorem1Config({ ...paper, realQrDims: [16, 20000] }),
    "validateTheorem1Config",
    "realQrDims",
  );
  assertArgError(
    () => experiments.validateTheorem1Config({ ...paper, m: 5 }),
    "validateTheorem1Config",
    "parameter m = 5",
  );
  assertArgError(
    () => experiments.validateTheorem1Config({ ...paper, exactMinD: 512 }),
    "validateTheorem1Config",
    "exactMinD",
    "2 of scalingDims",
  );
});

test("interval helpers: the t interval covers its mean, the median interval its median, the binomial p-value", () => {
  const x = Array.from({ length: 101 }, (_, i) => i);
  const mt = intervals.meanTest(x, 50, 0.95, "mean");
  assert.ok(mt.lo < 50 && 50 < mt.hi);
  assertClose(mt.test.pValue, 1, 1e-12, "p at the true mean");
  const med = intervals.medianInterval(x, 0.95);
  assert.equal(med.estimate, 50);
  assert.ok(med.lo < 50 && med.hi > 50 && med.hi - 50 === 50 - med.lo, "symmetric ranks");
  assert.equal(intervals.oneSidedBinomialP(0, 10, 0.3), 1);
  assertClose(intervals.oneSidedBinomialP(10, 10, 0.5), 0.5 ** 10, 1e-15, "all successes");
});
