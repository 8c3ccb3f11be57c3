import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as claims from "../../lib/claims";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import { lemma2 } from "../../lib/theorems";
import { assertArgError, assertClose } from "../helpers";

const small: experiments.Lemma2Config = {
  alphas: [0.3, 0.6],
  dims: [3, 8],
  mgfTs: [-1, -0.25],
  minimiserD: 7,
  limitMs: [1, 10],
  monteCarlo: [
    { alpha: 0.6, d: 3 },
    { alpha: 0.5, d: 8 },
  ],
  samples: 2000,
};

test("the bound holds above the exact probability on a wide grid (in logs)", () => {
  for (const alpha of [0.01, 0.1, 0.5, 0.9, 0.99]) {
    for (const d of [1, 2, 5, 20, 100, 1000, 5000]) {
      assert.ok(
        lemma2.logChernoffBound(alpha, d) >= lemma2.logExactProbability(alpha, d),
        `α = ${alpha}, d = ${d}`,
      );
    }
  }
});

test("the closed-form minimiser matches a numerical search and gives d·g(α) (relative 1e-6)", () => {
  for (const alpha of [0.001, 0.05, 0.3, 0.8, 0.99]) {
    const m = lemma2.minimizeChernoffObjective(alpha, 7);
    assertClose(m.t / lemma2.chernoffOptimalT(alpha), 1, 1e-6, `t* at α = ${alpha}`);
    assertClose(m.logValue, 7 * lemma2.chernoffExponent(alpha), 1e-9, `min ln f at α = ${alpha}`);
  }
});

test("the minimiser rows of the notebook hold both routes for every α", () => {
  for (const row of experiments.lemma2Minimiser(small)) {
    assertClose(row.numericT / row.closedT, 1, 1e-6, "t");
    assertClose(row.numericLogMin, row.logBound, 1e-9, "ln f");
  }
});

test("the MGF's quadrature matches the closed form to 1e-14 and is not the closed form", () => {
  for (const p of experiments.lemma2Mgf(small)) {
    assert.ok(p.relativeGap < 1e-14, `t = ${p.t}: ${p.relativeGap}`);
    assertClose(p.formula, Math.SQRT2 / Math.sqrt(2 - 4 * p.t), 1e-15, "formula");
  }
  // a factor 2 lost in the integral, √2/√(2 − 2t), is far from the quadrature
  const t = -1;
  assert.ok(Math.abs(lemma2.mgfByQuadrature(t) - 1 / Math.sqrt(1 - t)) > 0.1);
  assertArgError(() => lemma2.mgfByQuadrature(0.5), "mgfByQuadrature", "parameter t");
});

test("the far-tail series of ln P matches a log-space quadrature (relative 1e-10, α ≤ 0.3)", () => {
  for (const alpha of [Math.exp(-201), 1e-9, 0.01, 0.3])
    for (const d of [1, 2, 7, 64, 512]) {
      const series = lemma2.logExactProbability(alpha, d);
      const quadrature = lemma2.logChiSquareCdfByQuadrature(alpha * d, d);
      assertClose(series, quadrature, 1e-10 * Math.max(1, Math.abs(series)), `α ${alpha}, d ${d}`);
    }
  assertArgError(() => lemma2.logChiSquareCdfByQuadrature(3, 2), "parameter x", "3");
  assertArgError(() => lemma2.logChiSquareCdfByQuadrature(1, 2, 11), "intervals", "even");
});

test("counting as it draws gives the counts of the stored sums from the same stream", () => {
  const d = 5;
  const alphas = [0.2, 0.7, 1.3];
  const hits = experiments.countBelow(random.rng(4), d, 3000, alphas);
  const r = random.rng(4);
  const sums = Array.from({ length: 3000 }, () => {
    let s = 0;
    for (let i = 0; i < d; i++) s += r.normal() ** 2;
    return s;
  });
  assert.deepEqual(
    hits,
    alphas.map((a) => sums.filter((s) => s <= a * d).length),
  );
});

test("the grid is exact (no randomness) and its tightest point has the smallest gap", () => {
  const a = experiments.lemma2Grid(small);
  assert.equal(a.points.length, small.alphas.length * small.dims.length);
  for (const p of a.points) {
    assertClose(p.exact, Math.exp(p.logExact), 1e-12 * p.exact, `${p.label}: exact`);
    assertClose(p.logGap, p.logBound - p.logExact, 1e-15, `${p.label}: gap`);
  }
  const gaps = a.points.map((p) => p.logGap);
  assert.equal(a.tightest.logGap, Math.min(...gaps));
});

test("the Monte Carlo check is reproducible, each point from its own stream, and can fail", () => {
  const a = experiments.lemma2MonteCarlo(small, random.rng(1));
  assert.deepEqual(a, experiments.lemma2MonteCarlo(small, random.rng(1)));
  const [hits] = experiments.countBelow(random.rng(1).child(1), 8, small.samples, [0.5]);
  assert.equal(a[1].hits, hits, "point 1 from rng.child(1)");
  for (const p of a) {
    assert.ok(p.checkLo <= p.lo && p.hi <= p.checkHi, `${p.label}: 1 − 1e-9 interval is wider`);
    assert.ok(p.checkLo <= p.exact && p.exact <= p.checkHi, `${p.label}: exact inside`);
  }
  // the bound in place of the probability falls outside the check's interval
  const p = a[1];
  assert.ok(lemma2.chernoffBound(p.alpha, p.d) > p.checkHi, "the bound is not the probability");
});

test("the limit rows: ln P/d ≤ g(α) ≤ −M on the exact probability, series = quadrature", () => {
  const limit = experiments.lemma2Limit(small);
  for (const r of limit.rows) {
    assert.ok(r.worst <= r.g && r.g <= -r.M, `M = ${r.M}: ${r.worst}, g ${r.g}`);
    assert.equal(r.alpha, Math.exp(-2 * r.M - 1));
    assert.ok(r.tailGap < 1e-9, `M = ${r.M}: tail gap ${r.tailGap}`);
  }
  assert.equal(limit.series.length, small.dims.length + 1, "one curve per d, and g(α)");
});

test("the headline's verdicts are read from the decided claims", () => {
  const grid = experiments.lemma2Grid(small);
  const mc = experiments.lemma2MonteCarlo(small, random.rng(1));
  const ledger = new claims.Ledger("t");
  for (const p of grid.points)
    ledger.theorem(`bound@${p.label}`, `bound ${p.label}`).atMost(p.logExact, p.logBound);
  for (const p of mc)
    ledger
      .construction(`exact-mc@${p.label}`, `mc ${p.label}`)
      .within(p.exact, [p.checkLo, p.checkHi]);
  const h = experiments.lemma2Headline(grid, mc, ledger.claims);
  assert.match(h[0].verdict!, /holds at 4 of 4 grid points/);
  assert.match(h[1].verdict!, /inside/);
  assert.ok(h[1].interval && h[1].interval.lo <= mc[0].estimate);
});

test("the validator refuses, with the bound and the reason, what cannot run", () => {
  const quick = experiments.lemma2Defaults.quick;
  assertArgError(
    () => experiments.validateLemma2Config({ ...quick, samples: 1 }),
    "validateLemma2Config",
    "parameter samples = 1",
    ">= 1000",
  );
  assertArgError(
    () => experiments.validateLemma2Config({ ...quick, samples: 1e9 }),
    "validateLemma2Config",
    "parameter samples = 1000000000",
    "must be at most",
    "µs each (measured)",
    "budget",
  );
  experiments.validateLemma2Config(experiments.lemma2Defaults.paper);
  assertArgError(
    () => experiments.validateLemma2Config({ ...quick, alphas: [0.5, 1.2] }),
    "alphas[1]",
    "1.2",
  );
  assertArgError(
    () => experiments.validateLemma2Config({ ...quick, mgfTs: [0.5] }),
    "mgfTs[0]",
    "0.5",
  );
  assertArgError(() => experiments.validateLemma2Config({ ...quick, dims: [2.5] }), "dims[0]");
  assertArgError(
    () => experiments.validateLemma2Config({ ...quick, monteCarlo: [{ alpha: 0.2, d: 64 }] }),
    "monteCarlo[0]",
    "fewer than 100",
  );
});

test("Lemma 2 needs α in (0, 1) and a positive integer d", () => {
  assertArgError(
    () => lemma2.chernoffBound(1, 3),
    "chernoffBound",
    "parameter alpha",
    "= 1",
    "(0, 1)",
  );
  assertArgError(() => lemma2.exactProbability(0.5, 0), "exactProbability", "parameter d", "0");
  assertArgError(
    () => experiments.resolveConfig("lemma2", experiments.lemma2Defaults, "huge", {}),
    "lemma2",
    "scale",
    "huge",
  );
  assertArgError(
    () =>
      experiments.resolveConfig("lemma2", experiments.lemma2Defaults, "quick", {
        sampels: 3,
      } as never),
    "overrides.sampels",
  );
});
