import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix, QrDecomposition } from "ml-matrix";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import { assertArgError, assertClose, maxAbsDiff } from "../helpers";

const TOL = 1e-11; // relative to the size of A's entries (float64 Householder, n ≤ 60)

for (const [m, n] of [
  [1, 1],
  [6, 6],
  [30, 12],
  [60, 60],
  [80, 3],
]) {
  test(`thin and full QR of a ${m}×${n} Gaussian matrix: QR = A, QᵀQ = I, R upper with R_jj ≥ 0`, () => {
    const A = random.gaussianMatrix(random.rng([m, n]), m, n);
    for (const full of [false, true]) {
      const { Q, R } = linalg.qr(A, { full });
      assert.equal(Q.columns, full ? m : n);
      assert.equal(R.rows, full ? m : n);
      assert.ok(maxAbsDiff(Q.mmul(R), A) < TOL, "QR = A");
      assert.ok(maxAbsDiff(Q.transpose().mmul(Q), Matrix.eye(Q.columns)) < TOL, "QᵀQ = I");
      for (let i = 0; i < R.rows; i++)
        for (let j = 0; j < Math.min(i, n); j++) assert.equal(R.get(i, j), 0, "R upper triangular");
      for (let j = 0; j < n; j++) assert.ok(R.get(j, j) >= 0, "R_jj ≥ 0");
    }
  });
}

test("QR agrees with ml-matrix's QrDecomposition up to the signs D = diag(sign R_jj)", () => {
  const A = random.gaussianMatrix(random.rng(11), 25, 10);
  const ours = linalg.qr(A);
  const ref = new QrDecomposition(A);
  const Rref = ref.upperTriangularMatrix;
  for (let i = 0; i < 10; i++) {
    const s = Math.sign(Rref.get(i, i));
    for (let j = i; j < 10; j++)
      assertClose(ours.R.get(i, j), s * Rref.get(i, j), 1e-11, `R[${i}][${j}]`);
  }
});

test("qrR equals the R of qr", () => {
  const A = random.gaussianMatrix(random.rng(5), 30, 20);
  assert.ok(maxAbsDiff(linalg.qrR(A), linalg.qr(A).R) < 1e-13);
});

test("QR of a rank-deficient matrix still has orthonormal Q and QR = A", () => {
  const A = new Matrix([
    [1, 2, 3],
    [2, 4, 6],
    [1, 2, 3],
    [0, 0, 1],
  ]);
  const { Q, R } = linalg.qr(A);
  assert.ok(maxAbsDiff(Q.mmul(R), A) < 1e-12);
  assert.ok(maxAbsDiff(Q.transpose().mmul(Q), Matrix.eye(3)) < 1e-12);
});

test("QR refuses wide and non-finite matrices", () => {
  assertArgError(() => linalg.qr(new Matrix(2, 3)), "qr", "parameter A", "2×3", "m = 2 < n = 3");
  assertArgError(
    () =>
      linalg.qr(
        new Matrix([
          [1, NaN],
          [0, 1],
        ]),
      ),
    "qr",
    "NaN",
  );
});

test("triangular solve and inverse: R R⁻¹ = I, R x = b", () => {
  const { R } = linalg.qr(random.gaussianMatrix(random.rng(3), 12, 12));
  const inv = linalg.invertUpper(R);
  assert.ok(maxAbsDiff(R.mmul(inv), Matrix.eye(12)) < 1e-10);
  const b = random.gaussianVector(random.rng(4), 12);
  const x = linalg.solveUpper(R, b);
  linalg.matVec(R, x).forEach((v, i) => assertClose(v, b[i], 1e-10, `(Rx)[${i}]`));
});

test("a singular or non-triangular factor is refused, naming the entry", () => {
  const S = new Matrix([
    [1, 2],
    [0, 0],
  ]);
  assertArgError(() => linalg.invertUpper(S), "invertUpper", "R[1][1]", "singular");
  assertArgError(() => linalg.solveUpper(S, [1, 1]), "solveUpper", "R[1][1]");
  assertArgError(
    () =>
      linalg.invertUpper(
        new Matrix([
          [1, 0],
          [1, 1],
        ]),
      ),
    "invertUpper",
    "R[1][0]",
    "upper triangular",
  );
  assertArgError(
    () => linalg.solveUpper(Matrix.eye(2), [1]),
    "solveUpper",
    "parameter b",
    "length 2",
  );
});

test("projection: idempotent, residual orthogonal to the span, dependent vectors dropped", () => {
  const r = random.rng(8);
  const u = random.gaussianVector(r, 15);
  const w = random.gaussianVector(r, 15);
  const v = random.gaussianVector(r, 15);
  const p = linalg.projectOnto([u, w], v);
  const pp = linalg.projectOnto([u, w], p);
  p.forEach((x, i) => assertClose(pp[i], x, 1e-12, "P(Pv) = Pv"));
  const res = linalg.sub(v, p);
  assertClose(linalg.dot(res, u), 0, 1e-12, "⟨v − Pv, u⟩");
  assertClose(linalg.dot(res, w), 0, 1e-12, "⟨v − Pv, w⟩");
  const p2 = linalg.projectOnto([u, linalg.scale(u, 2)], v);
  const c = linalg.dot(u, v) / linalg.dot(u, u);
  p2.forEach((x, i) => assertClose(x, c * u[i], 1e-12, "projection onto a line"));
  assertArgError(() => linalg.projectOnto([[0, 0]], [1, 1]), "projectOnto", "vectors", "zero");
  assertArgError(
    () => linalg.projectOnto([[1, 0, 0]], [1, 1]),
    "projectOnto",
    "vectors[0]",
    "length 2",
  );
});

test("norms and cosines", () => {
  assertClose(linalg.norm([3, 4]), 5, 1e-15);
  assertClose(linalg.norm([1e200, 1e200]), Math.SQRT2 * 1e200, 1e186, "no overflow");
  assertClose(linalg.cosine([1, 0], [1, 1]), Math.SQRT1_2, 1e-15);
  assertClose(linalg.cosine([1, 2], [-2, -4]), -1, 1e-15);
  assertArgError(() => linalg.cosine([0, 0], [1, 1]), "cosine", "parameter u", "zero vector");
  assertArgError(() => linalg.cosine([1, 2], [1, 2, 3]), "cosine", "parameter v", "same length");
  assertArgError(() => linalg.norm([1, Infinity]), "norm", "v[1]", "Infinity");
});
