import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix, inverse } from "ml-matrix";
import * as attacks from "../../lib/attacks";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as rmt from "../../lib/rmt";
import * as stats from "../../lib/stats";
import { theorem1, theorem4 } from "../../lib/theorems";
import { assertArgError, assertClose, maxAbsDiff } from "../helpers";

test("Theorem 1: same R for H_1X and X, condition (1), W = X⁻¹, and the attack's eq. (3)", () => {
  const r = random.rng(1);
  for (const [d, m] of [
    [3, 3],
    [8, 40],
    [20, 25],
  ]) {
    const X = random.gaussianMatrix(r, d, d);
    const net = theorem1.theorem1Network(X, random.orthonormalColumns(r, m, d));
    assert.ok(maxAbsDiff(net.R, net.RX) < 1e-12);
    assert.ok(maxAbsDiff(net.W.mmul(X), Matrix.eye(d)) < 1e-9);
    assert.ok(
      maxAbsDiff(net.W, inverse(X)) < 1e-8 * Math.max(...inverse(X).to1DArray().map(Math.abs)),
    );
    const a = theorem1.theorem1Attack(net);
    assertClose(a.outputsAfter[d - 2], 1, 1e-9, "f_{d−1}(x_d + e)");
    assertClose(a.outputsAfter[d - 1], 0, 1e-9, "f_d(x_d + e)");
    assert.ok(a.norm <= a.bound + 1e-12);
  }
  assertArgError(
    () => theorem1.theorem1Network(new Matrix(3, 2), Matrix.eye(3)),
    "theorem1Network",
    "parameter X",
    "square",
  );
  assertArgError(
    () => theorem1.theorem1Network(Matrix.eye(3), new Matrix(2, 3)),
    "theorem1Network",
    "parameter H1",
    "m >= d",
  );
});

test("the linear attack is the exact minimum: the tie at its norm, a flip just beyond, no random direction does better", () => {
  const r = random.rng(2);
  for (let t = 0; t < 20; t++) {
    const W = random.gaussianMatrix(r, 4, 6);
    const b = random.gaussianVector(r, 4);
    const x = random.gaussianVector(r, 6);
    const m = attacks.minimalPerturbationLinear(W, b, x);
    assertClose(linalg.norm(m.e), m.norm, 1e-12, "‖e‖");
    const at = attacks.linearOutputs(
      W,
      b,
      x.map((v, i) => v + m.e[i]),
    );
    assertClose(at[m.label], at[m.target], 1e-9, "tie");
    assert.notEqual(
      attacks.argmax(
        attacks.linearOutputs(
          W,
          b,
          x.map((v, i) => v + 1.000001 * m.e[i]),
        ),
      ),
      m.label,
      "flip beyond",
    );
    assert.equal(
      attacks.argmax(
        attacks.linearOutputs(
          W,
          b,
          x.map((v, i) => v + 0.999 * m.e[i]),
        ),
      ),
      m.label,
      "no flip before",
    );
    for (let k = 0; k < 200; k++) {
      const u = random.gaussianVector(r, 6);
      const s = (0.999 * m.norm) / linalg.norm(u);
      assert.equal(
        attacks.argmax(
          attacks.linearOutputs(
            W,
            b,
            x.map((v, i) => v + s * u[i]),
          ),
        ),
        m.label,
        "a shorter random step never flips",
      );
    }
  }
  assertArgError(
    () => attacks.minimalPerturbationLinear(new Matrix([[1, 2]]), null, [1, 1]),
    "minimalPerturbationLinear",
    "parameter W",
    "2 rows",
  );
});

test("Bartlett factors have the stated laws and match the QR route (KS, p > 0.001)", () => {
  const r = random.rng(3);
  const n = 5,
    rows = 9;
  const direct = Array.from({ length: 1500 }, () => rmt.bartlettFactor(r, n, rows));
  const viaQr = Array.from({ length: 1500 }, () => linalg.qrR(random.gaussianMatrix(r, rows, n)));
  assert.ok(
    stats.ksTest(
      direct.map((R) => R.get(n - 1, n - 1)),
      (t) => stats.chiCdf(t, rows - n + 1),
    ).pValue > 1e-3,
  );
  assert.ok(
    stats.ksTest2(
      direct.map((R) => R.get(0, 0)),
      viaQr.map((R) => R.get(0, 0)),
    ).pValue > 1e-3,
  );
  assert.ok(
    stats.ksTest2(
      direct.map((R) => R.get(1, 3)),
      viaQr.map((R) => R.get(1, 3)),
    ).pValue > 1e-3,
  );
  assertArgError(
    () => rmt.bartlettFactor(r, 5, 4),
    "bartlettFactor",
    "parameter rows",
    "4",
    "n = 5",
  );
  assertArgError(() => rmt.bartlettProduct(r, [4, 3]), "bartlettProduct", "widths[1]", "3");
});

test("Theorem 4: W H = X⁻¹ and R of the product = product of the recursion's factors", () => {
  const r = random.rng(4);
  const d = 6;
  const X = random.gaussianMatrix(r, d, d);
  const net = theorem4.theorem4Network(X, rmt.gaussianLayers(r, [d, 9, 15, 20]));
  assert.ok(maxAbsDiff(net.endToEnd.mmul(X), Matrix.eye(d)) < 1e-8);
  let P = net.layerR[0];
  for (let i = 1; i < net.layerR.length; i++) P = net.layerR[i].mmul(P);
  assert.ok(maxAbsDiff(P, net.RH) < 1e-9 * Math.max(...net.RH.to1DArray().map(Math.abs)));
  assert.ok(net.paperQuantity <= net.paperBound);
  assertArgError(
    () => theorem4.theorem4Network(X, [new Matrix(8, 5)]),
    "theorem4Network",
    "layers[0]",
    "d = 6",
  );
});

test("qrR equals the R of qr", () => {
  const A = random.gaussianMatrix(random.rng(5), 30, 20);
  assert.ok(maxAbsDiff(linalg.qrR(A), linalg.qr(A).R) < 1e-13);
});
