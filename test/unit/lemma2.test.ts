import { test } from "node:test";
import * as assert from "node:assert/strict";
import * as experiments from "../../lib/experiments";
import * as random from "../../lib/random";
import { lemma2 } from "../../lib/theorems";
import { assertArgError, assertClose } from "../helpers";

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

test("the closed-form minimiser matches a numerical search and gives d·g(α)", () => {
  for (const alpha of [0.05, 0.3, 0.8]) {
    const m = lemma2.minimizeChernoffObjective(alpha, 7);
    assertClose(m.t / lemma2.chernoffOptimalT(alpha), 1, 1e-6, "t*");
    assertClose(
      lemma2.logChernoffObjective(lemma2.chernoffOptimalT(alpha), alpha, 7),
      7 * lemma2.chernoffExponent(alpha),
      1e-12,
      "ln f(t*)",
    );
  }
});

test("the grid is reproducible and each d's draws do not depend on the rest of the grid", () => {
  const c = { alphas: [0.5], dims: [3, 8], samples: 500, familyMiss: 0.01 };
  const a = experiments.lemma2Grid(c, random.rng(1));
  assert.deepEqual(a, experiments.lemma2Grid(c, random.rng(1)));
  const b = experiments.lemma2Grid({ ...c, dims: [8] }, random.rng(1));
  assert.equal(b[0].hits, a[1].hits, "same draws for d = 8");
  assert.ok(b[0].level < a[1].level, "fewer grid points, a lower per-point level (Bonferroni)");
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
    () =>
      experiments.validateLemma2Config({
        alphas: [0.5, 1.2],
        dims: [2],
        samples: 10,
        familyMiss: 0.01,
      }),
    "alphas[1]",
    "1.2",
  );
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
