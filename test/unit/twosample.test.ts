/** lib/stats/twosample.ts: Fisher's exact test and Hotelling's test of reported means. */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { assertArgError, assertClose } from "../helpers";

test("Fisher's exact test matches known values", () => {
  // Fisher's tea tasting: 3 of 4 against 1 of 4, two-sided p = 34/70.
  assertClose(stats.fisherExact(3, 4, 1, 4).pValue, 34 / 70, 1e-12, "tea");
  // 1 of 9 against 11 of 14 (a textbook 2×2 table): two-sided p = 0.002759.
  assertClose(stats.fisherExact(1, 9, 11, 14).pValue, 0.0027594561852200836, 1e-9, "textbook");
  assert.equal(stats.fisherExact(5, 10, 5, 10).pValue, 1);
  assertArgError(() => stats.fisherExact(11, 10, 1, 5), "fisherExact", "k1", "11");
});

test("the reported-means test has its size under H₀, at the sample sizes section 6 uses", () => {
  // Ours: n records of 3 correlated values; the 'paper': 18 records from the same law, reporting
  // its 3 means (Table 2's shape). Under H₀ the rejection rate at 0.05 is 0.05 exactly (normal
  // records); 4000 trials give a binomial sd of 0.0034, so ±0.012 is 3.5 sd.
  const r = random.rng(7);
  const record = () => {
    const a = r.normal();
    const b = 0.6 * a + 0.8 * r.normal();
    return [a, b, 0.5 * a - 0.3 * b + r.normal()];
  };
  const means = (rows: number[][]) => [0, 1, 2].map((j) => stats.mean(rows.map((x) => x[j])));
  for (const n of [6, 12, 40]) {
    let rejections = 0;
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      const ours = Array.from({ length: n }, record);
      const paper = Array.from({ length: 18 }, record);
      if (stats.reportedMeansTest(ours, 18, means(paper)).pValue <= 0.05) rejections++;
    }
    assertClose(rejections / trials, 0.05, 0.012, `size at level 0.05 with n = ${n}`);
  }
});

test("the reported-means test for one mean is the two-sided t test, and it rejects a shift", () => {
  const r = random.rng(11);
  const x = Array.from({ length: 15 }, () => [r.normal()]);
  const res = stats.reportedMeansTest(x, 50, [0.4]);
  const m = stats.mean(x.map((v) => v[0]));
  const s = stats.std(x.map((v) => v[0]));
  const t = (0.4 - m) / (s * Math.sqrt(1 / 50 + 1 / 15));
  const p = 2 * (1 - stats.studentTCdf(Math.abs(t), 14));
  assertClose(res.pValue, p, 1e-9, "p = the t test's");
  assertClose(res.statistic, t * t, 1e-9, "T² = t²");
  assert.deepEqual(res.df, [1, 14]);
  // A shift of 1.5 sd in every mean with 40 records of ours: rejected.
  const ours = Array.from({ length: 40 }, () => [r.normal(), r.normal(), r.normal()]);
  const shifted = stats.reportedMeansTest(ours, 18, [1.5, 1.5, 1.5]);
  assert.ok(shifted.pValue < 1e-6, `a shift of 1.5 sd is rejected (p = ${shifted.pValue})`);
  assert.equal(shifted.components.length, 3);
  // A mean with no spread: S is singular, p is undefined rather than a number.
  const flat = Array.from({ length: 8 }, () => [1, r.normal()]);
  assert.ok(Number.isNaN(stats.reportedMeansTest(flat, 18, [1.2, 0]).pValue));
  assertArgError(
    () => stats.reportedMeansTest([[1], [2], [3]], 5, [0]),
    "reportedMeansTest",
    "ours",
  );
  assertArgError(() => stats.reportedMeansTest(x, 0, [0]), "reportedMeansTest", "m", "0");
});

test("Bonferroni combination ignores undefined components", () => {
  assert.equal(stats.bonferroni([0.01, 0.5, NaN]), 0.02);
  assert.equal(stats.bonferroni([0.6, 0.9]), 1);
  assert.ok(Number.isNaN(stats.bonferroni([NaN])));
});
