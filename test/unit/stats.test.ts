import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { assertArgError, assertClose } from "../helpers";

test("mean, median and type-7 quantiles match hand computations", () => {
  const x = [3, 1, 4, 1, 5, 9, 2, 6];
  assertClose(stats.mean(x), 31 / 8, 1e-15);
  assertClose(stats.median(x), 3.5, 1e-15);
  assertClose(stats.quantile(x, 0.25), 1.75, 1e-15); // sorted 1 1 2 3 4 5 6 9, h = 1.75
  assertClose(stats.quantile(x, 1), 9, 0);
  assertClose(stats.variance([1, 2, 3, 4]), 5 / 3, 1e-15);
  assertArgError(() => stats.mean([]), "mean", "parameter x", "empty");
  assertArgError(() => stats.quantile(x, 1.5), "quantile", "parameter p", "1.5");
  assertArgError(() => stats.median([1, NaN]), "median", "x[1]", "NaN");
});

test("linear fit recovers a line and its slope's standard error covers the truth", () => {
  const r = random.rng(1);
  const x = Array.from({ length: 200 }, (_, i) => i / 20);
  const y = x.map((t) => 2 - 0.5 * t + 0.1 * r.normal());
  const fit = stats.linearFit(x, y);
  assertClose(fit.slope, -0.5, 5 * fit.slopeStdError, "slope");
  assertClose(fit.intercept, 2, 0.1, "intercept");
  assertArgError(() => stats.linearFit([1, 1, 1], [1, 2, 3]), "linearFit", "constant");
});

test("slope intervals cover the true slope at their level, and slope tests have their size", () => {
  // 2000 fits of 8 points (small n: the t quantile matters): a 90% interval misses about 10% of the
  // time (binomial sd 0.67%, so ±2.5% is over 3.5 sd), and a 5% test rejects about 5%.
  const r = random.rng(3);
  const x = [1, 2, 3, 4, 5, 6, 7, 8];
  let miss = 0;
  let rejections = 0;
  let oneSided = 0;
  const trials = 2000;
  for (let t = 0; t < trials; t++) {
    const fit = stats.linearFit(
      x,
      x.map((v) => 1 + 0.3 * v + r.normal()),
    );
    const ci = stats.slopeInterval(fit, 0.9);
    if (ci.lo > 0.3 || ci.hi < 0.3) miss++;
    if (stats.slopeTest(fit, 0.3).pValue <= 0.05) rejections++;
    if (stats.slopeTest(fit, 0.3, "greater").pValue <= 0.05) oneSided++;
  }
  assertClose(miss / trials, 0.1, 0.025, "interval miss rate");
  assertClose(rejections / trials, 0.05, 0.02, "two-sided size");
  assertClose(oneSided / trials, 0.05, 0.02, "one-sided size");
  const fit = stats.linearFit(
    x,
    x.map((v) => 2 * v),
  );
  assert.ok(stats.slopeTest(fit, 0).pValue < 1e-10, "an exact line rejects slope 0");
  assertArgError(() => stats.slopeInterval(fit, 1), "slopeInterval", "level");
});

test("percentile bootstrap: 95% intervals of a mean cover the truth about 95% of the time", () => {
  const r = random.rng(2);
  let covered = 0;
  const trials = 200;
  for (let t = 0; t < trials; t++) {
    const x = Array.from({ length: 50 }, () => 1 + r.normal());
    const ci = stats.bootstrapInterval(x, stats.mean, r, { resamples: 500 });
    if (ci.lo <= 1 && 1 <= ci.hi) covered++;
  }
  // binomial(200, ~0.94): 5 standard errors around the nominal 0.95 (percentile intervals undercover slightly at n = 50)
  assertClose(covered / trials, 0.95, 5 * Math.sqrt((0.05 * 0.95) / trials), "coverage");
  assertArgError(
    () => stats.bootstrapInterval([1, 2], stats.mean, r, { level: 1 }),
    "bootstrapInterval",
    "level",
    "1",
  );
});

test("one- and two-sample KS tests accept the true law and reject a shifted one", () => {
  const r = random.rng(3);
  const x = Array.from({ length: 1000 }, () => r.normal());
  const y = Array.from({ length: 800 }, () => r.normal());
  const z = Array.from({ length: 800 }, () => 0.5 + r.normal());
  assert.ok(stats.ksTest(x, (t) => stats.normalCdf(t)).pValue > 0.01);
  assert.ok(stats.ksTest(z, (t) => stats.normalCdf(t)).pValue < 1e-6);
  assert.ok(stats.ksTest2(x, y).pValue > 0.01);
  assert.ok(stats.ksTest2(x, z).pValue < 1e-6);
  assertArgError(() => stats.ksTest2([], y), "ksTest2", "parameter x");
});

test("ksTest refuses a CDF that returns NaN, leaves [0, 1] or decreases, naming the value and the point", () => {
  const x = [0.1, 0.5, 0.9];
  // Before the check: NaN gave statistic NaN and p = NaN, a CDF above 1 gave p = 0, and a
  // decreasing one a small p-value, each as if the data had been tested.
  assertArgError(() => stats.ksTest(x, () => NaN), "ksTest", "parameter cdf = NaN", "x = 0.1");
  assertArgError(() => stats.ksTest(x, (t) => t + 2), "ksTest", "cdf = 2.1", "[0, 1]");
  assertArgError(() => stats.ksTest(x, (t) => t - 0.5), "ksTest", "cdf = -0.4", "[0, 1]");
  assertArgError(() => stats.ksTest(x, (t) => 1 - t), "ksTest", "must not decrease", "x = 0.5");
  assertArgError(
    () => stats.ksTest(x, (() => "0.5") as unknown as (t: number) => number),
    "ksTest",
    "cdf",
  );
  // A valid CDF with values exactly 0 and 1 at the ends is accepted.
  const r = stats.ksTest(x, (t) => Math.min(1, Math.max(0, (t - 0.1) / 0.8)));
  assert.ok(r.pValue >= 0 && r.pValue <= 1, `p = ${r.pValue}`);
});

test("two-sample KS p-values are about uniform under the null (size of a 5% test)", () => {
  const r = random.rng(4);
  let rejections = 0;
  const trials = 300;
  for (let t = 0; t < trials; t++) {
    const a = Array.from({ length: 60 }, () => r.normal());
    const b = Array.from({ length: 90 }, () => r.normal());
    if (stats.ksTest2(a, b).pValue < 0.05) rejections++;
  }
  assertClose(rejections / trials, 0.05, 5 * Math.sqrt((0.05 * 0.95) / trials), "rejection rate");
});

test("Clopper–Pearson intervals match closed forms at the edges", () => {
  const { lo, hi } = stats.clopperPearson(0, 20, 0.95);
  assert.equal(lo, 0);
  assertClose(hi, 1 - 0.025 ** (1 / 20), 1e-10, "upper end for k = 0");
  const full = stats.clopperPearson(20, 20, 0.95);
  assert.equal(full.hi, 1);
  assertClose(full.lo, 0.025 ** (1 / 20), 1e-10, "lower end for k = n");
  assertArgError(() => stats.clopperPearson(21, 20), "clopperPearson", "parameter k", "21");
});

test("distribution functions: log CDF matches the CDF, chi density integrates to the CDF", () => {
  for (const [x, k] of [
    [1, 1],
    [5, 10],
    [30, 40],
  ])
    assertClose(stats.chiSquareLogCdf(x, k), Math.log(stats.chiSquareCdf(x, k)), 1e-10);
  assert.ok(Number.isFinite(stats.chiSquareLogCdf(1, 2000)), "log CDF where the CDF underflows");
  // In the far tail ln P ≈ a ln y − y − ln Γ(a+1) + ln(1 + y/(a+1) + …); at k = 2000, x = 1 the series is 1 + O(1e-3).
  assertClose(
    stats.chiSquareLogCdf(1, 2000),
    1000 * Math.log(0.5) -
      0.5 -
      stats.logGamma(1001) +
      Math.log(1 + 0.5 / 1001 + 0.25 / (1001 * 1002)),
    1e-9,
    "series",
  );
  // Where both apply, the series and @stdlib agree.
  const a = 30,
    y = 3;
  let sum = 1,
    term = 1;
  for (let n = 1; n < 200; n++) {
    term *= y / (a + n);
    sum += term;
  }
  assertClose(
    stats.chiSquareLogCdf(2 * y, 2 * a),
    a * Math.log(y) - y - stats.logGamma(a + 1) + Math.log(sum),
    1e-9,
    "series against @stdlib",
  );
  let integral = 0;
  const h = 1e-4;
  for (let x = h / 2; x < 2; x += h) integral += stats.chiPdf(x, 3) * h;
  assertClose(integral, stats.chiCdf(2, 3), 1e-6, "∫_0^2 chi_3 density");
  assertClose(stats.logGamma(5), Math.log(24), 1e-13);
  assertClose(stats.normalQuantile(stats.normalCdf(1.3)), 1.3, 1e-9);
});

test("correlation and the Beta density", () => {
  assertClose(
    stats.correlation([1, 2, 3, 4], [2, 4, 6, 8.5]),
    10.75 / Math.sqrt(5 * 23.1875),
    1e-15,
  ); // sxy = 10.75, sxx = 5, syy = 23.1875 by hand
  assertClose(stats.correlation([1, 2, 3], [3, 2, 1]), -1, 1e-15);
  assertArgError(
    () => stats.correlation([1, 1, 1], [1, 2, 3]),
    "correlation",
    "parameter x",
    "constant",
  );
  let integral = 0;
  const h = 1e-5;
  for (let x = 0.01 + h / 2; x < 0.3; x += h) integral += stats.betaPdf(x, 0.5, 5.5) * h;
  assertClose(
    integral,
    stats.betaCdf(0.3, 0.5, 5.5) - stats.betaCdf(0.01, 0.5, 5.5),
    1e-6,
    "∫_0.01^0.3 Beta(½, 11/2) density (midpoint rule, away from the x^−½ singularity)",
  );
  assertClose(stats.betaPdf(0.5, 2, 2), 1.5, 1e-12);
});
