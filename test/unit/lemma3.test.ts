import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as claims from "../../lib/claims";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import * as rmt from "../../lib/rmt";
import * as stats from "../../lib/stats";
import { EigenvalueDecomposition } from "ml-matrix";
import { assertArgError, assertClose } from "../helpers";

const small: experiments.Lemma3Config = {
  factor: [3, 5],
  cases: [[3, 4, 6]],
  draws: 300,
  inductionWidths: [3, 4, 6],
  inductionDraws: 300,
  squareN: 3,
};

test("the recursion's factors multiply to the R of the product (relative 1e-12)", () => {
  const widths = [5, 7, 7, 12, 20];
  const rec = rmt.lemma3Recursion(rmt.gaussianLayers(random.rng(1), widths));
  assert.equal(rec.factors.length, widths.length - 1);
  assert.ok(rec.relativeGap < 1e-12, `gap ${rec.relativeGap}`);
  for (const R of rec.factors)
    for (let i = 0; i < 5; i++) {
      assert.ok(R.get(i, i) > 0, "positive diagonal");
      for (let j = 0; j < i; j++) assert.equal(R.get(i, j), 0, "upper triangular");
    }
  const QtQ = rec.Q.transpose().mmul(rec.Q);
  for (let i = 0; i < 5; i++)
    for (let j = 0; j < 5; j++) assertClose(QtQ.get(i, j), i === j ? 1 : 0, 1e-12, "QᵀQ = I");
});

test("the printed induction step is off by O(1) where defined; the corrected one is rounding", () => {
  for (const seed of [1, 2, 3]) {
    const [H1, H2] = rmt.gaussianLayers(random.rng(seed), [6, 6, 6]);
    const step = rmt.printedInductionStep([H1, H2]);
    assert.ok(step.correctedGap < 1e-12, `corrected ${step.correctedGap}`);
    assert.ok(step.printedGap > 1e-2, `printed ${step.printedGap}`);
  }
  const [H1, H2] = rmt.gaussianLayers(random.rng(1), [4, 6, 6]);
  assertArgError(() => rmt.printedInductionStep([H1, H2]), "printedInductionStep", "n_2 = n_1");
});

test("Bartlett's entry laws: χ with rows − j + 1 degrees on the diagonal, N(0, 1) above", () => {
  const diag = rmt.bartlettEntryLaw(2, 2, 10);
  assert.match(diag.name, /χ with 8 degrees/);
  assertClose(diag.cdf(2.5), stats.chiCdf(2.5, 8), 1e-15, "χ₈ CDF");
  assertClose(rmt.bartlettEntryLaw(0, 3, 10).cdf(0.3), stats.normalCdf(0.3), 1e-15, "N(0,1)");
  assertArgError(() => rmt.bartlettEntryLaw(3, 2, 10), "bartlettEntryLaw", "parameter j");
});

test("every step is reproducible from its seed and returns p-values in [0, 1]", () => {
  const facts = experiments.bartlettFacts(small, random.rng(5));
  assert.deepEqual(facts, experiments.bartlettFacts(small, random.rng(5)));
  const step = experiments.inductionStep(small, random.rng(6));
  const comparison = experiments.lemma3Comparison(small, random.rng(7));
  const tests = [
    ...facts.entries.flatMap((e) => [e.qrTest, e.samplerTest]),
    step.mean,
    step.variance,
    step.normal,
    step.row,
    step.column,
    step.r1Correlation,
    step.r1Split,
    ...comparison.cases.flatMap((c) => c.entries.map((e) => e.test)),
    comparison.moment.test,
  ];
  for (const t of tests) assert.ok(t.pValue >= 0 && t.pValue <= 1, t.hypothesis);
  assert.equal(comparison.moment.expected, (4 - 3 + 1) * (6 - 3 + 1), "Π (n_{i+1} − n_1 + 1)");
  assert.equal(experiments.lemma3Rows(comparison).length, 6, "4 entries, ln det R, ‖R‖_F");
  assert.ok(facts.samplerMinP === Math.min(...facts.entries.map((e) => e.samplerTest.pValue)));
});

test("the whole-matrix statistics: ln det R = Σ ln R_jj and ‖R‖_F = ‖H‖_F (relative 1e-12)", () => {
  const widths = [4, 6, 9];
  const layers = rmt.gaussianLayers(random.rng(11), widths);
  const H = rmt.layerProduct(layers);
  const R = rmt.lemma3Recursion(layers).R;
  const stat = Object.fromEntries(experiments.lemma3Statistics(4).map((s) => [s.key, s.of(R)]));
  assert.equal(stat["R(4,4)"], R.get(3, 3));
  assertClose(stat.frobenius, H.norm("frobenius"), 1e-12 * H.norm("frobenius"), "‖R‖_F = ‖H‖_F");
  // det(HᵀH) = det(R)²
  const gram = H.transpose().mmul(H);
  const logDetGram = Math.log(
    new EigenvalueDecomposition(gram).realEigenvalues.reduce((p, v) => p * v, 1),
  );
  assertClose(2 * stat.logdet, logDetGram, 1e-9, "2 ln det R = ln det HᵀH");
});

test("the detectable KS distance falls as 1/√draws and rises with the family size", () => {
  const a = experiments.ksDetectableDistance(1000, 0.01, 1);
  // Kolmogorov's limit: 2e^{−2λ²} = 0.01 ⇒ λ = 1.6276
  assertClose(a, 1.62762 * Math.sqrt(2 / 1000), 1e-4, "λ √(2/n)");
  assertClose(experiments.ksDetectableDistance(4000, 0.01, 1), a / 2, 1e-12, "1/√n");
  assert.ok(experiments.ksDetectableDistance(1000, 0.01, 40) > a);
  // at that distance the two-sample KS p-value (Kolmogorov limit) is the level
  const x = Float64Array.from({ length: 1000 }, (_, i) => i / 1000);
  const shift = Math.ceil(a * 1000) / 1000;
  const y = x.map((v) => v + shift);
  assert.ok(stats.ksTest2(x, y).pValue < 0.011, "a shift of that size is rejected");
});

test("the tests reject what the lemma does not say: R of a product is not one Bartlett factor", () => {
  // The product's R(n,n) has E R² = Π (n_{i+1} − n_1 + 1); one factor's is n_2 − n_1 + 1 only.
  const c = experiments.lemma3Comparison({ ...small, draws: 2000 }, random.rng(8));
  const wrong = stats.meanTTest(
    c.cases[0].entries[1].qr.map((v) => v * v),
    4 - 3 + 1,
  );
  assert.ok(wrong.pValue < 1e-6, `p = ${wrong.pValue}`);
});

test("the headline's verdicts are read from the decided claims", () => {
  const c = experiments.lemma3Comparison(small, random.rng(7));
  const ledger = new claims.Ledger("t");
  for (const e of c.cases[0].entries)
    ledger.law(`product-law@${e.key}`, `law ${e.label}`).test(e.test);
  ledger.law("moment", "moment").test(c.moment.test);
  const h = experiments.lemma3Headline(c, ledger.claims);
  assert.match(h[0].verdict!, /consistent|rejected/);
  assert.ok(h[0].interval!.lo <= c.moment.estimate && c.moment.estimate <= h[0].interval!.hi);
  assert.match(h[1].verdict!, /of 6 comparisons not rejected at family-wise level 0.01/);
});

test("the validator refuses, with the bound and the reason, what cannot run", () => {
  const paper = experiments.lemma3Defaults.paper;
  experiments.validateLemma3Config(paper);
  experiments.validateLemma3Config(experiments.lemma3Defaults.quick);
  // the estimate is rounded up (measured: about half of it); 01 + 03 have 90 s at paper scale
  assert.ok(experiments.lemma3Cost(paper).seconds < 90, "paper scale within 90 s (estimate)");
  assertArgError(
    () => experiments.validateLemma3Config({ ...paper, draws: 100000000 }),
    "validateLemma3Config",
    "parameter draws = 100000000",
    "must be at most about",
    "µs per normal draw",
    "MiB",
  );
  assertArgError(
    () => experiments.validateLemma3Config({ ...paper, draws: 10 }),
    "parameter draws = 10",
    ">= 100",
  );
  assertArgError(
    () => experiments.validateLemma3Config({ ...paper, cases: [[8, 6, 20]] }),
    "cases[0][1]",
    "n_{i+1} ≥ n_1",
  );
  // Falling widths that stay at least n_1 are what the proof allows (not the printed n_{i+1} ≥ n_i).
  experiments.validateLemma3Config({ ...paper, cases: [[8, 16, 10]] });
  assertArgError(
    () => experiments.validateLemma3Config({ ...paper, cases: [[8, 12]] }),
    "cases[0]",
    "at least 3 widths",
  );
  const quick = experiments.lemma3Defaults.quick;
  assertArgError(
    () => experiments.validateLemma3Config({ ...quick, draws: 1e8 }),
    "parameter draws = 100000000",
    "MiB",
  );
});
