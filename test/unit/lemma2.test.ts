import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as claims from "../../lib/claims";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { lemma2 } from "../../lib/theorems";
import { assertArgError, assertClose } from "../helpers";

const small: experiments.Lemma2Config = {
  alphas: [0.3, 0.6],
  dims: [3, 8],
  samples: 2000,
  mgfTs: [-1, -0.25],
  minimiserD: 7,
  limitMs: [1, 10],
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

test("the MGF's Monte Carlo is reproducible, near the formula, and its error is the null's", () => {
  const a = experiments.lemma2Mgf(small, random.rng(3));
  assert.deepEqual(a, experiments.lemma2Mgf(small, random.rng(3)));
  for (const p of a) {
    // Var e^{tZ²} = 1/√(1 − 4t) − 1/(1 − 2t)
    const variance = 1 / Math.sqrt(1 - 4 * p.t) - 1 / (1 - 2 * p.t);
    assertClose(p.stdError, Math.sqrt(variance / small.samples), 1e-15, "standard error");
    assert.ok(Math.abs(p.estimate - p.formula) < 5 * p.stdError, `t = ${p.t}: within 5 s.e.`);
    assert.ok(p.test.pValue > 0 && p.test.pValue <= 1);
  }
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

test("the grid is reproducible and each d's draws do not depend on the rest of the grid", () => {
  const a = experiments.lemma2Grid(small, random.rng(1));
  assert.deepEqual(a, experiments.lemma2Grid(small, random.rng(1)));
  const b = experiments.lemma2Grid({ ...small, dims: [8] }, random.rng(1));
  const at8 = a.points.filter((p) => p.d === 8);
  assert.deepEqual(
    b.points.map((p) => p.hits),
    at8.map((p) => p.hits),
    "same draws for d = 8",
  );
  for (const p of a.points) {
    assert.ok(p.lo <= p.estimate && p.estimate <= p.hi, `${p.label}: interval holds its estimate`);
    assert.ok(p.test.pValue >= 0 && p.test.pValue <= 1);
  }
  const gaps = a.points.map((p) => p.logBound - p.logExact);
  assert.equal(a.tightest.logBound - a.tightest.logExact, Math.min(...gaps));
});

test("the limit rows sit below −M on the exact probability, and the figure drops empty counts", () => {
  const limit = experiments.lemma2Limit(small);
  for (const r of limit.rows) {
    assert.ok(r.worst <= -r.M, `M = ${r.M}: ${r.worst}`);
    assert.equal(r.alpha, Math.exp(-2 * r.M - 1));
  }
  assert.equal(limit.series.length, small.dims.length + 1, "one curve per d, and g(α)");
  const grid = experiments.lemma2Grid({ ...small, alphas: [0.01], dims: [30] }, random.rng(2));
  assert.equal(grid.points[0].hits, 0, "P(χ²₃₀ ≤ 0.3), about 1e-25, is never hit in 2000 draws");
  assert.ok(Number.isNaN(experiments.lemma2Series(grid)[0].points!.y[0]));
});

test("the headline's verdicts are read from the decided claims", () => {
  const grid = experiments.lemma2Grid(small, random.rng(1));
  const ledger = new claims.Ledger("t");
  for (const p of grid.points) {
    ledger.theorem(`bound@${p.label}`, `bound ${p.label}`).atMost(p.logExact, p.logBound);
    ledger.law(`monte-carlo@${p.label}`, `mc ${p.label}`).test(p.test);
  }
  const h = experiments.lemma2Headline(grid, ledger.claims);
  assert.match(h[0].verdict!, /holds at 4 of 4 grid points/);
  assert.match(h[1].verdict!, /^consistent/);
  assert.ok(h[1].interval && h[1].interval.lo <= grid.tightest.estimate);
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

test("the tests can fail: Monte Carlo rejects the bound as the probability, and a wrong MGF", () => {
  const p = experiments
    .lemma2Grid(small, random.rng(1))
    .points.find((q) => q.label === "a=0.3,d=8")!;
  assert.ok(stats.binomialTest(p.hits, p.samples, p.bound).pValue < 1e-6, "bound ≠ probability");
  const [m] = experiments.lemma2Mgf(small, random.rng(3)); // t = −1
  const wrong = 1 / Math.sqrt(1 - m.t); // √2/√(2 − 2t): a factor 2 lost in the integral
  assert.ok(
    stats.zTest(m.estimate, wrong, m.stdError).pValue < 1e-6,
    "a wrong formula is rejected",
  );
});
