import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { assertArgError, assertClose } from "../helpers";

test("the binomial test doubles the smaller exact tail and caps at 1", () => {
  assertClose(stats.binomialTest(0, 10, 0.5).pValue, 2 / 1024, 1e-15, "k = 0");
  assertClose(stats.binomialTest(2, 10, 0.5).pValue, (2 * 56) / 1024, 1e-14, "k = 2");
  assert.equal(stats.binomialTest(5, 10, 0.5).pValue, 1);
  assert.equal(stats.binomialTest(0, 100, 0).pValue, 1);
  assert.equal(stats.binomialTest(1, 100, 0).pValue, 0);
  assertArgError(() => stats.binomialTest(11, 10, 0.5), "binomialTest", "parameter k = 11");
});

test("the binomial test's size is at most its level (exact sum over outcomes)", () => {
  for (const [n, p] of [
    [50, 0.3],
    [400, 0.02],
    [1000, 0.6],
  ]) {
    for (const a of [0.01, 0.05, 0.2]) {
      let size = 0;
      for (let k = 0; k <= n; k++) {
        const pmf = stats.binomialCdf(k, n, p) - (k ? stats.binomialCdf(k - 1, n, p) : 0);
        if (stats.binomialTest(k, n, p).pValue <= a) size += pmf;
      }
      assert.ok(size <= a + 1e-12, `n = ${n}, p = ${p}, level ${a}: size ${size}`);
    }
  }
});

test("z, variance, correlation and t tests on hand-computed cases", () => {
  assertClose(stats.zTest(1.959963984540054, 0, 1).pValue, 0.05, 1e-12, "z = 1.96");
  // Σ 1² = 10 against χ²₁₀: P(χ²₁₀ ≤ 10) = 0.559507…
  const v = stats.varianceTest(new Float64Array(10).fill(1), 1);
  assertClose(v.statistic, 1, 1e-15, "S/n");
  assertClose(v.pValue, 2 * (1 - stats.chiSquareCdf(10, 10)), 1e-12, "variance p");
  // r = 0.8 on 5 points: t = 0.8·√3/0.6 with 3 degrees of freedom.
  const c = stats.correlationTest([1, 2, 3, 4, 5], [2, 1, 4, 3, 5]);
  assertClose(c.statistic, 0.8, 1e-12, "r");
  const t = (0.8 * Math.sqrt(3)) / 0.6;
  assertClose(c.pValue, 2 * (1 - stats.studentTCdf(t, 3)), 1e-12, "correlation p");
  const m = stats.meanTTest([1, 2, 3, 4, 5], 3, 0.99);
  assert.equal(m.statistic, 0);
  assert.equal(m.pValue, 1);
  const half = stats.studentTQuantile(0.995, 4) * Math.sqrt(2.5 / 5);
  assertClose(m.hi - m.estimate, half, 1e-12, "99% half-width");
  assertArgError(() => stats.zTest(0, 0, 0), "zTest", "standardError");
});

test("the large-sample KS test agrees with the exact one near the switch (within 5% of p)", () => {
  const r = random.rng(11);
  const x = Float64Array.from({ length: stats.KS_EXACT_MAX_N }, () => r.normal());
  const exact = stats.ksTestAuto(x, (t) => stats.normalCdf(t));
  assert.equal(exact.exact, true);
  const y = Float64Array.from([...x, 0.1]);
  const limit = stats.ksTestAuto(y, (t) => stats.normalCdf(t));
  assert.equal(limit.exact, false);
  assertClose(limit.statistic, exact.statistic, 2e-4, "D");
  assertClose(limit.pValue / exact.pValue, 1, 0.05, "p ratio");
  assertArgError(
    () => stats.ksTestAuto(y, () => 2),
    "ksTestAuto",
    "cdf",
    "must return a probability",
  );
});
