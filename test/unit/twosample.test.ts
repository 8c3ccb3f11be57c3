/** lib/stats/twosample.ts: Fisher's exact test and the two-sample resampling test of reported statistics. */
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

test("the resampling test has about its size under H₀ and rejects a shifted sample", () => {
  // Ours: 60 values; the 'paper': 18 values from the same law, reporting its mean and median.
  const r = random.rng(7);
  const stat = (s: readonly number[]) => [stats.mean(s), stats.median(s)];
  let rejections = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const ours = Array.from({ length: 60 }, () => r.normal());
    const paper = Array.from({ length: 18 }, () => r.normal());
    const res = stats.resamplingTest(ours, 18, stat, stat(paper), r.child(t), 400);
    if (res.pValue <= 0.1) rejections++;
  }
  // Binomial sd at 0.1 and 300 trials is 0.017: ±0.06 is 3.5 sd.
  assertClose(rejections / trials, 0.1, 0.06, "size at level 0.1");
  const ours = Array.from({ length: 60 }, () => r.normal());
  const shifted = stats.resamplingTest(ours, 18, stat, [1.5, 1.5], r.child(999), 400);
  assert.ok(shifted.pValue < 0.01, `a shift of 1.5 sd is rejected (p = ${shifted.pValue})`);
  assert.equal(shifted.components.length, 2);
  assertArgError(() => stats.resamplingTest([1], 5, stat, [0, 0], r), "resamplingTest", "ours");
});

test("Bonferroni combination ignores undefined components", () => {
  assert.equal(stats.bonferroni([0.01, 0.5, NaN]), 0.02);
  assert.equal(stats.bonferroni([0.6, 0.9]), 1);
  assert.ok(Number.isNaN(stats.bonferroni([NaN])));
});
