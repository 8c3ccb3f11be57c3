/**
 * Theorem 7 (lib/theorems/theorem7.ts) and its experiment on ReLU networks
 * (lib/experiments/theorem7.ts): the construction on networks given as an interface, the ReLU
 * linear region, the derivative-free search, the Gaussian case and the config's limits.
 */
import { test } from "node:test";
import * as assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import * as tf from "@tensorflow/tfjs";
import { Matrix } from "ml-matrix";
import * as experiments from "../../lib/experiments";
import * as linalg from "../../lib/linalg";
import * as random from "../../lib/random";
import * as stats from "../../lib/stats";
import * as training from "../../lib/training";
import { theorem7 } from "../../lib/theorems";
import { assertArgError, assertClose } from "../helpers";

/** An affine network f(x) = W x + c (classes × d), as Theorem 7's interface. */
function affine(W: number[][], c: number[]): theorem7.Theorem7Network {
  return {
    outputs: (x) => W.map((row, k) => linalg.dot(row, x) + c[k]),
    gradients: () => W.map((row) => [...row]),
  };
}

function point(d: number, seed: number): theorem7.Theorem7Point {
  const r = random.rng(seed);
  return {
    x: random.gaussianVector(r, d),
    x1: random.gaussianVector(r, d),
    x2: random.gaussianVector(r, d),
  };
}

test("lib/theorems/theorem7 loads without tfjs (the network is an interface)", () => {
  const file = path.resolve(__dirname, "../../lib/theorems/theorem7.js");
  const script =
    `require(${JSON.stringify(file)});` +
    "const tf = Object.keys(require.cache).filter((k) => k.includes('@tensorflow'));" +
    "process.stdout.write(String(tf.length));";
  const out = spawnSync(process.execPath, ["-e", script], { encoding: "utf8" });
  assert.equal(out.status, 0, out.stderr);
  assert.equal(out.stdout, "0", "modules of @tensorflow loaded");
});

test("section 6's pair and point: b_1 − b_2 = 2a_d, x + x_1 = b_1, x + x_2 = b_2", () => {
  const A = random.gaussianMatrix(random.rng(7), 5, 5);
  const pair = theorem7.theorem7Pair(A, random.rng(8));
  pair.b1.forEach((v, i) => assertClose(v - pair.b2[i], 2 * A.get(i, 4), 1e-12, `b1 − b2 at ${i}`));
  const g = theorem7.theorem7Geometry(pair.b1, pair.b2, 0.3);
  g.x.forEach((v, i) => {
    assertClose(v + g.x1[i], pair.b1[i], 1e-12, "x + x1 = b1");
    assertClose(v + g.x2[i], pair.b2[i], 1e-12, "x + x2 = b2");
  });
  assertArgError(
    () => theorem7.theorem7Geometry(pair.b1, pair.b2, 1.5),
    "theorem7Geometry",
    "alpha",
  );
});

test("on an affine network q matches both outputs at every ε, and solves ∇f_kᵀq = ε∇f_kᵀ(x_2 − x_1)", () => {
  const d = 9;
  const r = random.rng(11);
  const W = [random.gaussianVector(r, d), random.gaussianVector(r, d), random.gaussianVector(r, d)];
  const net = affine(W, [0.3, -1.2, 2]);
  const p = point(d, 12);
  for (const eps of [1e-3, 1, 50]) {
    const a = theorem7.theorem7Attack(net, p, eps, { classes: [2, 0] });
    // rounding of the outputs only, relative to the size of the move
    assert.ok(
      a.relativeErrors.every((e) => e <= 1e-12),
      `errors ${a.relativeErrors} at ε = ${eps}`,
    );
    for (const k of [2, 0]) {
      const want = eps * linalg.dot(W[k], linalg.sub(p.x2, p.x1));
      assertClose(linalg.dot(W[k], a.q), want, 1e-10 * (1 + Math.abs(want)), `∇f_${k}ᵀq`);
    }
    // q lies in the span of the two gradients: orthogonal to the gradient left out's residual.
    const inSpan = linalg.projectOnto([W[2], W[0]], a.q);
    inSpan.forEach((v, i) => assertClose(v, a.q[i], 1e-10 * (1 + Math.abs(v)), "q in span"));
    assert.ok(a.qNorm < a.fullNorm, "compressed");
  }
  assertArgError(() => theorem7.theorem7Attack(net, p, 0), "theorem7Attack", "epsilon");
  assertArgError(
    () => theorem7.theorem7Attack(net, p, 1, { classes: [1, 1] }),
    "theorem7Attack",
    "options.classes",
  );
});

test("the single-gradient e matches f_2 − f_1 on an affine network, and the derivative-free search finds ‖e‖", () => {
  const d = 7;
  const r = random.rng(21);
  const net = affine([random.gaussianVector(r, d), random.gaussianVector(r, d)], [1, -1]);
  const p = point(d, 22);
  const eps = 0.1;
  const s = theorem7.singleGradientAttack(net, p, eps);
  assert.ok(s.relativeError <= 1e-12, `error ${s.relativeError}`);
  // ‖e‖ = ε|∇(f_1 − f_2)ᵀ(x_2 − x_1)| / ‖∇(f_1 − f_2)‖: the distance to a hyperplane
  const [g1, g2] = net.gradients(p.x);
  const dg = linalg.sub(g1, g2);
  const dist = (eps * Math.abs(linalg.dot(dg, linalg.sub(p.x2, p.x1)))) / linalg.norm(dg);
  assertClose(s.eNorm, dist, 1e-12, "‖e‖");
  const h = (y: readonly number[]) => {
    const f = net.outputs(y);
    return f[1] - f[0];
  };
  const start = p.x.map((v, i) => v + eps * p.x1[i]);
  const found = theorem7.smallestPerturbationToLevel(h, start, s.target, 10, random.rng(23));
  // the compass search stops at an angle step of 1e-4: an excess of order 1e-8
  assert.ok(found.norm / s.eNorm - 1 >= -1e-9 && found.norm / s.eNorm - 1 <= 1e-6, `${found.norm}`);
});

test("the derivative-free search finds the distance to a sphere (a level set that is not a plane)", () => {
  const c = [1, -2, 0.5, 3, 0];
  const h = (y: readonly number[]) => linalg.norm(linalg.sub(y, c));
  const p = [0.2, 0.1, -0.3, 0.4, 1];
  const found = theorem7.smallestPerturbationToLevel(h, p, 5, 20, random.rng(31));
  // from p inside the sphere ‖y − c‖ = 5 the nearest point of it is at 5 − ‖p − c‖
  assertClose(found.norm, 5 - h(p), 1e-6 * (5 - h(p)), "distance to the sphere");
  assertArgError(
    () => theorem7.smallestPerturbationToLevel(h, p, 5, 0, random.rng(1)),
    "smallestPerturbationToLevel",
    "reach",
  );
});

test("x's ReLU region: affine pre-activations equal the forward pass, and the pattern changes at the radius", () => {
  const p = training.mlpInit(random.rng(41), [5, 20, 15, 2]);
  const r = random.rng(42);
  for (let trial = 0; trial < 5; trial++) {
    const x = random.gaussianVector(r, 5);
    const region = experiments.reluRegion(p, x);
    const pre = training.mlpPreActivations64(p, x).slice(0, -1).flat();
    region.rows.forEach((row, j) =>
      assertClose(linalg.dot(row, x) + region.offsets[j], pre[j], 1e-12, `z_${j}(x)`),
    );
    const v = random.gaussianVector(r, 5);
    const t = experiments.regionRadius(region, x, v);
    const at = (s: number) => experiments.activationPattern(p, linalg.add(x, linalg.scale(v, s)));
    assert.equal(at(0.999 * t), region.pattern, "inside the radius");
    assert.notEqual(at(1.001 * t), region.pattern, "just past the radius");
    const ball = experiments.regionBall(region, x);
    assert.ok(
      ball <= t * linalg.norm(v) + 1e-12,
      "the ball's radius is at most the distance along any ray",
    );
  }
});

test("the gradient check on a ReLU network: both routes agree with differences, no tensor leaks", async () => {
  await training.chooseBackend("wasm");
  const c = { ...experiments.theorem7Defaults.quick, d: 5, gradientPoints: 3 };
  const params = training.mlpInit(random.rng(51), [5, 30, 20, 2]);
  const A = random.gaussianMatrix(random.rng(52), 5, 5);
  const net = {
    label: "5→30→20→2",
    d: 5,
    hidden: [30, 20],
    run: 0,
    accuracy: 0,
    params,
    A,
    shown: true,
  };
  const before = tf.memory().numTensors;
  const [row] = experiments.theorem7GradientCheck([net], c, random.rng(53));
  assert.equal(tf.memory().numTensors, before, "no tensor leaked");
  assert.equal(row.compared + row.skipped, 3 * 5 * 2);
  assert.ok(row.compared > 0);
  assert.ok(row.autodiffError <= 1e-4, `autodiff ${row.autodiffError}`);
  assert.ok(row.backpropError <= 1e-6, `backprop ${row.backpropError}`);
});

test("the boundary sweep: the point is on the boundary, exact below ε*, labels flip there", () => {
  const c = experiments.theorem7Defaults.quick;
  const params = training.mlpInit(random.rng(61), [c.d, 40, 2]);
  const A = random.gaussianMatrix(random.rng(62), c.d, c.d);
  const net = {
    label: "8→40→2",
    d: c.d,
    hidden: [40],
    run: 0,
    accuracy: 0,
    params,
    A,
    shown: true,
  };
  const s = experiments.theorem7LabelSweep(net, c, 63);
  assert.ok(s.point.residual <= 1e-12, `|f₁ − f₂| at the boundary point ${s.point.residual}`);
  assert.notEqual(s.point.labelB1, s.point.labelB2);
  assert.equal(s.patternAgrees, s.epsilons);
  assert.ok(s.inside > 0, "some ε below ε*");
  assert.equal(s.insideFlips, s.inside, "every ε < ε* flips with both attacks");
  assert.ok(s.insideError <= 1e-9, `inside ${s.insideError}`);
  assert.equal(s.rows.length, c.epsilonFactors.length + 1, "and the row at ε = 1");
  const inst = experiments.theorem7Instance(s, net);
  assert.equal(inst.coordinates.length, c.d);
  assertClose(inst.summary.radius, s.radius, 0, "ε*");
  const g = experiments.singleGradientSearch(net, c, 63);
  assert.ok(g.ball >= g.bound, "the search's ball lies in x's region");
  assert.ok(g.excess >= -1e-8 && g.excess <= 1e-6, `excess ${g.excess}`);
});

test("Gaussian case: ‖Pv‖² ~ χ²₂, ‖v‖² ~ χ²_d, ‖Pv‖²/‖v‖² ~ Beta(1, (d − 2)/2) (KS p > 1e-3)", () => {
  const d = 30;
  const s = theorem7.gaussianCompression(random.rng(9), d, 3000);
  assert.ok(stats.ksTest(s.projected2, (t) => stats.chiSquareCdf(t, 2)).pValue > 1e-3);
  assert.ok(stats.ksTest(s.total2, (t) => stats.chiSquareCdf(t, d)).pValue > 1e-3);
  const sq = s.ratio.map((x) => x * x);
  assert.ok(stats.ksTest(sq, (t) => stats.betaCdf(t, 1, (d - 2) / 2)).pValue > 1e-3);
  assertArgError(
    () => theorem7.gaussianCompression(random.rng(1), 2, 10),
    "gaussianCompression",
    "parameter d",
    "2",
  );
});

test("the Gaussian sampler agrees with the normal equations on its replayed draws to 1e-10", () => {
  const c = { ...experiments.theorem7Defaults.quick, gaussianDims: [5, 40], gaussianDraws: 200 };
  const rows = experiments.theorem7Gaussian(c, 9);
  assert.equal(rows.length, 2);
  rows.forEach((r) => {
    assert.equal(r.draws, 200);
    assert.ok(r.test.pValue > 1e-4, `Beta law at d = ${r.d}: p = ${r.test.pValue}`);
    assert.ok(r.maxError <= 1e-10, `d = ${r.d}: ${r.maxError}`);
    assertClose(r.expectedRatio2, 2 / r.d, 0, "2/d");
  });
});

function accurateNets(n: number, d = 4): experiments.Theorem7Networks {
  const nets = Array.from({ length: n }, (_, run) => ({
    label: `${d}→6→2`,
    d,
    hidden: [6],
    run,
    accuracy: 1,
    params: training.mlpInit(random.rng([71, run]), [d, 6, 2]),
    A: random.gaussianMatrix(random.rng([72, run]), d, d),
    shown: run === 0,
  }));
  return { byD: [{ d, accurate: nets }], shown: [nets[0]], training: [] };
}

test("the compression study averages the pairs of each network; its verdict is the log-scale one", () => {
  const c = { ...experiments.theorem7Defaults.quick, d: 4, pairs: 100 };
  const nets = accurateNets(5);
  const { rows, studies } = experiments.theorem7Compression(nets, c, 3);
  assert.equal(rows[0].pairs, 8, "all 2^(d−1) pairs when fewer than asked");
  const first = nets.byD[0].accurate[0];
  // The same mean by another route: the pairs from the sign vectors z_{±1} = (signs, ±1).
  const byHand = [0, 1, 2, 3, 4, 5, 6, 7].map((m) => {
    const signs = [4, 2, 1].map((bit) => ((m & bit) === 0 ? 1 : -1));
    const b1 = linalg.matVec(first.A, [...signs, 1]);
    const b2 = linalg.matVec(first.A, [...signs, -1]);
    const g = theorem7.theorem7Geometry(b1, b2, c.alpha);
    const grads = training.mlpInputGradients64(first.params, g.x);
    return theorem7.compressionFromGradients(grads, g.x1, g.x2) ** 2;
  });
  assertClose(rows[0].compression2, stats.mean(byHand), 1e-12, "mean over the 8 pairs");
  assertClose(rows[0].ratio, rows[0].compression2 / (2 / c.d), 1e-15, "ratio to 2/d");
  const [study] = studies;
  assert.equal(study.networks, 5);
  const logs = rows.map((r) => Math.log(r.ratio));
  assertClose(study.verdict.estimate, Math.exp(stats.mean(logs)), 1e-12, "geometric mean");
  assert.deepEqual(study.verdict.margin, [0.5, 2], "the margin of margins.json");
  assertArgError(
    () => experiments.theorem7Compression(accurateNets(2), c, 3),
    "theorem7Compression",
    "accurate networks at d = 4",
  );
});

test("the compression study draws the configured number of pairs when there are more", () => {
  const c = { ...experiments.theorem7Defaults.quick, d: 4, pairs: 3 };
  const a = experiments.theorem7Compression(accurateNets(3), c, 3);
  const b = experiments.theorem7Compression(accurateNets(3), c, 4);
  assert.equal(a.rows[0].pairs, 3);
  assert.notEqual(a.rows[0].compression2, b.rows[0].compression2, "the draw depends on the seed");
});

test("the label study at ε = 1 counts the pairs each attack misses, per network", () => {
  const c = { ...experiments.theorem7Defaults.quick, d: 4, flipPairs: 6 };
  const nets = accurateNets(4);
  const f = experiments.theorem7FlipStudy(nets, c, 5);
  assert.equal(f.rows.length, 4);
  f.rows.forEach((r) => {
    assert.equal(r.pairs, 6);
    assert.ok(r.failuresQ >= 0 && r.failuresQ <= 6 && r.failuresE >= 0 && r.failuresE <= 6);
  });
  const rates = f.rows.map((r) => r.failuresQ / r.pairs);
  assertClose(f.q.estimate, stats.mean(rates), 1e-15, "mean of the networks' rates");
  assert.ok(f.q.interval[1] >= f.q.estimate, "the upper end bounds the mean");
});

test("trainTheorem7Networks trains until enough are accurate and shows the first accurate run", async () => {
  const c = {
    ...experiments.theorem7Defaults.quick,
    d: 5,
    networks: [[16]],
    compressionDims: [5],
    accurate: 3,
    maxRuns: 40,
    epochs: 5,
  };
  const nets = await experiments.trainTheorem7Networks(c, 1);
  const [t] = nets.training;
  const accurate = nets.byD[0].accurate;
  assert.ok(accurate.every((n) => n.accuracy === 1));
  assert.equal(t.accurate, accurate.length);
  assert.ok(t.accurate === c.accurate || t.runs === c.maxRuns, "stops at enough or at maxRuns");
  if (t.accurate > 0) assert.equal(nets.shown[0].run, accurate[0].run, "first accurate");
  assert.ok(t.minAccuracy <= t.shownAccuracy && t.shownAccuracy <= t.maxAccuracy);
});

test("validateTheorem7Config refuses sizes beyond the machine, naming the parameter, the bound and why", () => {
  const p = experiments.theorem7Defaults.paper;
  experiments.validateTheorem7Config(p);
  experiments.validateTheorem7Config(experiments.theorem7Defaults.quick);
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, d: 17 }),
    "validateTheorem7Config",
    "parameter d = 17",
    "minutes",
  );
  assertArgError(
    () =>
      experiments.validateTheorem7Config({
        ...experiments.theorem7Defaults.quick,
        d: 21,
        compressionDims: [21],
      }),
    "validateTheorem7Config",
    "parameter d = 21",
    "memory",
  );
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, maxRuns: 1000 }),
    "validateTheorem7Config",
    "parameter maxRuns = 1000",
    "minutes",
    "multiply-adds/s",
  );
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, networks: [[3000], [1e7]] }),
    "validateTheorem7Config",
    "parameter networks[1]",
    "GiB",
  );
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, gaussianDraws: 1e8 }),
    "validateTheorem7Config",
    "parameter gaussianDraws",
  );
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, networks: [[32, 32], [3000]] }),
    "validateTheorem7Config",
    "parameter networks[0]",
    "one hidden layer",
  );
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, compressionDims: [8, 8] }),
    "validateTheorem7Config",
    "compressionDims",
    "must not repeat",
  );
  assertArgError(
    () => experiments.validateTheorem7Config({ ...p, epsilonFactors: [0.5, 0.9] }),
    "validateTheorem7Config",
    "epsilonFactors",
    "below and above 1",
  );
  const s = experiments.theorem7Seconds(p);
  assert.ok(s.training > 0 && s.pairs > 0 && s.gaussian > 0);
});

test("theorem7Data: section 6's A (stream [seed, d, run, 0], columns but the last ×5), 2^d points", () => {
  const c = experiments.theorem7Defaults.quick;
  const { A, X, y } = experiments.theorem7Data(c, 5, 2);
  const raw = random.gaussianMatrix(random.rng([5, c.d, 2, 0]), c.d, c.d);
  assertClose(A.get(3, 0), 5 * raw.get(3, 0), 1e-12, "scaled column");
  assertClose(A.get(3, c.d - 1), raw.get(3, c.d - 1), 0, "last column unscaled");
  assert.equal(X.length, 2 ** c.d * c.d);
  assert.equal(y.length, 2 ** c.d);
  assert.ok(A instanceof Matrix);
});
