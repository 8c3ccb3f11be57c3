/**
 * lib/optimal: the minimum-distance classifier's exact robustness on Theorem 6's data, by brute
 * force over u, by the sphere decoder, and by comparing every pair of opposite-class points.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import * as optimal from "../../lib/optimal";
import * as random from "../../lib/random";
import * as data from "../../lib/data";
import { assertArgError, assertClose } from "../helpers";

test("the sphere decoder agrees with brute force on random instances (relative 1e-12)", () => {
  const r = random.rng(1);
  for (let t = 0; t < 60; t++) {
    const d = 2 + (t % 9);
    let A = random.gaussianMatrix(r, d, d);
    if (t % 3 === 0) A = data.scaleLeadingColumns(A, 5);
    const b = optimal.latticeMinimumBruteForce(A);
    const s = optimal.latticeMinimumSphere(A);
    assertClose(s.value, b.value, 1e-12 * b.value, `d = ${d}, instance ${t}`);
    assert.equal(s.u[d - 1], 1);
    assert.ok(s.u.every((v) => v === -1 || v === 0 || v === 1));
    assertClose(
      Math.hypot(...A.mmul(Matrix.columnVector(s.u)).getColumn(0)),
      s.value,
      1e-12 * s.value,
      "the minimiser achieves the value",
    );
  }
});

test("brute force on a small known case: orthogonal columns give the last column's norm", () => {
  const A = Matrix.diag([3, 4, 0.5]);
  assertClose(optimal.latticeMinimumBruteForce(A).value, 0.5, 1e-15);
  assertClose(optimal.latticeMinimumSphere(A).value, 0.5, 1e-15);
});

test("every opposite-class pair compared gives twice min_u ‖Au‖ (relative 1e-12)", () => {
  const r = random.rng(4);
  for (const d of [1, 2, 3, 5, 8, 10]) {
    const A = random.gaussianMatrix(r, d, d);
    const all = optimal.oppositeClassDistance(A);
    assert.equal(all.pairs, 4 ** (d - 1));
    const s = optimal.latticeMinimumSphere(A).value;
    assertClose(all.value, 2 * s, 1e-12 * s, `d = ${d}`);
    // The same minimum over the hypercube data set, pair by pair with lib/data's encoding.
    if (d <= 5) {
      const { X, labels } = data.hypercubeData(A);
      let best = Infinity;
      for (let i = 0; i < X.columns; i++)
        for (let j = 0; j < X.columns; j++)
          if (labels[i] > 0 && labels[j] < 0)
            best = Math.min(best, Math.hypot(...X.getColumn(i).map((v, k) => v - X.get(k, j))));
      assertClose(all.value, best, 1e-12 * best, `d = ${d}, hypercubeData`);
    }
  }
});

test("bad inputs: too large for brute force or all pairs, non-square, singular", () => {
  assertArgError(
    () => optimal.latticeMinimumBruteForce(random.gaussianMatrix(random.rng(2), 15, 15)),
    "latticeMinimumBruteForce",
    "parameter A",
    "15×15",
    "too large",
  );
  assertArgError(
    () => optimal.oppositeClassDistance(random.gaussianMatrix(random.rng(2), 15, 15)),
    "oppositeClassDistance",
    "parameter A",
    "too large",
    "4^{d−1} pairs",
  );
  assertArgError(
    () => optimal.latticeMinimumSphere(new Matrix(3, 4)),
    "latticeMinimumSphere",
    "parameter A",
    "3×4",
    "square",
  );
  assertArgError(
    () => optimal.latticeMinimumBruteForce(new Matrix(2, 3)),
    "latticeMinimumBruteForce",
    "square",
  );
  const S = new Matrix([
    [1, 2, 3],
    [2, 4, 6],
    [1, 0, 1],
  ]);
  assertArgError(() => optimal.latticeMinimumSphere(S), "latticeMinimumSphere", "singular");
  assertArgError(() => optimal.latticeMinimumBruteForce(S), "latticeMinimumBruteForce", "singular");
});
