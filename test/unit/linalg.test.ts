import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix, QrDecomposition } from "ml-matrix";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import { workspace } from "../../lib/linalg/workspace";
import { assertArgError, assertClose, maxAbsDiff } from "../helpers";

const EPS = Number.EPSILON;

/** ‖A‖_F */
function frobenius(A: Matrix): number {
  let s = 0;
  for (const x of A.to1DArray()) s += x * x;
  return Math.sqrt(s);
}

/** |A| entrywise */
function abs(A: Matrix): Matrix {
  return A.clone().abs();
}

/**
 * A with singular values graded from 1 down to 1e-12 (cond 1e12): U diag(σ) Vᵀ for random
 * orthonormal U (m×n) and V (n×n). The QR's backward error does not depend on the conditioning.
 */
function nearSingular(r: random.Rng, m: number, n: number): Matrix {
  const U = random.orthonormalColumns(r, m, n);
  const V = random.orthonormalColumns(r, n, n);
  const S = Matrix.zeros(n, n);
  for (let i = 0; i < n; i++) S.set(i, i, 1e-12 ** (i / Math.max(1, n - 1)));
  return U.mmul(S).mmul(V.transpose());
}

/**
 * Random sizes from a seeded stream: square, tall (m up to 2n + 40) and near-singular, n up to 160
 * (across the unblocked/blocked switch at 64 columns, the 32-column panels and the product
 * kernel's 128-entry blocks), plus the edge sizes 1×1, 65×65 and 200×130.
 */
const r = random.rng(2301);
const cases: Array<{ kind: string; m: number; n: number }> = [
  { kind: "square", m: 1, n: 1 },
  { kind: "square", m: 65, n: 65 },
  { kind: "tall", m: 200, n: 130 },
];
for (let t = 0; t < 18; t++) {
  const kind = ["square", "tall", "near-singular"][t % 3];
  const n = 1 + r.int(160);
  const m = kind === "tall" ? n + 1 + r.int(n + 40) : n;
  cases.push({ kind, m, n });
}

// Stated tolerances (n·ε, ε = 2⁻⁵²; observed at most about a quarter of them):
const RESIDUAL = 2; //   ‖QR − A‖_F / ‖A‖_F ≤ 2·n·ε
const ORTHOGONALITY = 4; // ‖QᵀQ − I‖_F ≤ 4·n·ε
const AGREEMENT = 2; //  max |R − D R_ml| ≤ 2·n·ε·‖A‖_F, max |Q − Q_ml D| ≤ 2·n·ε·κ̂ (κ̂ = max R_jj / min R_jj)

for (const { kind, m, n } of cases) {
  test(`QR of a ${kind} ${m}×${n} matrix: QR ≈ A, QᵀQ ≈ I (thin and full), R upper with R_jj ≥ 0`, () => {
    const A = kind === "near-singular" ? nearSingular(r, m, n) : random.gaussianMatrix(r, m, n);
    const normA = frobenius(A);
    for (const full of [false, true]) {
      const { Q, R } = linalg.qr(A, { full });
      const q = full ? m : n;
      assert.equal(Q.rows, m);
      assert.equal(Q.columns, q);
      assert.equal(R.rows, q);
      assert.equal(R.columns, n);
      const residual = frobenius(Q.mmul(R).sub(A)) / normA;
      assert.ok(residual <= RESIDUAL * n * EPS, `‖QR − A‖/‖A‖ = ${residual} > ${RESIDUAL}·n·ε`);
      const orth = frobenius(Q.transpose().mmul(Q).sub(Matrix.eye(q)));
      assert.ok(orth <= ORTHOGONALITY * q * EPS, `‖QᵀQ − I‖ = ${orth} > ${ORTHOGONALITY}·q·ε`);
      for (let i = 0; i < q; i++)
        for (let j = 0; j < Math.min(i, n); j++) assert.equal(R.get(i, j), 0, `R[${i}][${j}]`);
      for (let j = 0; j < n; j++) assert.ok(R.get(j, j) >= 0, `R[${j}][${j}] = ${R.get(j, j)} ≥ 0`);
    }
    assert.ok(maxAbsDiff(linalg.qrR(A), linalg.qr(A).R) <= n * EPS * normA, "qrR = R of qr");
  });
}

for (const { kind, m, n } of cases.filter((c) => c.kind !== "near-singular")) {
  test(`QR of a ${kind} ${m}×${n} Gaussian agrees with ml-matrix's up to D = diag(sign R_jj)`, () => {
    const A = random.gaussianMatrix(random.rng([m, n]), m, n);
    const { Q, R } = linalg.qr(A);
    const ref = new QrDecomposition(A);
    const Rref = ref.upperTriangularMatrix;
    const Qref = ref.orthogonalMatrix;
    let rmax = 0;
    let rmin = Infinity;
    for (let j = 0; j < n; j++) {
      rmax = Math.max(rmax, R.get(j, j));
      rmin = Math.min(rmin, R.get(j, j));
    }
    const tolR = AGREEMENT * n * EPS * frobenius(A);
    const tolQ = AGREEMENT * n * EPS * (rmax / rmin);
    for (let j = 0; j < n; j++) {
      const s = Math.sign(Rref.get(j, j));
      for (let i = 0; i <= j; i++)
        assertClose(R.get(i, j), Math.sign(Rref.get(i, i)) * Rref.get(i, j), tolR, `R[${i}][${j}]`);
      for (let i = 0; i < m; i++)
        assertClose(Q.get(i, j), s * Qref.get(i, j), tolQ, `Q[${i}][${j}]`);
    }
  });
}

test("QR of a matrix with dependent columns: Q orthonormal, QR = A, R_jj ≥ 0", () => {
  const A = new Matrix([
    [1, 2, 3],
    [2, 4, 6],
    [1, 2, 3],
    [0, 0, 1],
  ]);
  const { Q, R } = linalg.qr(A);
  assert.ok(frobenius(Q.mmul(R).sub(A)) <= RESIDUAL * 3 * EPS * frobenius(A));
  assert.ok(frobenius(Q.transpose().mmul(Q).sub(Matrix.eye(3))) <= ORTHOGONALITY * 3 * EPS);
  for (let j = 0; j < 3; j++) assert.ok(R.get(j, j) >= 0);
  const Z = linalg.qr(new Matrix(5, 3), { full: true }); // all zero: Q = I, R = 0
  assert.ok(maxAbsDiff(Z.Q, Matrix.eye(5)) === 0 && maxAbsDiff(Z.R, new Matrix(5, 3)) === 0);
});

test("QR of tiny and huge entries: the column norms neither underflow nor overflow", () => {
  for (const scale of [1e-160, 1e160]) {
    const A = random.gaussianMatrix(random.rng(31), 40, 20).mul(scale);
    const { Q, R } = linalg.qr(A);
    const residual = frobenius(Q.mmul(R).sub(A).div(scale)) / frobenius(A.clone().div(scale));
    assert.ok(residual <= RESIDUAL * 20 * EPS, `scale ${scale}: ‖QR − A‖/‖A‖ = ${residual}`);
    assert.ok(frobenius(Q.transpose().mmul(Q).sub(Matrix.eye(20))) <= ORTHOGONALITY * 20 * EPS);
  }
});

test("qrBatch and qrRBatch give what qr and qrR give, matrix by matrix", () => {
  const As = [16, 16, 70, 3].map((n, i) => random.gaussianMatrix(random.rng([7, i]), n + i, n));
  const batch = linalg.qrBatch(As);
  const full = linalg.qrBatch(As, { full: true });
  const rs = linalg.qrRBatch(As);
  As.forEach((A, i) => {
    const one = linalg.qr(A);
    assert.ok(maxAbsDiff(batch[i].Q, one.Q) === 0 && maxAbsDiff(batch[i].R, one.R) === 0);
    assert.ok(maxAbsDiff(full[i].Q, linalg.qr(A, { full: true }).Q) === 0);
    assert.ok(maxAbsDiff(rs[i], linalg.qrR(A)) === 0);
  });
  assert.deepEqual(linalg.qrBatch([]), []);
});

test("QR refuses wide, non-finite and non-matrix input, naming function, parameter and value", () => {
  assertArgError(() => linalg.qr(new Matrix(2, 3)), "qr", "parameter A", "2×3", "m = 2 < n = 3");
  assertArgError(() => linalg.qrR(new Matrix(2, 3)), "qrR", "parameter A", "m = 2 < n = 3");
  const bad = new Matrix([
    [1, 0],
    [0, NaN],
  ]);
  assertArgError(() => linalg.qr(bad), "qr", "parameter A[1][1] = NaN", "finite");
  assertArgError(() => linalg.qrR(Matrix.eye(2).mul(Infinity)), "qrR", "A[0][0] = Infinity");
  assertArgError(() => linalg.qr(null as unknown as Matrix), "qr", "parameter A = null");
  const huge = { rows: 40000, columns: 20000 } as unknown as Matrix; // 6.4 GB: refused before any copy
  assertArgError(() => linalg.qrR(huge), "qrR", "parameter A = a 40000×20000 matrix", "GiB");
  // A batch is checked whole before any work: the bad matrix is named by its index.
  assertArgError(() => linalg.qrBatch([Matrix.eye(2), bad]), "qrBatch", "As[1][1][1] = NaN");
  assertArgError(() => linalg.qrRBatch([Matrix.eye(2), new Matrix(1, 2)]), "qrRBatch", "As[1]");
});

test("results are ordinary ml-matrix matrices: rows independent, editable, cloneable", () => {
  const A = random.gaussianMatrix(random.rng(12), 5, 3);
  const { Q, R } = linalg.qr(A);
  assert.ok(Matrix.isMatrix(Q) && Q instanceof Matrix && R instanceof Matrix);
  const before = Q.get(1, 0);
  Q.set(0, 2, 42); // the rows share one buffer: a write must stay in its entry
  assert.equal(Q.get(0, 2), 42);
  assert.equal(Q.get(1, 0), before);
  assert.deepEqual(Q.clone().to2DArray(), Q.to2DArray());
  Q.addRow(5, [1, 2, 3]).removeRow(0);
  assert.deepEqual([Q.rows, Q.columns], [5, 3]);
  assert.deepEqual(Q.getRow(4), [1, 2, 3]);
  const P = linalg.multiply(A.transpose(), A);
  assert.ok(maxAbsDiff(P.transpose(), P) <= 10 * EPS * frobenius(P), "AᵀA symmetric");
});

test("linear algebra calls leave the workspace as they found it, also when they throw", () => {
  const ws = workspace();
  const before = ws.mark();
  linalg.qr(random.gaussianMatrix(random.rng(1), 90, 70), { full: true });
  linalg.qrRBatch([Matrix.eye(3), Matrix.eye(4)]);
  linalg.multiply(Matrix.eye(3), Matrix.ones(3, 2));
  linalg.invertUpper(Matrix.eye(3));
  assert.throws(() => linalg.qr(new Matrix([[NaN]])));
  assert.throws(() => linalg.invertUpper(new Matrix(2, 2)));
  assert.equal(ws.mark(), before);
});

for (const [m, k, n] of [
  [1, 1, 1],
  [3, 5, 2],
  [17, 130, 9],
  [133, 7, 261],
  [64, 64, 64],
]) {
  test(`product ${m}×${k} · ${k}×${n}: |AB − ml-matrix's| ≤ 2·k·ε·(|A||B|) entrywise`, () => {
    const rr = random.rng([m, k, n]);
    const A = random.gaussianMatrix(rr, m, k);
    const B = random.gaussianMatrix(rr, k, n);
    const C = linalg.multiply(A, B);
    const ref = A.mmul(B);
    const bound = abs(A).mmul(abs(B)); // both sums of k products: each within k·u·(|A||B|)
    for (let i = 0; i < m; i++)
      for (let j = 0; j < n; j++)
        assertClose(C.get(i, j), ref.get(i, j), 2 * k * EPS * bound.get(i, j), `C[${i}][${j}]`);
  });
}

test("product refuses mismatched and non-finite factors", () => {
  assertArgError(
    () => linalg.multiply(new Matrix(2, 3), new Matrix(2, 3)),
    "multiply",
    "parameter B",
    "3 rows",
  );
  assertArgError(
    () =>
      linalg.multiply(
        Matrix.eye(2),
        new Matrix([
          [1, 2],
          [3, -Infinity],
        ]),
      ),
    "multiply",
    "B[1][1] = -Infinity",
  );
});

test("triangular inverse and solve: |R R⁻¹ − I| ≤ 2·n·ε·|R||R⁻¹|, |Rx − b| ≤ 2·n·ε·|R||x|", () => {
  for (const n of [1, 12, 75, 140]) {
    const { R } = linalg.qr(random.gaussianMatrix(random.rng([3, n]), n, n));
    const X = linalg.invertUpper(R);
    const bound = abs(R).mmul(abs(X));
    const RX = R.mmul(X);
    for (let i = 0; i < n; i++)
      for (let j = 0; j < n; j++) {
        assertClose(
          RX.get(i, j),
          i === j ? 1 : 0,
          2 * n * EPS * bound.get(i, j),
          `(RR⁻¹)[${i}][${j}]`,
        );
        if (i > j) assert.equal(X.get(i, j), 0, "R⁻¹ upper triangular");
      }
    const b = random.gaussianVector(random.rng([4, n]), n);
    const x = linalg.solveUpper(R, b);
    const Rx = linalg.matVec(R, x);
    const bx = linalg.matVec(abs(R), x.map(Math.abs));
    Rx.forEach((v, i) => assertClose(v, b[i], 2 * n * EPS * bx[i], `(Rx)[${i}]`));
  }
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
    () => linalg.invertUpper(new Matrix(2, 3)),
    "invertUpper",
    "parameter R",
    "square",
  );
  assertArgError(
    () => linalg.solveUpper(Matrix.eye(2), [1]),
    "solveUpper",
    "parameter b",
    "length 2",
  );
  assertArgError(() => linalg.solveUpper(Matrix.eye(2), [1, NaN]), "solveUpper", "b[1]", "NaN");
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
