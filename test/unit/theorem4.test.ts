import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix, inverse } from "ml-matrix";
import * as experiments from "../../lib/experiments";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as rmt from "../../lib/rmt";
import { theorem1, theorem4 } from "../../lib/theorems";
import { assertArgError, assertClose, maxAbsDiff } from "../helpers";

test("Theorem 4's network: W H X = I, W H = X⁻¹, R of H = R_{l−1}⋯R_1 and its bottom block (1e-8)", () => {
  const r = random.rng(4);
  const d = 6;
  const X = random.gaussianMatrix(r, d, d);
  const net = theorem4.theorem4Network(X, rmt.gaussianLayers(r, [d, 9, 15, 20]));
  assert.ok(maxAbsDiff(net.endToEnd.mmul(X), Matrix.eye(d)) < 1e-8);
  const Xinv = inverse(X);
  assert.ok(maxAbsDiff(net.endToEnd, Xinv) < 1e-8 * Math.max(...Xinv.to1DArray().map(Math.abs)));
  let P = net.layerR[0];
  for (let i = 1; i < net.layerR.length; i++) P = net.layerR[i].mmul(P);
  assert.ok(maxAbsDiff(P, linalg.qrR(net.H)) < 1e-9 * Math.max(...P.to1DArray().map(Math.abs)));
  assert.ok(net.factorisationError < 1e-10 && net.bottomBlockError < 1e-10);
  assert.ok(net.conditionError < 1e-8);
  // the entrywise ℓ1 norm of the bottom block is submultiplicative
  assert.ok(net.proofQuantity <= net.paperBound * (1 + 1e-12));
  // R of HX by the recursion with X as a first layer equals the QR of HX
  assertClose(
    net.proofQuantityHX,
    theorem4.proofQuantity(linalg.qrR(net.H.mmul(X))),
    1e-9 * net.proofQuantityHX,
    "R of HX",
  );
  assertArgError(
    () => theorem4.theorem4Network(X, [new Matrix(8, 5)]),
    "theorem4Network",
    "layers[0]",
    "d = 6",
  );
  assertArgError(() => theorem4.theorem4Factors(X, []), "theorem4Factors", "layers");
});

test("E ‖R_i‖_1B under Lemma 3's law matches Bartlett draws (4 standard errors) and grows like 2√n", () => {
  const r = random.rng(5);
  for (const [rows, d] of [
    [6, 6],
    [40, 6],
    [500, 10],
  ]) {
    const v = Array.from({ length: 3000 }, () =>
      rmt.bottomBlockNorm1(rmt.bartlettFactor(r, d, rows)),
    );
    const m = v.reduce((s, x) => s + x, 0) / v.length;
    const sd = Math.sqrt(v.reduce((s, x) => s + (x - m) ** 2, 0) / (v.length - 1));
    assertClose(
      m,
      theorem4.bottomBlockNormMean(rows, d),
      (4 * sd) / Math.sqrt(v.length),
      `n = ${rows}`,
    );
  }
  assertClose(theorem4.bottomBlockNormMean(100010, 10) / (2 * Math.sqrt(100000)), 1, 2e-3, "2√n");
  assertArgError(() => theorem4.bottomBlockNormMean(5, 6), "bottomBlockNormMean", "rows");
});

test("the step and the looseness studies: every depth is the same function; the bound exceeds the needed", () => {
  const c = { ...experiments.theorem4Defaults.quick, d: 5, depths: [1, 3], looseDraws: 10 };
  const step = experiments.theorem4Step(c, random.rng(6));
  assert.ok(step.endToEndError < 1e-8 && step.eq3Error < 1e-8 && step.exactSpread < 1e-6);
  assert.equal(step.rows.length, 2);
  const loose = experiments.theorem4Looseness(c, random.rng(7));
  assert.deepEqual(
    loose.rows.map((r) => r.depth),
    [1, 3],
  );
  assert.ok(loose.rows[1].medianRatio > loose.rows[0].medianRatio);
  assert.equal(loose.draws, 20);
  assert.ok(loose.boundBelowNeeded >= 0 && loose.boundBelowNeeded <= loose.draws);
});

test("a counterexample of the proof gap is one: the exact minimal perturbation of X⁻¹ exceeds the quantity", () => {
  const c = { ...experiments.theorem4Defaults.quick, d: 4, squareDepth: 10, squareDraws: 200 };
  const gap = experiments.theorem4ProofGap(c, random.rng(8));
  assert.ok(gap.counterexamples > 0, "the configuration finds some (about 10% of draws)");
  assert.ok(gap.lo <= gap.counterexamples / gap.draws && gap.counterexamples / gap.draws <= gap.hi);
  const worst = gap.worst[0];
  assert.ok(worst.exactMinimal > worst.proofQuantity);
  // the same draw again: the network fitted to condition (5) needs the exact minimal of X⁻¹
  const r = random.rng(8).child(worst.draw);
  const X = random.gaussianMatrix(r, 4, 4);
  const f = theorem4.theorem4Factors(X, rmt.gaussianLayers(r, new Array<number>(11).fill(4)));
  assertClose(f.proofQuantity, worst.proofQuantity, 1e-12, "the same draw");
  assertClose(
    theorem1.robustnessFromR(linalg.qrR(X)).exactMinimal,
    worst.exactMinimal,
    1e-12,
    "needed",
  );
});

test("the width study: Lemma 3's mean at every width, a positive slope of ln ‖R_1‖_1B on ln n_2", () => {
  const c = {
    ...experiments.theorem4Defaults.quick,
    d: 6,
    widthFactors: [1, 4, 16],
    widthDraws: 100,
  };
  const w = experiments.theorem4ConstantD(c, random.rng(9));
  for (const row of w.rows) {
    assert.ok(row.lo < row.expectedMean && row.expectedMean < row.hi, `n = ${row.n}`);
    assert.ok(row.test.pValue > 1e-4, `real QR against Lemma 3's law at n = ${row.n}`);
  }
  assert.ok(w.widthSlope.lo > 0.3, "grows with the width");
});

test("the scaling study: eq. (3) on every network, ‖e‖ draws from the R of X", () => {
  const c = { ...experiments.theorem4Defaults.quick, scalingDims: [4, 8], scalingDraws: 20 };
  const s = experiments.theorem4Scaling(c, random.rng(10));
  assert.ok(s.eq3Error < 1e-8);
  assert.equal(s.draws.d.length, 40);
  for (const row of s.rows) assert.ok(row.normLaw.pValue >= 0 && row.normLaw.pValue <= 1);
  assert.equal(s.boundSlope.fit.n, 40);
  assert.ok(s.boundSlope.fit.slope > 0, "widths d, 2d, 4d: the bound grows with d");
  assert.equal(experiments.theorem4ScalingSeries(s).length, 4);
});

test("the validator refuses, naming the parameter and the bound, what this machine cannot run", () => {
  for (const scale of ["quick", "paper"] as const)
    experiments.validateTheorem4Config(experiments.theorem4Defaults[scale]);
  const paper = experiments.theorem4Defaults.paper;
  assertArgError(
    () => experiments.validateTheorem4Config({ ...paper, d: 300 }),
    "validateTheorem4Config",
    "parameter d = 300",
    "GiB of memory",
  );
  assertArgError(
    () => experiments.validateTheorem4Config({ ...paper, d: 100 }),
    "validateTheorem4Config",
    "parameter d = 100",
    "900 s per cell",
  );
  assertArgError(
    () => experiments.validateTheorem4Config({ ...paper, growth: 0.5 }),
    "validateTheorem4Config",
    "growth",
    "Lemma 3",
  );
});
