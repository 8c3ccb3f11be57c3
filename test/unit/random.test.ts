import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import { assertArgError, assertClose, maxAbsDiff } from "../helpers";

test("the same seed gives the same numbers; different seeds differ", () => {
  const a = random.rng(42);
  const b = random.rng(42);
  const xa = Array.from({ length: 100 }, () => a.normal());
  const xb = Array.from({ length: 100 }, () => b.normal());
  assert.deepEqual(xa, xb);
  const c = random.rng(43);
  assert.notDeepEqual(
    Array.from({ length: 100 }, () => c.normal()),
    xa,
  );
});

test("child streams do not depend on how much the parent has drawn", () => {
  const p1 = random.rng(7);
  const p2 = random.rng(7);
  for (let i = 0; i < 1000; i++) p2.uniform();
  assert.deepEqual(random.gaussianVector(p1.child(3), 20), random.gaussianVector(p2.child(3), 20));
  assert.notDeepEqual(
    random.gaussianVector(p1.child(3), 20),
    random.gaussianVector(p1.child(4), 20),
  );
  assert.deepEqual([...p1.child(3, 1).seed], [7, 3, 1]);
});

test("normal, chi and beta draws have the right first moments (5 standard errors)", () => {
  const r = random.rng(1);
  const n = 40000;
  const z = Float64Array.from({ length: n }, () => r.normal());
  assertClose(stats.mean(z), 0, 5 / Math.sqrt(n), "mean of N(0,1)");
  assertClose(stats.variance(z), 1, 5 * Math.sqrt(2 / n), "variance of N(0,1)");
  const c = Float64Array.from({ length: n }, () => r.chiSquare(3));
  assertClose(stats.mean(c), 3, 5 * Math.sqrt(6 / n), "mean of chi-square(3)");
  const b = Float64Array.from({ length: n }, () => r.beta(0.5, 5.5));
  assertClose(
    stats.mean(b),
    0.5 / 6,
    5 * Math.sqrt(stats.variance(b) / n),
    "mean of Beta(1/2, 11/2)",
  );
  const ks = stats.ksTest(
    Float64Array.from({ length: 2000 }, () => r.chi(2)),
    (x) => stats.chiCdf(x, 2),
  );
  assert.ok(ks.pValue > 1e-3, `chi(2) draws against the chi(2) CDF: p = ${ks.pValue}`);
});

test("int, sign and permutation are uniform and in range", () => {
  const r = random.rng(5);
  const counts = [0, 0, 0];
  for (let i = 0; i < 30000; i++) counts[r.int(3)]++;
  for (const c of counts)
    assertClose(c / 30000, 1 / 3, 5 * Math.sqrt(((1 / 3) * (2 / 3)) / 30000), "frequency");
  const p = r.permutation(50);
  assert.deepEqual(
    [...p].sort((a, b) => a - b),
    Array.from({ length: 50 }, (_, i) => i),
  );
  assert.ok([...Array(100)].every(() => Math.abs(r.sign()) === 1));
});

test("orthonormal columns: QᵀQ = I to 1e-12, and m < d is refused", () => {
  const r = random.rng(9);
  for (const [m, d] of [
    [5, 5],
    [40, 7],
    [300, 12],
  ]) {
    const Q = random.orthonormalColumns(r, m, d);
    assert.equal(Q.rows, m);
    assert.equal(Q.columns, d);
    assert.ok(maxAbsDiff(Q.transpose().mmul(Q), Matrix.eye(d)) < 1e-12);
  }
  assertArgError(
    () => random.orthonormalColumns(r, 3, 5),
    "orthonormalColumns",
    "parameter m",
    "= 3",
    "d = 5",
  );
});

test("gaussian matrices and sign vectors have the requested shapes", () => {
  const r = random.rng(2);
  const G = random.gaussianMatrix(r, 3, 4);
  assert.equal(G.rows, 3);
  assert.equal(G.columns, 4);
  assert.ok(random.signVector(r, 9).every((s) => s === 1 || s === -1));
  assertArgError(() => random.gaussianMatrix(r, 0, 4), "gaussianMatrix", "rows", "0");
  assertArgError(() => random.gaussianMatrix(r, 2, 1.5), "gaussianMatrix", "cols", "1.5");
});

test("bad seeds are refused with the function, the parameter and the value", () => {
  assertArgError(() => random.rng(-1), "Rng", "seed[0]", "-1");
  assertArgError(() => random.rng(1.5), "Rng", "seed[0]", "1.5");
  assertArgError(() => random.rng([]), "Rng", "seed");
  assertArgError(() => random.rng(3).chi(0), "Rng.chi", "k", "0");
});
