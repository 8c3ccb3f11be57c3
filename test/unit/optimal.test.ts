import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import * as optimal from "../../lib/optimal";
import * as random from "../../lib/random";
import * as experiments from "../../lib/experiments";
import * as stats from "../../lib/stats";
import * as data from "../../lib/data";
import { theorem6 } from "../../lib/theorems";
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

test("bad inputs: too large for brute force, non-square, singular", () => {
  assertArgError(
    () => optimal.latticeMinimumBruteForce(random.gaussianMatrix(random.rng(2), 15, 15)),
    "latticeMinimumBruteForce",
    "parameter A",
    "15×15",
    "too large",
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

test("Theorem 6: condition (8) on all points, the attack flips class +1, φ has the Beta mean", () => {
  const r = random.rng(3);
  const d = 6;
  const A = random.gaussianMatrix(r, d, d);
  const net = theorem6.theorem6Network(A, random.orthonormalColumns(r, 20, d));
  const points = data.hypercubeData(A);
  const out = theorem6.theorem6Outputs(net, points.X);
  out.plus.forEach((f, i) => assertClose(f, points.labels[i], 1e-9, "f_{+1}"));
  const e = theorem6.theorem6Attack(net);
  const plus = points.labels.map((l, i) => (l > 0 ? i : -1)).filter((i) => i >= 0);
  const after = theorem6.theorem6Outputs(net, theorem6.perturbColumns(points.X, plus, e));
  plus.forEach((i) => assertClose(after.plus[i], -1, 1e-9, `f_{+1}(x_${i} + e)`));
  points.labels.forEach(
    (l, i) => l < 0 && assertClose(after.plus[i], -1, 1e-9, "class −1 points untouched"),
  );
  assertArgError(
    () => theorem6.perturbColumns(points.X, [0], [1, 2]),
    "perturbColumns",
    "parameter e",
  );
  const phi = experiments.phiSamples(10, 3000, r);
  assertClose(
    stats.mean(phi),
    experiments.expectedPhi(10),
    (4 * stats.std(phi)) / Math.sqrt(3000),
    "E φ",
  );
  assertClose(
    experiments.expectedPhi(400),
    Math.sqrt(2 / (Math.PI * 400)),
    1e-3 * Math.sqrt(2 / (Math.PI * 400)),
    "E φ ≈ √(2/(πd))",
  );
});
