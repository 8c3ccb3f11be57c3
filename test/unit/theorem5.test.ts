/**
 * Theorem 5 (lib/theorems/theorem5.ts, lastlayer.ts) and its notebook's library
 * (lib/experiments/theorem5.ts): the construction of eq. (7), the ridge last layer, the pair step's
 * residuals, the study, and the configuration's limits.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { Matrix } from "ml-matrix";
import * as random from "../../lib/random";
import * as linalg from "../../lib/linalg";
import * as experiments from "../../lib/experiments";
import { lastLayer, theorem5 } from "../../lib/theorems";
import { assertArgError, assertClose } from "../helpers";

test("eq. (7): Δ lies in span(p_i, p_j), has norm size + ε and moves f_i − f_j to −ε‖p_i − p_j‖", () => {
  const r = random.rng(1);
  for (let t = 0; t < 20; t++) {
    const d = 3 + (t % 6);
    const [pi, pj, x] = [0, 1, 2].map(() => random.gaussianVector(r, d));
    const eps = t % 2 === 0 ? 0 : 1e-3;
    const s = theorem5.theorem5Step(pi, pj, x, eps);
    const q = [s.Q.getColumn(0), s.Q.getColumn(1)];
    const inSpan = linalg.projectOnto(q, s.delta);
    inSpan.forEach((v, k) => assertClose(v, s.delta[k], 1e-12, "Δ ∈ span(Q)"));
    assertClose(linalg.norm(s.delta), s.size + eps, 1e-12, "‖Δ‖ = size + ε");
    const gap = (y: number[]) => linalg.dot(pi, y) - linalg.dot(pj, y);
    const before = gap(x);
    const after = gap(linalg.add(x, s.delta));
    const dn = linalg.norm(linalg.sub(pi, pj));
    assertClose(Math.abs(before), s.size * dn, 1e-10, "|f_i − f_j| = size ‖p_i − p_j‖");
    assertClose(after, -Math.sign(before) * eps * dn, 1e-10, "the gap after Δ");
    assert.ok(s.size <= s.bound * (1 + 1e-12), "size ≤ √(a1² + a2²)");
    const coef = s.deltaCoefficients;
    const back = q[0].map((v, k) => v * coef[0] + q[1][k] * coef[1]);
    back.forEach((v, k) => assertClose(v, s.delta[k], 1e-12, "Δ = Q (Δ1, Δ2)"));
  }
  assertArgError(() => theorem5.theorem5Step([1, 0], [2, 0], [1, 1], 0), "theorem5Step", "pj");
  assertArgError(() => theorem5.theorem5Step([1, 0], [0, 1], [1, 1], -1), "theorem5Step", "eps");
});

test("the ridge last layer: the dual solve equals the primal one and the normal equations hold", () => {
  const r = random.rng(2);
  for (const [n, N] of [
    [20, 6],
    [5, 9],
  ]) {
    const F = random.gaussianMatrix(r, n, N);
    const Y = random.gaussianMatrix(r, 3, N);
    const lambda = 0.7;
    const W = lastLayer.ridgeLastLayer(F, Y, lambda);
    assert.equal(W.rows, 3);
    assert.equal(W.columns, n);
    // Stationarity: (W F − Y) Fᵀ + λ W = 0.
    const g = W.mmul(F).sub(Y).mmul(F.transpose()).add(W.clone().mul(lambda));
    assert.ok(Math.max(...g.to1DArray().map(Math.abs)) < 1e-10, `n = ${n}, N = ${N}`);
  }
  assertArgError(
    () => lastLayer.ridgeLastLayer(new Matrix(2, 3), new Matrix(1, 3), 0),
    "ridgeLastLayer",
    "lambda",
  );
});

test("the pair step: every residual at rounding, every pair moved by (7)·(1 + ε) and not by (1 − ε)", () => {
  const c = { ...experiments.theorem5Defaults.quick, d: 5 };
  const net = experiments.theorem5Network(c, random.rng(3));
  assert.equal(net.heads.length, 2);
  net.heads.forEach((h) => assert.ok(h.probeError < 1e-12, `${h.key} probes`));
  const pairs = experiments.theorem5Pairs(net, c, random.rng(4));
  for (const h of pairs) {
    assert.equal(h.pairs.length, 5 * 4);
    for (const [k, v] of Object.entries(h.worst)) assert.ok(v < 1e-10, `${h.key} ${k} = ${v}`);
    assert.equal(h.moved, h.pairs.length);
    assert.equal(h.notYet, h.pairs.length);
    assert.ok(h.medianSlack > 0 && h.medianSlack <= 1);
  }
  // The ridge fit to one-hot targets classifies most of its own points.
  assert.ok(net.heads.find((h) => h.key === "ridge")!.ownClass >= 3);
});

test("the study: one ratio per network, a sign test from the count below 1, deterministic", () => {
  const c = { ...experiments.theorem5Defaults.quick, draws: 40 };
  const a = experiments.theorem5Study(c, random.rng(5));
  const b = experiments.theorem5Study(c, random.rng(5));
  assert.deepEqual(a, b);
  for (const h of a) {
    assert.equal(h.networks, h.ratios.length);
    assert.ok(h.networks <= 40 && h.networks >= 30);
    assert.equal(h.below, h.ratios.filter((v) => v < 1).length);
    assert.ok(h.lo <= h.medianRatio && h.medianRatio <= h.hi);
    // P(Bin(n, ½) ≥ below), summed directly.
    let p = 0;
    for (let k = h.below; k <= h.networks; k++) {
      let lc = 0;
      for (let i = 1; i <= k; i++) lc += Math.log(h.networks - k + i) - Math.log(i);
      p += Math.exp(lc - h.networks * Math.LN2);
    }
    assertClose(h.test.pValue, p, 1e-9 + 1e-6 * p, `${h.key} sign test`);
  }
});

test("the validator refuses d = 1 and sizes beyond a minute, naming the bound", () => {
  experiments.validateTheorem5Config(experiments.theorem5Defaults.quick);
  experiments.validateTheorem5Config(experiments.theorem5Defaults.paper);
  const base = experiments.theorem5Defaults.paper;
  const refuse = (o: Partial<experiments.Theorem5Config>, ...parts: string[]) =>
    assertArgError(
      () => experiments.validateTheorem5Config({ ...base, ...o }),
      "validateTheorem5Config",
      ...parts,
    );
  refuse({ d: 1 }, "parameter d = 1", "two classes");
  refuse({ d: 2 }, "parameter d = 2", "orthogonal");
  refuse({ d: 2.5 }, "parameter d = 2.5");
  refuse({ d: 300 }, "parameter d = 300", "multiply-adds", "10⁸ per second");
  refuse({ draws: 100000 }, "parameter draws = 100000", "1 µs per weight");
  refuse({ growth: 0.5 }, "parameter growth = 0.5");
  refuse({ eps: 0 }, "parameter eps = 0");
  refuse({ level: 1 }, "parameter level = 1");
  assert.equal(experiments.theorem5Weights({ d: 12, depth: 3, growth: 2 }), 7200);
});

test("theorem5Scan: per network ‖Δ‖ ≤ ‖x̃‖ ≤ ‖x‖, one row per d and last layer, and its limits", () => {
  const c = { ...experiments.theorem5Defaults.quick, scanDims: [3, 5], scanDraws: 6 };
  const scan = experiments.theorem5Scan(c, random.rng(4));
  assert.deepEqual(
    scan.map((h) => h.key),
    ["random", "ridge"],
  );
  for (const h of scan) {
    assert.equal(h.draws.length, 12);
    assert.deepEqual(
      h.rows.map((r) => [r.d, r.networks]),
      [
        [3, 6],
        [5, 6],
      ],
    );
    for (const r of h.draws) {
      // Cauchy–Schwarz in span(Q) and a projection's length, to rounding (1e-12 relative).
      assert.ok(r.delta <= r.projection * (1 + 1e-12), `‖Δ‖ ${r.delta} > ‖x̃‖ ${r.projection}`);
      assert.ok(r.projection <= r.norm * (1 + 1e-12), `‖x̃‖ ${r.projection} > ‖x‖ ${r.norm}`);
    }
    assert.equal(h.slopes.length, 4);
    assert.ok(h.growsTest.pValue >= 0 && h.growsTest.pValue <= 1);
  }
  assertArgError(
    () => experiments.validateTheorem5Config({ ...c, scanDims: [256], scanDraws: 1e4 }),
    "validateTheorem5Config",
    "scanDims",
  );
  assertArgError(
    () => experiments.validateTheorem5Config({ ...c, scanDims: [4, 64], scanDraws: 1e4 }),
    "validateTheorem5Config",
    "parameter scanDraws",
  );
});
